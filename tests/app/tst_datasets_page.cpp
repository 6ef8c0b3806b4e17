// The Datasets page with real files: PNG and JPEG images with caption sidecars (and one broken
// file) are imported on a worker thread with progress, cancel and resume; the grid shows them
// with thumbnails decoded off the GUI thread; a caption edit, its undo and its redo reach the
// catalog; filters report live counts and the histograms follow; dropped near-duplicates are
// listed beside the image they repeat; shards are written. A catalog
// of 100,001 rows (one imported image, the rest inserted with SQL, since importing 100,000 files
// would take minutes here) opens and scrolls to its end reading only a few pages.

#include "models/catalog_model.h"
#include "pages/datasets_page.h"
#include "widgets/duplicate_review.h"
#include "widgets/histogram_plot.h"
#include "widgets/shard_upload.h"
#include "workers/thumbnail_loader.h"

#include "tessera/dataset.h"

#include <QCheckBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest/QtTest>

#include <pwd.h>
#include <sqlite3.h>

#include <cmath>
#include <numeric>

class TestDatasetsPage : public QObject {
  Q_OBJECT

  QTemporaryDir m_tmp;
  QString m_images;  // five images + one broken file
  QString m_catalog;
  DatasetsPage* m_page = nullptr;  // over m_catalog, for the tests that follow the import

