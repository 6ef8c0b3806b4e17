#pragma once

#include <QString>
#include <QStringList>

// A Tessera project: one folder holding everything one model's work needs (docs/PROJECTS.md):
//
//   <folder>/tessera-project.json   marker: {"format": "tessera-project", "version": 1, "name": …}
//   <folder>/catalog.sqlite         the image catalog (Datasets page; created by the first import)
//   <folder>/configs/               run configs (Train page: Open… and Save as… start here)
//   <folder>/runs/                  run folders of runs launched on this machine
//   <folder>/registry/              the project's run registry: one record per run, wherever it runs
//   <folder>/images/                generated images (Generate page: output folder and gallery)
//
// tessera-remote shares a project's registry with --project <folder>; without a project open,
// the studio uses the per-user registry (~/.local/share/tessera/runs), as tessera-remote does
// by default.
class Project {
 public:
  Project() = default;

  // Creates the layout in `folder` (which may exist, but must not hold another kind of folder's
  // files: it is refused unless empty or already a project). Returns an invalid project and says
  // why in *error.
  static Project create(const QString& folder, QString* error);
  // Opens an existing project folder (one with tessera-project.json).
  static Project open(const QString& folder, QString* error);

  bool isValid() const { return !m_folder.isEmpty(); }
  const QString& folder() const { return m_folder; }
  const QString& name() const { return m_name; }
  QString catalogPath() const;
  QString configsFolder() const;
  QString runsFolder() const;
  QString registryFolder() const;
  QString imagesFolder() const;

  static QString markerFileName();

 private:
  QString m_folder;  // absolute, clean
  QString m_name;
};

// The recently opened projects, newest first, kept in QSettings (projects/recent, at most 8;
// folders that are gone are dropped when read).
namespace RecentProjects {
inline constexpr int kMaximum = 8;
inline constexpr const char* kRecentKey = "projects/recent";
inline constexpr const char* kCurrentKey = "projects/current";  // reopened at the next start
QStringList list();
void add(const QString& folder);
void clear();
}  // namespace RecentProjects
