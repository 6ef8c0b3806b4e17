#include "models/evaluation_session.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QTextStream>

namespace {
constexpr int kVersion = 1;
QString u64(quint64 v) { return QString::number(v); }
}  // namespace

QString EvaluationSession::sessionFile(const QString& folder) { return QDir(folder).filePath(QStringLiteral("session.json")); }

bool EvaluationSession::exists(const QString& folder) { return !folder.isEmpty() && QFileInfo::exists(sessionFile(folder)); }

bool EvaluationSession::create(const QString& folder, const EvaluationSettings& settings, const QList<PromptEntry>& prompts,
                               QString* error) {
  if (!QDir().mkpath(QDir(folder).filePath(QStringLiteral("images")))) {
    if (error) *error = tr("Cannot create the folder %1.").arg(folder);
    return false;
  }
  m_folder = folder;
  m_settings = settings;
  m_items.clear();
  QRandomGenerator sides(quint32(settings.orderSeed ^ (settings.orderSeed >> 32)));
  for (int i = 0; i < prompts.size(); ++i) {
    EvaluationItem item;
    item.entry = prompts[i];
    item.seed = settings.seed + quint64(i);
    item.aOnLeft = sides.bounded(2) == 0;
    m_items << item;
  }
  return save(error);
}

bool EvaluationSession::open(const QString& folder, QString* error) {
  QFile file(sessionFile(folder));
  if (!file.open(QIODevice::ReadOnly)) {
    if (error) *error = tr("Cannot read %1: %2").arg(file.fileName(), file.errorString());
    return false;
  }
  QJsonParseError parseError;
  const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
  const QJsonObject o = doc.object();
  if (parseError.error != QJsonParseError::NoError || o.value(QStringLiteral("version")).toInt() != kVersion) {
    if (error) *error = tr("%1 is not an evaluation session this version can read.").arg(file.fileName());
    return false;
  }
  EvaluationSettings s;
  s.modelA = o.value(QStringLiteral("model_a")).toString();
  s.modelB = o.value(QStringLiteral("model_b")).toString();
  s.promptFile = o.value(QStringLiteral("prompt_file")).toString();
  s.steps = o.value(QStringLiteral("steps")).toInt(30);
  s.width = o.value(QStringLiteral("width")).toInt(512);
  s.height = o.value(QStringLiteral("height")).toInt(512);
  s.guidance = o.value(QStringLiteral("guidance")).toDouble(7.5);
  s.seed = o.value(QStringLiteral("seed")).toString().toULongLong();
  s.orderSeed = o.value(QStringLiteral("order_seed")).toString().toULongLong();
  s.generateOn = o.value(QStringLiteral("generate_on")).toString(QStringLiteral("local"));
  s.host = o.value(QStringLiteral("host")).toString();
  s.tesseraPath = o.value(QStringLiteral("tessera")).toString(QStringLiteral("tessera"));
  s.hostCpu = o.value(QStringLiteral("host_cpu")).toBool(false);
  if (s.generateOn != QLatin1String("local") && s.generateOn != QLatin1String("ssh") && s.generateOn != QLatin1String("slurm")) {
    if (error) *error = tr("%1 names an unknown place to generate: %2.").arg(file.fileName(), s.generateOn);
    return false;
  }
  QList<EvaluationItem> items;
  for (const QJsonValue& v : o.value(QStringLiteral("items")).toArray()) {
    const QJsonObject io = v.toObject();
    EvaluationItem item;
    item.entry.prompt = io.value(QStringLiteral("prompt")).toString();
    item.entry.category = io.value(QStringLiteral("category")).toString();
    item.seed = io.value(QStringLiteral("seed")).toString().toULongLong();
    item.aOnLeft = io.value(QStringLiteral("a_on_left")).toBool(true);
    item.quality = voteFromName(io.value(QStringLiteral("quality")).toString());
    item.alignment = voteFromName(io.value(QStringLiteral("alignment")).toString());
    items << item;
  }
  if (items.isEmpty()) {
    if (error) *error = tr("%1 holds no prompts.").arg(file.fileName());
    return false;
  }
  m_folder = folder;
  m_settings = s;
  m_items = items;
  return true;
}

