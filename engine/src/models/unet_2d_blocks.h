#pragma once
// The blocks of UNet2DConditionModel (diffusers unet_2d_blocks.py), with diffusers' key names:
//   UNetDownBlock  = CrossAttnDownBlock2D (with_attention) / DownBlock2D:
//                    (resnets.i [-> attentions.i])* [-> downsamplers.0]; every stage is a skip.
//   UNetMidBlock2DCrossAttn: resnets.0 -> (attentions.i -> resnets.i+1)*.
//   UNetUpBlock    = CrossAttnUpBlock2D (with_attention) / UpBlock2D:
//                    (cat(x, skip) -> resnets.i [-> attentions.i])* [-> upsamplers.0].

#include "models/activations.h"
#include "models/resampling.h"
#include "models/resnet_block.h"
#include "models/transformer_2d.h"

#include <torch/torch.h>

#include <cstdint>
#include <utility>
#include <vector>

namespace tessera::models {

struct UNetBlockOptions {
  int64_t in_channels = 0;
  int64_t out_channels = 0;
  int64_t prev_output_channels = 0;  // up blocks: channels coming from the block below
  int64_t temb_channels = 0;
  int64_t num_layers = 1;            // resnets (up blocks: layers_per_block + 1)
  bool with_attention = false;
  int64_t transformer_layers = 1;
  int64_t heads = 1;                 // attention heads; head dim = out_channels / heads
  int64_t cross_attention_dim = 0;
  int64_t groups = 32;
  double eps = 1e-5;
  double dropout = 0.0;
  bool use_linear_projection = false;
  bool upcast_attention = false;
  bool only_cross_attention = false;
  bool add_resample = false;         // downsamplers.0 / upsamplers.0
  int64_t downsample_padding = 1;
  double output_scale_factor = 1.0;  // resnets (mid block: mid_block_scale_factor)
};

Transformer2DModel make_transformer(const UNetBlockOptions& o, int64_t channels);

// What every block shares: gradient checkpointing of its resnets and transformers (diffusers'
// `gradient_checkpointing`), in effect while training with grad mode on.
class CheckpointableBlock : public torch::nn::Module {
 public:
  void set_gradient_checkpointing(bool on) { gradient_checkpointing_ = on; }
  bool checkpointing() const { return gradient_checkpointing_ && is_training() && torch::GradMode::is_enabled(); }

 private:
  bool gradient_checkpointing_ = false;
};

class UNetDownBlockImpl : public CheckpointableBlock {
 public:
  explicit UNetDownBlockImpl(const UNetBlockOptions& options);
  // Returns the output and appends every intermediate state to `skips`.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& temb, const torch::Tensor& context,
                        std::vector<torch::Tensor>& skips, const ActivationSink& sink = {});
  bool has_downsampler() const { return !downsamplers_.empty(); }

 private:
  std::vector<ResnetBlock2D> resnets_;
  std::vector<Transformer2DModel> attentions_;
  std::vector<Downsample2D> downsamplers_;
};
TORCH_MODULE(UNetDownBlock);

class UNetMidBlock2DCrossAttnImpl : public CheckpointableBlock {
 public:
  // options.num_layers = number of attention layers (1 in SD); resnets = num_layers + 1.
  explicit UNetMidBlock2DCrossAttnImpl(const UNetBlockOptions& options);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& temb, const torch::Tensor& context,
                        const ActivationSink& sink = {});

 private:
  std::vector<ResnetBlock2D> resnets_;
  std::vector<Transformer2DModel> attentions_;
};
TORCH_MODULE(UNetMidBlock2DCrossAttn);

class UNetUpBlockImpl : public CheckpointableBlock {
 public:
  explicit UNetUpBlockImpl(const UNetBlockOptions& options);
  // Consumes num_resnets() states from the back of `skips`. upsample_size: {} for x2.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& temb, const torch::Tensor& context,
                        std::vector<torch::Tensor>& skips, const std::vector<int64_t>& upsample_size,
                        const ActivationSink& sink = {});
  size_t num_resnets() const { return resnets_.size(); }
  bool has_upsampler() const { return !upsamplers_.empty(); }

 private:
  std::vector<ResnetBlock2D> resnets_;
  std::vector<Transformer2DModel> attentions_;
  std::vector<Upsample2D> upsamplers_;
};
TORCH_MODULE(UNetUpBlock);

}  // namespace tessera::models
