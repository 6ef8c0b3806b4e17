// GroupNorm, optionally followed by SiLU, on channels-last activations (N, H·W, C in memory),
// forward and backward, in four memory-bound passes. LibTorch's CUDA group_norm copies a
// channels-last input to NCHW first and hands back NCHW, which the next convolution copies back;
// and the SiLU after it is one more read and write each way. Here nothing is copied and the SiLU
// is applied (and differentiated) on the way.
//
// The passes over the activations have the same shape: block (s, n) covers rows [s·rows, (s+1)·rows) of sample n, and
// each thread walks its channels (c = thread, thread + threads, ...) down those rows, so the
// threads of a warp read neighbouring channels of one row: coalesced. No thread talks to another
// (no shared memory, no atomics): sums leave as per-(n, chunk, channel) partials, which a small
// kernel adds up per group, leaving per-(n, channel) coefficients for the next pass. Arithmetic in
// float on the activations, double in the group sums.
//
// Requires kernel_prelude.cuh before it.

// One set of arguments serves every kernel (passed by value: the same layout on both sides).
struct ts_group_norm_args {
  const void* x;            // [N, HW, C], the input
  const void* grad;         // [N, HW, C], the output's gradient (backward)
  void* out;                // [N, HW, C], y (forward) or the input's gradient (backward)
  const float* weight;      // [C], the norm's affine weight and bias (null: 1 and 0)
  const float* bias;        // [C]
  float* scale;             // [N, C]: the norm is x·scale + shift
  float* shift;             // [N, C]
  float* mean;              // [N, C]: the group's mean and 1/sqrt(var + eps), per channel
  float* rstd;              // [N, C]
  float* coef_dz;           // [N, C] (backward): dx = coef_dz·dz + coef_xhat·(x − mean) + coef_one
  float* coef_xhat;         // [N, C]
  float* coef_one;          // [N, C]
  float* partial;           // [N, chunks, C, 2]: per-chunk sums
  float* sums;              // [N, C, 2] (backward): per-sample sums of dz and dz·x̂
  float* grad_weight;       // [C] (backward)
  float* grad_bias;         // [C]
  float eps;
  int samples;              // N
  int hw;                   // rows per sample (H·W)
  int channels;             // C
  int groups;
  int rows;                 // rows per block in the passes over the activations
  int chunks;               // blocks per sample in those passes: ceil(hw / rows)
  int silu;                 // 1: SiLU after the norm
};

TS_FUNCTION float ts_silu(float z) { return z / (1.0f + expf(-z)); }

TS_FUNCTION float ts_silu_grad(float z) {
  const float s = 1.0f / (1.0f + expf(-z));
  return s * (1.0f + z * (1.0f - s));
}

// Per (n, chunk, channel): the sum and the sum of squares of x.
template <typename T>
TS_FUNCTION void ts_group_norm_stats(const ts_group_norm_args& a) {
  const ts_index n = TS_BLOCK_Y, chunk = TS_BLOCK_X;
  const int r0 = static_cast<int>(chunk) * a.rows;
  const int r1 = r0 + a.rows < a.hw ? r0 + a.rows : a.hw;
  const T* x = static_cast<const T*>(a.x);
  for (int c = TS_THREAD_X; c < a.channels; c += TS_THREADS_X) {
    float sum = 0.0f, squares = 0.0f;
    const T* p = x + (n * a.hw + r0) * a.channels + c;
    for (int r = r0; r < r1; ++r, p += a.channels) {
      const float v = ts_load(p);
      sum += v;
      squares += v * v;
    }
    float* out = a.partial + ((n * a.chunks + chunk) * a.channels + c) * 2;
    out[0] = sum;
    out[1] = squares;
  }
}

// y = x·scale + shift, then SiLU if asked.
template <typename T>
TS_FUNCTION void ts_group_norm_apply(const ts_group_norm_args& a) {
  const ts_index n = TS_BLOCK_Y, chunk = TS_BLOCK_X;
  const int r0 = static_cast<int>(chunk) * a.rows;
  const int r1 = r0 + a.rows < a.hw ? r0 + a.rows : a.hw;
  const T* x = static_cast<const T*>(a.x);
  T* y = static_cast<T*>(a.out);
  for (int c = TS_THREAD_X; c < a.channels; c += TS_THREADS_X) {
    const float scale = a.scale[n * a.channels + c], shift = a.shift[n * a.channels + c];
    const ts_index first = (n * a.hw + r0) * a.channels + c;
    for (int r = r0; r < r1; ++r) {
      const ts_index i = first + static_cast<ts_index>(r - r0) * a.channels;
      float z = ts_load(x + i) * scale + shift;
      if (a.silu != 0) z = ts_silu(z);
      ts_store(y + i, z);
    }
  }
}

