#include "project.h"

#include "tessera/remote/run_registry.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSettings>

namespace {
const char* const kFormat = "tessera-project";
constexpr int kVersion = 1;

QString tr(const char* text) { return QCoreApplication::translate("Project", text); }

bool makeLayout(const QDir& dir, QString* error) {
  for (const char* sub : {"configs", "runs", "registry", "images"}) {
    if (!dir.mkpath(QLatin1String(sub))) {
      *error = tr("Cannot create %1.").arg(QDir::toNativeSeparators(dir.filePath(QLatin1String(sub))));
      return false;
    }
  }
  return true;
}
}  // namespace

QString Project::markerFileName() { return QStringLiteral("tessera-project.json"); }
QString Project::catalogPath() const { return QDir(m_folder).filePath(QStringLiteral("catalog.sqlite")); }
QString Project::configsFolder() const { return QDir(m_folder).filePath(QStringLiteral("configs")); }
QString Project::runsFolder() const { return QDir(m_folder).filePath(QStringLiteral("runs")); }
QString Project::registryFolder() const { return tessera::remote::RunRegistry::projectFolder(m_folder); }
QString Project::imagesFolder() const { return QDir(m_folder).filePath(QStringLiteral("images")); }

Project Project::create(const QString& folder, QString* error) {
  const QString path = QDir::cleanPath(QFileInfo(folder).absoluteFilePath());
  const QFileInfo info(path);
  if (info.exists() && !info.isDir()) {
    *error = tr("%1 is a file, not a folder.").arg(QDir::toNativeSeparators(path));
    return {};
  }
  QDir dir(path);
  if (dir.exists(markerFileName())) return open(path, error);  // creating it again opens it
  if (info.exists() && !dir.isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)) {
    *error = tr("%1 already holds other files: choose an empty or new folder.").arg(QDir::toNativeSeparators(path));
    return {};
  }
  if (!QDir().mkpath(path) || !makeLayout(dir, error)) {
    if (error->isEmpty()) *error = tr("Cannot create %1.").arg(QDir::toNativeSeparators(path));
    return {};
  }
  QJsonObject marker{{QStringLiteral("format"), QLatin1String(kFormat)},
                     {QStringLiteral("version"), kVersion},
                     {QStringLiteral("name"), dir.dirName()}};
  QSaveFile file(dir.filePath(markerFileName()));
  if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(marker).toJson()) < 0 || !file.commit()) {
    *error = tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(file.fileName()), file.errorString());
    return {};
  }
  return open(path, error);
}

Project Project::open(const QString& folder, QString* error) {
  const QString path = QDir::cleanPath(QFileInfo(folder).absoluteFilePath());
  QFile file(QDir(path).filePath(markerFileName()));
  if (!file.open(QIODevice::ReadOnly)) {
    *error = tr("%1 is not a Tessera project (it has no %2).").arg(QDir::toNativeSeparators(path), markerFileName());
    return {};
  }
  const QJsonObject marker = QJsonDocument::fromJson(file.readAll()).object();
  if (marker.value(QStringLiteral("format")).toString() != QLatin1String(kFormat)) {
    *error = tr("%1 is not a Tessera project file.").arg(QDir::toNativeSeparators(file.fileName()));
    return {};
  }
  if (marker.value(QStringLiteral("version")).toInt() > kVersion) {
    *error = tr("%1 was made by a newer Tessera Studio: update it to open this project.").arg(QDir::toNativeSeparators(path));
    return {};
  }
  QDir dir(path);
  if (!makeLayout(dir, error)) return {};  // a folder removed by hand comes back empty
  Project p;
  p.m_folder = path;
  p.m_name = marker.value(QStringLiteral("name")).toString(dir.dirName());
  return p;
}

namespace RecentProjects {

QStringList list() {
  QStringList folders;
  for (const QString& f : QSettings().value(QLatin1String(kRecentKey)).toStringList()) {
    if (QFileInfo::exists(QDir(f).filePath(Project::markerFileName())) && !folders.contains(f)) folders << f;
  }
  return folders.mid(0, kMaximum);
}

void add(const QString& folder) {
  QStringList folders = list();
  folders.removeAll(folder);
  folders.prepend(folder);
  QSettings().setValue(QLatin1String(kRecentKey), folders.mid(0, kMaximum));
}

void clear() { QSettings().remove(QLatin1String(kRecentKey)); }

}  // namespace RecentProjects
