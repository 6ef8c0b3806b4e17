#include "models/gradient_checkpoint.h"

#include "core/autocast_scope.h"

#include <torch/csrc/autograd/custom_function.h>

#include <utility>

namespace tessera::models {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// The segment travels to backward inside the autograd context as an opaque capsule.
struct SegmentHolder : torch::CustomClassHolder {
  explicit SegmentHolder(CheckpointSegment f) : fn(std::move(f)) {}
  CheckpointSegment fn;
};

torch::Tensor detached_like(const torch::Tensor& t, bool requires_grad) {
  if (!t.defined()) return t;
  torch::Tensor d = t.detach();
  d.requires_grad_(requires_grad);
  return d;
}

class CheckpointFunction : public torch::autograd::Function<CheckpointFunction> {
 public:
  // Runs with grad mode off (custom functions' forward always does): nothing of fn's graph is kept.
  static torch::Tensor forward(AutogradContext* ctx, c10::intrusive_ptr<SegmentHolder> segment, const torch::Tensor& a,
                               const torch::Tensor& b) {
    ctx->saved_data["segment"] = c10::IValue::make_capsule(segment);
    ctx->saved_data["a_grad"] = a.requires_grad();
    ctx->saved_data["b_grad"] = b.defined() && b.requires_grad();
    ctx->saved_data["b_defined"] = b.defined();
    ctx->save_for_backward({a, b.defined() ? b : torch::Tensor()});
    // The recomputation must run under the autocast (and cast cache setting) of this forward:
    // backward runs with the state of the thread that started it, usually outside autocast.
    ctx->saved_data["cuda_autocast"] = autocast_enabled(at::kCUDA);
    ctx->saved_data["cuda_dtype"] = static_cast<int64_t>(autocast_dtype(at::kCUDA));
    ctx->saved_data["cpu_autocast"] = autocast_enabled(at::kCPU);
    ctx->saved_data["cpu_dtype"] = static_cast<int64_t>(autocast_dtype(at::kCPU));
    ctx->saved_data["autocast_cache"] = at::autocast::is_autocast_cache_enabled();
    return segment->fn(a, b);
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    auto segment = c10::static_intrusive_pointer_cast<SegmentHolder>(ctx->saved_data["segment"].toCapsule());
    const auto saved = ctx->get_saved_variables();
    const bool a_grad = ctx->saved_data["a_grad"].toBool();
    const bool b_grad = ctx->saved_data["b_grad"].toBool();
    torch::Tensor a = detached_like(saved[0], a_grad);
    torch::Tensor b = ctx->saved_data["b_defined"].toBool() ? detached_like(saved[1], b_grad) : torch::Tensor();
    torch::Tensor out;
    {
      torch::AutoGradMode enable(true);
      const AutocastCacheScope cache(ctx->saved_data["autocast_cache"].toBool());
      const AutocastScope cuda(ctx->saved_data["cuda_autocast"].toBool(), at::kCUDA,
                               static_cast<c10::ScalarType>(ctx->saved_data["cuda_dtype"].toInt()));
      const AutocastScope cpu(ctx->saved_data["cpu_autocast"].toBool(), at::kCPU,
                              static_cast<c10::ScalarType>(ctx->saved_data["cpu_dtype"].toInt()));
      out = segment->fn(a, b);
    }
    if (out.requires_grad() && grad_outputs[0].defined()) {
      // Reentrant backward: fills the parameters' .grad (through their hooks) and a/b's.
      torch::autograd::backward({out}, {grad_outputs[0]});
    }
    return {torch::Tensor(), a_grad ? a.grad() : torch::Tensor(), b_grad ? b.grad() : torch::Tensor()};
  }
};

}  // namespace

torch::Tensor checkpointed(CheckpointSegment fn, const torch::Tensor& a, const torch::Tensor& b) {
  // With no input needing a gradient the output would not need one either, and the parameters
  // inside would never get theirs: run such a segment normally (reentrant checkpointing's limit).
  if (!torch::GradMode::is_enabled() || !(a.requires_grad() || (b.defined() && b.requires_grad()))) return fn(a, b);
  return CheckpointFunction::apply(c10::make_intrusive<SegmentHolder>(std::move(fn)), a, b);
}

}  // namespace tessera::models
