// Import into the catalog: folders with caption sidecars, CSV and JSONL manifests, bad files
// reported and skipped, incremental re-import, resuming an interrupted import; and the
// `tessera dataset` command run as a process.

#include "catalog_test_images.h"
#include "test_support.h"

#include "catalog/catalog.h"
#include "catalog/importer.h"
#include "catalog/manifest.h"
#include "image/image_decode.h"
#include "image/resize.h"
#include "tessera/dataset.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using namespace tessera::catalog;
namespace img = tessera::image;
using tessera::test::write_bytes;
using tessera::test::write_text;

namespace {

QString reason_for(const ImportReport& r, const QString& file_suffix) {
  for (const auto& p : r.problems)
    if (QString::fromStdString(p.where).endsWith(file_suffix)) return QString::fromStdString(p.reason);
  return {};
}

// The folder used by several tests: 3 good images (2 with captions), 3 bad files, 1 orphan caption.
void make_folder(const QString& root) {
  write_bytes(root + "/a.jpg", img::encode_jpeg(tessera::test::pattern(64, 48, 1), 90));
  write_text(root + "/a.txt", "a cat on a sofa\n");
  write_bytes(root + "/sub/b.png", img::encode_png(tessera::test::pattern(40, 80, 2)));
  write_text(root + "/sub/b.txt", "a tall tower");
  write_bytes(root + "/c.webp", tessera::test::encode_webp(tessera::test::pattern(32, 32, 3)));
  std::vector<uint8_t> corrupt = img::encode_jpeg(tessera::test::pattern(64, 64, 4), 90);
  for (size_t i = 20; i < 200; ++i) corrupt[i] = static_cast<uint8_t>(i * 7);
  write_bytes(root + "/corrupt.jpg", corrupt);
  std::vector<uint8_t> truncated = img::encode_jpeg(tessera::test::pattern(64, 64, 5), 90);
  truncated.resize(truncated.size() / 2);
  write_bytes(root + "/truncated.jpg", truncated);
  write_text(root + "/anim.gif", "GIF89a........");
  write_text(root + "/orphan.txt", "a caption with no image");
  write_text(root + "/.hidden/x.jpg", "not looked at");
}

struct Row {
  std::string path, sha256, caption;
  uint64_t phash;
  int width, height;
  bool operator==(const Row& o) const {
    return path == o.path && sha256 == o.sha256 && caption == o.caption && phash == o.phash && width == o.width &&
           height == o.height;
  }
};

std::vector<Row> rows(Catalog& c) {
  std::vector<Row> out;
  for (const auto& r : c.images()) out.push_back({r.path, r.sha256, r.caption, r.phash, r.width, r.height});
  return out;
}

tessera::test::ProcessResult tessera_run(const QStringList& args) {
  return tessera::test::run(tessera::test::binary(QStringLiteral("tessera")), args);
}

// make_folder's images plus a 400x300 picture and a smaller JPEG copy of it (a near-duplicate),
// imported into DIR/c.db by the CLI; returns the catalog path.
QString import_with_near_duplicate(const QTemporaryDir& dir, tessera::test::ProcessResult* r) {
  make_folder(dir.filePath("images"));
  write_bytes(dir.filePath("images/big.png"), img::encode_png(tessera::test::pattern(400, 300, 42)));
  write_bytes(dir.filePath("images/big_copy.jpg"), img::encode_jpeg(img::resize(tessera::test::pattern(400, 300, 42), 380, 285), 85));
  const QString db = dir.filePath("c.db");
  *r = tessera_run({"dataset", "import", "--catalog", db, "--from", dir.filePath("images")});
  return db;
}

}  // namespace

