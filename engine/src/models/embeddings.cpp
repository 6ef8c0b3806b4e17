#include "models/embeddings.h"

#include <cmath>

namespace tessera::models {

torch::Tensor timestep_embedding(const torch::Tensor& timesteps, int64_t dim, bool flip_sin_to_cos,
                                 double freq_shift, double scale, double max_period) {
  TORCH_CHECK(timesteps.dim() <= 1, "timesteps must be a scalar or a 1-D tensor, got shape ", timesteps.sizes());
  const auto t = timesteps.reshape({-1});
  const int64_t half = dim / 2;
  auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(t.device());
  // Same operation order and dtypes as diffusers (float32 throughout).
  auto exponent = torch::arange(0, half, opts) * (-std::log(max_period));
  exponent = exponent / (static_cast<double>(half) - freq_shift);
  auto freqs = torch::exp(exponent);
  auto emb = t.unsqueeze(1).to(torch::kFloat32) * freqs.unsqueeze(0);
  if (scale != 1.0) emb = emb * scale;
  emb = torch::cat({torch::sin(emb), torch::cos(emb)}, -1);
  if (flip_sin_to_cos) emb = torch::cat({emb.slice(1, half), emb.slice(1, 0, half)}, -1);
  if (dim % 2 == 1) emb = torch::constant_pad_nd(emb, {0, 1, 0, 0}, 0);
  return emb;
}

TimestepEmbeddingImpl::TimestepEmbeddingImpl(int64_t in_channels, int64_t time_embed_dim) {
  linear_1_ = register_module("linear_1", torch::nn::Linear(in_channels, time_embed_dim));
  linear_2_ = register_module("linear_2", torch::nn::Linear(time_embed_dim, time_embed_dim));
}

torch::Tensor TimestepEmbeddingImpl::forward(const torch::Tensor& x) {
  return linear_2_(torch::silu(linear_1_(x)));
}

}  // namespace tessera::models
