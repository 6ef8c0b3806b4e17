#pragma once

#include "project.h"

#include <QMainWindow>
#include <QStyle>

class DatasetsPage;
class GeneratePage;
class QListWidget;
class QMenu;
class QStackedWidget;
class RunsPage;
class TrainPage;

// The studio's frame: a navigation list on the left (Datasets, Train, Runs, Generate, Evaluate),
// the current page on the right, menus and a status line with the engine's runtime.
class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  int pageCount() const;
  QString pageTitle(int index) const;
  int currentPage() const;
  void showPage(int index);

  // Opens a project folder (File > Open Project, Open Recent) and points the pages at it: the
  // Datasets catalog, the Train page's config folder, the Generate output folder. Remembered as
  // the most recent project and reopened at the next start. False (and *error) when it is not one.
  bool openProject(const QString& folder, QString* error = nullptr);
  const Project& project() const { return m_project; }

 Q_SIGNALS:
  void pageChanged(int index);

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void addPage(QWidget* page, const QString& title, QStyle::StandardPixmap icon);
  void createMenus();
  void handleAbout();
  void handleNewProject();
  void handleOpenProject();
  void updateRecentMenu();
  void applyProject();

  QListWidget* m_navigation = nullptr;
  QStackedWidget* m_pages = nullptr;
  DatasetsPage* m_datasets = nullptr;
  TrainPage* m_train = nullptr;
  RunsPage* m_runs = nullptr;
  GeneratePage* m_generate = nullptr;
  QMenu* m_recentMenu = nullptr;
  Project m_project;
};
