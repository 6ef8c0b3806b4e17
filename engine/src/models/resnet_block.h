#pragma once
// ResnetBlock2D as in diffusers (time_embedding_norm "default"): GroupNorm -> SiLU -> conv1
// (+ projected time embedding) -> GroupNorm -> SiLU -> dropout -> conv2, plus the (optionally
// 1x1-projected) input, divided by output_scale_factor.

#include <torch/torch.h>

#include <cstdint>

namespace tessera::models {

struct ResnetBlock2DOptions {
  int64_t in_channels = 0;
  int64_t out_channels = 0;     // 0: same as in_channels
  int64_t temb_channels = 0;    // 0: no time embedding (VAE)
  int64_t groups = 32;
  double eps = 1e-6;
  double dropout = 0.0;
  double output_scale_factor = 1.0;
};

class ResnetBlock2DImpl : public torch::nn::Module {
 public:
  explicit ResnetBlock2DImpl(const ResnetBlock2DOptions& options);
  torch::Tensor forward(const torch::Tensor& input, const torch::Tensor& temb = {});

 private:
  ResnetBlock2DOptions options_;
  torch::nn::GroupNorm norm1_{nullptr};
  torch::nn::Conv2d conv1_{nullptr};
  torch::nn::Linear time_emb_proj_{nullptr};
  torch::nn::GroupNorm norm2_{nullptr};
  torch::nn::Dropout dropout_{nullptr};
  torch::nn::Conv2d conv2_{nullptr};
  torch::nn::Conv2d conv_shortcut_{nullptr};
};
TORCH_MODULE(ResnetBlock2D);

}  // namespace tessera::models
