// Format detection, header probes and the decode dispatcher: every format ends as 8-bit RGB.

#include "image/image_decode.h"

#include "tessera/error.h"

#include <cstring>
#include <utility>
#include <string>

namespace tessera::image {
namespace {

uint32_t be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

// The IHDR chunk must come first in a PNG: width and height without running libpng.
ImageInfo probe_png(const uint8_t* data, size_t size) {
  if (size < 33) throw Error("corrupt PNG: file is truncated (no complete header)");
  if (be32(data + 8) != 13 || std::memcmp(data + 12, "IHDR", 4) != 0) throw Error("corrupt PNG: first chunk is not IHDR");
  ImageInfo info;
  info.format = ImageFormat::Png;
  const uint32_t w = be32(data + 16);
  const uint32_t h = be32(data + 20);
  if (w == 0 || h == 0 || w > 0x7FFFFFFFu || h > 0x7FFFFFFFu) throw Error("corrupt PNG: invalid image size");
  info.width = static_cast<int>(w);
  info.height = static_cast<int>(h);
  return info;
}

void check_limits(const ImageInfo& info, const DecodeLimits& limits) {
  const uint64_t w = static_cast<uint64_t>(info.width);
  const uint64_t h = static_cast<uint64_t>(info.height);
  if (w > static_cast<uint64_t>(limits.max_side) || h > static_cast<uint64_t>(limits.max_side) ||
      w * h > limits.max_pixels) {
    throw Error("image is " + std::to_string(w) + "x" + std::to_string(h) + ", over the decoding limit (" +
                    std::to_string(limits.max_side) + " px a side, " + std::to_string(limits.max_pixels) + " pixels)",
                "downscale it before importing, or raise the limit");
  }
}

// Grey, grey+alpha (already RGBA from png_io), RGB, RGBA -> RGB, alpha over white.
Image to_rgb(Image in) {
  if (in.channels == 3) return in;
  Image out{in.width, in.height, 3, {}};
  const size_t pixels = static_cast<size_t>(in.width) * in.height;
  out.pixels.resize(pixels * 3);
  for (size_t i = 0; i < pixels; ++i) {
    if (in.channels == 1) {
      out.pixels[i * 3] = out.pixels[i * 3 + 1] = out.pixels[i * 3 + 2] = in.pixels[i];
    } else if (in.channels == 4) {
      const int a = in.pixels[i * 4 + 3];
      for (int c = 0; c < 3; ++c) {
        out.pixels[i * 3 + c] = static_cast<uint8_t>((in.pixels[i * 4 + c] * a + 255 * (255 - a) + 127) / 255);
      }
    } else {
      throw Error("unexpected channel count " + std::to_string(in.channels));
    }
  }
  return out;
}

}  // namespace

const char* format_name(ImageFormat format) {
  switch (format) {
    case ImageFormat::Jpeg: return "jpeg";
    case ImageFormat::Png: return "png";
    case ImageFormat::Webp: return "webp";
    case ImageFormat::Gif: return "gif";
    case ImageFormat::Bmp: return "bmp";
    case ImageFormat::Tiff: return "tiff";
    case ImageFormat::Unknown: break;
  }
  return "unknown";
}

ImageFormat detect_format(const uint8_t* data, size_t size) {
  if (size >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) return ImageFormat::Jpeg;
  if (size >= 8 && std::memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0) return ImageFormat::Png;
  if (size >= 12 && std::memcmp(data, "RIFF", 4) == 0 && std::memcmp(data + 8, "WEBP", 4) == 0) return ImageFormat::Webp;
  if (size >= 6 && (std::memcmp(data, "GIF87a", 6) == 0 || std::memcmp(data, "GIF89a", 6) == 0)) return ImageFormat::Gif;
  if (size >= 2 && data[0] == 'B' && data[1] == 'M') return ImageFormat::Bmp;
  if (size >= 4 && (std::memcmp(data, "II*\0", 4) == 0 || std::memcmp(data, "MM\0*", 4) == 0)) return ImageFormat::Tiff;
  return ImageFormat::Unknown;
}

ImageInfo probe_image(const uint8_t* data, size_t size, const DecodeLimits& limits) {
  if (size == 0) throw Error("empty file");
  ImageInfo info;
  switch (const ImageFormat format = detect_format(data, size)) {
    case ImageFormat::Jpeg: info = detail::probe_jpeg(data, size); break;
    case ImageFormat::Png: info = probe_png(data, size); break;
    case ImageFormat::Webp: info = detail::probe_webp(data, size); break;
    case ImageFormat::Unknown: throw Error("unsupported file format (not JPEG, PNG or WebP)");
    default: throw Error(std::string("unsupported image format: ") + format_name(format), "convert it to PNG or JPEG");
  }
  check_limits(info, limits);
  return info;
}

Image decode_image(const uint8_t* data, size_t size, const DecodeLimits& limits, ImageInfo* info_out,
                   int min_side_hint) {
  const ImageInfo info = probe_image(data, size, limits);
  Image image;
  switch (info.format) {
    case ImageFormat::Jpeg: {
      int orientation = 1;
      Image stored = detail::decode_jpeg(data, size, limits, &orientation, min_side_hint);
      image = orientation > 1 ? apply_orientation(stored, orientation) : std::move(stored);
      break;
    }
    case ImageFormat::Png:
      image = to_rgb(decode_png(data, size, nullptr, PngReadLimits{limits.max_side, limits.max_pixels}));
      break;
    case ImageFormat::Webp: image = detail::decode_webp(data, size); break;
    default: throw Error("unsupported image format");
  }
  if (info_out != nullptr) *info_out = info;
  return image;
}

Image apply_orientation(const Image& in, int orientation) {
  if (orientation <= 1 || orientation > 8) return in;
  const int w = in.width;
  const int h = in.height;
  const int c = in.channels;
  const bool swap = orientation >= 5;
  Image out{swap ? h : w, swap ? w : h, c, std::vector<uint8_t>(in.pixels.size())};
  for (int y = 0; y < out.height; ++y) {
    for (int x = 0; x < out.width; ++x) {
      int sx = x;
      int sy = y;
      switch (orientation) {
        case 2: sx = w - 1 - x; break;                    // mirror left-right
        case 3: sx = w - 1 - x; sy = h - 1 - y; break;    // rotate 180
        case 4: sy = h - 1 - y; break;                    // mirror top-bottom
        case 5: sx = y; sy = x; break;                    // transpose
        case 6: sx = y; sy = h - 1 - x; break;            // rotate 90 clockwise
        case 7: sx = w - 1 - y; sy = h - 1 - x; break;    // transverse
        case 8: sx = w - 1 - y; sy = x; break;            // rotate 90 counter-clockwise
        default: break;
      }
      std::memcpy(&out.pixels[(static_cast<size_t>(y) * out.width + x) * c],
                  &in.pixels[(static_cast<size_t>(sy) * w + sx) * c], static_cast<size_t>(c));
    }
  }
  return out;
}

}  // namespace tessera::image
