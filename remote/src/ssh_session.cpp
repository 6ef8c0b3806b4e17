#include "tessera/remote/ssh_session.h"

#include "tessera/remote/shell_quote.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLoggingCategory>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>

#include <cstring>

Q_LOGGING_CATEGORY(lcSsh, "tessera.remote.ssh")

namespace tessera::remote {
namespace {

struct SessionDeleter {
  void operator()(ssh_session s) const {
    if (s == nullptr) return;
    if (ssh_is_connected(s)) ssh_disconnect(s);
    ssh_free(s);
  }
};
struct KeyDeleter {
  void operator()(ssh_key k) const { ssh_key_free(k); }
};
struct ChannelDeleter {
  void operator()(ssh_channel c) const {
    if (c == nullptr) return;
    if (ssh_channel_is_open(c)) ssh_channel_close(c);
    ssh_channel_free(c);
  }
};
using SessionPtr = std::unique_ptr<std::remove_pointer_t<ssh_session>, SessionDeleter>;
using KeyPtr = std::unique_ptr<std::remove_pointer_t<ssh_key>, KeyDeleter>;
using ChannelPtr = std::unique_ptr<std::remove_pointer_t<ssh_channel>, ChannelDeleter>;

QString sha256Fingerprint(ssh_key key) {
  unsigned char* hash = nullptr;
  size_t len = 0;
  if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &len) != SSH_OK) return {};
  char* text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, len);
  QString out = text != nullptr ? QString::fromLatin1(text) : QString();
  ssh_string_free_char(text);
  ssh_clean_pubkey_hash(&hash);
  return out;
}

QString keyTypeName(ssh_key key) {
  const char* name = ssh_key_type_to_char(ssh_key_type(key));
  return name != nullptr ? QString::fromLatin1(name) : QStringLiteral("unknown");
}

}  // namespace

struct SshSession::Private {
  SshParameters params;
  SessionPtr session;
  QString error;
  HostKeyInfo hostKey;
  bool connected = false;
  std::function<bool(const HostKeyInfo&)> unknownHostKeyHandler;
  std::function<QString(const QString&)> passphraseHandler;
  ssh_callbacks_struct callbacks{};

  bool fail(const QString& message) {
    error = message;
    qCWarning(lcSsh).noquote() << params.displayName() << message;
    return false;
  }
  QString sshError() const { return QString::fromUtf8(ssh_get_error(session.get())); }

  static int authCallback(const char* prompt, char* buf, size_t len, int /*echo*/, int /*verify*/,
                          void* userdata) {
    auto* self = static_cast<Private*>(userdata);
    if (!self->passphraseHandler || len == 0) return -1;
    QByteArray secret = self->passphraseHandler(QString::fromUtf8(prompt)).toUtf8();
    if (static_cast<size_t>(secret.size()) >= len) return -1;
    std::memcpy(buf, secret.constData(), static_cast<size_t>(secret.size()) + 1);
    secret.fill('\0');  // the passphrase lives only in libssh's buffer, never on disk
    return 0;
  }

  bool configure();
  bool verifyHostKey();
  bool authenticate();
};

SshSession::SshSession(SshParameters parameters) : d(std::make_unique<Private>()) {
  d->params = std::move(parameters);
}

SshSession::~SshSession() = default;

void SshSession::setUnknownHostKeyHandler(std::function<bool(const HostKeyInfo&)> handler) {
  d->unknownHostKeyHandler = std::move(handler);
}

void SshSession::setPassphraseHandler(std::function<QString(const QString&)> handler) {
  d->passphraseHandler = std::move(handler);
}

bool SshSession::isConnected() const { return d->connected; }
QString SshSession::errorString() const { return d->error; }
const HostKeyInfo& SshSession::hostKey() const { return d->hostKey; }
const SshParameters& SshSession::parameters() const { return d->params; }
ssh_session_struct* SshSession::nativeHandle() const { return d->connected ? d->session.get() : nullptr; }

