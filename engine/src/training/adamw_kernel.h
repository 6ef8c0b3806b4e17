#pragma once
// The fused AdamW arithmetic over a range of fp32 elements, with no torch dependency, so that it
// compiles with the flags that let the loop vectorise (see sources.cmake). Internal header.

#include <cstdint>

namespace tessera::training {

// fp32 constants of one AdamW step (what ATen's CPU kernels use for fp32 tensors).
struct AdamWConstants {
  float decay = 1;         // 1 - lr * weight_decay
  float beta1 = 0.9f;
  float one_minus_beta1 = 0.1f;
  float beta2 = 0.999f;
  float one_minus_beta2 = 0.001f;
  float sqrt_bias_correction2 = 1;
  float eps = 1e-8f;
  float step_size = 0;     // -lr / bias_correction1
};

// Elements [begin, end) of p, g, m, v:
//   m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2;
//   p = decay p + step_size m / (sqrt(v) / sqrt(bc2) + eps).
void adamw_kernel(float* p, const float* g, float* m, float* v, int64_t begin, int64_t end, const AdamWConstants& c);

}  // namespace tessera::training
