#include "demo/shapes_dataset.h"

#include "tessera/error.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <random>

namespace tessera::demo {
namespace {

int nearest_colour(double r, double g, double b) {
  int best = 0;
  double best_d = 1e30;
  const auto& p = palette();
  for (size_t i = 0; i < p.size(); ++i) {
    const double d = (r - p[i].r) * (r - p[i].r) + (g - p[i].g) * (g - p[i].g) + (b - p[i].b) * (b - p[i].b);
    if (d < best_d) best_d = d, best = static_cast<int>(i);
  }
  return best;
}

// Whether (x, y) in shape coordinates (centre 0, half side h) is inside the shape.
bool inside(Shape s, double x, double y, double h) {
  switch (s) {
    case Shape::Circle:
      return x * x + y * y <= h * h;
    case Shape::Square:
      return std::abs(x) <= h && std::abs(y) <= h;
    case Shape::Triangle:
      // Apex up at (0, -h), base from (-h, h) to (h, h): |x| <= h * (y + h) / (2h).
      return y >= -h && y <= h && std::abs(x) <= (y + h) / 2.0;
  }
  return false;
}

}  // namespace

const std::vector<PaletteColour>& palette() {
  static const std::vector<PaletteColour> p = {
      {"red", 220, 30, 30},   {"green", 30, 180, 50},   {"blue", 30, 60, 220},
      {"yellow", 240, 220, 30}, {"white", 245, 245, 245}, {"black", 15, 15, 15},
  };
  return p;
}

const char* shape_name(Shape s) {
  switch (s) {
    case Shape::Circle: return "circle";
    case Shape::Square: return "square";
    case Shape::Triangle: return "triangle";
  }
  return "?";
}

std::string ShapePrompt::caption() const {
  return std::string("a ") + palette()[static_cast<size_t>(colour)].name + " " + shape_name(shape) + " on a " +
         palette()[static_cast<size_t>(background)].name + " background";
}

std::vector<ShapePrompt> all_shape_prompts() {
  std::vector<ShapePrompt> out;
  const int n = static_cast<int>(palette().size());
  for (int c = 0; c < n; ++c)
    for (int s = 0; s < kShapeCount; ++s)
      for (int b = 0; b < n; ++b)
        if (b != c) out.push_back({c, b, static_cast<Shape>(s)});
  return out;
}

ShapeSplit split_shape_prompts(uint64_t seed, double fraction) {
  const std::vector<ShapePrompt> all = all_shape_prompts();
  const int n = static_cast<int>(palette().size());
  std::mt19937_64 rng(seed);
  const size_t want = static_cast<size_t>(std::lround(fraction * static_cast<double>(all.size())));
  for (int attempt = 0; attempt < 1000; ++attempt) {
    std::vector<ShapePrompt> order = all;
    std::shuffle(order.begin(), order.end(), rng);
    ShapeSplit split;
    split.held_out.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(std::min(want, order.size())));
    split.train.assign(order.begin() + static_cast<std::ptrdiff_t>(split.held_out.size()), order.end());
    // Every (colour as object, shape) and (colour as background, shape) must stay in training.
    std::vector<int> as_object(static_cast<size_t>(n * kShapeCount)), as_background(static_cast<size_t>(n * kShapeCount));
    for (const auto& p : split.train) {
      ++as_object[static_cast<size_t>(p.colour * kShapeCount + static_cast<int>(p.shape))];
      ++as_background[static_cast<size_t>(p.background * kShapeCount + static_cast<int>(p.shape))];
    }
    if (std::count(as_object.begin(), as_object.end(), 0) == 0 &&
        std::count(as_background.begin(), as_background.end(), 0) == 0) {
      return split;
    }
  }
  throw Error("cannot hold out " + std::to_string(want) + " shape combinations and keep every colour and shape in training",
              "hold out a smaller fraction");
}