// The gradient that reaches the norm's output: through SiLU (recomputed from x) if there is one.
template <typename T>
TS_FUNCTION float ts_group_norm_dz(const T* grad, const T* x, ts_index i, float scale, float shift, int silu) {
  const float g = ts_load(grad + i);
  return silu != 0 ? g * ts_silu_grad(ts_load(x + i) * scale + shift) : g;
}

// Per (n, chunk, channel): the sums of dz and of dz·x̂, x̂ = (x − mean)·rstd.
template <typename T>
TS_FUNCTION void ts_group_norm_backward_sums(const ts_group_norm_args& a) {
  const ts_index n = TS_BLOCK_Y, chunk = TS_BLOCK_X;
  const int r0 = static_cast<int>(chunk) * a.rows;
  const int r1 = r0 + a.rows < a.hw ? r0 + a.rows : a.hw;
  const T* x = static_cast<const T*>(a.x);
  const T* grad = static_cast<const T*>(a.grad);
  for (int c = TS_THREAD_X; c < a.channels; c += TS_THREADS_X) {
    const ts_index nc = n * a.channels + c;
    const float scale = a.scale[nc], shift = a.shift[nc], mean = a.mean[nc], rstd = a.rstd[nc];
    const ts_index first = (n * a.hw + r0) * a.channels + c;
    float sum_dz = 0.0f, sum_dz_xhat = 0.0f;
    for (int r = r0; r < r1; ++r) {
      const ts_index i = first + static_cast<ts_index>(r - r0) * a.channels;
      const float dz = ts_group_norm_dz(grad, x, i, scale, shift, a.silu);
      sum_dz += dz;
      sum_dz_xhat += dz * (ts_load(x + i) - mean) * rstd;
    }
    float* out = a.partial + ((n * a.chunks + chunk) * a.channels + c) * 2;
    out[0] = sum_dz;
    out[1] = sum_dz_xhat;
  }
}

// dx = coef_dz·dz + coef_xhat·(x − mean) + coef_one.
template <typename T>
TS_FUNCTION void ts_group_norm_backward_apply(const ts_group_norm_args& a) {
  const ts_index n = TS_BLOCK_Y, chunk = TS_BLOCK_X;
  const int r0 = static_cast<int>(chunk) * a.rows;
  const int r1 = r0 + a.rows < a.hw ? r0 + a.rows : a.hw;
  const T* x = static_cast<const T*>(a.x);
  const T* grad = static_cast<const T*>(a.grad);
  T* dx = static_cast<T*>(a.out);
  for (int c = TS_THREAD_X; c < a.channels; c += TS_THREADS_X) {
    const ts_index nc = n * a.channels + c;
    const float scale = a.scale[nc], shift = a.shift[nc], mean = a.mean[nc];
    const float coef_dz = a.coef_dz[nc], coef_xhat = a.coef_xhat[nc], coef_one = a.coef_one[nc];
    const ts_index first = (n * a.hw + r0) * a.channels + c;
    for (int r = r0; r < r1; ++r) {
      const ts_index i = first + static_cast<ts_index>(r - r0) * a.channels;
      const float dz = ts_group_norm_dz(grad, x, i, scale, shift, a.silu);
      ts_store(dx + i, coef_dz * dz + coef_xhat * (ts_load(x + i) - mean) + coef_one);
    }
  }
}

// The small kernels between the passes: one thread per (n, channel) — grid (ceil(C / threads),
// N) — or per channel. They add up partials of a whole group in double.