bool SshSession::Private::configure() {
  session.reset(ssh_new());
  if (!session) return fail(QStringLiteral("cannot create an SSH session"));
  ssh_session s = session.get();
  const QByteArray host = params.host.toUtf8();
  if (params.host.isEmpty()) return fail(QStringLiteral("no host given"));
  if (params.host.startsWith(QLatin1Char('-'))) return fail(QStringLiteral("invalid host name"));
  if (ssh_options_set(s, SSH_OPTIONS_HOST, host.constData()) != SSH_OK) return fail(sshError());
  int processConfig = params.readSshConfig ? 1 : 0;
  ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &processConfig);
  // ~/.ssh/config first, so that explicit parameters below override it (as `ssh -p` does).
  if (params.readSshConfig && ssh_options_parse_config(s, nullptr) != SSH_OK) return fail(sshError());
  if (params.port > 0) {
    const unsigned int port = static_cast<unsigned int>(params.port);
    ssh_options_set(s, SSH_OPTIONS_PORT, &port);
  }
  if (!params.user.isEmpty()) ssh_options_set(s, SSH_OPTIONS_USER, params.user.toUtf8().constData());
  if (!params.identityFile.isEmpty()) {
    if (!QFileInfo::exists(params.identityFile)) {
      return fail(QStringLiteral("identity file %1 does not exist").arg(params.identityFile));
    }
    // Must be set before ssh_connect for ssh_userauth_publickey_auto to see it.
    ssh_options_set(s, SSH_OPTIONS_IDENTITY, QFile::encodeName(params.identityFile).constData());
  }
  if (!params.proxyJump.isEmpty()) {
    // libssh 0.10 has no ProxyJump option of its own: go through OpenSSH's client, which checks
    // the jump host's key against known_hosts in batch mode (no prompt, unknown = refused).
    const QString command = QStringLiteral("ssh -o BatchMode=yes -W '[%h]:%p' -- ") +
                            shellQuote(QStringLiteral("ssh://") + params.proxyJump);
    ssh_options_set(s, SSH_OPTIONS_PROXYCOMMAND, command.toUtf8().constData());
  }
  const QString knownHosts = params.knownHostsFile.isEmpty()
                                 ? QDir::homePath() + QStringLiteral("/.ssh/known_hosts")
                                 : params.knownHostsFile;
  hostKey.knownHostsFile = knownHosts;
  ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, QFile::encodeName(knownHosts).constData());
  // Only our own known_hosts file decides; the system-wide one is not consulted silently.
  ssh_options_set(s, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null");
  const long timeout = params.connectTimeoutSecs > 0 ? params.connectTimeoutSecs : 15;
  ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &timeout);
  ssh_set_blocking(s, 1);

  callbacks = ssh_callbacks_struct{};
  callbacks.userdata = this;
  callbacks.auth_function = &Private::authCallback;
  ssh_callbacks_init(&callbacks);
  ssh_set_callbacks(s, &callbacks);
  return true;
}

