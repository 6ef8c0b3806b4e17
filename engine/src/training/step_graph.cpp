// The forward and backward passes of a training step replayed from a CUDA graph: see
// step_graph.h. The capture is built where LibTorch (2.2 or newer) comes with CUDA's headers;
// elsewhere a StepGraph runs op by op only.

#include "training/step_graph.h"

#include "core/torch_version.h"
#include "tessera/error.h"

#include "core/autocast_scope.h"

#if TESSERA_TORCH_AT_LEAST(2, 2) && __has_include(<ATen/cuda/CUDAGraph.h>) && __has_include(<cuda_runtime_api.h>)
#define TESSERA_CUDA_GRAPHS 1
#include <ATen/cuda/CUDAEvent.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#endif

#include <chrono>
#include <iostream>
#include <optional>
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
  std::string failure;  // why the capture failed
  double capture_seconds = 0;
  int64_t replays = 0;
  // Tensors the passes read or write outside the buffers (the parameters and their gradients),
  // and where their memory was when the graph was captured.
  std::vector<torch::Tensor> watched;
  std::vector<const void*> watched_at;
#ifdef TESSERA_CUDA_GRAPHS
  std::unique_ptr<at::cuda::CUDAGraph> graph;
  // The stream of the last op-by-op run and of the capture: libraries that set up per-stream state
  // on first use (cuBLAS's workspace) do it in that run, not inside the capture.
  std::optional<c10::cuda::CUDAStream> side;
#endif

  std::vector<const void*> addresses() const {
    std::vector<const void*> out;
    for (const auto& t : watched) {
      out.push_back(t.data_ptr());
      out.push_back(t.grad().defined() ? t.grad().data_ptr() : nullptr);
    }
    return out;
  }

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
  void passes_on_side_stream();
};

#ifdef TESSERA_CUDA_GRAPHS

c10::cuda::CUDAStream side_stream(std::optional<c10::cuda::CUDAStream>& side, const torch::Device& device) {
  if (!side) side = c10::cuda::getStreamFromPool(false, device.index());
  return *side;
}

void StepGraph::Impl::passes_on_side_stream() {
  const torch::Device device = loss_sum.device();
  if (!device.is_cuda()) return passes();
  const c10::cuda::CUDAGuard device_guard(device);
  const c10::cuda::CUDAStream current = c10::cuda::getCurrentCUDAStream(device.index());
  const c10::cuda::CUDAStream stream = side_stream(side, device);
  // The side stream starts after what is queued on the current one (the staged inputs, the
  // zeroed gradients), and the current one goes on after it.
  at::cuda::CUDAEvent ready, done;
  ready.record(current);
  ready.block(stream);
  {
    const c10::cuda::CUDAStreamGuard stream_guard(stream);
    passes();
  }
  done.record(stream);
  done.block(current);
}

void StepGraph::Impl::capture() {
  const torch::Device device = loss_sum.device();
  if (!device.is_cuda()) {
    failed = true;
    failure = "a CUDA graph needs the training step on a CUDA device, not " + device.str();
    throw Error(failure);
  }
  const c10::cuda::CUDAGuard device_guard(device);
  // Nothing of the earlier steps may still run, and their cached activations go back to the
  // device: the graph takes its memory from a pool of its own.
  c10::cuda::device_synchronize();
  c10::cuda::CUDACachingAllocator::emptyCache();
  // Autocast's cache of weight casts is off while capturing (a cast cached outside the graph
  // would be read from memory the graph does not own; torch.cuda.graphs asks the same). The
  // setting is per thread: recomputations in backward (gradient checkpointing) take it from
  // their forward.
  const AutocastCacheScope no_cast_cache(false);
  const auto start = std::chrono::steady_clock::now();
  auto g = std::make_unique<at::cuda::CUDAGraph>();
  const at::cuda::MempoolId_t pool = at::cuda::graph_pool_handle();
  std::string error;
  bool begun = false;
  {
    // Captured on the side stream (the default stream cannot be captured), replayed on the
    // current one, after the work queued there (the staged inputs).
    const c10::cuda::CUDAStreamGuard stream_guard(side_stream(side, device));
    try {
      g->capture_begin(pool);
      begun = true;
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
    failure = "the training step could not be captured in a CUDA graph: " + error.substr(0, 800);
    // A capture that CUDA invalidated ends without LibTorch's allocator hearing of it: its pool
    // is handed back here. What else LibTorch set up for the capture is not reachable; the
    // process should not capture again (run() refuses from now on).
    if (begun) {
      try {
        c10::cuda::CUDACachingAllocator::endAllocateToPool(device.index(), pool);
      } catch (...) {
      }
    }
    g.reset();
    try {
      c10::cuda::CUDACachingAllocator::releasePool(device.index(), pool);
      c10::cuda::device_synchronize();
      c10::cuda::CUDACachingAllocator::emptyCache();
    } catch (...) {
    }
    throw Error(failure, "set trainer.cuda_graph: false; TORCH_SHOW_CPP_STACKTRACES=1 shows where the operation came from");
  }
  graph = std::move(g);
  watched_at = addresses();
  capture_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

#else

void StepGraph::Impl::passes_on_side_stream() { passes(); }

void StepGraph::Impl::capture() {
  failed = true;
  failure = "this build cannot capture CUDA graphs (it needs LibTorch 2.2 or newer with CUDA's headers)";
  throw Error(failure, "set trainer.cuda_graph: false, or build against a GPU machine's PyTorch (scripts/gpu-check.sh)");
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

void StepGraph::watch(std::vector<torch::Tensor> tensors) {
  impl_->watched = std::move(tensors);
  impl_->drop_graph();
  impl_->runs_since_change = 0;
}

const torch::Tensor& StepGraph::run() {
  Impl& s = *impl_;
  if (s.failed) throw Error(s.failure + " (earlier in this process)", "set trainer.cuda_graph: false");
  for (const StepInputs& b : s.buffers) {
    if (!b.x0.defined()) throw Error("StepGraph::run before every microbatch was staged");
  }
  // A watched tensor that moved (new memory for a parameter or its gradient) would leave the
  // graph reading freed memory: it is captured anew after the warm-up runs.
  if (s.has_graph() && s.addresses() != s.watched_at) {
    s.drop_graph();
    s.runs_since_change = 0;
  }
  const bool capture = s.capture_after >= 0 && s.runs_since_change >= s.capture_after;
  if (!capture) {
    // The last run before the capture goes on the stream the capture will use.
    if (s.capture_after >= 0 && s.runs_since_change == s.capture_after - 1) {
      s.passes_on_side_stream();
    } else {
      s.passes();
    }
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
