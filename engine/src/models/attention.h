#pragma once
// diffusers' Attention (AttnProcessor semantics): to_q / to_k / to_v (bias optional), heads of
// dim_head, scores = (q k^T) * dim_head^-0.5 -> softmax -> probs v -> to_out.0 (+ dropout
// to_out.1). Optional input GroupNorm (VAE mid block), residual connection and
// rescale_output_factor. Works on [B, N, C] tokens or on [B, C, H, W] feature maps.
//
// Memory: scores take B*heads*N*M floats. set_slice_size(n) computes n (batch*head) slices at a
// time and set_query_chunk(n) n query rows at a time; both give the same numbers as the
// unsliced computation (each output row depends only on its own slice). On CUDA with LibTorch
// 2.x an unsliced Attention calls scaled_dot_product_attention instead.

#include <torch/torch.h>

#include <cstdint>

namespace tessera::models {

struct AttentionOptions {
  int64_t query_dim = 0;
  int64_t cross_attention_dim = 0;  // 0: self-attention (keys/values from the query input)
  int64_t heads = 8;
  int64_t dim_head = 64;
  bool bias = false;      // to_q / to_k / to_v
  bool out_bias = true;   // to_out.0
  double dropout = 0.0;   // to_out.1
  bool upcast_attention = false;  // q, k in float32 for the scores
  bool upcast_softmax = false;    // softmax in float32
  int64_t norm_num_groups = 0;    // > 0: GroupNorm "group_norm" on the input (VAE)
  double norm_eps = 1e-5;
  bool residual_connection = false;
  double rescale_output_factor = 1.0;
};

class AttentionImpl : public torch::nn::Module {
 public:
  explicit AttentionImpl(const AttentionOptions& options);

  // hidden_states [B, N, C] or [B, C, H, W]; encoder_hidden_states [B, M, D] or undefined.
  torch::Tensor forward(const torch::Tensor& hidden_states, const torch::Tensor& encoder_hidden_states = {});

  // 0 (default): everything at once.
  void set_slice_size(int64_t slice_size) { slice_size_ = slice_size; }
  void set_query_chunk(int64_t query_chunk) { query_chunk_ = query_chunk; }
  int64_t slice_size() const { return slice_size_; }
  int64_t query_chunk() const { return query_chunk_; }
  const AttentionOptions& options() const { return options_; }

 private:
  torch::Tensor attend(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v) const;
  torch::Tensor heads_to_batch(const torch::Tensor& x) const;
  torch::Tensor batch_to_heads(const torch::Tensor& x) const;

  AttentionOptions options_;
  double scale_ = 1.0;
  int64_t slice_size_ = 0;
  int64_t query_chunk_ = 0;
  torch::nn::GroupNorm group_norm_{nullptr};
  torch::nn::Linear to_q_{nullptr};
  torch::nn::Linear to_k_{nullptr};
  torch::nn::Linear to_v_{nullptr};
  torch::nn::ModuleList to_out_{nullptr};
  torch::nn::Linear out_proj_{nullptr};
  torch::nn::Dropout out_dropout_{nullptr};
};
TORCH_MODULE(Attention);

// Whether this LibTorch has scaled_dot_product_attention (2.x), which Attention uses on
// accelerators when no slicing is set; CPUs keep the cache-blocked path below either way.
// TESSERA_SDPA=0 in the environment turns it off (the batched products instead), to tell a
// fused kernel's fault from the model's.
bool fused_attention_available();

// Sets the slicing of every Attention inside `module` (a UNet, a VAE, a block).
void set_attention_slicing(torch::nn::Module& module, int64_t slice_size, int64_t query_chunk = 0);

}  // namespace tessera::models
