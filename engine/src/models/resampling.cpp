#include "models/resampling.h"

namespace tessera::models {

namespace nn = torch::nn;
namespace F = torch::nn::functional;

Downsample2DImpl::Downsample2DImpl(int64_t channels, int64_t out_channels, int64_t padding) : padding_(padding) {
  conv_ = register_module("conv",
                          nn::Conv2d(nn::Conv2dOptions(channels, out_channels, 3).stride(2).padding(padding)));
}

torch::Tensor Downsample2DImpl::forward(const torch::Tensor& x) {
  if (padding_ == 0) return conv_(torch::constant_pad_nd(x, {0, 1, 0, 1}, 0));
  return conv_(x);
}

Upsample2DImpl::Upsample2DImpl(int64_t channels, int64_t out_channels) {
  conv_ = register_module("conv", nn::Conv2d(nn::Conv2dOptions(channels, out_channels, 3).padding(1)));
}

torch::Tensor Upsample2DImpl::forward(const torch::Tensor& x, const std::vector<int64_t>& output_size) {
  const auto dtype = x.scalar_type();
  auto h = dtype == torch::kBFloat16 ? x.to(torch::kFloat32) : x;
  auto opts = F::InterpolateFuncOptions().mode(torch::kNearest);
  if (output_size.empty())
    opts.scale_factor(std::vector<double>{2.0, 2.0});
  else
    opts.size(output_size);
  h = F::interpolate(h, opts);
  if (dtype == torch::kBFloat16) h = h.to(dtype);
  return conv_(h);
}

}  // namespace tessera::models
