#include "models/unet_2d_blocks.h"

#include "models/gradient_checkpoint.h"

#include <string>

namespace tessera::models {

namespace nn = torch::nn;

namespace {

ResnetBlock2D make_resnet(const UNetBlockOptions& o, int64_t in, int64_t out) {
  ResnetBlock2DOptions r;
  r.in_channels = in;
  r.out_channels = out;
  r.temb_channels = o.temb_channels;
  r.groups = o.groups;
  r.eps = o.eps;
  r.dropout = o.dropout;
  r.output_scale_factor = o.output_scale_factor;
  return ResnetBlock2D(r);
}

std::string idx(const char* list, size_t i) { return std::string(list) + "." + std::to_string(i); }

// A resnet or transformer, recomputed in backward when `checkpoint` (activation recording is a
// test facility of plain forwards, so a checkpointed segment records nothing inside).
torch::Tensor run_resnet(ResnetBlock2D resnet, const torch::Tensor& x, const torch::Tensor& temb, bool checkpoint) {
  if (!checkpoint) return resnet->forward(x, temb);
  return checkpointed([resnet](const torch::Tensor& a, const torch::Tensor& b) mutable { return resnet->forward(a, b); }, x, temb);
}

torch::Tensor run_transformer(Transformer2DModel t, const torch::Tensor& x, const torch::Tensor& context,
                              const ActivationSink& sink, bool checkpoint) {
  if (!checkpoint) return t->forward(x, context, sink);
  return checkpointed([t](const torch::Tensor& a, const torch::Tensor& b) mutable { return t->forward(a, b); }, x, context);
}

}  // namespace

Transformer2DModel make_transformer(const UNetBlockOptions& o, int64_t channels) {
  Transformer2DOptions t;
  t.in_channels = channels;
  t.heads = o.heads;
  t.dim_head = channels / o.heads;
  t.num_layers = o.transformer_layers;
  t.cross_attention_dim = o.cross_attention_dim;
  t.norm_num_groups = o.groups;
  t.use_linear_projection = o.use_linear_projection;
  t.upcast_attention = o.upcast_attention;
  t.only_cross_attention = o.only_cross_attention;
  t.dropout = o.dropout;
  return Transformer2DModel(t);
}

// ---- down --------------------------------------------------------------------------------

UNetDownBlockImpl::UNetDownBlockImpl(const UNetBlockOptions& o) {
  // Registration order = diffusers' state-dict order: attentions, resnets, downsamplers.
  nn::ModuleList attentions{nullptr};
  if (o.with_attention) attentions = register_module("attentions", nn::ModuleList());
  auto resnets = register_module("resnets", nn::ModuleList());
  for (int64_t i = 0; i < o.num_layers; ++i) {
    resnets_.push_back(make_resnet(o, i == 0 ? o.in_channels : o.out_channels, o.out_channels));
    resnets->push_back(resnets_.back());
    if (o.with_attention) {
      attentions_.push_back(make_transformer(o, o.out_channels));
      attentions->push_back(attentions_.back());
    }
  }
  if (o.add_resample) {
    downsamplers_.push_back(Downsample2D(o.out_channels, o.out_channels, o.downsample_padding));
    register_module("downsamplers", nn::ModuleList(downsamplers_.back()));
  }
}

torch::Tensor UNetDownBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& temb,
                                         const torch::Tensor& context, std::vector<torch::Tensor>& skips,
                                         const ActivationSink& sink) {
  const bool ckpt = checkpointing();
  auto h = x;
  for (size_t i = 0; i < resnets_.size(); ++i) {
    h = run_resnet(resnets_[i], h, temb, ckpt);
    sink.record(idx("resnets", i), h);
    if (!attentions_.empty()) {
      h = run_transformer(attentions_[i], h, context, sink.child(idx("attentions", i)), ckpt);
      sink.record(idx("attentions", i), h);
    }
    skips.push_back(h);
  }
  if (!downsamplers_.empty()) {
    h = downsamplers_[0]->forward(h);
    sink.record("downsamplers.0", h);
    skips.push_back(h);
  }
  return h;
}

