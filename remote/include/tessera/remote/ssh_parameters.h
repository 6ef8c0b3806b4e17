#pragma once
// How to reach one SSH host: a plain value type, copied freely, never holding a secret.

#include <QString>

namespace tessera::remote {

struct SshParameters {
  QString host;                 // host name, address, or a Host alias from ~/.ssh/config
  int port = 0;                 // 0: from ~/.ssh/config, else 22
  QString user;                 // empty: from ~/.ssh/config, else the local user
  QString identityFile;         // empty: ssh-agent and the default keys (~/.ssh/id_*)
  bool useAgent = true;
  QString proxyJump;            // "user@jumphost:port", empty: none (or from ~/.ssh/config)
  QString knownHostsFile;       // empty: ~/.ssh/known_hosts
  bool readSshConfig = true;    // honour ~/.ssh/config and /etc/ssh/ssh_config
  int connectTimeoutSecs = 15;
  int keepAliveSecs = 30;       // 0: off

  // "user@host:port" for messages (only the parts that are set).
  QString displayName() const;
  // Parses "[user@]host[:port]"; returns false (and leaves *this unchanged) on malformed input.
  bool setDestination(const QString& destination);
};

}  // namespace tessera::remote
