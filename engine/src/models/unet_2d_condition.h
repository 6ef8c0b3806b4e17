#pragma once
// UNet2DConditionModel of the Stable Diffusion 2 family (diffusers v0.26 semantics), configured
// from a diffusers unet/config.json. Parameters are registered under diffusers' state-dict keys,
// so named_parameters() is the weight map of diffusion_pytorch_model.safetensors.
//
//   conv_in -> down_blocks (CrossAttnDownBlock2D / DownBlock2D, skips kept)
//           -> mid_block (UNetMidBlock2DCrossAttn)
//           -> up_blocks (UpBlock2D / CrossAttnUpBlock2D, skips consumed, upsampled to each
//              skip's size when the input does not divide by the total downsampling)
//           -> conv_norm_out -> SiLU -> conv_out
// The time embedding (sinusoidal time_proj -> time_embedding MLP) feeds every resnet.

#include "models/embeddings.h"
#include "models/unet_2d_blocks.h"

#include <torch/torch.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace tessera::models {

// Plain configuration; defaults are diffusers' UNet2DConditionModel defaults. Per-level lists
// have one entry per down block (up blocks use them reversed, as diffusers does).
struct UNetConfig {
  int64_t sample_size = 64;  // informational (latent size the model was trained at)
  int64_t in_channels = 4;
  int64_t out_channels = 4;
  bool center_input_sample = false;
  bool flip_sin_to_cos = true;
  double freq_shift = 0.0;
  std::vector<std::string> down_block_types{"CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D",
                                            "DownBlock2D"};
  std::vector<std::string> up_block_types{"UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D",
                                          "CrossAttnUpBlock2D"};
  std::vector<int64_t> block_out_channels{320, 640, 1280, 1280};
  std::vector<int64_t> layers_per_block{2, 2, 2, 2};
  int64_t downsample_padding = 1;
  double mid_block_scale_factor = 1.0;
  double dropout = 0.0;
  int64_t norm_num_groups = 32;
  double norm_eps = 1e-5;
  std::vector<int64_t> cross_attention_dim{1280, 1280, 1280, 1280};
  std::vector<int64_t> transformer_layers_per_block{1, 1, 1, 1};
  // diffusers' `attention_head_dim`, which for this model is the NUMBER of heads per level
  // (num_attention_heads defaults to it in diffusers 0.26); head dim = channels / heads.
  std::vector<int64_t> num_attention_heads{8, 8, 8, 8};
  bool use_linear_projection = false;
  bool upcast_attention = false;
  int64_t conv_in_kernel = 3;
  int64_t conv_out_kernel = 3;
  int64_t time_embedding_dim = 0;  // 0: block_out_channels[0] * 4

  int64_t time_embed_dim() const { return time_embedding_dim > 0 ? time_embedding_dim : block_out_channels[0] * 4; }
  // Spatial factor between the input and the innermost level (2^(levels-1)).
  int64_t downsampling_factor() const { return int64_t(1) << (block_out_channels.size() - 1); }
};

// Parses diffusers config.json text. Unsupported values and unknown keys throw tessera::Error
// naming the key and value. `what` names the source in messages.
UNetConfig parse_unet_config(const std::string& json_text, const std::string& what = "unet/config.json");
UNetConfig load_unet_config(const std::string& path);

class UNet2DConditionModelImpl : public torch::nn::Module {
 public:
  explicit UNet2DConditionModelImpl(const UNetConfig& config);

  // sample [B, C, H, W]; timesteps: 0-d, [1] or [B], integer or floating; encoder_hidden_states
  // [B, M, cross_attention_dim]. Returns the prediction [B, out_channels, H, W]. When
  // `activations` is given it receives the outputs of the submodules by diffusers name
  // ("time_proj", "conv_in", "down_blocks.0.attentions.0.proj_in", "mid_block", ...).
  torch::Tensor forward(const torch::Tensor& sample, const torch::Tensor& timesteps,
                        const torch::Tensor& encoder_hidden_states,
                        std::map<std::string, torch::Tensor>* activations = nullptr);
  // A single timestep for the whole batch (integer-valued doubles behave like ints).
  torch::Tensor forward(const torch::Tensor& sample, double timestep, const torch::Tensor& encoder_hidden_states);

  const UNetConfig& config() const { return config_; }
  // Attention computed in slices of `slice_size` (batch*heads) and/or `query_chunk` query rows.
  void set_attention_slicing(int64_t slice_size, int64_t query_chunk = 0);
  // Recompute each resnet's and transformer's activations in backward instead of keeping them
  // (training only; needs dropout 0, since a recomputation must draw nothing random).
  void set_gradient_checkpointing(bool on);
  // Run the activations channels-last (NHWC) whatever layout the input has, with the parameters
  // left as they are: on CUDA, cuDNN's fast bf16/fp16 convolutions are NHWC ones, and a
  // convolution follows its input's layout. The output is NCHW either way.
  void set_channels_last_activations(bool on) { channels_last_activations_ = on; }

 private:
  UNetConfig config_;
  bool channels_last_activations_ = false;
  torch::nn::Conv2d conv_in_{nullptr};
  TimestepEmbedding time_embedding_{nullptr};
  std::vector<UNetDownBlock> down_blocks_;
  std::vector<UNetUpBlock> up_blocks_;
  UNetMidBlock2DCrossAttn mid_block_{nullptr};
  torch::nn::GroupNorm conv_norm_out_{nullptr};
  torch::nn::Conv2d conv_out_{nullptr};
};
TORCH_MODULE(UNet2DConditionModel);

// Builds the model from <component_dir>/config.json and loads
// <component_dir>/diffusion_pytorch_model.safetensors (strict: every key, every shape).
UNet2DConditionModel load_unet(const std::string& component_dir);

}  // namespace tessera::models