// ---- mid ---------------------------------------------------------------------------------

UNetMidBlock2DCrossAttnImpl::UNetMidBlock2DCrossAttnImpl(const UNetBlockOptions& o) {
  auto attentions = register_module("attentions", nn::ModuleList());
  auto resnets = register_module("resnets", nn::ModuleList());
  resnets_.push_back(make_resnet(o, o.in_channels, o.in_channels));
  resnets->push_back(resnets_.back());
  for (int64_t i = 0; i < o.num_layers; ++i) {
    attentions_.push_back(make_transformer(o, o.in_channels));
    attentions->push_back(attentions_.back());
    resnets_.push_back(make_resnet(o, o.in_channels, o.in_channels));
    resnets->push_back(resnets_.back());
  }
}

torch::Tensor UNetMidBlock2DCrossAttnImpl::forward(const torch::Tensor& x, const torch::Tensor& temb,
                                                   const torch::Tensor& context, const ActivationSink& sink) {
  const bool ckpt = checkpointing();
  auto h = run_resnet(resnets_[0], x, temb, ckpt);
  sink.record("resnets.0", h);
  for (size_t i = 0; i < attentions_.size(); ++i) {
    h = run_transformer(attentions_[i], h, context, sink.child(idx("attentions", i)), ckpt);
    sink.record(idx("attentions", i), h);
    h = run_resnet(resnets_[i + 1], h, temb, ckpt);
    sink.record(idx("resnets", i + 1), h);
  }
  return h;
}

// ---- up ----------------------------------------------------------------------------------

UNetUpBlockImpl::UNetUpBlockImpl(const UNetBlockOptions& o) {
  nn::ModuleList attentions{nullptr};
  if (o.with_attention) attentions = register_module("attentions", nn::ModuleList());
  auto resnets = register_module("resnets", nn::ModuleList());
  for (int64_t i = 0; i < o.num_layers; ++i) {
    const int64_t skip_channels = i == o.num_layers - 1 ? o.in_channels : o.out_channels;
    const int64_t resnet_in = i == 0 ? o.prev_output_channels : o.out_channels;
    resnets_.push_back(make_resnet(o, resnet_in + skip_channels, o.out_channels));
    resnets->push_back(resnets_.back());
    if (o.with_attention) {
      attentions_.push_back(make_transformer(o, o.out_channels));
      attentions->push_back(attentions_.back());
    }
  }
  if (o.add_resample) {
    upsamplers_.push_back(Upsample2D(o.out_channels, o.out_channels));
    register_module("upsamplers", nn::ModuleList(upsamplers_.back()));
  }
}

torch::Tensor UNetUpBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& temb,
                                       const torch::Tensor& context, std::vector<torch::Tensor>& skips,
                                       const std::vector<int64_t>& upsample_size, const ActivationSink& sink) {
  const bool ckpt = checkpointing();
  auto h = x;
  for (size_t i = 0; i < resnets_.size(); ++i) {
    TORCH_CHECK(!skips.empty(), "UNet up block: no skip connection left (mismatched down/up blocks)");
    auto skip = skips.back();
    skips.pop_back();
    h = run_resnet(resnets_[i], torch::cat({h, skip}, 1), temb, ckpt);
    sink.record(idx("resnets", i), h);
    if (!attentions_.empty()) {
      h = run_transformer(attentions_[i], h, context, sink.child(idx("attentions", i)), ckpt);
      sink.record(idx("attentions", i), h);
    }
  }
  if (!upsamplers_.empty()) {
    h = upsamplers_[0]->forward(h, upsample_size);
    sink.record("upsamplers.0", h);
  }
  return h;
}

}  // namespace tessera::models
