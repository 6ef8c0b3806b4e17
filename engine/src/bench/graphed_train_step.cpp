// The training step's device work launched op by op and replayed from a CUDA graph: see
// graphed_train_step.h. Built where LibTorch (2.2 or newer) comes with CUDA's headers; elsewhere
// the benchmark says it cannot run.

#include "bench/graphed_train_step.h"

#include "bench/bench_models.h"
#include "core/env.h"
#include "core/torch_version.h"
#include "tessera/error.h"
#include "training/autocast_scope.h"
#include "training/diffusion_objective.h"
#include "training/microbatch.h"
#include "training/parameter_updates.h"
#include "training/run_config.h"

#if TESSERA_TORCH_AT_LEAST(2, 2) && __has_include(<ATen/cuda/CUDAGraph.h>) && __has_include(<cuda_runtime_api.h>)
#define TESSERA_CUDA_GRAPHS 1
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#endif

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <iostream>
#include <numeric>
#include <string>

namespace tessera::bench {

bool cuda_graphs_built() {
#ifdef TESSERA_CUDA_GRAPHS
  return true;
#else
  return false;
#endif
}

#ifndef TESSERA_CUDA_GRAPHS

void bench_graphed_train_step(const BenchOptions&, BenchResult*) {
  throw Error("--cuda-graph needs a LibTorch with CUDA, 2.2 or newer, and CUDA's headers at build time",
              "build the engine against a GPU machine's PyTorch (scripts/gpu-check.sh)");
}

#else

namespace {

using Clock = std::chrono::steady_clock;

double seconds_between(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

// Runs `step` `count` times on `stream`, waiting for the device after each; returns the seconds
// of each and appends each step's loss (read after the wait) to `losses`.
std::vector<double> timed(int count, const c10::cuda::CUDAStream& stream, const std::function<void()>& step,
                          const torch::Tensor& loss, std::vector<double>* losses) {
  std::vector<double> seconds;
  for (int i = 0; i < count; ++i) {
    const auto start = Clock::now();
    step();
    stream.synchronize();
    seconds.push_back(seconds_between(start, Clock::now()));
    losses->push_back(loss.item<double>());
  }
  return seconds;
}

}  // namespace

void bench_graphed_train_step(const BenchOptions& o, BenchResult* r) {
  if (o.device != "cuda" || !torch::cuda::is_available()) throw Error("--cuda-graph needs --device cuda and a CUDA device");
  if (o.precision == "amp_fp16") {
    throw Error("--cuda-graph does not take amp_fp16: its loss scaling decides on the host after every step",
                "use --precision amp_bf16 or fp32");
  }
  if (!o.precision.empty() && o.precision != "fp32" && o.precision != "amp_bf16") {
    throw Error("--cuda-graph: unknown precision '" + o.precision + "'", "use amp_bf16 or fp32");
  }
  if (o.repeat < 1) throw Error("--cuda-graph needs at least one measured step");
  const auto setup = Clock::now();
  const torch::Device device(torch::kCUDA, 0);
  const bool amp = o.precision == "amp_bf16";
  const models::UNetConfig uc = unet_config(o.tiny);
  const int64_t batch = o.batch > 0 ? o.batch : (o.tiny ? 8 : 1);
  const int64_t pixels = o.resolution > 0 ? o.resolution : (o.tiny ? uc.sample_size * 8 : 256);
  if (pixels % 8 != 0) throw Error("the resolution must be a multiple of 8 (the VAE's factor)");
  const int64_t side = pixels / 8;
  at::globalContext().setBenchmarkCuDNN(!env_is("TESSERA_CUDNN_BENCHMARK", "0"));

  // The model, parameters, optimizer and objective as the trainer sets them up.
  models::UNet2DConditionModel unet = random_unet(o.tiny);
  unet->to(device);
  unet->train();
  unet->set_channels_last_activations(o.channels_last);
  std::vector<std::pair<std::string, torch::Tensor>> named;
  for (auto& kv : unet->named_parameters(true)) {
    if (kv.value().requires_grad()) named.emplace_back(kv.key(), kv.value());
  }
  training::FlatParameters flat(named);
  training::AdamW adamw({flat.values()}, training::AdamWOptions{});
  training::ModelSection model;
  model.prediction_type = "epsilon";
  training::DiffusionObjective objective(model);
  objective.to(device);

  // One fixed batch on the device: the graph reads its inputs from the same memory every replay.
  std::vector<int64_t> positions(static_cast<size_t>(batch));
  std::iota(positions.begin(), positions.end(), int64_t{0});
  const torch::Tensor x0 = torch::randn({batch, uc.in_channels, side, side}).to(device);
  const torch::Tensor text = torch::randn({batch, 77, uc.cross_attention_dim.front()}).to(device);
  const training::SampleDraws draws =
      training::upload(objective.draw(1, positions, {uc.in_channels, side, side}, 0.0), device);
  const auto f32 = torch::TensorOptions().dtype(torch::kFloat32).device(device);
  torch::Tensor loss = torch::zeros({}, f32), grad_norm = torch::zeros({}, f32);
  const auto step = [&] {
    flat.zero_grad();
    torch::Tensor losses;
    {
      training::AutocastScope autocast(amp, at::kCUDA, torch::kBFloat16);
      losses = objective.per_sample_loss(unet, x0, text, draws);
    }
    (losses.sum() / static_cast<double>(batch)).backward();
    (void)flat.gather_grads();
    const torch::Tensor norm = training::global_grad_norm({flat.grads()});
    adamw.step({flat.grads()}, 1e-4);
    torch::NoGradGuard no_grad;
    loss.copy_(losses.detach().sum() / static_cast<double>(batch));
    grad_norm.copy_(norm);
  };

  // Op by op, on a side stream (capture needs one; the same stream serves both, for a fair
  // comparison). The warm-up steps allocate the gradients and let cuDNN pick its algorithms.
  c10::cuda::device_synchronize();
  const c10::cuda::CUDAStream stream = c10::cuda::getStreamFromPool();
  std::vector<double> eager_seconds, graph_seconds, eager_losses, graph_losses;
  std::string capture_error;
  // Autocast's weight-cast cache off for both (a cached cast would outlive a capture, as
  // torch.cuda.graphs says), so that both run the same kernels.
  const bool cache = at::autocast::is_autocast_cache_enabled();
  at::autocast::set_autocast_cache_enabled(false);
  struct RestoreCache {
    bool on;
    ~RestoreCache() { at::autocast::set_autocast_cache_enabled(on); }
  } restore_cache{cache};
  {
    c10::cuda::CUDAStreamGuard guard(stream);
    (void)timed(std::max(o.warmup, 1), stream, step, loss, &eager_losses);
    // A replayed update must compute its bias corrections on the device: only the fused kernel
    // does (the per-op fallback would bake the captured step's numbers into every replay).
    if (std::string(adamw.last_update()) != "fused GPU kernel") {
      throw Error(std::string("--cuda-graph needs AdamW's fused GPU kernel; this step used ") + adamw.last_update(),
                  "unset TESSERA_FUSED_ADAMW=0; the kernel takes tensors under 2^31 elements");
    }
    r->setup_seconds = seconds_between(setup, Clock::now());
    eager_losses.clear();
    eager_seconds = timed(o.repeat, stream, step, loss, &eager_losses);

    // Captured once, from the allocator's private pool.
    c10::cuda::CUDACachingAllocator::emptyCache();
    at::cuda::CUDAGraph graph;
    bool captured = false;
    try {
      graph.capture_begin();
      try {
        step();
      } catch (...) {
        try {
          graph.capture_end();  // leave the stream out of capture mode, then report the first error
        } catch (...) {
        }
        throw;
      }
      graph.capture_end();
      captured = true;
    } catch (const c10::Error& e) {
      capture_error = e.what_without_backtrace();
      std::cerr << "tessera: CUDA graph capture failed:\n" << e.what() << "\n";
    } catch (const std::exception& e) {
      capture_error = e.what();
    }
    adamw.forget_device_steps();  // the capture counted on the host only
    if (!captured) {
      throw Error("the training step could not be captured in a CUDA graph: " + capture_error.substr(0, 800),
                  "the full message is above; TORCH_SHOW_CPP_STACKTRACES=1 shows where the operation came from");
    }
    (void)timed(1, stream, [&] { graph.replay(); }, loss, &graph_losses);
    graph_losses.clear();
    graph_seconds = timed(o.repeat, stream, [&] { graph.replay(); }, loss, &graph_losses);
  }

  const bool finite = std::all_of(eager_losses.begin(), eager_losses.end(), [](double v) { return std::isfinite(v); }) &&
                      std::all_of(graph_losses.begin(), graph_losses.end(), [](double v) { return std::isfinite(v); }) &&
                      std::isfinite(grad_norm.item<double>());
  // Each replay updates the weights, so the loss on the fixed batch moves: a replay that left it
  // exactly where it was would mean the graph lost the update.
  const bool moved = graph_losses.size() < 2 || graph_losses.front() != graph_losses.back();
  r->weight_bytes = module_bytes(*unet);
  r->seconds = graph_seconds;
  r->median_seconds = median(graph_seconds);
  r->images_per_second = static_cast<double>(batch) / std::max(r->median_seconds, 1e-12);
  r->wait_seconds = r->median_seconds;  // the host waits for the whole replay
  const double eager = median(eager_seconds);
  char note[512];
  std::snprintf(note, sizeof note,
                "%s, CUDA graph: %.4f s per step replayed vs %.4f s launched op by op (%.2fx; the same work on one "
                "fixed batch: flat parameters, %s, epsilon loss, backward, gradient norm, AdamW %s); loss over the "
                "steps %.4f -> %.4f op by op, %.4f -> %.4f replayed; batch %lld at %lld px, %.1f images/s%s",
                !finite ? "loss or gradient not finite" : moved ? "loss finite" : "the replays left the loss unchanged",
                r->median_seconds, eager,
                eager / std::max(r->median_seconds, 1e-12), amp ? "bf16 autocast" : "fp32", adamw.last_update(),
                eager_losses.empty() ? 0.0 : eager_losses.front(), eager_losses.empty() ? 0.0 : eager_losses.back(),
                graph_losses.empty() ? 0.0 : graph_losses.front(), graph_losses.empty() ? 0.0 : graph_losses.back(),
                static_cast<long long>(batch), static_cast<long long>(pixels), r->images_per_second,
                o.channels_last ? ", channels-last" : "");
  r->note = note;
}

#endif

}  // namespace tessera::bench
