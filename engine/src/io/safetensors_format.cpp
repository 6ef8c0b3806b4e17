#include "io/safetensors_format.h"

#include "tessera/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <limits>
#include <set>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "safetensors stores little-endian data; this reader assumes a little-endian host"
#endif

namespace tessera::io {
namespace {

using json = nlohmann::json;

constexpr const char* kDamagedHint = "the file is damaged or not a safetensors file; re-download or re-export it";
// A valid header nests 3 deep ({ -> { -> [); anything far deeper is hostile.
constexpr int kMaxNesting = 16;

struct DtypeInfo {
  const char* name;
  size_t size;
};

// Widest first: the writer's data order (alignment descending) follows this table.
constexpr DtypeInfo kDtypes[] = {
    {"F64", 8},  {"I64", 8}, {"U64", 8},  {"F32", 4},  {"I32", 4},     {"U32", 4},     {"F16", 2}, {"BF16", 2},
    {"I16", 2},  {"U16", 2}, {"I8", 1},   {"U8", 1},   {"BOOL", 1},    {"F8_E4M3", 1}, {"F8_E5M2", 1},
};

[[noreturn]] void fail(const std::string& origin, const std::string& reason) {
  throw Error(origin + ": " + reason, kDamagedHint);
}

// A JSON value for an error message, cut short when long.
std::string brief(const json& v) {
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() > 80) s = s.substr(0, 77) + "...";
  return s;
}

uint64_t read_u64_le(const uint8_t* p) {
  uint64_t v = 0;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// Rejects nesting deeper than kMaxNesting before the JSON parser sees the text.
void check_nesting(const char* text, size_t size, const std::string& origin) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < size; ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxNesting) fail(origin, "header JSON nests deeper than " + std::to_string(kMaxNesting) + " levels");
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
}

// Parses the header text, refusing duplicate keys (nlohmann would keep the last one silently).
json parse_json_strict(const char* text, size_t size, const std::string& origin) {
  std::vector<std::set<std::string>> seen;  // keys of each open object
  std::string duplicate;
  json::parser_callback_t callback = [&](int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
        seen.emplace_back();
        break;
      case json::parse_event_t::object_end:
        if (!seen.empty()) seen.pop_back();
        break;
      case json::parse_event_t::key:
        if (!seen.empty() && parsed.is_string()) {
          const auto& key = parsed.get_ref<const std::string&>();
          if (!seen.back().insert(key).second && duplicate.empty()) duplicate = key;
        }
        break;
      default:
        break;
    }
    return true;
  };
  json header;
  try {
    header = json::parse(text, text + size, callback, /*allow_exceptions=*/true);
  } catch (const json::exception& e) {
    fail(origin, std::string("header is not valid JSON (") + e.what() + ")");
  }
  if (!duplicate.empty()) fail(origin, "header names '" + duplicate + "' more than once");
  return header;
}

uint64_t get_unsigned(const json& v, const std::string& origin, const std::string& what) {
  if (!v.is_number_unsigned()) fail(origin, what + " must be a non-negative integer, got " + brief(v));
  return v.get<uint64_t>();
}

