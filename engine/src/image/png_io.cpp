#include "image/png_io.h"

#include "core/atomic_file.h"
#include "tessera/error.h"

#include <png.h>

#include <cstring>
#include <fstream>
#include <iterator>

namespace tessera::image {
namespace {

struct ReadState {
  const uint8_t* data;
  size_t size;
  size_t offset;
};

void read_from_memory(png_structp png, png_bytep out, png_size_t length) {
  auto* state = static_cast<ReadState*>(png_get_io_ptr(png));
  if (length > state->size - state->offset) png_error(png, "file is truncated");
  std::memcpy(out, state->data + state->offset, length);
  state->offset += length;
}

void write_to_vector(png_structp png, png_bytep in, png_size_t length) {
  auto* out = static_cast<std::vector<uint8_t>*>(png_get_io_ptr(png));
  out->insert(out->end(), in, in + length);
}

void flush_nothing(png_structp) {}

// libpng reports errors by longjmp; the message is kept here and turned into an exception only
// after the jump, outside libpng's frames.
struct ErrorSlot {
  std::string message;
};

void on_error(png_structp png, png_const_charp message) {
  auto* slot = static_cast<ErrorSlot*>(png_get_error_ptr(png));
  if (slot != nullptr) slot->message = message != nullptr ? message : "unknown libpng error";
  png_longjmp(png, 1);
}

void on_warning(png_structp, png_const_charp) {}

bool is_latin1(const std::string& utf8) {
  for (size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) continue;
    // U+0080..U+00FF are C2 xx / C3 xx in UTF-8; anything else is outside Latin-1.
    if ((c == 0xC2 || c == 0xC3) && i + 1 < utf8.size()) {
      ++i;
      continue;
    }
    return false;
  }
  return true;
}

std::string utf8_to_latin1(const std::string& utf8) {
  std::string out;
  for (size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      out += static_cast<char>(((c & 0x03) << 6) | (static_cast<unsigned char>(utf8[++i]) & 0x3F));
    }
  }
  return out;
}

std::string latin1_to_utf8(const char* text, size_t length) {
  std::string out;
  for (size_t i = 0; i < length; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

// The libpng calls live in functions of their own, called after setjmp: the frames that call
// setjmp then modify no local object, so a longjmp cannot leave one half-updated.
// `rows` belongs to the caller: a vector created here would leak when libpng longjmps out.
[[gnu::noinline]] void decode_body(png_structp png, png_infop info, ReadState* state, const PngReadLimits& limits,
                                   Image* image, std::vector<png_bytep>* rows,
                                   std::map<std::string, std::string>* text) {
  if (info == nullptr) png_error(png, "out of memory");
  png_set_read_fn(png, state, read_from_memory);
  // Refuse absurd sizes before any allocation (decompression bombs).
  png_set_user_limits(png, static_cast<png_uint_32>(limits.max_side), static_cast<png_uint_32>(limits.max_side));
  png_set_chunk_malloc_max(png, 64u << 20);
  png_read_info(png, info);
  const png_uint_32 width = png_get_image_width(png, info);
  const png_uint_32 height = png_get_image_height(png, info);
  if (static_cast<uint64_t>(width) * height > limits.max_pixels) png_error(png, "image has too many pixels");
  const int color = png_get_color_type(png, info);
  const int depth = png_get_bit_depth(png, info);
  if (depth == 16) png_set_strip_16(png);
  if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (color == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
  // grey + alpha becomes RGBA, so callers see 1, 3 or 4 channels only
  if (color == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  image->width = static_cast<int>(width);
  image->height = static_cast<int>(height);
  image->channels = png_get_channels(png, info);
  const size_t row_bytes = png_get_rowbytes(png, info);
  if (row_bytes != static_cast<size_t>(image->width) * image->channels) png_error(png, "unexpected row layout");
  image->pixels.resize(row_bytes * height);
  rows->resize(height);
  for (png_uint_32 y = 0; y < height; ++y) (*rows)[y] = image->pixels.data() + y * row_bytes;
  png_read_image(png, rows->data());
  png_read_end(png, info);
  if (text != nullptr) {
    png_textp chunks = nullptr;
    const int n = png_get_text(png, info, &chunks, nullptr);
    for (int i = 0; i < n; ++i) {
      const bool utf8 = chunks[i].compression == PNG_ITXT_COMPRESSION_NONE ||
                        chunks[i].compression == PNG_ITXT_COMPRESSION_zTXt;
      const size_t length = utf8 ? chunks[i].itxt_length : chunks[i].text_length;
      (*text)[chunks[i].key] = utf8 ? std::string(chunks[i].text, length) : latin1_to_utf8(chunks[i].text, length);
    }
  }
}

}  // namespace

Image decode_png(const uint8_t* data, size_t size, std::map<std::string, std::string>* text,
                 const PngReadLimits& limits) {
  if (size < 8 || png_sig_cmp(data, 0, 8) != 0) throw Error("not a PNG file (bad signature)");
  ErrorSlot error;
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &error, on_error, on_warning);
  if (png == nullptr) throw Error("cannot initialise libpng");
  png_infop info = png_create_info_struct(png);
  Image image;
  std::vector<png_bytep> rows;
  ReadState state{data, size, 0};
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    throw Error("corrupt PNG: " + error.message);
  }
  decode_body(png, info, &state, limits, &image, &rows, text);
  png_destroy_read_struct(&png, &info, nullptr);
  return image;
}

Image read_png(const std::string& path, std::map<std::string, std::string>* text, const PngReadLimits& limits) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot open " + path);
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  try {
    return decode_png(bytes.data(), bytes.size(), text, limits);
  } catch (const Error& e) {
    throw Error(path + ": " + e.what(), e.hint());
  }
}

