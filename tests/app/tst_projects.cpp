// Projects: a folder with a fixed layout, opened from the File menu, remembered in the recent
// list (QSettings) and reopened at the next start; the pages work in the project's folders.

#include "main_window.h"
#include "models/run_list_model.h"
#include "pages/generate_page.h"
#include "pages/runs_page.h"
#include "tessera/remote/run_registry.h"
#include "project.h"

#include <QAction>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QMenu>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest/QtTest>

class TestProjects : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir m_tmp;

  QString path(const QString& name) const { return m_tmp.filePath(name); }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_tmp.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("TesseraTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_projects"));
  }
  void init() { QSettings().clear(); }

  void createMakesTheLayout() {
    QString error;
    const Project p = Project::create(path(QStringLiteral("cats")), &error);
    QVERIFY2(p.isValid(), qPrintable(error));
    QCOMPARE(p.name(), QStringLiteral("cats"));
    QVERIFY(QFileInfo::exists(path(QStringLiteral("cats/tessera-project.json"))));
    for (const QString& sub : {QStringLiteral("configs"), QStringLiteral("runs"), QStringLiteral("images")})
      QVERIFY2(QFileInfo(path(QStringLiteral("cats/") + sub)).isDir(), qPrintable(sub));
    QCOMPARE(p.catalogPath(), path(QStringLiteral("cats/catalog.sqlite")));
    QCOMPARE(p.imagesFolder(), path(QStringLiteral("cats/images")));
    QCOMPARE(p.configsFolder(), path(QStringLiteral("cats/configs")));
    // Creating it again opens it; a removed sub-folder comes back.
    QVERIFY(QDir(path(QStringLiteral("cats/runs"))).removeRecursively());
    QVERIFY(Project::create(path(QStringLiteral("cats")), &error).isValid());
    QVERIFY(QFileInfo(path(QStringLiteral("cats/runs"))).isDir());
  }

  void refusesWhatIsNotAProject() {
    QString error;
    QVERIFY(QDir().mkpath(path(QStringLiteral("holiday-photos"))));
    QFile photo(path(QStringLiteral("holiday-photos/beach.jpg")));
    QVERIFY(photo.open(QIODevice::WriteOnly));
    photo.close();
    QVERIFY(!Project::create(path(QStringLiteral("holiday-photos")), &error).isValid());  // not empty
    QVERIFY2(error.contains(QStringLiteral("already holds other files")), qPrintable(error));
    error.clear();
    QVERIFY(!Project::open(path(QStringLiteral("holiday-photos")), &error).isValid());
    QVERIFY2(error.contains(QStringLiteral("not a Tessera project")), qPrintable(error));
    // A marker from a newer version is refused with what to do.
    QVERIFY(QDir().mkpath(path(QStringLiteral("future"))));
    QFile marker(path(QStringLiteral("future/tessera-project.json")));
    QVERIFY(marker.open(QIODevice::WriteOnly));
    marker.write(R"({"format": "tessera-project", "version": 99, "name": "future"})");
    marker.close();
    QVERIFY(!Project::open(path(QStringLiteral("future")), &error).isValid());
    QVERIFY2(error.contains(QStringLiteral("newer")), qPrintable(error));
  }

  void recentListIsNewestFirstUniqueAndBounded() {
    QString error;
    QStringList made;
    for (int i = 0; i < RecentProjects::kMaximum + 2; ++i) {
      const Project p = Project::create(path(QStringLiteral("recent-%1").arg(i)), &error);
      QVERIFY2(p.isValid(), qPrintable(error));
      RecentProjects::add(p.folder());
      made.prepend(p.folder());
    }
    QCOMPARE(RecentProjects::list(), made.mid(0, RecentProjects::kMaximum));
    RecentProjects::add(made[3]);  // reopening moves it to the top, once
    QCOMPARE(RecentProjects::list().first(), made[3]);
    QCOMPARE(RecentProjects::list().count(made[3]), 1);
    QVERIFY(QDir(made[0]).removeRecursively());  // a project deleted on disk drops out
    QVERIFY(!RecentProjects::list().contains(made[0]));
    RecentProjects::clear();
    QVERIFY(RecentProjects::list().isEmpty());
  }

  void openingPointsThePagesAtTheProject() {
    QString error;
    const Project p = Project::create(path(QStringLiteral("lighthouses")), &error);
    QVERIFY2(p.isValid(), qPrintable(error));
    MainWindow w;
    QVERIFY(!w.project().isValid());
    QVERIFY(!w.openProject(path(QStringLiteral("no-such-folder")), &error));
    QVERIFY(w.openProject(p.folder(), &error));
    QCOMPARE(w.project().folder(), p.folder());
    QCOMPARE(w.windowTitle(), QStringLiteral("lighthouses — Tessera Studio"));
    auto* catalog = w.findChild<QLineEdit*>(QStringLiteral("catalogPath"));
    QVERIFY(catalog);
    QCOMPARE(QDir::fromNativeSeparators(catalog->text()), p.catalogPath());
    auto* output = w.findChild<GeneratePage*>()->findChild<QLineEdit*>(QStringLiteral("outputFolder"));
    QCOMPARE(QDir::fromNativeSeparators(output->text()), p.imagesFolder());
    QCOMPARE(QSettings().value(QStringLiteral("train/folder")).toString(), p.configsFolder());

    // The recent menu lists it; the next start reopens it.
    auto* recent = w.findChild<QMenu*>(QStringLiteral("recentProjectsMenu"));
    QVERIFY(recent);
    Q_EMIT recent->aboutToShow();
    QStringList listed;
    for (QAction* a : recent->actions()) listed << a->data().toString();
    QVERIFY2(listed.contains(p.folder()), qPrintable(listed.join(QLatin1Char(','))));
    MainWindow next;
    QCOMPARE(next.project().folder(), p.folder());

    // Choosing another project from the recent menu switches to it.
    const Project other = Project::create(path(QStringLiteral("portraits")), &error);
    RecentProjects::add(other.folder());
    Q_EMIT recent->aboutToShow();
    QAction* pick = nullptr;
    for (QAction* a : recent->actions())
      if (a->data().toString() == other.folder()) pick = a;
    QVERIFY(pick);
    pick->trigger();
    QCOMPARE(w.project().name(), QStringLiteral("portraits"));
    QCOMPARE(QDir::fromNativeSeparators(catalog->text()), other.catalogPath());
  }

  // Each project keeps its own run registry: the Runs page lists the open project's runs and
  // switches with the project; the Train page records launches there.
  void runsAreListedPerProject() {
    QString error;
    const Project first = Project::create(path(QStringLiteral("first")), &error);
    const Project second = Project::create(path(QStringLiteral("second")), &error);
    QVERIFY2(first.isValid() && second.isValid(), qPrintable(error));
    QVERIFY(QDir(first.registryFolder()).exists());
    QCOMPARE(first.registryFolder(), tessera::remote::RunRegistry::projectFolder(first.folder()));
    tessera::remote::RunRegistry registry(first.registryFolder());
    tessera::remote::RunRecord r;
    r.id = registry.newRunId(QStringLiteral("stage one"));
    r.name = QStringLiteral("stage one");
    r.launcher = QStringLiteral("ssh");
    r.hosts = {QStringLiteral("gpu-1")};
    r.runDir = QStringLiteral("runs/stage-one");
    r.state = tessera::remote::RunState::Succeeded;
    r.exitCode = 0;
    r.created = r.updated = QDateTime::currentDateTimeUtc();
    QVERIFY2(registry.save(r, &error), qPrintable(error));

    MainWindow w;
    auto* runs = w.findChild<RunsPage*>();
    QVERIFY(runs);
    QVERIFY(w.openProject(first.folder(), &error));
    QCOMPARE(runs->registryFolder(), first.registryFolder());
    QVERIFY(runs->model()->rowOf(r.id) >= 0);
    QVERIFY(w.openProject(second.folder(), &error));
    QCOMPARE(runs->registryFolder(), second.registryFolder());
    QCOMPARE(runs->model()->rowOf(r.id), -1);
  }
};

QTEST_MAIN(TestProjects)
#include "tst_projects.moc"
