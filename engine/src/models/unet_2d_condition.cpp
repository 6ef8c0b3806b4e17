#include "models/unet_2d_condition.h"

#include "models/low_precision_norm.h"

#include "io/state_dict.h"
#include "models/attention.h"
#include "models/config_reader.h"
#include "tessera/error.h"

#include <algorithm>

namespace tessera::models {

namespace nn = torch::nn;
using nlohmann::json;

// ---- 1. hyperparameters --------------------------------------------------------------------

UNetConfig parse_unet_config(const std::string& json_text, const std::string& what) {
  auto r = ConfigReader::from_text(json_text, what);
  UNetConfig c;
  r.expect("_class_name", {"UNet2DConditionModel"}, "this is not a UNet2DConditionModel config");
  for (const char* k : {"_diffusers_version", "_name_or_path", "_use_default_values"}) r.ignore(k);

  c.down_block_types = r.get_string_list("down_block_types", c.down_block_types);
  c.up_block_types = r.get_string_list("up_block_types", c.up_block_types);
  const size_t n = c.down_block_types.size();
  if (n == 0) r.fail("down_block_types", "needs at least one block");
  if (c.up_block_types.size() != n)
    r.fail("up_block_types", "must have as many entries as down_block_types (" + std::to_string(n) + ")");
  for (const auto& t : c.down_block_types)
    if (t != "CrossAttnDownBlock2D" && t != "DownBlock2D")
      r.fail("down_block_types", "block type \"" + t + "\" is not supported (CrossAttnDownBlock2D, DownBlock2D)");
  for (const auto& t : c.up_block_types)
    if (t != "CrossAttnUpBlock2D" && t != "UpBlock2D")
      r.fail("up_block_types", "block type \"" + t + "\" is not supported (CrossAttnUpBlock2D, UpBlock2D)");
  r.expect("mid_block_type", {"UNetMidBlock2DCrossAttn"}, "only UNetMidBlock2DCrossAttn is supported");

  c.block_out_channels = r.get_int_list("block_out_channels", c.block_out_channels);
  if (c.block_out_channels.size() != n)
    r.fail("block_out_channels", "must have one entry per down block (" + std::to_string(n) + ")");
  c.layers_per_block = r.get_int_or_list("layers_per_block", 2, n);
  c.transformer_layers_per_block = r.get_int_or_list("transformer_layers_per_block", 1, n);
  c.cross_attention_dim = r.get_int_or_list("cross_attention_dim", 1280, n);
  // diffusers 0.26: num_attention_heads = num_attention_heads or attention_head_dim, and setting
  // num_attention_heads itself is refused (a naming bug kept for compatibility).
  r.expect_null("num_attention_heads", "diffusers 0.26 refuses it too; use attention_head_dim (= number of heads)");
  c.num_attention_heads = r.get_int_or_list("attention_head_dim", 8, n);

  if (const auto* v = r.raw("sample_size")) {  // an int or [height, width]; informational
    if (v->is_number_integer()) c.sample_size = v->get<int64_t>();
    else if (v->is_array() && !v->empty() && v->front().is_number_integer()) c.sample_size = v->front().get<int64_t>();
    else r.fail("sample_size", "expected an integer or a list of integers");
  }
  c.in_channels = r.get_int("in_channels", c.in_channels);
  c.out_channels = r.get_int("out_channels", c.out_channels);
  c.center_input_sample = r.get_bool("center_input_sample", c.center_input_sample);
  c.flip_sin_to_cos = r.get_bool("flip_sin_to_cos", c.flip_sin_to_cos);
  c.freq_shift = r.get_double("freq_shift", c.freq_shift);
  c.downsample_padding = r.get_int("downsample_padding", c.downsample_padding);
  c.mid_block_scale_factor = r.get_double("mid_block_scale_factor", c.mid_block_scale_factor);
  c.dropout = r.get_double("dropout", c.dropout);
  if (r.is_null("norm_num_groups")) r.fail("norm_num_groups", "null (no output GroupNorm) is not supported");
  c.norm_num_groups = r.get_int("norm_num_groups", c.norm_num_groups);
  c.norm_eps = r.get_double("norm_eps", c.norm_eps);
  c.use_linear_projection = r.get_bool("use_linear_projection", c.use_linear_projection);
  c.upcast_attention = r.get_bool("upcast_attention", c.upcast_attention);
  c.conv_in_kernel = r.get_int("conv_in_kernel", c.conv_in_kernel);
  c.conv_out_kernel = r.get_int("conv_out_kernel", c.conv_out_kernel);
  c.time_embedding_dim = r.get_int("time_embedding_dim", 0);

  // Values the SD2 family uses; anything else changes the architecture.
  r.expect("act_fn", {"silu"}, "");
  r.expect("resnet_time_scale_shift", {"default"}, "");
  r.expect("time_embedding_type", {"positional"}, "");
  r.expect("attention_type", {"default"}, "");
  r.expect("dual_cross_attention", {false}, "");
  r.expect("class_embeddings_concat", {false}, "");
  r.expect("mid_block_only_cross_attention", {false}, "");
  if (const auto* v = r.raw("only_cross_attention")) {  // false, or a list of false (one per block)
    const bool all_false = v->is_array() ? std::all_of(v->begin(), v->end(), [](const json& e) { return e == false; })
                                         : *v == false;
    if (!all_false) r.fail("only_cross_attention", "not supported by Tessera (supported: false)");
  }
  for (const char* k : {"addition_embed_type", "addition_time_embed_dim", "class_embed_type", "num_class_embeds",
                        "projection_class_embeddings_input_dim", "encoder_hid_dim", "encoder_hid_dim_type",
                        "cross_attention_norm", "time_cond_proj_dim", "time_embedding_act_fn", "timestep_post_act",
                        "reverse_transformer_layers_per_block"})
    r.expect_null(k, "");
  // Only read by block types Tessera does not build (or only with addition_embed_type set).
  for (const char* k : {"addition_embed_type_num_heads", "resnet_out_scale_factor", "resnet_skip_time_act"})
    r.ignore(k);
  r.finish();

  if (c.norm_num_groups <= 0) r.fail("norm_num_groups", "must be a positive number of groups");
  for (size_t i = 0; i < n; ++i) {
    const auto ch = c.block_out_channels[i];
    if (ch <= 0 || ch % c.norm_num_groups != 0)
      r.fail("block_out_channels", "channel count " + std::to_string(ch) + " does not divide into norm_num_groups");
    if (c.num_attention_heads[i] <= 0 || ch % c.num_attention_heads[i] != 0)
      r.fail("attention_head_dim", std::to_string(ch) + " channels do not split into " +
                                       std::to_string(c.num_attention_heads[i]) + " heads");
    if (c.layers_per_block[i] <= 0) r.fail("layers_per_block", "must be positive");
    if (c.transformer_layers_per_block[i] <= 0) r.fail("transformer_layers_per_block", "must be positive");
  }
  if (c.conv_in_kernel % 2 == 0) r.fail("conv_in_kernel", "must be odd");
  if (c.conv_out_kernel % 2 == 0) r.fail("conv_out_kernel", "must be odd");
  return c;
}

UNetConfig load_unet_config(const std::string& path) { return parse_unet_config(read_text_file(path), path); }

// ---- 2. modules, registered under diffusers' keys ------------------------------------------

UNet2DConditionModelImpl::UNet2DConditionModelImpl(const UNetConfig& config) : config_(config) {
  const auto& c = config_;
  const size_t n = c.block_out_channels.size();
  TORCH_CHECK(n > 0 && c.down_block_types.size() == n && c.up_block_types.size() == n &&
                  c.layers_per_block.size() == n && c.num_attention_heads.size() == n &&
                  c.cross_attention_dim.size() == n && c.transformer_layers_per_block.size() == n,
              "UNetConfig: every per-level list needs one entry per down block");
  const int64_t temb = c.time_embed_dim();

  conv_in_ = register_module("conv_in", nn::Conv2d(nn::Conv2dOptions(c.in_channels, c.block_out_channels[0],
                                                                     c.conv_in_kernel)
                                                       .padding((c.conv_in_kernel - 1) / 2)));
  time_embedding_ = register_module("time_embedding", TimestepEmbedding(c.block_out_channels[0], temb));

  UNetBlockOptions base;
  base.temb_channels = temb;
  base.groups = c.norm_num_groups;
  base.eps = c.norm_eps;
  base.dropout = c.dropout;
  base.use_linear_projection = c.use_linear_projection;
  base.upcast_attention = c.upcast_attention;
  base.downsample_padding = c.downsample_padding;

  // diffusers registers down_blocks, then up_blocks, then mid_block (state-dict order).
  auto down_list = register_module("down_blocks", nn::ModuleList());
  auto up_list = register_module("up_blocks", nn::ModuleList());

  int64_t out_ch = c.block_out_channels[0];
  for (size_t i = 0; i < n; ++i) {
    UNetBlockOptions o = base;
    o.in_channels = out_ch;
    out_ch = c.block_out_channels[i];
    o.out_channels = out_ch;
    o.num_layers = c.layers_per_block[i];
    o.with_attention = c.down_block_types[i] == "CrossAttnDownBlock2D";
    o.transformer_layers = c.transformer_layers_per_block[i];
    o.heads = c.num_attention_heads[i];
    o.cross_attention_dim = c.cross_attention_dim[i];
    o.add_resample = i + 1 < n;
    down_blocks_.push_back(UNetDownBlock(o));
    down_list->push_back(down_blocks_.back());
  }

  {
    UNetBlockOptions o = base;
    o.in_channels = c.block_out_channels.back();
    o.num_layers = 1;
    o.with_attention = true;
    o.transformer_layers = c.transformer_layers_per_block.back();
    o.heads = c.num_attention_heads.back();
    o.cross_attention_dim = c.cross_attention_dim.back();
    o.output_scale_factor = c.mid_block_scale_factor;
    mid_block_ = register_module("mid_block", UNetMidBlock2DCrossAttn(o));
  }

  // Up blocks read every per-level list reversed.
  auto rev = [&](const std::vector<int64_t>& v, size_t i) { return v[n - 1 - i]; };
  out_ch = rev(c.block_out_channels, 0);
  for (size_t i = 0; i < n; ++i) {
    UNetBlockOptions o = base;
    o.prev_output_channels = out_ch;
    out_ch = rev(c.block_out_channels, i);
    o.out_channels = out_ch;
    o.in_channels = rev(c.block_out_channels, std::min(i + 1, n - 1));
    o.num_layers = rev(c.layers_per_block, i) + 1;
    o.with_attention = c.up_block_types[i] == "CrossAttnUpBlock2D";
    o.transformer_layers = rev(c.transformer_layers_per_block, i);
    o.heads = rev(c.num_attention_heads, i);
    o.cross_attention_dim = rev(c.cross_attention_dim, i);
    o.add_resample = i + 1 < n;
    up_blocks_.push_back(UNetUpBlock(o));
    up_list->push_back(up_blocks_.back());
  }

  conv_norm_out_ = register_module(
      "conv_norm_out",
      nn::GroupNorm(nn::GroupNormOptions(c.norm_num_groups, c.block_out_channels[0]).eps(c.norm_eps)));
  conv_out_ = register_module("conv_out", nn::Conv2d(nn::Conv2dOptions(c.block_out_channels[0], c.out_channels,
                                                                       c.conv_out_kernel)
                                                         .padding((c.conv_out_kernel - 1) / 2)));
}

void UNet2DConditionModelImpl::set_attention_slicing(int64_t slice_size, int64_t query_chunk) {
  models::set_attention_slicing(*this, slice_size, query_chunk);
}

void UNet2DConditionModelImpl::set_gradient_checkpointing(bool on) {
  if (on && config_.dropout > 0) {
    throw Error("gradient checkpointing needs dropout 0 (this UNet has dropout " + std::to_string(config_.dropout) + ")",
                "recomputed activations would draw different dropout masks; set the UNet's dropout to 0");
  }
  for (auto& b : down_blocks_) b->set_gradient_checkpointing(on);
  for (auto& b : up_blocks_) b->set_gradient_checkpointing(on);
  if (mid_block_) mid_block_->set_gradient_checkpointing(on);
}

// ---- 3. forward ------------------------------------------------------------------------------

torch::Tensor UNet2DConditionModelImpl::forward(const torch::Tensor& sample, const torch::Tensor& timesteps,
                                                const torch::Tensor& encoder_hidden_states,
                                                std::map<std::string, torch::Tensor>* activations) {
  TORCH_CHECK(sample.dim() == 4, "UNet: sample must be [B, C, H, W], got ", sample.sizes());
  TORCH_CHECK(sample.size(1) == config_.in_channels, "UNet: expected ", config_.in_channels,
              " input channels, got ", sample.size(1));
  TORCH_CHECK(encoder_hidden_states.dim() == 3 && encoder_hidden_states.size(0) == sample.size(0),
              "UNet: encoder_hidden_states must be [B, M, D] with the sample's batch, got ",
              encoder_hidden_states.sizes());
  const ActivationSink sink(activations);
  const int64_t batch = sample.size(0);

  // Skip connections whose size does not divide by the total upsampling get an explicit size.
  const int64_t factor = config_.downsampling_factor();
  const bool forward_upsample_size = sample.size(2) % factor != 0 || sample.size(3) % factor != 0;

  auto x = config_.center_input_sample ? sample * 2.0 - 1.0 : sample;
  if (channels_last_activations_) x = x.contiguous(torch::MemoryFormat::ChannelsLast);

  // Time embedding: a scalar or [1] is broadcast to the batch.
  auto t = timesteps.reshape({-1}).to(sample.device());
  if (t.size(0) == 1 && batch != 1) t = t.expand({batch});
  TORCH_CHECK(t.size(0) == batch, "UNet: expected 1 or ", batch, " timesteps, got ", t.size(0));
  auto t_emb = timestep_embedding(t, config_.block_out_channels[0], config_.flip_sin_to_cos, config_.freq_shift);
  sink.record("time_proj", t_emb);
  auto emb = time_embedding_(t_emb.to(sample.scalar_type()));
  sink.record("time_embedding", emb);

  x = conv_in_(x);
  sink.record("conv_in", x);

  std::vector<torch::Tensor> skips{x};
  for (size_t i = 0; i < down_blocks_.size(); ++i) {
    const auto name = "down_blocks." + std::to_string(i);
    x = down_blocks_[i]->forward(x, emb, encoder_hidden_states, skips, sink.child(name));
    sink.record(name, x);
  }

  x = mid_block_->forward(x, emb, encoder_hidden_states, sink.child("mid_block"));
  sink.record("mid_block", x);

  for (size_t i = 0; i < up_blocks_.size(); ++i) {
    const auto name = "up_blocks." + std::to_string(i);
    auto& block = up_blocks_[i];
    std::vector<int64_t> upsample_size;
    if (block->has_upsampler() && forward_upsample_size) {
      const size_t used = block->num_resnets();
      TORCH_CHECK(skips.size() > used, "UNet: not enough skip connections");
      const auto& next_skip = skips[skips.size() - used - 1];
      upsample_size = {next_skip.size(2), next_skip.size(3)};
    }
    x = block->forward(x, emb, encoder_hidden_states, skips, upsample_size, sink.child(name));
    sink.record(name, x);
  }

  x = group_norm(conv_norm_out_, x);
  sink.record("conv_norm_out", x);
  x = conv_out_(torch::silu(x));
  sink.record("conv_out", x);
  return x.contiguous();  // NCHW for the sampler, whatever layout the weights use
}

torch::Tensor UNet2DConditionModelImpl::forward(const torch::Tensor& sample, double timestep,
                                                const torch::Tensor& encoder_hidden_states) {
  const bool integral = timestep == static_cast<double>(static_cast<int64_t>(timestep));
  auto t = integral ? torch::full({1}, static_cast<int64_t>(timestep), torch::kInt64)
                    : torch::full({1}, timestep, torch::kFloat64);
  return forward(sample, t, encoder_hidden_states);
}

// ---- loading ---------------------------------------------------------------------------------

UNet2DConditionModel load_unet(const std::string& component_dir) {
  UNet2DConditionModel model(load_unet_config(component_dir + "/config.json"));
  io::SafetensorsFile weights(component_dir + "/diffusion_pytorch_model.safetensors");
  io::load_state_dict(*model, weights);  // strict: every key, every shape
  model->eval();
  return model;
}

}  // namespace tessera::models
