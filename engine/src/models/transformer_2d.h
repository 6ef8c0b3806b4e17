#pragma once
// diffusers' Transformer2DModel for continuous inputs (the spatial transformer of the SD UNet):
// GroupNorm(eps 1e-6) -> proj_in (Linear on tokens if use_linear_projection, else 1x1 conv) ->
// BasicTransformerBlock x num_layers -> proj_out -> + input.
// BasicTransformerBlock: x += attn1(norm1(x)); x += attn2(norm2(x), context); x += ff(norm3(x)),
// ff = GEGLU (ff.net.0.proj) -> dropout (ff.net.1) -> Linear (ff.net.2).

#include "models/activations.h"
#include "models/attention.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace tessera::models {

class GEGLUImpl : public torch::nn::Module {
 public:
  GEGLUImpl(int64_t dim_in, int64_t dim_out);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::nn::Linear proj_{nullptr};
};
TORCH_MODULE(GEGLU);

class FeedForwardImpl : public torch::nn::Module {
 public:
  FeedForwardImpl(int64_t dim, double dropout, int64_t mult = 4);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  GEGLU geglu_{nullptr};
  torch::nn::Dropout dropout_{nullptr};
  torch::nn::Linear out_{nullptr};
};
TORCH_MODULE(FeedForward);

struct BasicTransformerBlockOptions {
  int64_t dim = 0;
  int64_t heads = 8;
  int64_t dim_head = 64;
  int64_t cross_attention_dim = 0;
  double dropout = 0.0;
  bool upcast_attention = false;
  bool only_cross_attention = false;
  double norm_eps = 1e-5;
};

class BasicTransformerBlockImpl : public torch::nn::Module {
 public:
  explicit BasicTransformerBlockImpl(const BasicTransformerBlockOptions& options);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& context);

 private:
  BasicTransformerBlockOptions options_;
  torch::nn::LayerNorm norm1_{nullptr};
  Attention attn1_{nullptr};
  torch::nn::LayerNorm norm2_{nullptr};
  Attention attn2_{nullptr};
  torch::nn::LayerNorm norm3_{nullptr};
  FeedForward ff_{nullptr};
};
TORCH_MODULE(BasicTransformerBlock);

struct Transformer2DOptions {
  int64_t in_channels = 0;
  int64_t heads = 8;
  int64_t dim_head = 64;
  int64_t num_layers = 1;
  int64_t cross_attention_dim = 0;
  int64_t norm_num_groups = 32;
  bool use_linear_projection = false;
  bool upcast_attention = false;
  bool only_cross_attention = false;
  double dropout = 0.0;
};

class Transformer2DModelImpl : public torch::nn::Module {
 public:
  explicit Transformer2DModelImpl(const Transformer2DOptions& options);
  // x [B, C, H, W], context [B, M, cross_attention_dim] -> [B, C, H, W].
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& context, const ActivationSink& sink = {});

 private:
  Transformer2DOptions options_;
  torch::nn::GroupNorm norm_{nullptr};
  torch::nn::Linear proj_in_linear_{nullptr};
  torch::nn::Conv2d proj_in_conv_{nullptr};
  std::vector<BasicTransformerBlock> blocks_;
  torch::nn::Linear proj_out_linear_{nullptr};
  torch::nn::Conv2d proj_out_conv_{nullptr};
};
TORCH_MODULE(Transformer2DModel);

}  // namespace tessera::models
