// The training loop on a tiny UNet: a run interrupted after a checkpoint and resumed ends with
// bit-identical weights, optimizer state and EMA; metrics lines and events; checkpoint rotation
// and incomplete checkpoints; NaN policies; gradient accumulation; stage 2 from stage 1; export
// to a diffusers folder and sample images (with the golden tiny-sd2 components).

#include "io/safetensors.h"
#include "shards/mds_writer.h"
#include "tessera/error.h"
#include "tessera/generate.h"
#include "tessera/train.h"
#include "text/clip_tokenizer.h"
#include "training/checkpoint.h"
#include "training/run_config.h"
#include "training/trainer.h"

#include "test_support.h"
#include "tiny_unet_yaml.h"

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

std::string tiny_yaml(const std::string& extra_trainer = {}, int64_t text_tokens = 8) {
  return R"(name: tiny
seed: 5
batch_size: 8
model:
  unet:
)" + std::string(tiny_unet_yaml()) + R"(    sample_size: 8
  prediction_type: v_prediction
  offset_noise: 0.05
  min_snr_gamma: 5
dataset:
  kind: synthetic_latents
  synthetic_samples: 20
  latent_size: 8
  text_tokens: )" + std::to_string(text_tokens) + R"(
  text_dim: 32
  caption_drop_prob: 0.2
optimizer:
  lr: 1.0e-3
scheduler:
  name: cosine_with_warmup
  t_warmup: 2
ema:
  enabled: true
  smoothing: 0.9
  start: 2
trainer:
  max_duration: 6
  device_train_microbatch_size: 4
  grad_clip_norm: 1.0
  save_interval: 2
  save_num_checkpoints_to_keep: 2
  device: cpu
)" + extra_trainer;
}

RunConfig tiny_config(const std::string& extra = {}) { return parse_run_config(tiny_yaml(extra), "tiny.yaml"); }

std::vector<std::pair<std::string, torch::Tensor>> run(const RunConfig& c, const QString& dir, int64_t stop_after = -1,
                                                       DataSource* data = nullptr,
                                                       std::vector<std::pair<std::string, torch::Tensor>>* ema = nullptr) {
  TrainerOptions o;
  o.run_dir = dir.toStdString();
  o.stop_after_steps = stop_after;
  o.data = data;
  Trainer t(c, o);
  t.run();
  if (ema != nullptr) {
    *ema = t.named_ema_weights();
    for (auto& kv : *ema) kv.second = kv.second.clone();
  }
  auto w = t.named_weights();
  for (auto& kv : w) kv.second = kv.second.clone();
  return w;
}

bool equal_weights(const std::vector<std::pair<std::string, torch::Tensor>>& a,
                   const std::vector<std::pair<std::string, torch::Tensor>>& b) {
  if (a.size() != b.size() || a.empty()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].first != b[i].first || !torch::equal(a[i].second, b[i].second)) return false;
  return true;
}

double max_diff(const std::vector<std::pair<std::string, torch::Tensor>>& a,
                const std::vector<std::pair<std::string, torch::Tensor>>& b) {
  double m = 0;
  for (size_t i = 0; i < a.size(); ++i) m = std::max(m, (a[i].second - b[i].second).abs().max().item<double>());
  return m;
}

std::vector<nlohmann::json> read_metrics(const QString& dir) {
  std::ifstream in((dir + "/metrics.jsonl").toStdString());
  std::vector<nlohmann::json> out;
  std::string line;
  while (std::getline(in, line)) out.push_back(nlohmann::json::parse(line));
  return out;
}

int count_events(const std::vector<nlohmann::json>& lines, const std::string& name) {
  int n = 0;
  for (const auto& l : lines) n += l.value("event", "") == name ? 1 : 0;
  return n;
}

// An in-memory source that records where each read begins and fails from position `fail_at` on.
class RecordingSource : public DataSource {
 public:
  RecordingSource(TrainingBatch all, int64_t fail_at) : inner_(std::move(all), false, 0), fail_at_(fail_at) {}
  int64_t samples_per_epoch() const override { return inner_.samples_per_epoch(); }
  TrainingBatch read(int64_t begin, int64_t count) override {
    reads.push_back(begin);
    if (fail_at_ >= 0 && begin + count > fail_at_) throw tessera::Error("shard 3 is unreadable");
    return inner_.read(begin, count);
  }
  std::string describe() const override { return "recording"; }
  std::vector<int64_t> reads;

