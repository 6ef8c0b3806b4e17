#pragma once
// Test images for the catalog and decoding suites, generated in code: smooth random patterns
// (stable under resizing, like photographs) encoded with the real libraries.

#include "image/image_decode.h"
#include "image/png_io.h"

#include <webp/encode.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QString>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace tessera::test {

// Low-frequency blobs and waves from `seed`: different seeds give unrelated pictures.
inline image::Image pattern(int w, int h, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  struct Blob { double x, y, r, c[3]; };
  std::vector<Blob> blobs(6);
  for (auto& b : blobs) b = {u(rng), u(rng), 0.1 + 0.3 * u(rng), {u(rng), u(rng), u(rng)}};
  const double fx = 1 + 4 * u(rng), fy = 1 + 4 * u(rng), phase = 6.28 * u(rng);
  image::Image im{w, h, 3, std::vector<uint8_t>(static_cast<size_t>(w) * h * 3)};
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const double nx = (x + 0.5) / w, ny = (y + 0.5) / h;
      double v[3] = {0.3, 0.3, 0.3};
      for (const auto& b : blobs) {
        const double d2 = ((nx - b.x) * (nx - b.x) + (ny - b.y) * (ny - b.y)) / (b.r * b.r);
        const double k = std::exp(-d2);
        for (int c = 0; c < 3; ++c) v[c] += 0.6 * k * (b.c[c] - 0.3);
      }
      const double wave = 0.15 * std::sin(fx * 6.28 * nx + phase) * std::cos(fy * 6.28 * ny);
      for (int c = 0; c < 3; ++c) {
        im.pixels[(static_cast<size_t>(y) * w + x) * 3 + c] =
            static_cast<uint8_t>(std::clamp(255.0 * (v[c] + wave), 0.0, 255.0));
      }
    }
  return im;
}

inline std::vector<uint8_t> encode_webp(const image::Image& rgb, bool lossless = false) {
  uint8_t* out = nullptr;
  const size_t size = lossless ? WebPEncodeLosslessRGB(rgb.pixels.data(), rgb.width, rgb.height, rgb.width * 3, &out)
                               : WebPEncodeRGB(rgb.pixels.data(), rgb.width, rgb.height, rgb.width * 3, 90.0f, &out);
  if (size == 0) throw std::runtime_error("WebP encoding failed");
  std::vector<uint8_t> bytes(out, out + size);
  WebPFree(out);
  return bytes;
}

inline void write_bytes(const QString& path, const std::vector<uint8_t>& bytes) {
  QDir().mkpath(QFileInfo(path).absolutePath());
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly)) throw std::runtime_error("cannot write " + path.toStdString());
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<qint64>(bytes.size()));
}

inline void write_text(const QString& path, const QByteArray& text) {
  QDir().mkpath(QFileInfo(path).absolutePath());
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly)) throw std::runtime_error("cannot write " + path.toStdString());
  f.write(text);
}

// A JPEG with an EXIF APP1 segment carrying `orientation`, inserted after SOI.
inline std::vector<uint8_t> with_exif_orientation(const std::vector<uint8_t>& jpeg, int orientation) {
  const uint8_t tiff[] = {'M', 'M', 0, 42, 0, 0, 0, 8,  // big-endian TIFF, IFD0 at 8
                          0, 1,                          // one entry
                          0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, static_cast<uint8_t>(orientation), 0, 0,
                          0, 0, 0, 0};                   // no next IFD
  std::vector<uint8_t> payload = {'E', 'x', 'i', 'f', 0, 0};
  payload.insert(payload.end(), std::begin(tiff), std::end(tiff));
  const size_t length = payload.size() + 2;
  std::vector<uint8_t> out(jpeg.begin(), jpeg.begin() + 2);
  out.insert(out.end(), {0xFF, 0xE1, static_cast<uint8_t>(length >> 8), static_cast<uint8_t>(length & 0xFF)});
  out.insert(out.end(), payload.begin(), payload.end());
  out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
  return out;
}

}  // namespace tessera::test
