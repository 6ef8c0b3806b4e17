#pragma once
// The two halves of AutoencoderKL (diffusers autoencoders/vae.py), with diffusers' key names.
//   Encoder: conv_in -> down_blocks (DownEncoderBlock2D: resnets, downsamplers.0 with the
//            asymmetric (0,1,0,1) pad) -> mid_block -> conv_norm_out -> SiLU -> conv_out
//            (2 x latent channels: mean and log-variance).
//   Decoder: conv_in -> mid_block -> up_blocks (UpDecoderBlock2D: layers_per_block + 1 resnets,
//            upsamplers.0) -> conv_norm_out -> SiLU -> conv_out.
//   UNetMidBlock2D: resnets.0 -> attentions.0 (single-head self-attention over all pixels, with
//            group_norm, residual) -> resnets.1. No time embedding anywhere.

#include "models/activations.h"
#include "models/attention.h"
#include "models/resampling.h"
#include "models/resnet_block.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace tessera::models {

struct VAECoderOptions {
  int64_t in_channels = 3;
  int64_t out_channels = 3;  // encoder: 2 * latent_channels
  std::vector<int64_t> block_out_channels{128, 256, 512, 512};
  int64_t layers_per_block = 2;
  int64_t norm_num_groups = 32;
  bool mid_block_add_attention = true;
};

class VAEMidBlockImpl : public torch::nn::Module {
 public:
  VAEMidBlockImpl(int64_t channels, int64_t groups, bool add_attention);
  torch::Tensor forward(const torch::Tensor& x, const ActivationSink& sink = {});

 private:
  std::vector<ResnetBlock2D> resnets_;
  Attention attention_{nullptr};
};
TORCH_MODULE(VAEMidBlock);

// DownEncoderBlock2D / UpDecoderBlock2D.
class VAECoderBlockImpl : public torch::nn::Module {
 public:
  enum class Kind { Down, Up };
  VAECoderBlockImpl(Kind kind, int64_t in_channels, int64_t out_channels, int64_t num_layers, int64_t groups,
                    bool add_resample);
  torch::Tensor forward(const torch::Tensor& x, const ActivationSink& sink = {});

 private:
  std::vector<ResnetBlock2D> resnets_;
  Downsample2D downsample_{nullptr};
  Upsample2D upsample_{nullptr};
};
TORCH_MODULE(VAECoderBlock);

class VAEEncoderImpl : public torch::nn::Module {
 public:
  explicit VAEEncoderImpl(const VAECoderOptions& options);
  torch::Tensor forward(const torch::Tensor& x, const ActivationSink& sink = {});

 private:
  torch::nn::Conv2d conv_in_{nullptr};
  std::vector<VAECoderBlock> down_blocks_;
  VAEMidBlock mid_block_{nullptr};
  torch::nn::GroupNorm conv_norm_out_{nullptr};
  torch::nn::Conv2d conv_out_{nullptr};
};
TORCH_MODULE(VAEEncoder);

class VAEDecoderImpl : public torch::nn::Module {
 public:
  explicit VAEDecoderImpl(const VAECoderOptions& options);
  torch::Tensor forward(const torch::Tensor& z, const ActivationSink& sink = {});

 private:
  torch::nn::Conv2d conv_in_{nullptr};
  std::vector<VAECoderBlock> up_blocks_;
  VAEMidBlock mid_block_{nullptr};
  torch::nn::GroupNorm conv_norm_out_{nullptr};
  torch::nn::Conv2d conv_out_{nullptr};
};
TORCH_MODULE(VAEDecoder);

}  // namespace tessera::models
