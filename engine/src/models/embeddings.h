#pragma once
// Timestep embeddings of diffusers: the sinusoidal projection (Timesteps / get_timestep_embedding)
// and the TimestepEmbedding MLP (linear_1 -> SiLU -> linear_2).

#include <torch/torch.h>

#include <cstdint>

namespace tessera::models {

// timesteps [N] (int or float; a 0-d tensor is treated as [1]) -> [N, dim] float32:
// exponent_i = -ln(max_period) * i / (dim/2 - freq_shift), emb = t * exp(exponent),
// [sin | cos] (or [cos | sin] with flip_sin_to_cos), zero-padded when dim is odd.
torch::Tensor timestep_embedding(const torch::Tensor& timesteps, int64_t dim, bool flip_sin_to_cos,
                                 double freq_shift, double scale = 1.0, double max_period = 10000.0);

class TimestepEmbeddingImpl : public torch::nn::Module {
 public:
  TimestepEmbeddingImpl(int64_t in_channels, int64_t time_embed_dim);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::nn::Linear linear_1_{nullptr};
  torch::nn::Linear linear_2_{nullptr};
};
TORCH_MODULE(TimestepEmbedding);

}  // namespace tessera::models
