#include "shards/half_convert.h"

#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define TESSERA_HAVE_F16C_PATH 1
#endif

namespace tessera::shards {
namespace {

// Exact fp16 -> fp32 bits (normal, subnormal, zero, infinity; NaN quiet, payload kept).
inline float half_bits_to_float(uint16_t h) {
  const uint32_t sign = uint32_t{h & 0x8000u} << 16;
  const uint32_t exp = (h >> 10) & 0x1Fu;
  uint32_t mant = h & 0x3FFu;
  uint32_t bits;
  if (exp == 0x1F) {  // infinity, or NaN made quiet with its payload kept (as F16C does)
    bits = sign | 0x7F800000u | (mant << 13) | (mant ? 0x00400000u : 0u);
  } else if (exp != 0) {
    bits = sign | ((exp + 112) << 23) | (mant << 13);
  } else if (mant == 0) {
    bits = sign;
  } else {  // subnormal: normalise
    uint32_t e = 113;
    while ((mant & 0x400u) == 0) {
      mant <<= 1;
      --e;
    }
    bits = sign | (e << 23) | ((mant & 0x3FFu) << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

bool half_scalar(const uint8_t* src, size_t count, float* dst) {
  uint16_t worst = 0;  // the largest |h| bits: >= 0x7C00 means infinity or NaN
  for (size_t i = 0; i < count; ++i) {
    uint16_t h;
    std::memcpy(&h, src + 2 * i, 2);
    dst[i] = half_bits_to_float(h);
    const uint16_t a = static_cast<uint16_t>(h & 0x7FFFu);
    worst = a > worst ? a : worst;
  }
  return worst < 0x7C00u;
}

#ifdef TESSERA_HAVE_F16C_PATH
__attribute__((target("avx,f16c,sse4.1"))) bool half_f16c(const uint8_t* src, size_t count, float* dst) {
  const __m128i magnitude = _mm_set1_epi16(0x7FFF);
  __m128i worst = _mm_setzero_si128();
  size_t i = 0;
  for (; i + 8 <= count; i += 8) {
    const __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + 2 * i));
    _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(h));
    worst = _mm_max_epi16(worst, _mm_and_si128(h, magnitude));  // magnitudes are non-negative int16
  }
  alignas(16) uint16_t lanes[8];
  _mm_store_si128(reinterpret_cast<__m128i*>(lanes), worst);
  uint16_t w = 0;
  for (uint16_t v : lanes) w = v > w ? v : w;
  const bool tail_ok = half_scalar(src + 2 * i, count - i, dst + i);
  return w < 0x7C00u && tail_ok;
}

bool cpu_has_f16c() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx") && __builtin_cpu_supports("f16c") && __builtin_cpu_supports("sse4.1");
}
#endif

}  // namespace

bool half_convert_uses_f16c() {
#ifdef TESSERA_HAVE_F16C_PATH
  static const bool has = cpu_has_f16c();
  return has;
#else
  return false;
#endif
}

bool half_to_float_finite(const uint8_t* src, size_t count, float* dst) {
#ifdef TESSERA_HAVE_F16C_PATH
  if (half_convert_uses_f16c()) return half_f16c(src, count, dst);
#endif
  return half_scalar(src, count, dst);
}

bool half_to_float_finite_scalar(const uint8_t* src, size_t count, float* dst) { return half_scalar(src, count, dst); }

bool float_copy_finite(const uint8_t* src, size_t count, float* dst) {
  std::memcpy(dst, src, count * 4);
  uint32_t worst = 0;  // the largest exponent field: 0xFF means infinity or NaN
  for (size_t i = 0; i < count; ++i) {
    uint32_t bits;
    std::memcpy(&bits, dst + i, 4);
    const uint32_t a = bits & 0x7F800000u;
    worst = a > worst ? a : worst;
  }
  return worst < 0x7F800000u;
}

}  // namespace tessera::shards
