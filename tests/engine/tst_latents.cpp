// `tessera latents` on the golden tiny SD2 model: the stored latents are the VAE posterior mean x
// scaling factor and the text states the text encoder's output (fp16 tolerance); a run killed
// with SIGKILL at random moments and rerun, and a run split over two ranks, end with the same
// bytes as one uninterrupted run; training's mds_latents source reads the shards without scaling
// them again, and `tessera train` runs on them. Also runs the data-path benchmarks once.

#include "test_support.h"

#include "image/image_decode.h"
#include "image/resize.h"
#include "io/diffusers_folder.h"
#include "models/autoencoder_kl.h"
#include "models/clip_text_model.h"
#include "shards/latent_shard_info.h"
#include "shards/mds_reader.h"
#include "shards/mds_writer.h"
#include "text/clip_tokenizer.h"
#include "training/data_source.h"
#include "training/run_config.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <torch/torch.h>

#include <map>

using tessera::test::binary;

namespace {

constexpr int kSamples = 23;  // one of them undecodable
constexpr int kBad = 7;

std::string caption_of(int i) { return "a picture number " + std::to_string(i) + " of a red fox"; }

// Photo-like test images of several sizes and aspects (so the centre crop matters), as JPEG and PNG.
std::string image_bytes(int i) {
  if (i == kBad) return "this is not an image";
  const int w = 24 + (i % 4) * 12, h = 20 + (i % 3) * 14;
  tessera::image::Image img;
  img.width = w;
  img.height = h;
  img.channels = 3;
  img.pixels.resize(static_cast<size_t>(w * h * 3));
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < 3; ++c)
        img.pixels[static_cast<size_t>((y * w + x) * 3 + c)] = static_cast<uint8_t>((x * (7 + c) + y * (3 + i) + i * 29) % 256);
  const auto bytes = i % 2 ? tessera::image::encode_png(img) : tessera::image::encode_jpeg(img, 90);
  return std::string(bytes.begin(), bytes.end());
}

void write_image_shards(const QString& dir) {
  using namespace tessera::shards;
  MdsWriterOptions o;
  o.hashes = {"sha1"};
  o.size_limit = 4000;  // several input shards, so chunks cross shard boundaries
  MdsWriter w(dir.toStdString(), {{"image", "bytes"}, {"caption", "str"}, {"id", "str"}}, o);
  for (int i = 0; i < kSamples; ++i) {
    w.write(MdsSample().set_bytes("image", image_bytes(i)).set_str("caption", caption_of(i)).set_str("id", std::to_string(i)));
  }
  (void)w.finish();
}

QString golden_model() {
  const QString dir = tessera::test::goldenDir();
  return dir.isEmpty() ? QString() : dir + "/tiny-sd2";
}

QStringList latents_args(const QString& in, const QString& out, const QStringList& extra = {}) {
  return QStringList{"--threads", "1", "latents", "--model", golden_model(), "--shards", in, "--out", out,
                     "--shard-samples", "4", "--batch", "3", "--device", "cpu"} + extra;
}

// Every file of a folder by name (temporary files included, so leftovers show up).
std::map<QString, QByteArray> folder_bytes(const QString& dir) {
  std::map<QString, QByteArray> files;
  for (const QString& name : QDir(dir).entryList(QDir::Files)) {
    QFile f(dir + "/" + name);
    if (f.open(QIODevice::ReadOnly)) files[name] = f.readAll();
  }
  return files;
}

torch::Tensor half_tensor(const tessera::shards::NdArray& a) {
  std::vector<int64_t> shape(a.shape.begin(), a.shape.end());
  return torch::from_blob(const_cast<char*>(a.data.data()), shape, torch::kFloat16).to(torch::kFloat32);
}

}  // namespace

