#pragma once
// Mixed-precision autocast for a block of code on CUDA or the CPU (bf16 or fp16), over the
// LibTorch autocast API of the version being built against: the per-device-type calls of
// LibTorch >= 2.4, the older per-device functions before. Autocast's own rules keep GroupNorm and
// LayerNorm in fp32; the models' norms (models/low_precision_norm.h) follow autocast into the low
// precision instead, as the reference run did. Also what a recomputation in backward needs to run
// under the autocast its forward ran under (models/gradient_checkpoint.cpp). Internal header
// (torch).

#include "core/torch_version.h"

#include <ATen/autocast_mode.h>

namespace tessera {

// Whether autocast is on for `device` (at::kCUDA or at::kCPU) in this thread, and its dtype there.
inline bool autocast_enabled(c10::DeviceType device) {
#if TESSERA_TORCH_AT_LEAST(2, 4)
  return at::autocast::is_autocast_enabled(device);
#else
  return device == at::kCUDA ? at::autocast::is_enabled() : device == at::kCPU ? at::autocast::is_cpu_enabled() : false;
#endif
}
inline c10::ScalarType autocast_dtype(c10::DeviceType device) {
#if TESSERA_TORCH_AT_LEAST(2, 4)
  return at::autocast::get_autocast_dtype(device);
#else
  return device == at::kCUDA ? at::autocast::get_autocast_gpu_dtype() : at::autocast::get_autocast_cpu_dtype();
#endif
}

namespace detail {
inline void set_autocast(c10::DeviceType device, bool enabled, c10::ScalarType dtype) {
#if TESSERA_TORCH_AT_LEAST(2, 4)
  at::autocast::set_autocast_dtype(device, dtype);
  at::autocast::set_autocast_enabled(device, enabled);
#else
  if (device == at::kCUDA) {
    at::autocast::set_autocast_gpu_dtype(dtype);
    at::autocast::set_enabled(enabled);
  } else {
    at::autocast::set_autocast_cpu_dtype(dtype);
    at::autocast::set_cpu_enabled(enabled);
  }
#endif
}
}  // namespace detail

class AutocastScope {
 public:
  // Autocast on `device` (at::kCUDA or at::kCPU) exactly as given for the scope: on in `dtype`,
  // or off when `enabled` is false (whatever it was outside); what was there before comes back
  // at the end.
  AutocastScope(bool enabled, c10::DeviceType device, c10::ScalarType dtype)
      : enabled_(enabled), device_(device), previous_enabled_(autocast_enabled(device)),
        previous_dtype_(autocast_dtype(device)) {
    detail::set_autocast(device_, enabled_, enabled_ ? dtype : previous_dtype_);
    if (enabled_) at::autocast::increment_nesting();
  }
  ~AutocastScope() {
    // Leaving the outermost autocast region drops the casts cached for it.
    if (enabled_ && at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
    detail::set_autocast(device_, previous_enabled_, previous_dtype_);
  }
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  bool enabled_;
  c10::DeviceType device_;
  bool previous_enabled_;
  c10::ScalarType previous_dtype_;
};

// Autocast's cache of weight casts on or off for a block of code, in this thread (the setting is
// per thread).
class AutocastCacheScope {
 public:
  explicit AutocastCacheScope(bool enabled) : previous_(at::autocast::is_autocast_cache_enabled()) {
    at::autocast::set_autocast_cache_enabled(enabled);
  }
  ~AutocastCacheScope() { at::autocast::set_autocast_cache_enabled(previous_); }
  AutocastCacheScope(const AutocastCacheScope&) = delete;
  AutocastCacheScope& operator=(const AutocastCacheScope&) = delete;

 private:
  bool previous_;
};

}  // namespace tessera
