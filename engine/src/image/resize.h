#pragma once
// Image resampling for shard writing and perceptual hashing, torch-free: separable convolution
// with the kernel widened by the scale factor when shrinking (antialiased, like Pillow's
// resize), so downscaling never aliases.

#include "image/png_io.h"  // Image

#include <array>

namespace tessera::image {

enum class ResizeFilter {
  Box,       // area average: exact for integer factors, the fastest
  Lanczos3,  // sharp, high quality (the default)
};

// Any channel count; width and height >= 1.
Image resize(const Image& in, int width, int height, ResizeFilter filter = ResizeFilter::Lanczos3);

// The largest centred square, resized to side x side.
Image center_crop_resize(const Image& in, int side, ResizeFilter filter = ResizeFilter::Lanczos3);

// 32x32 luma (ITU-R BT.601 weights, 0..255) by area averaging, row-major: the input of the
// perceptual hash.
std::array<float, 32 * 32> gray_32x32(const Image& rgb);

}  // namespace tessera::image
