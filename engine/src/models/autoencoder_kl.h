#pragma once
// AutoencoderKL (the SD VAE, diffusers v0.26 semantics), configured from a diffusers
// vae/config.json; parameters registered under diffusers' state-dict keys.
//   encode(x): moments = quant_conv(encoder(x)) -> DiagonalGaussian(mean, logvar)
//   decode(z): decoder(post_quant_conv(z))
// Pipelines scale latents: training uses encode(x).sample(g) * scaling_factor, generation
// decode(latents / scaling_factor).

#include "models/vae_coder.h"

#include <torch/torch.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tessera::models {

struct VAEConfig {
  int64_t in_channels = 3;
  int64_t out_channels = 3;
  std::vector<std::string> down_block_types = std::vector<std::string>(4, "DownEncoderBlock2D");
  std::vector<std::string> up_block_types = std::vector<std::string>(4, "UpDecoderBlock2D");
  std::vector<int64_t> block_out_channels{128, 256, 512, 512};
  int64_t layers_per_block = 2;
  int64_t latent_channels = 4;
  int64_t norm_num_groups = 32;
  int64_t sample_size = 512;      // informational
  double scaling_factor = 0.18215;
  double shift_factor = 0.0;      // pipelines: (latent - shift) * scale; 0 for SD
  bool force_upcast = true;       // informational: diffusers runs an fp16 VAE in fp32
  bool use_quant_conv = true;
  bool use_post_quant_conv = true;
  bool mid_block_add_attention = true;

  // Spatial factor between images and latents (2^(levels-1): 8 for SD, 2 for the tiny test VAE).
  int64_t spatial_factor() const { return int64_t(1) << (block_out_channels.size() - 1); }
};

VAEConfig parse_vae_config(const std::string& json_text, const std::string& what = "vae/config.json");
VAEConfig load_vae_config(const std::string& path);

// The encoder's posterior: mean and log-variance (clamped to [-30, 20]) per latent element.
class DiagonalGaussian {
 public:
  explicit DiagonalGaussian(const torch::Tensor& moments);
  const torch::Tensor& mean() const { return mean_; }
  const torch::Tensor& logvar() const { return logvar_; }
  const torch::Tensor& std() const { return std_; }
  torch::Tensor var() const { return torch::exp(logvar_); }
  const torch::Tensor& mode() const { return mean_; }
  // mean + std * randn(mean.shape, generator) — bitwise equal to diffusers with a CPU generator of
  // the same seed (the noise is drawn on the CPU in float32 and moved to the mean's device).
  torch::Tensor sample(const at::Generator& generator) const;
  torch::Tensor sample(uint64_t seed) const;

 private:
  torch::Tensor mean_, logvar_, std_;
};

class AutoencoderKLImpl : public torch::nn::Module {
 public:
  explicit AutoencoderKLImpl(const VAEConfig& config);

  // x [B, in_channels, H, W] in [-1, 1] -> posterior over [B, latent, H/f, W/f].
  DiagonalGaussian encode(const torch::Tensor& x, std::map<std::string, torch::Tensor>* activations = nullptr);
  // z [B, latent, h, w] (unscaled) -> image [B, out_channels, h*f, w*f].
  torch::Tensor decode(const torch::Tensor& z, std::map<std::string, torch::Tensor>* activations = nullptr);
  // decode(encode(x).mode()).
  torch::Tensor forward(const torch::Tensor& x);

  // Parts, for tests and latent caching.
  VAEEncoder& encoder() { return encoder_; }
  VAEDecoder& decoder() { return decoder_; }
  torch::Tensor quant_conv(const torch::Tensor& h);

  const VAEConfig& config() const { return config_; }
  void set_attention_slicing(int64_t slice_size, int64_t query_chunk = 0);

  // Old diffusers checkpoints name the mid-block attention query/key/value/proj_attn; these are
  // the replacements (applied to file keys) that map them to to_q/to_k/to_v/to_out.0. The names
  // occur only inside the attention blocks of the VAE.
  static std::vector<std::pair<std::string, std::string>> weight_renames();

 private:
  VAEConfig config_;
  VAEEncoder encoder_{nullptr};
  VAEDecoder decoder_{nullptr};
  torch::nn::Conv2d quant_conv_{nullptr};
  torch::nn::Conv2d post_quant_conv_{nullptr};
};
TORCH_MODULE(AutoencoderKL);

// Builds the model from <component_dir>/config.json and loads
// <component_dir>/diffusion_pytorch_model.safetensors (legacy attention names accepted).
AutoencoderKL load_vae(const std::string& component_dir);

}  // namespace tessera::models