 private:
  InMemoryDataSource inner_;
  int64_t fail_at_;
};

TrainingBatch random_latents(int64_t n) {
  torch::manual_seed(1);
  TrainingBatch all;
  all.latents = torch::randn({n, 4, 8, 8});
  all.encoder_hidden_states = torch::randn({n, 8, 32});
  return all;
}

}  // namespace

class TestTrainer : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { torch::set_num_threads(1); }

  void resumeIsBitIdentical() {
    QTemporaryDir a, b;
    const RunConfig c = tiny_config();
    std::vector<std::pair<std::string, torch::Tensor>> ema_a, ema_b;
    const auto full = run(c, a.path(), -1, nullptr, &ema_a);

    (void)run(c, b.path(), 3);  // checkpoint at step 2, step 3 done but lost
    QCOMPARE(int(list_checkpoints(b.path().toStdString()).size()), 1);
    // An incomplete later checkpoint (no marker) and a temporary folder must be ignored.
    QDir(b.path()).mkpath("checkpoints/step-00000005");
    QDir(b.path()).mkpath("checkpoints/.step-00000004.tmp-1");
    QFile junk(b.path() + "/checkpoints/step-00000005/unet.safetensors");
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write("garbage");
    junk.close();
    const auto resumed = run(c, b.path(), -1, nullptr, &ema_b);
    QVERIFY(equal_weights(full, resumed));
    QVERIFY(!ema_a.empty());
    QVERIFY(equal_weights(ema_a, ema_b));
    QVERIFY(!QDir(b.path() + "/checkpoints/.step-00000004.tmp-1").exists());
    // The optimizer moments in the final checkpoints are identical too.
    const auto ca = read_checkpoint(a.path().toStdString() + "/checkpoints/step-00000006");
    const auto cb = read_checkpoint(b.path().toStdString() + "/checkpoints/step-00000006");
    QVERIFY(equal_weights(ca.exp_avg_sq, cb.exp_avg_sq));
    QCOMPARE(ca.state.samples_seen, int64_t(48));
    QCOMPARE(cb.optimizer_steps, int64_t(6));

    const auto events = read_metrics(b.path());
    QCOMPARE(count_events(events, "resume"), 1);
    QCOMPARE(count_events(events, "finish"), 1);
  }

  void metricsCheckpointsAndConfig() {
    QTemporaryDir dir;
    (void)run(tiny_config(), dir.path());
    const auto lines = read_metrics(dir.path());
    int steps = 0;
    for (const auto& l : lines) {
      if (!l.contains("step") || l.contains("event")) continue;
      ++steps;
      for (const char* key : {"loss", "lr", "grad_norm", "images_per_s", "samples_seen", "epoch", "rss_bytes", "time"})
        QVERIFY2(l.contains(key), key);
      QVERIFY(std::isfinite(l["loss"].get<double>()));
      QCOMPARE(l["samples_seen"].get<int64_t>(), l["step"].get<int64_t>() * 8);
    }
    QCOMPARE(steps, 6);
    QCOMPARE(count_events(lines, "start"), 1);
    QCOMPARE(count_events(lines, "checkpoint"), 3);
    QCOMPARE(count_events(lines, "finish"), 1);
    QCOMPARE(lines.front().value("event", ""), std::string("start"));
    QCOMPARE(lines[2]["lr"].get<double>(), 5e-4);  // step 2 of a 2-step warm-up: lr * 1/2 at step index 1
    // Keep the last 2.
    const auto kept = list_checkpoints(dir.path().toStdString());
    QCOMPARE(int(kept.size()), 2);
    QVERIFY(QString::fromStdString(kept[0]).endsWith("step-00000004"));
    QVERIFY(QFile::exists(QString::fromStdString(kept[1]) + "/COMPLETE"));
    QVERIFY(QFile::exists(QString::fromStdString(kept[1]) + "/ema.safetensors"));
    // The resolved config in the run folder and in the checkpoint reads back.
    const RunConfig back = load_run_config((dir.path() + "/config.yaml").toStdString());
    QCOMPARE(back.trainer.max_duration, int64_t(6));
    QCOMPARE(to_yaml(back), to_yaml(tiny_config()));
  }

  void accumulationDoesNotChangeTheResult() {
    QTemporaryDir a, b;
    RunConfig one = tiny_config();
    one.ema.enabled = false;
    one.trainer.device_train_microbatch_size = 8;  // 1 x 8
    RunConfig four = one;
    four.trainer.device_train_microbatch_size = 2;  // 4 x 2
    const auto wa = run(one, a.path());
    const auto wb = run(four, b.path());
    const double d = max_diff(wa, wb);
    qInfo("microbatch 8 vs 4 x 2: max |diff| = %g", d);
    QVERIFY2(d < 1e-5, qPrintable(QString::number(d)));
  }

  void updateInBackwardEqualsTheFlatUpdate() {
    // Without clipping, updating each parameter in its gradient hook is the same arithmetic on
    // the same gradients as the flat update after backward: bit-identical weights and EMA, no
    // gradient left behind, and a resumed run still equals an uninterrupted one.
    RunConfig flat = tiny_config();
    flat.trainer.grad_clip_norm = 0;
    flat.trainer.device_train_microbatch_size = 8;
    RunConfig inb = flat;
    inb.optimizer.implementation = "in_backward";
    QTemporaryDir a, b, c;
    std::vector<std::pair<std::string, torch::Tensor>> ema_a, ema_b, ema_c;
    const auto wa = run(flat, a.path(), -1, nullptr, &ema_a);
    TrainerOptions o;
    o.run_dir = b.path().toStdString();
    Trainer t(inb, o);
    t.run();
    for (const auto& p : t.unet()->parameters()) QVERIFY(!p.grad().defined());
    auto wb = t.named_weights();
    ema_b = t.named_ema_weights();
    QVERIFY(equal_weights(wa, wb));
    QVERIFY(equal_weights(ema_a, ema_b));
    // Logged gradient norms agree: summed per parameter in fp64 here, one fp32 reduction over the
    // flat buffer there (good to about 1e-5 relative).
    const auto la = read_metrics(a.path()), lb = read_metrics(b.path());
    int compared = 0;
    for (size_t i = 0; i < std::min(la.size(), lb.size()); ++i) {
      if (!la[i].contains("grad_norm")) continue;
      const double ga = la[i]["grad_norm"], gb = lb[i]["grad_norm"];
      QVERIFY2(std::abs(ga - gb) <= 1e-4 * std::max(1.0, ga), qPrintable(QString("%1 vs %2").arg(ga).arg(gb)));
      ++compared;
    }
    QCOMPARE(compared, 6);
    (void)run(inb, c.path(), 3);
    const auto wc = run(inb, c.path(), -1, nullptr, &ema_c);
    QVERIFY(equal_weights(wa, wc));
    QVERIFY(equal_weights(ema_a, ema_c));
  }

  void gradientCheckpointingTrainsTheSame() {
    // Recomputing the blocks' activations in backward changes what is stored, not what is
    // computed: the same weights up to the order in which the time embedding's and context's
    // gradients are summed; also combined with updates during backward (the parameters' hooks
    // then fire inside the recomputed segments' backward).
    RunConfig plain = tiny_config();
    plain.trainer.grad_clip_norm = 0;
    plain.trainer.device_train_microbatch_size = 8;
    plain.trainer.max_duration = 4;
    RunConfig ckpt = plain;
    ckpt.trainer.gradient_checkpointing = true;
    RunConfig both = ckpt;
    both.optimizer.implementation = "in_backward";
    QTemporaryDir a, b, c;
    const auto wa = run(plain, a.path());
    const auto wb = run(ckpt, b.path());
    const auto wc = run(both, c.path());
    const double d1 = max_diff(wa, wb), d2 = max_diff(wa, wc);
    qInfo("checkpointed vs plain: max |diff| = %g; checkpointed + in_backward: %g", d1, d2);
    QVERIFY2(d1 <= 1e-6, qPrintable(QString::number(d1)));
    QVERIFY2(d2 <= 1e-6, qPrintable(QString::number(d2)));
  }

  void lossScalingIsExactAndSkipsOverflows() {
    // Dynamic loss scaling (what amp_fp16 uses on GPUs) exercised in fp32 on the CPU: scaling by
    // a power of two and back is exact, so with no overflow the run equals the unscaled one bit
    // for bit, clipping included; the scale grows after growth_interval good steps.
    QTemporaryDir a, b, c;
    RunConfig plain = tiny_config();
    RunConfig scaled = plain;
    scaled.trainer.loss_scaling = "dynamic";
    scaled.trainer.loss_scale_growth_interval = 2;
    QVERIFY(scaled.uses_loss_scaling() && !plain.uses_loss_scaling());
    const auto wa = run(plain, a.path());
    const auto wb = run(scaled, b.path());
    QVERIFY(equal_weights(wa, wb));
    double last_scale = 0;
    for (const auto& l : read_metrics(b.path()))
      if (l.contains("loss_scale")) last_scale = l["loss_scale"];
    QCOMPARE(last_scale, 65536.0 * 8);  // doubled after steps 2, 4 and 6
    QCOMPARE(read_checkpoint(b.path().toStdString() + "/checkpoints/step-00000006").state.loss_scale, 65536.0 * 8);

    // fp32 overflows only near 3.4e38, so start at 2^126 and give step 2 a batch with large
    // (finite) latents: its scaled gradients overflow. That step is skipped (an "overflow"
    // event, not a NaN), the scale halves, and training goes on with finite weights.
    TrainingBatch all;
    torch::manual_seed(1);
    all.latents = torch::randn({16, 4, 8, 8});
    all.latents[5].mul_(1e6);
    all.encoder_hidden_states = torch::randn({16, 8, 32});
    RunConfig big = scaled;
    big.batch_size = 4;
    big.trainer.device_train_microbatch_size = 4;
    big.trainer.max_duration = 4;
    big.trainer.loss_scale_growth_interval = 2000;
    big.trainer.loss_scale_init = std::ldexp(1.0, 126);
    InMemoryDataSource data(all, false, 0);
    const auto wc = run(big, c.path(), -1, &data);
    const auto lines = read_metrics(c.path());
    QVERIFY(count_events(lines, "overflow") >= 1);
    QCOMPARE(count_events(lines, "nan"), 0);
    bool step2 = false;
    for (const auto& l : lines) step2 = step2 || (l.value("event", "") == "overflow" && l["step"].get<int64_t>() == 2);
    QVERIFY(step2);
    for (const auto& kv : wc) QVERIFY(torch::isfinite(kv.second).all().item<bool>());
    const double final_scale = read_checkpoint(c.path().toStdString() + "/checkpoints/step-00000004").state.loss_scale;
    QVERIFY2(final_scale < std::ldexp(1.0, 126) && final_scale > 0, qPrintable(QString::number(final_scale)));
  }

  void updateInBackwardRefusesWhatItCannotDo() {
    // Clipping needs the global norm before any update: refused when the config is read.
    RunConfig c = tiny_config();  // grad_clip_norm: 1.0
    c.optimizer.implementation = "in_backward";
    const std::string yaml = to_yaml(c);
    QString error;
    try {
      (void)parse_run_config(yaml, "x.yaml");
    } catch (const tessera::Error& e) {
      error = e.what();
    }
    QVERIFY2(error.contains("in_backward") && error.contains("grad_clip_norm"), qPrintable(error));
    // Loss scaling must be able to skip a step before any parameter changes.
    RunConfig scaled = c;
    scaled.trainer.grad_clip_norm = 0;
    scaled.trainer.loss_scaling = "dynamic";
    error.clear();
    try {
      (void)parse_run_config(to_yaml(scaled), "x.yaml");
    } catch (const tessera::Error& e) {
      error = e.what();
    }
    QVERIFY2(error.contains("loss scaling"), qPrintable(error));
    // Gradient accumulation (microbatch 4 of a global batch of 8): refused when training starts.
    c.trainer.grad_clip_norm = 0;
    QTemporaryDir dir;
    TrainerOptions o;
    o.run_dir = dir.path().toStdString();
    error.clear();
    try {
      Trainer(c, o).run();
    } catch (const tessera::Error& e) {
      error = e.what();
    }
    QVERIFY2(error.contains("accumulation"), qPrintable(error));
    // A process group, even of one rank (TESSERA_PROCESS_GROUP_FOR_ONE_RANK), would average whole
    // gradients that in_backward never holds: refused too.
    c.trainer.device_train_microbatch_size = c.batch_size;
    qputenv("TESSERA_PROCESS_GROUP_FOR_ONE_RANK", "1");
    error.clear();
    try {
      Trainer(c, o).run();
    } catch (const tessera::Error& e) {
      error = e.what();
    }
    qunsetenv("TESSERA_PROCESS_GROUP_FOR_ONE_RANK");
    QVERIFY2(error.contains("in_backward needs one rank"), qPrintable(error));
  }

  void nanStopsOrRollsBack_data() {
    QTest::addColumn<QString>("implementation");
    QTest::newRow("flat") << "flat";
    QTest::newRow("in_backward") << "in_backward";
  }

  void nanStopsOrRollsBack() {
    QFETCH(QString, implementation);
    // 16 samples in order; sample 5 is NaN, so step 2 (positions 4..7) produces a NaN loss.
    TrainingBatch all;
    torch::manual_seed(1);
    all.latents = torch::randn({16, 4, 8, 8});
    all.latents[5].fill_(std::numeric_limits<float>::quiet_NaN());
    all.encoder_hidden_states = torch::randn({16, 8, 32});
    RunConfig c = tiny_config();
    c.batch_size = 4;
    c.trainer.max_duration = 3;
    c.trainer.save_interval = 1;
    c.trainer.device_train_microbatch_size = 4;
    c.optimizer.implementation = implementation.toStdString();
    if (c.optimizer.implementation == "in_backward") c.trainer.grad_clip_norm = 0;
    {
      InMemoryDataSource data(all, false, 0);
      QTemporaryDir dir;
      TrainerOptions o;
      o.run_dir = dir.path().toStdString();
      o.data = &data;
      Trainer t(c, o);
      QString error;
      try {
        t.run();
      } catch (const tessera::Error& e) {
        error = e.what();
      }
      QVERIFY2(error.contains("NaN") && error.contains("step 2"), qPrintable(error));
      const auto lines = read_metrics(dir.path());
      QCOMPARE(count_events(lines, "nan"), 1);
      QCOMPARE(count_events(lines, "error"), 1);
      // The failed step's update may be in memory: the weights are refused, the checkpoint holds them.
      QVERIFY_THROWS_EXCEPTION(tessera::Error, (void)t.named_weights());
      QVERIFY_THROWS_EXCEPTION(tessera::Error, (void)t.named_ema_weights());
    }
    {
      c.trainer.nan_policy = "rollback";
      InMemoryDataSource data(all, false, 0);
      QTemporaryDir dir;
      const auto w = run(c, dir.path(), -1, &data);
      for (const auto& kv : w) QVERIFY(torch::isfinite(kv.second).all().item<bool>());
      const auto lines = read_metrics(dir.path());
      QCOMPARE(count_events(lines, "nan"), 1);
      QCOMPARE(count_events(lines, "rollback"), 1);
      const auto last = read_checkpoint(dir.path().toStdString() + "/checkpoints/step-00000003");
      QCOMPARE(int(last.state.skipped.size()), 1);
      QCOMPARE(last.state.skipped[0].first, int64_t(4));
      QCOMPARE(last.state.samples_seen, int64_t(16));  // 3 steps + the skipped batch
    }
  }

  void eachBatchIsReadOnceAndAFailedReadLosesNoStep() {
    // The next step's first microbatch is read while the current step runs: every microbatch is
    // still read once, nothing past the last step, and the reads follow the stream.
    RunConfig c = tiny_config();
    c.batch_size = 4;
    c.trainer.max_duration = 3;
    c.trainer.save_interval = 1;
    c.trainer.device_train_microbatch_size = 2;  // two microbatches per step
    {
      RecordingSource data(random_latents(16), -1);
      QTemporaryDir dir;
      (void)run(c, dir.path(), -1, &data);
      QCOMPARE(data.reads, (std::vector<int64_t>{0, 2, 4, 6, 8, 10}));
    }
    {
      RecordingSource data(random_latents(16), -1);
      QTemporaryDir dir;
      (void)run(c, dir.path(), /*stop_after=*/2, &data);
      QCOMPARE(data.reads, (std::vector<int64_t>{0, 2, 4, 6}));
    }
    // Step 3's data cannot be read. The read ahead fails during step 2, yet step 2 is finished,
    // logged and checkpointed before the run stops with the source's error.
    RecordingSource data(random_latents(16), 8);
    QTemporaryDir dir;
    QString error;
    try {
      (void)run(c, dir.path(), -1, &data);
    } catch (const tessera::Error& e) {
      error = e.what();
    }
    QVERIFY2(error.contains("shard 3 is unreadable"), qPrintable(error));
    QVERIFY(QDir(dir.path() + "/checkpoints/step-00000002").exists());
    QVERIFY(!QDir(dir.path() + "/checkpoints/step-00000003").exists());
    int64_t last_step = 0;
    for (const auto& l : read_metrics(dir.path()))
      if (l.contains("loss")) last_step = l["step"].get<int64_t>();
    QCOMPARE(last_step, int64_t(2));
  }

  void stageTwoStartsFromStageOne() {
    QTemporaryDir a, b;
    const auto stage1 = run(tiny_config(), a.path());
    RunConfig c = tiny_config();
    c.model.init_from = (a.path() + "/checkpoints/step-00000006").toStdString();
    c.optimizer.lr = 0;  // one step with lr 0 leaves the weights as loaded
    c.scheduler.t_warmup = 0;
    c.trainer.max_duration = 1;
    const auto stage2 = run(c, b.path());
    QVERIFY(equal_weights(stage1, stage2));
    QCOMPARE(count_events(read_metrics(b.path()), "stage"), 1);
  }

  void exportAndSamplesWithGoldenComponents() {
    TESSERA_REQUIRE_GOLDEN(golden);
    QTemporaryDir dir;
    RunConfig c = parse_run_config(tiny_yaml({}, 77), "tiny.yaml");
    c.model.pretrained_components = (golden + "/tiny-sd2").toStdString();
    c.trainer.max_duration = 3;  // the EMA starts at step 2 as a copy, so at step 3 it differs
    c.sampling.interval = 2;
    c.sampling.prompts = {"a red circle"};
    c.sampling.steps = 3;
    c.sampling.guidance = 2;
    c.dataset.caption_drop_prob = 0.5;  // uses the text encoder's empty-prompt embedding
    const auto w = run(c, dir.path());
    QVERIFY(!QDir(dir.path() + "/samples/step-00000002").entryList({"*.png"}).isEmpty());

    const QString out = dir.path() + "/export";
    tessera::ExportOptions o;
    o.checkpoint_dir = (dir.path() + "/checkpoints/step-00000003").toStdString();
    o.out_dir = out.toStdString();
    const tessera::Status s = tessera::export_checkpoint(o);
    QVERIFY2(s.ok(), s.to_string().c_str());
    tessera::io::SafetensorsFile f((out + "/unet/diffusion_pytorch_model.safetensors").toStdString());
    for (const auto& [name, t] : w) QVERIFY2(torch::equal(f.get(name), t), name.c_str());
    std::unique_ptr<tessera::ImageGenerator> gen;
    const tessera::Status opened = tessera::ImageGenerator::open(out.toStdString(), &gen);
    QVERIFY2(opened.ok(), opened.to_string().c_str());

    o.out_dir = (dir.path() + "/export-ema").toStdString();
    o.ema = true;
    const tessera::Status se = tessera::export_checkpoint(o);
    QVERIFY2(se.ok(), se.to_string().c_str());
    tessera::io::SafetensorsFile fe((dir.path() + "/export-ema/unet/diffusion_pytorch_model.safetensors").toStdString());
    QVERIFY(!torch::equal(fe.get("conv_in.weight"), f.get("conv_in.weight")));
  }

  void trainsFromMdsLatentShards() {
    QTemporaryDir dir;
    const QString shards = dir.path() + "/latents";
    torch::manual_seed(9);
    const auto latents = torch::randn({12, 4, 8, 8}).to(torch::kHalf);
    const auto text = torch::randn({12, 8, 32}).to(torch::kHalf);
    {
      tessera::shards::MdsWriterOptions wo;
      wo.size_limit = 4000;  // several shards
      tessera::shards::MdsWriter writer(shards.toStdString(),
                                        {{"latents", "ndarray:float16:4,8,8"}, {"encoder_hidden_states", "ndarray:float16:8,32"}}, wo);
      for (int64_t i = 0; i < 12; ++i) {
        auto nd = [](const torch::Tensor& t) {
          tessera::shards::NdArray a;
          a.dtype = "float16";
          for (int64_t d : t.sizes()) a.shape.push_back(static_cast<uint64_t>(d));
          a.data.assign(static_cast<const char*>(t.data_ptr()), static_cast<size_t>(t.numel() * 2));
          return a;
        };
        writer.write(tessera::shards::MdsSample().set_ndarray("latents", nd(latents[i].contiguous()))
                         .set_ndarray("encoder_hidden_states", nd(text[i].contiguous())));
      }
      QVERIFY(writer.finish().shards > 1);
    }
    RunConfig c = tiny_config();
    c.dataset.kind = "mds_latents";
    c.dataset.path = shards.toStdString();
    const auto source = make_data_source(c);
    QCOMPARE(source->samples_per_epoch(), int64_t(12));
    // One epoch is a permutation of the samples.
    const auto epoch = source->read(0, 12);
    QVERIFY(torch::equal(std::get<0>(epoch.latents.flatten(1).sum(1).sort()), std::get<0>(latents.to(torch::kFloat).flatten(1).sum(1).sort())));
    QVERIFY(torch::equal(source->read(5, 1).encoder_hidden_states, epoch.encoder_hidden_states.slice(0, 5, 6)));
    // Stored order: bit for bit LibTorch's fp16 -> fp32 conversion (and the latent scaling), also
    // for a batch that crosses shards and the epoch boundary.
    {
      RunConfig stored_config = c;
      stored_config.dataset.shuffle = false;
      const auto stored = make_data_source(stored_config);
      torch::Tensor want = latents.to(torch::kFloat);
      if (!c.model.latents_are_scaled) want.mul_(c.model.latent_scale);
      const auto all = stored->read(0, 12);
      QVERIFY(torch::equal(all.latents, want));
      QVERIFY(torch::equal(all.encoder_hidden_states, text.to(torch::kFloat)));
      const auto wrap = stored->read(10, 4);
      const auto rows = torch::tensor({10, 11, 0, 1}, torch::kLong);
      QVERIFY(torch::equal(wrap.latents, want.index_select(0, rows)));
      QVERIFY(torch::equal(wrap.encoder_hidden_states, text.to(torch::kFloat).index_select(0, rows)));
    }
    c.trainer.max_duration = 2;
    const auto w = run(c, dir.path() + "/run");
    for (const auto& kv : w) QVERIFY(torch::isfinite(kv.second).all().item<bool>());
  }

  // model.train_text_encoder: captions as token ids, the text encoder's parameters in the
  // optimizer, its weights in checkpoints (and resumed exactly), EMA'd and exported.
  void trainsTheTextEncoderWithTheUNet() {
    TESSERA_REQUIRE_GOLDEN(golden);
    QTemporaryDir dir;
    const std::string components = (golden + "/tiny-sd2").toStdString();
    const auto tokenizer = tessera::CLIPTokenizer::from_folder(components + "/tokenizer");
    std::vector<int64_t> ids;
    const char* captions[] = {"a red circle", "a blue square", "a green triangle", "a white circle on black"};
    for (int i = 0; i < 12; ++i) {
      const auto e = tokenizer.encode_padded(captions[i % 4], tokenizer.model_max_length());
      ids.insert(ids.end(), e.input_ids.begin(), e.input_ids.end());
    }
    torch::manual_seed(4);
    const std::string data = (dir.path() + "/latents.safetensors").toStdString();
    tessera::io::save_safetensors(data, {{"latents", torch::randn({12, 4, 8, 8})},
                                         {"input_ids", torch::tensor(ids).view({12, -1})}});
    RunConfig c = parse_run_config(tiny_yaml({}, 77), "tiny.yaml");
    c.model.pretrained_components = components;
    c.model.train_text_encoder = true;
    c.dataset.kind = "latents_safetensors";
    c.dataset.path = data;
    c.dataset.caption_drop_prob = 0.3;
    const auto full = run(c, dir.path() + "/full");
    (void)run(c, dir.path() + "/parts", /*stop_after=*/3);
    const auto resumed = run(c, dir.path() + "/parts");
    QVERIFY(equal_weights(full, resumed));

    const std::string last = "/checkpoints/step-00000006";
    const CheckpointContents a = read_checkpoint((dir.path() + "/full").toStdString() + last, false);
    const CheckpointContents b = read_checkpoint((dir.path() + "/parts").toStdString() + last, false);
    QVERIFY(!a.text_encoder.empty());
    QVERIFY(equal_weights(a.text_encoder, b.text_encoder));
    QVERIFY(equal_weights(a.ema, b.ema));
    tessera::io::SafetensorsFile original(components + "/text_encoder/model.safetensors");
    std::map<std::string, torch::Tensor> te(a.text_encoder.begin(), a.text_encoder.end());
    QVERIFY(!torch::equal(te.at("text_model.final_layer_norm.weight"), original.get("text_model.final_layer_norm.weight")));
    bool ema_has_text = false;
    for (const auto& [k, v] : a.ema) ema_has_text |= k.rfind("text_encoder.", 0) == 0;
    QVERIFY(ema_has_text);

    tessera::ExportOptions o;
    o.checkpoint_dir = (dir.path() + "/full").toStdString() + last;
    o.out_dir = (dir.path() + "/export").toStdString();
    o.ema = true;
    const tessera::Status s = tessera::export_checkpoint(o);
    QVERIFY2(s.ok(), s.to_string().c_str());
    tessera::io::SafetensorsFile exported(o.out_dir + "/text_encoder/model.safetensors");
    std::map<std::string, torch::Tensor> ema(a.ema.begin(), a.ema.end());
    for (const auto& [k, v] : a.text_encoder) QVERIFY2(torch::equal(exported.get(k), ema.at("text_encoder." + k)), k.c_str());

    // Text states instead of ids cannot train a text encoder.
    c.dataset.kind = "synthetic_latents";
    c.dataset.text_tokens = 77;
    TrainerOptions to;
    to.run_dir = (dir.path() + "/states").toStdString();
    QVERIFY_THROWS_EXCEPTION(tessera::Error, Trainer(c, to).run());
  }

  void unsupportedOptionsAreRefused() {
    QTemporaryDir dir;
    RunConfig c = tiny_config();
    c.trainer.precision = "amp_bf16";
    c.trainer.device = "cpu";
    TrainerOptions o;
    o.run_dir = dir.path().toStdString();
    QVERIFY_THROWS_EXCEPTION(tessera::Error, Trainer(c, o).run());
    c = tiny_config();
    c.dataset.kind = "mds_latents";
    c.dataset.path = "/nonexistent";
    QVERIFY_THROWS_EXCEPTION(tessera::Error, Trainer(c, o).run());
  }

  void cudaGraphNeedsACudaDevice() {
    // The config refuses trainer.cuda_graph with device: cpu; with device: auto on a machine
    // without a GPU the trainer does, before any step.
    if (torch::cuda::is_available()) QSKIP("this machine has a CUDA device");
    QTemporaryDir dir;
    RunConfig c = tiny_config();
    c.trainer.device = "auto";
    c.trainer.cuda_graph = true;
    TrainerOptions o;
    o.run_dir = dir.path().toStdString();
    try {
      Trainer(c, o).run();
      QFAIL("trainer.cuda_graph ran on the CPU");
    } catch (const tessera::Error& e) {
      QVERIFY2(QString(e.what()).contains("trainer.cuda_graph needs a CUDA device"), e.what());
    }
    QVERIFY(!QFile::exists(dir.path() + "/checkpoints"));
    // A config built in code (as the benchmark builds one) is checked by the trainer too.
    c.trainer.loss_scaling = "dynamic";
    try {
      Trainer(c, o).run();
      QFAIL("trainer.cuda_graph ran with loss scaling");
    } catch (const tessera::Error& e) {
      QVERIFY2(QString(e.what()).contains("cannot be used here: loss scaling"), e.what());
    }
  }
};

QTEST_GUILESS_MAIN(TestTrainer)
#include "tst_trainer.moc"
