#pragma once
// What changes the weights after a backward pass: one flat buffer for all parameters and their
// gradients, AdamW as a multi-tensor update, clipping by global norm, and the EMA copy.
// Internal header (torch).
//
// FlatParameters moves every trainable parameter into one contiguous buffer (each parameter
// becomes a view of it) and gives each parameter a gradient that is a view of one contiguous
// gradient buffer; autograd accumulates into existing gradients in place, so after backward the
// whole gradient is one tensor. AdamW, the global norm, clipping, the EMA and the gradient
// allreduce then run as a handful of vectorised ops over millions of elements instead of a
// dispatch per tensor per op (the cost the reference PyTorch 1.13 AdamW pays).

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tessera::training {

class FlatParameters {
 public:
  // `params`: (name, parameter) pairs, all floating point of one dtype on one device. Without
  // `gradient_buffer` the parameters get no preallocated gradients (updates applied during the
  // backward pass, AdamW::update_part, never hold the whole model's gradient).
  explicit FlatParameters(std::vector<std::pair<std::string, torch::Tensor>> params, bool gradient_buffer = true);

  const std::vector<std::pair<std::string, torch::Tensor>>& named() const { return params_; }
  std::vector<torch::Tensor> tensors() const;       // the parameters (views of values())
  std::vector<torch::Tensor> grad_views() const;    // their gradients (views of grads())
  torch::Tensor& values() { return values_; }
  torch::Tensor& grads() { return grads_; }
  int64_t numel() const { return values_.numel(); }
  // Where parameter `index` starts in values() (and grads()).
  int64_t offset(size_t index) const { return offsets_.at(index); }

  // Zeroes the gradient buffer (gradients stay attached as views).
  void zero_grad();
  // After backward: copies any gradient autograd did not accumulate in place back into the buffer
  // and re-attaches the view (returns how many had to be copied; normally 0).
  int64_t gather_grads();

 private:
  std::vector<std::pair<std::string, torch::Tensor>> params_;
  std::vector<torch::Tensor> grad_views_;
  std::vector<int64_t> offsets_;
  torch::Tensor values_;
  torch::Tensor grads_;
};

struct AdamWOptions {
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.01;
};

// AdamW (Loshchilov & Hutter) with the arithmetic of torch::optim::AdamW in LibTorch 1.13
// (decoupled decay p *= 1 - lr*wd; bias-corrected moments; denom = sqrt(v)/sqrt(bc2) + eps).
// On the CPU (fp32) each tensor is updated by one fused pass that reads p, g, m, v once and
// writes p, m, v once — the reference's per-op update makes about a dozen passes over memory and
// needs a parameter-sized temporary. On a GPU with LibTorch >= 2.2 the same single pass is
// LibTorch's fused AdamW kernel (at::_fused_adamw_, torch.optim.AdamW(fused=True)): about 7
// parameter-sized memory passes a step instead of the op sequence's ~22, which for SD2's 866M
// parameters is the difference between ~8 and ~27 ms on an H100. TESSERA_FUSED_ADAMW=0 turns it
// off (a comparison knob). Elsewhere the update runs as at::_foreach_* ops over the list (one
// tensor when the list is a FlatParameters buffer). Results agree with torch::optim::AdamW to
// float rounding (the fused passes round once where the op sequence rounds per op).
class AdamW {
 public:
  AdamW(std::vector<torch::Tensor> params, AdamWOptions options);

  // One update with learning rate `lr`; `grads` aligned with the params.
  void step(const std::vector<torch::Tensor>& grads, double lr);

  // The same update in parts, for updates during the backward pass: begin_step() once, then
  // update_part() for every parameter slice as its gradient arrives: the elements
  // [offset, offset + grad.numel()) of params[tensor] (flattened, contiguous) with `grad`
  // (any layout; its logical order must match the slice's).
  void begin_step();
  void update_part(size_t tensor, int64_t offset, const torch::Tensor& grad, double lr);

  int64_t step_count() const { return step_; }
  void set_step_count(int64_t s) { step_ = s; }
  // How the last step() ran: "fused CPU loop", "fused GPU kernel" or "foreach ops" (empty before
  // the first).
  const char* last_update() const { return last_update_; }
  std::vector<torch::Tensor>& exp_avg() { return exp_avg_; }
  std::vector<torch::Tensor>& exp_avg_sq() { return exp_avg_sq_; }
  const AdamWOptions& options() const { return options_; }

 private:
  std::vector<torch::Tensor> params_;
  std::vector<torch::Tensor> exp_avg_;
  std::vector<torch::Tensor> exp_avg_sq_;
  AdamWOptions options_;
  int64_t step_ = 0;
  const char* last_update_ = "";
  // The fused GPU kernel reads each tensor's step count from the device: one float per tensor,
  // views of one buffer, set by a fill before each update (a kernel, so no host wait).
  torch::Tensor device_steps_;
  std::vector<torch::Tensor> device_step_views_;
  bool fused_gpu_update(const std::vector<torch::Tensor>& grads, double lr);
};

// One fused AdamW pass over n contiguous fp32 elements (parallel over the intra-op threads).
struct AdamWScalars {
  double lr = 0, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0;
  double bias_correction1 = 1, bias_correction2 = 1;
};
void fused_adamw_cpu(float* param, const float* grad, float* exp_avg, float* exp_avg_sq, int64_t n,
                     const AdamWScalars& s);

// The L2 norm over all `grads`: a float32 scalar tensor on their device, not read back to the
// host (a training step reads it once, with the loss, at its end).
torch::Tensor global_grad_norm(const std::vector<torch::Tensor>& grads);
// Scales `grads` so that their global norm is at most `max_norm`, as
// torch.nn.utils.clip_grad_norm_ does: by min(1, max_norm / (norm + 1e-6)), computed on the
// device (in float64), so the host never waits for the norm. Returns the norm before clipping.
torch::Tensor clip_grad_norm(const std::vector<torch::Tensor>& grads, double max_norm);

// Exponential moving average of the weights, in fp32: ema = s * ema + (1 - s) * w, updated from
// step `start` on; before its first update it holds nothing (initialized() is false).
class EMA {
 public:
  EMA(double smoothing, int64_t start) : smoothing_(smoothing), start_(start) {}
  // Called after the optimizer step that finished step `step` (1-based count of steps done).
  void update(const std::vector<torch::Tensor>& weights, int64_t step);
  bool initialized() const { return !shadow_.empty(); }
  std::vector<torch::Tensor>& shadow() { return shadow_; }
  double smoothing() const { return smoothing_; }
  int64_t start() const { return start_; }

 private:
  double smoothing_;
  int64_t start_;
  std::vector<torch::Tensor> shadow_;
};

}  // namespace tessera::training
