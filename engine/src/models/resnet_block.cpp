#include "models/resnet_block.h"

#include "models/low_precision_norm.h"

namespace tessera::models {

namespace nn = torch::nn;

ResnetBlock2DImpl::ResnetBlock2DImpl(const ResnetBlock2DOptions& options) : options_(options) {
  if (options_.out_channels == 0) options_.out_channels = options_.in_channels;
  const int64_t in = options_.in_channels, out = options_.out_channels;
  norm1_ = register_module("norm1", nn::GroupNorm(nn::GroupNormOptions(options_.groups, in).eps(options_.eps)));
  conv1_ = register_module("conv1", nn::Conv2d(nn::Conv2dOptions(in, out, 3).stride(1).padding(1)));
  if (options_.temb_channels > 0)
    time_emb_proj_ = register_module("time_emb_proj", nn::Linear(options_.temb_channels, out));
  norm2_ = register_module("norm2", nn::GroupNorm(nn::GroupNormOptions(options_.groups, out).eps(options_.eps)));
  dropout_ = register_module("dropout", nn::Dropout(options_.dropout));
  conv2_ = register_module("conv2", nn::Conv2d(nn::Conv2dOptions(out, out, 3).stride(1).padding(1)));
  if (in != out) conv_shortcut_ = register_module("conv_shortcut", nn::Conv2d(nn::Conv2dOptions(in, out, 1)));
}

namespace {

// Inference (nothing records gradients): update the fresh intermediate in place, saving a
// buffer of the feature map's size per operation. The numbers are the same either way.
bool in_place(const torch::Tensor& fresh) { return !fresh.requires_grad(); }

}  // namespace

torch::Tensor ResnetBlock2DImpl::forward(const torch::Tensor& input, const torch::Tensor& temb) {
  auto h = conv1_(group_norm_silu(norm1_, input));
  if (time_emb_proj_ && temb.defined()) {
    auto t = time_emb_proj_(torch::silu(temb)).unsqueeze(-1).unsqueeze(-1);
    h = in_place(h) ? h.add_(t) : h + t;
  }
  h = conv2_(dropout_(group_norm_silu(norm2_, h)));
  auto shortcut = conv_shortcut_ ? conv_shortcut_(input) : input;
  auto out = in_place(h) ? h.add_(shortcut) : shortcut + h;  // a + b == b + a exactly
  if (options_.output_scale_factor != 1.0) out = out / options_.output_scale_factor;
  return out;
}

}  // namespace tessera::models
