#pragma once
// GEGLU (y = h · GELU(g) for the projection [h | g], exact GELU) through the engine's own kernels
// (kernels/geglu.cuh): one pass forward, one backward, over the UNet's widest activations. On a
// CUDA device compiled by NVRTC on first use; on the CPU the same source runs block by block for
// the tests. Internal header (torch).

#include <torch/torch.h>

#include <optional>
#include <string>

namespace tessera::models {

// Whether the transformer blocks route their GEGLU here: TESSERA_FUSED_GEGLU=1 (or
// set_fused_geglu_enabled), a CUDA float/bf16/fp16 projection with a multiple of 8 features, and
// kernels that compiled on this device (if not, reported once on stderr, and the ops are used).
bool fused_geglu_serves(const torch::Tensor& projection);

// y = h · GELU(g) for projection [..., 2F] = [h | g]: [..., F], differentiable. On a CUDA device or
// the CPU.
torch::Tensor fused_geglu(const torch::Tensor& projection);

void set_fused_geglu_enabled(std::optional<bool> enabled);  // nullopt: the environment decides
int64_t fused_geglu_cuda_calls();
const std::string& fused_geglu_source();

}  // namespace tessera::models
