#include "tessera/remote/run_watcher.h"

#include "tessera/remote/command_runner.h"
#include "tessera/remote/file_tail.h"
#include "tessera/remote/process_launcher.h"
#include "tessera/remote/sftp_client.h"
#include "tessera/remote/shell_quote.h"
#include "tessera/remote/slurm_launcher.h"

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

#include <QJsonDocument>

#include <vector>

namespace tessera::remote {

struct RunConnection::Private {
  std::vector<std::unique_ptr<SshSession>> sessions;
  std::vector<std::unique_ptr<CommandRunner>> runners;
  std::unique_ptr<Launcher> launcher;
};

RunConnection::RunConnection() : d(std::make_unique<Private>()) {}
RunConnection::~RunConnection() {
  // The launcher and runners refer to the sessions: end them first.
  d->launcher.reset();
  d->runners.clear();
  d->sessions.clear();
}
Launcher& RunConnection::launcher() { return *d->launcher; }
CommandRunner& RunConnection::primary() { return *d->runners.front(); }
SshSession* RunConnection::primarySession() { return d->sessions.empty() ? nullptr : d->sessions.front().get(); }

std::unique_ptr<SshSession> openSession(const QString& destination, const ConnectOptions& options, QString* error) {
  SshParameters p = options.base;
  if (!p.setDestination(destination)) {
    if (error) *error = QStringLiteral("'%1' is not a host: write [user@]host[:port] or an ~/.ssh/config alias").arg(destination);
    return nullptr;
  }
  if (!options.base.user.isEmpty() && !destination.contains(QLatin1Char('@'))) p.user = options.base.user;
  auto session = std::make_unique<SshSession>(p);
  if (options.acceptUnknownHostKey) session->setUnknownHostKeyHandler(options.acceptUnknownHostKey);
  if (options.passphrase) session->setPassphraseHandler(options.passphrase);
  if (!session->connectToHost()) {
    if (error) *error = QStringLiteral("%1: %2").arg(destination, session->errorString());
    return nullptr;
  }
  return session;
}

std::unique_ptr<RunConnection> RunConnection::open(const RunRecord& record, const ConnectOptions& options, QString* error) {
  std::unique_ptr<RunConnection> c(new RunConnection());
  auto addHost = [&](const QString& host) -> bool {
    if (host == QLatin1String("localhost") && record.launcher != QLatin1String("ssh")) {
      c->d->runners.push_back(std::make_unique<LocalRunner>(options.localEnvironment));
      return true;
    }
    auto session = openSession(host, options, error);
    if (!session) return false;
    c->d->runners.push_back(std::make_unique<SshRunner>(*session));
    c->d->sessions.push_back(std::move(session));
    return true;
  };
  if (record.hosts.isEmpty()) {
    if (error) *error = QStringLiteral("run %1 names no host").arg(record.id);
    return nullptr;
  }
  if (record.launcher == QLatin1String("slurm")) {
    if (!addHost(record.hosts.front())) return nullptr;
    c->d->launcher = std::make_unique<SlurmLauncher>(*c->d->runners.front());
  } else if (record.launcher == QLatin1String("local") || record.launcher == QLatin1String("ssh")) {
    for (const QString& h : record.hosts)
      if (!addHost(h)) return nullptr;
    std::vector<CommandRunner*> raw;
    for (auto& r : c->d->runners) raw.push_back(r.get());
    c->d->launcher = std::make_unique<ProcessLauncher>(record.launcher, raw);
  } else {
    if (error) *error = QStringLiteral("run %1 has an unknown launcher '%2'").arg(record.id, record.launcher);
    return nullptr;
  }
  return c;
}

QString runMetricsPath(const RunRecord& record) { return record.runDir + QStringLiteral("/metrics.jsonl"); }

QString runLogPath(const RunRecord& record) {
  if (record.launcher == QLatin1String("slurm")) return record.runDir + QStringLiteral("/slurm-%1.out").arg(record.jobId);
  return record.runDir + QStringLiteral("/ranks/rank-0.log");
}

struct RunWatcher::Tails {
  FileTail metrics;
  FileTail log;
};

RunWatcher::RunWatcher(RunRecord record, ConnectOptions options, QObject* parent)
    : QObject(parent),
      m_record(std::move(record)),
      m_options(std::move(options)),
      m_tails(new Tails{FileTail(runMetricsPath(m_record)), FileTail(runLogPath(m_record))}),
      m_lastState(m_record.state) {
  qRegisterMetaType<tessera::remote::RunState>();  // for queued connections across threads
}

RunWatcher::~RunWatcher() = default;

qint64 RunWatcher::metricsOffset() const { return m_tails->metrics.offset(); }
qint64 RunWatcher::logOffset() const { return m_tails->log.offset(); }

void RunWatcher::setOffsets(qint64 metricsOffset, qint64 logOffset) {
  m_tails->metrics = FileTail(runMetricsPath(m_record), metricsOffset);
  m_tails->log = FileTail(runLogPath(m_record), logOffset);
}

void RunWatcher::dropConnection(const QString& error) {
  m_connection.reset();
  if (!m_lost) {
    m_lost = true;
    Q_EMIT connectionLost(error);
  }
}

void RunWatcher::poll() {
  if (!m_connection) {
    QString error;
    m_connection = RunConnection::open(m_record, m_options, &error);
    if (!m_connection) {
      dropConnection(error);
      return;
    }
    if (m_lost) {
      m_lost = false;
      Q_EMIT connectionRestored();
    }
  }
  QString error;
  // State first: lines written before the run ended are then still read in this same poll.
  RunRecord refreshed = m_record;
  if (!m_connection->launcher().refresh(&refreshed, &error)) {
    dropConnection(error);
    return;
  }

  QList<QByteArray> lines;
  bool restarted = false;
  if (m_tails->metrics.poll(m_connection->primary(), &lines, &error, &restarted) == FileTail::Result::Error) {
    dropConnection(error);
    return;
  }
  QList<QJsonObject> records;
  for (const QByteArray& line : lines) {
    if (line.trimmed().isEmpty()) continue;
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(line, &parseError);
    if (doc.isObject())
      records.append(doc.object());
    else
      Q_EMIT malformedMetricsLine(line);
  }
  if (!records.isEmpty()) Q_EMIT metricsArrived(records);

  lines.clear();
  if (m_tails->log.poll(m_connection->primary(), &lines, &error) == FileTail::Result::Error) {
    dropConnection(error);
    return;
  }
  if (!lines.isEmpty()) {
    QString text;
    for (const QByteArray& l : lines) text += QString::fromUtf8(l) + QLatin1Char('\n');
    Q_EMIT logArrived(text);
  }

  m_record = refreshed;
  if (m_record.state != m_lastState || m_record.message != m_lastMessage) {
    m_lastState = m_record.state;
    m_lastMessage = m_record.message;
    Q_EMIT stateChanged(m_record.state, m_record.message);
  }
  const bool over = isFinished(m_record.state) || m_record.state == RunState::Lost;
  if (over && !m_finishedEmitted) {
    m_finishedEmitted = true;
    Q_EMIT finished(m_record.state);
  }
}

void RunWatcher::fetchFiles(const QStringList& remotePaths, const QString& localDir) {
  QString error;
  if (!m_connection) m_connection = RunConnection::open(m_record, m_options, &error);
  if (!m_connection) {
    Q_EMIT filesFetched({}, error);
    return;
  }
  QStringList copies;
  if (!QDir().mkpath(localDir)) {
    Q_EMIT filesFetched({}, QStringLiteral("cannot create %1").arg(localDir));
    return;
  }
  for (const QString& path : remotePaths) {
    // `cat` through the run's own runner: the same path resolution as the run, on any launcher.
    const ExecResult r = m_connection->primary().run(shellJoin({QStringLiteral("cat"), QStringLiteral("--"), path}), 120);
    if (!r.ok()) {
      error = QStringLiteral("%1: %2").arg(path, r.error.isEmpty() ? QString::fromUtf8(r.standardError).trimmed() : r.error);
      continue;
    }
    QSaveFile file(QDir(localDir).filePath(QFileInfo(path).fileName()));
    if (!file.open(QIODevice::WriteOnly) || file.write(r.standardOutput) != r.standardOutput.size() || !file.commit()) {
      error = QStringLiteral("cannot write %1").arg(file.fileName());
      continue;
    }
    copies << file.fileName();
  }
  Q_EMIT filesFetched(copies, error);
}

void RunWatcher::fetchFolder(const QString& name, const QString& localDir) {
  QString error;
  if (!m_connection) m_connection = RunConnection::open(m_record, m_options, &error);
  if (!m_connection) {
    Q_EMIT folderFetched(false, QString(), error);
    return;
  }
  const QString remote = m_record.runDir + QLatin1Char('/') + name;
  SshSession* session = m_connection->primarySession();
  if (session == nullptr) {
    Q_EMIT folderFetched(QFileInfo(remote).isDir(), QFileInfo(remote).absoluteFilePath(),
                         QFileInfo(remote).isDir() ? QStringLiteral("the run ran on this machine: its %1 are in its folder").arg(name)
                                                   : QStringLiteral("%1 has no %2 yet").arg(m_record.runDir, name));
    return;
  }
  SftpClient sftp(*session);
  if (!sftp.open()) {
    Q_EMIT folderFetched(false, QString(), sftp.errorString());
    return;
  }
  const QString target = QDir(localDir).filePath(name);
  const SyncResult r = sftp.syncDown(remote, target, [this](const TransferProgress& p) {
    Q_EMIT transferProgress(QFileInfo(p.path).fileName(), p.fileIndex, p.fileCount);
    return true;
  });
  Q_EMIT folderFetched(r.ok, target,
                       r.ok ? QStringLiteral("%1 file(s) fetched, %2 already here").arg(r.filesTransferred).arg(r.filesUpToDate)
                            : r.error);
}

void RunWatcher::cancelRun() {
  QString error;
  if (!m_connection) m_connection = RunConnection::open(m_record, m_options, &error);
  if (!m_connection) {
    Q_EMIT actionFailed(QStringLiteral("cannot reach run %1 to cancel it: %2").arg(m_record.id, error));
    return;
  }
  if (!m_connection->launcher().cancel(&m_record, &error)) {
    Q_EMIT actionFailed(error);
    return;
  }
  m_lastState = m_record.state;
  m_lastMessage = m_record.message;
  Q_EMIT stateChanged(m_record.state, m_record.message);
}

}  // namespace tessera::remote
