// The SQLite catalog (schema, migrations, WAL reader during a write, edits kept), the CSV
// parser, and every filter with the reasons it records.

#include "catalog/catalog.h"
#include "catalog/filters.h"
#include "catalog/manifest.h"
#include "catalog/stats.h"
#include "tessera/dataset.h"
#include "tessera/error.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <atomic>
#include <map>
#include <thread>

using namespace tessera::catalog;

namespace {

ImageRecord record(const std::string& path, int w, int h, const std::string& caption, uint64_t phash = 0,
                   const std::string& metadata = "{}") {
  ImageRecord r;
  r.path = path;
  r.sha256 = std::string(64, 'a');
  r.byte_size = 100;
  r.width = w;
  r.height = h;
  r.format = "png";
  r.phash = phash;
  r.caption_original = caption;
  r.metadata_json = metadata;
  r.source = "test";
  r.imported_at = utc_now();
  return r;
}

// filter name per image id ("" = kept)
std::map<int64_t, std::string> decisions_by_image(Catalog& c) {
  std::map<int64_t, std::string> out;
  for (const ImageRecord& r : c.images()) out[r.id] = "";
  for (const Decision& d : c.decisions()) out[d.image_id] += (out[d.image_id].empty() ? "" : ",") + d.filter;
  return out;
}

}  // namespace

