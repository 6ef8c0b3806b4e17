// GroupNorm, optionally followed by SiLU, on channels-last activations (N, H·W, C in memory),
// forward and backward, in four memory-bound passes and three small kernels. LibTorch's CUDA
// group_norm copies a channels-last input to NCHW first and hands back NCHW, which the next
// convolution copies back; and the SiLU after it is one more read and write each way. Here
// nothing is copied and the SiLU is applied (and differentiated) on the way.
//
// The passes over the activations have one shape: block (s, n) covers rows [s·rows, (s+1)·rows)
// of sample n, and each thread walks four neighbouring channels (one 8- or 16-byte access; C is a
// multiple of 4) down those rows, so a warp reads 128 neighbouring channels of a row. No thread
// reads what another writes: sums leave as per-(n, chunk, channel) partials, which a small kernel
// (one thread per (n, channel)) adds up per group, leaving per-(n, channel) coefficients for the
// next pass. Float arithmetic on the activations, double in the group sums; the statistics'
// sums are taken around a pivot (the channel's value in the sample's first row), so that a mean
// far from zero does not cost the variance its precision.
//
// Requires kernel_prelude.cuh before it.

// One set of arguments serves every kernel (passed by value: the same layout on both sides).
struct ts_group_norm_args {
  const void* x;            // [N, HW, C], the input
  const void* grad;         // [N, HW, C], the output's gradient (backward)
  void* out;                // [N, HW, C], y (forward) or the input's gradient (backward)
  const float* weight;      // [C], the norm's affine weight and bias
  const float* bias;        // [C]
  float* pivot;             // [N, C]: x in the sample's first row
  float* scale;             // [N, C]: rstd·weight; the norm is (x − mean)·scale + bias
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
  int channels;             // C, a multiple of 4
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

// The rows of this block: [*r0, *r1).
TS_FUNCTION void ts_group_norm_rows(const ts_group_norm_args& a, int* r0, int* r1) {
  *r0 = static_cast<int>(TS_BLOCK_X) * a.rows;
  *r1 = *r0 + a.rows < a.hw ? *r0 + a.rows : a.hw;
}

// Writes the 4 channels' (first, second) sums at `out` (8 floats, 32-byte aligned).
TS_FUNCTION void ts_store_pairs(float* out, const float* first, const float* second) {
  ts_store4(out, ts_float4{{first[0], second[0], first[1], second[1]}});
  ts_store4(out + 4, ts_float4{{first[2], second[2], first[3], second[3]}});
}

// Per (n, chunk, channel): the sums of x − pivot and of its square.
template <typename T>
TS_FUNCTION void ts_group_norm_stats(const ts_group_norm_args& a) {
  const ts_index n = TS_BLOCK_Y;
  int r0, r1;
  ts_group_norm_rows(a, &r0, &r1);
  const T* x = static_cast<const T*>(a.x);
  for (int c = TS_THREAD_X * 4; c < a.channels; c += TS_THREADS_X * 4) {
    const ts_float4 pivot = ts_load4(x + n * a.hw * a.channels + c);
    if (TS_BLOCK_X == 0) ts_store4(a.pivot + n * a.channels + c, pivot);
    float sum[4] = {0, 0, 0, 0}, squares[4] = {0, 0, 0, 0};
    const T* p = x + (n * a.hw + r0) * a.channels + c;
    TS_UNROLL
    for (int r = r0; r < r1; ++r) {
      const ts_float4 v = ts_load4(p + static_cast<ts_index>(r - r0) * a.channels);
      for (int i = 0; i < 4; ++i) {
        const float d = v.v[i] - pivot.v[i];
        sum[i] += d;
        squares[i] += d * d;
      }
    }
    ts_store_pairs(a.partial + ((n * a.chunks + TS_BLOCK_X) * a.channels + c) * 2, sum, squares);
  }
}

// y = (x − mean)·scale + bias, then SiLU if asked. (Subtracting the mean first keeps y's precision
// when the mean is large against the spread.)
template <typename T>
TS_FUNCTION void ts_group_norm_apply(const ts_group_norm_args& a) {
  const ts_index n = TS_BLOCK_Y;
  int r0, r1;
  ts_group_norm_rows(a, &r0, &r1);
  const T* x = static_cast<const T*>(a.x);
  T* y = static_cast<T*>(a.out);
  for (int c = TS_THREAD_X * 4; c < a.channels; c += TS_THREADS_X * 4) {
    const ts_float4 scale = ts_load4(a.scale + n * a.channels + c), mean = ts_load4(a.mean + n * a.channels + c);
    const ts_float4 bias = ts_load4(a.bias + c);
    const ts_index first = (n * a.hw + r0) * a.channels + c;
    TS_UNROLL
    for (int r = r0; r < r1; ++r) {
      const ts_index i = first + static_cast<ts_index>(r - r0) * a.channels;
      ts_float4 z = ts_load4(x + i);
      for (int k = 0; k < 4; ++k) {
        z.v[k] = (z.v[k] - mean.v[k]) * scale.v[k] + bias.v[k];
        if (a.silu != 0) z.v[k] = ts_silu(z.v[k]);
      }
      ts_store4(y + i, z);
    }
  }
}

// The per-(n, channel) values the backward passes read, four channels at `nc`.
struct ts_group_norm_channels {
  ts_float4 scale, mean, rstd, bias;
};

TS_FUNCTION ts_group_norm_channels ts_group_norm_load_channels(const ts_group_norm_args& a, ts_index n, int c) {
  const ts_index nc = n * a.channels + c;
  return {ts_load4(a.scale + nc), ts_load4(a.mean + nc), ts_load4(a.rstd + nc), ts_load4(a.bias + c)};
}

// The gradient that reaches the norm's output, channel k of the four: through SiLU (its input
// recomputed from x) if there is one.
TS_FUNCTION float ts_group_norm_dz(const ts_group_norm_channels& ch, int k, float g, float x, int silu) {
  return silu != 0 ? g * ts_silu_grad((x - ch.mean.v[k]) * ch.scale.v[k] + ch.bias.v[k]) : g;
}

// Per (n, chunk, channel): the sums of dz and of dz·x̂, x̂ = (x − mean)·rstd.
template <typename T>
TS_FUNCTION void ts_group_norm_backward_sums(const ts_group_norm_args& a) {
  const ts_index n = TS_BLOCK_Y;
  int r0, r1;
  ts_group_norm_rows(a, &r0, &r1);
  const T* x = static_cast<const T*>(a.x);
  const T* grad = static_cast<const T*>(a.grad);
  for (int c = TS_THREAD_X * 4; c < a.channels; c += TS_THREADS_X * 4) {
    const ts_group_norm_channels ch = ts_group_norm_load_channels(a, n, c);
    const ts_index first = (n * a.hw + r0) * a.channels + c;
    float sum_dz[4] = {0, 0, 0, 0}, sum_dz_xhat[4] = {0, 0, 0, 0};
    TS_UNROLL
    for (int r = r0; r < r1; ++r) {
      const ts_index i = first + static_cast<ts_index>(r - r0) * a.channels;
      const ts_float4 v = ts_load4(x + i), g = ts_load4(grad + i);
      for (int k = 0; k < 4; ++k) {
        const float dz = ts_group_norm_dz(ch, k, g.v[k], v.v[k], a.silu);
        sum_dz[k] += dz;
        sum_dz_xhat[k] += dz * (v.v[k] - ch.mean.v[k]) * ch.rstd.v[k];
      }
    }
    ts_store_pairs(a.partial + ((n * a.chunks + TS_BLOCK_X) * a.channels + c) * 2, sum_dz, sum_dz_xhat);
  }
}

// dx = coef_dz·dz + coef_xhat·(x − mean) + coef_one.
template <typename T>
TS_FUNCTION void ts_group_norm_backward_apply(const ts_group_norm_args& a) {
  const ts_index n = TS_BLOCK_Y;
  int r0, r1;
  ts_group_norm_rows(a, &r0, &r1);
  const T* x = static_cast<const T*>(a.x);
  const T* grad = static_cast<const T*>(a.grad);
  T* dx = static_cast<T*>(a.out);
  for (int c = TS_THREAD_X * 4; c < a.channels; c += TS_THREADS_X * 4) {
    const ts_index nc = n * a.channels + c;
    const ts_group_norm_channels ch = ts_group_norm_load_channels(a, n, c);
    const ts_float4 coef_dz = ts_load4(a.coef_dz + nc), coef_xhat = ts_load4(a.coef_xhat + nc);
    const ts_float4 coef_one = ts_load4(a.coef_one + nc);
    const ts_index first = (n * a.hw + r0) * a.channels + c;
    TS_UNROLL
    for (int r = r0; r < r1; ++r) {
      const ts_index i = first + static_cast<ts_index>(r - r0) * a.channels;
      const ts_float4 v = ts_load4(x + i), g = ts_load4(grad + i);
      ts_float4 out;
      for (int k = 0; k < 4; ++k) {
        const float dz = ts_group_norm_dz(ch, k, g.v[k], v.v[k], a.silu);
        out.v[k] = coef_dz.v[k] * dz + coef_xhat.v[k] * (v.v[k] - ch.mean.v[k]) + coef_one.v[k];
      }
      ts_store4(dx + i, out);
    }
  }
}

// The small kernels between the passes: one thread per (n, channel) — grid (ceil(C / threads),
// N) — or per channel. Each adds up its group's partials (chunks × C/G of them, a few hundred at
// most for SD2's shapes: the host keeps chunks ≤ 32) in double.

// Group statistics, then the channel's scale.
TS_KERNEL void ts_group_norm_finish_stats(ts_group_norm_args a) {
  const int c = static_cast<int>(TS_BLOCK_X * TS_THREADS_X + TS_THREAD_X);
  if (c >= a.channels) return;
  const ts_index n = TS_BLOCK_Y;
  const int per_group = a.channels / a.groups, first = c / per_group * per_group;
  double sum = 0, squares = 0;
  for (int d = 0; d < per_group; ++d) {
    double shifted = 0, shifted_squares = 0;  // of x − pivot over the channel
    for (int k = 0; k < a.chunks; ++k) {
      const float* p = a.partial + ((n * a.chunks + k) * a.channels + first + d) * 2;
      shifted += p[0];
      shifted_squares += p[1];
    }
    const double pivot = a.pivot[n * a.channels + first + d];
    sum += shifted + a.hw * pivot;
    squares += shifted_squares + 2 * pivot * shifted + a.hw * pivot * pivot;
  }
  const double count = static_cast<double>(a.hw) * per_group;
  const double mean = sum / count;
  double var = squares / count - mean * mean;
  if (var < 0) var = 0;
  const double rstd = 1.0 / sqrt(var + static_cast<double>(a.eps));
  const ts_index nc = n * a.channels + c;
  a.scale[nc] = static_cast<float>(rstd * a.weight[c]);
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
  for (int d = 0; d < per_group; ++d) {
    double dz = 0, dz_xhat = 0;
    for (int k = 0; k < a.chunks; ++k) {
      const float* p = a.partial + ((n * a.chunks + k) * a.channels + first + d) * 2;
      dz += p[0];
      dz_xhat += p[1];
    }
    const double w = a.weight[first + d];
    weighted_dz += w * dz;
    weighted_dz_xhat += w * dz_xhat;
    if (first + d == c) {
      own_dz = dz;
      own_dz_xhat = dz_xhat;
    }
  }
  const ts_index nc = n * a.channels + c;
  const double count = static_cast<double>(a.hw) * per_group;
  const double rstd = a.rstd[nc], w = a.weight[c];
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

// The entry points of the passes, one per storage type: ts_group_norm_<pass>_<f32|bf16|f16>.
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
