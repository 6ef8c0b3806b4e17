#include "models/attention.h"

#include "core/env.h"
#include "core/torch_version.h"
#include "models/low_precision_norm.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

namespace tessera::models {

namespace nn = torch::nn;

#if TESSERA_TORCH_AT_LEAST(2, 0)
bool fused_attention_available() {
  static const bool enabled = !env_is("TESSERA_SDPA", "0");
  return enabled;
}

namespace {

// scaled_dot_product_attention picks among flash, memory-efficient, cuDNN and math kernels. The
// cuDNN ones are left out unless TESSERA_SDPA_CUDNN=1: cuDNN's attention has crashed the host in
// plan creation for some shapes (NVIDIA/cudnn-frontend#1071), which makes it the first suspect
// for the segmentation fault of the SD2 training step on an H200 (docs/PERFORMANCE.md; not yet
// confirmed). Flash and memory-efficient attention ran the golden tests there.
void choose_fused_attention_kernels() {
#if TESSERA_TORCH_AT_LEAST(2, 3)
  static std::once_flag once;
  std::call_once(once, [] {
    if (!env_is("TESSERA_SDPA_CUDNN", "1")) at::globalContext().setSDPUseCuDNN(false);
  });
#endif
}

}  // namespace
#else
bool fused_attention_available() { return false; }
#endif

AttentionImpl::AttentionImpl(const AttentionOptions& options) : options_(options) {
  const int64_t inner = options_.heads * options_.dim_head;
  const int64_t kv_dim = options_.cross_attention_dim > 0 ? options_.cross_attention_dim : options_.query_dim;
  scale_ = 1.0 / std::sqrt(static_cast<double>(options_.dim_head));
  if (options_.norm_num_groups > 0)
    group_norm_ = register_module(
        "group_norm",
        nn::GroupNorm(nn::GroupNormOptions(options_.norm_num_groups, options_.query_dim).eps(options_.norm_eps)));
  to_q_ = register_module("to_q", nn::Linear(nn::LinearOptions(options_.query_dim, inner).bias(options_.bias)));
  to_k_ = register_module("to_k", nn::Linear(nn::LinearOptions(kv_dim, inner).bias(options_.bias)));
  to_v_ = register_module("to_v", nn::Linear(nn::LinearOptions(kv_dim, inner).bias(options_.bias)));
  out_proj_ = nn::Linear(nn::LinearOptions(inner, options_.query_dim).bias(options_.out_bias));
  out_dropout_ = nn::Dropout(options_.dropout);
  to_out_ = register_module("to_out", nn::ModuleList(out_proj_, out_dropout_));
}

torch::Tensor AttentionImpl::heads_to_batch(const torch::Tensor& x) const {
  const auto b = x.size(0), n = x.size(1);
  return x.reshape({b, n, options_.heads, options_.dim_head}).permute({0, 2, 1, 3}).reshape(
      {b * options_.heads, n, options_.dim_head});
}

torch::Tensor AttentionImpl::batch_to_heads(const torch::Tensor& x) const {
  const auto bh = x.size(0), n = x.size(1);
  const auto b = bh / options_.heads;
  return x.reshape({b, options_.heads, n, options_.dim_head}).permute({0, 2, 1, 3}).reshape(
      {b, n, options_.heads * options_.dim_head});
}

// One (slice of the) attention product. q [S, N, d], k/v [S, M, d].
torch::Tensor AttentionImpl::attend(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v) const {
  const auto dtype = q.scalar_type();
  auto qq = options_.upcast_attention ? q.to(torch::kFloat32) : q;
  auto kk = options_.upcast_attention ? k.to(torch::kFloat32) : k;
  // matmul then scale (never baddbmm on an uninitialised buffer: see notes/reference-facts.md).
  auto scores = torch::matmul(qq, kk.transpose(-1, -2));
  scores.mul_(scale_);  // in place: the same numbers as `* scale`, without a second buffer
  if (options_.upcast_softmax) scores = scores.to(torch::kFloat32);
  auto probs = scores.softmax(-1).to(dtype);
  scores = torch::Tensor();
  return torch::matmul(probs, v);
}

torch::Tensor AttentionImpl::forward(const torch::Tensor& hidden_states, const torch::Tensor& encoder_hidden_states) {
  auto x = hidden_states;
  const bool spatial = x.dim() == 4;
  int64_t b = 0, c = 0, h = 0, w = 0;
  if (spatial) {
    b = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
    x = x.reshape({b, c, h * w}).transpose(1, 2);
  }
  const auto residual = x;
  if (group_norm_) x = group_norm(group_norm_, x.transpose(1, 2)).transpose(1, 2);

  const auto& context = encoder_hidden_states.defined() ? encoder_hidden_states : x;
  const int64_t heads = options_.heads, dim_head = options_.dim_head;
  const auto q = to_q_(x);
  torch::Tensor out;
  // Accelerators with LibTorch 2.x: one fused scaled_dot_product_attention call (flash or
  // memory-efficient kernels: the scores never reach device memory), unless slicing was asked
  // for or fp16 scores must be upcast (the fused kernels do not upcast q and k).
  const bool fused = fused_attention_available() && !q.device().is_cpu() && slice_size_ == 0 && query_chunk_ == 0 &&
                     !(options_.upcast_attention && q.scalar_type() == torch::kHalf);
  if (fused) {
#if TESSERA_TORCH_AT_LEAST(2, 0)
    const int64_t batch = q.size(0), rows = q.size(1);
    const auto q4 = q.reshape({batch, rows, heads, dim_head}).transpose(1, 2);
    const auto k4 = to_k_(context).reshape({batch, -1, heads, dim_head}).transpose(1, 2);
    const auto v4 = to_v_(context).reshape({batch, -1, heads, dim_head}).transpose(1, 2);
    // The default scale is dim_head^-0.5, the scale_ the other paths use.
    choose_fused_attention_kernels();
    out = at::scaled_dot_product_attention(q4, k4, v4).transpose(1, 2).reshape({batch, rows, heads * dim_head});
#endif
  } else if (q.requires_grad() || !q.device().is_cpu()) {
    // Training and accelerators: batched (batch*heads) products, sliced only when asked.
    const auto qb = heads_to_batch(q), kb = heads_to_batch(to_k_(context)), vb = heads_to_batch(to_v_(context));
    const int64_t slices = qb.size(0), rows = qb.size(1);
    const int64_t step_s = slice_size_ > 0 ? slice_size_ : slices;
    const int64_t step_q = query_chunk_ > 0 ? query_chunk_ : rows;
    std::vector<torch::Tensor> parts;
    for (int64_t s = 0; s < slices; s += step_s) {
      const auto se = std::min(slices, s + step_s);
      std::vector<torch::Tensor> rows_out;
      for (int64_t r = 0; r < rows; r += step_q)
        rows_out.push_back(attend(qb.slice(0, s, se).slice(1, r, std::min(rows, r + step_q)), kb.slice(0, s, se),
                                  vb.slice(0, s, se)));
      parts.push_back(rows_out.size() == 1 ? rows_out[0] : torch::cat(rows_out, 1));
    }
    out = batch_to_heads(parts.size() == 1 ? parts[0] : torch::cat(parts, 0));
  } else {
    // q/k/v stay in their [B, N, heads, dim_head] layout: each (batch, head) pair is a strided
    // [N, dim_head] matrix that the matrix products read in place, so no head-splitting copies.
    const int64_t batch = q.size(0), rows = q.size(1);
    const auto q4 = q.reshape({batch, rows, heads, dim_head});
    const auto k4 = to_k_(context).reshape({batch, -1, heads, dim_head});
    const auto v4 = to_v_(context).reshape({batch, -1, heads, dim_head});
    const int64_t keys = k4.size(1);

    // One (batch, head) slice and `step` query rows at a time: the score block stays small enough
    // to live in cache (about kScoreBlockBytes) instead of B*heads*N*M floats at once. Each output
    // row depends only on its own query row, so the result equals the unsliced computation.
    constexpr int64_t kScoreBlockBytes = int64_t(8) << 20;
    const int64_t step =
        query_chunk_ > 0 ? query_chunk_ : std::max<int64_t>(1, kScoreBlockBytes / (4 * std::max<int64_t>(1, keys)));
    out = torch::empty({batch, rows, heads, dim_head}, q.options());
    for (int64_t bi = 0; bi < batch; ++bi) {
      for (int64_t hi = 0; hi < heads; ++hi) {
        const auto qs = q4.select(0, bi).select(1, hi);
        const auto ks = k4.select(0, bi).select(1, hi);
        const auto vs = v4.select(0, bi).select(1, hi);
        auto os = out.select(0, bi).select(1, hi);
        for (int64_t r = 0; r < rows; r += step) {
          const int64_t re = std::min(rows, r + step);
          os.slice(0, r, re).copy_(attend(qs.slice(0, r, re), ks, vs));
        }
      }
    }
    out = out.view({batch, rows, heads * dim_head});
  }

  out = out_dropout_(out_proj_(out));
  if (options_.residual_connection) out = out + residual;
  if (spatial) out = out.transpose(1, 2).reshape({b, c, h, w});
  if (options_.rescale_output_factor != 1.0) out = out / options_.rescale_output_factor;
  return out;
}

void set_attention_slicing(torch::nn::Module& module, int64_t slice_size, int64_t query_chunk) {
  for (const auto& m : module.modules(/*include_self=*/true)) {
    if (auto* a = m->as<AttentionImpl>()) {
      a->set_slice_size(slice_size);
      a->set_query_chunk(query_chunk);
    }
  }
}

}  // namespace tessera::models