class TestLatents : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  QString images_, reference_;

 private Q_SLOTS:
  void initTestCase() {
    if (golden_model().isEmpty()) QSKIP("golden reference data not found: set TESSERA_GOLDEN_DIR");
    images_ = dir_.path() + "/images";
    reference_ = dir_.path() + "/reference";
    write_image_shards(images_);
    const auto r = tessera::test::run(binary("tessera"), latents_args(images_, reference_), 300000);
    QVERIFY2(r.exitCode == 0 && !r.crashed, r.err.constData());
    QVERIFY2(r.err.contains("skipped") && r.err.contains("sample 7"), r.err.constData());
  }

  void latentsAreTheEncodersOutputScaledOnce() {
    using namespace tessera;
    shards::MdsDataset out(reference_.toStdString());
    QCOMPARE(out.num_samples(), uint64_t(kSamples - 1));
    QCOMPARE(out.num_shards(), size_t((kSamples + 3) / 4));
    const auto info = shards::read_latent_shard_info(reference_.toStdString());
    QVERIFY(info.has_value());
    QVERIFY(info->latents_are_scaled);
    QCOMPARE(info->scaling_factor, 0.18215);
    QCOMPARE(info->latent_distribution, std::string("mean"));
    QCOMPARE(info->resolution, 16);  // unet sample_size 8 x VAE factor 2
    QCOMPARE(info->latent_shape, (std::vector<int64_t>{4, 8, 8}));
    QCOMPARE(info->text_shape, (std::vector<int64_t>{77, 32}));

    const std::string model = golden_model().toStdString();
    const io::DiffusersFolder folder = io::open_diffusers_folder(model);
    auto vae = models::load_vae(folder.vae_dir());
    auto text_encoder = models::load_clip_text_model(folder.text_encoder_dir());
    const CLIPTokenizer tokenizer = CLIPTokenizer::from_folder(folder.tokenizer_dir());
    vae->eval();
    c10::InferenceMode inference;
    std::map<std::string, int> seen;
    for (size_t s = 0; s < out.num_shards(); ++s) {
      const auto shard = out.load_shard(s);
      for (size_t k = 0; k < shard->size(); ++k) {
        const auto view = shard->sample(k);
        const std::string caption = view.str("caption");
        int i = -1;
        for (int j = 0; j < kSamples; ++j)
          if (caption_of(j) == caption) i = j;
        QVERIFY2(i >= 0 && i != kBad, caption.c_str());
        ++seen[caption];
        const std::string bytes = image_bytes(i);
        // As the command decodes: a JPEG may decode at a DCT scale that keeps its short side >= 16.
        const auto rgb = image::decode_image(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), {}, nullptr, 16);
        const auto square = image::center_crop_resize(rgb, 16);
        const torch::Tensor x = torch::from_blob(const_cast<uint8_t*>(square.pixels.data()), {1, 16, 16, 3}, torch::kUInt8)
                                    .permute({0, 3, 1, 2})
                                    .to(torch::kFloat32)
                                    .div(127.5)
                                    .sub(1.0);
        const torch::Tensor want_latents = (vae->encode(x).mean() * 0.18215)[0];
        const torch::Tensor got_latents = half_tensor(view.ndarray("latents"));
        QVERIFY2(torch::allclose(got_latents, want_latents, 2e-3, 2e-3),
                 (caption + ": latents differ by " + std::to_string((got_latents - want_latents).abs().max().item<float>())).c_str());
        const auto ids = tokenizer.encode_padded(caption, 77).input_ids;
        const torch::Tensor want_text = text_encoder->encode(torch::tensor(ids, torch::kInt64).unsqueeze(0))[0];
        const torch::Tensor got_text = half_tensor(view.ndarray("encoder_hidden_states"));
        QVERIFY2(torch::allclose(got_text, want_text, 2e-3, 2e-3), caption.c_str());
      }
    }
    QCOMPARE(seen.size(), size_t(kSamples - 1));
  }

  void trainingReadsThemWithoutScalingAgain() {
    using namespace tessera;
    training::RunConfig c;
    c.dataset.kind = "mds_latents";
    c.dataset.path = reference_.toStdString();
    c.dataset.shuffle = false;
    c.model.latents_are_scaled = false;  // the index's record wins: still scaled exactly once
    auto source = training::make_data_source(c);
    QCOMPARE(source->samples_per_epoch(), int64_t(kSamples - 1));
    const training::TrainingBatch b = source->read(0, 3);
    QCOMPARE(b.latents.sizes(), (c10::IntArrayRef{3, 4, 8, 8}));
    QCOMPARE(b.encoder_hidden_states.sizes(), (c10::IntArrayRef{3, 77, 32}));
    shards::MdsDataset out(reference_.toStdString());
    const torch::Tensor first = half_tensor(out.load_shard(0)->sample(0).ndarray("latents"));
    QVERIFY(torch::equal(b.latents[0], first));
    // A model whose VAE scales differently is refused rather than silently mis-scaled.
    c.model.latent_scale = 0.13025;
    bool refused = false;
    try {
      (void)training::make_data_source(c);
    } catch (const std::exception& e) {
      refused = QString(e.what()).contains("scaling factor");
    }
    QVERIFY(refused);
  }

  void trainCommandRunsOnTheLatentShards() {
    const QString cfg = dir_.path() + "/train.yaml";
    QFile f(cfg);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QStringLiteral(R"(name: latents-tiny
seed: 3
batch_size: 4
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
dataset:
  kind: mds_latents
  path: %1
trainer:
  max_duration: 3
  device_train_microbatch_size: 4
  save_interval: 3
  device: cpu
)").arg(reference_).toUtf8());
    f.close();
    const auto r = tessera::test::run(binary("tessera"), {"--threads", "1", "train", "--config", cfg, "--run-dir", dir_.path() + "/run"}, 300000);
    QVERIFY2(r.exitCode == 0 && !r.crashed, r.err.constData());
    QFile metrics(dir_.path() + "/run/metrics.jsonl");
    QVERIFY(metrics.open(QIODevice::ReadOnly));
    QVERIFY2(metrics.readAll().contains("\"loss\""), "no loss logged");
  }

  void killedAtRandomMomentsEndsWithTheSameBytes() {
    const auto reference = folder_bytes(reference_);
    QVERIFY(reference.count("index.json") == 1 && reference.count("shard.00005.mds") == 1);
    QElapsedTimer clock;
    clock.start();
    const auto again = tessera::test::run(binary("tessera"), latents_args(images_, dir_.path() + "/timing"), 300000);
    QVERIFY2(again.exitCode == 0, again.err.constData());
    const int wholeRunMs = int(std::max<qint64>(clock.elapsed(), 100));

    const quint32 seed = QRandomGenerator::global()->generate();
    qInfo("kill schedule seed %u", seed);
    QRandomGenerator rng(seed);
    const QString out = dir_.path() + "/killed";
    int kills = 0;
    bool finished = false;
    for (int attempt = 0; attempt < 9 && !finished; ++attempt) {
      QProcess p;
      p.start(binary("tessera"), latents_args(images_, out));
      QVERIFY(p.waitForStarted(10000));
      const int delay = wholeRunMs / 4 + int(rng.bounded(quint32(wholeRunMs * 3 / 4)));
      if (!p.waitForFinished(attempt < 8 ? delay : 300000)) {
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
    QVERIFY(folder_bytes(out) == reference);

    // A kill between a shard's temporary file and its rename, and lost shards: deterministic.
    const QString partial = dir_.path() + "/partial";
    QVERIFY(QDir().mkpath(partial));
    for (const auto& [name, bytes] : reference) {
      if (name == "index.json" || name == "shard.00002.mds" || name == "shard.00004.mds") continue;
      QFile f(partial + "/" + name);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(bytes);
    }
    QFile stale(partial + "/shard.00002.mds.tmp.4242");
    QVERIFY(stale.open(QIODevice::WriteOnly));
    stale.write(reference.at("shard.00002.mds").left(100));
    stale.close();
    const auto resumed = tessera::test::run(binary("tessera"), latents_args(images_, partial), 300000);
    QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
    QVERIFY2(resumed.out.contains("2 shard(s) written") && resumed.out.contains("4 kept"), resumed.out.constData());
    QVERIFY(folder_bytes(partial) == reference);

    // Rerunning a finished folder changes nothing; other settings are refused.
    const auto done = tessera::test::run(binary("tessera"), latents_args(images_, partial), 300000);
    QVERIFY2(done.exitCode == 0 && done.out.contains("already complete"), done.out.constData());
    const auto other = tessera::test::run(binary("tessera"), latents_args(images_, partial, {"--resolution", "32"}), 300000);
    QCOMPARE(other.exitCode, 1);
    QVERIFY2(other.err.contains("other settings (resolution, latent_shape)"), other.err.constData());
  }

  // The data-path benchmarks run on small inputs (the timings themselves are docs/PERFORMANCE.md's).
  void dataBenchmarksRun() {
    const auto read = tessera::test::run(binary("tessera"), {"--threads", "1", "bench", "latent-read", "--latent-dir", reference_,
                                                             "--batch", "4", "--repeat", "1", "--warmup", "0", "--json"});
    QVERIFY2(read.exitCode == 0, read.err.constData());
    QVERIFY2(read.out.contains("\"name\":\"latent-read\"") && read.out.contains("\"items\":22"), read.out.constData());
    const QString images = dir_.path() + "/bench-images";
    QVERIFY(QDir().mkpath(images));
    for (int i : {0, 1, 2}) {
      QFile f(images + QStringLiteral("/%1.img").arg(i));
      QVERIFY(f.open(QIODevice::WriteOnly));
      const std::string bytes = image_bytes(i);
      f.write(bytes.data(), qint64(bytes.size()));
    }
    const auto resize = tessera::test::run(binary("tessera"), {"--threads", "1", "bench", "decode-resize", "--images", images,
                                                               "--side", "16", "--repeat", "1", "--warmup", "0"});
    QVERIFY2(resize.exitCode == 0 && resize.out.contains("decode-resize-16"), resize.err.constData());
    const auto missing = tessera::test::run(binary("tessera"), {"bench", "decode-resize"});
    QCOMPARE(missing.exitCode, 2);
  }

  void twoRanksWriteWhatOneRankWrites() {
    const QString out = dir_.path() + "/ranks";
    QProcess ranks[2];
    for (int r = 1; r >= 0; --r) {  // rank 1 first: rank 0 must wait for its shards
      QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
      env.insert("RANK", QString::number(r));
      env.insert("WORLD_SIZE", "2");
      ranks[r].setProcessEnvironment(env);
      ranks[r].start(binary("tessera"), latents_args(images_, out));
      QVERIFY(ranks[r].waitForStarted(10000));
    }
    for (auto& p : ranks) {
      QVERIFY(p.waitForFinished(300000));
      QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, p.readAllStandardError().constData());
    }
    QVERIFY(QString(ranks[1].readAllStandardOutput()).contains("rank 1/2: 3 shard(s) written"));
    QVERIFY(folder_bytes(out) == folder_bytes(reference_));
  }
};

QTEST_GUILESS_MAIN(TestLatents)
#include "tst_latents.moc"
