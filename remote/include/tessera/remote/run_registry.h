#pragma once
// The desktop's record of every run it (or `tessera-remote`) launched: enough to find the run
// again after the studio restarts — which launcher, which hosts, where on them, which job — and
// what state it was last seen in. One JSON file per run in a folder, written atomically, so the
// studio and the CLI can both update the registry without a lock.

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace tessera::remote {

enum class RunState { Pending, Running, Succeeded, Failed, Cancelled, Lost };

QString runStateName(RunState state);                     // "pending", "running", ...
std::optional<RunState> runStateFromName(const QString& name);
bool isFinished(RunState state);                          // succeeded, failed, cancelled

struct RunRecord {
  QString id;              // unique, safe as a file name: "<name>-<yyyyMMdd-hhmmss>-<4 hex>"
  QString name;            // what the user called it (any text)
  QString launcher;        // "local", "ssh" or "slurm"
  QStringList hosts;       // destinations as typed ("user@host:port" or an ~/.ssh/config alias)
  int gpusPerHost = 1;
  QString runDir;          // the run directory on the hosts (same path on each)
  QString jobId;           // Slurm job id; empty for the other launchers
  QString configHash;      // SHA-256 of the config file that was launched
  QString tesseraPath;     // the `tessera` binary on the hosts
  RunState state = RunState::Pending;
  int exitCode = -1;       // when finished: the first non-zero rank exit code, or 0
  QString message;         // the last problem or remark worth showing
  QDateTime created;
  QDateTime updated;

  QJsonObject toJson() const;
  // Parses a record; on malformed input returns nothing and explains in *error.
  static std::optional<RunRecord> fromJson(const QJsonObject& json, QString* error);
};

class RunRegistry {
 public:
  // `folder` holds one <id>.json per run (created when needed). Default: the per-user data folder.
  explicit RunRegistry(QString folder = defaultFolder());
  static QString defaultFolder();
  // A studio project's own registry: <project>/registry (docs/PROJECTS.md). `tessera-remote
  // --project DIR` and the studio with that project open share it.
  static QString projectFolder(const QString& projectFolder);
  const QString& folder() const { return m_folder; }

  // A fresh id for a run called `name` (letters, digits, '-', '_' and '.' kept, the rest '_').
  static QString newRunId(const QString& name);

  [[nodiscard]] bool save(RunRecord record, QString* error);   // sets `updated`
  std::optional<RunRecord> find(const QString& id, QString* error = nullptr) const;
  // Every readable record, newest first; unreadable files are named in *problems.
  std::vector<RunRecord> list(QStringList* problems = nullptr) const;
  [[nodiscard]] bool remove(const QString& id, QString* error);

 private:
  QString pathFor(const QString& id) const;
  QString m_folder;
};

}  // namespace tessera::remote