namespace {

[[gnu::noinline]] void encode_body(png_structp png, png_infop info, const Image& image,
                                   const std::vector<std::pair<std::string, std::string>>& text,
                                   std::vector<uint8_t>* out) {
  if (info == nullptr) png_error(png, "out of memory");
  png_set_write_fn(png, out, write_to_vector, flush_nothing);
  const int color = image.channels == 1 ? PNG_COLOR_TYPE_GRAY
                                        : image.channels == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_RGB_ALPHA;
  png_set_IHDR(png, info, static_cast<png_uint_32>(image.width), static_cast<png_uint_32>(image.height), 8, color,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  std::vector<std::string> values;  // converted texts, alive until png_write_info
  values.reserve(text.size());
  std::vector<png_text> chunks(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    std::memset(&chunks[i], 0, sizeof(png_text));
    chunks[i].key = const_cast<char*>(text[i].first.c_str());
    const bool latin1 = is_latin1(text[i].second);
    values.push_back(latin1 ? utf8_to_latin1(text[i].second) : text[i].second);
    chunks[i].compression = latin1 ? PNG_TEXT_COMPRESSION_NONE : PNG_ITXT_COMPRESSION_NONE;
    chunks[i].text = values.back().data();
    (latin1 ? chunks[i].text_length : chunks[i].itxt_length) = values.back().size();
  }
  if (!chunks.empty()) png_set_text(png, info, chunks.data(), static_cast<int>(chunks.size()));
  png_write_info(png, info);
  const size_t row_bytes = static_cast<size_t>(image.width) * image.channels;
  std::vector<png_bytep> rows(static_cast<size_t>(image.height));
  for (int y = 0; y < image.height; ++y) rows[y] = const_cast<png_bytep>(image.pixels.data() + y * row_bytes);
  png_write_image(png, rows.data());
  png_write_end(png, nullptr);
}

}  // namespace

std::vector<uint8_t> encode_png(const Image& image, const std::vector<std::pair<std::string, std::string>>& text) {
  if (image.width <= 0 || image.height <= 0) throw Error("cannot write an empty image");
  if (image.channels != 1 && image.channels != 3 && image.channels != 4) {
    throw Error("PNG images need 1, 3 or 4 channels, got " + std::to_string(image.channels));
  }
  if (image.pixels.size() != static_cast<size_t>(image.width) * image.height * image.channels) {
    throw Error("image buffer size does not match its width, height and channels");
  }
  for (const auto& entry : text) {
    if (entry.first.empty() || entry.first.size() > 79) {
      throw Error("PNG text keyword must be 1-79 characters: '" + entry.first + "'");
    }
  }
  ErrorSlot error;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &error, on_error, on_warning);
  if (png == nullptr) throw Error("cannot initialise libpng");
  png_infop info = png_create_info_struct(png);
  std::vector<uint8_t> out;
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    throw Error("cannot encode PNG: " + error.message);
  }
  encode_body(png, info, image, text, &out);
  png_destroy_write_struct(&png, &info);
  return out;
}

void write_png(const std::string& path, const Image& image, const std::vector<std::pair<std::string, std::string>>& text) {
  const std::vector<uint8_t> bytes = encode_png(image, text);
  write_file_atomically(path, bytes.data(), bytes.size());
}

}  // namespace tessera::image
