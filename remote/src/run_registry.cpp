#include "tessera/remote/run_registry.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QStandardPaths>

#include <algorithm>

namespace tessera::remote {
namespace {

const char* const kStateNames[] = {"pending", "running", "succeeded", "failed", "cancelled", "lost"};

bool validId(const QString& id) {
  if (id.isEmpty() || id.size() > 200 || id.startsWith(QLatin1Char('.'))) return false;
  for (QChar c : id)
    if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != QLatin1Char('-') && c != QLatin1Char('_') &&
        c != QLatin1Char('.'))
      return false;
  return true;
}

}  // namespace

QString runStateName(RunState state) { return QString::fromLatin1(kStateNames[static_cast<int>(state)]); }

std::optional<RunState> runStateFromName(const QString& name) {
  for (int i = 0; i < 6; ++i)
    if (name == QLatin1String(kStateNames[i])) return static_cast<RunState>(i);
  return std::nullopt;
}

bool isFinished(RunState state) {
  return state == RunState::Succeeded || state == RunState::Failed || state == RunState::Cancelled;
}

QJsonObject RunRecord::toJson() const {
  QJsonObject o;
  o[QStringLiteral("version")] = 1;
  o[QStringLiteral("id")] = id;
  o[QStringLiteral("name")] = name;
  o[QStringLiteral("launcher")] = launcher;
  o[QStringLiteral("hosts")] = QJsonArray::fromStringList(hosts);
  o[QStringLiteral("gpus_per_host")] = gpusPerHost;
  o[QStringLiteral("run_dir")] = runDir;
  o[QStringLiteral("job_id")] = jobId;
  o[QStringLiteral("config_hash")] = configHash;
  o[QStringLiteral("tessera_path")] = tesseraPath;
  o[QStringLiteral("state")] = runStateName(state);
  o[QStringLiteral("exit_code")] = exitCode;
  o[QStringLiteral("message")] = message;
  o[QStringLiteral("created")] = created.toUTC().toString(Qt::ISODateWithMs);
  o[QStringLiteral("updated")] = updated.toUTC().toString(Qt::ISODateWithMs);
  return o;
}

std::optional<RunRecord> RunRecord::fromJson(const QJsonObject& o, QString* error) {
  auto bad = [&](const QString& why) -> std::optional<RunRecord> {
    if (error) *error = why;
    return std::nullopt;
  };
  if (o.value(QStringLiteral("version")).toInt() != 1) return bad(QStringLiteral("unknown record version"));
  RunRecord r;
  r.id = o.value(QStringLiteral("id")).toString();
  if (!validId(r.id)) return bad(QStringLiteral("missing or malformed id"));
  r.name = o.value(QStringLiteral("name")).toString();
  r.launcher = o.value(QStringLiteral("launcher")).toString();
  if (r.launcher != QLatin1String("local") && r.launcher != QLatin1String("ssh") && r.launcher != QLatin1String("slurm"))
    return bad(QStringLiteral("unknown launcher '%1'").arg(r.launcher));
  for (const auto& h : o.value(QStringLiteral("hosts")).toArray()) r.hosts << h.toString();
  r.gpusPerHost = o.value(QStringLiteral("gpus_per_host")).toInt(1);
  if (r.gpusPerHost < 1 || r.gpusPerHost > 1024) return bad(QStringLiteral("gpus_per_host out of range"));
  r.runDir = o.value(QStringLiteral("run_dir")).toString();
  if (r.runDir.isEmpty()) return bad(QStringLiteral("missing run_dir"));
  r.jobId = o.value(QStringLiteral("job_id")).toString();
  r.configHash = o.value(QStringLiteral("config_hash")).toString();
  r.tesseraPath = o.value(QStringLiteral("tessera_path")).toString();
  const auto state = runStateFromName(o.value(QStringLiteral("state")).toString());
  if (!state) return bad(QStringLiteral("unknown state '%1'").arg(o.value(QStringLiteral("state")).toString()));
  r.state = *state;
  r.exitCode = o.value(QStringLiteral("exit_code")).toInt(-1);
  r.message = o.value(QStringLiteral("message")).toString();
  r.created = QDateTime::fromString(o.value(QStringLiteral("created")).toString(), Qt::ISODateWithMs);
  r.updated = QDateTime::fromString(o.value(QStringLiteral("updated")).toString(), Qt::ISODateWithMs);
  return r;
}

RunRegistry::RunRegistry(QString folder) : m_folder(std::move(folder)) {}