bool SshSession::Private::verifyHostKey() {
  ssh_session s = session.get();
  ssh_key raw = nullptr;
  if (ssh_get_server_publickey(s, &raw) != SSH_OK) return fail(QStringLiteral("no host key: ") + sshError());
  KeyPtr serverKey(raw);
  hostKey.keyType = keyTypeName(serverKey.get());
  hostKey.fingerprint = sha256Fingerprint(serverKey.get());

  // The fingerprints known_hosts holds for this host (hashed entries too), for the refusal
  // message when the presented key differs.
  auto knownFingerprint = [&]() -> QString {
    unsigned int port = 22;
    ssh_options_get_port(s, &port);
    char* hostName = nullptr;
    ssh_options_get(s, SSH_OPTIONS_HOST, &hostName);
    const QString plainHost = hostName != nullptr ? QString::fromUtf8(hostName) : params.host;
    ssh_string_free_char(hostName);
    const QByteArray hostKey = (port == 22 ? plainHost : QStringLiteral("[%1]:%2").arg(plainHost).arg(port)).toUtf8();
    QFile file(hostKey.isEmpty() ? QString() : this->hostKey.knownHostsFile);
    QStringList found;
    if (file.open(QIODevice::ReadOnly)) {
      while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (line.isEmpty() || line.startsWith('#')) continue;
        ssh_knownhosts_entry* entry = nullptr;
        if (ssh_known_hosts_parse_line(hostKey.constData(), line.constData(), &entry) == SSH_OK && entry != nullptr) {
          if (entry->publickey != nullptr) found << keyTypeName(entry->publickey) + QLatin1Char(' ') + sha256Fingerprint(entry->publickey);
        }
        ssh_knownhosts_entry_free(entry);
      }
    }
    return found.join(QStringLiteral(", "));
  };

  switch (ssh_session_is_known_server(s)) {
    case SSH_KNOWN_HOSTS_OK:
      hostKey.state = HostKeyInfo::State::Known;
      return true;
    case SSH_KNOWN_HOSTS_CHANGED:
      hostKey.state = HostKeyInfo::State::Changed;
      hostKey.knownFingerprint = knownFingerprint();
      return fail(QStringLiteral("HOST KEY CHANGED for %1: known_hosts (%2) has %3 but the server presented "
                                 "%4 %5. Refusing to connect: this may be an attack. If the host was "
                                 "really reinstalled, remove its old entry from %2.")
                      .arg(params.displayName(), hostKey.knownHostsFile, hostKey.knownFingerprint,
                           hostKey.keyType, hostKey.fingerprint));
    case SSH_KNOWN_HOSTS_OTHER:
      hostKey.state = HostKeyInfo::State::OtherType;
      hostKey.knownFingerprint = knownFingerprint();
      return fail(QStringLiteral("host key type changed for %1: known_hosts has a key of another type "
                                 "(%2), the server presented %3 %4. Refusing to connect.")
                      .arg(params.displayName(), hostKey.knownFingerprint, hostKey.keyType,
                           hostKey.fingerprint));
    case SSH_KNOWN_HOSTS_UNKNOWN:
    case SSH_KNOWN_HOSTS_NOT_FOUND: {
      hostKey.state = HostKeyInfo::State::Unknown;
      if (!unknownHostKeyHandler || !unknownHostKeyHandler(hostKey)) {
        return fail(QStringLiteral("unknown host key for %1: %2 %3 is not in %4; confirm the fingerprint "
                                   "and accept it (tessera-remote: --accept-new-host-key)")
                        .arg(params.displayName(), hostKey.keyType, hostKey.fingerprint,
                             hostKey.knownHostsFile));
      }
      QDir().mkpath(QFileInfo(hostKey.knownHostsFile).absolutePath());
      if (ssh_session_update_known_hosts(s) != SSH_OK) {
        return fail(QStringLiteral("cannot add the host key to %1: %2").arg(hostKey.knownHostsFile, sshError()));
      }
      qCInfo(lcSsh).noquote() << "added" << hostKey.keyType << hostKey.fingerprint << "for"
                              << params.displayName() << "to" << hostKey.knownHostsFile;
      return true;
    }
    case SSH_KNOWN_HOSTS_ERROR:
    default:
      hostKey.state = HostKeyInfo::State::Error;
      return fail(QStringLiteral("cannot check the host key: ") + sshError());
  }
}

