// `tessera inspect` run as a process: the golden tiny SD2 pipeline, one component, one file,
// --json, and the one-line failures for bad paths, damaged files and pickles.

#include "test_support.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest/QtTest>

namespace {

using tessera::test::ProcessResult;

ProcessResult inspect(const QStringList& args) {
  return tessera::test::run(tessera::test::binary(QStringLiteral("tessera")), QStringList{"inspect"} + args);
}

QJsonObject component(const QJsonObject& report, const QString& name) {
  for (const auto& c : report.value("components").toArray())
    if (c.toObject().value("name").toString() == name) return c.toObject();
  return {};
}

// Exit 1 and exactly one stderr line "tessera: ..." containing `part`; nothing on stdout.
void expect_one_line_failure(const ProcessResult& r, const QString& part) {
  QVERIFY2(!r.crashed, r.err.constData());
  QCOMPARE(r.exitCode, 1);
  QVERIFY(r.out.isEmpty());
  const QString err = QString::fromUtf8(r.err);
  QVERIFY2(err.startsWith("tessera: "), r.err.constData());
  QCOMPARE(err.count('\n'), 1);
  QVERIFY2(err.contains(part), r.err.constData());
}

}  // namespace

class TestCliInspect : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void pipelineFolderListsEveryComponent() {
    TESSERA_REQUIRE_GOLDEN(golden);
    const ProcessResult r = inspect({golden + "/tiny-sd2"});
    QVERIFY2(!r.crashed && r.exitCode == 0, r.err.constData());
    const QString out = QString::fromUtf8(r.out);
    for (const char* part : {"StableDiffusionPipeline", "diffusers 0.26.3", "UNet2DConditionModel", "AutoencoderKL",
                             "CLIPTextModel", "DDIMScheduler", "792,964", "658,375", "48,106", "cross_attention_dim",
                             "scaling_factor", "0.18215", "num_hidden_layers", "prediction_type", "\"epsilon\""}) {
      QVERIFY2(out.contains(QLatin1String(part)), part);
    }
  }

  void pipelineAsJson() {
    TESSERA_REQUIRE_GOLDEN(golden);
    const ProcessResult r = inspect({golden + "/tiny-sd2", "--json"});
    QVERIFY2(!r.crashed && r.exitCode == 0, r.err.constData());
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
    QVERIFY2(doc.isObject(), qPrintable(error.errorString()));
    const QJsonObject report = doc.object();
    QCOMPARE(report.value("kind").toString(), QStringLiteral("pipeline"));
    QCOMPARE(report.value("pipeline_class").toString(), QStringLiteral("StableDiffusionPipeline"));
    QCOMPARE(report.value("components").toArray().size(), 5);  // scheduler, text_encoder, tokenizer, unet, vae

    const QJsonObject unet = component(report, "unet");
    QCOMPARE(unet.value("class_name").toString(), QStringLiteral("UNet2DConditionModel"));
    QCOMPARE(unet.value("weights").toObject().value("parameters").toInteger(), 792964);
    QCOMPARE(unet.value("weights").toObject().value("tensors").toInteger(), 208);
    QCOMPARE(unet.value("config").toObject().value("block_out_channels").toArray(), (QJsonArray{32, 64}));
    QCOMPARE(unet.value("config").toObject().value("cross_attention_dim").toInt(), 32);
    QCOMPARE(unet.value("config").toObject().value("sample_size").toInt(), 8);
    const QJsonArray dtypes = unet.value("weights").toObject().value("dtypes").toArray();
    QCOMPARE(dtypes.size(), 1);
    QCOMPARE(dtypes[0].toObject().value("dtype").toString(), QStringLiteral("F32"));
    QCOMPARE(dtypes[0].toObject().value("bytes").toInteger(), 792964 * 4);

    const QJsonObject vae = component(report, "vae");
    QCOMPARE(vae.value("weights").toObject().value("parameters").toInteger(), 658375);
    QCOMPARE(vae.value("config").toObject().value("latent_channels").toInt(), 4);
    QCOMPARE(vae.value("config").toObject().value("scaling_factor").toDouble(), 0.18215);

    const QJsonObject te = component(report, "text_encoder");
    QCOMPARE(te.value("weights").toObject().value("parameters").toInteger(), 48106);
    QCOMPARE(te.value("config").toObject().value("hidden_size").toInt(), 32);
    QCOMPARE(te.value("config").toObject().value("num_hidden_layers").toInt(), 2);

    const QJsonObject scheduler = component(report, "scheduler");
    QCOMPARE(scheduler.value("class_name").toString(), QStringLiteral("DDIMScheduler"));
    QCOMPARE(scheduler.value("config").toObject().value("prediction_type").toString(), QStringLiteral("epsilon"));
    QVERIFY(scheduler.value("weights").isNull());
    QVERIFY(component(report, "tokenizer").value("weights").isNull());
  }

  void componentFolderAndSingleFile() {
    TESSERA_REQUIRE_GOLDEN(golden);
    const ProcessResult folder = inspect({golden + "/tiny-sd2/vae", "--json"});
    QVERIFY2(!folder.crashed && folder.exitCode == 0, folder.err.constData());
    const QJsonObject report = QJsonDocument::fromJson(folder.out).object();
    QCOMPARE(report.value("kind").toString(), QStringLiteral("component"));
    QCOMPARE(component(report, "vae").value("class_name").toString(), QStringLiteral("AutoencoderKL"));
    QCOMPARE(component(report, "vae").value("weights").toObject().value("parameters").toInteger(), 658375);

    const ProcessResult file = inspect({golden + "/tiny-sd2/text_encoder/model.safetensors", "--largest", "2"});
    QVERIFY2(!file.crashed && file.exitCode == 0, file.err.constData());
    const QString out = QString::fromUtf8(file.out);
    QVERIFY2(out.contains(QRegularExpression("parameters +48,106\n")), file.out.constData());
    QVERIFY2(out.contains(QRegularExpression("tensors +36\n")), file.out.constData());
    QVERIFY2(out.contains("format = pt"), file.out.constData());
    QCOMPARE(out.count("largest"), 2);
    // The token embedding (1000 x 32) is the largest tensor of the text encoder.
    QVERIFY2(out.contains("text_model.embeddings.token_embedding.weight  F32 [1000, 32]  32,000 params"),
             file.out.constData());
  }

  void damagedFileIsOneClearLine() {
    QTemporaryDir dir;
    const QString path = dir.filePath("broken.safetensors");
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray("\x20\x00\x00\x00\x00\x00\x00\x00{\"a\": [1, 2", 19));
    f.close();
    expect_one_line_failure(inspect({path}), path + ": header length 32 runs past the end of the file");
  }

  void missingPathIsOneClearLine() {
    expect_one_line_failure(inspect({"/nonexistent/model.safetensors"}), "no such file or folder");
  }

  void folderThatIsNotAModelIsOneClearLine() {
    QTemporaryDir dir;
    expect_one_line_failure(inspect({dir.path()}), "not a diffusers folder");
  }

  void pickleIsRefusedWithTheConversionCommand() {
    QTemporaryDir dir;
    const QString path = dir.filePath("v2-1_512-ema-pruned.ckpt");
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("PK\x03\x04 not really a zip");
    f.close();
    const ProcessResult r = inspect({path});
    expect_one_line_failure(r, "PyTorch pickle files are not loaded");
    QVERIFY2(r.err.contains("save_file(torch.load('" + path.toUtf8() + "', map_location='cpu')"), r.err.constData());
  }

  void componentWithOnlyPickleWeightsIsRefused() {
    QTemporaryDir dir;
    QFile config(dir.filePath("config.json"));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(R"({"_class_name": "UNet2DConditionModel", "sample_size": 64})");
    config.close();
    QFile weights(dir.filePath("diffusion_pytorch_model.bin"));
    QVERIFY(weights.open(QIODevice::WriteOnly));
    weights.write("PK\x03\x04 not really a zip");
    weights.close();
    const ProcessResult r = inspect({dir.path()});
    expect_one_line_failure(r, "diffusion_pytorch_model.bin: PyTorch pickle files are not loaded");
    QVERIFY2(r.err.contains("safe_serialization=True"), r.err.constData());
  }

  void pathIsRequired() {
    const ProcessResult r = inspect({});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("needs 1 argument"), r.err.constData());
  }
};

QTEST_GUILESS_MAIN(TestCliInspect)
#include "tst_cli_inspect.moc"
