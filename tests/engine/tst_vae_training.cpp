// Image shards feeding the run trainer (dataset.kind mds_images), the VAE trained by `tessera
// train`'s trainer (model.trains: vae): loss going down, exact resume, reconstructions as samples,
// checkpoints and both export forms, starting from pretrained weights; and the frozen encoders of
// a UNet run in lower precision (model.frozen_precision).

#include "catalog_test_images.h"
#include "test_support.h"

#include "image/image_decode.h"
#include "image/png_io.h"
#include "image/resize.h"
#include "io/diffusers_folder.h"
#include "io/safetensors.h"
#include "models/autoencoder_kl.h"
#include "shards/mds_writer.h"
#include "tessera/error.h"
#include "tessera/train.h"
#include "text/clip_tokenizer.h"
#include "tiny_unet_yaml.h"
#include "training/checkpoint.h"
#include "training/data_source.h"
#include "training/run_config.h"
#include "training/trainer.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <fstream>
#include <map>

using namespace tessera::training;

namespace {

constexpr int kImages = 10;

// Smooth pictures of several sizes and aspects (the centre crop matters), as PNG and JPEG.
std::string image_file(int i) {
  const auto img = tessera::test::pattern(20 + (i % 3) * 8, 18 + (i % 2) * 10, 100 + static_cast<uint32_t>(i));
  const auto bytes = i % 2 ? tessera::image::encode_png(img) : tessera::image::encode_jpeg(img, 92);
  return std::string(bytes.begin(), bytes.end());
}

std::string caption_of(int i) { return i % 2 ? "a striped red square" : "a blue circle"; }

void write_image_shards(const QString& dir, const std::string& broken = {}) {
  using namespace tessera::shards;
  MdsWriterOptions o;
  o.size_limit = 3000;  // several shards
  MdsWriter w(dir.toStdString(), {{"image", "bytes"}, {"caption", "str"}}, o);
  for (int i = 0; i < kImages; ++i) {
    w.write(MdsSample().set_bytes("image", i == 3 && !broken.empty() ? broken : image_file(i)).set_str("caption", caption_of(i)));
  }
  QVERIFY(w.finish().shards > 1);
}

std::string vae_yaml(const QString& shards, const std::string& extra_model = {}, const std::string& vae_block = {}) {
  const std::string vae = vae_block.empty() ? R"(  vae:
    block_out_channels: [8, 16]
    down_block_types: [DownEncoderBlock2D, DownEncoderBlock2D]
    up_block_types: [UpDecoderBlock2D, UpDecoderBlock2D]
    layers_per_block: 1
    norm_num_groups: 4
    latent_channels: 4
    sample_size: 16
)"
                                            : vae_block;
  return R"(name: tiny-vae
seed: 3
image_size: 16
batch_size: 4
model:
  trains: vae
)" + vae + extra_model + R"(dataset:
  kind: mds_images
  path: ")" + shards.toStdString() + R"("
  shuffle_seed: 11
optimizer:
  lr: 3.0e-3
  weight_decay: 0
scheduler:
  t_warmup: 1
ema:
  enabled: true
  smoothing: 0.8
  start: 2
trainer:
  max_duration: 12
  device_train_microbatch_size: 2
  save_interval: 4
  save_num_checkpoints_to_keep: 5
  device: cpu
sampling:
  interval: 6
)";
}

NamedTensors run(const RunConfig& c, const QString& dir, int64_t stop_after = -1, std::vector<double>* losses = nullptr) {
  TrainerOptions o;
  o.run_dir = dir.toStdString();
  o.stop_after_steps = stop_after;
  if (losses != nullptr) o.on_step = [losses](const StepReport& r) { losses->push_back(r.loss); return true; };
  Trainer t(c, o);
  t.run();
  NamedTensors w = t.named_weights();
  for (auto& kv : w) kv.second = kv.second.clone();
  return w;
}

bool equal_weights(const NamedTensors& a, const NamedTensors& b) {
  if (a.size() != b.size() || a.empty()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].first != b[i].first || !torch::equal(a[i].second, b[i].second)) return false;
  return true;
}

}  // namespace

