#include "models/autoencoder_kl.h"

#include "io/state_dict.h"
#include "models/attention.h"
#include "models/config_reader.h"
#include "tessera/error.h"

#include <ATen/CPUGeneratorImpl.h>

namespace tessera::models {

namespace nn = torch::nn;

// ---- 1. hyperparameters --------------------------------------------------------------------

VAEConfig parse_vae_config(const std::string& json_text, const std::string& what) {
  auto r = ConfigReader::from_text(json_text, what);
  VAEConfig c;
  r.expect("_class_name", {"AutoencoderKL"}, "this is not an AutoencoderKL config");
  for (const char* k : {"_diffusers_version", "_name_or_path", "_use_default_values"}) r.ignore(k);

  c.in_channels = r.get_int("in_channels", c.in_channels);
  c.out_channels = r.get_int("out_channels", c.out_channels);
  c.block_out_channels = r.get_int_list("block_out_channels", {64});  // diffusers' default (64,)
  const size_t n = c.block_out_channels.size();
  if (n == 0) r.fail("block_out_channels", "needs at least one level");
  c.down_block_types = r.get_string_list("down_block_types", {"DownEncoderBlock2D"});
  c.up_block_types = r.get_string_list("up_block_types", {"UpDecoderBlock2D"});
  if (c.down_block_types.size() != n)
    r.fail("down_block_types", "must have one entry per block_out_channels entry (" + std::to_string(n) + ")");
  if (c.up_block_types.size() != n)
    r.fail("up_block_types", "must have one entry per block_out_channels entry (" + std::to_string(n) + ")");
  for (const auto& t : c.down_block_types)
    if (t != "DownEncoderBlock2D") r.fail("down_block_types", "block type \"" + t + "\" is not supported");
  for (const auto& t : c.up_block_types)
    if (t != "UpDecoderBlock2D") r.fail("up_block_types", "block type \"" + t + "\" is not supported");
  c.layers_per_block = r.get_int("layers_per_block", 1);
  c.latent_channels = r.get_int("latent_channels", c.latent_channels);
  c.norm_num_groups = r.get_int("norm_num_groups", c.norm_num_groups);
  c.sample_size = r.get_int("sample_size", 32);
  c.scaling_factor = r.get_double("scaling_factor", 0.18215);
  c.shift_factor = r.get_double("shift_factor", 0.0);
  c.force_upcast = r.get_bool("force_upcast", true);
  c.use_quant_conv = r.get_bool("use_quant_conv", true);
  c.use_post_quant_conv = r.get_bool("use_post_quant_conv", true);
  c.mid_block_add_attention = r.get_bool("mid_block_add_attention", true);
  r.expect("act_fn", {"silu"}, "");
  r.expect_null("latents_mean", "per-channel latent statistics (SDXL-style) are not supported");
  r.expect_null("latents_std", "per-channel latent statistics (SDXL-style) are not supported");
  r.finish();

  if (c.norm_num_groups <= 0) r.fail("norm_num_groups", "must be positive");
  for (auto ch : c.block_out_channels)
    if (ch <= 0 || ch % c.norm_num_groups != 0)
      r.fail("block_out_channels", "channel count " + std::to_string(ch) + " does not divide into norm_num_groups");
  if (c.layers_per_block <= 0) r.fail("layers_per_block", "must be positive");
  if (c.latent_channels <= 0) r.fail("latent_channels", "must be positive");
  return c;
}

VAEConfig load_vae_config(const std::string& path) { return parse_vae_config(read_text_file(path), path); }

// ---- posterior -----------------------------------------------------------------------------

DiagonalGaussian::DiagonalGaussian(const torch::Tensor& moments) {
  auto parts = moments.chunk(2, 1);
  mean_ = parts[0];
  logvar_ = torch::clamp(parts[1], -30.0, 20.0);
  std_ = torch::exp(0.5 * logvar_);
}

torch::Tensor DiagonalGaussian::sample(const at::Generator& generator) const {
  // diffusers' randn_tensor: drawn on the generator's device (CPU) in the moments' dtype.
  auto noise = torch::randn(mean_.sizes(), generator, torch::TensorOptions().dtype(mean_.scalar_type()));
  return mean_ + std_ * noise.to(mean_.device());
}

torch::Tensor DiagonalGaussian::sample(uint64_t seed) const {
  return sample(at::detail::createCPUGenerator(seed));
}

// ---- 2. modules ------------------------------------------------------------------------------

AutoencoderKLImpl::AutoencoderKLImpl(const VAEConfig& config) : config_(config) {
  const auto& c = config_;
  VAECoderOptions enc;
  enc.in_channels = c.in_channels;
  enc.out_channels = 2 * c.latent_channels;
  enc.block_out_channels = c.block_out_channels;
  enc.layers_per_block = c.layers_per_block;
  enc.norm_num_groups = c.norm_num_groups;
  enc.mid_block_add_attention = c.mid_block_add_attention;
  VAECoderOptions dec = enc;
  dec.in_channels = c.latent_channels;
  dec.out_channels = c.out_channels;
  encoder_ = register_module("encoder", VAEEncoder(enc));
  decoder_ = register_module("decoder", VAEDecoder(dec));
  const int64_t m = 2 * c.latent_channels, l = c.latent_channels;
  if (c.use_quant_conv) quant_conv_ = register_module("quant_conv", nn::Conv2d(nn::Conv2dOptions(m, m, 1)));
  if (c.use_post_quant_conv)
    post_quant_conv_ = register_module("post_quant_conv", nn::Conv2d(nn::Conv2dOptions(l, l, 1)));
}

std::vector<std::pair<std::string, std::string>> AutoencoderKLImpl::weight_renames() {
  return {{".query.", ".to_q."}, {".key.", ".to_k."}, {".value.", ".to_v."}, {".proj_attn.", ".to_out.0."}};
}

void AutoencoderKLImpl::set_attention_slicing(int64_t slice_size, int64_t query_chunk) {
  models::set_attention_slicing(*this, slice_size, query_chunk);
}

torch::Tensor AutoencoderKLImpl::quant_conv(const torch::Tensor& h) { return quant_conv_ ? quant_conv_(h) : h; }

// ---- 3. forward ------------------------------------------------------------------------------

DiagonalGaussian AutoencoderKLImpl::encode(const torch::Tensor& x, std::map<std::string, torch::Tensor>* activations) {
  TORCH_CHECK(x.dim() == 4 && x.size(1) == config_.in_channels, "VAE encode: expected [B, ", config_.in_channels,
              ", H, W], got ", x.sizes());
  const ActivationSink sink(activations);
  auto h = encoder_->forward(x, sink.child("encoder"));
  sink.record("encoder", h);
  auto moments = quant_conv(h);
  sink.record("quant_conv", moments);
  return DiagonalGaussian(moments);
}

torch::Tensor AutoencoderKLImpl::decode(const torch::Tensor& z, std::map<std::string, torch::Tensor>* activations) {
  TORCH_CHECK(z.dim() == 4 && z.size(1) == config_.latent_channels, "VAE decode: expected [B, ",
              config_.latent_channels, ", h, w], got ", z.sizes());
  const ActivationSink sink(activations);
  auto h = post_quant_conv_ ? post_quant_conv_(z) : z;
  sink.record("post_quant_conv", h);
  h = decoder_->forward(h, sink.child("decoder"));
  sink.record("decoder", h);
  return h;
}

torch::Tensor AutoencoderKLImpl::forward(const torch::Tensor& x) { return decode(encode(x).mode()); }

// ---- loading ---------------------------------------------------------------------------------

AutoencoderKL load_vae(const std::string& component_dir) {
  AutoencoderKL model(load_vae_config(component_dir + "/config.json"));
  io::SafetensorsFile weights(component_dir + "/diffusion_pytorch_model.safetensors");
  io::LoadOptions options;
  options.renames = AutoencoderKLImpl::weight_renames();
  io::load_state_dict(*model, weights, options);  // strict: every key, every shape
  model->eval();
  return model;
}

}  // namespace tessera::models