  template <typename T>
  static T* child(QWidget* page, const char* name) {
    T* w = page->findChild<T*>(QLatin1String(name));
    if (w == nullptr) qFatal("no child %s", name);
    return w;
  }
  static void writeImage(const QString& dir, const QString& name, int w, int h, QColor color, const char* caption) {
    QImage image(w, h, QImage::Format_RGB32);
    image.fill(color);
    QVERIFY(image.save(QDir(dir).filePath(name)));
    QFile text(QDir(dir).filePath(name.section(QLatin1Char('.'), 0, 0) + QStringLiteral(".txt")));
    QVERIFY(text.open(QIODevice::WriteOnly));
    text.write(caption);
  }
  static std::vector<tessera::DatasetImage> rows(const QString& catalog) {
    std::vector<tessera::DatasetImage> images;
    const tessera::Status s = tessera::list_dataset_images(catalog.toStdString(), 0, -1, &images);
    if (!s.ok()) qWarning("%s", s.to_string().c_str());
    return images;
  }
  static bool import(DatasetsPage* page, const QString& catalog, const QString& source) {
    if (!QTest::qWaitFor([&] { return !page->isBusy(); }, 30000)) return false;
    child<QLineEdit>(page, "catalogPath")->setText(catalog);
    QTest::mouseClick(child<QPushButton>(page, "openButton"), Qt::LeftButton);
    if (!QTest::qWaitFor([&] { return !page->isBusy(); }, 30000)) return false;  // reading an existing catalog
    QSignalSpy opened(page, &DatasetsPage::statsUpdated);
    child<QLineEdit>(page, "importSource")->setText(source);
    QSignalSpy finished(page, &DatasetsPage::importFinished);
    QTest::mouseClick(child<QPushButton>(page, "importButton"), Qt::LeftButton);
    if (!QTest::qWaitFor([&] { return finished.count() == 1; }, 120000)) return false;
    return QTest::qWaitFor([&] { return opened.count() >= 1 && !page->isBusy(); }, 30000);
  }

 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("TesseraTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_datasets_page"));
    QSettings().clear();
    QVERIFY(m_tmp.isValid());
    m_images = m_tmp.filePath(QStringLiteral("images"));
    QVERIFY(QDir().mkpath(m_images));
    writeImage(m_images, QStringLiteral("a.png"), 64, 64, Qt::red, "a red square");
    writeImage(m_images, QStringLiteral("b.jpg"), 128, 64, Qt::green, "a wide green banner");
    writeImage(m_images, QStringLiteral("c.png"), 32, 96, Qt::blue, "a thin blue stripe");
    writeImage(m_images, QStringLiteral("d.jpg"), 200, 200, Qt::yellow, "a yellow square");
    writeImage(m_images, QStringLiteral("e.png"), 96, 96, Qt::magenta, "a magenta square");
    QFile broken(QDir(m_images).filePath(QStringLiteral("broken.jpg")));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("\xff\xd8\xff\xe0 this is not a JPEG");
    broken.close();
    m_catalog = m_tmp.filePath(QStringLiteral("cats.db"));
  }

  void cleanupTestCase() {
    delete m_page;
    QSettings().clear();
  }

  void importsAFolderAndListsProblemsByFile() {
    m_page = new DatasetsPage;
    m_page->resize(1200, 800);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page));
    child<QLineEdit>(m_page, "catalogPath")->setText(m_catalog);
    QTest::mouseClick(child<QPushButton>(m_page, "openButton"), Qt::LeftButton);
    QVERIFY2(child<QLabel>(m_page, "status")->text().contains(QStringLiteral("New catalog")),
             qPrintable(child<QLabel>(m_page, "status")->text()));
    QVERIFY(child<QPushButton>(m_page, "importButton")->isEnabled());
    QVERIFY(import(m_page, m_catalog, m_images));
    const QString status = child<QLabel>(m_page, "status")->text();
    QVERIFY2(status.contains(QStringLiteral("5 added")) && status.contains(QStringLiteral("1 could not")), qPrintable(status));
    auto* problems = child<QListWidget>(m_page, "problems");
    QCOMPARE(problems->count(), 1);
    QVERIFY(problems->isVisible());
    QVERIFY2(problems->item(0)->text().contains(QStringLiteral("broken.jpg")), qPrintable(problems->item(0)->text()));
    QCOMPARE(m_page->model()->rowCount(), 5);
    QCOMPARE(rows(m_catalog).size(), size_t(5));
  }

  void gridShowsThumbnailsDecodedOffTheGuiThread() {
    QVERIFY(m_page);
    CatalogModel* model = m_page->model();
    auto* grid = child<QListView>(m_page, "grid");
    QCOMPARE(grid->model(), model);
    QTRY_VERIFY(model->index(0).data(CatalogModel::LoadedRole).toBool());
    QCOMPARE(model->index(0).data(CatalogModel::CaptionRole).toString(), QStringLiteral("a red square"));
    QCOMPARE(model->index(0).data(Qt::DisplayRole).toString(), QStringLiteral("a.png"));
    // Rows arrive as a page, thumbnails one by one from the pool; meanwhile a placeholder.
    const QString path = model->index(0).data(CatalogModel::PathRole).toString();
    QTRY_VERIFY(model->thumbnails()->decodedCount() >= 5);
    QTRY_VERIFY(model->thumbnails()->cachedCount() >= 5);
    const QImage red = model->index(0).data(Qt::DecorationRole).value<QImage>();
    QCOMPARE(red.size(), QSize(64, 64));
    QCOMPARE(QColor(red.pixel(10, 10)), QColor(Qt::red));
    const QImage square = model->index(3).data(Qt::DecorationRole).value<QImage>();  // 200 px, scaled down
    QCOMPARE(square.size(), QSize(CatalogModel::kThumbnailSize, CatalogModel::kThumbnailSize));
    QVERIFY(!path.isEmpty());
    QVERIFY(grid->visualRect(model->index(4)).isValid());
  }

  void captionEditUndoAndRedoReachTheCatalog() {
    QVERIFY(m_page);
    auto* grid = child<QListView>(m_page, "grid");
    grid->setCurrentIndex(m_page->model()->index(1));
    auto* editor = child<QPlainTextEdit>(m_page, "captionEdit");
    QCOMPARE(editor->toPlainText(), QStringLiteral("a wide green banner"));
    editor->setPlainText(QStringLiteral("a long green flag"));
    QTest::mouseClick(child<QPushButton>(m_page, "saveCaption"), Qt::LeftButton);
    QCOMPARE(rows(m_catalog)[1].caption, std::string("a long green flag"));
    QCOMPARE(rows(m_catalog)[1].caption_original, std::string("a wide green banner"));
    QCOMPARE(m_page->model()->index(1).data(CatalogModel::CaptionRole).toString(), QStringLiteral("a long green flag"));
    QVERIFY(child<QLabel>(m_page, "originalCaption")->text().contains(QStringLiteral("a wide green banner")));
    // A second edit, then undo both and redo one.
    editor->setPlainText(QStringLiteral("a green flag"));
    QVERIFY(m_page->saveCaption());
    QCOMPARE(m_page->undoStack()->count(), 2);
    QTest::mouseClick(child<QPushButton>(m_page, "undoCaption"), Qt::LeftButton);
    QCOMPARE(rows(m_catalog)[1].caption, std::string("a long green flag"));
    QTest::mouseClick(child<QPushButton>(m_page, "undoCaption"), Qt::LeftButton);
    QCOMPARE(rows(m_catalog)[1].caption, std::string("a wide green banner"));
    QCOMPARE(editor->toPlainText(), QStringLiteral("a wide green banner"));
    QVERIFY(!child<QPushButton>(m_page, "undoCaption")->isEnabled());
    QTest::mouseClick(child<QPushButton>(m_page, "redoCaption"), Qt::LeftButton);
    QCOMPARE(rows(m_catalog)[1].caption, std::string("a long green flag"));
    QCOMPARE(editor->toPlainText(), QStringLiteral("a long green flag"));
    // Saving an unchanged caption adds no edit.
    QVERIFY(!m_page->saveCaption());
    QCOMPARE(m_page->undoStack()->count(), 2);
  }

  void filtersShowLiveCountsAndTheHistogramsFollow() {
    QVERIFY(m_page);
    QSignalSpy applied(m_page, &DatasetsPage::filtersApplied);
    QSignalSpy stats(m_page, &DatasetsPage::statsUpdated);
    QVERIFY(child<QCheckBox>(m_page, "liveFilters")->isChecked());
    child<QSpinBox>(m_page, "minSide")->setValue(64);  // drops c.png (32 px)
    QTRY_COMPARE_WITH_TIMEOUT(applied.count(), 1, 30000);
    QCOMPARE(applied.first().at(0).toLongLong(), 4);
    QCOMPARE(applied.first().at(1).toLongLong(), 5);
    QString counts = child<QLabel>(m_page, "filterCounts")->text();
    QVERIFY2(counts.contains(QStringLiteral("4 of 5")) && counts.contains(QStringLiteral("smaller side: 1 dropped")),
             qPrintable(counts));
    child<QDoubleSpinBox>(m_page, "maxAspect")->setValue(1.5);  // drops b.jpg (2.0)
    QTRY_COMPARE_WITH_TIMEOUT(applied.count(), 2, 30000);
    QCOMPARE(applied.last().at(0).toLongLong(), 3);
    counts = child<QLabel>(m_page, "filterCounts")->text();
    QVERIFY2(counts.contains(QStringLiteral("aspect ratio: 1 dropped")), qPrintable(counts));
    QTRY_VERIFY(stats.count() >= 2 && !m_page->isBusy());
    // The grid marks the dropped images; the catalog has the same decisions.
    QTRY_VERIFY(m_page->model()->index(2).data(CatalogModel::LoadedRole).toBool());
    QCOMPARE(m_page->model()->index(2).data(CatalogModel::KeptRole).toBool(), false);
    QCOMPARE(m_page->model()->index(0).data(CatalogModel::KeptRole).toBool(), true);
    QVERIFY(!rows(m_catalog)[2].decisions.empty());
    const auto sum = [](const QVector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); };
    auto* sides = child<HistogramPlot>(m_page, "sideHistogram");
    auto* aspects = child<HistogramPlot>(m_page, "aspectHistogram");
    QCOMPARE(sum(sides->allCounts()), 5.0);
    QCOMPARE(sum(sides->keptCounts()), 3.0);
    QCOMPARE(sum(aspects->allCounts()), 5.0);
    QCOMPARE(sum(aspects->keptCounts()), 3.0);
    QVERIFY(sides->labels().size() == sides->allCounts().size() && !sides->labels().isEmpty());
    // Switching the filters off keeps everything again.
    child<QSpinBox>(m_page, "minSide")->setValue(0);
    child<QDoubleSpinBox>(m_page, "maxAspect")->setValue(0);
    QTRY_VERIFY_WITH_TIMEOUT(applied.count() >= 3 && applied.last().at(0).toLongLong() == 5, 30000);
  }

  void nearDuplicatesAreShownBesideTheImageTheyRepeat() {
    // A pattern, the same pattern smaller (a near-duplicate), and its mirror image (not one).
    const QString dir = m_tmp.filePath(QStringLiteral("dups"));
    QVERIFY(QDir().mkpath(dir));
    QImage pattern(128, 128, QImage::Format_RGB32);
    for (int y = 0; y < 128; ++y)
      for (int x = 0; x < 128; ++x) {  // smooth, low frequencies only: what a perceptual hash sees
        const double v = 128 + 60 * std::sin(6.2832 * x / 128) * std::cos(3.1416 * y / 128) +
                         60 * std::exp(-((x - 30) * (x - 30) + (y - 40) * (y - 40)) / 600.0);
        const int g = qBound(0, int(v), 255);
        pattern.setPixel(x, y, qRgb(g, g, 255 - g));
      }
    QVERIFY(pattern.save(QDir(dir).filePath(QStringLiteral("big.png"))));
    QVERIFY(pattern.scaled(96, 96, Qt::IgnoreAspectRatio, Qt::SmoothTransformation).save(QDir(dir).filePath(QStringLiteral("small.png"))));
    QVERIFY(pattern.mirrored(true, true).save(QDir(dir).filePath(QStringLiteral("other.png"))));
    QSettings().clear();
    DatasetsPage page;
    const QString catalog = m_tmp.filePath(QStringLiteral("dups.db"));
    QVERIFY(import(&page, catalog, dir));
    QCOMPARE(page.model()->rowCount(), 3);
    QSignalSpy applied(&page, &DatasetsPage::filtersApplied);
    child<QSpinBox>(&page, "nearDuplicates")->setValue(4);
    QTRY_COMPARE_WITH_TIMEOUT(applied.count(), 1, 30000);
    QTRY_VERIFY(!page.isBusy());
    QVERIFY2(child<QLabel>(&page, "filterCounts")->text().contains(QStringLiteral("near-duplicate: 1 dropped")),
             qPrintable(child<QLabel>(&page, "filterCounts")->text()));
    auto* review = child<DuplicateReview>(&page, "duplicateReview");
    QSignalSpy searched(review, &DuplicateReview::searched);
    QVERIFY(child<QPushButton>(&page, "findDuplicates")->isEnabled());
    QTest::mouseClick(child<QPushButton>(&page, "findDuplicates"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(searched.count(), 1, 30000);
    QCOMPARE(searched.first().first().toInt(), 1);
    QCOMPARE(child<QListWidget>(&page, "duplicatePairs")->count(), 1);
    const DuplicatePair pair = review->pairs().first();
    QVERIFY2(pair.droppedPath.endsWith(QStringLiteral("small.png")), qPrintable(pair.droppedPath));
    QVERIFY2(pair.keptPath.endsWith(QStringLiteral("big.png")), qPrintable(pair.keptPath));
    QCOMPARE(pair.filter, QStringLiteral("near_duplicate"));
    QVERIFY(child<QLabel>(&page, "duplicateSummary")->text().startsWith(QStringLiteral("1 image")));

    // The person's verdict: keep the small one instead of the big one. The pair leaves the list,
    // the catalog records it, and a later filter run does not undo it.
    QVERIFY(child<QPushButton>(&page, "keepDroppedInstead")->isEnabled());
    QSignalSpy reviewed(review, &DuplicateReview::reviewed);
    QTest::mouseClick(child<QPushButton>(&page, "keepDroppedInstead"), Qt::LeftButton);
    QCOMPARE(reviewed.count(), 1);
    QCOMPARE(child<QListWidget>(&page, "duplicatePairs")->count(), 0);
    QVERIFY(!child<QPushButton>(&page, "keepBoth")->isEnabled());
    QTRY_VERIFY(!page.isBusy());
    const auto decisionsOf = [&](qint64 id) {
      std::vector<tessera::DatasetImage> images;
      if (!tessera::list_dataset_images(catalog.toStdString(), 0, -1, &images).ok()) return QStringList{QStringLiteral("?")};
      QStringList filters;
      for (const auto& im : images)
        if (im.id == id)
          for (const auto& d : im.decisions) filters << QString::fromStdString(d.filter);
      return filters;
    };
    QCOMPARE(decisionsOf(pair.droppedId), QStringList());
    QCOMPARE(decisionsOf(pair.keptId), QStringList{QStringLiteral("review")});
    child<QSpinBox>(&page, "nearDuplicates")->setValue(5);  // the filters run again
    QTRY_COMPARE_WITH_TIMEOUT(applied.count(), 2, 30000);
    QTRY_VERIFY(!page.isBusy());
    QCOMPARE(decisionsOf(pair.droppedId), QStringList());
    QCOMPARE(decisionsOf(pair.keptId), QStringList{QStringLiteral("review")});
  }

  void writesShards() {
    QVERIFY(m_page);
    QTRY_VERIFY(!m_page->isBusy());
    const QString out = m_tmp.filePath(QStringLiteral("shards"));
    child<QLineEdit>(m_page, "shardsOut")->setText(out);
    child<QSpinBox>(m_page, "shardsResize")->setValue(32);
    QSignalSpy written(m_page, &DatasetsPage::shardsWritten);
    QTest::mouseClick(child<QPushButton>(m_page, "writeShards"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(written.count(), 1, 60000);
    QVERIFY2(written.first().first().toBool(), qPrintable(child<QLabel>(m_page, "shardsStatus")->text()));
    QVERIFY(QFileInfo::exists(out + QStringLiteral("/index.json")));
    QVERIFY2(child<QLabel>(m_page, "shardsStatus")->text().startsWith(QStringLiteral("5 images")),
             qPrintable(child<QLabel>(m_page, "shardsStatus")->text()));
  }

  // The shards just written go to a host over SFTP (the test sshd): every file arrives, and a
  // second upload sends nothing that is already there.
  void uploadsTheShardsToAHost() {
    const QString infra = qEnvironmentVariable("TESSERA_INFRA_DIR");
    if (infra.isEmpty()) QSKIP("TESSERA_INFRA_DIR not set: run through ctest, which starts the test sshd");
    QVERIFY(m_page);
    QTRY_VERIFY(!m_page->isBusy());
    const auto read = [](const QString& path) {
      QFile f(path);
      return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    };
    const QString user = QString::fromUtf8(read(infra + QStringLiteral("/ssh/user")).trimmed());
    const QString port = QString::fromUtf8(read(infra + QStringLiteral("/ssh/port")).trimmed());
    QVERIFY2(!user.isEmpty() && !port.isEmpty(), "test sshd not set up");
    QSettings().setValue(QStringLiteral("ssh/identityFile"), infra + QStringLiteral("/ssh/id_ed25519"));
    QSettings().setValue(QStringLiteral("ssh/knownHostsFile"), infra + QStringLiteral("/ssh/known_hosts"));
    const QString out = m_tmp.filePath(QStringLiteral("shards"));
    QVERIFY2(QFileInfo::exists(out + QStringLiteral("/index.json")), "writesShards runs first");
    auto* upload = m_page->findChild<ShardUpload*>();
    QVERIFY(upload);
    const QString remote = QStringLiteral("tst_datasets_page-%1/shards").arg(QCoreApplication::applicationPid());
    child<QLineEdit>(m_page, "uploadHost")->setText(user + QStringLiteral("@127.0.0.1:") + port);
    child<QLineEdit>(m_page, "uploadFolder")->setText(remote);
    QSignalSpy done(upload, &ShardUpload::finished);
    QTest::mouseClick(child<QPushButton>(m_page, "uploadShards"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 60000);
    QVERIFY2(done.first().first().toBool(), qPrintable(done.first().at(1).toString()));
    // The host is this machine: its files are readable here.
    const struct passwd* pw = getpwnam(user.toUtf8().constData());
    QVERIFY(pw);
    const QDir there(QString::fromUtf8(pw->pw_dir) + QLatin1Char('/') + remote);
    const QStringList files = QDir(out).entryList(QDir::Files, QDir::Name);
    QCOMPARE(there.entryList(QDir::Files, QDir::Name), files);
    for (const QString& f : files) QCOMPARE(read(there.filePath(f)), read(QDir(out).filePath(f)));
    QTest::mouseClick(child<QPushButton>(m_page, "uploadShards"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 2, 60000);
    QVERIFY2(done.at(1).at(1).toString().contains(QStringLiteral(" 0 file(s) sent")), qPrintable(done.at(1).at(1).toString()));
    QVERIFY(QDir(QString::fromUtf8(pw->pw_dir) + QStringLiteral("/tst_datasets_page-%1").arg(QCoreApplication::applicationPid()))
                .removeRecursively());
    QSettings().remove(QStringLiteral("ssh"));
  }

  void cancelledImportKeepsWhatWasDoneAndResumes() {
    const QString many = m_tmp.filePath(QStringLiteral("many"));
    QVERIFY(QDir().mkpath(many));
    for (int i = 0; i < 300; ++i)
      writeImage(many, QStringLiteral("img%1.png").arg(i, 3, 10, QLatin1Char('0')), 8 + i % 7, 8, QColor(i % 255, 0, 0), "tiny");
    QSettings().clear();  // no catalog opened at start
    DatasetsPage page;
    const QString catalog = m_tmp.filePath(QStringLiteral("many.db"));
    child<QLineEdit>(&page, "catalogPath")->setText(catalog);
    QTest::mouseClick(child<QPushButton>(&page, "openButton"), Qt::LeftButton);
    child<QLineEdit>(&page, "importSource")->setText(many);
    QSignalSpy finished(&page, &DatasetsPage::importFinished);
    QTest::mouseClick(child<QPushButton>(&page, "importButton"), Qt::LeftButton);
    QVERIFY(child<QPushButton>(&page, "cancelButton")->isEnabled());
    QTest::mouseClick(child<QPushButton>(&page, "cancelButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QCOMPARE(finished.first().at(1).toBool(), true);  // cancelled
    QTRY_VERIFY(!page.isBusy());
    QVERIFY2(child<QLabel>(&page, "status")->text().contains(QStringLiteral("cancelled")),
             qPrintable(child<QLabel>(&page, "status")->text()));
    const size_t first = rows(catalog).size();
    QVERIFY2(first < 300, qPrintable(QString::number(first)));
    QVERIFY(import(&page, catalog, many));
    QCOMPARE(rows(catalog).size(), size_t(300));
    QCOMPARE(page.model()->rowCount(), 300);
  }

  void aHundredThousandRowsScrollWithoutLoadingThemAll() {
    const QString one = m_tmp.filePath(QStringLiteral("one"));
    QVERIFY(QDir().mkpath(one));
    writeImage(one, QStringLiteral("only.png"), 64, 48, Qt::cyan, "the only real image");
    const QString catalog = m_tmp.filePath(QStringLiteral("big.db"));
    QSettings().clear();
    {
      DatasetsPage importer;
      QVERIFY(import(&importer, catalog, one));
    }
    // 100,000 more rows, copies of the real one under other (missing) paths.
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(catalog.toUtf8().constData(), &db), SQLITE_OK);
    const char* sql =
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) "
        "INSERT INTO images (path, sha256, byte_size, mtime_ns, width, height, format, phash, caption_original, "
        "caption, tags, metadata, source, imported_at) "
        "SELECT '/nowhere/img' || i || '.png', sha256, byte_size, mtime_ns, width + i % 500, height, format, phash + i, "
        "'caption ' || i, 'caption ' || i, tags, metadata, source, imported_at FROM n, (SELECT * FROM images LIMIT 1)";
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
    QVERIFY2(rc == SQLITE_OK, error);
    sqlite3_close(db);

    QSettings().clear();
    DatasetsPage page;
    page.resize(1200, 800);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QSignalSpy opened(&page, &DatasetsPage::catalogOpened);
    child<QLineEdit>(&page, "catalogPath")->setText(catalog);
    QTest::mouseClick(child<QPushButton>(&page, "openButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 60000);
    CatalogModel* model = page.model();
    QCOMPARE(model->rowCount(), 100001);
    auto* grid = child<QListView>(&page, "grid");
    QTRY_VERIFY(model->index(0).data(CatalogModel::LoadedRole).toBool());
    QCOMPARE(model->index(0).data(CatalogModel::CaptionRole).toString(), QStringLiteral("the only real image"));
    QVERIFY2(model->pageReads() <= 2, qPrintable(QString::number(model->pageReads())));

    grid->scrollToBottom();
    const QModelIndex last = model->index(model->rowCount() - 1);
    QTRY_VERIFY_WITH_TIMEOUT(last.data(CatalogModel::LoadedRole).toBool(), 30000);
    QCOMPARE(last.data(CatalogModel::CaptionRole).toString(), QStringLiteral("caption 100000"));
    // Only the pages around what was shown were read, and few are kept.
    QVERIFY2(model->pageReads() <= 6, qPrintable(QString::number(model->pageReads())));
    QVERIFY(model->cachedPages() <= CatalogModel::kMaxPages);
    QVERIFY(model->thumbnails()->queuedCount() <= ThumbnailLoader::kMaxQueued);

    // A frame's worth of data() calls on loaded rows is a cache lookup.
    QVERIFY(grid->indexAt(grid->viewport()->rect().center()).isValid());
    QElapsedTimer frame;
    frame.start();
    for (int r = model->rowCount() - 60; r < model->rowCount(); ++r) {
      const QModelIndex i = model->index(r);
      (void)i.data(Qt::DisplayRole);
      (void)i.data(Qt::DecorationRole);
      (void)i.data(Qt::ToolTipRole);
    }
    QVERIFY2(frame.elapsed() < 100, qPrintable(QString::number(frame.elapsed())));

    // Paging through the whole catalog keeps memory bounded: never more than kMaxPages pages.
    const int reads = model->pageReads();
    for (int r = 0; r < model->rowCount(); r += 20 * CatalogModel::kPageSize) {
      grid->scrollTo(model->index(r));
      QTRY_VERIFY(model->index(r).data(CatalogModel::LoadedRole).toBool());
      QVERIFY(model->cachedPages() <= CatalogModel::kMaxPages);
    }
    QVERIFY(model->pageReads() - reads <= 2 * (model->rowCount() / (20 * CatalogModel::kPageSize) + 1) * 2);
  }
};

QTEST_MAIN(TestDatasetsPage)
#include "tst_datasets_page.moc"
