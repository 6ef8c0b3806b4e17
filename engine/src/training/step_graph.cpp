// The forward and backward passes of a training step replayed from a CUDA graph: see
// step_graph.h. Where this build cannot capture (core/cuda_graph.h), a StepGraph runs op by op
// only, and a capture it is asked for fails.

#include "training/step_graph.h"

#include "core/cuda_graph.h"
#include "tessera/error.h"

#include <string>
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
  int64_t replays = 0;
  CudaGraph graph;
  // Tensors the passes read or write outside the buffers (the parameters and their gradients),
  // and where their memory was when the graph was captured.
  std::vector<torch::Tensor> watched;
  std::vector<const void*> watched_at;

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

  void drop_graph() {
    graph.reset();
    runs_since_change = 0;
  }

  void capture(bool other_threads) {
    if (!loss_sum.device().is_cuda()) {
      failed = true;
      failure = "a CUDA graph needs the training step on a CUDA device, not " + loss_sum.device().str();
      throw Error(failure, "set trainer.cuda_graph: false");
    }
    try {
      graph.capture(loss_sum.device(), [this] { passes(); }, other_threads);
    } catch (const Error& e) {
      failed = true;
      failure = std::string("the training step ") + e.what();
      throw Error(failure, "set trainer.cuda_graph: false; " + e.hint());
    }
    watched_at = addresses();
  }
};

bool StepGraph::built() { return CudaGraph::built(); }

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
  if (changed) impl_->drop_graph();
}

void StepGraph::watch(std::vector<torch::Tensor> tensors) {
  impl_->watched = std::move(tensors);
  impl_->drop_graph();
}

const torch::Tensor& StepGraph::run() {
  Impl& s = *impl_;
  if (s.failed) throw Error(s.failure + " (earlier in this process)", "set trainer.cuda_graph: false");
  for (const StepInputs& b : s.buffers) {
    if (!b.x0.defined()) throw Error("StepGraph::run before every microbatch was staged");
  }
  // A watched tensor that moved (new memory for a parameter or its gradient) would leave the
  // graph reading freed memory: it is captured anew after the warm-up runs.
  if (s.graph.captured() && s.addresses() != s.watched_at) s.drop_graph();
  const bool capture = s.capture_after >= 0 && s.runs_since_change >= s.capture_after;
  if (!capture) {
    // The last run before the capture goes on the stream the capture will use.
    if (s.capture_after >= 0 && s.runs_since_change == s.capture_after - 1) {
      s.graph.run_on_capture_stream(s.loss_sum.device(), [&s] { s.passes(); });
    } else {
      s.passes();
    }
    ++s.runs_since_change;
    return s.loss_sum;
  }
  if (!s.graph.captured()) s.capture(other_threads_);
  s.graph.replay();
  ++s.replays;
  ++s.runs_since_change;
  return s.loss_sum;
}

std::unique_ptr<StepGraph> make_step_graph(const RunConfig& config, const torch::Device& device, int world_size,
                                           bool process_group,
                                           std::function<torch::Tensor(const StepInputs&)> per_sample_loss,
                                           std::vector<torch::Tensor> params) {
  if (const std::string cause = cuda_graph_obstacle(config); !cause.empty()) {
    throw Error("trainer.cuda_graph cannot be used here: " + cause, cuda_graph_hint());
  }
  if (!device.is_cuda()) throw Error("trainer.cuda_graph needs a CUDA device", "set trainer.cuda_graph: false on the CPU");
  if (!StepGraph::built()) {
    throw Error("this build of tessera cannot capture CUDA graphs (it needs LibTorch 2.2 or newer with CUDA's headers)",
                "set trainer.cuda_graph: false");
  }
  const int64_t mb = config.trainer.device_train_microbatch_size;
  const int64_t acc = config.accumulation_steps(world_size);
  auto graph = std::make_unique<StepGraph>(std::move(per_sample_loss), acc, static_cast<double>(mb * acc),
                                           /*capture_after=*/2);
  graph->watch(std::move(params));
  if (process_group) graph->tolerate_other_threads();
  return graph;
}

bool StepGraph::captured() const { return impl_->graph.captured(); }
bool StepGraph::capture_failed() const { return impl_->failed; }
double StepGraph::capture_seconds() const { return impl_->graph.capture_seconds(); }
int64_t StepGraph::replays() const { return impl_->replays; }

}  // namespace tessera::training
