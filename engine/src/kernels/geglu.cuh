// GEGLU, the feed-forward gate of the UNet's transformer blocks: for the projection p = [h | g]
// (its last dimension split in two halves of F features), y = h · GELU(g) with the exact (erf)
// GELU, as diffusers' GEGLU. The projection is 8 times as wide as the block's activations, the
// largest tensor of the UNet. Op by op, the GELU and the product read and write it 5 times (in
// half-size units) forward and about 12 times backward (the product's two gradients, GELU's, and
// the copy that joins the two halves' gradients); here 3 forward (h, g, y) and 5 backward (dy, h,
// g, and both halves of dp). Four features per thread, a run of rows per block; float arithmetic.
//
// Requires kernel_prelude.cuh before it.

struct ts_geglu_args {
  const void* projection;  // [M, 2F]: h = [:, :F], g = [:, F:]
  const void* grad;        // [M, F], the output's gradient (backward)
  void* out;               // [M, F] y (forward), or [M, 2F] the projection's gradient (backward)
  ts_index rows;           // M
  ts_index features;       // F
  ts_index rows_per_block;
};

TS_FUNCTION float ts_gelu(float g) { return 0.5f * g * (1.0f + erff(g * 0.70710678118654752f)); }

// d GELU(g) / dg = Φ(g) + g·φ(g).
TS_FUNCTION float ts_gelu_grad(float g) {
  const float cdf = 0.5f * (1.0f + erff(g * 0.70710678118654752f));
  const float pdf = expf(-0.5f * g * g) * 0.39894228040143268f;
  return cdf + g * pdf;
}

// Block (x, y): features [4·x·threads, 4·(x+1)·threads), four per thread (one 8- or 16-byte
// access; F is a multiple of 4), of rows [y·rows_per_block, ...); a warp reads 128 neighbouring
// features of a row.
// This thread's first feature and rows [m0, m1); false when it has no features.
TS_FUNCTION bool ts_geglu_span(const ts_geglu_args& a, ts_index* f, ts_index* m0, ts_index* m1) {
  *f = (static_cast<ts_index>(TS_BLOCK_X) * TS_THREADS_X + TS_THREAD_X) * 4;
  *m0 = static_cast<ts_index>(TS_BLOCK_Y) * a.rows_per_block;
  *m1 = *m0 + a.rows_per_block < a.rows ? *m0 + a.rows_per_block : a.rows;
  return *f < a.features;
}

template <typename T>
TS_FUNCTION void ts_geglu_forward(const ts_geglu_args& a) {
  ts_index f, m0, m1;
  if (!ts_geglu_span(a, &f, &m0, &m1)) return;
  const T* p = static_cast<const T*>(a.projection);
  T* y = static_cast<T*>(a.out);
  TS_UNROLL
  for (ts_index m = m0; m < m1; ++m) {
    const T* row = p + m * 2 * a.features;
    const ts_float4 h = ts_load4(row + f), g = ts_load4(row + a.features + f);
    ts_float4 out;
    for (int k = 0; k < 4; ++k) out.v[k] = h.v[k] * ts_gelu(g.v[k]);
    ts_store4(y + m * a.features + f, out);
  }
}

template <typename T>
TS_FUNCTION void ts_geglu_backward(const ts_geglu_args& a) {
  ts_index f, m0, m1;
  if (!ts_geglu_span(a, &f, &m0, &m1)) return;
  const T* p = static_cast<const T*>(a.projection);
  const T* dy = static_cast<const T*>(a.grad);
  T* dp = static_cast<T*>(a.out);
  TS_UNROLL
  for (ts_index m = m0; m < m1; ++m) {
    const ts_index h_at = m * 2 * a.features + f, g_at = h_at + a.features;
    const ts_float4 h = ts_load4(p + h_at), g = ts_load4(p + g_at), d = ts_load4(dy + m * a.features + f);
    ts_float4 dh, dg;
    for (int k = 0; k < 4; ++k) {
      dh.v[k] = d.v[k] * ts_gelu(g.v[k]);
      dg.v[k] = d.v[k] * h.v[k] * ts_gelu_grad(g.v[k]);
    }
    ts_store4(dp + h_at, dh);
    ts_store4(dp + g_at, dg);
  }
}

#define TS_GEGLU_KERNELS(SUFFIX, T)                                                              \
  TS_KERNEL void ts_geglu_forward_##SUFFIX(ts_geglu_args a) { ts_geglu_forward<T>(a); }          \
  TS_KERNEL void ts_geglu_backward_##SUFFIX(ts_geglu_args a) { ts_geglu_backward<T>(a); }

TS_GEGLU_KERNELS(f32, float)
TS_GEGLU_KERNELS(bf16, ts_bf16)
TS_GEGLU_KERNELS(f16, ts_f16)