TensorEntry parse_entry(const std::string& name, const json& info, uint64_t data_bytes, const std::string& origin) {
  const std::string where = "tensor '" + name + "'";
  if (!info.is_object()) fail(origin, where + ": entry must be an object, got " + brief(info));
  for (const char* field : {"dtype", "shape", "data_offsets"}) {
    if (!info.contains(field)) fail(origin, where + ": entry has no \"" + field + "\"");
  }
  TensorEntry e;
  e.name = name;
  const json& dtype = info["dtype"];
  if (!dtype.is_string()) fail(origin, where + ": dtype must be a string, got " + brief(dtype));
  e.dtype = dtype.get<std::string>();
  const size_t elem = dtype_size(e.dtype);
  if (elem == 0) fail(origin, where + ": unknown dtype '" + e.dtype + "'");

  const json& shape = info["shape"];
  if (!shape.is_array()) fail(origin, where + ": shape must be an array, got " + brief(shape));
  uint64_t numel = 1;
  bool overflow = false;
  for (const auto& d : shape) {
    const uint64_t dim = get_unsigned(d, origin, where + ": shape dimension");
    if (dim > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) overflow = true;
    if (!overflow && __builtin_mul_overflow(numel, dim, &numel)) overflow = true;
    if (!overflow && numel > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) overflow = true;
    if (overflow) break;
    e.shape.push_back(static_cast<int64_t>(dim));
  }
  uint64_t expected = 0;
  if (overflow || __builtin_mul_overflow(numel, static_cast<uint64_t>(elem), &expected)) {
    fail(origin, where + ": shape " + brief(shape) + " has too many elements (overflow)");
  }

  const json& offsets = info["data_offsets"];
  if (!offsets.is_array() || offsets.size() != 2) {
    fail(origin, where + ": data_offsets must be [begin, end], got " + brief(offsets));
  }
  e.begin = get_unsigned(offsets[0], origin, where + ": data_offsets begin");
  e.end = get_unsigned(offsets[1], origin, where + ": data_offsets end");
  if (e.begin > e.end) {
    fail(origin, where + ": data_offsets begin " + std::to_string(e.begin) + " > end " + std::to_string(e.end));
  }
  if (e.end > data_bytes) {
    fail(origin, where + ": data_offsets end " + std::to_string(e.end) + " is past the data region (" +
                     std::to_string(data_bytes) + " bytes; the file may be truncated)");
  }
  if (e.end - e.begin != expected) {
    fail(origin, where + ": " + std::to_string(e.end - e.begin) + " bytes for " + e.dtype + " " + brief(shape) +
                     ", expected " + std::to_string(expected));
  }
  return e;
}

}  // namespace

size_t dtype_size(const std::string& dtype) {
  for (const auto& d : kDtypes)
    if (dtype == d.name) return d.size;
  return 0;
}

const std::vector<std::string>& known_dtypes() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& d : kDtypes) v.emplace_back(d.name);
    return v;
  }();
  return names;
}

int64_t TensorEntry::numel() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;  // validated by the parser not to overflow
  return n;
}

