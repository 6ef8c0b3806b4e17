#pragma once
// The demo project's synthetic data: a circle, square or triangle in one of six colours on a
// background of another, captioned "a red circle on a blue background". Also the judge that reads
// a generated image back into (object colour, background colour, shape), so the demo can say how
// well a model follows its prompts. Torch-free.

#include <cstdint>
#include <string>
#include <vector>

namespace tessera::demo {

struct PaletteColour {
  const char* name;
  uint8_t r, g, b;
};

enum class Shape : int { Circle = 0, Square = 1, Triangle = 2 };

// red, green, blue, yellow, white, black (exact values: the VAE and the judge rely on them).
const std::vector<PaletteColour>& palette();
const char* shape_name(Shape s);
constexpr int kShapeCount = 3;

struct ShapePrompt {
  int colour = 0;      // index into palette()
  int background = 1;  // index into palette(), never equal to colour
  Shape shape = Shape::Circle;
  std::string caption() const;  // "a red circle on a blue background"
  bool operator==(const ShapePrompt& o) const {
    return colour == o.colour && background == o.background && shape == o.shape;
  }
};

// Every (colour, shape, background) combination with colour != background: 6 x 3 x 5 = 90.
std::vector<ShapePrompt> all_shape_prompts();

struct ShapeSplit {
  std::vector<ShapePrompt> train;
  std::vector<ShapePrompt> held_out;  // never shown in training; the demo's grid uses them
};

// Holds out about `fraction` of the combinations, chosen with `seed`, such that every colour still
// appears in training as an object and as a background with every shape.
ShapeSplit split_shape_prompts(uint64_t seed, double fraction);

struct RenderedImage {
  int size = 0;
  std::vector<uint8_t> rgb;  // size * size * 3, row-major RGB8
};

// Renders `prompt` at size x size pixels: the shape centred (offset by up to `size`/32 pixels),
// its side 55-62% of the image, edges anti-aliased by 4x4 supersampling. `variation` picks the
// offset and side deterministically.
RenderedImage render_shape(const ShapePrompt& prompt, int size, uint64_t variation);

struct ShapeJudgement {
  int colour = -1;      // nearest palette colour of the shape's centre
  int background = -1;  // nearest palette colour of the image border
  Shape shape = Shape::Circle;
  double fill = 0;      // object pixels / their bounding box area
  bool colour_right = false, background_right = false, shape_right = false;
};

// Reads an RGB8 image (size x size) as the renderer draws them and compares it with `expected`.
ShapeJudgement judge_shape_image(const uint8_t* rgb, int size, const ShapePrompt& expected);

}  // namespace tessera::demo
