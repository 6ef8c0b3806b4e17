// `tessera shards inspect` run as a process: summaries of the shard sets mosaicml-streaming wrote
// (tests/data/mds), --dump lines equal to what streaming's own reader decodes, --json, and the
// one-line failures for a damaged shard, a missing folder and an unknown subcommand.

#include "test_support.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest/QtTest>

namespace {

using tessera::test::ProcessResult;

QString dataDir() {
  return qEnvironmentVariable("TESSERA_SOURCE_DIR", QStringLiteral(TESSERA_TEST_SOURCE_DIR)) + "/tests/data/mds";
}

ProcessResult shards(const QStringList& args) {
  return tessera::test::run(tessera::test::binary(QStringLiteral("tessera")), QStringList{"shards"} + args);
}

// A JSON line re-serialised with sorted keys, so two writers' lines compare as values.
QByteArray canonical(const QByteArray& line) {
  return QJsonDocument::fromJson(line).toJson(QJsonDocument::Compact);
}

bool copyDir(const QString& from, const QString& to) {
  QDir().mkpath(to);
  for (const QString& f : QDir(from).entryList(QDir::Files))
    if (!QFile::copy(from + "/" + f, to + "/" + f)) return false;
  return true;
}

}  // namespace

class TestCliShards : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void inspectSummarises() {
    const ProcessResult r = shards({"inspect", dataDir() + "/zstd"});
    QVERIFY2(!r.crashed && r.exitCode == 0, r.err.constData());
    const QString out = QString::fromUtf8(r.out);
    for (const char* part : {"(valid)", "samples     20 in 5 shard(s)", "compression zstd:7", "md5, sha1, xxh3_64, xxh64",
                             "column      latent (ndarray:float16:4,8,8)", "column      image (jpeg)"})
      QVERIFY2(out.contains(QLatin1String(part)), part);
  }

  void inspectJson() {
    const ProcessResult r = shards({"inspect", dataDir() + "/plain", "--json"});
    QVERIFY2(!r.crashed && r.exitCode == 0, r.err.constData());
    const QJsonObject j = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(j.value("samples").toInt(), 12);
    QCOMPARE(j.value("shards").toArray().size(), 4);
    QCOMPARE(j.value("columns").toArray().size(), 24);
    QVERIFY(j.value("compression").isNull());
    QCOMPARE(j.value("valid").toBool(), true);
  }

  void dumpMatchesStreamingsReader_data() {
    QTest::addColumn<QString>("set");
    QTest::newRow("plain") << "plain";
    QTest::newRow("zstd") << "zstd";
  }
  void dumpMatchesStreamingsReader() {
    QFETCH(QString, set);
    const ProcessResult r = shards({"inspect", dataDir() + "/" + set, "--dump"});
    QVERIFY2(!r.crashed && r.exitCode == 0, r.err.constData());
    QFile f(dataDir() + "/" + set + ".expected.jsonl");
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> expected = f.readAll().trimmed().split('\n');
    const QList<QByteArray> got = r.out.trimmed().split('\n');
    QCOMPARE(got.size(), expected.size());
    for (int i = 0; i < got.size(); ++i) QCOMPARE(canonical(got[i]), canonical(expected[i]));
  }

  void damagedShardFailsInOneLine() {
    QTemporaryDir tmp;
    const QString dir = tmp.path() + "/set";
    QVERIFY(copyDir(dataDir() + "/plain", dir));
    QFile shard(dir + "/shard.00003.mds");
    QVERIFY(shard.open(QIODevice::ReadWrite));
    shard.seek(1000);
    shard.write("\x01\x02\x03", 3);
    shard.close();
    const ProcessResult r = shards({"inspect", dir});
    QVERIFY(!r.crashed);
    QCOMPARE(r.exitCode, 1);
    const QString err = QString::fromUtf8(r.err);
    QVERIFY2(err.startsWith("tessera: ") && err.count('\n') == 1, r.err.constData());
    QVERIFY2(err.contains("shard.00003.mds") && err.contains("hash mismatch"), r.err.constData());
  }

  void badInvocations() {
    ProcessResult r = shards({"inspect", "/nonexistent/shards"});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(QString::fromUtf8(r.err).contains("no index.json"), r.err.constData());
    r = shards({"frobnicate", "x"});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(QString::fromUtf8(r.err).contains("unknown shards subcommand 'frobnicate'"), r.err.constData());
    r = shards({"inspect"});
    QCOMPARE(r.exitCode, 2);
  }
};

QTEST_GUILESS_MAIN(TestCliShards)
#include "tst_cli_shards.moc"