bool SshSession::Private::authenticate() {
  ssh_session s = session.get();
  // "none" first: required by some servers before they list the methods they accept.
  int rc = ssh_userauth_none(s, nullptr);
  if (rc == SSH_AUTH_SUCCESS) return true;
  if (params.useAgent && qEnvironmentVariableIsSet("SSH_AUTH_SOCK")) {
    rc = ssh_userauth_agent(s, nullptr);
    if (rc == SSH_AUTH_SUCCESS) return true;
  }
  // Identity file (if set) and the default keys; encrypted keys ask the passphrase callback.
  rc = ssh_userauth_publickey_auto(s, nullptr, nullptr);
  if (rc == SSH_AUTH_SUCCESS) return true;
  return fail(QStringLiteral("authentication failed for %1 (tried %2the default keys%3): %4")
                  .arg(params.displayName(), params.useAgent ? QStringLiteral("ssh-agent, ") : QString(),
                       params.identityFile.isEmpty() ? QString() : QStringLiteral(" and ") + params.identityFile,
                       sshError()));
}

bool SshSession::connectToHost() {
  d->connected = false;
  d->hostKey = HostKeyInfo{};
  if (!d->configure()) return false;
  if (ssh_connect(d->session.get()) != SSH_OK) {
    return d->fail(QStringLiteral("cannot connect to %1: %2").arg(d->params.displayName(), d->sshError()));
  }
  if (!d->verifyHostKey()) {
    d->session.reset();
    return false;
  }
  if (!d->authenticate()) {
    d->session.reset();
    return false;
  }
  d->connected = true;
  d->error.clear();
  return true;
}

ExecResult SshSession::exec(const QStringList& argv, int timeoutSecs) {
  if (argv.isEmpty()) {
    ExecResult r;
    r.error = QStringLiteral("no command given");
    return r;
  }
  return execCommandLine(shellJoin(argv), timeoutSecs);
}

ExecResult SshSession::execCommandLine(const QString& commandLine, int timeoutSecs) {
  ExecResult r;
  if (!d->connected) {
    r.error = QStringLiteral("not connected");
    return r;
  }
  ssh_session s = d->session.get();
  ChannelPtr channel(ssh_channel_new(s));
  if (!channel || ssh_channel_open_session(channel.get()) != SSH_OK) {
    r.error = QStringLiteral("cannot open a channel: ") + d->sshError();
    return r;
  }
  if (ssh_channel_request_exec(channel.get(), commandLine.toUtf8().constData()) != SSH_OK) {
    r.error = QStringLiteral("cannot run the command: ") + d->sshError();
    return r;
  }
  r.started = true;
  QElapsedTimer timer;
  timer.start();
  qint64 lastKeepAlive = 0;
  char buf[16384];
  while (!ssh_channel_is_eof(channel.get())) {
    bool any = false;
    for (int isStderr = 0; isStderr < 2; ++isStderr) {
      const int n = ssh_channel_read_timeout(channel.get(), buf, sizeof(buf), isStderr, 100);
      if (n == SSH_ERROR) {
        r.error = QStringLiteral("connection lost: ") + d->sshError();
        return r;
      }
      if (n > 0) {
        (isStderr ? r.standardError : r.standardOutput).append(buf, n);
        any = true;
      }
    }
    const qint64 elapsed = timer.elapsed();
    if (timeoutSecs > 0 && elapsed > qint64(timeoutSecs) * 1000) {
      r.error = QStringLiteral("command timed out after %1 s").arg(timeoutSecs);
      return r;
    }
    if (!any && d->params.keepAliveSecs > 0 && elapsed - lastKeepAlive > d->params.keepAliveSecs * 1000) {
      ssh_send_ignore(s, "keepalive");
      lastKeepAlive = elapsed;
    }
  }
  // Drain what arrived together with EOF.
  for (int isStderr = 0; isStderr < 2; ++isStderr) {
    int n;
    while ((n = ssh_channel_read_nonblocking(channel.get(), buf, sizeof(buf), isStderr)) > 0) {
      (isStderr ? r.standardError : r.standardOutput).append(buf, n);
    }
  }
  ssh_channel_send_eof(channel.get());
  r.exitStatus = ssh_channel_get_exit_status(channel.get());
  return r;
}

}  // namespace tessera::remote
