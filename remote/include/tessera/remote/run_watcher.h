#pragma once
// Watches one run for the studio (and `tessera-remote tail`): connects to the run's hosts from its
// registry record, and on every poll() refreshes the run's state and tails RUN_DIR/metrics.jsonl
// and rank 0's log by byte offset. A dropped connection is reported and re-established on a later
// poll; the offsets make sure no metrics line is lost or delivered twice. Lives on one thread
// (it owns its libssh sessions): move it to a worker thread and drive poll() with a timer.

#include "tessera/remote/launcher.h"
#include "tessera/remote/run_registry.h"
#include "tessera/remote/ssh_session.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QProcessEnvironment>

#include <functional>
#include <memory>

namespace tessera::remote {

class CommandRunner;

// How to reach a run's hosts: everything SshParameters holds except the destination, which comes
// from the run record, plus the host-key and passphrase callbacks.
struct ConnectOptions {
  SshParameters base;  // identity, known_hosts, agent, ~/.ssh/config, timeouts
  std::function<bool(const HostKeyInfo&)> acceptUnknownHostKey;
  std::function<QString(const QString&)> passphrase;
  QProcessEnvironment localEnvironment = QProcessEnvironment::systemEnvironment();  // local/Slurm-here runs
};

// A session to `destination` ([user@]host[:port] or an ~/.ssh/config alias) made from
// options.base, with the options' host-key and passphrase answers, connected. Null (and why in
// *error, naming the host) when the destination is malformed or the connection fails.
std::unique_ptr<SshSession> openSession(const QString& destination, const ConnectOptions& options, QString* error);

// The sessions, runners and launcher for one run record (one thread at a time).
class RunConnection {
 public:
  static std::unique_ptr<RunConnection> open(const RunRecord& record, const ConnectOptions& options, QString* error);
  ~RunConnection();
  Launcher& launcher();
  CommandRunner& primary();  // the host that holds rank 0's run directory
  SshSession* primarySession();  // its SSH session; null for a run on this machine

 private:
  RunConnection();
  struct Private;
  std::unique_ptr<Private> d;
};

// Where a run's rank-0 output goes, by launcher.
QString runLogPath(const RunRecord& record);
QString runMetricsPath(const RunRecord& record);

class RunWatcher : public QObject {
  Q_OBJECT

 public:
  RunWatcher(RunRecord record, ConnectOptions options, QObject* parent = nullptr);
  ~RunWatcher() override;
  const RunRecord& record() const { return m_record; }
  qint64 metricsOffset() const;
  qint64 logOffset() const;
  // Continue from offsets kept from an earlier watcher (after the studio restarted).
  void setOffsets(qint64 metricsOffset, qint64 logOffset);

 public Q_SLOTS:
  void poll();
  // Stops every process of the run (or its Slurm job); reports through stateChanged / actionFailed.
  void cancelRun();
  // Copies files the run wrote (e.g. the images of a "sample" event; paths as the run wrote them,
  // relative to the host's login folder or absolute) into `localDir`, each under its file name,
  // over the watcher's connection. Reports through filesFetched.
  void fetchFiles(const QStringList& remotePaths, const QString& localDir);
  // Brings the run folder's `name` sub-folder (e.g. "checkpoints") to localDir/name over SFTP:
  // only files that changed, resumed and verified. A run on this machine is already here: its
  // own folder is reported. Reports through transferProgress and folderFetched.
  void fetchFolder(const QString& name, const QString& localDir);

 Q_SIGNALS:
  void metricsArrived(const QList<QJsonObject>& lines);  // step lines and event lines, in order
  void malformedMetricsLine(const QByteArray& line);
  void logArrived(const QString& text);
  void stateChanged(tessera::remote::RunState state, const QString& message);
  void connectionLost(const QString& error);
  void connectionRestored();
  void finished(tessera::remote::RunState state);
  void actionFailed(const QString& error);
  void filesFetched(const QStringList& localPaths, const QString& error);  // error: what failed, if anything
  void transferProgress(const QString& file, int fileIndex, int fileCount);
  void folderFetched(bool ok, const QString& localFolder, const QString& message);

 private:
  void dropConnection(const QString& error);

  RunRecord m_record;
  ConnectOptions m_options;
  std::unique_ptr<RunConnection> m_connection;
  struct Tails;
  std::unique_ptr<Tails> m_tails;
  bool m_lost = false;
  bool m_finishedEmitted = false;
  RunState m_lastState;
  QString m_lastMessage;
};

}  // namespace tessera::remote

Q_DECLARE_METATYPE(tessera::remote::RunState)
