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
  // `params`: (name, parameter) pairs, all floating point of one dtype on one device.
  explicit FlatParameters(std::vector<std::pair<std::string, torch::Tensor>> params);

  const std::vector<std::pair<std::string, torch::Tensor>>& named() const { return params_; }
  std::vector<torch::Tensor> tensors() const;       // the parameters (views of values())
  std::vector<torch::Tensor> grad_views() const;    // their gradients (views of grads())
  torch::Tensor& values() { return values_; }
  torch::Tensor& grads() { return grads_; }
  int64_t numel() const { return values_.numel(); }

  // Zeroes the gradient buffer (gradients stay attached as views).
  void zero_grad();
  // After backward: copies any gradient autograd did not accumulate in place back into the buffer
  // and re-attaches the view (returns how many had to be copied; normally 0).
  int64_t gather_grads();

 private:
  std::vector<std::pair<std::string, torch::Tensor>> params_;
  std::vector<torch::Tensor> grad_views_;
  torch::Tensor values_;
  torch::Tensor grads_;
};

struct AdamWOptions {
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.01;
};

// AdamW (Loshchilov & Hutter) with exactly the arithmetic of torch::optim::AdamW in LibTorch 1.13
// (decoupled decay p *= 1 - lr*wd; bias-corrected moments; denom = sqrt(v)/sqrt(bc2) + eps),
// expressed as at::_foreach_* ops over a list of tensors (one tensor when the list is a
// FlatParameters buffer).
class AdamW {
 public:
  AdamW(std::vector<torch::Tensor> params, AdamWOptions options);

  // One update with learning rate `lr`; `grads` aligned with the params.
  void step(const std::vector<torch::Tensor>& grads, double lr);

  int64_t step_count() const { return step_; }
  void set_step_count(int64_t s) { step_ = s; }
  std::vector<torch::Tensor>& exp_avg() { return exp_avg_; }
  std::vector<torch::Tensor>& exp_avg_sq() { return exp_avg_sq_; }
  const AdamWOptions& options() const { return options_; }

 private:
  std::vector<torch::Tensor> params_;
  std::vector<torch::Tensor> exp_avg_;
  std::vector<torch::Tensor> exp_avg_sq_;
  std::vector<torch::Tensor> denom_;  // scratch, kept to avoid a parameter-sized allocation per step
  AdamWOptions options_;
  int64_t step_ = 0;
};

// The L2 norm over all `grads` (as float64 on the host).
double global_grad_norm(const std::vector<torch::Tensor>& grads);
// Scales `grads` so their global norm is at most `max_norm` (torch.nn.utils.clip_grad_norm_:
// factor max_norm / (norm + 1e-6) when below 1). Returns the norm before clipping.
double clip_grad_norm(const std::vector<torch::Tensor>& grads, double max_norm);

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
