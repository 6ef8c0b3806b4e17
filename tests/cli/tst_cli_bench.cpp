// `tessera bench` run as a process on the tiny model: every benchmark, one measured run, JSON and
// the table; each benchmark in its own process with its own peak RSS; unet-load writes its file
// once and reuses it; --profile writes where a step's time went; bad input gets one line and exit 2.

#include "test_support.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest/QtTest>

namespace {

using tessera::test::ProcessResult;

ProcessResult bench(const QStringList& args) {
  return tessera::test::run(tessera::test::binary(QStringLiteral("tessera")), QStringList{"bench"} + args, 500000);
}

}  // namespace

class TestCliBench : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void allTinyBenchmarksAsJson() {
    QTemporaryDir cache;
    QVERIFY(cache.isValid());
    const ProcessResult r =
        bench({"all", "--tiny", "--repeat", "2", "--warmup", "0", "--json", "--threads", "1", "--cache-dir", cache.path()});
    QVERIFY2(!r.crashed && r.exitCode == 0, r.err.constData());
    QJsonParseError error;
    const QJsonObject report = QJsonDocument::fromJson(r.out, &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, r.out.constData());
    const QJsonObject machine = report.value("machine").toObject();
    QVERIFY(machine.value("cores").toInt() >= 1);
    QCOMPARE(machine.value("threads").toInt(), 1);
    QVERIFY(!machine.value("blas").toString().isEmpty());
    const QJsonArray results = report.value("results").toArray();
    QCOMPARE(results.size(), 5);
    QStringList names;
    for (const auto& v : results) {
      const QJsonObject o = v.toObject();
      names << o.value("name").toString();
      QCOMPARE(o.value("seconds").toArray().size(), 2);
      QVERIFY(o.value("median_seconds").toDouble() > 0);
      QVERIFY(o.value("weight_bytes").toDouble() > 0);
      // Peak RSS of the benchmark's process: at least its weights.
      QVERIFY(o.value("peak_rss_bytes").toDouble() > o.value("weight_bytes").toDouble());
    }
    QCOMPARE(names, (QStringList{"unet-step", "train-step", "generate", "vae-decode", "unet-load"}));
    QVERIFY(results[1].toObject().value("note").toString().startsWith("loss finite, optimizer flat"));
    // The host's wait for the device at the end of a step: part of the step (~0 on the CPU).
    const QJsonObject train = results[1].toObject();
    QVERIFY(train.contains("wait_seconds"));
    QVERIFY(train.value("wait_seconds").toDouble() >= 0);
    QVERIFY(train.value("wait_seconds").toDouble() < train.value("median_seconds").toDouble());
    QVERIFY(results[4].toObject().value("note").toString().contains("x the weight bytes"));
    // The random UNet was written once into the cache folder, with its config.
    QVERIFY(QFileInfo::exists(cache.path() + "/tiny-unet/diffusion_pytorch_model.safetensors"));
    QVERIFY(QFileInfo::exists(cache.path() + "/tiny-unet/config.json"));
  }

  // A benchmark whose process writes its result and then crashes while exiting: the result is
  // still reported, marked, the command fails, and the crash report says the crash came after
  // main() returned and, the jump having been to a null address, names its caller.
  void diedAfterItsResultIsStillReported() {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("LD_PRELOAD", TESSERA_EXIT_CRASH_PRELOAD);
    const ProcessResult r = tessera::test::run(tessera::test::binary(QStringLiteral("tessera")),
                                               {"bench", "unet-step", "--tiny", "--repeat", "1", "--warmup", "0", "--json",
                                                "--threads", "1"},
                                               120000, env);
    QVERIFY2(!r.crashed, r.err.constData());
    QCOMPARE(r.exitCode, 1);
    QJsonParseError error;
    const QJsonObject report = QJsonDocument::fromJson(r.out, &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, r.out.constData());
    const QJsonObject result = report.value("results").toArray().at(0).toObject();
    QVERIFY(result.value("median_seconds").toDouble() > 0);
    QVERIFY2(result.value("note").toString().contains("after writing this result its process died with exit status 139"),
             qPrintable(result.value("note").toString()));
    QVERIFY2(r.err.contains("fatal signal SIGSEGV after main() returned"), r.err.constData());
#if defined(__linux__) && (defined(__x86_64__) || defined(__aarch64__))
    QVERIFY2(r.err.contains("instruction pointer 0x0000000000000000"), r.err.constData());
    // The return address (on the stack, or in the link register) lies in the preloaded library:
    // the caller is named.
    const int caller = r.err.indexOf("it is in no loaded code");
    QVERIFY2(caller >= 0, r.err.constData());
    const QByteArray preload = QFileInfo(QStringLiteral(TESSERA_EXIT_CRASH_PRELOAD)).fileName().toUtf8();
    QVERIFY2(r.err.mid(caller).contains(preload), r.err.constData());
#endif
    QVERIFY2(r.err.contains("benchmark unet-step finished, then its process died (exit status 139)"), r.err.constData());
  }

  void trainStepOptions() {
    // The training step through updates in backward with recomputed activations; a bad
    // optimizer name is a usage error.
    const ProcessResult r = bench({"train-step", "--tiny", "--repeat", "1", "--warmup", "0", "--json", "--optimizer",
                                   "in_backward", "--gradient-checkpointing"});
    QVERIFY2(!r.crashed && r.exitCode == 0, r.err.constData());
    const QJsonObject one = QJsonDocument::fromJson(r.out).object().value("results").toArray().at(0).toObject();
    QCOMPARE(one.value("name").toString(), QString("train-step"));
    const QString note = one.value("note").toString();
    QVERIFY2(note.contains("loss finite, optimizer in_backward, gradient checkpointing"), qPrintable(note));
    const ProcessResult bad = bench({"train-step", "--tiny", "--optimizer", "sgd"});
    QCOMPARE(bad.exitCode, 2);
    QVERIFY(bad.err.contains("--optimizer"));
  }

  void profileSaysWhereTheStepTimeGoes() {
    // The profile holds the measured steps only (2 after 1 warm-up): two forward scopes in the
    // trace. On the CPU the table has the step's phases and the host operators by self time.
    QTemporaryDir dir;
    const QString file = dir.path() + "/profile.txt";
    const ProcessResult r = bench({"train-step", "--tiny", "--repeat", "2", "--warmup", "1", "--json", "--profile", file});
    QVERIFY2(!r.crashed && r.exitCode == 0, r.err.constData());
    const QString note =
        QJsonDocument::fromJson(r.out).object().value("results").toArray().at(0).toObject().value("note").toString();
    QVERIFY2(note.contains("profiled (the profiler slows the runs): " + file), qPrintable(note));
    QFile text(file);
    QVERIFY(text.open(QIODevice::ReadOnly));
    const QString table = QString::fromUtf8(text.readAll());
    QVERIFY2(table.startsWith("tessera bench train-step --profile: one tiny SD2 model UNet training step"), qPrintable(table));
    QVERIFY2(table.contains("per step, over 2 steps; host "), qPrintable(table));
    QVERIFY2(table.contains("top host operators by self time"), qPrintable(table));
    QVERIFY2(table.contains("aten::"), qPrintable(table));
    // Each phase of the step with the host's milliseconds in it.
    QMap<QString, double> host_ms;
    for (const QString& line : table.split('\n')) {
      const QStringList f = line.simplified().split(' ');
      if (f.size() == 2 && !f[0].isEmpty() && f[0][0].isLetter()) host_ms[f[0]] = f[1].toDouble();
    }
    for (const char* p : {"zero_grad", "forward", "backward", "gradients", "optimizer", "prefetch", "wait"}) {
      QVERIFY2(host_ms.contains(p), p);
    }
    QVERIFY(host_ms["forward"] > 0 && host_ms["backward"] > 0 && host_ms["optimizer"] > 0);
    QFile traceFile(file + ".trace.json");
    QVERIFY(traceFile.open(QIODevice::ReadOnly));
    const QJsonArray events = QJsonDocument::fromJson(traceFile.readAll()).object().value("traceEvents").toArray();
    int forwards = 0;
    for (const auto& e : events) forwards += e.toObject().value("name").toString() == "tessera.forward";
    QCOMPARE(forwards, 2);

    // Without a warm-up step the first step would hold the setup: refused.
    const ProcessResult cold = bench({"train-step", "--tiny", "--repeat", "1", "--warmup", "0", "--profile", file});
    QCOMPARE(cold.exitCode, 1);
    QVERIFY2(cold.err.contains("--warmup 1"), cold.err.constData());
  }

  void unetLoadReusesItsFile() {
    QTemporaryDir cache;
    const QStringList args{"unet-load", "--tiny", "--repeat", "1", "--warmup", "0", "--cache-dir", cache.path()};
    QVERIFY(bench(args).exitCode == 0);
    const QString file = cache.path() + "/tiny-unet/diffusion_pytorch_model.safetensors";
    const QDateTime written = QFileInfo(file).lastModified();
    QTest::qWait(1100);
    const ProcessResult again = bench(args);
    QVERIFY2(again.exitCode == 0, again.err.constData());
    QCOMPARE(QFileInfo(file).lastModified(), written);
  }

  void tableNamesTheMachine() {
    const ProcessResult r = bench({"vae-decode", "--tiny", "--repeat", "1"});
    QVERIFY2(!r.crashed && r.exitCode == 0, r.err.constData());
    const QString out = QString::fromUtf8(r.out);
    for (const char* part : {"machine:", "cores", "threads", "BLAS:", "median of 1 run(s) after 1 warm-up", "vae-decode",
                             "peak RSS", "GiB"}) {
      QVERIFY2(out.contains(QLatin1String(part)), part);
    }
  }

  void badInputIsOneLine_data() {
    QTest::addColumn<QStringList>("args");
    QTest::newRow("unknown benchmark") << QStringList{"unet-stepp"};
    QTest::newRow("no benchmark") << QStringList{};
    QTest::newRow("zero repeats") << QStringList{"unet-step", "--repeat", "0"};
    QTest::newRow("unknown flag") << QStringList{"unet-step", "--fast"};
    QTest::newRow("profile of two benchmarks") << QStringList{"unet-step", "vae-decode", "--profile", "p.txt"};
    QTest::newRow("profile of unet-load") << QStringList{"unet-load", "--profile", "p.txt"};
    QTest::newRow("profile of a data benchmark") << QStringList{"latent-read", "--profile", "p.txt"};
    QTest::newRow("cuda graph on the cpu") << QStringList{"train-step", "--cuda-graph"};
    QTest::newRow("cuda graph of another benchmark") << QStringList{"vae-decode", "--device", "cuda", "--cuda-graph"};
  }
  void badInputIsOneLine() {
    QFETCH(QStringList, args);
    const ProcessResult r = bench(args);
    QVERIFY(!r.crashed);
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.out.isEmpty());
    const QString err = QString::fromUtf8(r.err);
    QVERIFY2(err.startsWith("tessera: ") && err.count('\n') == 1, r.err.constData());
  }
};

QTEST_GUILESS_MAIN(TestCliBench)
#include "tst_cli_bench.moc"