class TestDatasetImport : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void folderWithSidecarsAndBadFiles() {
    QTemporaryDir dir;
    make_folder(dir.filePath("images"));
    Catalog c = Catalog::open(dir.filePath("c.db").toStdString(), true);
    const Manifest m = read_import_source(dir.filePath("images").toStdString());
    const ImportReport r = import_manifest(c, m);
    QCOMPARE(r.candidates, int64_t{6});  // a, b, c, corrupt, truncated, anim.gif
    QCOMPARE(r.added, int64_t{3});
    QCOMPARE(r.failed, int64_t{3});
    QVERIFY2(reason_for(r, "/corrupt.jpg").contains("corrupt JPEG"), qPrintable(reason_for(r, "/corrupt.jpg")));
    QVERIFY2(reason_for(r, "/truncated.jpg").contains("truncated"), qPrintable(reason_for(r, "/truncated.jpg")));
    QVERIFY2(reason_for(r, "/anim.gif").contains("unsupported image format: gif"), qPrintable(reason_for(r, "/anim.gif")));
    QVERIFY2(reason_for(r, "/orphan.txt").contains("without an image"), qPrintable(reason_for(r, "/orphan.txt")));
    QCOMPARE(c.import_errors().size(), size_t{4});
    std::map<std::string, ImageRecord> by_name;
    for (const auto& rec : c.images()) by_name[QFileInfo(QString::fromStdString(rec.path)).fileName().toStdString()] = rec;
    QCOMPARE(by_name.size(), size_t{3});
    QCOMPARE(QString::fromStdString(by_name["a.jpg"].caption), QStringLiteral("a cat on a sofa"));
    QCOMPARE(QString::fromStdString(by_name["a.jpg"].format), QStringLiteral("jpeg"));
    QCOMPARE(by_name["a.jpg"].width, 64);
    QCOMPARE(QString::fromStdString(by_name["b.png"].caption), QStringLiteral("a tall tower"));
    QCOMPARE(by_name["b.png"].height, 80);
    QCOMPARE(QString::fromStdString(by_name["c.webp"].caption), QString());
    QCOMPARE(QString::fromStdString(by_name["c.webp"].format), QStringLiteral("webp"));
    QCOMPARE(by_name["c.webp"].sha256.size(), size_t{64});
    QVERIFY(by_name["a.jpg"].phash != by_name["b.png"].phash);
    QCOMPARE(QString::fromStdString(by_name["a.jpg"].source), dir.filePath("images"));
  }

  void reimportSkipsUnchangedFiles() {
    QTemporaryDir dir;
    const QString root = dir.filePath("images");
    make_folder(root);
    Catalog c = Catalog::open(dir.filePath("c.db").toStdString(), true);
    QCOMPARE(import_manifest(c, read_import_source(root.toStdString())).added, int64_t{3});
    const auto before = rows(c);
    const ImportReport again = import_manifest(c, read_import_source(root.toStdString()));
    QCOMPARE(again.added, int64_t{0});
    QCOMPARE(again.unchanged, int64_t{3});
    QCOMPARE(again.updated, int64_t{0});
    QCOMPARE(again.failed, int64_t{3});  // bad files are tried again, and reported again
    QVERIFY(rows(c) == before);
    // A new caption is picked up without re-reading the image; a replaced image is re-read.
    write_text(root + "/a.txt", "a black cat on a sofa");
    QFile::remove(root + "/c.webp");
    write_bytes(root + "/c.webp", tessera::test::encode_webp(tessera::test::pattern(50, 30, 9)));
    const ImportReport third = import_manifest(c, read_import_source(root.toStdString()));
    QCOMPARE(third.updated, int64_t{1});
    QCOMPARE(third.replaced, int64_t{1});
    QCOMPARE(third.unchanged, int64_t{2});
    QCOMPARE(c.image_count(), int64_t{3});
    bool found = false;
    for (const auto& rec : c.images()) {
      if (QString::fromStdString(rec.path).endsWith("c.webp")) QCOMPARE(rec.width, 50);
      if (QString::fromStdString(rec.path).endsWith("a.jpg")) {
        QCOMPARE(QString::fromStdString(rec.caption), QStringLiteral("a black cat on a sofa"));
        found = true;
      }
    }
    QVERIFY(found);
  }

  void csvManifestWithQuotedCaptionsAndScores() {
    QTemporaryDir dir;
    write_bytes(dir.filePath("imgs/1.png"), img::encode_png(tessera::test::pattern(30, 20, 1)));
    write_bytes(dir.filePath("imgs/2.jpg"), img::encode_jpeg(tessera::test::pattern(30, 20, 2)));
    write_text(dir.filePath("list.csv"),
               "file_name,caption,aesthetic,source_url\n"
               "imgs/1.png,\"a red, round ball\",5.25,http://x/1\n"
               "imgs/2.jpg,\"line one\nline two\",4,\n"
               "imgs/missing.png,gone,1,\n"
               "imgs/2.jpg,too,many,fields,here\n");
    Catalog c = Catalog::open(dir.filePath("c.db").toStdString(), true);
    const ImportReport r = import_manifest(c, read_import_source(dir.filePath("list.csv").toStdString()));
    QCOMPARE(r.added, int64_t{2});
    QCOMPARE(r.failed, int64_t{1});
    QVERIFY(reason_for(r, "missing.png").contains("not found"));
    QVERIFY(reason_for(r, "list.csv:6").contains("expected 4 fields"));
    const auto images = c.images();
    QCOMPARE(images.size(), size_t{2});
    QCOMPARE(QString::fromStdString(images[0].caption), QStringLiteral("a red, round ball"));
    QCOMPARE(QString::fromStdString(images[0].metadata_json),
             QStringLiteral("{\"aesthetic\":5.25,\"source_url\":\"http://x/1\"}"));
    QCOMPARE(QString::fromStdString(images[1].caption), QStringLiteral("line one\nline two"));
    QCOMPARE(QString::fromStdString(images[1].metadata_json), QStringLiteral("{\"aesthetic\":4.0}"));
    QCOMPARE(QString::fromStdString(images[0].path), dir.filePath("imgs/1.png"));
  }

  void jsonlManifest() {
    QTemporaryDir dir;
    write_bytes(dir.filePath("1.webp"), tessera::test::encode_webp(tessera::test::pattern(30, 20, 1)));
    write_bytes(dir.filePath("2.png"), img::encode_png(tessera::test::pattern(30, 20, 2)));
    write_text(dir.filePath("m.jsonl"),
               "{\"path\": \"1.webp\", \"caption\": \"first\", \"aesthetic\": 6.5, \"tags\": [\"a\"]}\n"
               "\n"
               "{not json\n"
               "[1, 2]\n"
               "{\"caption\": \"no path\"}\n"
               "{\"file\": \"" + dir.filePath("2.png").toUtf8() + "\", \"text\": \"second\"}\n");
    Catalog c = Catalog::open(dir.filePath("c.db").toStdString(), true);
    const ImportReport r = import_manifest(c, read_import_source(dir.filePath("m.jsonl").toStdString()));
    QCOMPARE(r.added, int64_t{2});
    QVERIFY(reason_for(r, "m.jsonl:3").contains("not a JSON object"));
    QVERIFY(reason_for(r, "m.jsonl:4").contains("not a JSON object"));
    QVERIFY(reason_for(r, "m.jsonl:5").contains("no \"path\""));
    const auto images = c.images();
    QCOMPARE(QString::fromStdString(images[0].caption), QStringLiteral("first"));
    QCOMPARE(QString::fromStdString(images[0].metadata_json), QStringLiteral("{\"aesthetic\":6.5,\"tags\":[\"a\"]}"));
    QCOMPARE(QString::fromStdString(images[1].caption), QStringLiteral("second"));
  }

  void interruptedImportResumesToTheSameCatalog() {
    QTemporaryDir dir;
    const QString root = dir.filePath("images");
    for (int i = 0; i < 12; ++i) {
      write_bytes(QString("%1/%2.png").arg(root).arg(i, 2, 10, QChar('0')),
                  img::encode_png(tessera::test::pattern(24 + i, 24, 100 + i)));
      write_text(QString("%1/%2.txt").arg(root).arg(i, 2, 10, QChar('0')), QByteArray("caption ") + QByteArray::number(i));
    }
    ImportOptions o;
    o.threads = 3;
    o.batch_size = 2;
    Catalog reference = Catalog::open(dir.filePath("ref.db").toStdString(), true);
    QCOMPARE(import_manifest(reference, read_import_source(root.toStdString()), o).added, int64_t{12});

    Catalog c = Catalog::open(dir.filePath("c.db").toStdString(), true);
    int seen = 0;
    int64_t total = 0;
    const ImportReport first = import_manifest(c, read_import_source(root.toStdString()), o,
                                               [&](const ImportProgress& p) {
                                                 total = p.total;
                                                 return ++seen < 5;
                                               });
    QCOMPARE(total, int64_t{12});
    QVERIFY(first.cancelled);
    QCOMPARE(first.added, int64_t{5});
    QCOMPARE(c.image_count(), int64_t{5});  // committed, although the batch was not full
    const ImportReport second = import_manifest(c, read_import_source(root.toStdString()), o);
    QVERIFY(!second.cancelled);
    QCOMPARE(second.unchanged, int64_t{5});
    QCOMPARE(second.added, int64_t{7});
    QVERIFY(rows(c) == rows(reference));
  }

  void facadeReportsCancellationAndProblems() {
    QTemporaryDir dir;
    make_folder(dir.filePath("images"));
    tessera::DatasetImportOptions o;
    o.catalog = dir.filePath("c.db").toStdString();
    o.from = dir.filePath("images").toStdString();
    tessera::DatasetImportSummary summary;
    const tessera::Status cancelled = tessera::import_dataset(o, [](const tessera::DatasetImportProgress&) { return false; }, &summary);
    QVERIFY(cancelled.cancelled());
    const tessera::Status ok = tessera::import_dataset(o, {}, &summary);
    QVERIFY2(ok.ok(), ok.to_string().c_str());
    QCOMPARE(summary.problems.size(), size_t{4});
    std::vector<tessera::DatasetImage> images;
    QVERIFY(tessera::list_dataset_images(o.catalog, 0, -1, &images).ok());
    QCOMPARE(images.size(), size_t{3});
    QVERIFY(tessera::set_dataset_caption(o.catalog, images[0].id, "edited").ok());
    QVERIFY(tessera::list_dataset_images(o.catalog, 0, 1, &images).ok());
    QCOMPARE(QString::fromStdString(images[0].caption), QStringLiteral("edited"));
    QVERIFY(!QString::fromStdString(images[0].caption_original).isEmpty());
    o.from = dir.filePath("nowhere").toStdString();
    const tessera::Status missing = tessera::import_dataset(o, {}, &summary);
    QVERIFY(!missing.ok());
    QVERIFY(QString::fromStdString(missing.message()).contains("does not exist"));
  }

  void cliImportFilterStats() {
    QTemporaryDir dir;
    tessera::test::ProcessResult r;
    const QString db = import_with_near_duplicate(dir, &r);
    QVERIFY2(!r.crashed && r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.contains("added 5"), r.out.constData());
    QVERIFY2(r.err.contains("corrupt.jpg: corrupt JPEG"), r.err.constData());
    QVERIFY2(r.err.contains("orphan.txt: caption sidecar without an image"), r.err.constData());

    r = tessera_run({"dataset", "filter", "--catalog", db, "--min-side", "256", "--near-duplicates", "4"});
    QVERIFY2(!r.crashed && r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.contains("kept 1 of 5"), r.out.constData());
    QVERIFY2(r.out.contains("near_duplicate: 1"), r.out.constData());
    QVERIFY2(r.out.contains("min_side: 3"), r.out.constData());

    r = tessera_run({"dataset", "stats", "--catalog", db});
    QVERIFY2(!r.crashed && r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.contains("kept:          1"), r.out.constData());
    QVERIFY2(r.out.contains("smaller side"), r.out.constData());
    QVERIFY2(r.out.contains("import errors: 4"), r.out.constData());

    for (const QStringList& bad : {QStringList{"dataset", "import", "--catalog", db},
                                   QStringList{"dataset", "frobnicate", "--catalog", db},
                                   QStringList{"dataset", "stats", "--catalog", db, "--min-side", "3"},
                                   QStringList{"dataset", "filter", "--catalog", db, "--aspect", "2"}}) {
      r = tessera_run(bad);
      QCOMPARE(r.exitCode, 2);
      QCOMPARE(QString::fromUtf8(r.err).count('\n'), 1);
    }
    r = tessera_run({"dataset", "stats", "--catalog", dir.filePath("missing.db")});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(QString::fromUtf8(r.err).count('\n'), 1);
  }

  // The reviewer's side from the command line: list what the filters dropped and why, keep a
  // near-duplicate anyway (a later filter run respects it), drop one by hand, withdraw a
  // verdict, edit a caption.
  void cliListReviewCaption() {
    QTemporaryDir dir;
    tessera::test::ProcessResult r;
    const QString db = import_with_near_duplicate(dir, &r);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    r = tessera_run({"dataset", "filter", "--catalog", db, "--near-duplicates", "4"});
    QVERIFY2(r.out.contains("kept 4 of 5"), r.out.constData());
    const auto lines = [](const QByteArray& out) {
      QList<QJsonObject> objects;
      for (const QByteArray& line : out.split('\n'))
        if (!line.isEmpty()) objects << QJsonDocument::fromJson(line).object();
      return objects;
    };
    r = tessera_run({"dataset", "list", "--catalog", db, "--show", "dropped", "--filter", "near_duplicate", "--jsonl"});
    QVERIFY2(!r.crashed && r.exitCode == 0, r.err.constData());
    auto dropped = lines(r.out);
    QCOMPARE(dropped.size(), 1);
    const int copy = dropped[0].value("id").toInt();
    const int original = dropped[0].value("decisions").toArray()[0].toObject().value("duplicate_of").toInt();
    QVERIFY(copy > 0 && original > 0 && copy != original);
    QVERIFY(!dropped[0].value("kept").toBool());
    r = tessera_run({"dataset", "list", "--catalog", db});  // the table: one line per image
    QCOMPARE(r.out.count('\n'), 5);
    QVERIFY2(r.out.contains("dropped: near_duplicate") && r.out.contains("duplicate of " + QByteArray::number(original)),
             r.out.constData());

    // Keep both: the copy is kept now and after the next filter run; then the original dropped.
    r = tessera_run({"dataset", "review", "--catalog", db, "--keep", QString::number(copy), "--drop", QString::number(original)});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    r = tessera_run({"dataset", "filter", "--catalog", db, "--near-duplicates", "4"});
    QVERIFY2(r.out.contains("kept 4 of 5") && r.out.contains("review: 1"), r.out.constData());
    r = tessera_run({"dataset", "list", "--catalog", db, "--show", "reviewed", "--jsonl"});
    auto reviewed = lines(r.out);
    QCOMPARE(reviewed.size(), 2);
    for (const QJsonObject& o : reviewed) {
      const bool isCopy = o.value("id").toInt() == copy;
      QCOMPARE(o.value("review").toString(), isCopy ? QStringLiteral("keep") : QStringLiteral("drop"));
      QCOMPARE(o.value("kept").toBool(), isCopy);
    }
    // Withdrawn: the filters decide again, and the copy is the near-duplicate once more.
    r = tessera_run({"dataset", "review", "--catalog", db, "--clear", QString::number(copy), "--clear", QString::number(original)});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    r = tessera_run({"dataset", "filter", "--catalog", db, "--near-duplicates", "4"});
    QVERIFY2(r.out.contains("kept 4 of 5"), r.out.constData());
    r = tessera_run({"dataset", "list", "--catalog", db, "--show", "kept", "--limit", "2", "--jsonl"});
    QCOMPARE(lines(r.out).size(), 2);
    r = tessera_run({"dataset", "list", "--catalog", db, "--show", "reviewed"});
    QCOMPARE(r.out, QByteArray());

    r = tessera_run({"dataset", "caption", "--catalog", db, "--id", QString::number(original), "--text", "a red \"square\""});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    r = tessera_run({"dataset", "list", "--catalog", db, "--jsonl"});
    bool found = false;
    for (const QJsonObject& o : lines(r.out))
      if (o.value("id").toInt() == original) found = o.value("caption").toString() == QStringLiteral("a red \"square\"");
    QVERIFY(found);

    for (const QStringList& bad : {QStringList{"dataset", "review", "--catalog", db},
                                   QStringList{"dataset", "review", "--catalog", db, "--keep", "one"},
                                   QStringList{"dataset", "review", "--catalog", db, "--keep", "1", "--drop", "1"},
                                   QStringList{"dataset", "review", "--catalog", db, "--keep", "99999999999999999999"},
                                   QStringList{"dataset", "list", "--catalog", db, "--show", "some"},
                                   QStringList{"dataset", "list", "--catalog", db, "--keep", "1"},
                                   QStringList{"dataset", "caption", "--catalog", db, "--id", "1"}}) {
      r = tessera_run(bad);
      QCOMPARE(r.exitCode, 2);
      QCOMPARE(QString::fromUtf8(r.err).count('\n'), 1);
    }
    r = tessera_run({"dataset", "review", "--catalog", db, "--keep", "9999"});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("no image 9999"), r.err.constData());
  }

  void cliShardsWriteFromTheCatalog() {
    QTemporaryDir dir;
    make_folder(dir.filePath("images"));
    write_text(dir.filePath("images/a.txt"), "a cat, on a \"sofa\"");
    const QString db = dir.filePath("c.db");
    auto r = tessera_run({"dataset", "import", "--catalog", db, "--from", dir.filePath("images")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    r = tessera_run({"dataset", "filter", "--catalog", db, "--drop-empty-captions"});  // drops c.webp
    QVERIFY2(r.exitCode == 0, r.err.constData());

    // Resized and re-encoded, zstd-compressed.
    r = tessera_run({"shards", "write", "--catalog", db, "--out", dir.filePath("s256"), "--resize", "32", "--compression", "zstd:3"});
    QVERIFY2(!r.crashed && r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.contains("wrote 2 samples"), r.out.constData());
    QVERIFY(QFile::exists(dir.filePath("s256/index.json")));
    QVERIFY(QFile::exists(dir.filePath("s256/shard.00000.mds.zstd")));
    r = tessera_run({"shards", "inspect", dir.filePath("s256"), "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject summary = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(summary.value("samples").toInt(), 2);
    QStringList columns;
    for (const auto& c : summary.value("columns").toArray())
      columns << c.toObject().value("name").toString() + ":" + c.toObject().value("encoding").toString();
    QCOMPARE(columns.join(' '), QStringLiteral("caption:str height:int32 id:str image:jpeg sha256:str width:int32"));
    r = tessera_run({"shards", "inspect", dir.filePath("s256"), "--dump"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    const QJsonObject first = QJsonDocument::fromJson(lines[0]).object();
    QCOMPARE(first.value("caption").toString(), QStringLiteral("a cat, on a \"sofa\""));
    QCOMPARE(first.value("width").toInt(), 32);
    QCOMPARE(first.value("height").toInt(), 32);

    // Original bytes, with a minimum side that leaves only a.jpg (64x48; b.png is 40x80).
    r = tessera_run({"shards", "write", "--catalog", db, "--out", dir.filePath("orig"), "--min-side", "41"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    r = tessera_run({"shards", "inspect", dir.filePath("orig"), "--dump"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject only = QJsonDocument::fromJson(r.out.trimmed()).object();
    QCOMPARE(only.value("caption").toString(), QStringLiteral("a cat, on a \"sofa\""));
    QCOMPARE(only.value("height").toInt(), 48);
    QFile jpeg(dir.filePath("images/a.jpg"));
    QVERIFY(jpeg.open(QIODevice::ReadOnly));
    QCOMPARE(only.value("image").toString(),
             QString::fromLatin1(QCryptographicHash::hash(jpeg.readAll(), QCryptographicHash::Sha1).toHex()));

    // A file changed after import is skipped and named; an existing shard set is refused.
    write_bytes(dir.filePath("images/sub/b.png"), img::encode_png(tessera::test::pattern(40, 80, 77)));
    r = tessera_run({"shards", "write", "--catalog", db, "--out", dir.filePath("changed")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.err.contains("b.png: file changed since import"), r.err.constData());
    QVERIFY2(r.out.contains("wrote 1 samples"), r.out.constData());
    r = tessera_run({"shards", "write", "--catalog", db, "--out", dir.filePath("orig")});
    QCOMPARE(r.exitCode, 1);
    r = tessera_run({"shards", "write", "--catalog", db});
    QCOMPARE(r.exitCode, 2);
  }
};

QTEST_GUILESS_MAIN(TestDatasetImport)
#include "tst_dataset_import.moc"