bool EvaluationSession::save(QString* error) const {
  QJsonObject o;
  o.insert(QStringLiteral("version"), kVersion);
  o.insert(QStringLiteral("model_a"), m_settings.modelA);
  o.insert(QStringLiteral("model_b"), m_settings.modelB);
  o.insert(QStringLiteral("prompt_file"), m_settings.promptFile);
  o.insert(QStringLiteral("steps"), m_settings.steps);
  o.insert(QStringLiteral("width"), m_settings.width);
  o.insert(QStringLiteral("height"), m_settings.height);
  o.insert(QStringLiteral("guidance"), m_settings.guidance);
  o.insert(QStringLiteral("seed"), u64(m_settings.seed));  // strings: JSON numbers lose 64-bit seeds
  o.insert(QStringLiteral("order_seed"), u64(m_settings.orderSeed));
  o.insert(QStringLiteral("generate_on"), m_settings.generateOn);
  o.insert(QStringLiteral("host"), m_settings.host);
  o.insert(QStringLiteral("tessera"), m_settings.tesseraPath);
  o.insert(QStringLiteral("host_cpu"), m_settings.hostCpu);
  QJsonArray items;
  for (const EvaluationItem& item : m_items) {
    QJsonObject io;
    io.insert(QStringLiteral("prompt"), item.entry.prompt);
    io.insert(QStringLiteral("category"), item.entry.category);
    io.insert(QStringLiteral("seed"), u64(item.seed));
    io.insert(QStringLiteral("a_on_left"), item.aOnLeft);
    io.insert(QStringLiteral("quality"), voteName(item.quality));
    io.insert(QStringLiteral("alignment"), voteName(item.alignment));
    items.append(io);
  }
  o.insert(QStringLiteral("items"), items);
  QSaveFile file(sessionFile(m_folder));
  if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(o).toJson()) < 0 || !file.commit()) {
    if (error) *error = tr("Cannot save the evaluation to %1: %2").arg(file.fileName(), file.errorString());
    return false;
  }
  return true;
}

QString EvaluationSession::imagePath(int model, int index) const {
  return QDir(m_folder).filePath(QStringLiteral("images/%1-%2.png")
                                     .arg(model == 0 ? QLatin1Char('a') : QLatin1Char('b'))
                                     .arg(index, 4, 10, QLatin1Char('0')));
}

bool EvaluationSession::hasImage(int model, int index) const { return QFileInfo::exists(imagePath(model, index)); }

int EvaluationSession::missingImages(int model) const {
  int missing = 0;
  for (int i = 0; i < count(); ++i)
    if (!hasImage(model, i)) ++missing;
  return missing;
}

Vote EvaluationSession::toVote(int index, Side side) const {
  if (side == Side::Tie) return Vote::Tie;
  const bool left = side == Side::Left;
  return left == m_items[index].aOnLeft ? Vote::A : Vote::B;
}

bool EvaluationSession::voteQuality(int index, Side side, QString* error) {
  if (index < 0 || index >= count()) return false;
  m_items[index].quality = toVote(index, side);
  return save(error);
}

bool EvaluationSession::voteAlignment(int index, Side side, QString* error) {
  if (index < 0 || index >= count()) return false;
  m_items[index].alignment = toVote(index, side);
  return save(error);
}

bool EvaluationSession::isVoted(int index) const {
  return m_items[index].quality != Vote::None && m_items[index].alignment != Vote::None;
}

int EvaluationSession::votedCount() const {
  int n = 0;
  for (int i = 0; i < count(); ++i)
    if (isVoted(i)) ++n;
  return n;
}

