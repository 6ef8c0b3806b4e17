#pragma once
// Decoding user images (JPEG via libjpeg-turbo, PNG via libpng, WebP via libwebp) to 8-bit RGB,
// torch-free. Every input is untrusted: the format is detected from the bytes (not the file
// name), sizes are checked against limits before any pixel buffer is allocated (decompression
// bombs), and every corrupt or truncated file becomes a tessera::Error naming the reason.

#include "image/png_io.h"  // Image

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tessera::image {

enum class ImageFormat { Unknown, Jpeg, Png, Webp, Gif, Bmp, Tiff };

// "jpeg", "png", "webp", "gif", ... ("unknown" for Unknown).
const char* format_name(ImageFormat format);

// From the first bytes (magic numbers) only.
ImageFormat detect_format(const uint8_t* data, size_t size);

struct DecodeLimits {
  int max_side = 32768;               // either dimension
  uint64_t max_pixels = 89478485ull;  // width * height; Pillow's MAX_IMAGE_PIXELS
};

// What the header says, without decoding pixels. Width and height are as displayed, i.e. after
// the EXIF orientation (a JPEG rotated by 90 degrees reports its stored height as width).
struct ImageInfo {
  ImageFormat format = ImageFormat::Unknown;
  int width = 0;
  int height = 0;
  int exif_orientation = 1;  // 1..8 (TIFF orientation tag); 1 = as stored
};

// Reads the header. Throws tessera::Error for unsupported formats, corrupt headers and images
// over `limits`.
ImageInfo probe_image(const uint8_t* data, size_t size, const DecodeLimits& limits = {});

// Decodes to RGB (channels == 3): grey is expanded, alpha is composited over white, CMYK is
// converted, and the EXIF orientation of JPEGs is applied. Throws tessera::Error naming the
// reason for unsupported, corrupt or truncated data and for images over `limits`.
//
// `min_side_hint` > 0 lets a JPEG decode at 1/2, 1/4 or 1/8 scale in the DCT domain (much
// faster) as long as the smaller side stays >= the hint; the result is then smaller than
// `info`'s full size. For callers that resize to at most that side anyway.
Image decode_image(const uint8_t* data, size_t size, const DecodeLimits& limits = {},
                   ImageInfo* info = nullptr, int min_side_hint = 0);

// Baseline JPEG of an RGB image (quality 1..100, 4:2:0 below 90, 4:4:4 from 90).
std::vector<uint8_t> encode_jpeg(const Image& rgb, int quality = 90);

// Rotates/flips `image` as the EXIF orientation tag (1..8) asks, so it displays upright.
Image apply_orientation(const Image& image, int orientation);

namespace detail {
// Per-format entry points (image_decode_jpeg.cpp, image_decode_webp.cpp); the dispatcher above
// is what callers use.
ImageInfo probe_jpeg(const uint8_t* data, size_t size);
Image decode_jpeg(const uint8_t* data, size_t size, const DecodeLimits& limits, int* orientation,
                  int min_side_hint = 0);
ImageInfo probe_webp(const uint8_t* data, size_t size);
Image decode_webp(const uint8_t* data, size_t size);
// The orientation tag (1..8) from an EXIF APP1 payload ("Exif\0\0" + TIFF); 1 when absent or
// unreadable.
int exif_orientation(const uint8_t* data, size_t size);
}  // namespace detail

}  // namespace tessera::image
