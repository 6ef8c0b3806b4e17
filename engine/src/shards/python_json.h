#pragma once
// JSON text exactly as Python's json.dumps writes it with default settings (separators ", " and
// ": ", ensure_ascii, floats as repr(float), NaN/Infinity), which is what mosaicml-streaming
// writes in index.json, in each shard's config and in `json` columns. Torch-free.

#include <nlohmann/json.hpp>

#include <string>

namespace tessera::shards {

// repr(float) in Python 3: the shortest text that reads back to the same double, in fixed
// notation when 1e-4 <= |x| < 1e16 ("0.5", "100.0"), otherwise scientific ("1e-05", "1e+16");
// "inf", "-inf", "nan".
std::string python_float_repr(double value);

// False when JSON `text` nests objects/arrays deeper than `limit` (checked before parsing, so a
// crafted file cannot make the parser recurse without bound).
bool json_nesting_ok(const char* text, size_t size, int limit);

// json.dumps(value, sort_keys=sort_keys). With sort_keys false, object keys keep their order.
std::string python_json_dumps(const nlohmann::ordered_json& value, bool sort_keys);

}  // namespace tessera::shards
