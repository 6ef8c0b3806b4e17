// WebP through libwebp: still images only (an animated WebP is reported as unsupported).

#include "image/image_decode.h"

#include "tessera/error.h"

#include <webp/decode.h>

#include <string>

namespace tessera::image::detail {
namespace {

WebPBitstreamFeatures features_of(const uint8_t* data, size_t size) {
  WebPBitstreamFeatures f;
  const VP8StatusCode status = WebPGetFeatures(data, size, &f);
  switch (status) {
    case VP8_STATUS_OK: break;
    case VP8_STATUS_NOT_ENOUGH_DATA: throw Error("corrupt WebP: file is truncated");
    case VP8_STATUS_UNSUPPORTED_FEATURE: throw Error("unsupported WebP feature");
    default: throw Error("corrupt WebP: bad header (libwebp status " + std::to_string(static_cast<int>(status)) + ")");
  }
  if (f.has_animation) throw Error("unsupported: animated WebP");
  if (f.width <= 0 || f.height <= 0) throw Error("corrupt WebP: image has no pixels");
  return f;
}

}  // namespace

ImageInfo probe_webp(const uint8_t* data, size_t size) {
  const WebPBitstreamFeatures f = features_of(data, size);
  ImageInfo info;
  info.format = ImageFormat::Webp;
  info.width = f.width;
  info.height = f.height;
  return info;
}

// The caller checked the limits with probe_webp.
Image decode_webp(const uint8_t* data, size_t size) {
  const WebPBitstreamFeatures f = features_of(data, size);
  Image image;
  image.width = f.width;
  image.height = f.height;
  image.channels = 3;
  const size_t pixels = static_cast<size_t>(f.width) * f.height;
  if (!f.has_alpha) {
    image.pixels.resize(pixels * 3);
    if (WebPDecodeRGBInto(data, size, image.pixels.data(), image.pixels.size(), f.width * 3) == nullptr) {
      throw Error("corrupt WebP: the image data cannot be decoded (damaged or truncated)");
    }
    return image;
  }
  std::vector<uint8_t> rgba(pixels * 4);
  if (WebPDecodeRGBAInto(data, size, rgba.data(), rgba.size(), f.width * 4) == nullptr) {
    throw Error("corrupt WebP: the image data cannot be decoded (damaged or truncated)");
  }
  image.pixels.resize(pixels * 3);
  for (size_t i = 0; i < pixels; ++i) {
    const int a = rgba[i * 4 + 3];
    for (int c = 0; c < 3; ++c) {
      image.pixels[i * 3 + c] = static_cast<uint8_t>((rgba[i * 4 + c] * a + 255 * (255 - a) + 127) / 255);
    }
  }
  return image;
}

}  // namespace tessera::image::detail
