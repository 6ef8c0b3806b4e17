#pragma once
// The tensors the engine's own kernels take (core/device_kernels.h): storage types and layout.
// Internal header (torch).

#include "tessera/error.h"

#include <torch/torch.h>

#include <cstdint>
#include <string>

namespace tessera {

inline bool kernel_storage_supported(c10::ScalarType t) {
  return t == torch::kFloat || t == torch::kBFloat16 || t == torch::kHalf;
}

// The index of t among the kernels' storage types (_f32, _bf16, _f16 entry points).
inline int kernel_storage_index(c10::ScalarType t, const char* kernel) {
  switch (t) {
    case torch::kFloat: return 0;
    case torch::kBFloat16: return 1;
    case torch::kHalf: return 2;
    default: throw Error(std::string("the fused ") + kernel + " takes float, bf16 or fp16, not " + c10::toString(t));
  }
}

// t in `format` and 16-byte aligned, for the kernels' 4-element accesses (a view into a larger
// tensor may start anywhere): t itself when it already is.
inline torch::Tensor kernel_layout(const torch::Tensor& t, torch::MemoryFormat format) {
  torch::Tensor out = t.contiguous(format);
  if (reinterpret_cast<std::uintptr_t>(out.data_ptr()) % 16 != 0) out = out.clone(format);
  return out;
}

}  // namespace tessera
