// Data-parallel training end to end: `tessera train` as one process, and as two Gloo ranks (two
// processes with torchrun's variables) with the same global batch and data, must end with the
// same UNet weights (max abs difference ≤ 1e-6), the same EMA, and one metrics log written by
// rank 0 only.

#include "io/safetensors.h"
#include "test_support.h"
#include "tiny_unet_yaml.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

namespace {

QString config(int steps) {
  return QStringLiteral(R"(name: ranks
seed: 5
batch_size: 8
model:
  unet:
)") + QString::fromLatin1(tiny_unet_yaml()) + QStringLiteral(R"(  prediction_type: v_prediction
  min_snr_gamma: 5
dataset:
  kind: synthetic_latents
  synthetic_samples: 32
  latent_size: 8
  text_tokens: 8
  text_dim: 32
  caption_drop_prob: 0.1
optimizer:
  lr: 1.0e-3
scheduler:
  t_warmup: 2
ema:
  enabled: true
  smoothing: 0.9
  start: 2
trainer:
  max_duration: %1
  device_train_microbatch_size: 2
  grad_clip_norm: 1.0
  save_interval: %1
  device: cpu
)")
      .arg(steps);
}

QString lastCheckpoint(const QString& runDir) {
  const QStringList steps =
      QDir(runDir + QStringLiteral("/checkpoints")).entryList({QStringLiteral("step-*")}, QDir::Dirs, QDir::Name);
  return steps.isEmpty() ? QString() : runDir + QStringLiteral("/checkpoints/") + steps.last();
}

double maxDifference(const QString& a, const QString& b, int* compared) {
  const tessera::io::SafetensorsFile fa(a.toStdString()), fb(b.toStdString());
  if (fa.names() != fb.names()) return 1e30;
  double worst = 0;
  *compared = 0;
  for (const auto& name : fa.names()) {
    worst = std::max(worst, (fa.get(name) - fb.get(name)).abs().max().item<double>());
    ++*compared;
  }
  return worst;
}

}  // namespace

class TestTrainRanks : public QObject {
  Q_OBJECT

  QTemporaryDir m_tmp;

  QProcess* startRank(const QString& configPath, const QString& runDir, int rank, int world, int port) {
    auto* p = new QProcess(this);
    auto env = QProcessEnvironment::systemEnvironment();
    if (world > 1) {
      env.insert(QStringLiteral("RANK"), QString::number(rank));
      env.insert(QStringLiteral("WORLD_SIZE"), QString::number(world));
      env.insert(QStringLiteral("LOCAL_RANK"), QString::number(rank));
      env.insert(QStringLiteral("MASTER_ADDR"), QStringLiteral("127.0.0.1"));
      env.insert(QStringLiteral("MASTER_PORT"), QString::number(port));
    }
    p->setProcessEnvironment(env);
    p->setProcessChannelMode(QProcess::MergedChannels);
    p->start(tessera::test::binary(QStringLiteral("tessera")),
             {QStringLiteral("train"), QStringLiteral("--config"), configPath, QStringLiteral("--run-dir"), runDir,
              QStringLiteral("--resume"), QStringLiteral("never"), QStringLiteral("--threads"), QStringLiteral("1")});
    return p;
  }

 private Q_SLOTS:
  void twoRanksEqualOneRank() {
    QVERIFY(m_tmp.isValid());
    const QString cfg = m_tmp.filePath(QStringLiteral("ranks.yaml"));
    QFile f(cfg);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(config(6).toUtf8());
    f.close();

    const QString single = m_tmp.filePath(QStringLiteral("one rank"));
    QProcess* one = startRank(cfg, single, 0, 1, 0);
    QVERIFY(one->waitForFinished(300000));
    QVERIFY2(one->exitCode() == 0, one->readAll().constData());

    const QString multi = m_tmp.filePath(QStringLiteral("two ranks"));
    const int port = tessera::test::freeTcpPort();
    QProcess* r0 = startRank(cfg, multi, 0, 2, port);
    QProcess* r1 = startRank(cfg, multi, 1, 2, port);
    QVERIFY(r0->waitForFinished(300000) && r1->waitForFinished(300000));
    const QByteArray log0 = r0->readAll(), log1 = r1->readAll();
    QVERIFY2(r0->exitCode() == 0, log0.constData());
    QVERIFY2(r1->exitCode() == 0, log1.constData());

    const QString a = lastCheckpoint(single), b = lastCheckpoint(multi);
    QVERIFY2(!a.isEmpty() && !b.isEmpty(), "no checkpoint written");
    QCOMPARE(QFileInfo(a).fileName(), QFileInfo(b).fileName());
    int compared = 0;
    const double unet = maxDifference(a + QStringLiteral("/unet.safetensors"), b + QStringLiteral("/unet.safetensors"), &compared);
    qInfo("UNet: %d tensors, max |1 rank - 2 ranks| = %.3g", compared, unet);
    QVERIFY(compared > 10);
    QVERIFY2(unet <= 1e-6, qPrintable(QString::number(unet)));
    const double ema = maxDifference(a + QStringLiteral("/ema.safetensors"), b + QStringLiteral("/ema.safetensors"), &compared);
    QVERIFY2(ema <= 1e-6, qPrintable(QString::number(ema)));

    // Rank 0 alone writes the run's files; its log says it ran distributed.
    QFile metrics(multi + QStringLiteral("/metrics.jsonl"));
    QVERIFY(metrics.open(QIODevice::ReadOnly));
    const QByteArray text = metrics.readAll();
    QCOMPARE(text.count("\"event\":\"start\""), 1);
    QVERIFY2(text.contains("torchrun"), text.left(400).constData());
  }
};

QTEST_GUILESS_MAIN(TestTrainRanks)
#include "tst_train_ranks.moc"
