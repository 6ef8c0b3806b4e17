#include "models/transformer_2d.h"

#include "models/fused_geglu.h"
#include "models/low_precision_norm.h"

#include <string>

namespace tessera::models {

namespace nn = torch::nn;

GEGLUImpl::GEGLUImpl(int64_t dim_in, int64_t dim_out) {
  proj_ = register_module("proj", nn::Linear(dim_in, dim_out * 2));
}

torch::Tensor GEGLUImpl::forward(const torch::Tensor& x) {
  auto projection = proj_(x);
  if (fused_geglu_serves(projection)) return fused_geglu(projection);
  auto parts = projection.chunk(2, -1);
  auto gate = torch::gelu(parts[1]);  // exact (erf) GELU
  // Inference: multiply into the fresh GELU output (a * b == b * a exactly).
  return gate.requires_grad() ? parts[0] * gate : gate.mul_(parts[0]);
}

FeedForwardImpl::FeedForwardImpl(int64_t dim, double dropout, int64_t mult) {
  const int64_t inner = dim * mult;
  geglu_ = GEGLU(dim, inner);
  dropout_ = nn::Dropout(dropout);
  out_ = nn::Linear(inner, dim);
  register_module("net", nn::ModuleList(geglu_, dropout_, out_));
}

torch::Tensor FeedForwardImpl::forward(const torch::Tensor& x) { return out_(dropout_(geglu_(x))); }

BasicTransformerBlockImpl::BasicTransformerBlockImpl(const BasicTransformerBlockOptions& o) : options_(o) {
  auto ln = [&] { return nn::LayerNorm(nn::LayerNormOptions({o.dim}).eps(o.norm_eps).elementwise_affine(true)); };
  AttentionOptions a1;
  a1.query_dim = o.dim;
  a1.cross_attention_dim = o.only_cross_attention ? o.cross_attention_dim : 0;
  a1.heads = o.heads;
  a1.dim_head = o.dim_head;
  a1.dropout = o.dropout;
  a1.upcast_attention = o.upcast_attention;
  AttentionOptions a2 = a1;
  a2.cross_attention_dim = o.cross_attention_dim;
  norm1_ = register_module("norm1", ln());
  attn1_ = register_module("attn1", Attention(a1));
  norm2_ = register_module("norm2", ln());
  attn2_ = register_module("attn2", Attention(a2));
  norm3_ = register_module("norm3", ln());
  ff_ = register_module("ff", FeedForward(o.dim, o.dropout));
}

torch::Tensor BasicTransformerBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& context) {
  auto h = x + attn1_(layer_norm(norm1_, x), options_.only_cross_attention ? context : torch::Tensor());
  h = h + attn2_(layer_norm(norm2_, h), context);
  return h + ff_(layer_norm(norm3_, h));
}

Transformer2DModelImpl::Transformer2DModelImpl(const Transformer2DOptions& o) : options_(o) {
  const int64_t inner = o.heads * o.dim_head;
  norm_ = register_module("norm", nn::GroupNorm(nn::GroupNormOptions(o.norm_num_groups, o.in_channels).eps(1e-6)));
  if (o.use_linear_projection)
    proj_in_linear_ = register_module("proj_in", nn::Linear(o.in_channels, inner));
  else
    proj_in_conv_ = register_module("proj_in", nn::Conv2d(nn::Conv2dOptions(o.in_channels, inner, 1)));
  auto list = register_module("transformer_blocks", nn::ModuleList());
  for (int64_t i = 0; i < o.num_layers; ++i) {
    BasicTransformerBlockOptions bo;
    bo.dim = inner;
    bo.heads = o.heads;
    bo.dim_head = o.dim_head;
    bo.cross_attention_dim = o.cross_attention_dim;
    bo.dropout = o.dropout;
    bo.upcast_attention = o.upcast_attention;
    bo.only_cross_attention = o.only_cross_attention;
    blocks_.push_back(BasicTransformerBlock(bo));
    list->push_back(blocks_.back());
  }
  if (o.use_linear_projection)
    proj_out_linear_ = register_module("proj_out", nn::Linear(inner, o.in_channels));
  else
    proj_out_conv_ = register_module("proj_out", nn::Conv2d(nn::Conv2dOptions(inner, o.in_channels, 1)));
}

torch::Tensor Transformer2DModelImpl::forward(const torch::Tensor& x, const torch::Tensor& context,
                                              const ActivationSink& sink) {
  const auto b = x.size(0), h = x.size(2), w = x.size(3);
  auto y = group_norm(norm_, x);
  sink.record("norm", y);
  if (proj_in_conv_) {
    y = proj_in_conv_(y);
    sink.record("proj_in", y);
    y = y.permute({0, 2, 3, 1}).reshape({b, h * w, y.size(1)});
  } else {
    y = proj_in_linear_(y.permute({0, 2, 3, 1}).reshape({b, h * w, y.size(1)}));
    sink.record("proj_in", y);
  }
  for (size_t i = 0; i < blocks_.size(); ++i) {
    y = blocks_[i]->forward(y, context);
    sink.record("transformer_blocks." + std::to_string(i), y);
  }
  if (proj_out_conv_) {
    y = y.reshape({b, h, w, y.size(-1)}).permute({0, 3, 1, 2}).contiguous(x.suggest_memory_format());
    y = proj_out_conv_(y);
    sink.record("proj_out", y);
  } else {
    y = proj_out_linear_(y);
    sink.record("proj_out", y);
    // Back to the input's layout (a view, no copy, when the model runs channels-last).
    y = y.reshape({b, h, w, y.size(-1)}).permute({0, 3, 1, 2}).contiguous(x.suggest_memory_format());
  }
  return y + x;
}

}  // namespace tessera::models
