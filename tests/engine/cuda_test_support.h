#pragma once
// What the GPU suites (tst_cuda, tst_cuda_kernels) share: the check for CUDA graphs in the build,
// relative errors, and short training runs of the tiny UNet on a device. Test-only header.

#include "core/torch_version.h"
#include "tiny_unet_yaml.h"
#include "training/run_config.h"
#include "training/step_graph.h"
#include "training/trainer.h"

#include <torch/torch.h>

#include <QFile>
#include <QString>
#include <QtTest/QtTest>

#include <algorithm>
#include <functional>
#include <string>
#include <utility>
#include <vector>

// Where CUDA graphs are missing on a GPU: a LibTorch of 2.2 or newer means the build lacked CUDA's
// headers, which a GPU build must not (the feature would silently be absent).
#if TESSERA_TORCH_AT_LEAST(2, 2)
#define TESSERA_REQUIRE_CUDA_GRAPHS()                                                                       \
  if (!tessera::training::StepGraph::built())                                                            \
  QFAIL("this build cannot capture CUDA graphs although LibTorch is 2.2 or newer: CUDA's headers "        \
        "(cuda_runtime_api.h) were missing at build time")
#else
#define TESSERA_REQUIRE_CUDA_GRAPHS() \
  if (!tessera::training::StepGraph::built()) QSKIP("LibTorch before 2.2: no CUDA graphs")
#endif

// The device the GPU suites run on: cuda:0, or the CPU with TESSERA_TEST_DEVICE=cpu (how the suites
// themselves are checked without a GPU); a skip of the whole suite where no GPU is visible. Full
// fp32 in the matrix units, so that fp32 comparisons mean something.
#define TESSERA_SELECT_TEST_DEVICE(device)                                                                  \
  do {                                                                                                     \
    if (qEnvironmentVariable("TESSERA_TEST_DEVICE", QStringLiteral("cuda")) == QStringLiteral("cpu")) {   \
      (device) = torch::Device(torch::kCPU);                                                               \
    } else {                                                                                               \
      if (!torch::cuda::is_available())                                                                    \
        QSKIP("no CUDA device visible (TESSERA_TEST_DEVICE=cpu runs these checks on the CPU)");            \
      (device) = torch::Device(torch::kCUDA, 0);                                                           \
    }                                                                                                      \
    at::globalContext().setAllowTF32CuBLAS(false);                                                         \
    at::globalContext().setAllowTF32CuDNN(false);                                                          \
  } while (false)

namespace tessera::test {

using tessera::training::RunConfig;
using tessera::training::Trainer;
using tessera::training::TrainerOptions;


// ||a - b|| / ||b|| over all elements, in float64 on the CPU.
inline double relative_error(const torch::Tensor& actual, const torch::Tensor& expected) {
  const auto a = actual.detach().to(torch::kCPU, torch::kFloat64);
  const auto e = expected.detach().to(torch::kCPU, torch::kFloat64);
  return (a - e).norm().item<double>() / std::max(e.norm().item<double>(), 1e-30);
}

inline std::string tiny_training_yaml(const std::string& device, const std::string& precision) {
  return R"(name: gpu-check
seed: 5
batch_size: 8
model:
  unet:
)" + std::string(tiny_unet_yaml()) + R"(    sample_size: 8
  prediction_type: epsilon
dataset:
  kind: synthetic_latents
  synthetic_samples: 32
  latent_size: 8
  text_tokens: 8
  text_dim: 32
  caption_drop_prob: 0.2
optimizer:
  lr: 1.0e-3
trainer:
  max_duration: 4
  device_train_microbatch_size: 8
  save_interval: 0
  device: )" + device + R"(
  precision: )" + precision + "\n";
}

struct TrainingRun {
  std::vector<std::pair<std::string, torch::Tensor>> weights;  // CPU copies
  QByteArray metrics;                                          // metrics.jsonl
};

inline TrainingRun train_tiny(const std::string& device, const std::string& precision, const QString& dir,
                       std::function<bool(const tessera::training::StepReport&)> on_step = nullptr,
                       const std::function<void(RunConfig&)>& adjust = nullptr) {
  RunConfig c = tessera::training::parse_run_config(tiny_training_yaml(device, precision), "gpu-check.yaml");
  if (adjust) adjust(c);
  TrainerOptions o;
  o.run_dir = dir.toStdString();
  o.resume = "never";
  o.on_step = std::move(on_step);
  Trainer t(c, o);
  t.run();
  TrainingRun r;
  for (auto& kv : t.named_weights()) r.weights.emplace_back(kv.first, kv.second.to(torch::kCPU).clone());
  QFile f(dir + QStringLiteral("/metrics.jsonl"));
  if (f.open(QIODevice::ReadOnly)) r.metrics = f.readAll();
  return r;
}

// The training-step variants the device tests run (data rows name them): clipping, EMA and two
// microbatches; the per-tensor optimizer with clipping; gradient checkpointing; "" as configured.
inline void apply_training_variant(RunConfig& c, const QString& variant) {
  if (variant == QStringLiteral("clip-ema-accumulate")) {
    c.trainer.grad_clip_norm = 1.0;
    c.ema.enabled = true;
    c.ema.start = 1;
    c.trainer.device_train_microbatch_size = 4;  // of a batch of 8
  } else if (variant == QStringLiteral("foreach")) {
    c.optimizer.implementation = "foreach";
    c.trainer.grad_clip_norm = 1.0;
  } else if (variant == QStringLiteral("checkpointing")) {
    c.trainer.gradient_checkpointing = true;
  }
}

// All the weights of a run as one vector (so that a tensor that started at zero, a bias, does
// not dominate a relative comparison).
inline torch::Tensor all_weights(const TrainingRun& r) {
  std::vector<torch::Tensor> parts;
  for (const auto& kv : r.weights) parts.push_back(kv.second.reshape({-1}).to(torch::kFloat64));
  return torch::cat(parts);
}

}  // namespace tessera::test
