// Separable antialiased resampling: a coefficient table per axis, a horizontal pass into float
// rows, then a vertical pass with rounding back to 8 bits.

#include "image/resize.h"

#include "tessera/error.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace tessera::image {
namespace {

constexpr double kPi = 3.14159265358979323846;

double sinc(double x) {
  if (x == 0.0) return 1.0;
  x *= kPi;
  return std::sin(x) / x;
}

double kernel(ResizeFilter filter, double x) {
  if (filter == ResizeFilter::Box) return (x >= -0.5 && x < 0.5) ? 1.0 : 0.0;
  return (x > -3.0 && x < 3.0) ? sinc(x) * sinc(x / 3.0) : 0.0;
}

double support(ResizeFilter filter) { return filter == ResizeFilter::Box ? 0.5 : 3.0; }

// For each output position: the first input index and its normalised weights.
struct Coefficients {
  std::vector<int> first;
  std::vector<int> count;
  std::vector<float> weights;  // out_size * stride
  int stride = 0;
};

Coefficients coefficients(int in_size, int out_size, ResizeFilter filter) {
  const double scale = static_cast<double>(in_size) / out_size;
  const double filter_scale = std::max(scale, 1.0);
  const double radius = support(filter) * filter_scale;
  Coefficients c;
  c.stride = static_cast<int>(std::ceil(radius)) * 2 + 1;
  c.first.resize(out_size);
  c.count.resize(out_size);
  c.weights.assign(static_cast<size_t>(out_size) * c.stride, 0.0f);
  for (int i = 0; i < out_size; ++i) {
    const double center = (i + 0.5) * scale;
    const int lo = std::max(0, static_cast<int>(center - radius + 0.5));
    const int hi = std::min(in_size, static_cast<int>(center + radius + 0.5));
    const int n = std::min(hi - lo, c.stride);
    double total = 0.0;
    std::vector<double> w(static_cast<size_t>(std::max(n, 0)));
    for (int j = 0; j < n; ++j) {
      w[j] = kernel(filter, (lo + j + 0.5 - center) / filter_scale);
      total += w[j];
    }
    c.first[i] = lo;
    c.count[i] = n;
    if (total == 0.0) {  // cannot happen for sane sizes; fall back to nearest
      c.count[i] = 1;
      c.first[i] = std::min(in_size - 1, static_cast<int>(center));
      c.weights[static_cast<size_t>(i) * c.stride] = 1.0f;
      continue;
    }
    for (int j = 0; j < n; ++j) c.weights[static_cast<size_t>(i) * c.stride + j] = static_cast<float>(w[j] / total);
  }
  return c;
}

uint8_t to_u8(float v) {
  const int i = static_cast<int>(v + 0.5f);
  return static_cast<uint8_t>(i < 0 ? 0 : i > 255 ? 255 : i);
}

// One row of the horizontal pass, with the channel count fixed at compile time so the
// accumulators stay in registers.
template <int CH>
void horizontal_row(const uint8_t* src, float* dst, int width, const Coefficients& cx) {
  for (int x = 0; x < width; ++x) {
    float acc[CH] = {};
    const float* w = cx.weights.data() + static_cast<size_t>(x) * cx.stride;
    const uint8_t* p = src + static_cast<size_t>(cx.first[x]) * CH;
    const int n = cx.count[x];
    for (int k = 0; k < n; ++k) {
      for (int c = 0; c < CH; ++c) acc[c] += w[k] * static_cast<float>(p[k * CH + c]);
    }
    for (int c = 0; c < CH; ++c) dst[x * CH + c] = acc[c];
  }
}

// Resamples the w x h region at (x0, y0) of `in` to width x height. Reading the region in place
// (no cropped copy) and keeping the horizontal pass's float rows in a per-thread scratch buffer
// matter: fresh multi-megabyte buffers cost more in page faults and zeroing than the arithmetic
// (measured with `tessera bench decode-resize`, docs/PERFORMANCE.md).
Image resize_region(const Image& in, int x0, int y0, int w, int h, int width, int height, ResizeFilter filter) {
  if (in.width <= 0 || in.height <= 0 || in.channels <= 0 ||
      in.pixels.size() != static_cast<size_t>(in.width) * in.height * in.channels) {
    throw Error("resize: the input image is empty or inconsistent");
  }
  if (width <= 0 || height <= 0) {
    throw Error("resize: invalid target size " + std::to_string(width) + "x" + std::to_string(height));
  }
  const int ch = in.channels;
  const Coefficients cx = coefficients(w, width, filter);
  const Coefficients cy = coefficients(h, height, filter);

  // Horizontal pass into float rows (every value is written, so the buffer needs no clearing).
  constexpr size_t kKeepScratch = size_t(16) << 20;  // bytes kept per thread between calls
  thread_local std::vector<float> scratch;
  std::vector<float> large;
  const size_t needed = static_cast<size_t>(h) * width * ch;
  std::vector<float>& rows = needed * sizeof(float) <= kKeepScratch ? scratch : large;
  if (rows.size() < needed) rows.resize(needed);
  std::vector<float> acc(static_cast<size_t>(ch));
  for (int y = 0; y < h; ++y) {
    const uint8_t* src = in.pixels.data() + (static_cast<size_t>(y0 + y) * in.width + x0) * ch;
    float* dst = rows.data() + static_cast<size_t>(y) * width * ch;
    if (ch == 3) {
      horizontal_row<3>(src, dst, width, cx);
      continue;
    }
    if (ch == 1) {
      horizontal_row<1>(src, dst, width, cx);
      continue;
    }
    for (int x = 0; x < width; ++x) {
      std::fill(acc.begin(), acc.end(), 0.0f);
      const float* wt = cx.weights.data() + static_cast<size_t>(x) * cx.stride;
      const uint8_t* p = src + static_cast<size_t>(cx.first[x]) * ch;
      for (int k = 0; k < cx.count[x]; ++k) {
        for (int c = 0; c < ch; ++c) acc[c] += wt[k] * p[k * ch + c];
      }
      for (int c = 0; c < ch; ++c) dst[x * ch + c] = acc[c];
    }
  }
  Image out{width, height, ch, std::vector<uint8_t>(static_cast<size_t>(width) * height * ch)};
  const size_t row_len = static_cast<size_t>(width) * ch;
  std::vector<float> line(row_len);
  for (int y = 0; y < height; ++y) {
    std::fill(line.begin(), line.end(), 0.0f);
    const float* wt = cy.weights.data() + static_cast<size_t>(y) * cy.stride;
    for (int k = 0; k < cy.count[y]; ++k) {
      const float* src = rows.data() + static_cast<size_t>(cy.first[y] + k) * row_len;
      const float wk = wt[k];
      for (size_t i = 0; i < row_len; ++i) line[i] += wk * src[i];
    }
    uint8_t* dst = out.pixels.data() + static_cast<size_t>(y) * row_len;
    for (size_t i = 0; i < row_len; ++i) dst[i] = to_u8(line[i]);
  }
  return out;
}

}  // namespace

