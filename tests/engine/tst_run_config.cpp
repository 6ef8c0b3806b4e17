// The run config: presets load, unknown keys and bad values are refused with key and line, the
// resolved YAML reads back to the same config, accumulation and the LR schedule.

#include "models/autoencoder_kl.h"
#include "models/unet_2d_condition.h"
#include "tessera/error.h"
#include "training/run_config.h"

#include <QDir>
#include <QtTest/QtTest>

#include <string>

using tessera::training::RunConfig;

namespace {

const char* kMinimal = R"(name: t
batch_size: 8
model:
  unet:
    block_out_channels: [32, 64]
    down_block_types: [CrossAttnDownBlock2D, DownBlock2D]
    up_block_types: [UpBlock2D, CrossAttnUpBlock2D]
    cross_attention_dim: 32
    norm_num_groups: 8
dataset:
  kind: synthetic_latents
trainer:
  device_train_microbatch_size: 4
)";

std::string error_of(const std::string& yaml) {
  try {
    (void)tessera::training::parse_run_config(yaml, "test.yaml");
  } catch (const tessera::Error& e) {
    return e.what();
  }
  return {};
}

QString presets_dir() {
  const QString src = qEnvironmentVariable("TESSERA_SOURCE_DIR");
  return (src.isEmpty() ? QStringLiteral(".") : src) + QStringLiteral("/resources/presets");
}

}  // namespace

