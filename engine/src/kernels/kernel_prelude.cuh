// What the engine's runtime-compiled kernels share: the few macros that let one source be both
// CUDA (compiled on the GPU node by NVRTC, core/runtime_kernels.h) and plain C++ (compiled into
// the engine, where tests run every block and thread of a launch one after another on the CPU),
// and exact bf16/fp16 conversions written with integer operations only, so that both builds
// round the same way as LibTorch (to nearest, ties to even) without CUDA's headers.
//
// Kept to the subset of C++ that NVRTC takes without any include: no standard headers here (the
// C++ side includes <cmath> and <cstring> before this file).

#ifndef TS_KERNEL_PRELUDE
#define TS_KERNEL_PRELUDE

#if defined(__CUDACC_RTC__) || defined(__CUDACC__)
#define TS_DEVICE_CODE 1
#define TS_KERNEL extern "C" __global__
#define TS_FUNCTION __device__ __forceinline__
#define TS_BLOCK_X blockIdx.x
#define TS_BLOCK_Y blockIdx.y
#define TS_THREAD_X threadIdx.x
#define TS_THREADS_X blockDim.x
#define TS_UNROLL _Pragma("unroll 4")
#else
// The CPU's stand-in for CUDA's built-in launch coordinates; the emulating loop sets them before
// each call of a kernel function.
struct ts_launch_coords {
  unsigned block_x, block_y, thread_x, threads_x;
};
inline thread_local ts_launch_coords ts_coords{};
#define TS_KERNEL inline
#define TS_FUNCTION inline
#define TS_BLOCK_X ts_coords.block_x
#define TS_BLOCK_Y ts_coords.block_y
#define TS_THREAD_X ts_coords.thread_x
#define TS_THREADS_X ts_coords.threads_x
#define TS_UNROLL
#endif

typedef long long ts_index;

// Storage types: the bits of a bfloat16 and of an IEEE half.
struct ts_bf16 {
  unsigned short bits;
};
struct ts_f16 {
  unsigned short bits;
};

TS_FUNCTION float ts_bits_to_float(unsigned int u) {
#ifdef TS_DEVICE_CODE
  return __uint_as_float(u);
#else
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
#endif
}

TS_FUNCTION unsigned int ts_float_to_bits(float f) {
#ifdef TS_DEVICE_CODE
  return __float_as_uint(f);
#else
  unsigned int u;
  std::memcpy(&u, &f, sizeof u);
  return u;
#endif
}

TS_FUNCTION float ts_load(const float* p) { return *p; }
TS_FUNCTION void ts_store(float* p, float v) { *p = v; }

TS_FUNCTION float ts_load(const ts_bf16* p) { return ts_bits_to_float(static_cast<unsigned int>(p->bits) << 16); }

TS_FUNCTION void ts_store(ts_bf16* p, float v) {
  const unsigned int u = ts_float_to_bits(v);
  if ((u & 0x7fffffffu) > 0x7f800000u) {
    p->bits = 0x7fc0;  // NaN, as c10::BFloat16 makes it
    return;
  }
  p->bits = static_cast<unsigned short>((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
}

TS_FUNCTION float ts_load(const ts_f16* p) {
  const unsigned int h = p->bits;
  const unsigned int sign = (h & 0x8000u) << 16;
  const unsigned int exponent = (h >> 10) & 0x1fu;
  const unsigned int mantissa = h & 0x3ffu;
  if (exponent == 0) {  // zero or subnormal: mantissa * 2^-24
    const float magnitude = static_cast<float>(mantissa) * 5.9604644775390625e-8f;
    return sign != 0 ? -magnitude : magnitude;
  }
  if (exponent == 31) return ts_bits_to_float(sign | 0x7f800000u | (mantissa << 13));
  return ts_bits_to_float(sign | ((exponent + 112u) << 23) | (mantissa << 13));
}

TS_FUNCTION void ts_store(ts_f16* p, float v) {
  unsigned int u = ts_float_to_bits(v);
  const unsigned int sign = (u >> 16) & 0x8000u;
  u &= 0x7fffffffu;
  unsigned int h;
  if (u >= 0x7f800000u) {
    h = u > 0x7f800000u ? 0x7e00u : 0x7c00u;  // NaN stays NaN, infinity stays infinity
  } else if (u >= 0x477ff000u) {
    h = 0x7c00u;  // 65520 and above round to infinity
  } else if (u < 0x38800000u) {
    // Below the smallest normal half (2^-14): a multiple of 2^-24, rounded to nearest even (the
    // rounding mode rintf uses); 1024 of them is the smallest normal's bit pattern.
    h = static_cast<unsigned int>(rintf(ts_bits_to_float(u) * 16777216.0f));
  } else {
    // Rebias the exponent (127 - 15 = 112) and round the 13 dropped bits to nearest even.
    h = (u + 0xc8000fffu + ((u >> 13) & 1u)) >> 13;
  }
  p->bits = static_cast<unsigned short>(sign | h);
}

// Four neighbouring elements at once (p 4-element aligned): one 8- or 16-byte access on the
// device, so that a warp moves 256 bytes or more per request.
struct ts_float4 {
  float v[4];
};

TS_FUNCTION ts_float4 ts_load4(const float* p) {
#ifdef TS_DEVICE_CODE
  const float4 q = *reinterpret_cast<const float4*>(p);
  return {{q.x, q.y, q.z, q.w}};
#else
  return {{p[0], p[1], p[2], p[3]}};
#endif
}

TS_FUNCTION void ts_store4(float* p, const ts_float4& f) {
#ifdef TS_DEVICE_CODE
  *reinterpret_cast<float4*>(p) = make_float4(f.v[0], f.v[1], f.v[2], f.v[3]);
#else
  for (int i = 0; i < 4; ++i) p[i] = f.v[i];
#endif
}

// bf16 and fp16: four 16-bit values in one 8-byte access.
template <typename T>
TS_FUNCTION ts_float4 ts_load4(const T* p) {
#ifdef TS_DEVICE_CODE
  const uint2 q = *reinterpret_cast<const uint2*>(p);
  T e[4];
  e[0].bits = static_cast<unsigned short>(q.x & 0xffffu);
  e[1].bits = static_cast<unsigned short>(q.x >> 16);
  e[2].bits = static_cast<unsigned short>(q.y & 0xffffu);
  e[3].bits = static_cast<unsigned short>(q.y >> 16);
  return {{ts_load(&e[0]), ts_load(&e[1]), ts_load(&e[2]), ts_load(&e[3])}};
#else
  return {{ts_load(p), ts_load(p + 1), ts_load(p + 2), ts_load(p + 3)}};
#endif
}

template <typename T>
TS_FUNCTION void ts_store4(T* p, const ts_float4& f) {
#ifdef TS_DEVICE_CODE
  T e[4];
  for (int i = 0; i < 4; ++i) ts_store(&e[i], f.v[i]);
  uint2 q;
  q.x = static_cast<unsigned int>(e[0].bits) | (static_cast<unsigned int>(e[1].bits) << 16);
  q.y = static_cast<unsigned int>(e[2].bits) | (static_cast<unsigned int>(e[3].bits) << 16);
  *reinterpret_cast<uint2*>(p) = q;
#else
  for (int i = 0; i < 4; ++i) ts_store(p + i, f.v[i]);
#endif
}

#endif  // TS_KERNEL_PRELUDE