SafetensorsHeader parse_safetensors_header(const uint8_t* data, size_t available, uint64_t file_size,
                                           const std::string& origin) {
  if (file_size < 8 || available < 8) {
    fail(origin, "file is " + std::to_string(file_size) + " bytes, too small for a safetensors header");
  }
  SafetensorsHeader h;
  h.header_bytes = read_u64_le(data);
  if (h.header_bytes > kMaxHeaderBytes) {
    fail(origin, "header length " + std::to_string(h.header_bytes) + " exceeds the " +
                     std::to_string(kMaxHeaderBytes) + "-byte limit");
  }
  h.data_offset = 8 + h.header_bytes;
  if (h.data_offset > file_size) {
    fail(origin, "header length " + std::to_string(h.header_bytes) + " runs past the end of the file (" +
                     std::to_string(file_size) + " bytes; truncated?)");
  }
  if (h.data_offset > available) fail(origin, "header not fully read");
  h.data_bytes = file_size - h.data_offset;

  const char* text = reinterpret_cast<const char*>(data + 8);
  const size_t text_size = static_cast<size_t>(h.header_bytes);
  if (text_size == 0 || text[0] != '{') fail(origin, "header is not a JSON object (it must start with '{')");
  check_nesting(text, text_size, origin);
  const json header = parse_json_strict(text, text_size, origin);
  if (!header.is_object()) fail(origin, "header is not a JSON object");

  for (auto it = header.begin(); it != header.end(); ++it) {
    if (it.key() == "__metadata__") {
      if (!it->is_object()) fail(origin, "__metadata__ must be an object of strings, got " + brief(*it));
      for (auto m = it->begin(); m != it->end(); ++m) {
        if (!m->is_string()) fail(origin, "__metadata__ value for '" + m.key() + "' must be a string, got " + brief(*m));
        h.metadata[m.key()] = m->get<std::string>();
      }
      continue;
    }
    h.tensors.push_back(parse_entry(it.key(), *it, h.data_bytes, origin));
  }

  // The entries must tile the data region: sorted by offsets, each starts where the last ended.
  std::vector<const TensorEntry*> by_offset;
  by_offset.reserve(h.tensors.size());
  for (const auto& t : h.tensors) by_offset.push_back(&t);
  std::sort(by_offset.begin(), by_offset.end(), [](const TensorEntry* a, const TensorEntry* b) {
    return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
  });
  uint64_t cursor = 0;
  const TensorEntry* previous = nullptr;
  for (const TensorEntry* t : by_offset) {
    if (t->begin < cursor) {
      fail(origin, "tensors '" + previous->name + "' and '" + t->name + "' overlap (bytes " + std::to_string(t->begin) +
                       ".." + std::to_string(cursor) + ")");
    }
    if (t->begin > cursor) {
      fail(origin, "gap in the data region: bytes " + std::to_string(cursor) + ".." + std::to_string(t->begin) +
                       " belong to no tensor (before '" + t->name + "')");
    }
    cursor = t->end;
    previous = t;
  }
  if (cursor != h.data_bytes) {
    fail(origin, "data region is " + std::to_string(h.data_bytes) + " bytes but the tensors cover " +
                     std::to_string(cursor) + " (trailing bytes or a truncated header)");
  }
  std::sort(h.tensors.begin(), h.tensors.end(),
            [](const TensorEntry& a, const TensorEntry& b) { return a.name < b.name; });
  return h;
}

SafetensorsHeader parse_safetensors(const uint8_t* data, size_t size, const std::string& origin) {
  return parse_safetensors_header(data, size, size, origin);
}

std::string build_safetensors_header(const std::vector<TensorSpec>& specs,
                                     const std::map<std::string, std::string>& metadata,
                                     std::vector<size_t>* order) {
  std::vector<size_t> idx(specs.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::set<std::string> names;
  for (const auto& s : specs) {
    if (dtype_size(s.dtype) == 0) throw Error("cannot save tensor '" + s.name + "': unknown dtype '" + s.dtype + "'");
    if (s.name == "__metadata__") throw Error("cannot save a tensor named '__metadata__' (reserved by the format)");
    if (!names.insert(s.name).second) throw Error("cannot save two tensors named '" + s.name + "'");
  }
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
    const size_t sa = dtype_size(specs[a].dtype), sb = dtype_size(specs[b].dtype);
    return sa != sb ? sa > sb : specs[a].name < specs[b].name;
  });

  // ordered_json keeps insertion order: "__metadata__" first, then the data order.
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!metadata.empty()) {
    nlohmann::ordered_json meta = nlohmann::ordered_json::object();
    for (const auto& [k, v] : metadata) meta[k] = v;
    header["__metadata__"] = std::move(meta);
  }
  uint64_t offset = 0;
  for (size_t i : idx) {
    const TensorSpec& s = specs[i];
    nlohmann::ordered_json entry = nlohmann::ordered_json::object();
    entry["dtype"] = s.dtype;
    entry["shape"] = s.shape;
    entry["data_offsets"] = {offset, offset + s.nbytes};
    header[s.name] = std::move(entry);
    offset += s.nbytes;
  }
  std::string text;
  try {
    text = header.dump();
  } catch (const nlohmann::json::exception&) {
    throw Error("cannot save: a tensor name or metadata entry is not valid UTF-8");
  }
  text.append((8 - text.size() % 8) % 8, ' ');
  std::string out(8, '\0');
  const uint64_t n = text.size();
  std::memcpy(out.data(), &n, sizeof n);
  out += text;
  if (order) *order = std::move(idx);
  return out;
}

}  // namespace tessera::io
