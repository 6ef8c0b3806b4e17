#pragma once
// MDS column encodings (mosaicml-streaming's streaming/base/format/mds/encodings.py): parsing an
// encoding name, encoding a value into a column payload, and turning a payload back into a
// value. Torch-free. Payload layouts (all little-endian):
//   bytes, jpeg, png ....... the bytes as given (jpeg/png: an encoded image file)
//   str, str_decimal ....... UTF-8 text
//   int .................... int64 (8 bytes); int8..int64, uint8..uint64: that width
//   float16/32/64 .......... IEEE half/single/double
//   str_int, str_float ..... the number as decimal text (Python str())
//   json ................... json.dumps text
//   pil .................... uint32 width, height, len(mode); mode; raw pixels
//   ndarray[:dtype[:shape]]  [dtype code u8 if no dtype] [ndim<<2|shape-width u8, shape if no
//                            shape] values; dtype codes 8 u8, 9 i8, 16 u16, 17 i16, 18 f16,
//                            32 u32, 33 i32, 34 f32, 64 u64, 65 i64, 66 f64; shape widths
//                            0 u8, 1 u16, 2 u32, 3 u64
// pkl is known but refused: unpickling runs code.

#include "shards/mds_writer.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tessera::shards {

struct MdsEncoding {
  enum class Kind {
    kBytes, kStr, kInt, kSigned, kUnsigned, kFloat, kStrInt, kStrFloat, kStrDecimal,
    kJson, kJpeg, kPng, kPil, kNdArray,
    // mosaicml-streaming 0.11+ (2025): jpeg_array (alias jpegarray) and list[pil], list[jpeg],
    // list[png], several images in one value. Tessera carries their payloads whole (written from
    // bytes, read back as bytes, shown as a SHA-1); it does not split them into images.
    kImageSequence,
  };
  std::string text;            // as written in the index, e.g. "ndarray:float16:4,8"
  Kind kind = Kind::kBytes;
  unsigned width = 0;          // bytes per value for kInt/kSigned/kUnsigned/kFloat
  std::optional<uint64_t> size;  // fixed payload size (column_sizes entry), if any
  // ndarray only: the dtype and/or shape fixed by the encoding ("" / empty when per sample).
  std::string nd_dtype;
  std::vector<uint64_t> nd_shape;

  // Binary columns are shown as a SHA-1 by `tessera shards inspect --dump`.
  bool is_binary() const {
    return kind == Kind::kBytes || kind == Kind::kJpeg || kind == Kind::kPng || kind == Kind::kPil ||
           kind == Kind::kNdArray || kind == Kind::kImageSequence;
  }
};

// Parses an encoding name. Throws tessera::Error for an unknown or malformed name, and for
// "pkl" (refused as unsafe).
MdsEncoding parse_mds_encoding(const std::string& text);

// Bytes per element of an ndarray dtype name (0 when unknown).
size_t ndarray_itemsize(const std::string& dtype);

// Encodes `value` for a column. Throws tessera::Error naming `column` when the value does not
// fit (wrong kind, out of range, bad UTF-8/JSON, wrong ndarray dtype/shape).
std::string encode_mds_value(const MdsEncoding& encoding, const MdsValue& value, const std::string& column);

// Decodes an ndarray payload (bounds-checked). Throws tessera::Error when malformed.
NdArray decode_ndarray(const MdsEncoding& encoding, const uint8_t* data, size_t size);

// The same without copying the values: dtype, shape and where the values lie in `data`.
struct NdArrayView {
  std::string dtype;
  std::vector<uint64_t> shape;
  const uint8_t* data = nullptr;
  size_t size = 0;  // bytes
};
NdArrayView decode_ndarray_view(const MdsEncoding& encoding, const uint8_t* data, size_t size);

// The payload as a JSON value, for `--dump` and tests: numbers and text as values (str_int
// beyond 64 bits and str_decimal as strings, json as the parsed value), binary columns as the
// lowercase SHA-1 hex of the payload. Throws tessera::Error when the payload is malformed (wrong
// size for a fixed-size column, invalid UTF-8 or JSON, unparsable number).
nlohmann::ordered_json mds_payload_to_json(const MdsEncoding& encoding, const uint8_t* data, size_t size);

// IEEE half <-> double, round to nearest even (as numpy's float16 conversion).
uint16_t double_to_half(double value);
double half_to_double(uint16_t bits);

}  // namespace tessera::shards
