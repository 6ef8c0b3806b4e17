#pragma once
// The safetensors file format without torch: header parsing and validation on a memory buffer,
// and the header the writer emits. Used by SafetensorsFile, save_safetensors and the fuzzer.
//
// Layout: u64 little-endian N, N bytes of JSON header
//   {"__metadata__": {str: str}, name: {"dtype": "F32", "shape": [..], "data_offsets": [b, e]}, ...}
// then the data region; offsets are relative to its start (byte 8 + N).

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace tessera::io {

// Largest header accepted (same limit as the Rust crate).
inline constexpr uint64_t kMaxHeaderBytes = 100'000'000;

// Bytes per element of a safetensors dtype name ("F32" -> 4); 0 for a name the format lacks.
size_t dtype_size(const std::string& dtype);

// Every dtype name the format defines, widest first.
const std::vector<std::string>& known_dtypes();

struct TensorEntry {
  std::string name;
  std::string dtype;           // "F32", "F16", "BF16", "I64", ...
  std::vector<int64_t> shape;  // empty for a 0-d scalar
  uint64_t begin = 0;          // byte offsets relative to the data region
  uint64_t end = 0;
  int64_t numel() const;
  uint64_t nbytes() const { return end - begin; }
};

struct SafetensorsHeader {
  uint64_t header_bytes = 0;  // N
  uint64_t data_offset = 0;   // 8 + N: where the data region starts in the file
  uint64_t data_bytes = 0;    // size of the data region
  std::map<std::string, std::string> metadata;
  std::vector<TensorEntry> tensors;  // sorted by name
};

// Parses and validates a whole safetensors file held in memory. Throws tessera::Error whose
// message starts with `origin` (a path, or "buffer") and says what is wrong. Checks: header
// length within the buffer and the limit, a JSON object (no duplicate keys, bounded nesting),
// every entry with a known dtype, non-negative shape and [begin, end] offsets, byte counts
// equal to dtype size x elements (overflow-checked), and entries covering the data region
// contiguously without gaps or overlaps.
SafetensorsHeader parse_safetensors(const uint8_t* data, size_t size, const std::string& origin = "buffer");

// Parses only the first 8 + N bytes (the data region is described by `file_size`); the file's
// content after the header is not needed. Same checks as parse_safetensors.
SafetensorsHeader parse_safetensors_header(const uint8_t* data, size_t available, uint64_t file_size,
                                           const std::string& origin);

// What the writer needs to know about one tensor.
struct TensorSpec {
  std::string name;
  std::string dtype;
  std::vector<int64_t> shape;
  uint64_t nbytes = 0;
};

// The header the writer emits, in the Rust writer's layout: compact JSON, "__metadata__" first
// (when not empty), tensors ordered by dtype alignment (widest first) then name, padded with
// spaces to a multiple of 8. `order` receives the indices of `specs` in data order. The result
// includes the 8-byte length prefix.
std::string build_safetensors_header(const std::vector<TensorSpec>& specs,
                                     const std::map<std::string, std::string>& metadata,
                                     std::vector<size_t>* order);

}  // namespace tessera::io
