#include "models/low_precision_norm.h"

#include "core/autocast_scope.h"
#include "models/group_norm_nhwc.h"

#include <c10/core/impl/LocalDispatchKeySet.h>

namespace tessera::models {
namespace {

// Whether `x` should be normalised in a lower precision than its own (and which).
bool low_precision(const torch::Tensor& x, c10::ScalarType* dtype) {
  if (!(x.is_cuda() || x.is_cpu()) || !autocast_enabled(x.device().type())) return false;
  *dtype = autocast_dtype(x.device().type());
  return true;
}

torch::Tensor cast(const torch::Tensor& t, c10::ScalarType dtype) {
  return t.defined() && t.scalar_type() != dtype ? t.to(dtype) : t;
}

// Autocast's dispatch key for x's device, excluded while the norm runs (else it upcasts again).
c10::DispatchKeySet autocast_key(const torch::Tensor& x) {
  return c10::DispatchKeySet(x.is_cuda() ? c10::DispatchKey::AutocastCUDA : c10::DispatchKey::AutocastCPU);
}

// Inference (nothing records gradients): SiLU updates the norm's fresh output in place, saving a
// buffer of the feature map's size. The numbers are the same either way.
torch::Tensor silu_fresh(torch::Tensor fresh) {
  return fresh.requires_grad() ? torch::silu(fresh) : torch::silu_(fresh);
}

torch::Tensor normalize(const torch::nn::GroupNorm& norm, const torch::Tensor& x, bool silu) {
  c10::ScalarType dtype{};
  const bool low = low_precision(x, &dtype);
  const auto& o = norm->options;
  const torch::Tensor input = low ? cast(x, dtype) : x;
  if (fused_group_norm_serves(input)) {
    // The kernels take the parameters in float whatever the input's precision.
    c10::impl::ExcludeDispatchKeyGuard no_autocast(autocast_key(x));
    return fused_group_norm(input, o.num_groups(), norm->weight, norm->bias, o.eps(), silu);
  }
  torch::Tensor y;
  if (!low) {
    y = norm.ptr()->forward(x);
  } else {
    c10::impl::ExcludeDispatchKeyGuard no_autocast(autocast_key(x));
    y = torch::group_norm(input, o.num_groups(), cast(norm->weight, dtype), cast(norm->bias, dtype), o.eps());
  }
  return silu ? silu_fresh(y) : y;
}

}  // namespace

torch::Tensor group_norm(const torch::nn::GroupNorm& norm, const torch::Tensor& x) { return normalize(norm, x, false); }

torch::Tensor group_norm_silu(const torch::nn::GroupNorm& norm, const torch::Tensor& x) {
  return normalize(norm, x, true);
}

torch::Tensor layer_norm(const torch::nn::LayerNorm& norm, const torch::Tensor& x) {
  c10::ScalarType dtype{};
  if (!low_precision(x, &dtype)) return norm.ptr()->forward(x);
  const auto& o = norm->options;
  c10::impl::ExcludeDispatchKeyGuard no_autocast(autocast_key(x));
  return torch::layer_norm(cast(x, dtype), o.normalized_shape(), cast(norm->weight, dtype), cast(norm->bias, dtype),
                           o.eps());
}

}  // namespace tessera::models
