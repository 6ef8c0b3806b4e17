#pragma once
// One authenticated SSH connection (libssh), used by one thread at a time. Host keys are always
// verified against OpenSSH known_hosts: a known key proceeds, a changed key is refused (both
// fingerprints in the error), an unknown key is shown to the user, who must confirm it.

#include "tessera/remote/ssh_parameters.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

struct ssh_session_struct;  // libssh's handle type (ssh_session is a pointer to it)

namespace tessera::remote {

struct HostKeyInfo {
  enum class State { Known, Changed, Unknown, OtherType, Error };
  State state = State::Error;
  QString keyType;             // "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa"
  QString fingerprint;         // "SHA256:..." of the key the server presented
  QString knownFingerprint;    // for Changed/OtherType: the one in known_hosts
  QString knownHostsFile;
};

struct [[nodiscard]] ExecResult {
  bool started = false;        // false: the command could not be run at all (see error)
  int exitStatus = -1;
  QByteArray standardOutput;
  QByteArray standardError;
  QString error;
  bool ok() const { return started && exitStatus == 0; }
};

class SshSession {
 public:
  explicit SshSession(SshParameters parameters);
  ~SshSession();
  SshSession(const SshSession&) = delete;
  SshSession& operator=(const SshSession&) = delete;

  // Called for an unknown host key; return true to trust it (it is then added to known_hosts).
  // Without a callback, unknown keys are refused.
  void setUnknownHostKeyHandler(std::function<bool(const HostKeyInfo&)> handler);
  // Called when a private key needs a passphrase; the text is used once and never stored.
  void setPassphraseHandler(std::function<QString(const QString& prompt)> handler);

  // Connects, verifies the host key and authenticates (agent, then identity file / default
  // keys). On failure returns false and sets errorString().
  [[nodiscard]] bool connectToHost();
  bool isConnected() const;
  QString errorString() const;
  const HostKeyInfo& hostKey() const;
  const SshParameters& parameters() const;

  // Runs argv[0] with arguments on the host; each argument is shell-quoted.
  ExecResult exec(const QStringList& argv, int timeoutSecs = 600);
  // Runs a command line that the caller has built from shellQuote()d pieces.
  ExecResult execCommandLine(const QString& commandLine, int timeoutSecs = 600);

  // The libssh session, for the SFTP client of this library; null until connected.
  ssh_session_struct* nativeHandle() const;

 private:
  struct Private;
  std::unique_ptr<Private> d;
};

}  // namespace tessera::remote