Image resize(const Image& in, int width, int height, ResizeFilter filter) {
  return resize_region(in, 0, 0, in.width, in.height, width, height, filter);
}

Image center_crop_resize(const Image& in, int side, ResizeFilter filter) {
  if (in.width <= 0 || in.height <= 0) throw Error("center_crop_resize: empty image");
  const int s = std::min(in.width, in.height);
  const int x0 = (in.width - s) / 2;
  const int y0 = (in.height - s) / 2;
  if (s != side) return resize_region(in, x0, y0, s, s, side, side, filter);
  Image crop{s, s, in.channels, std::vector<uint8_t>(static_cast<size_t>(s) * s * in.channels)};
  const size_t row = static_cast<size_t>(s) * in.channels;
  for (int y = 0; y < s; ++y) {
    const uint8_t* src = in.pixels.data() + (static_cast<size_t>(y0 + y) * in.width + x0) * in.channels;
    std::copy(src, src + row, crop.pixels.data() + static_cast<size_t>(y) * row);
  }
  return crop;
}

std::array<float, 32 * 32> gray_32x32(const Image& rgb) {
  if (rgb.channels != 3) throw Error("gray_32x32 needs an RGB image");
  Image gray{rgb.width, rgb.height, 1, std::vector<uint8_t>(static_cast<size_t>(rgb.width) * rgb.height)};
  for (size_t i = 0; i < gray.pixels.size(); ++i) {
    const uint8_t* p = rgb.pixels.data() + i * 3;
    gray.pixels[i] = static_cast<uint8_t>((299 * p[0] + 587 * p[1] + 114 * p[2] + 500) / 1000);
  }
  const Image small = resize(gray, 32, 32, ResizeFilter::Box);
  std::array<float, 32 * 32> out{};
  for (size_t i = 0; i < out.size(); ++i) out[i] = small.pixels[i];
  return out;
}

}  // namespace tessera::image
