#include "training/parameter_updates.h"

#include "tessera/error.h"

#include <ATen/ATen.h>

#include <cmath>

namespace tessera::training {

FlatParameters::FlatParameters(std::vector<std::pair<std::string, torch::Tensor>> params)
    : params_(std::move(params)) {
  if (params_.empty()) throw Error("no trainable parameters", "check the model configuration");
  const auto options = params_.front().second.options();
  int64_t total = 0;
  for (const auto& [name, p] : params_) {
    if (p.scalar_type() != options.dtype().toScalarType() || p.device() != options.device()) {
      throw Error("parameter " + name + " differs in dtype or device from the first parameter",
                  "keep all trainable parameters in one dtype on one device");
    }
    total += p.numel();
  }
  torch::NoGradGuard no_grad;
  values_ = torch::empty({total}, options.requires_grad(false));
  grads_ = torch::zeros({total}, options.requires_grad(false));
  int64_t offset = 0;
  for (auto& [name, p] : params_) {
    const int64_t n = p.numel();
    torch::Tensor value_view = values_.narrow(0, offset, n).view(p.sizes());
    value_view.copy_(p.detach());
    p.set_data(value_view);
    torch::Tensor grad_view = grads_.narrow(0, offset, n).view(p.sizes());
    p.mutable_grad() = grad_view;
    grad_views_.push_back(grad_view);
    offset += n;
  }
}

std::vector<torch::Tensor> FlatParameters::tensors() const {
  std::vector<torch::Tensor> out;
  out.reserve(params_.size());
  for (const auto& np : params_) out.push_back(np.second);
  return out;
}

std::vector<torch::Tensor> FlatParameters::grad_views() const { return grad_views_; }

void FlatParameters::zero_grad() {
  torch::NoGradGuard no_grad;
  grads_.zero_();
  for (size_t i = 0; i < params_.size(); ++i) {
    torch::Tensor& g = params_[i].second.mutable_grad();
    if (!g.defined() || !g.is_same(grad_views_[i])) g = grad_views_[i];
  }
}

int64_t FlatParameters::gather_grads() {
  torch::NoGradGuard no_grad;
  int64_t copied = 0;
  for (size_t i = 0; i < params_.size(); ++i) {
    torch::Tensor& g = params_[i].second.mutable_grad();
    if (!g.defined()) {
      g = grad_views_[i];
      continue;
    }
    if (g.data_ptr() != grad_views_[i].data_ptr()) {
      grad_views_[i].copy_(g);
      g = grad_views_[i];
      ++copied;
    }
  }
  return copied;
}

AdamW::AdamW(std::vector<torch::Tensor> params, AdamWOptions options)
    : params_(std::move(params)), options_(options) {
  torch::NoGradGuard no_grad;
  for (const auto& p : params_) {
    exp_avg_.push_back(torch::zeros_like(p, torch::MemoryFormat::Preserve));
    exp_avg_sq_.push_back(torch::zeros_like(p, torch::MemoryFormat::Preserve));
  }
}

void AdamW::step(const std::vector<torch::Tensor>& grads, double lr) {
  TORCH_CHECK(grads.size() == params_.size(), "AdamW::step: ", grads.size(), " gradients for ", params_.size(),
              " parameters");
  torch::NoGradGuard no_grad;
  ++step_;
  const double b1 = options_.beta1;
  const double b2 = options_.beta2;
  const double bias_correction1 = 1 - std::pow(b1, static_cast<double>(step_));
  const double bias_correction2 = 1 - std::pow(b2, static_cast<double>(step_));
  const at::TensorList params(params_);
  const at::TensorList g(grads);
  if (options_.weight_decay != 0) at::_foreach_mul_(params, 1 - lr * options_.weight_decay);
  at::_foreach_mul_(exp_avg_, b1);
  at::_foreach_add_(exp_avg_, g, 1 - b1);
  at::_foreach_mul_(exp_avg_sq_, b2);
  at::_foreach_addcmul_(exp_avg_sq_, g, g, 1 - b2);
  // denom = sqrt(v) / sqrt(bc2) + eps, in a buffer kept across steps: allocating (and page-faulting)
  // a parameter-sized temporary every step costs more than the arithmetic on large models.
  if (denom_.empty()) {
    for (const auto& v : exp_avg_sq_) denom_.push_back(torch::empty_like(v));
  }
  for (size_t i = 0; i < denom_.size(); ++i) at::sqrt_out(denom_[i], exp_avg_sq_[i]);
  at::_foreach_div_(denom_, std::sqrt(bias_correction2));
  at::_foreach_add_(denom_, options_.eps);
  at::_foreach_addcdiv_(params, exp_avg_, denom_, -lr / bias_correction1);
}

double global_grad_norm(const std::vector<torch::Tensor>& grads) {
  torch::NoGradGuard no_grad;
  if (grads.size() == 1) return grads.front().norm(2).item<double>();
  std::vector<torch::Tensor> norms;
  norms.reserve(grads.size());
  for (const auto& g : grads) norms.push_back(g.norm(2));
  return torch::stack(norms).norm(2).item<double>();
}

double clip_grad_norm(const std::vector<torch::Tensor>& grads, double max_norm) {
  const double norm = global_grad_norm(grads);
  const double coef = max_norm / (norm + 1e-6);
  if (coef < 1) {
    torch::NoGradGuard no_grad;
    at::_foreach_mul_(grads, coef);
  }
  return norm;
}

void EMA::update(const std::vector<torch::Tensor>& weights, int64_t step) {
  if (step < start_) return;
  torch::NoGradGuard no_grad;
  if (shadow_.empty()) {
    for (const auto& w : weights) shadow_.push_back(w.detach().to(torch::kFloat32, /*non_blocking=*/false, /*copy=*/true));
    return;
  }
  TORCH_CHECK(shadow_.size() == weights.size(), "EMA::update: weight count changed");
  at::_foreach_mul_(shadow_, smoothing_);
  std::vector<torch::Tensor> w32;
  w32.reserve(weights.size());
  for (const auto& w : weights) w32.push_back(w.scalar_type() == torch::kFloat32 ? w.detach() : w.detach().to(torch::kFloat32));
  at::_foreach_add_(shadow_, w32, 1 - smoothing_);
}

}  // namespace tessera::training
