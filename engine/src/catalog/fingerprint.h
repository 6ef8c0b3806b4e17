#pragma once
// Content fingerprints for the catalog: SHA-256 of a file's bytes (exact duplicates, change
// detection) and a 64-bit DCT perceptual hash (near-duplicates survive resizing and
// recompression; compare with the Hamming distance).

#include "image/png_io.h"  // Image

#include <cstddef>
#include <cstdint>
#include <string>

namespace tessera::catalog {

std::string sha256_hex(const uint8_t* data, size_t size);

// pHash built like the `imagehash` Python package's (not bit-identical: its 32x32 resampling
// differs): the image as 32x32 luma (area average), a 2-D
// DCT-II, the 8x8 lowest frequencies, one bit per coefficient set when it is above their
// median; bits in row-major order, the first coefficient in the most significant bit.
uint64_t perceptual_hash(const image::Image& rgb);

inline int hamming_distance(uint64_t a, uint64_t b) { return __builtin_popcountll(a ^ b); }

}  // namespace tessera::catalog
