#include "main_window.h"

#include "about_dialog.h"
#include "language.h"
#include "pages/evaluate_page.h"
#include "pages/datasets_page.h"
#include "pages/generate_page.h"
#include "pages/placeholder_page.h"
#include "pages/runs_page.h"
#include "pages/train_page.h"

#include "tessera/runtime.h"

#include <QAction>
#include <QAbstractButton>
#include <QActionGroup>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLineEdit>
#include <QMessageBox>
#include <QApplication>
#include <QCloseEvent>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>

namespace {
// Typed settings keys (one place, so a typo cannot silently create a new key).
const char* const kGeometryKey = "mainWindow/geometry";
const char* const kStateKey = "mainWindow/state";
const char* const kPageKey = "mainWindow/page";
}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("Tessera Studio"));
  setWindowIcon(QIcon(QStringLiteral(":/icons/tessera.svg")));

  auto* central = new QWidget(this);
  auto* layout = new QHBoxLayout(central);
  layout->setContentsMargins(0, 0, 0, 0);
  m_navigation = new QListWidget(central);
  m_navigation->setObjectName(QStringLiteral("navigation"));
  m_navigation->setFixedWidth(170);
  m_navigation->setIconSize(QSize(24, 24));
  m_navigation->setUniformItemSizes(true);
  m_navigation->setSpacing(3);
  m_pages = new QStackedWidget(central);
  m_pages->setObjectName(QStringLiteral("pages"));
  layout->addWidget(m_navigation);
  layout->addWidget(m_pages, 1);
  setCentralWidget(central);

  m_datasets = new DatasetsPage(this);
  addPage(m_datasets, tr("Datasets"), QStyle::SP_DirIcon);
  auto* train = new TrainPage(this);
  m_train = train;
  addPage(train, tr("Train"), QStyle::SP_MediaPlay);
  m_runs = new RunsPage(tessera::remote::RunRegistry::defaultFolder(), this);
  addPage(m_runs, tr("Runs"), QStyle::SP_FileDialogDetailedView);
  // A run launched from the Train page shows up on the Runs page at once.
  connect(train, &TrainPage::runLaunched, m_runs, &RunsPage::reload);
  m_generate = new GeneratePage(this);
  addPage(m_generate, tr("Generate"), QStyle::SP_DesktopIcon);
  addPage(new EvaluatePage(this), tr("Evaluate"), QStyle::SP_DialogApplyButton);

  connect(m_navigation, &QListWidget::currentRowChanged, this, [this](int row) {
    if (row < 0) return;
    m_pages->setCurrentIndex(row);
    Q_EMIT pageChanged(row);
  });

  createMenus();

  const tessera::RuntimeInfo info = tessera::runtime_info();
  auto* runtime = new QLabel(
      tr("LibTorch %1 · %2 · %3 CPU threads")
          .arg(QString::fromStdString(info.torch_version),
               info.cuda_available ? tr("%n CUDA device(s)", nullptr, int(info.cuda_devices.size())) : tr("CPU only"))
          .arg(info.intra_op_threads),
      this);
  runtime->setObjectName(QStringLiteral("runtimeLabel"));
  statusBar()->addPermanentWidget(runtime);

  QSettings settings;
  restoreGeometry(settings.value(QLatin1String(kGeometryKey)).toByteArray());
  restoreState(settings.value(QLatin1String(kStateKey)).toByteArray());
  if (!settings.contains(QLatin1String(kGeometryKey))) resize(1100, 720);
  const int page = settings.value(QLatin1String(kPageKey), 0).toInt();
  showPage(page >= 0 && page < pageCount() ? page : 0);

  // The project open when the studio last closed (quietly skipped when it is gone).
  const QString current = settings.value(QLatin1String(RecentProjects::kCurrentKey)).toString();
  if (!current.isEmpty()) (void)openProject(current);
}

MainWindow::~MainWindow() = default;

void MainWindow::addPage(QWidget* page, const QString& title, QStyle::StandardPixmap icon) {
  const int index = m_pages->addWidget(page);
  auto* item = new QListWidgetItem(style()->standardIcon(icon), title, m_navigation);
  item->setToolTip(tr("%1 (Ctrl+%2)").arg(title).arg(index + 1));
}

