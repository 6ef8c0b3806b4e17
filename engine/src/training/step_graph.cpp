// The forward and backward passes of a training step replayed from a CUDA graph: see
// step_graph.h. The capture is built where LibTorch (2.2 or newer) comes with CUDA's headers;
// elsewhere a StepGraph runs op by op only.

#include "training/step_graph.h"

#include "core/torch_version.h"
#include "tessera/error.h"

#include <ATen/autocast_mode.h>

#if TESSERA_TORCH_AT_LEAST(2, 2) && __has_include(<ATen/cuda/CUDAGraph.h>) && __has_include(<cuda_runtime_api.h>)
#define TESSERA_CUDA_GRAPHS 1
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#endif

#include <chrono>
#include <iostream>
#include <utility>
#include <vector>

namespace tessera::training {
namespace {

// `buffer` holds a copy of `value`: reallocated when the shape or dtype differ. Returns whether it
// was reallocated.
bool copy_into(torch::Tensor& buffer, const torch::Tensor& value) {
  if (!value.defined()) {
    const bool had = buffer.defined();
    buffer = torch::Tensor();
    return had;
  }
  bool fresh = false;
  if (!buffer.defined() || buffer.sizes() != value.sizes() || buffer.scalar_type() != value.scalar_type() ||
      buffer.device() != value.device()) {
    // The value's memory format: channels-last latents stay channels-last in the buffer.
    buffer = torch::empty_like(value, value.options().requires_grad(false),
                               value.is_contiguous(torch::MemoryFormat::ChannelsLast) && value.dim() == 4
                                   ? torch::MemoryFormat::ChannelsLast
                                   : torch::MemoryFormat::Contiguous);
    fresh = true;
  }
  buffer.copy_(value.detach(), /*non_blocking=*/true);
  return fresh;
}

}  // namespace

struct StepGraph::Impl {
  std::function<torch::Tensor(const StepInputs&)> per_sample_loss;
  std::vector<StepInputs> buffers;
  double loss_divisor = 1;
  int capture_after = -1;
  int runs_since_change = 0;
  torch::Tensor loss_sum;  // float64 scalar, written by every run
  bool failed = false;
  double capture_seconds = 0;
  int64_t replays = 0;
#ifdef TESSERA_CUDA_GRAPHS
  std::unique_ptr<at::cuda::CUDAGraph> graph;
#endif

  // The passes themselves, op by op (run as they are, or while being captured).
  void passes() {
    torch::Tensor total;
    for (const StepInputs& in : buffers) {
      const torch::Tensor losses = per_sample_loss(in);
      const torch::Tensor sum = losses.detach().sum().to(torch::kFloat64);
      total = total.defined() ? total + sum : sum;
      (losses.sum() / loss_divisor).backward();
    }
    torch::NoGradGuard no_grad;
    loss_sum.copy_(total);
  }

