// `tessera train` and `tessera export` as processes: bad configs give one line and exit 1; a run
// killed with SIGKILL at random moments (during steps and checkpoint writes) and restarted with
// --resume auto ends with the same bytes as an uninterrupted run; the watchdog ends a stalled run.

#include "test_support.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <algorithm>

using tessera::test::binary;

namespace {

QString tiny_config(int steps, int batch, int microbatch, int latent, double watchdog) {
  return QStringLiteral(R"(name: cli-tiny
seed: 11
batch_size: %2
model:
  unet:
    block_out_channels: [32, 64]
    down_block_types: [CrossAttnDownBlock2D, DownBlock2D]
    up_block_types: [UpBlock2D, CrossAttnUpBlock2D]
    layers_per_block: 1
    attention_head_dim: [2, 4]
    cross_attention_dim: 32
    norm_num_groups: 8
    use_linear_projection: true
  prediction_type: epsilon
  min_snr_gamma: 5
dataset:
  kind: synthetic_latents
  synthetic_samples: 24
  latent_size: %4
  text_tokens: 8
  text_dim: 32
optimizer:
  lr: 1.0e-3
scheduler:
  t_warmup: 3
ema:
  enabled: true
  smoothing: 0.95
  start: 4
trainer:
  max_duration: %1
  device_train_microbatch_size: %3
  grad_clip_norm: 1.0
  save_interval: 3
  save_num_checkpoints_to_keep: 2
  watchdog_timeout: %5
  device: cpu
)")
      .arg(steps)
      .arg(batch)
      .arg(microbatch)
      .arg(latent)
      .arg(watchdog);
}

QString write_file(const QString& path, const QString& text) {
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly)) return {};
  f.write(text.toUtf8());
  return path;
}

QByteArray read_all(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace

class TestCliTrain : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void badConfigIsOneLine() {
    QTemporaryDir dir;
    const QString cfg = write_file(dir.path() + "/bad.yaml", tiny_config(4, 8, 4, 8, 0) + "  learning_rate: 1\n");
    const auto r = tessera::test::run(binary("tessera"), {"train", "--config", cfg, "--run-dir", dir.path() + "/run"});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("unknown key 'trainer.learning_rate' (line 38)"), r.err.constData());
    QCOMPARE(r.err.count('\n'), 1);
    const auto usage = tessera::test::run(binary("tessera"), {"train", "--config", cfg, "--resume", "sometimes", "--run-dir", "x"});
    QCOMPARE(usage.exitCode, 2);
  }

  void checkPrintsASummary() {
    QTemporaryDir dir;
    const QString cfg = write_file(dir.path() + "/ok.yaml", tiny_config(4, 8, 4, 8, 0));
    const auto r = tessera::test::run(binary("tessera"), {"train", "--config", cfg, "--check"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("cli-tiny: UNet"), r.out.constData());
  }

  void killedAtRandomMomentsResumesBitIdentical() {
    QTemporaryDir dir;
    const int steps = 24;  // keep well inside QtTest's 300 s per-function limit on a loaded machine
    const QString cfg = write_file(dir.path() + "/run.yaml", tiny_config(steps, 8, 4, 8, 0));
    const QString ref = dir.path() + "/reference";
    QElapsedTimer clock;
    clock.start();
    const auto r = tessera::test::run(binary("tessera"), {"--threads", "1", "train", "--config", cfg, "--run-dir", ref}, 600000);
    QVERIFY2(r.exitCode == 0 && !r.crashed, r.err.constData());
    // Kill moments scale with how long a whole run takes on this machine (quiet or loaded), so
    // that every attempt is cut somewhere in its first three quarters.
    const int wholeRunMs = int(std::max<qint64>(clock.elapsed(), 200));

    const quint32 seed = QRandomGenerator::global()->generate();
    qInfo("kill schedule seed %u", seed);
    QRandomGenerator rng(seed);
    const QString run = dir.path() + "/killed";
    int kills = 0;
    bool finished = false;
    for (int attempt = 0; attempt < 200 && !finished; ++attempt) {
      QProcess p;
      p.start(binary("tessera"), {"--threads", "1", "train", "--config", cfg, "--run-dir", run, "--resume", "auto"});
      QVERIFY(p.waitForStarted(10000));
      // The first two cuts fall early (10-30% of a whole run), so that at least two happen even
      // when a resumed run has little left to do; later ones anywhere in the first 85%.
      const quint32 span = quint32(attempt < 2 ? wholeRunMs / 5 : wholeRunMs * 3 / 4);
      const int delay = wholeRunMs / 10 + int(rng.bounded(std::max<quint32>(span, 1)));
      if (!p.waitForFinished(delay)) {
        p.kill();  // SIGKILL
        p.waitForFinished(10000);
        ++kills;
        continue;
      }
      QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, p.readAllStandardError().constData());
      finished = true;
    }
    QVERIFY(finished);
    qInfo("killed %d times before the run finished", kills);
    QVERIFY2(kills >= 2, "the run finished before it could be interrupted twice; make it longer");
    const QString last = QStringLiteral("/checkpoints/step-%1").arg(steps, 8, 10, QLatin1Char('0'));
    for (const char* file : {"unet.safetensors", "optimizer.safetensors", "ema.safetensors"}) {
      const QByteArray a = read_all(ref + last + "/" + file), b = read_all(run + last + "/" + file);
      QVERIFY2(!a.isEmpty() && a == b, file);
    }
    QVERIFY(read_all(run + "/metrics.jsonl").contains("\"event\":\"resume\""));
  }

  void watchdogEndsAStalledRun() {
    QTemporaryDir dir;
    // Steps of ~0.2 s or more against a 20 ms watchdog.
    const QString cfg = write_file(dir.path() + "/slow.yaml", tiny_config(50, 64, 64, 16, 0.02));
    const auto r = tessera::test::run(binary("tessera"), {"--threads", "1", "train", "--config", cfg, "--run-dir", dir.path() + "/run"});
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.err.contains("watchdog"), r.err.constData());
    QVERIFY(read_all(dir.path() + "/run/metrics.jsonl").contains("\"event\":\"watchdog\""));
  }
};

QTEST_GUILESS_MAIN(TestCliTrain)
#include "tst_cli_train.moc"
