// `tessera generate` as scripts use it: the golden image, A1111 parameters, file naming,
// batches, prompt files, bad input, and Ctrl-C leaving no partial file.

#include "test_support.h"

#include <QImage>
#include <QTemporaryDir>

#include <csignal>

using tessera::test::binary;
using tessera::test::run;

class TestCliGenerate : public QObject {
  Q_OBJECT

  QString m_model;

  QStringList base(const QString& out) const {
    return {QStringLiteral("generate"), QStringLiteral("--model"), m_model, QStringLiteral("--steps"), QStringLiteral("10"),
            QStringLiteral("--seed"), QStringLiteral("1234"), QStringLiteral("--width"), QStringLiteral("32"),
            QStringLiteral("--height"), QStringLiteral("32"), QStringLiteral("--out"), out, QStringLiteral("--threads"),
            QStringLiteral("2")};
  }

 private Q_SLOTS:
  void initTestCase() {
    const QString golden = tessera::test::goldenDir();
    if (golden.isEmpty()) QSKIP("golden reference data not found: set TESSERA_GOLDEN_DIR or check out ../shared/golden");
    m_model = golden + QStringLiteral("/tiny-sd2");
  }

  void reproducesTheDiffusersImageWithParameters() {
    QTemporaryDir dir;
    const auto r = run(binary(QStringLiteral("tessera")),
                       base(dir.path()) + QStringList{QStringLiteral("--prompt"), QStringLiteral("a red cube on a table"),
                                                      QStringLiteral("--negative-prompt"), QStringLiteral("blurry")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QString path = dir.filePath(QStringLiteral("1234-0.png"));
    QCOMPARE(QString::fromUtf8(r.out).trimmed(), path);
    QImage mine(path);
    QImage ref(tessera::test::goldenDir() + QStringLiteral("/reference/pipeline_image.png"));
    QVERIFY(!mine.isNull() && !ref.isNull());
    QCOMPARE(mine.size(), ref.size());
    int worst = 0;
    for (int y = 0; y < ref.height(); ++y) {
      for (int x = 0; x < ref.width(); ++x) {
        const QRgb a = mine.pixel(x, y), b = ref.pixel(x, y);
        worst = std::max({worst, std::abs(qRed(a) - qRed(b)), std::abs(qGreen(a) - qGreen(b)), std::abs(qBlue(a) - qBlue(b))});
      }
    }
    QVERIFY2(worst <= 1, qPrintable(QStringLiteral("pixels differ by %1").arg(worst)));
    const QString params = mine.text(QStringLiteral("parameters"));
    QVERIFY2(params.startsWith(QStringLiteral("a red cube on a table\nNegative prompt: blurry\nSteps: 10, Sampler: DDIM, "
                                              "CFG scale: 7.5, Seed: 1234, Size: 32x32, Model hash: ")),
             qPrintable(params));
    QVERIFY(params.contains(QStringLiteral(", Model: tiny-sd2, Version: Tessera ")));
  }

  void batchesAndPromptFilesNameFilesBySeedAndIndex() {
    QTemporaryDir dir;
    auto r = run(binary(QStringLiteral("tessera")),
                 base(dir.path()) + QStringList{QStringLiteral("--prompt"), QStringLiteral("x"), QStringLiteral("--batch"), QStringLiteral("2"),
                                                QStringLiteral("--steps"), QStringLiteral("2")});
    // --steps given twice is an error: scripts must not get a silent override
    QCOMPARE(r.exitCode, 2);
    QStringList args = base(dir.path());
    args[4] = QStringLiteral("2");
    r = run(binary(QStringLiteral("tessera")), args + QStringList{QStringLiteral("--prompt"), QStringLiteral("x"),
                                                                  QStringLiteral("--batch"), QStringLiteral("2")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QFile prompts(dir.filePath(QStringLiteral("prompts.txt")));
    QVERIFY(prompts.open(QIODevice::WriteOnly));
    prompts.write("a cat\n\nthe moon, at night; $(rm -rf ~)\n");
    prompts.close();
    r = run(binary(QStringLiteral("tessera")), args + QStringList{QStringLiteral("--prompts-file"), prompts.fileName(),
                                                                  QStringLiteral("--sampler"), QStringLiteral("euler_a")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QStringList pngs = QDir(dir.path()).entryList({QStringLiteral("*.png")}, QDir::Files, QDir::Name);
    QCOMPARE(pngs, (QStringList{QStringLiteral("1234-0.png"), QStringLiteral("1234-1.png"), QStringLiteral("1235-0.png")}));
    QVERIFY(QImage(dir.filePath(QStringLiteral("1235-0.png"))).text(QStringLiteral("parameters"))
                .startsWith(QStringLiteral("the moon, at night; $(rm -rf ~)\nSteps: 2, Sampler: Euler a")));
  }

  void badInputGetsOneLine_data() {
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("unknown sampler") << QStringList{QStringLiteral("--prompt"), QStringLiteral("x"), QStringLiteral("--sampler"), QStringLiteral("heun")}
                                     << 1 << QStringLiteral("heun");
    QTest::newRow("no prompt") << QStringList{} << 2 << QStringLiteral("--prompt");
    QTest::newRow("strength without image") << QStringList{QStringLiteral("--prompt"), QStringLiteral("x"), QStringLiteral("--strength"), QStringLiteral("0.5")}
                                            << 2 << QStringLiteral("--init-image");
    QTest::newRow("missing init image") << QStringList{QStringLiteral("--prompt"), QStringLiteral("x"), QStringLiteral("--init-image"), QStringLiteral("/nonexistent.png")}
                                        << 1 << QStringLiteral("/nonexistent.png");
  }
  void badInputGetsOneLine() {
    QFETCH(QStringList, extra);
    QFETCH(int, code);
    QFETCH(QString, mentions);
    QTemporaryDir dir;
    const auto r = run(binary(QStringLiteral("tessera")), base(dir.path()) + extra);
    QCOMPARE(r.exitCode, code);
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY2(QString::fromUtf8(r.err).contains(mentions), r.err.constData());
    QVERIFY(QDir(dir.path()).entryList(QDir::Files).isEmpty());
  }

  void wrongSizeAndMissingModel() {
    QTemporaryDir dir;
    QStringList args = base(dir.path()) + QStringList{QStringLiteral("--prompt"), QStringLiteral("x")};
    args[8] = QStringLiteral("33");
    auto r = run(binary(QStringLiteral("tessera")), args);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("multiples of 2"), r.err.constData());
    args = base(dir.path()) + QStringList{QStringLiteral("--prompt"), QStringLiteral("x")};
    args[2] = dir.filePath(QStringLiteral("no-such-model"));
    r = run(binary(QStringLiteral("tessera")), args);
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY(r.err.contains("no-such-model"));
  }

  void ctrlCStopsWithoutPartialFiles() {
    QTemporaryDir dir;
    QStringList args = base(dir.path()) + QStringList{QStringLiteral("--prompt"), QStringLiteral("x")};
    args[4] = QStringLiteral("900");  // at 96x96 this runs for a minute or more
    args[8] = QStringLiteral("96");
    args[10] = QStringLiteral("96");
    QProcess p;
    p.start(binary(QStringLiteral("tessera")), args);
    QVERIFY(p.waitForStarted());
    QTest::qWait(3000);  // loading takes a moment; the run needs far longer than this
    QCOMPARE(p.state(), QProcess::Running);
    ::kill(static_cast<pid_t>(p.processId()), SIGINT);
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 130);
    QVERIFY(p.readAllStandardError().contains("cancelled"));
    QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
  }
};

QTEST_GUILESS_MAIN(TestCliGenerate)
#include "tst_cli_generate.moc"
