#pragma once
// PNG files in and out (libpng), torch-free. Reading is defensive: PNGs come from users and
// from the internet, so size limits and libpng's error paths turn every bad file into a
// tessera::Error. Writing is atomic (temporary file + rename) and carries text chunks such as
// the AUTOMATIC1111 "parameters" chunk other tools read.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace tessera::image {

// 8-bit pixels, row-major, channels interleaved (HWC): 1 = grey, 3 = RGB, 4 = RGBA.
struct Image {
  int width = 0;
  int height = 0;
  int channels = 0;
  std::vector<uint8_t> pixels;
};

struct PngReadLimits {
  int max_side = 16384;                    // either dimension
  uint64_t max_pixels = 16384ull * 16384;  // width * height
};

// Decodes any PNG (palette, grey, 16-bit, interlaced, with or without alpha) to 8-bit grey,
// RGB or RGBA as stored. `text`, when given, receives the tEXt/zTXt/iTXt chunks.
Image read_png(const std::string& path, std::map<std::string, std::string>* text = nullptr,
               const PngReadLimits& limits = {});
Image decode_png(const uint8_t* data, size_t size, std::map<std::string, std::string>* text = nullptr,
                 const PngReadLimits& limits = {});

// Encodes `image` (1, 3 or 4 channels) with the given text chunks, in order. A value that is
// Latin-1 goes into a tEXt chunk; anything else into an uncompressed iTXt chunk (UTF-8).
std::vector<uint8_t> encode_png(const Image& image,
                                const std::vector<std::pair<std::string, std::string>>& text = {});

// encode_png, written to `path` atomically: the file appears complete or not at all.
void write_png(const std::string& path, const Image& image,
               const std::vector<std::pair<std::string, std::string>>& text = {});

}  // namespace tessera::image