void MainWindow::createMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* newProject = file->addAction(tr("&New Project…"), this, &MainWindow::handleNewProject);
  newProject->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
  newProject->setObjectName(QStringLiteral("newProjectAction"));
  QAction* openProjectAction = file->addAction(tr("&Open Project…"), this, &MainWindow::handleOpenProject);
  openProjectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
  openProjectAction->setObjectName(QStringLiteral("openProjectAction"));
  m_recentMenu = file->addMenu(tr("Open &Recent"));
  m_recentMenu->setObjectName(QStringLiteral("recentProjectsMenu"));
  connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::updateRecentMenu);
  updateRecentMenu();
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);
  quit->setObjectName(QStringLiteral("quitAction"));

  QMenu* view = menuBar()->addMenu(tr("&View"));
  for (int i = 0; i < pageCount(); ++i) {
    QAction* go = view->addAction(pageTitle(i), this, [this, i] { showPage(i); });
    go->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + i)));
  }

  // The interface language: stored now, applied at the next start (translators are installed
  // before any window exists, so every string comes out in one language).
  QMenu* settingsMenu = menuBar()->addMenu(tr("&Settings"));
  QMenu* language = settingsMenu->addMenu(tr("&Language"));
  language->setObjectName(QStringLiteral("languageMenu"));
  auto* languages = new QActionGroup(language);
  const QString chosen = Language::current();
  for (const QString& code : Language::codes()) {
    QAction* choice = language->addAction(Language::displayName(code));
    choice->setObjectName(QStringLiteral("language_%1").arg(code.isEmpty() ? QStringLiteral("system") : code));
    choice->setCheckable(true);
    choice->setChecked(code == chosen);
    languages->addAction(choice);
    connect(choice, &QAction::triggered, this, [this, code] {
      Language::setCurrent(code);
      statusBar()->showMessage(tr("The language changes to %1 when Tessera Studio is restarted.")
                                   .arg(Language::displayName(code)),
                               15000);
    });
  }
  language->addSeparator();
  language->addAction(tr("Takes effect after a restart"))->setEnabled(false);

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About Tessera Studio"), this, &MainWindow::handleAbout);
  help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::handleNewProject() {
  const QString folder = QFileDialog::getExistingDirectory(this, tr("New project: choose or create an empty folder"));
  if (folder.isEmpty()) return;
  QString error;
  const Project created = Project::create(folder, &error);
  if (!created.isValid() || !openProject(created.folder(), &error)) {
    QMessageBox::warning(this, tr("New project"), error);
  }
}

void MainWindow::handleOpenProject() {
  const QString folder = QFileDialog::getExistingDirectory(this, tr("Open a project folder"));
  if (folder.isEmpty()) return;
  QString error;
  if (!openProject(folder, &error)) QMessageBox::warning(this, tr("Open project"), error);
}

void MainWindow::updateRecentMenu() {
  m_recentMenu->clear();
  const QStringList recent = RecentProjects::list();
  for (int i = 0; i < recent.size(); ++i) {
    const QString folder = recent[i];
    QAction* open = m_recentMenu->addAction(QStringLiteral("&%1 %2").arg(i + 1).arg(QDir::toNativeSeparators(folder)),
                                            this, [this, folder] {
                                              QString error;
                                              if (!openProject(folder, &error)) QMessageBox::warning(this, tr("Open project"), error);
                                            });
    open->setData(folder);
  }
  if (recent.isEmpty()) m_recentMenu->addAction(tr("No recent projects"))->setEnabled(false);
  m_recentMenu->addSeparator();
  QAction* clear = m_recentMenu->addAction(tr("&Clear the list"), this, [this] {
    RecentProjects::clear();
    updateRecentMenu();
  });
  clear->setEnabled(!recent.isEmpty());
}

bool MainWindow::openProject(const QString& folder, QString* error) {
  QString why;
  Project opened = Project::open(folder, &why);
  if (!opened.isValid()) {
    if (error) *error = why;
    return false;
  }
  m_project = opened;
  RecentProjects::add(m_project.folder());
  QSettings().setValue(QLatin1String(RecentProjects::kCurrentKey), m_project.folder());
  updateRecentMenu();
  applyProject();
  return true;
}

void MainWindow::applyProject() {
  setWindowTitle(tr("%1 — Tessera Studio").arg(m_project.name()));
  // The Datasets page opens the project's catalog as if typed in and opened (a new project's
  // catalog is created by its first import).
  auto* catalog = m_datasets->findChild<QLineEdit*>(QStringLiteral("catalogPath"));
  auto* open = m_datasets->findChild<QAbstractButton*>(QStringLiteral("openButton"));
  if (catalog != nullptr) catalog->setText(QDir::toNativeSeparators(m_project.catalogPath()));
  if (open != nullptr && open->isEnabled()) open->click();
  m_train->setConfigFolder(m_project.configsFolder());
  // The project's runs: launched from here into its registry, listed from it.
  m_train->setRegistryFolder(m_project.registryFolder());
  m_runs->setRegistryFolder(m_project.registryFolder());
  m_generate->setOutputFolder(m_project.imagesFolder());
  statusBar()->showMessage(tr("Project %1 opened.").arg(QDir::toNativeSeparators(m_project.folder())), 8000);
}

void MainWindow::handleAbout() {
  AboutDialog dialog(this);
  dialog.exec();
}

int MainWindow::pageCount() const { return m_pages->count(); }

QString MainWindow::pageTitle(int index) const {
  const QListWidgetItem* item = m_navigation->item(index);
  return item != nullptr ? item->text() : QString();
}

int MainWindow::currentPage() const { return m_pages->currentIndex(); }

void MainWindow::showPage(int index) {
  if (index < 0 || index >= pageCount()) return;
  m_navigation->setCurrentRow(index);
}

void MainWindow::closeEvent(QCloseEvent* event) {
  QSettings settings;
  settings.setValue(QLatin1String(kGeometryKey), saveGeometry());
  settings.setValue(QLatin1String(kStateKey), saveState());
  settings.setValue(QLatin1String(kPageKey), currentPage());
  event->accept();
}