int EvaluationSession::firstUnvoted() const {
  for (int i = 0; i < count(); ++i)
    if (!isVoted(i)) return i;
  return -1;
}

QList<SummaryRow> EvaluationSession::summary() const {
  QStringList categories;
  for (const EvaluationItem& item : m_items)
    if (!categories.contains(item.entry.category)) categories << item.entry.category;
  QList<SummaryRow> rows;
  for (int criterion = 0; criterion < 2; ++criterion) {
    const QString name = criterion == 0 ? QStringLiteral("quality") : QStringLiteral("alignment");
    QStringList groups{QString()};
    groups << categories;
    for (const QString& category : groups) {
      QList<Vote> votes;
      for (const EvaluationItem& item : m_items)
        if (category.isEmpty() || item.entry.category == category) votes << (criterion == 0 ? item.quality : item.alignment);
      SummaryRow row;
      row.criterion = name;
      row.category = category;
      row.a = PreferenceStats::rateForA(votes);
      row.b = PreferenceStats::mirrored(row.a);
      rows << row;
    }
  }
  return rows;
}

bool EvaluationSession::exportVotes(const QString& path, QString* error) const {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) {
    if (error) *error = tr("Cannot write %1: %2").arg(path, file.errorString());
    return false;
  }
  QTextStream out(&file);
  out << "index,prompt,category,seed,left_model,quality,alignment,image_a,image_b\r\n";
  for (int i = 0; i < count(); ++i) {
    const EvaluationItem& item = m_items[i];
    out << i << ',' << PromptCsv::quote(item.entry.prompt) << ',' << PromptCsv::quote(item.entry.category) << ','
        << item.seed << ',' << (item.aOnLeft ? "A" : "B") << ',' << voteName(item.quality) << ','
        << voteName(item.alignment) << ',' << PromptCsv::quote(imagePath(0, i)) << ','
        << PromptCsv::quote(imagePath(1, i)) << "\r\n";
  }
  out.flush();
  if (!file.commit()) {
    if (error) *error = tr("Cannot write %1: %2").arg(path, file.errorString());
    return false;
  }
  return true;
}

bool EvaluationSession::exportSummary(const QString& path, QString* error) const {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) {
    if (error) *error = tr("Cannot write %1: %2").arg(path, file.errorString());
    return false;
  }
  QTextStream out(&file);
  out << "criterion,category,model,model_path,votes,wins,ties,losses,preference_rate,ci95_low,ci95_high\r\n";
  for (const SummaryRow& row : summary()) {
    for (int m = 0; m < 2; ++m) {
      const PreferenceRate& r = m == 0 ? row.a : row.b;
      out << row.criterion << ',' << PromptCsv::quote(row.category.isEmpty() ? QStringLiteral("overall") : row.category)
          << ',' << (m == 0 ? "A" : "B") << ',' << PromptCsv::quote(m == 0 ? m_settings.modelA : m_settings.modelB) << ','
          << r.n << ',' << r.wins << ',' << r.ties << ',' << r.losses << ',' << QString::number(r.rate, 'f', 6) << ','
          << QString::number(r.ci.low, 'f', 6) << ',' << QString::number(r.ci.high, 'f', 6) << "\r\n";
    }
  }
  out.flush();
  if (!file.commit()) {
    if (error) *error = tr("Cannot write %1: %2").arg(path, file.errorString());
    return false;
  }
  return true;
}

QString EvaluationSession::voteName(Vote v) {
  switch (v) {
    case Vote::A: return QStringLiteral("A");
    case Vote::B: return QStringLiteral("B");
    case Vote::Tie: return QStringLiteral("tie");
    case Vote::None: break;
  }
  return QString();
}

Vote EvaluationSession::voteFromName(const QString& s) {
  if (s == QLatin1String("A")) return Vote::A;
  if (s == QLatin1String("B")) return Vote::B;
  if (s == QLatin1String("tie")) return Vote::Tie;
  return Vote::None;
}