class TestVaeTraining : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { torch::set_num_threads(1); }

  // Pixels are the decoded, centre-cropped, resized images in [-1, 1], in streaming's order;
  // captions become token ids when the run has a tokenizer; a broken image stops with its position.
  void imageShardsGivePixelsAndTokenIds() {
    QTemporaryDir dir;
    const QString shards = dir.path() + "/images";
    write_image_shards(shards);
    RunConfig c = parse_run_config(vae_yaml(shards), "vae.yaml");
    c.dataset.shuffle = false;
    const auto source = make_data_source(c);
    QCOMPARE(source->samples_per_epoch(), int64_t(kImages));
    const TrainingBatch b = source->read(8, 4);  // crosses the epoch boundary: 8, 9, 0, 1
    QCOMPARE(b.pixels.sizes(), torch::IntArrayRef({4, 3, 16, 16}));
    QVERIFY(!b.input_ids.defined());  // a VAE run reads no captions
    const int want[] = {8, 9, 0, 1};
    for (int k = 0; k < 4; ++k) {
      const std::string f = image_file(want[k]);
      const auto square = tessera::image::center_crop_resize(
          tessera::image::decode_image(reinterpret_cast<const uint8_t*>(f.data()), f.size(), {}, nullptr, 16), 16);
      const torch::Tensor expected = torch::from_blob(const_cast<uint8_t*>(square.pixels.data()), {16, 16, 3}, torch::kUInt8)
                                         .permute({2, 0, 1}).to(torch::kFloat32).div(127.5).sub(1.0);
      QVERIFY(torch::equal(b.pixels[k], expected));
    }

    const QString golden = tessera::test::goldenDir();
    if (!golden.isEmpty()) {  // a UNet run encoding on the fly tokenizes the captions
      RunConfig u = c;
      u.model.trains = "unet";
      u.model.pretrained_components = (golden + "/tiny-sd2").toStdString();
      u.model.precomputed_latents = false;
      const auto tokenizer = tessera::CLIPTokenizer::from_folder(u.model.pretrained_components + "/tokenizer");
      const TrainingBatch t = make_data_source(u)->read(1, 2);
      QCOMPARE(t.input_ids.size(0), int64_t(2));
      const auto ids = tokenizer.encode_padded(caption_of(2), tokenizer.model_max_length()).input_ids;
      QVERIFY(torch::equal(t.input_ids[1], torch::tensor(ids, torch::kInt64)));
    }

    const QString broken = dir.path() + "/broken";
    write_image_shards(broken, "GIF89a not really");
    c.dataset.path = broken.toStdString();
    try {
      (void)make_data_source(c)->read(2, 3);
      QFAIL("a broken image was read");
    } catch (const tessera::Error& e) {
      QVERIFY2(QString(e.what()).contains("stream position 3"), e.what());
    }
  }

  void configsThatCannotWorkAreRefused() {
    const QString shards = "/nonexistent";
    // A VAE run needs images; a UNet run on images must encode them on the fly.
    std::string y = vae_yaml(shards);
    y.replace(y.find("kind: mds_images"), 16, "kind: mds_latents");
    QVERIFY_THROWS_EXCEPTION(tessera::Error, parse_run_config(y, "vae.yaml"));
    const std::string no_arch = vae_yaml(shards, {}, "  kl_weight: 1.0e-6\n");
    try {
      (void)parse_run_config(no_arch, "vae.yaml");
      QFAIL("a VAE run without an architecture was accepted");
    } catch (const tessera::Error& e) {
      QVERIFY2(QString(e.what()).contains("model.vae"), e.what());
    }
    std::string unet = "image_size: 16\nbatch_size: 2\nmodel:\n  unet:\n" + std::string(tiny_unet_yaml()) +
                       "dataset:\n  kind: mds_images\n  path: /x\n";
    QVERIFY_THROWS_EXCEPTION(tessera::Error, parse_run_config(unet, "unet.yaml"));
    QVERIFY_THROWS_EXCEPTION(tessera::Error, parse_run_config(vae_yaml(shards, "  frozen_precision: fp8\n"), "vae.yaml"));
  }

  // The whole run cycle for a VAE: the loss goes down; a run stopped after a checkpoint and resumed
  // ends bit-identical; checkpoints hold vae.safetensors; samples are reconstructions; the export
  // is a vae folder that loads, or (with components) a diffusers folder with this VAE.
  void trainsTheVaeThroughTheRunTrainer() {
    QTemporaryDir dir;
    const QString shards = dir.path() + "/images";
    write_image_shards(shards);
    const RunConfig c = parse_run_config(vae_yaml(shards), "vae.yaml");
    // The resolved config reads back the same.
    QCOMPARE(to_yaml(parse_run_config(to_yaml(c), "again.yaml")), to_yaml(c));

    std::vector<double> losses;
    const NamedTensors full = run(c, dir.path() + "/full", -1, &losses);
    QCOMPARE(losses.size(), size_t(12));
    double first = (losses[0] + losses[1]) / 2, last = (losses[10] + losses[11]) / 2;
    QVERIFY2(last < 0.7 * first, (std::to_string(first) + " -> " + std::to_string(last)).c_str());
    (void)run(c, dir.path() + "/parts", /*stop_after=*/5);  // the step-4 checkpoint survives
    const NamedTensors resumed = run(c, dir.path() + "/parts");
    QVERIFY(equal_weights(full, resumed));

    const std::string last_dir = (dir.path() + "/full/checkpoints/step-00000012").toStdString();
    const CheckpointContents ck = read_checkpoint(last_dir, false);
    QVERIFY(ck.unet.empty());
    QVERIFY(!ck.vae.empty());
    QVERIFY(!ck.ema.empty());
    QVERIFY(QFile::exists(QString::fromStdString(last_dir) + "/vae.safetensors"));
    QVERIFY(!QFile::exists(QString::fromStdString(last_dir) + "/unet.safetensors"));
    const auto grid = tessera::image::read_png((dir.path() + "/full/samples/step-00000006/reconstructions.png").toStdString());
    QCOMPARE(grid.width, 4 * 16);
    QCOMPARE(grid.height, 2 * 16);

    // Export: a vae folder that the model loader (and diffusers' AutoencoderKL) reads.
    tessera::ExportOptions o;
    o.checkpoint_dir = last_dir;
    o.out_dir = (dir.path() + "/vae").toStdString();
    tessera::Status s = tessera::export_checkpoint(o);
    QVERIFY2(s.ok(), s.to_string().c_str());
    tessera::models::AutoencoderKL loaded = tessera::models::load_vae(o.out_dir);
    std::map<std::string, torch::Tensor> trained(full.begin(), full.end());
    for (const auto& kv : loaded->named_parameters(true)) QVERIFY2(torch::equal(kv.value(), trained.at(kv.key())), kv.key().c_str());
    QCOMPARE(tessera::io::read_json_object(o.out_dir + "/config.json").value("_class_name", ""), std::string("AutoencoderKL"));

    // With EMA and components: the components' pipeline with this VAE's EMA weights in vae/.
    TESSERA_REQUIRE_GOLDEN(golden);
    o.out_dir = (dir.path() + "/pipeline").toStdString();
    o.components_dir = (golden + "/tiny-sd2").toStdString();
    o.ema = true;
    s = tessera::export_checkpoint(o);
    QVERIFY2(s.ok(), s.to_string().c_str());
    const auto folder = tessera::io::open_diffusers_folder(o.out_dir);
    tessera::io::SafetensorsFile vae_file(folder.vae_dir() + "/diffusion_pytorch_model.safetensors");
    for (const auto& [name, t] : ck.ema) QVERIFY2(torch::equal(vae_file.get(name), t), name.c_str());
    tessera::io::SafetensorsFile unet_file(folder.unet_dir() + "/diffusion_pytorch_model.safetensors");
    tessera::io::SafetensorsFile golden_unet(o.components_dir + "/unet/diffusion_pytorch_model.safetensors");
    QVERIFY(torch::equal(unet_file.get("conv_in.weight"), golden_unet.get("conv_in.weight")));
  }

  // The facade `tessera train` and `tessera train --check` use: a VAE config file, relative paths
  // resolved against its folder.
  void facadeTrainsAVaeFromAConfigFile() {
    QTemporaryDir dir;
    write_image_shards(dir.path() + "/images");
    std::string yaml = vae_yaml("images");
    yaml.replace(yaml.find("max_duration: 12"), 16, "max_duration: 3");
    const std::string config = (dir.path() + "/vae.yaml").toStdString();
    std::ofstream(config) << yaml;
    std::string summary;
    tessera::Status s = tessera::check_run_config(config, &summary);
    QVERIFY2(s.ok(), s.to_string().c_str());
    QVERIFY2(QString::fromStdString(summary).contains("VAE "), summary.c_str());
    tessera::TrainOptions o;
    o.config_path = config;
    o.run_dir = (dir.path() + "/run").toStdString();
    int steps = 0;
    s = tessera::train(o, [&](const tessera::TrainProgress& p) { steps = static_cast<int>(p.step); return true; });
    QVERIFY2(s.ok(), s.to_string().c_str());
    QCOMPARE(steps, 3);
    QVERIFY(QFile::exists(dir.path() + "/run/checkpoints/step-00000003/vae.safetensors"));
  }

  // init_from a diffusers folder: the architecture comes from its vae/config.json and the run
  // starts from its weights (a zero learning rate leaves them as they were).
  void vaeRunStartsFromPretrainedWeights() {
    TESSERA_REQUIRE_GOLDEN(golden);
    QTemporaryDir dir;
    const QString shards = dir.path() + "/images";
    write_image_shards(shards);
    const std::string components = (golden + "/tiny-sd2").toStdString();
    RunConfig c = parse_run_config(vae_yaml(shards, {}, "  init_from: \"" + components + "\"\n"), "vae.yaml");
    QCOMPARE(c.model.vae_config.at("block_out_channels"), nlohmann::json({32, 64}));
    c.optimizer.lr = 0;
    c.trainer.max_duration = 1;
    c.sampling.interval = 0;
    c.ema.enabled = false;
    const NamedTensors w = run(c, dir.path() + "/run");
    tessera::io::SafetensorsFile original(components + "/vae/diffusion_pytorch_model.safetensors");
    for (const auto& [name, t] : w) QVERIFY2(torch::equal(t, original.get(name)), name.c_str());
  }

  // model.frozen_precision: bf16 encoders give a loss close to, but not equal to, fp32's; fp16
  // needs CUDA.
  void frozenEncodersRunInLowerPrecision() {
    TESSERA_REQUIRE_GOLDEN(golden);
    QTemporaryDir dir;
    const QString shards = dir.path() + "/images";
    write_image_shards(shards);
    const std::string yaml = "seed: 2\nimage_size: 16\nbatch_size: 4\nmodel:\n  unet:\n" + std::string(tiny_unet_yaml()) +
                             "    sample_size: 8\n  pretrained_components: \"" + (golden + "/tiny-sd2").toStdString() +
                             "\"\n  precomputed_latents: false\ndataset:\n  kind: mds_images\n  path: \"" +
                             shards.toStdString() + "\"\n  caption_drop_prob: 0.25\ntrainer:\n  max_duration: 2\n"
                             "  device_train_microbatch_size: 4\n  device: cpu\n";
    RunConfig c = parse_run_config(yaml, "unet.yaml");
    std::vector<double> fp32, bf16;
    (void)run(c, dir.path() + "/fp32", -1, &fp32);
    c.model.frozen_precision = "bf16";
    (void)run(c, dir.path() + "/bf16", -1, &bf16);
    QCOMPARE(fp32.size(), size_t(2));
    QCOMPARE(bf16.size(), size_t(2));
    for (size_t i = 0; i < 2; ++i) {
      QVERIFY2(fp32[i] != bf16[i], "bf16 encoders gave exactly the fp32 loss: they did not run in bf16");
      QVERIFY2(std::abs(fp32[i] - bf16[i]) < 0.05 * std::abs(fp32[i]), (std::to_string(fp32[i]) + " vs " + std::to_string(bf16[i])).c_str());
    }
    if (!torch::cuda::is_available()) {
      c.model.frozen_precision = "fp16";
      TrainerOptions o;
      o.run_dir = (dir.path() + "/fp16").toStdString();
      QVERIFY_THROWS_EXCEPTION(tessera::Error, Trainer(c, o).run());
    }
  }
};

QTEST_GUILESS_MAIN(TestVaeTraining)
#include "tst_vae_training.moc"
