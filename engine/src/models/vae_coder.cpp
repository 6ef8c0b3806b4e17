#include "models/vae_coder.h"

#include <string>

namespace tessera::models {

namespace nn = torch::nn;

namespace {

constexpr double kVAEEps = 1e-6;  // every VAE norm (resnets, attention, conv_norm_out)

ResnetBlock2D vae_resnet(int64_t in, int64_t out, int64_t groups) {
  ResnetBlock2DOptions o;
  o.in_channels = in;
  o.out_channels = out;
  o.groups = groups;
  o.eps = kVAEEps;
  return ResnetBlock2D(o);
}

nn::Conv2d conv3(int64_t in, int64_t out) { return nn::Conv2d(nn::Conv2dOptions(in, out, 3).padding(1)); }

nn::GroupNorm group_norm(int64_t groups, int64_t channels) {
  return nn::GroupNorm(nn::GroupNormOptions(groups, channels).eps(kVAEEps));
}

}  // namespace

VAEMidBlockImpl::VAEMidBlockImpl(int64_t channels, int64_t groups, bool add_attention) {
  // attention_head_dim = channels: one head over all channels; diffusers upcasts the softmax.
  if (add_attention) {
    AttentionOptions a;
    a.query_dim = channels;
    a.heads = 1;
    a.dim_head = channels;
    a.bias = true;
    a.upcast_softmax = true;
    a.norm_num_groups = groups;
    a.norm_eps = kVAEEps;
    a.residual_connection = true;
    attention_ = Attention(a);
    register_module("attentions", nn::ModuleList(attention_));
  }
  auto resnets = register_module("resnets", nn::ModuleList());
  for (int i = 0; i < 2; ++i) {
    resnets_.push_back(vae_resnet(channels, channels, groups));
    resnets->push_back(resnets_.back());
  }
}

torch::Tensor VAEMidBlockImpl::forward(const torch::Tensor& x, const ActivationSink& sink) {
  auto h = resnets_[0]->forward(x);
  sink.record("resnets.0", h);
  if (attention_) {
    h = attention_->forward(h);
    sink.record("attentions.0", h);
  }
  h = resnets_[1]->forward(h);
  sink.record("resnets.1", h);
  return h;
}

VAECoderBlockImpl::VAECoderBlockImpl(Kind kind, int64_t in_channels, int64_t out_channels, int64_t num_layers,
                                     int64_t groups, bool add_resample) {
  auto resnets = register_module("resnets", nn::ModuleList());
  for (int64_t i = 0; i < num_layers; ++i) {
    resnets_.push_back(vae_resnet(i == 0 ? in_channels : out_channels, out_channels, groups));
    resnets->push_back(resnets_.back());
  }
  if (!add_resample) return;
  if (kind == Kind::Down) {
    downsample_ = Downsample2D(out_channels, out_channels, /*padding=*/0);
    register_module("downsamplers", nn::ModuleList(downsample_));
  } else {
    upsample_ = Upsample2D(out_channels, out_channels);
    register_module("upsamplers", nn::ModuleList(upsample_));
  }
}

torch::Tensor VAECoderBlockImpl::forward(const torch::Tensor& x, const ActivationSink& sink) {
  auto h = x;
  for (size_t i = 0; i < resnets_.size(); ++i) {
    h = resnets_[i]->forward(h);
    sink.record("resnets." + std::to_string(i), h);
  }
  if (downsample_) {
    h = downsample_->forward(h);
    sink.record("downsamplers.0", h);
  }
  if (upsample_) {
    h = upsample_->forward(h);
    sink.record("upsamplers.0", h);
  }
  return h;
}

VAEEncoderImpl::VAEEncoderImpl(const VAECoderOptions& o) {
  const auto& boc = o.block_out_channels;
  conv_in_ = register_module("conv_in", conv3(o.in_channels, boc[0]));
  auto list = register_module("down_blocks", nn::ModuleList());
  int64_t out = boc[0];
  for (size_t i = 0; i < boc.size(); ++i) {
    const int64_t in = out;
    out = boc[i];
    down_blocks_.push_back(VAECoderBlock(VAECoderBlockImpl::Kind::Down, in, out, o.layers_per_block,
                                         o.norm_num_groups, i + 1 < boc.size()));
    list->push_back(down_blocks_.back());
  }
  mid_block_ = register_module("mid_block", VAEMidBlock(boc.back(), o.norm_num_groups, o.mid_block_add_attention));
  conv_norm_out_ = register_module("conv_norm_out", group_norm(o.norm_num_groups, boc.back()));
  conv_out_ = register_module("conv_out", conv3(boc.back(), o.out_channels));
}

torch::Tensor VAEEncoderImpl::forward(const torch::Tensor& x, const ActivationSink& sink) {
  auto h = conv_in_(x);
  sink.record("conv_in", h);
  for (size_t i = 0; i < down_blocks_.size(); ++i) {
    const auto name = "down_blocks." + std::to_string(i);
    h = down_blocks_[i]->forward(h, sink.child(name));
    sink.record(name, h);
  }
  h = mid_block_->forward(h, sink.child("mid_block"));
  sink.record("mid_block", h);
  h = conv_norm_out_(h);
  sink.record("conv_norm_out", h);
  h = conv_out_(torch::silu(h));
  sink.record("conv_out", h);
  return h;
}

VAEDecoderImpl::VAEDecoderImpl(const VAECoderOptions& o) {
  const auto& boc = o.block_out_channels;
  conv_in_ = register_module("conv_in", conv3(o.in_channels, boc.back()));
  auto list = register_module("up_blocks", nn::ModuleList());  // registered before mid_block, as diffusers
  mid_block_ = register_module("mid_block", VAEMidBlock(boc.back(), o.norm_num_groups, o.mid_block_add_attention));
  int64_t out = boc.back();
  for (size_t i = 0; i < boc.size(); ++i) {
    const int64_t prev = out;
    out = boc[boc.size() - 1 - i];
    up_blocks_.push_back(VAECoderBlock(VAECoderBlockImpl::Kind::Up, prev, out, o.layers_per_block + 1,
                                       o.norm_num_groups, i + 1 < boc.size()));
    list->push_back(up_blocks_.back());
  }
  conv_norm_out_ = register_module("conv_norm_out", group_norm(o.norm_num_groups, boc[0]));
  conv_out_ = register_module("conv_out", conv3(boc[0], o.out_channels));
}

torch::Tensor VAEDecoderImpl::forward(const torch::Tensor& z, const ActivationSink& sink) {
  auto h = conv_in_(z);
  sink.record("conv_in", h);
  h = mid_block_->forward(h, sink.child("mid_block"));
  sink.record("mid_block", h);
  for (size_t i = 0; i < up_blocks_.size(); ++i) {
    const auto name = "up_blocks." + std::to_string(i);
    h = up_blocks_[i]->forward(h, sink.child(name));
    sink.record(name, h);
  }
  h = conv_norm_out_(h);
  sink.record("conv_norm_out", h);
  h = conv_out_(torch::silu(h));
  sink.record("conv_out", h);
  return h;
}

}  // namespace tessera::models
