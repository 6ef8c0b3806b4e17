#pragma once
// Down- and up-sampling layers of diffusers' UNet and VAE.
// Downsample2D: 3x3 conv, stride 2 ("conv"); with padding 0 (VAE encoder) the input is first
// padded by one zero column/row on the right/bottom (F.pad (0,1,0,1)).
// Upsample2D: nearest x2 (or to an explicit size, for skip connections whose size does not
// divide by 2), then a 3x3 conv ("conv"). bfloat16 inputs are interpolated in float32.

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace tessera::models {

class Downsample2DImpl : public torch::nn::Module {
 public:
  Downsample2DImpl(int64_t channels, int64_t out_channels, int64_t padding);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  int64_t padding_ = 1;
  torch::nn::Conv2d conv_{nullptr};
};
TORCH_MODULE(Downsample2D);

class Upsample2DImpl : public torch::nn::Module {
 public:
  Upsample2DImpl(int64_t channels, int64_t out_channels);
  // output_size: {} for x2, else {H, W}.
  torch::Tensor forward(const torch::Tensor& x, const std::vector<int64_t>& output_size = {});

 private:
  torch::nn::Conv2d conv_{nullptr};
};
TORCH_MODULE(Upsample2D);

}  // namespace tessera::models