  bool has_graph() const {
#ifdef TESSERA_CUDA_GRAPHS
    return graph != nullptr;
#else
    return false;
#endif
  }
  void drop_graph() {
#ifdef TESSERA_CUDA_GRAPHS
    graph.reset();
#endif
  }
  void capture();
};

#ifdef TESSERA_CUDA_GRAPHS

void StepGraph::Impl::capture() {
  const torch::Device device = loss_sum.device();
  if (!device.is_cuda()) throw Error("a CUDA graph needs the training step on a CUDA device, not " + device.str());
  const c10::cuda::CUDAGuard device_guard(device);
  // Nothing of the earlier steps may still run, and their cached activations go back to the
  // device: the graph takes its memory from a pool of its own.
  c10::cuda::device_synchronize();
  c10::cuda::CUDACachingAllocator::emptyCache();
  // Autocast's cache of weight casts is off while capturing (a cast cached outside the graph
  // would be read from memory the graph does not own; torch.cuda.graphs asks the same).
  const bool cache = at::autocast::is_autocast_cache_enabled();
  at::autocast::set_autocast_cache_enabled(false);
  struct RestoreCache {
    bool on;
    ~RestoreCache() { at::autocast::set_autocast_cache_enabled(on); }
  } restore_cache{cache};
  const auto start = std::chrono::steady_clock::now();
  auto g = std::make_unique<at::cuda::CUDAGraph>();
  std::string error;
  {
    // Captured on a side stream (the default stream cannot be captured), replayed on the
    // current one, after the work queued there (the staged inputs).
    const c10::cuda::CUDAStream side = c10::cuda::getStreamFromPool(false, device.index());
    const c10::cuda::CUDAStreamGuard stream_guard(side);
    try {
      g->capture_begin();
      try {
        passes();
      } catch (...) {
        try {
          g->capture_end();  // leaves the stream's capture mode; the first error is the one to report
        } catch (...) {
        }
        throw;
      }
      g->capture_end();
    } catch (const c10::Error& e) {
      error = e.what_without_backtrace();
      std::cerr << "tessera: CUDA graph capture failed:\n" << e.what() << "\n";
    } catch (const std::exception& e) {
      error = e.what();
    }
  }
  if (!error.empty()) {
    failed = true;
    throw Error("the training step could not be captured in a CUDA graph: " + error.substr(0, 800),
                "set trainer.cuda_graph: false; TORCH_SHOW_CPP_STACKTRACES=1 shows where the operation came from");
  }
  graph = std::move(g);
  capture_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

#else

void StepGraph::Impl::capture() {
  failed = true;
  throw Error("this build cannot capture CUDA graphs (it needs LibTorch 2.2 or newer with CUDA's headers)",
              "set trainer.cuda_graph: false, or build against a GPU machine's PyTorch (scripts/gpu-check.sh)");
}

#endif

bool StepGraph::built() {
#ifdef TESSERA_CUDA_GRAPHS
  return true;
#else
  return false;
#endif
}

StepGraph::StepGraph(std::function<torch::Tensor(const StepInputs&)> per_sample_loss, int64_t microbatches,
                     double loss_divisor, int capture_after)
    : impl_(std::make_unique<Impl>()) {
  if (microbatches < 1) throw Error("a training step needs at least one microbatch");
  impl_->per_sample_loss = std::move(per_sample_loss);
  impl_->buffers.resize(static_cast<size_t>(microbatches));
  impl_->loss_divisor = loss_divisor;
  impl_->capture_after = capture_after;
}

StepGraph::~StepGraph() = default;

void StepGraph::stage(int64_t k, const StepInputs& in) {
  if (k < 0 || k >= static_cast<int64_t>(impl_->buffers.size())) {
    throw Error("StepGraph::stage: no microbatch " + std::to_string(k));
  }
  if (!in.x0.defined() || !in.text.defined() || !in.draws.timesteps.defined() || !in.draws.noise.defined()) {
    throw Error("StepGraph::stage: a microbatch needs latents, text states, timesteps and noise");
  }
  StepInputs& b = impl_->buffers[static_cast<size_t>(k)];
  torch::NoGradGuard no_grad;
  bool changed = copy_into(b.x0, in.x0);
  changed = copy_into(b.text, in.text) || changed;
  changed = copy_into(b.draws.timesteps, in.draws.timesteps) || changed;
  changed = copy_into(b.draws.noise, in.draws.noise) || changed;
  changed = copy_into(b.draws.weights, in.draws.weights) || changed;
  if (!impl_->loss_sum.defined() || impl_->loss_sum.device() != in.x0.device()) {
    impl_->loss_sum = torch::zeros({}, torch::TensorOptions().dtype(torch::kFloat64).device(in.x0.device()));
    changed = true;
  }
  if (changed) {
    impl_->drop_graph();
    impl_->runs_since_change = 0;
  }
}

const torch::Tensor& StepGraph::run() {
  Impl& s = *impl_;
  for (const StepInputs& b : s.buffers) {
    if (!b.x0.defined()) throw Error("StepGraph::run before every microbatch was staged");
  }
  const bool capture = s.capture_after >= 0 && !s.failed && s.runs_since_change >= s.capture_after;
  if (!capture) {
    s.passes();
    ++s.runs_since_change;
    return s.loss_sum;
  }
  if (!s.has_graph()) s.capture();
#ifdef TESSERA_CUDA_GRAPHS
  s.graph->replay();
  ++s.replays;
#endif
  ++s.runs_since_change;
  return s.loss_sum;
}

bool StepGraph::captured() const { return impl_->has_graph(); }
bool StepGraph::capture_failed() const { return impl_->failed; }
double StepGraph::capture_seconds() const { return impl_->capture_seconds; }
int64_t StepGraph::replays() const { return impl_->replays; }

}  // namespace tessera::training