QString RunRegistry::defaultFolder() {
  QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
  if (base.isEmpty()) base = QDir::homePath() + QStringLiteral("/.local/share");
  return base + QStringLiteral("/tessera/runs");
}

QString RunRegistry::projectFolder(const QString& projectFolder) {
  return QDir(projectFolder).filePath(QStringLiteral("registry"));
}

QString RunRegistry::newRunId(const QString& name) {
  QString clean;
  for (QChar c : name.left(60)) {
    const bool keep = (c.isLetterOrNumber() && c.unicode() < 128) || c == QLatin1Char('-') ||
                      c == QLatin1Char('_') || c == QLatin1Char('.');
    clean += keep ? c : QLatin1Char('_');
  }
  while (clean.startsWith(QLatin1Char('.'))) clean.remove(0, 1);
  if (clean.isEmpty()) clean = QStringLiteral("run");
  return QStringLiteral("%1-%2-%3")
      .arg(clean, QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-hhmmss")))
      .arg(QRandomGenerator::global()->bounded(0x10000), 4, 16, QLatin1Char('0'));
}

QString RunRegistry::pathFor(const QString& id) const { return m_folder + QLatin1Char('/') + id + QStringLiteral(".json"); }

bool RunRegistry::save(RunRecord record, QString* error) {
  if (!validId(record.id)) {
    if (error) *error = QStringLiteral("run id '%1' is not a safe file name").arg(record.id);
    return false;
  }
  if (!QDir().mkpath(m_folder)) {
    if (error) *error = QStringLiteral("cannot create the run registry folder %1").arg(m_folder);
    return false;
  }
  record.updated = QDateTime::currentDateTimeUtc();
  if (!record.created.isValid()) record.created = record.updated;
  QSaveFile f(pathFor(record.id));
  if (!f.open(QIODevice::WriteOnly)) {
    if (error) *error = QStringLiteral("cannot write %1: %2").arg(f.fileName(), f.errorString());
    return false;
  }
  f.write(QJsonDocument(record.toJson()).toJson(QJsonDocument::Indented));
  if (!f.commit()) {
    if (error) *error = QStringLiteral("cannot write %1: %2").arg(f.fileName(), f.errorString());
    return false;
  }
  return true;
}

std::optional<RunRecord> RunRegistry::find(const QString& id, QString* error) const {
  if (!validId(id)) {
    if (error) *error = QStringLiteral("'%1' is not a run id").arg(id);
    return std::nullopt;
  }
  QFile f(pathFor(id));
  if (!f.open(QIODevice::ReadOnly)) {
    if (error) *error = QStringLiteral("no run '%1' in %2").arg(id, m_folder);
    return std::nullopt;
  }
  if (f.size() > 1 << 20) {
    if (error) *error = QStringLiteral("%1 is too large to be a run record").arg(f.fileName());
    return std::nullopt;
  }
  QJsonParseError parseError{};
  const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &parseError);
  if (!doc.isObject()) {
    if (error) *error = QStringLiteral("%1: %2").arg(f.fileName(), parseError.errorString());
    return std::nullopt;
  }
  QString why;
  auto record = RunRecord::fromJson(doc.object(), &why);
  if (!record) {
    if (error) *error = QStringLiteral("%1: %2").arg(f.fileName(), why);
    return std::nullopt;
  }
  if (record->id != id) {
    if (error) *error = QStringLiteral("%1 holds run '%2'").arg(f.fileName(), record->id);
    return std::nullopt;
  }
  return record;
}

std::vector<RunRecord> RunRegistry::list(QStringList* problems) const {
  std::vector<RunRecord> out;
  const QDir dir(m_folder);
  for (const QString& file : dir.entryList({QStringLiteral("*.json")}, QDir::Files)) {
    QString error;
    auto r = find(file.chopped(5), &error);
    if (r)
      out.push_back(*r);
    else if (problems)
      *problems << error;
  }
  std::sort(out.begin(), out.end(), [](const RunRecord& a, const RunRecord& b) { return a.created > b.created; });
  return out;
}

bool RunRegistry::remove(const QString& id, QString* error) {
  if (!validId(id) || !QFile::exists(pathFor(id))) {
    if (error) *error = QStringLiteral("no run '%1' in %2").arg(id, m_folder);
    return false;
  }
  if (!QFile::remove(pathFor(id))) {
    if (error) *error = QStringLiteral("cannot remove %1").arg(pathFor(id));
    return false;
  }
  return true;
}

}  // namespace tessera::remote
