// The `tessera` CLI as scripts see it: commands, flags, exit codes, one-line errors.

#include "test_support.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QThread>

using tessera::test::binary;
using tessera::test::run;

class TestCli : public QObject {
  Q_OBJECT

  static QString tessera() { return binary(QStringLiteral("tessera")); }

 private Q_SLOTS:
  void helpListsTheCommands() {
    const auto r = run(tessera(), {QStringLiteral("--help")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("usage: tessera <command>"));
    QVERIFY(r.out.contains("\n  version"));
    QVERIFY(r.out.contains("\n  demo"));
  }

  void versionReportsTheRuntime() {
    const auto r = run(tessera(), {QStringLiteral("version")});
    QCOMPARE(r.exitCode, 0);
    for (const char* key : {"tessera ", "libtorch ", "cuda ", "threads ", "blas "}) {
      QVERIFY2(r.out.contains(key), key);
    }
    QVERIFY(r.err.isEmpty());  // no reference-BLAS warning on a set-up machine
  }

  void threadsDefaultToAllCoresAndCanBeOverridden_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("threads");
    const int all = QThread::idealThreadCount();
    QTest::newRow("default") << QStringList{QStringLiteral("version"), QStringLiteral("--json")} << all;
    QTest::newRow("after") << QStringList{QStringLiteral("version"), QStringLiteral("--json"), QStringLiteral("--threads"), QStringLiteral("1")} << 1;
    QTest::newRow("before") << QStringList{QStringLiteral("--threads"), QStringLiteral("1"), QStringLiteral("version"), QStringLiteral("--json")} << 1;
    QTest::newRow("equals") << QStringList{QStringLiteral("version"), QStringLiteral("--json"), QStringLiteral("--threads=3")} << 3;
  }
  void threadsDefaultToAllCoresAndCanBeOverridden() {
    QFETCH(QStringList, args);
    QFETCH(int, threads);
    const auto r = run(tessera(), args);
    QCOMPARE(r.exitCode, 0);
    const auto json = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(json.value(QStringLiteral("threads")).toInt(), threads);
    QVERIFY(json.contains(QStringLiteral("libtorch")));
    QVERIFY(json.contains(QStringLiteral("blas")));
  }

  void badCommandLinesGetOneLineAndExitCode2_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("mentions");
    QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")} << QByteArray("frobnicate");
    QTest::newRow("unknown flag") << QStringList{QStringLiteral("version"), QStringLiteral("--frob")} << QByteArray("--frob");
    QTest::newRow("unknown leading flag") << QStringList{QStringLiteral("--frob")} << QByteArray("--frob");
    QTest::newRow("missing value") << QStringList{QStringLiteral("version"), QStringLiteral("--threads")} << QByteArray("--threads");
    QTest::newRow("bad number") << QStringList{QStringLiteral("version"), QStringLiteral("--threads"), QStringLiteral("many")} << QByteArray("many");
    QTest::newRow("zero threads") << QStringList{QStringLiteral("version"), QStringLiteral("--threads"), QStringLiteral("0")} << QByteArray("--threads");
    QTest::newRow("extra argument") << QStringList{QStringLiteral("version"), QStringLiteral("extra")} << QByteArray("extra");
    QTest::newRow("switch with value") << QStringList{QStringLiteral("version"), QStringLiteral("--json=yes")} << QByteArray("--json");
  }
  void badCommandLinesGetOneLineAndExitCode2() {
    QFETCH(QStringList, args);
    QFETCH(QByteArray, mentions);
    const auto r = run(tessera(), args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY(!r.crashed);
    QVERIFY(r.out.isEmpty());
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY(r.err.startsWith("tessera: "));
    QVERIFY2(r.err.contains(mentions), r.err.constData());
  }

  void commandHelpListsItsFlags() {
    const auto r = run(tessera(), {QStringLiteral("demo"), QStringLiteral("--help")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("--out"));
    QVERIFY(r.out.contains("--threads"));
  }

  void demoRunsEveryStageAtToySizes() {
    QTemporaryDir dir;
    const QString out = dir.path() + QStringLiteral("/demo");
    const auto r = run(tessera(), {QStringLiteral("demo"), QStringLiteral("--out"), out, QStringLiteral("--images"),
                                   QStringLiteral("30"), QStringLiteral("--vae-steps"), QStringLiteral("1"),
                                   QStringLiteral("--unet-steps"), QStringLiteral("1"), QStringLiteral("--sample-steps"),
                                   QStringLiteral("1")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    for (const char* stage : {"[blas]", "[dataset]", "[tokenizer]", "[vae]", "[train]", "[export]", "[generate]", "[evaluate]"})
      QVERIFY2(r.out.contains(stage), stage);
    QVERIFY(r.out.contains("GFLOP/s"));
    QVERIFY(!r.out.contains("not implemented"));
    QVERIFY(QFile::exists(out + QStringLiteral("/model/model_index.json")));
    QVERIFY(QFile::exists(out + QStringLiteral("/grid.png")));
    // Bad sizes get one clear line and a non-zero exit.
    const auto bad = run(tessera(), {QStringLiteral("demo"), QStringLiteral("--out"), out, QStringLiteral("--unet-steps"),
                                     QStringLiteral("zero")});
    QVERIFY(bad.exitCode != 0);
    QCOMPARE(bad.err.count('\n'), 1);
    QVERIFY2(bad.err.contains("--unet-steps"), bad.err.constData());
  }

  void binaryLinksNoQtItself() {
    // The CLI is copied to GPU nodes without Qt. Its own dependencies must not name Qt. (Debian's
    // libtorch_cpu pulls Qt 5 in through OpenCV's highgui; that is LibTorch's packaging, and the
    // PyTorch-bundled LibTorch on GPU nodes has no such dependency.)
    const auto r = run(QStringLiteral("readelf"), {QStringLiteral("-d"), tessera()});
    if (r.exitCode != 0) QSKIP("readelf not available");
    QVERIFY(r.out.contains("NEEDED"));
    QVERIFY2(!r.out.contains("libQt"), r.out.constData());
  }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
