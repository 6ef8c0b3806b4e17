#include "models/low_precision_norm.h"

#include "core/torch_version.h"

#include <ATen/autocast_mode.h>
#include <c10/core/impl/LocalDispatchKeySet.h>

namespace tessera::models {
namespace {

#if TESSERA_TORCH_AT_LEAST(2, 4)
bool autocast_on(const torch::Tensor& x) { return at::autocast::is_autocast_enabled(x.device().type()); }
c10::ScalarType autocast_dtype(const torch::Tensor& x) { return at::autocast::get_autocast_dtype(x.device().type()); }
#else
bool autocast_on(const torch::Tensor& x) {
  if (x.is_cuda()) return at::autocast::is_enabled();
  if (x.is_cpu()) return at::autocast::is_cpu_enabled();
  return false;
}
c10::ScalarType autocast_dtype(const torch::Tensor& x) {
  return x.is_cuda() ? at::autocast::get_autocast_gpu_dtype() : at::autocast::get_autocast_cpu_dtype();
}
#endif

// Whether `x` should be normalised in a lower precision than its own (and which).
bool low_precision(const torch::Tensor& x, c10::ScalarType* dtype) {
  if (!(x.is_cuda() || x.is_cpu()) || !autocast_on(x)) return false;
  *dtype = autocast_dtype(x);
  return true;
}

torch::Tensor cast(const torch::Tensor& t, c10::ScalarType dtype) {
  return t.defined() && t.scalar_type() != dtype ? t.to(dtype) : t;
}

// Autocast's dispatch key for x's device, excluded while the norm runs (else it upcasts again).
c10::DispatchKeySet autocast_key(const torch::Tensor& x) {
  return c10::DispatchKeySet(x.is_cuda() ? c10::DispatchKey::AutocastCUDA : c10::DispatchKey::AutocastCPU);
}

}  // namespace

torch::Tensor group_norm(const torch::nn::GroupNorm& norm, const torch::Tensor& x) {
  c10::ScalarType dtype{};
  if (!low_precision(x, &dtype)) return norm.ptr()->forward(x);
  const auto& o = norm->options;
  c10::impl::ExcludeDispatchKeyGuard no_autocast(autocast_key(x));
  return torch::group_norm(cast(x, dtype), o.num_groups(), cast(norm->weight, dtype), cast(norm->bias, dtype), o.eps());
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