RenderedImage render_shape(const ShapePrompt& prompt, int size, uint64_t variation) {
  if (size < 8) throw Error("shape images must be at least 8 pixels wide");
  std::mt19937_64 rng(variation * 0x9E3779B97F4A7C15ull + 1);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const double max_shift = size / 32.0;
  const double cx = size / 2.0 + (unit(rng) * 2 - 1) * max_shift;
  const double cy = size / 2.0 + (unit(rng) * 2 - 1) * max_shift;
  const double h = size * (0.55 + 0.07 * unit(rng)) / 2.0;
  const PaletteColour& fg = palette()[static_cast<size_t>(prompt.colour)];
  const PaletteColour& bg = palette()[static_cast<size_t>(prompt.background)];
  RenderedImage img;
  img.size = size;
  img.rgb.resize(static_cast<size_t>(size) * size * 3);
  constexpr int kSub = 4;
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      int hits = 0;
      for (int sy = 0; sy < kSub; ++sy)
        for (int sx = 0; sx < kSub; ++sx)
          hits += inside(prompt.shape, x + (sx + 0.5) / kSub - cx, y + (sy + 0.5) / kSub - cy, h) ? 1 : 0;
      const double a = hits / double(kSub * kSub);
      uint8_t* px = &img.rgb[(static_cast<size_t>(y) * size + x) * 3];
      px[0] = static_cast<uint8_t>(std::lround(a * fg.r + (1 - a) * bg.r));
      px[1] = static_cast<uint8_t>(std::lround(a * fg.g + (1 - a) * bg.g));
      px[2] = static_cast<uint8_t>(std::lround(a * fg.b + (1 - a) * bg.b));
    }
  }
  return img;
}

ShapeJudgement judge_shape_image(const uint8_t* rgb, int size, const ShapePrompt& expected) {
  ShapeJudgement j;
  auto at = [&](int x, int y) { return rgb + (static_cast<size_t>(y) * size + x) * 3; };
  // Background: the mean colour of the outermost ring of pixels.
  double br = 0, bgc = 0, bb = 0;
  int n = 0;
  const int ring = std::max(1, size / 16);
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x)
      if (x < ring || y < ring || x >= size - ring || y >= size - ring) {
        const uint8_t* p = at(x, y);
        br += p[0], bgc += p[1], bb += p[2], ++n;
      }
  j.background = nearest_colour(br / n, bgc / n, bb / n);
  // Object: the mean of a small block just below the centre (inside every shape: the triangle
  // is widest at the bottom).
  double orr = 0, og = 0, ob = 0;
  int m = 0;
  const int half = std::max(1, size / 16);
  const int cy = size / 2 + size / 10;
  for (int y = cy - half; y < cy + half; ++y)
    for (int x = size / 2 - half; x < size / 2 + half; ++x) {
      const uint8_t* p = at(x, y);
      orr += p[0], og += p[1], ob += p[2], ++m;
    }
  j.colour = nearest_colour(orr / m, og / m, ob / m);
  // Shape: pixels nearer the object colour than the background's; their fill of the bounding box.
  const PaletteColour& fg = palette()[static_cast<size_t>(j.colour)];
  const PaletteColour& bg = palette()[static_cast<size_t>(j.background)];
  int x0 = size, y0 = size, x1 = -1, y1 = -1, count = 0;
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x) {
      const uint8_t* p = at(x, y);
      const double df = std::pow(p[0] - fg.r, 2) + std::pow(p[1] - fg.g, 2) + std::pow(p[2] - fg.b, 2);
      const double db = std::pow(p[0] - bg.r, 2) + std::pow(p[1] - bg.g, 2) + std::pow(p[2] - bg.b, 2);
      if (df < db) {
        ++count;
        x0 = std::min(x0, x), y0 = std::min(y0, y), x1 = std::max(x1, x), y1 = std::max(y1, y);
      }
    }
  if (count > 0 && j.colour != j.background) {
    j.fill = count / double((x1 - x0 + 1) * (y1 - y0 + 1));
    j.shape = j.fill > 0.88 ? Shape::Square : j.fill > 0.64 ? Shape::Circle : Shape::Triangle;
  }
  j.colour_right = j.colour == expected.colour;
  j.background_right = j.background == expected.background;
  j.shape_right = j.colour != j.background && j.shape == expected.shape;
  return j;
}

}  // namespace tessera::demo
