#include "models/run_config_document.h"

#include <QCoreApplication>
#include <QFile>
#include <QSaveFile>
#include <QStringList>

#include <yaml-cpp/yaml.h>

struct RunConfigDocument::Private {
  YAML::Node root = YAML::Node(YAML::NodeType::Map);
};

namespace {

QStringList parts(const QString& key) { return key.split(QLatin1Char('.'), Qt::SkipEmptyParts); }

// The node at `key`, or an undefined node; never creates anything.
YAML::Node find(const YAML::Node& root, const QString& key) {
  YAML::Node node;
  node.reset(root);  // reset, never '=': assigning to a Node writes into the tree it refers to
  for (const QString& p : parts(key)) {
    if (!node.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
    const YAML::Node& map = node;  // const: looking up a key must not create it
    const YAML::Node child = map[p.toStdString()];
    if (!child.IsDefined()) return YAML::Node(YAML::NodeType::Undefined);
    node.reset(child);
  }
  return node;
}

}  // namespace

RunConfigDocument::RunConfigDocument() : d(std::make_unique<Private>()) {}
RunConfigDocument::RunConfigDocument(const RunConfigDocument& other) : d(std::make_unique<Private>()) {
  d->root = YAML::Clone(other.d->root);
}
RunConfigDocument& RunConfigDocument::operator=(const RunConfigDocument& other) {
  if (this != &other) d->root = YAML::Clone(other.d->root);
  return *this;
}
RunConfigDocument::~RunConfigDocument() = default;

bool RunConfigDocument::parse(const QByteArray& yaml, QString* error) {
  try {
    YAML::Node root = YAML::Load(yaml.toStdString());
    if (root.IsNull() || !root.IsDefined()) root = YAML::Node(YAML::NodeType::Map);
    if (!root.IsMap()) {
      if (error) *error = QCoreApplication::translate("RunConfigDocument", "the file is not a YAML mapping of keys");
      return false;
    }
    d->root = root;
    return true;
  } catch (const YAML::Exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
}

bool RunConfigDocument::load(const QString& path, QString* error) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    if (error) *error = file.errorString();
    return false;
  }
  return parse(file.readAll(), error);
}

QByteArray RunConfigDocument::toYaml() const {
  YAML::Emitter out;
  out.SetSeqFormat(YAML::Flow);  // short lists of numbers and block names stay on one line
  out << d->root;
  QByteArray text(out.c_str(), qsizetype(out.size()));
  if (!text.endsWith('\n')) text += '\n';
  return text;
}

bool RunConfigDocument::save(const QString& path, QString* error) const {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) {
    if (error) *error = file.errorString();
    return false;
  }
  file.write("# Written by Tessera Studio; check it with: tessera train --config FILE --check\n");
  file.write(toYaml());
  if (!file.commit()) {
    if (error) *error = file.errorString();
    return false;
  }
  return true;
}

bool RunConfigDocument::has(const QString& key) const {
  const YAML::Node n = find(d->root, key);
  return n.IsDefined() && !n.IsNull();
}

QString RunConfigDocument::value(const QString& key) const {
  const YAML::Node n = find(d->root, key);
  return n.IsDefined() && n.IsScalar() ? QString::fromStdString(n.Scalar()) : QString();
}

void RunConfigDocument::setValue(const QString& key, const QString& text) {
  const QStringList p = parts(key);
  if (p.isEmpty()) return;
  YAML::Node node;
  node.reset(d->root);  // shares the tree: assignments below change the document
  for (int i = 0; i + 1 < p.size(); ++i) {
    YAML::Node child = node[p[i].toStdString()];
    if (!child.IsMap()) child = YAML::Node(YAML::NodeType::Map);
    node.reset(child);
  }
  if (text.isEmpty())
    node[p.last().toStdString()] = YAML::Node(YAML::NodeType::Null);
  else
    node[p.last().toStdString()] = text.toStdString();
}

void RunConfigDocument::remove(const QString& key) {
  const QStringList p = parts(key);
  if (p.isEmpty() || !find(d->root, key).IsDefined()) return;
  YAML::Node node;
  node.reset(d->root);
  for (int i = 0; i + 1 < p.size(); ++i) {
    YAML::Node child = node[p[i].toStdString()];
    node.reset(child);
  }
  node.remove(p.last().toStdString());
}

qint64 RunConfigDocument::parseSteps(const QString& text) {
  QString t = text.trimmed();
  if (t.endsWith(QLatin1String("ba"))) t.chop(2);
  bool ok = false;
  const qint64 v = t.toLongLong(&ok);
  return ok && v >= 0 ? v : -1;
}
