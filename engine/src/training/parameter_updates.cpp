#include "training/parameter_updates.h"

#include "core/env.h"
#include "core/torch_version.h"
#include "training/adamw_kernel.h"

#include "tessera/error.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <cmath>
#include <string>

namespace tessera::training {

FlatParameters::FlatParameters(std::vector<std::pair<std::string, torch::Tensor>> params, bool gradient_buffer)
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
  if (gradient_buffer) grads_ = torch::zeros({total}, options.requires_grad(false));
  int64_t offset = 0;
  for (auto& [name, p] : params_) {
    const int64_t n = p.numel();
    offsets_.push_back(offset);
    torch::Tensor value_view = values_.narrow(0, offset, n).view(p.sizes());
    value_view.copy_(p.detach());
    p.set_data(value_view);
    if (gradient_buffer) {
      torch::Tensor grad_view = grads_.narrow(0, offset, n).view(p.sizes());
      p.mutable_grad() = grad_view;
      grad_views_.push_back(grad_view);
    } else {
      p.mutable_grad().reset();
    }
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
  if (!grads_.defined()) return;
  torch::NoGradGuard no_grad;
  grads_.zero_();
  for (size_t i = 0; i < params_.size(); ++i) {
    torch::Tensor& g = params_[i].second.mutable_grad();
    if (!g.defined() || !g.is_same(grad_views_[i])) g = grad_views_[i];
  }
}

int64_t FlatParameters::gather_grads() {
  if (!grads_.defined()) return 0;
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

namespace {

bool fusable(const torch::Tensor& p, const torch::Tensor& g, const torch::Tensor& m, const torch::Tensor& v) {
  const auto dense = [&](const torch::Tensor& t) {
    return t.device().is_cpu() && t.scalar_type() == torch::kFloat32 && t.is_contiguous();
  };
  return dense(p) && dense(g) && dense(m) && dense(v);
}

}  // namespace

void fused_adamw_cpu(float* param, const float* grad, float* exp_avg, float* exp_avg_sq, int64_t n,
                     const AdamWScalars& s) {
  AdamWConstants c;
  c.decay = static_cast<float>(1 - s.lr * s.weight_decay);
  c.beta1 = static_cast<float>(s.beta1);
  c.one_minus_beta1 = static_cast<float>(1 - s.beta1);
  c.beta2 = static_cast<float>(s.beta2);
  c.one_minus_beta2 = static_cast<float>(1 - s.beta2);
  c.sqrt_bias_correction2 = static_cast<float>(std::sqrt(s.bias_correction2));
  c.eps = static_cast<float>(s.eps);
  c.step_size = static_cast<float>(-s.lr / s.bias_correction1);
  // 16K elements per task: large enough to amortise the thread hand-off, small enough to split
  // a 10M-element tensor across every core.
  at::parallel_for(0, n, 1 << 14, [&](int64_t begin, int64_t end) {
    adamw_kernel(param, grad, exp_avg, exp_avg_sq, begin, end, c);
  });
}

void AdamW::begin_step() { ++step_; }

void AdamW::update_part(size_t tensor, int64_t offset, const torch::Tensor& grad_in, double lr) {
  TORCH_CHECK(tensor < params_.size(), "AdamW::update_part: no tensor ", tensor);
  TORCH_CHECK(step_ > 0, "AdamW::update_part before begin_step");
  torch::NoGradGuard no_grad;
  const int64_t n = grad_in.numel();
  torch::Tensor p = params_[tensor].view(-1).narrow(0, offset, n);
  torch::Tensor m = exp_avg_[tensor].view(-1).narrow(0, offset, n);
  torch::Tensor v = exp_avg_sq_[tensor].view(-1).narrow(0, offset, n);
  const torch::Tensor g = grad_in.contiguous().view(-1);
  AdamWScalars s;
  s.lr = lr;
  s.beta1 = options_.beta1;
  s.beta2 = options_.beta2;
  s.eps = options_.eps;
  s.weight_decay = options_.weight_decay;
  s.bias_correction1 = 1 - std::pow(options_.beta1, static_cast<double>(step_));
  s.bias_correction2 = 1 - std::pow(options_.beta2, static_cast<double>(step_));
  if (fusable(p, g, m, v)) {
    fused_adamw_cpu(p.data_ptr<float>(), g.data_ptr<float>(), m.data_ptr<float>(), v.data_ptr<float>(), n, s);
    return;
  }
  // Other devices and dtypes: the same arithmetic as tensor ops.
  if (s.weight_decay != 0) p.mul_(1 - lr * s.weight_decay);
  m.mul_(s.beta1).add_(g, 1 - s.beta1);
  v.mul_(s.beta2).addcmul_(g, g, 1 - s.beta2);
  const torch::Tensor denom = (v.sqrt() / std::sqrt(s.bias_correction2)).add_(s.eps);
  p.addcdiv_(m, denom, -lr / s.bias_correction1);
}

bool AdamW::fused_gpu_update(const std::vector<torch::Tensor>& grads, double lr) {
#if TESSERA_TORCH_AT_LEAST(2, 2)
  static const bool enabled = !env_is("TESSERA_FUSED_ADAMW", "0");
  if (!enabled || params_.empty()) return false;
  // The kernel's conditions (it throws rather than falls back): every tensor on one GPU, in one
  // of its dtypes (all the same), the same layout as its parameter, dense, and under 2^31
  // elements (32-bit offsets in LibTorch up to at least 2.6).
  const torch::ScalarType dtype = params_.front().scalar_type();
  if (dtype != torch::kFloat32 && dtype != torch::kFloat64 && dtype != torch::kHalf && dtype != torch::kBFloat16) return false;
  const auto same = [&](const torch::Tensor& p, const torch::Tensor& t) {
    return t.is_cuda() && t.device() == params_.front().device() && t.scalar_type() == dtype &&
           t.layout() == torch::kStrided && t.is_non_overlapping_and_dense() && t.sizes() == p.sizes() &&
           t.strides() == p.strides();
  };
  for (size_t i = 0; i < params_.size(); ++i) {
    const torch::Tensor& p = params_[i];
    if (p.numel() >= (int64_t(1) << 31) || !same(p, p) || !same(p, grads[i]) ||
        !same(p, exp_avg_[i]) || !same(p, exp_avg_sq_[i])) {
      return false;
    }
  }
  if (device_step_views_.size() != params_.size()) {
    device_steps_ = torch::zeros({static_cast<int64_t>(params_.size())},
                                 torch::TensorOptions().dtype(torch::kFloat32).device(params_.front().device()));
    device_step_views_.clear();
    for (int64_t i = 0; i < device_steps_.size(0); ++i) device_step_views_.push_back(device_steps_[i]);
  }
  ++step_;
  // Kernels, not copies: no host wait.
  device_steps_.fill_(static_cast<double>(step_));
  at::_fused_adamw_(params_, grads, exp_avg_, exp_avg_sq_, /*max_exp_avg_sqs=*/{}, device_step_views_, lr,
                    options_.beta1, options_.beta2, options_.weight_decay, options_.eps, /*amsgrad=*/false,
                    /*maximize=*/false);
  return true;
#else
  (void)grads;
  (void)lr;
  return false;
#endif
}

void AdamW::step(const std::vector<torch::Tensor>& grads, double lr) {
  TORCH_CHECK(grads.size() == params_.size(), "AdamW::step: ", grads.size(), " gradients for ", params_.size(),
              " parameters");
  torch::NoGradGuard no_grad;
  if (fused_gpu_update(grads, lr)) {
    last_update_ = "fused GPU kernel";
    return;
  }
  bool all_fusable = true;
  for (size_t i = 0; i < params_.size() && all_fusable; ++i) {
    all_fusable = fusable(params_[i], grads[i], exp_avg_[i], exp_avg_sq_[i]);
  }
  if (all_fusable) {
    last_update_ = "fused CPU loop";
    begin_step();
    for (size_t i = 0; i < params_.size(); ++i) update_part(i, 0, grads[i], lr);
    return;
  }
  last_update_ = "foreach ops";
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
  std::vector<torch::Tensor> denom = at::_foreach_sqrt(exp_avg_sq_);
  at::_foreach_div_(denom, std::sqrt(bias_correction2));
  at::_foreach_add_(denom, options_.eps);
  at::_foreach_addcdiv_(params, exp_avg_, denom, -lr / bias_correction1);
}

torch::Tensor global_grad_norm(const std::vector<torch::Tensor>& grads) {
  torch::NoGradGuard no_grad;
  if (grads.size() == 1) return grads.front().norm(2);
  std::vector<torch::Tensor> norms;
  norms.reserve(grads.size());
  for (const auto& g : grads) norms.push_back(g.norm(2));
  return torch::stack(norms).norm(2);
}

torch::Tensor clip_grad_norm(const std::vector<torch::Tensor>& grads, double max_norm) {
  const torch::Tensor norm = global_grad_norm(grads);
  torch::NoGradGuard no_grad;
  // A factor of 1 leaves the gradients as they are, bit for bit.
  const torch::Tensor factor = torch::clamp_max(max_norm / (norm.to(torch::kFloat64) + 1e-6), 1.0);
  // On the CPU the host holds the factor anyway: a factor of 1 (or NaN) skips the pass.
  if (factor.device().is_cpu() && !(factor.item<double>() < 1)) return norm;
#if TESSERA_TORCH_AT_LEAST(2, 1)
  at::_foreach_mul_(grads, factor);
#else
  for (const auto& g : grads) g.mul_(factor);  // no tensor-factor _foreach_mul_ before 2.1
#endif
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