// Group statistics, then the channel's scale and shift.
TS_KERNEL void ts_group_norm_finish_stats(ts_group_norm_args a) {
  const int c = static_cast<int>(TS_BLOCK_X * TS_THREADS_X + TS_THREAD_X);
  if (c >= a.channels) return;
  const ts_index n = TS_BLOCK_Y;
  const int per_group = a.channels / a.groups, first = c / per_group * per_group;
  double sum = 0, squares = 0;
  for (int k = 0; k < a.chunks; ++k) {
    const float* p = a.partial + ((n * a.chunks + k) * a.channels + first) * 2;
    for (int d = 0; d < per_group; ++d) {
      sum += p[2 * d];
      squares += p[2 * d + 1];
    }
  }
  const double count = static_cast<double>(a.hw) * per_group;
  const double mean = sum / count;
  double var = squares / count - mean * mean;
  if (var < 0) var = 0;
  const double rstd = 1.0 / sqrt(var + static_cast<double>(a.eps));
  const double w = a.weight != nullptr ? a.weight[c] : 1.0, b = a.bias != nullptr ? a.bias[c] : 0.0;
  const ts_index nc = n * a.channels + c;
  a.scale[nc] = static_cast<float>(rstd * w);
  a.shift[nc] = static_cast<float>(b - mean * rstd * w);
  a.mean[nc] = static_cast<float>(mean);
  a.rstd[nc] = static_cast<float>(rstd);
}

// The channel's own sums over the sample, and dx's coefficients from its group's sums.
TS_KERNEL void ts_group_norm_finish_backward(ts_group_norm_args a) {
  const int c = static_cast<int>(TS_BLOCK_X * TS_THREADS_X + TS_THREAD_X);
  if (c >= a.channels) return;
  const ts_index n = TS_BLOCK_Y;
  const int per_group = a.channels / a.groups, first = c / per_group * per_group;
  double weighted_dz = 0, weighted_dz_xhat = 0;  // over the group: Σ w·dz, Σ w·dz·x̂
  double own_dz = 0, own_dz_xhat = 0;            // over this channel
  for (int k = 0; k < a.chunks; ++k) {
    const float* p = a.partial + ((n * a.chunks + k) * a.channels + first) * 2;
    for (int d = 0; d < per_group; ++d) {
      const double w = a.weight != nullptr ? a.weight[first + d] : 1.0;
      weighted_dz += w * p[2 * d];
      weighted_dz_xhat += w * p[2 * d + 1];
    }
    const float* own = a.partial + ((n * a.chunks + k) * a.channels + c) * 2;
    own_dz += own[0];
    own_dz_xhat += own[1];
  }
  const ts_index nc = n * a.channels + c;
  const double count = static_cast<double>(a.hw) * per_group;
  const double rstd = a.rstd[nc], w = a.weight != nullptr ? a.weight[c] : 1.0;
  a.coef_dz[nc] = static_cast<float>(rstd * w);
  a.coef_xhat[nc] = static_cast<float>(-rstd * rstd * weighted_dz_xhat / count);
  a.coef_one[nc] = static_cast<float>(-rstd * weighted_dz / count);
  a.sums[nc * 2] = static_cast<float>(own_dz);
  a.sums[nc * 2 + 1] = static_cast<float>(own_dz_xhat);
}

// The affine parameters' gradients: sums over the samples. Grid ceil(C / threads) × 1.
TS_KERNEL void ts_group_norm_parameter_grads(ts_group_norm_args a) {
  const int c = static_cast<int>(TS_BLOCK_X * TS_THREADS_X + TS_THREAD_X);
  if (c >= a.channels) return;
  double dz = 0, dz_xhat = 0;
  for (ts_index n = 0; n < a.samples; ++n) {
    dz += a.sums[(n * a.channels + c) * 2];
    dz_xhat += a.sums[(n * a.channels + c) * 2 + 1];
  }
  a.grad_bias[c] = static_cast<float>(dz);
  a.grad_weight[c] = static_cast<float>(dz_xhat);
}

// The entry points, one per pass and storage type: ts_group_norm_<pass>_<f32|bf16|f16>.
#define TS_GROUP_NORM_KERNELS(SUFFIX, T)                                                                 \
  TS_KERNEL void ts_group_norm_stats_##SUFFIX(ts_group_norm_args a) { ts_group_norm_stats<T>(a); }       \
  TS_KERNEL void ts_group_norm_apply_##SUFFIX(ts_group_norm_args a) { ts_group_norm_apply<T>(a); }       \
  TS_KERNEL void ts_group_norm_backward_sums_##SUFFIX(ts_group_norm_args a) {                            \
    ts_group_norm_backward_sums<T>(a);                                                                   \
  }                                                                                                      \
  TS_KERNEL void ts_group_norm_backward_apply_##SUFFIX(ts_group_norm_args a) {                           \
    ts_group_norm_backward_apply<T>(a);                                                                  \
  }

TS_GROUP_NORM_KERNELS(f32, float)
TS_GROUP_NORM_KERNELS(bf16, ts_bf16)
TS_GROUP_NORM_KERNELS(f16, ts_f16)