class TestCatalog : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void createsSchemaInWalMode() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("c.db").toStdString();
    {
      Catalog c = Catalog::open(path, true);
      QCOMPARE(c.db().user_version(), current_schema_version());
      Statement s = c.db().prepare("PRAGMA journal_mode");
      QVERIFY(s.step());
      QCOMPARE(QString::fromStdString(s.column_text(0)), QStringLiteral("wal"));
      c.upsert_image(record("/x/a.png", 10, 10, "a"));
    }
    Catalog again = Catalog::open(path, false);  // no migration to redo, data intact
    QCOMPARE(again.image_count(), int64_t{1});
  }

  void refusesNewerSchemasAndMissingFiles() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("c.db").toStdString();
    { Catalog::open(path, true).db().set_user_version(current_schema_version() + 1); }
    QVERIFY_THROWS_EXCEPTION(tessera::Error, Catalog::open(path, false));
    QVERIFY_THROWS_EXCEPTION(tessera::Error, Catalog::open(dir.filePath("missing.db").toStdString(), false));
    QVERIFY_THROWS_EXCEPTION(tessera::Error, Catalog::open_read_only(dir.filePath("missing.db").toStdString()));
  }

  void migratesAnEmptyVersionZeroFile() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("c.db").toStdString();
    { Database::open(path, true).exec("CREATE TABLE unrelated (x)"); }  // user_version 0
    Catalog c = Catalog::open(path, false);
    QCOMPARE(c.db().user_version(), current_schema_version());
    QCOMPARE(c.image_count(), int64_t{0});
  }

  void editsKeepTheOriginalCaption() {
    QTemporaryDir dir;
    Catalog c = Catalog::open(dir.filePath("c.db").toStdString(), true);
    const int64_t id = c.upsert_image(record("/x/a.png", 10, 10, "a dog"));
    c.set_caption(id, "a brown dog on grass");
    // a changed file re-imported: the edit stays, the original follows the source
    ImageRecord changed = record("/x/a.png", 20, 20, "a dog running");
    QCOMPARE(c.upsert_image(changed), id);
    const auto r = c.image(id);
    QVERIFY(r.has_value());
    QCOMPARE(QString::fromStdString(r->caption), QStringLiteral("a brown dog on grass"));
    QCOMPARE(QString::fromStdString(r->caption_original), QStringLiteral("a dog running"));
    QCOMPARE(r->width, 20);
    // unedited captions follow the source
    const int64_t id2 = c.upsert_image(record("/x/b.png", 10, 10, "cat"));
    c.update_caption_and_metadata(id2, "a cat", "{\"aesthetic\":5}");
    QCOMPARE(QString::fromStdString(c.image(id2)->caption), QStringLiteral("a cat"));
  }

  void readerWorksWhileAWriterWrites() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("c.db").toStdString();
    Catalog writer = Catalog::open(path, true);
    writer.upsert_image(record("/x/first.png", 10, 10, "first"));
    std::atomic<bool> in_transaction{false};
    std::atomic<bool> reader_done{false};
    std::atomic<int64_t> seen_during{-1};
    std::string reader_error;
    std::thread reader([&] {
      try {
        while (!in_transaction) std::this_thread::yield();
        Catalog r = Catalog::open_read_only(path);
        seen_during = r.image_count();  // must not block on the open write transaction
        reader_done = true;
      } catch (const std::exception& e) {
        reader_error = e.what();
        reader_done = true;
      }
    });
    {
      Transaction t(writer.db());
      for (int i = 0; i < 100; ++i) writer.upsert_image(record("/x/" + std::to_string(i) + ".png", 10, 10, "x"));
      in_transaction = true;
      for (int i = 0; i < 500 && !reader_done; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      QVERIFY2(reader_done.load(), "the reader blocked while the writer held its transaction");
      t.commit();
    }
    reader.join();
    QVERIFY2(reader_error.empty(), reader_error.c_str());
    QCOMPARE(seen_during.load(), int64_t{1});  // the last committed state
    QCOMPARE(Catalog::open_read_only(path).image_count(), int64_t{101});
  }

  // The case WAL exists for: a reader in the middle of a read transaction does not stop a
  // writer from committing (with a rollback journal the COMMIT would wait for the reader).
  void writerCommitsWhileAReaderReads() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("c.db").toStdString();
    Catalog writer = Catalog::open(path, true);
    writer.upsert_image(record("/x/first.png", 10, 10, "first"));
    Catalog reader = Catalog::open_read_only(path);
    reader.db().exec("BEGIN");
    QCOMPARE(reader.image_count(), int64_t{1});  // the read transaction holds its snapshot from here
    QElapsedTimer timer;
    timer.start();
    {
      Transaction t(writer.db());
      for (int i = 0; i < 100; ++i) writer.upsert_image(record("/x/" + std::to_string(i) + ".png", 10, 10, "x"));
      t.commit();
    }
    QVERIFY2(timer.elapsed() < 3000, "the commit waited for the reader");
    QCOMPARE(reader.image_count(), int64_t{1});  // still its snapshot
    reader.db().exec("COMMIT");
    QCOMPARE(reader.image_count(), int64_t{101});
  }

  void csvHandlesQuotesCommasAndNewlines() {
    const std::string text =
        "\xEF\xBB\xBF" "path,caption,aesthetic\r\n"
        "a.jpg,\"a cat, sitting\",5.5\r\n"
        "b.jpg,\"two\nlines with \"\"quotes\"\"\",4\n"
        "\n"
        "c.jpg,,\n";
    const std::vector<CsvRecord> rows = parse_csv(text);
    QCOMPARE(rows.size(), size_t{4});
    QCOMPARE(rows[0].fields, (std::vector<std::string>{"path", "caption", "aesthetic"}));
    QCOMPARE(rows[1].fields, (std::vector<std::string>{"a.jpg", "a cat, sitting", "5.5"}));
    QCOMPARE(rows[2].fields, (std::vector<std::string>{"b.jpg", "two\nlines with \"quotes\"", "4"}));
    QCOMPARE(rows[3].fields, (std::vector<std::string>{"c.jpg", "", ""}));
    QCOMPARE(rows[3].line, int64_t{6});
    QVERIFY_THROWS_EXCEPTION(tessera::Error, parse_csv("path\n\"never closed\n"));
  }

  void englishHeuristic_data() {
    QTest::addColumn<QString>("caption");
    QTest::addColumn<bool>("english");
    QTest::newRow("sentence") << "a photo of a cat sitting on the table" << true;
    QTest::newRow("tags") << "sunset beach palm trees ocean" << true;
    QTest::newRow("short") << "portrait" << true;
    QTest::newRow("emoji") << "a dog in the park \xF0\x9F\x90\xB6" << true;
    QTest::newRow("french") << "le chat est assis sur la table dans la cuisine" << false;
    QTest::newRow("german") << "der Hund und die Katze auf dem Sofa" << false;
    QTest::newRow("spanish") << "una casa blanca con el techo rojo y las ventanas" << false;
    QTest::newRow("japanese") << "\xE7\x8C\xAB\xE3\x81\x8C\xE5\xBA\xA7\xE3\x81\xA3\xE3\x81\xA6\xE3\x81\x84\xE3\x82\x8B" << false;
    QTest::newRow("russian") << "\xD0\xBA\xD0\xBE\xD1\x88\xD0\xBA\xD0\xB0 \xD0\xBD\xD0\xB0 \xD1\x81\xD1\x82\xD0\xBE\xD0\xBB\xD0\xB5" << false;
    QTest::newRow("digits") << "12345 678" << false;
  }
  void englishHeuristic() {
    QFETCH(QString, caption);
    QFETCH(bool, english);
    std::string why;
    QCOMPARE(looks_english(caption.toStdString(), &why), english);
    if (!english) QVERIFY(!why.empty());
  }

  void everyFilterRecordsItsReason() {
    QTemporaryDir dir;
    Catalog c = Catalog::open(dir.filePath("c.db").toStdString(), true);
    const int64_t ok = c.upsert_image(record("/ok.png", 600, 500, "a red car on the road", 0x0F0F, "{\"aesthetic\":6}"));
    const int64_t small = c.upsert_image(record("/small.png", 200, 300, "a small tower", 0xF000, "{\"aesthetic\":6}"));
    const int64_t wide = c.upsert_image(record("/wide.png", 2000, 500, "a wide panorama", 0xFF0000, "{\"aesthetic\":6}"));
    const int64_t ugly = c.upsert_image(record("/ugly.png", 600, 600, "an ugly thing", 0xFF000000, "{\"aesthetic\":3.9}"));
    const int64_t noscore = c.upsert_image(record("/noscore.png", 600, 600, "no score", 0xFF00000000, "{}"));
    const int64_t french = c.upsert_image(record("/fr.png", 600, 600, "le chat est sur la table", 0xFF0000000000, "{\"aesthetic\":\"5.0\"}"));
    const int64_t empty = c.upsert_image(record("/empty.png", 600, 600, "  ", 0xFF000000000000, "{\"aesthetic\":6}"));
    const int64_t repeat = c.upsert_image(record("/rep.png", 600, 600, "A red  car on the ROAD", 0x00FFFF00FF00FF00, "{\"aesthetic\":6}"));

    FilterSettings s;
    s.min_side = 256;
    s.min_aspect = 0.5;
    s.max_aspect = 2.0;
    s.metadata_min = {{"aesthetic", 4.5}};
    s.english_only = true;
    s.drop_empty_captions = true;
    s.drop_repeated_captions = true;
    const FilterReport report = apply_filters(c, s);
    auto by = decisions_by_image(c);
    QCOMPARE(QString::fromStdString(by[ok]), QString());
    QCOMPARE(QString::fromStdString(by[small]), QStringLiteral("min_side"));
    QCOMPARE(QString::fromStdString(by[wide]), QStringLiteral("aspect"));
    QCOMPARE(QString::fromStdString(by[ugly]), QStringLiteral("min_aesthetic"));
    QCOMPARE(QString::fromStdString(by[noscore]), QStringLiteral("min_aesthetic"));
    QCOMPARE(QString::fromStdString(by[french]), QStringLiteral("english"));
    QVERIFY(QString::fromStdString(by[empty]).contains("empty_caption"));
    QCOMPARE(QString::fromStdString(by[repeat]), QStringLiteral("repeated_caption"));
    QCOMPARE(report.total, int64_t{8});
    QCOMPARE(report.kept, int64_t{1});
    const auto reasons = c.decisions_for(small);
    QCOMPARE(QString::fromStdString(reasons[0].reason), QStringLiteral("smaller side 200 < 256"));
    QCOMPARE(c.decisions_for(repeat)[0].duplicate_of, ok);
    QVERIFY(QString::fromStdString(c.decisions_for(ugly)[0].reason).contains("3.900 < 4.500"));
    QVERIFY(QString::fromStdString(c.decisions_for(wide)[0].reason).contains("aspect 4.00 outside [0.50, 2.00]"));

    // Running one filter again replaces only its own decisions.
    FilterSettings relaxed;
    relaxed.min_side = 100;
    const FilterReport r2 = apply_filters(c, relaxed);
    by = decisions_by_image(c);
    QCOMPARE(QString::fromStdString(by[small]), QString());
    QCOMPARE(QString::fromStdString(by[wide]), QStringLiteral("aspect"));
    QCOMPARE(r2.kept, int64_t{2});
    FilterSettings reset;
    reset.reset = true;
    QCOMPARE(apply_filters(c, reset).kept, int64_t{8});
  }

  void nearDuplicatesKeepTheLargestOfEachGroup() {
    QTemporaryDir dir;
    Catalog c = Catalog::open(dir.filePath("c.db").toStdString(), true);
    const uint64_t base = 0x123456789ABCDEF0ull;
    const int64_t small_copy = c.upsert_image(record("/a_small.png", 300, 300, "a", base ^ 0x5));      // 2 bits off
    const int64_t big = c.upsert_image(record("/a_big.png", 900, 900, "a", base));
    const int64_t far_copy = c.upsert_image(record("/a_far.png", 300, 300, "a", base ^ 0xFF));        // 8 bits off
    const int64_t other = c.upsert_image(record("/b.png", 500, 500, "b", ~base));
    const int64_t exact = c.upsert_image(record("/b_exact.png", 400, 400, "b", ~base));
    FilterSettings s;
    s.near_duplicate_distance = 4;
    const FilterReport r = apply_filters(c, s);
    const auto by = decisions_by_image(c);
    QCOMPARE(QString::fromStdString(by.at(big)), QString());
    QCOMPARE(QString::fromStdString(by.at(small_copy)), QStringLiteral("near_duplicate"));
    QCOMPARE(QString::fromStdString(by.at(far_copy)), QString());
    QCOMPARE(QString::fromStdString(by.at(other)), QString());
    QCOMPARE(QString::fromStdString(by.at(exact)), QStringLiteral("near_duplicate"));
    QCOMPARE(c.decisions_for(small_copy)[0].duplicate_of, big);
    QCOMPARE(c.decisions_for(exact)[0].duplicate_of, other);
    QVERIFY(QString::fromStdString(c.decisions_for(small_copy)[0].reason).contains("distance 2"));
    QCOMPARE(r.kept, int64_t{3});
    // A wider distance also catches the far copy.
    s.near_duplicate_distance = 10;
    QCOMPARE(apply_filters(c, s).kept, int64_t{2});
  }

  // A person's verdicts overrule the duplicate filters, now (through the facade) and at every later
  // filter run: "keep" on a dropped near-duplicate keeps it; "drop" on the image kept in its
  // place drops it (swapping which of the pair stays); withdrawing a verdict lets the filter decide.
  void reviewsOverruleTheDuplicateFilters() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("c.db").toStdString();
    const uint64_t base = 0x0F0F0F0F12345678ull;
    int64_t copy = 0, original = 0, other = 0;
    {
      Catalog c = Catalog::open(path, true);
      copy = c.upsert_image(record("/copy.png", 300, 300, "a copy", base ^ 0x3));
      original = c.upsert_image(record("/original.png", 800, 800, "the original", base));
      other = c.upsert_image(record("/other.png", 500, 500, "something else", ~base));
      FilterSettings s;
      s.near_duplicate_distance = 4;
      (void)apply_filters(c, s);
      QCOMPARE(QString::fromStdString(decisions_by_image(c).at(copy)), QStringLiteral("near_duplicate"));
    }
    // Swap: keep the copy, drop the original.
    QVERIFY(tessera::review_dataset_image(path, copy, "keep").ok());
    QVERIFY(tessera::review_dataset_image(path, original, "drop").ok());
    const auto check = [&](const char* when) {
      Catalog c = Catalog::open(path, false);
      const auto by = decisions_by_image(c);
      QVERIFY2(by.at(copy).empty(), when);
      QVERIFY2(by.at(original) == "review", when);
      QVERIFY2(by.at(other).empty(), when);
    };
    check("right after the review");
    {
      Catalog c = Catalog::open(path, false);
      FilterSettings s;
      s.near_duplicate_distance = 4;
      s.reset = true;  // even a run that forgets every decision
      QCOMPARE(apply_filters(c, s).kept, int64_t{2});
    }
    check("after the filters ran again");
    std::vector<tessera::DatasetImage> images;
    QVERIFY(tessera::list_dataset_images(path, 0, -1, &images).ok());
    QCOMPARE(QString::fromStdString(images[0].review), QStringLiteral("keep"));
    QCOMPARE(QString::fromStdString(images[1].review), QStringLiteral("drop"));
    // Withdrawn: the filter decides again (the copy is the near-duplicate of the larger original).
    QVERIFY(tessera::review_dataset_image(path, copy, "").ok());
    QVERIFY(tessera::review_dataset_image(path, original, "").ok());
    {
      Catalog c = Catalog::open(path, false);
      FilterSettings s;
      s.near_duplicate_distance = 4;
      (void)apply_filters(c, s);
      QCOMPARE(QString::fromStdString(decisions_by_image(c).at(copy)), QStringLiteral("near_duplicate"));
      QVERIFY(decisions_by_image(c).at(original).empty());
    }
    // Keep both: the copy stays and so does the original, at every later run.
    QVERIFY(tessera::review_dataset_image(path, copy, "keep").ok());
    for (int run = 0; run < 2; ++run) {
      Catalog c = Catalog::open(path, false);
      FilterSettings s;
      s.near_duplicate_distance = 4;
      QCOMPARE(apply_filters(c, s).kept, int64_t{3});
      QVERIFY(decisions_by_image(c).at(copy).empty());
      QVERIFY(decisions_by_image(c).at(original).empty());
    }
    QVERIFY(!tessera::review_dataset_image(path, copy, "maybe").ok());
    QVERIFY(!tessera::review_dataset_image(path, 999, "keep").ok());
  }

  // A catalog written by the first schema opens read-only too (migrated on the way), reviews empty.
  void readOnlyOpeningMigratesAnOldCatalog() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("old.db").toStdString();
    {
      Catalog c = Catalog::open(path, true);
      (void)c.upsert_image(record("/x.png", 64, 64, "x", 1));
      c.db().exec("DROP TABLE reviews");
      c.db().set_user_version(1);
    }
    Catalog r = Catalog::open_read_only(path);
    QCOMPARE(r.db().user_version(), current_schema_version());
    QVERIFY(r.reviews().empty());
    QCOMPARE(r.image_count(), int64_t{1});
  }

  void statsCountAndBin() {
    QTemporaryDir dir;
    Catalog c = Catalog::open(dir.filePath("c.db").toStdString(), true);
    c.upsert_image(record("/1.png", 100, 100, "x"));
    c.upsert_image(record("/2.png", 512, 512, "x"));
    c.upsert_image(record("/3.png", 1024, 512, "x"));
    FilterSettings s;
    s.min_side = 256;
    apply_filters(c, s);
    const CatalogStats st = compute_stats(c);
    QCOMPARE(st.total, int64_t{3});
    QCOMPARE(st.kept, int64_t{2});
    QCOMPARE(st.dropped_by_filter.at("min_side"), int64_t{1});
    int64_t side_all = 0, side_kept = 0;
    for (const auto& b : st.min_side) {
      side_all += b.all;
      side_kept += b.kept;
    }
    QCOMPARE(side_all, int64_t{3});
    QCOMPARE(side_kept, int64_t{2});
    QCOMPARE(st.min_side[0].all, int64_t{1});  // < 128
    QCOMPARE(st.aspect[3].all, int64_t{2});    // square
    QCOMPARE(st.aspect[6].all, int64_t{1});    // >= 2
    const QString text = QString::fromStdString(format_stats(st));
    QVERIFY(text.contains("min_side"));
    QVERIFY(text.contains("512-767"));
    QVERIFY(text.contains("#"));
  }
};

QTEST_APPLESS_MAIN(TestCatalog)
#include "tst_catalog.moc"