class TestRunConfig : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void everyPresetLoads_data() {
    QTest::addColumn<QString>("file");
    const QStringList files = QDir(presets_dir()).entryList({QStringLiteral("*.yaml")}, QDir::Files, QDir::Name);
    QVERIFY2(files.contains(QStringLiteral("sd2-base-256.yaml")), qPrintable(presets_dir()));
    QVERIFY(files.contains(QStringLiteral("sd2-base-512.yaml")));
    QVERIFY(files.contains(QStringLiteral("tiny-demo.yaml")));
    for (const QString& f : files) QTest::newRow(qPrintable(f)) << presets_dir() + QLatin1Char('/') + f;
  }
  void everyPresetLoads() {
    QFETCH(QString, file);
    const RunConfig c = tessera::training::load_run_config(file.toStdString());
    // The trained model's architecture is a valid diffusers config (parsed, not built: SD2 is 866M
    // parameters).
    if (c.model.trains == "vae") {
      const auto vae = tessera::models::parse_vae_config(c.model.vae_config.dump(), "preset vae");
      QVERIFY(vae.block_out_channels.size() >= 2);
      QCOMPARE(c.dataset.kind, std::string("mds_images"));
    } else {
      const auto unet = tessera::models::parse_unet_config(c.model.unet_config.dump(), "preset unet");
      QVERIFY(unet.block_out_channels.size() >= 2);
    }
    QVERIFY(c.accumulation_steps(1) >= 1);
    // Resolved YAML reads back to the same config.
    const std::string yaml = tessera::training::to_yaml(c);
    QCOMPARE(tessera::training::to_yaml(tessera::training::parse_run_config(yaml, "resolved")), yaml);
  }

  void sd2PresetsFollowTheReferenceRecipe() {
    const RunConfig s1 = tessera::training::load_run_config((presets_dir() + "/sd2-base-256.yaml").toStdString());
    const RunConfig s2 = tessera::training::load_run_config((presets_dir() + "/sd2-base-512.yaml").toStdString());
    for (const RunConfig* c : {&s1, &s2}) {
      QCOMPARE(c->batch_size, int64_t(2048));
      QCOMPARE(c->trainer.device_train_microbatch_size, int64_t(16));
      QCOMPARE(c->optimizer.lr, 1e-4);
      QCOMPARE(c->optimizer.weight_decay, 0.01);
      QCOMPARE(c->optimizer.beta1, 0.9);
      QCOMPARE(c->optimizer.beta2, 0.999);
      QCOMPARE(c->optimizer.eps, 1e-8);
      QCOMPARE(c->scheduler.name, std::string("linear_warmup_constant"));
      QCOMPARE(c->scheduler.t_warmup, int64_t(10000));
      QCOMPARE(c->dataset.caption_drop_prob, 0.1);
      QVERIFY(c->model.precomputed_latents);
      QCOMPARE(c->trainer.save_interval, int64_t(10000));
      QCOMPARE(c->sampling.interval, int64_t(10000));
      QCOMPARE(c->trainer.precision, std::string("amp_fp16"));  // fp16 AMP with loss scaling, as the reference
      QVERIFY(c->uses_loss_scaling());
      QCOMPARE(c->model.unet_config["cross_attention_dim"].get<int>(), 1024);
      QCOMPARE(c->accumulation_steps(128), int64_t(1));  // 16 x 128 GPUs
    }
    QCOMPARE(s1.trainer.max_duration, int64_t(550000));
    QVERIFY(!s1.ema.enabled);
    QVERIFY(s1.model.init_from.empty());
    QCOMPARE(s2.trainer.max_duration, int64_t(850000));
    QVERIFY(s2.ema.enabled);
    QCOMPARE(s2.ema.smoothing, 0.9999);
    QCOMPARE(s2.ema.start, int64_t(800000));
    QVERIFY(!s2.model.init_from.empty());
    QCOMPARE(s2.image_size, int64_t(512));
  }

  void minimalConfigTakesDefaults() {
    const RunConfig c = tessera::training::parse_run_config(kMinimal);
    QCOMPARE(c.batch_size, int64_t(8));
    QCOMPARE(c.accumulation_steps(1), int64_t(2));
    QCOMPARE(c.accumulation_steps(2), int64_t(1));
    QCOMPARE(c.optimizer.lr, 1e-4);
    QCOMPARE(c.model.prediction_type, std::string("epsilon"));
    QVERIFY(!c.ema.enabled);
  }

  void unknownKeyNamedWithLine_data() {
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QString>("expected");
    QTest::newRow("top") << QString(kMinimal) + "bogus_key: 1\n" << "unknown key 'bogus_key' (line 14)";
    QTest::newRow("nested") << QString(kMinimal).replace("  kind: synthetic_latents\n", "  kind: synthetic_latents\n  shufle: true\n")
                            << "unknown key 'dataset.shufle' (line 12)";
    QTest::newRow("scheduler") << QString(kMinimal) + "model2:\n  x: 1\n" << "unknown key 'model2' (line 14)";
  }
  void unknownKeyNamedWithLine() {
    QFETCH(QString, yaml);
    QFETCH(QString, expected);
    const QString error = QString::fromStdString(error_of(yaml.toStdString()));
    QVERIFY2(error.contains(expected), qPrintable(error));
  }

  void badValuesNamedWithLine_data() {
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QString>("expected");
    QTest::newRow("type") << QString(kMinimal).replace("batch_size: 8", "batch_size: lots") << "'batch_size' must be an integer, not 'lots' (line 2)";
    QTest::newRow("range") << QString(kMinimal) + "optimizer:\n  lr: -1\n" << "'optimizer.lr' must be in";
    QTest::newRow("enum") << QString(kMinimal) + "trainer2: 1\n" << "unknown key 'trainer2'";
    QTest::newRow("choice") << QString(kMinimal).replace("  kind: synthetic_latents", "  kind: webdataset") << "'dataset.kind' is 'webdataset' (line 11)";
    QTest::newRow("duration") << QString(kMinimal).replace("trainer:\n", "trainer:\n  max_duration: 3ep\n") << "'trainer.max_duration' must be a number of batches";
    QTest::newRow("drop prob") << QString(kMinimal).replace("  kind: synthetic_latents", "  kind: synthetic_latents\n  caption_drop_prob: 1.5") << "'dataset.caption_drop_prob' must be in [0, 1]";
    QTest::newRow("batch") << QString(kMinimal).replace("batch_size: 8", "batch_size: 6") << "not a multiple";
    QTest::newRow("betas") << QString(kMinimal) + "optimizer:\n  betas: [0.9]\n" << "'optimizer.betas' must be a list of 2 numbers (line 15)";
    QTest::newRow("syntax") << QString("a: [1, 2\n") << "not valid YAML";
    QTest::newRow("no unet") << QString("batch_size: 8\nmodel:\n  prediction_type: epsilon\n") << "'model.unet' is missing";
  }
  void badValuesNamedWithLine() {
    QFETCH(QString, yaml);
    QFETCH(QString, expected);
    const QString error = QString::fromStdString(error_of(yaml.toStdString()));
    QVERIFY2(error.contains(expected), qPrintable(error));
  }

  void cudaGraphReadsAndRoundTrips() {
    const RunConfig c = tessera::training::parse_run_config(
        QString(kMinimal).replace("trainer:\n", "trainer:\n  cuda_graph: true\n  precision: amp_bf16\n").toStdString());
    QVERIFY(c.trainer.cuda_graph);
    QVERIFY(!tessera::training::parse_run_config(kMinimal).trainer.cuda_graph);
    const std::string yaml = tessera::training::to_yaml(c);
    QVERIFY2(yaml.find("cuda_graph: true") != std::string::npos, yaml.c_str());
    QVERIFY(tessera::training::parse_run_config(yaml, "resolved").trainer.cuda_graph);
  }

  void cudaGraphRefusesWhatItCannotReplay_data() {
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QString>("expected");
    const QString graph = QString(kMinimal).replace("trainer:\n", "trainer:\n  cuda_graph: true\n");
    QTest::newRow("cpu") << QString(graph).replace("trainer:\n", "trainer:\n  device: cpu\n") << "trainer.device is cpu";
    QTest::newRow("in_backward") << QString(graph).replace("batch_size: 8", "batch_size: 4") + "optimizer:\n  implementation: in_backward\n"
                                 << "in_backward updates the weights inside the backward pass";
    QTest::newRow("amp_fp16") << QString(graph).replace("trainer:\n", "trainer:\n  precision: amp_fp16\n")
                              << "loss scaling decides on the host";
    QTest::newRow("dynamic loss scaling") << QString(graph).replace("trainer:\n", "trainer:\n  loss_scaling: dynamic\n")
                                          << "loss scaling decides on the host";
  }
  void cudaGraphRefusesWhatItCannotReplay() {
    QFETCH(QString, yaml);
    QFETCH(QString, expected);
    try {
      (void)tessera::training::parse_run_config(yaml.toStdString(), "test.yaml");
      QFAIL("accepted");
    } catch (const tessera::Error& e) {
      const QString error = e.what();
      QVERIFY2(error.contains("trainer.cuda_graph cannot be used here: ") && error.contains(expected), e.what());
      QVERIFY2(QString::fromStdString(e.hint()).startsWith("set trainer.cuda_graph: false"), e.hint().c_str());
    }
    // amp_fp16 without loss scaling replays: nothing is decided on the host.
    QVERIFY(tessera::training::parse_run_config(
                QString(kMinimal)
                    .replace("trainer:\n", "trainer:\n  cuda_graph: true\n  precision: amp_fp16\n  loss_scaling: none\n")
                    .toStdString())
                .trainer.cuda_graph);
  }

  void durationsAcceptBatchSuffix() {
    const RunConfig c = tessera::training::parse_run_config(
        QString(kMinimal).replace("trainer:\n", "trainer:\n  max_duration: 550000ba\n  save_interval: 250\n").toStdString());
    QCOMPARE(c.trainer.max_duration, int64_t(550000));
    QCOMPARE(c.trainer.save_interval, int64_t(250));
  }

  void accumulationRefusesUnevenSplits() {
    const RunConfig c = tessera::training::parse_run_config(kMinimal);
    QVERIFY_THROWS_EXCEPTION(tessera::Error, (void)c.accumulation_steps(3));
  }

  void learningRateSchedules() {
    RunConfig c = tessera::training::parse_run_config(kMinimal);
    c.optimizer.lr = 1e-3;
    c.scheduler.t_warmup = 10;
    c.trainer.max_duration = 110;
    QCOMPARE(tessera::training::learning_rate_at(c, 0), 0.0);
    QCOMPARE(tessera::training::learning_rate_at(c, 5), 5e-4);
    QCOMPARE(tessera::training::learning_rate_at(c, 10), 1e-3);
    QCOMPARE(tessera::training::learning_rate_at(c, 100), 1e-3);
    c.scheduler.name = "cosine_with_warmup";
    c.scheduler.alpha_f = 0.1;
    QCOMPARE(tessera::training::learning_rate_at(c, 10), 1e-3);
    QVERIFY(qAbs(tessera::training::learning_rate_at(c, 60) - 1e-3 * 0.55) < 1e-12);
    QVERIFY(qAbs(tessera::training::learning_rate_at(c, 110) - 1e-4) < 1e-12);
  }
};

QTEST_GUILESS_MAIN(TestRunConfig)
#include "tst_run_config.moc"
