#pragma once
// GroupNorm and LayerNorm that follow autocast into the low precision. Autocast's own rules run
// both in fp32 (they upcast, then the next matmul casts back down); the reference SD2 run used
// Composer's low-precision GroupNorm/LayerNorm instead, which normalise in the autocast dtype and
// save the two casts and half the activation memory of every norm. Outside autocast these are
// exactly the modules' forwards. On a CUDA device with TESSERA_FUSED_GROUP_NORM=1, channels-last
// GroupNorms go through the engine's own kernels (group_norm_nhwc.h). Internal header (torch).

#include <torch/torch.h>

namespace tessera::models {

torch::Tensor group_norm(const torch::nn::GroupNorm& norm, const torch::Tensor& x);
// group_norm, then SiLU: one pass each way with the fused kernels.
torch::Tensor group_norm_silu(const torch::nn::GroupNorm& norm, const torch::Tensor& x);
torch::Tensor layer_norm(const torch::nn::LayerNorm& norm, const torch::Tensor& x);

}  // namespace tessera::models
