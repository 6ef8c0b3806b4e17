#pragma once
// GroupNorm (optionally followed by SiLU) on channels-last activations through the engine's own
// kernels (kernels/group_norm_nhwc.cuh): no copy to NCHW and back around the norm, the SiLU
// applied and differentiated inside the same passes. On a CUDA device the kernels are compiled by
// NVRTC on first use (core/runtime_kernels.h); on the CPU the same source runs block by block,
// thread by thread, so the tests check the kernels' arithmetic and indexing against LibTorch's
// group_norm without a GPU. Internal header (torch).

#include <torch/torch.h>

#include <optional>
#include <string>

namespace tessera::models {

// Whether the model layers route a GroupNorm through these kernels: TESSERA_FUSED_GROUP_NORM=1, a
// CUDA tensor of 4 dimensions laid out channels-last, a float/bf16/fp16 input with a multiple of
// 4 channels, enough samples to spread over the GPU (not one large image, as a VAE at batch 1),
// and kernels that compiled on this device. Off by default until a GPU run has measured it. A
// device whose kernels cannot be built is reported once on stderr and keeps LibTorch's norm.
bool fused_group_norm_serves(const torch::Tensor& x);

// GroupNorm(groups, weight, bias, eps) of x, then SiLU when `silu`, differentiable in x, weight and
// bias. x: [N, C, H, W] on a CUDA device or the CPU, any layout (computed channels-last, returned
// channels-last), float, bf16 or fp16; weight and bias: [C] or undefined. The arithmetic is in
// float whatever the dtype, the group sums in double.
torch::Tensor fused_group_norm(const torch::Tensor& x, int64_t groups, const torch::Tensor& weight,
                               const torch::Tensor& bias, double eps, bool silu);

// Turns the layers' routing through fused_group_norm on or off for the rest of the process
// (TESSERA_FUSED_GROUP_NORM=1 turns it on at start); for tests and benchmarks that compare.
void set_fused_group_norm_enabled(std::optional<bool> enabled);  // nullopt: the environment decides

// How many fused GroupNorms ran on a CUDA device so far (forward passes), so a test can tell
// that the layers really took this path.
int64_t fused_group_norm_cuda_calls();

// The kernels' whole CUDA source, as NVRTC compiles it.
const std::string& fused_group_norm_source();

}  // namespace tessera::models
