#include "shards/mds_encoding.h"

#include "shards/mds_hash.h"
#include "shards/python_json.h"
#include "tessera/error.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace tessera::shards {
namespace {

using ojson = nlohmann::ordered_json;

constexpr const char* kEncodingHint =
    "use one of bytes, str, int, int8..int64, uint8..uint64, float16/32/64, str_int, str_float, "
    "str_decimal, json, jpeg, png, pil, jpeg_array, list[pil], list[jpeg], list[png], ndarray[:dtype[:shape]]";

struct NdDtype {
  const char* name;
  uint8_t code;
  size_t size;
};
constexpr NdDtype kNdDtypes[] = {
    {"uint8", 8, 1},   {"int8", 9, 1},    {"uint16", 16, 2}, {"int16", 17, 2},  {"float16", 18, 2}, {"uint32", 32, 4},
    {"int32", 33, 4},  {"float32", 34, 4}, {"uint64", 64, 8}, {"int64", 65, 8}, {"float64", 66, 8},
};

const NdDtype* find_dtype(const std::string& name) {
  for (const auto& d : kNdDtypes)
    if (name == d.name) return &d;
  return nullptr;
}
const NdDtype* find_dtype(uint8_t code) {
  for (const auto& d : kNdDtypes)
    if (code == d.code) return &d;
  return nullptr;
}

[[noreturn]] void bad_value(const std::string& column, const std::string& what) {
  throw Error("column '" + column + "': " + what, "give each column a value of the kind its encoding stores");
}
[[noreturn]] void bad_payload(const MdsEncoding& e, const std::string& what) {
  throw Error("malformed " + e.text + " value: " + what, "the shard is damaged or was not written as MDS");
}

bool valid_utf8(const uint8_t* s, size_t n) {
  size_t i = 0;
  while (i < n) {
    const uint8_t c = s[i];
    size_t extra = 0;
    uint32_t cp = 0;
    if (c < 0x80) { ++i; continue; }
    if ((c & 0xE0) == 0xC0) { extra = 1; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { extra = 2; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { extra = 3; cp = c & 0x07; }
    else return false;
    if (i + extra >= n) return false;
    for (size_t k = 1; k <= extra; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000)) return false;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}


template <typename T>
void append_le(std::string& out, T v) {
  char buf[sizeof(T)];
  std::memcpy(buf, &v, sizeof(T));
  out.append(buf, sizeof(T));
}

uint64_t read_uint(const uint8_t* p, unsigned width) {
  uint64_t v = 0;
  std::memcpy(&v, p, width);  // little-endian host
  return v;
}
int64_t read_int(const uint8_t* p, unsigned width) {
  const uint64_t u = read_uint(p, width);
  if (width == 8) return static_cast<int64_t>(u);
  const unsigned bits = width * 8;
  const uint64_t sign = uint64_t{1} << (bits - 1);
  return static_cast<int64_t>((u ^ sign) - sign);
}

std::vector<uint64_t> parse_shape(const std::string& text, const std::string& whole) {
  std::vector<uint64_t> shape;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    const std::string part = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (part.empty() || part.size() > 18 || part.find_first_not_of("0123456789") != std::string::npos)
      throw Error("bad ndarray shape in encoding '" + whole + "'", "write the shape as comma-separated positive integers");
    const uint64_t d = std::stoull(part);
    if (d < 1) throw Error("ndarray shape in encoding '" + whole + "' has an extent below 1", kEncodingHint);
    shape.push_back(d);
    if (shape.size() > 63) throw Error("ndarray encoding '" + whole + "' has more than 63 axes", kEncodingHint);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return shape;
}

// product(shape) * itemsize, or nullopt on overflow.
std::optional<uint64_t> array_bytes(const std::vector<uint64_t>& shape, size_t itemsize) {
  uint64_t n = itemsize;
  for (const uint64_t d : shape) {
    if (d != 0 && n > std::numeric_limits<uint64_t>::max() / d) return std::nullopt;
    n *= d;
  }
  return n;
}

}  // namespace

size_t ndarray_itemsize(const std::string& dtype) {
  const NdDtype* d = find_dtype(dtype);
  return d ? d->size : 0;
}

MdsEncoding parse_mds_encoding(const std::string& text) {
  MdsEncoding e;
  e.text = text;
  const size_t colon = text.find(':');
  const std::string name = text.substr(0, colon);
  const bool has_args = colon != std::string::npos;
  const std::string args = has_args ? text.substr(colon + 1) : std::string();
  using K = MdsEncoding::Kind;
  struct Fixed {
    const char* name;
    K kind;
    unsigned width;
  };
  static constexpr Fixed kFixed[] = {
      {"int", K::kInt, 8},       {"int8", K::kSigned, 1},    {"int16", K::kSigned, 2},   {"int32", K::kSigned, 4},
      {"int64", K::kSigned, 8},  {"uint8", K::kUnsigned, 1}, {"uint16", K::kUnsigned, 2}, {"uint32", K::kUnsigned, 4},
      {"uint64", K::kUnsigned, 8}, {"float16", K::kFloat, 2}, {"float32", K::kFloat, 4}, {"float64", K::kFloat, 8},
  };
  if (name == "pkl")
    throw Error("MDS encoding 'pkl' is refused: unpickling a shard can run arbitrary code",
                "re-write the column with a safe encoding such as json, str or ndarray");
  if (name == "ndarray") {
    e.kind = K::kNdArray;
    if (has_args && !args.empty()) {
      const size_t c2 = args.find(':');
      e.nd_dtype = args.substr(0, c2);
      if (!find_dtype(e.nd_dtype)) throw Error("unknown ndarray dtype in encoding '" + text + "'", kEncodingHint);
      if (c2 != std::string::npos) {
        e.nd_shape = parse_shape(args.substr(c2 + 1), text);
        const auto bytes = array_bytes(e.nd_shape, ndarray_itemsize(e.nd_dtype));
        if (!bytes || *bytes > std::numeric_limits<uint32_t>::max())
          throw Error("ndarray encoding '" + text + "' describes more data than a shard can hold", kEncodingHint);
        e.size = *bytes;
      }
    }
    return e;
  }
  if (name == "jpeg") {
    e.kind = K::kJpeg;
    if (has_args) {  // jpeg:QUALITY (0..100), used only when streaming encodes a PIL image
      if (args.empty() || args.size() > 3 || args.find_first_not_of("0123456789") != std::string::npos ||
          std::stoi(args) > 100)
        throw Error("bad JPEG quality in encoding '" + text + "'", "write jpeg or jpeg:Q with Q in 0..100");
    }
    return e;
  }
  if (has_args) throw Error("MDS encoding '" + text + "' takes no arguments", kEncodingHint);
  for (const auto& f : kFixed) {
    if (name == f.name) {
      e.kind = f.kind;
      e.width = f.width;
      e.size = f.width;
      return e;
    }
  }
  if (name == "bytes") e.kind = K::kBytes;
  else if (name == "str") e.kind = K::kStr;
  else if (name == "str_int") e.kind = K::kStrInt;
  else if (name == "str_float") e.kind = K::kStrFloat;
  else if (name == "str_decimal") e.kind = K::kStrDecimal;
  else if (name == "json") e.kind = K::kJson;
  else if (name == "png") e.kind = K::kPng;
  else if (name == "pil") e.kind = K::kPil;
  else if (name == "jpeg_array" || name == "jpegarray" || name == "list[pil]" || name == "list[jpeg]" || name == "list[png]")
    e.kind = K::kImageSequence;
  else throw Error("unknown MDS encoding '" + text + "'", kEncodingHint);
  return e;
}

uint16_t double_to_half(double value) {
  uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  const uint16_t sign = static_cast<uint16_t>((bits >> 48) & 0x8000);
  const int exp = static_cast<int>((bits >> 52) & 0x7FF);
  const uint64_t mant = bits & ((uint64_t{1} << 52) - 1);
  if (exp == 0x7FF) return static_cast<uint16_t>(sign | 0x7C00 | (mant ? 0x200 : 0));  // inf / nan
  const int e = exp - 1023;
  if (e > 15) return static_cast<uint16_t>(sign | 0x7C00);
  if (e >= -14) {
    uint64_t m = mant >> 42;
    const uint64_t rem = mant & ((uint64_t{1} << 42) - 1);
    const uint64_t half = uint64_t{1} << 41;
    uint64_t h = (static_cast<uint64_t>(e + 15) << 10) + m;
    if (rem > half || (rem == half && (m & 1))) ++h;  // a carry into the exponent is correct (up to inf)
    return static_cast<uint16_t>(sign | h);
  }
  if (exp == 0) return sign;  // double subnormals are far below half's range
  const uint64_t full = mant | (uint64_t{1} << 52);
  const int shift = 28 - e;  // >= 43
  if (shift >= 54) return sign;
  uint64_t m = full >> shift;
  const uint64_t rem = full & ((uint64_t{1} << shift) - 1);
  const uint64_t half = uint64_t{1} << (shift - 1);
  if (rem > half || (rem == half && (m & 1))) ++m;
  return static_cast<uint16_t>(sign | m);
}

double half_to_double(uint16_t h) {
  const double sign = (h & 0x8000) ? -1.0 : 1.0;
  const int exp = (h >> 10) & 0x1F;
  const int mant = h & 0x3FF;
  if (exp == 0) return sign * std::ldexp(mant, -24);
  if (exp == 31) return mant ? std::numeric_limits<double>::quiet_NaN() : sign * std::numeric_limits<double>::infinity();
  return sign * std::ldexp(mant + 1024, exp - 25);
}

std::string encode_mds_value(const MdsEncoding& enc, const MdsValue& v, const std::string& column) {
  using K = MdsEncoding::Kind;
  using VK = MdsValue::Kind;
  std::string out;
  switch (enc.kind) {
    case K::kBytes:
    case K::kJpeg:
    case K::kPng:
    case K::kPil:
    case K::kImageSequence:
      if (v.kind != VK::kBytes) bad_value(column, enc.text + " needs bytes (set_bytes)");
      return v.text;
    case K::kStr:
    case K::kStrDecimal:
      if (v.kind != VK::kStr) bad_value(column, enc.text + " needs text (set_str)");
      if (!valid_utf8(reinterpret_cast<const uint8_t*>(v.text.data()), v.text.size())) bad_value(column, "text is not valid UTF-8");
      if (enc.kind == K::kStrDecimal) {
        char* end = nullptr;
        const std::string& t = v.text;
        if (t.empty() || (std::strtod(t.c_str(), &end), end != t.c_str() + t.size()))
          bad_value(column, "'" + t + "' is not a decimal number");
      }
      return v.text;
    case K::kInt:
    case K::kSigned: {
      int64_t x = 0;
      if (v.kind == VK::kInt) x = v.i;
      else if (v.kind == VK::kUInt && v.u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) x = static_cast<int64_t>(v.u);
      else bad_value(column, enc.text + " needs an integer that fits (set_int)");
      const unsigned bits = enc.width * 8;
      if (bits < 64) {
        const int64_t lo = -(int64_t{1} << (bits - 1));
        const int64_t hi = (int64_t{1} << (bits - 1)) - 1;
        if (x < lo || x > hi) bad_value(column, std::to_string(x) + " does not fit " + enc.text);
      }
      out.resize(enc.width);
      std::memcpy(out.data(), &x, enc.width);
      return out;
    }
    case K::kUnsigned: {
      uint64_t x = 0;
      if (v.kind == VK::kUInt) x = v.u;
      else if (v.kind == VK::kInt && v.i >= 0) x = static_cast<uint64_t>(v.i);
      else bad_value(column, enc.text + " needs a non-negative integer (set_uint)");
      if (enc.width < 8 && x >= (uint64_t{1} << (enc.width * 8))) bad_value(column, std::to_string(x) + " does not fit " + enc.text);
      out.resize(enc.width);
      std::memcpy(out.data(), &x, enc.width);
      return out;
    }
    case K::kFloat: {
      double x = 0;
      if (v.kind == VK::kFloat) x = v.f;
      else if (v.kind == VK::kInt) x = static_cast<double>(v.i);
      else if (v.kind == VK::kUInt) x = static_cast<double>(v.u);
      else bad_value(column, enc.text + " needs a number (set_float)");
      if (enc.width == 2) append_le<uint16_t>(out, double_to_half(x));
      else if (enc.width == 4) append_le<float>(out, static_cast<float>(x));
      else append_le<double>(out, x);
      return out;
    }
    case K::kStrInt:
      if (v.kind == VK::kInt) return std::to_string(v.i);
      if (v.kind == VK::kUInt) return std::to_string(v.u);
      if (v.kind == VK::kStr) {  // an integer beyond 64 bits, as decimal digits
        const size_t start = (!v.text.empty() && v.text[0] == '-') ? 1 : 0;
        if (v.text.size() > start && v.text.size() <= 4096 &&
            v.text.find_first_not_of("0123456789", start) == std::string::npos &&
            (v.text[start] != '0' || v.text.size() == start + 1))
          return v.text;
      }
      bad_value(column, "str_int needs an integer (set_int, or set_str with decimal digits)");
    case K::kStrFloat:
      if (v.kind != VK::kFloat) bad_value(column, "str_float needs a float (set_float)");
      return python_float_repr(v.f);
    case K::kJson: {
      if (v.kind == VK::kStr) return python_json_dumps(ojson(v.text), false);
      if (v.kind != VK::kJson) bad_value(column, "json needs JSON text (set_json)");
      if (!json_nesting_ok(v.text.data(), v.text.size(), 256)) bad_value(column, "JSON nests too deeply");
      ojson parsed = ojson::parse(v.text, nullptr, false);
      if (parsed.is_discarded()) bad_value(column, "the value is not valid JSON");
      return python_json_dumps(parsed, false);
    }
    case K::kNdArray: {
      if (v.kind != VK::kNdArray) bad_value(column, "ndarray needs an array (set_ndarray)");
      const NdArray& a = v.array;
      const NdDtype* d = find_dtype(a.dtype);
      if (!d) bad_value(column, "unsupported ndarray dtype '" + a.dtype + "'");
      if (!enc.nd_dtype.empty() && enc.nd_dtype != a.dtype)
        bad_value(column, "wrong dtype: expected " + enc.nd_dtype + ", got " + a.dtype);
      if (a.shape.empty()) bad_value(column, "an ndarray needs at least one axis (use a scalar encoding)");
      if (a.shape.size() >= 64) bad_value(column, "an ndarray has at most 63 axes");
      uint64_t max_extent = 0;
      for (const uint64_t x : a.shape) {
        if (x < 1) bad_value(column, "all ndarray extents must be at least 1");
        max_extent = std::max(max_extent, x);
      }
      if (!enc.nd_shape.empty() && enc.nd_shape != a.shape) bad_value(column, "wrong ndarray shape for " + enc.text);
      const auto bytes = array_bytes(a.shape, d->size);
      if (!bytes || *bytes != a.data.size())
        bad_value(column, "ndarray data holds " + std::to_string(a.data.size()) + " bytes, its shape and dtype need a different size");
      if (enc.nd_dtype.empty()) out.push_back(static_cast<char>(d->code));
      if (enc.nd_shape.empty()) {
        const unsigned code = max_extent < (1u << 8) ? 0 : max_extent < (1u << 16) ? 1 : max_extent < (uint64_t{1} << 32) ? 2 : 3;
        out.push_back(static_cast<char>((a.shape.size() << 2) | code));
        for (const uint64_t x : a.shape) {
          const unsigned w = 1u << code;
          char buf[8];
          std::memcpy(buf, &x, 8);
          out.append(buf, w);
        }
      }
      out += a.data;
      return out;
    }
  }
  bad_value(column, "unsupported encoding");
}

NdArrayView decode_ndarray_view(const MdsEncoding& enc, const uint8_t* data, size_t size) {
  NdArrayView a;
  size_t i = 0;
  if (!enc.nd_dtype.empty()) {
    a.dtype = enc.nd_dtype;
  } else {
    if (i >= size) bad_payload(enc, "missing dtype byte");
    const NdDtype* d = find_dtype(data[i++]);
    if (!d) bad_payload(enc, "unknown dtype code");
    a.dtype = d->name;
  }
  if (!enc.nd_shape.empty()) {
    a.shape = enc.nd_shape;
  } else {
    if (i >= size) bad_payload(enc, "missing shape byte");
    const uint8_t b = data[i++];
    const size_t ndim = b >> 2;
    const size_t w = size_t{1} << (b & 3);
    if (ndim == 0) bad_payload(enc, "zero axes");
    if (ndim * w > size - i) bad_payload(enc, "shape runs past the value");
    for (size_t k = 0; k < ndim; ++k) {
      uint64_t x = 0;
      std::memcpy(&x, data + i, w);
      i += w;
      a.shape.push_back(x);
    }
  }
  const auto bytes = array_bytes(a.shape, ndarray_itemsize(a.dtype));
  if (!bytes || *bytes != size - i) bad_payload(enc, "value bytes do not match the shape and dtype");
  a.data = data + i;
  a.size = size - i;
  return a;
}

NdArray decode_ndarray(const MdsEncoding& enc, const uint8_t* data, size_t size) {
  NdArrayView v = decode_ndarray_view(enc, data, size);
  NdArray a;
  a.dtype = std::move(v.dtype);
  a.shape = std::move(v.shape);
  a.data.assign(reinterpret_cast<const char*>(v.data), v.size);
  return a;
}

nlohmann::ordered_json mds_payload_to_json(const MdsEncoding& enc, const uint8_t* data, size_t size) {
  using K = MdsEncoding::Kind;
  if (enc.size && size != *enc.size)
    bad_payload(enc, std::to_string(size) + " bytes where the encoding stores " + std::to_string(*enc.size));
  const std::string text(reinterpret_cast<const char*>(data), size);
  switch (enc.kind) {
    case K::kStr:
    case K::kStrDecimal:
      if (!valid_utf8(data, size)) bad_payload(enc, "not valid UTF-8");
      return text;
    case K::kInt:
    case K::kSigned:
      return read_int(data, enc.width);
    case K::kUnsigned:
      return read_uint(data, enc.width);
    case K::kFloat: {
      if (enc.width == 2) return half_to_double(static_cast<uint16_t>(read_uint(data, 2)));
      if (enc.width == 4) {
        float f = 0;
        std::memcpy(&f, data, 4);
        return static_cast<double>(f);
      }
      double d = 0;
      std::memcpy(&d, data, 8);
      return d;
    }
    case K::kStrInt: {
      const size_t start = (!text.empty() && text[0] == '-') ? 1 : 0;
      if (text.size() == start || text.size() > 4096 || text.find_first_not_of("0123456789", start) != std::string::npos)
        bad_payload(enc, "not an integer");
      errno = 0;
      char* end = nullptr;
      if (start) {
        const long long x = std::strtoll(text.c_str(), &end, 10);
        if (errno == 0) return static_cast<int64_t>(x);
      } else {
        const unsigned long long x = std::strtoull(text.c_str(), &end, 10);
        if (errno == 0) return static_cast<uint64_t>(x);
      }
      return text;  // beyond 64 bits: keep the digits
    }
    case K::kStrFloat: {
      char* end = nullptr;
      if (text.empty() || text.size() > 4096) bad_payload(enc, "not a float");
      const double d = std::strtod(text.c_str(), &end);
      if (end != text.c_str() + text.size()) bad_payload(enc, "not a float");
      return d;
    }
    case K::kJson: {
      if (!json_nesting_ok(text.data(), text.size(), 256)) bad_payload(enc, "JSON nests too deeply");
      ojson parsed = ojson::parse(text, nullptr, false);
      if (parsed.is_discarded()) bad_payload(enc, "not valid JSON");
      return parsed;
    }
    case K::kNdArray:
      (void)decode_ndarray_view(enc, data, size);
      return sha1_hex(data, size);
    case K::kPil: {
      if (size < 12) bad_payload(enc, "shorter than its 12-byte header");
      const uint64_t mode_len = read_uint(data + 8, 4);
      if (mode_len > size - 12) bad_payload(enc, "mode runs past the value");
      return sha1_hex(data, size);
    }
    case K::kBytes:
    case K::kJpeg:
    case K::kPng:
    case K::kImageSequence:
      return sha1_hex(data, size);
  }
  bad_payload(enc, "unsupported encoding");
}

}  // namespace tessera::shards
