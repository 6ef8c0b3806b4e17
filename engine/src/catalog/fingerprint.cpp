#include "catalog/fingerprint.h"

#include "image/resize.h"
#include "tessera/error.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>

namespace tessera::catalog {

std::string sha256_hex(const uint8_t* data, size_t size) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), data, size) != 1 || EVP_DigestFinal_ex(ctx.get(), digest, &length) != 1) {
    throw Error("SHA-256 failed (OpenSSL)");
  }
  static const char* const kHex = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

uint64_t perceptual_hash(const image::Image& rgb) {
  const std::array<float, 32 * 32> gray = image::gray_32x32(rgb);
  // cos_table[k][n] = cos(pi * (2n + 1) * k / 64): DCT-II basis for the 8 lowest frequencies.
  static const auto cos_table = [] {
    std::array<std::array<double, 32>, 8> t{};
    for (int k = 0; k < 8; ++k)
      for (int n = 0; n < 32; ++n) t[k][n] = std::cos(M_PI * (2 * n + 1) * k / 64.0);
    return t;
  }();
  // Rows first (32 x 8), then columns (8 x 8).
  std::array<double, 32 * 8> rows{};
  for (int y = 0; y < 32; ++y)
    for (int k = 0; k < 8; ++k) {
      double sum = 0.0;
      for (int x = 0; x < 32; ++x) sum += gray[y * 32 + x] * cos_table[k][x];
      rows[y * 8 + k] = sum;
    }
  std::array<double, 64> dct{};
  for (int ky = 0; ky < 8; ++ky)
    for (int kx = 0; kx < 8; ++kx) {
      double sum = 0.0;
      for (int y = 0; y < 32; ++y) sum += rows[y * 8 + kx] * cos_table[ky][y];
      dct[ky * 8 + kx] = sum;
    }
  std::array<double, 64> sorted = dct;
  std::nth_element(sorted.begin(), sorted.begin() + 32, sorted.end());
  const double upper = sorted[32];
  const double lower = *std::max_element(sorted.begin(), sorted.begin() + 32);
  const double median = (upper + lower) / 2.0;
  uint64_t hash = 0;
  for (int i = 0; i < 64; ++i) hash = (hash << 1) | (dct[i] > median ? 1u : 0u);
  return hash;
}

}  // namespace tessera::catalog
