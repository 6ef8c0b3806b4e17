#pragma once
// Reading and writing .safetensors weight files (internal: uses torch).
//
// SafetensorsFile maps the file read-only and validates the whole header up front, so a damaged
// or hostile file fails with a tessera::Error naming the path and the reason before any tensor
// is touched. get() copies one tensor out of the map into memory it owns, and hands the copied
// pages back to the kernel, so loading every tensor costs about the weights' size in RSS.
// As with any mapping, the file must not be truncated while it is open (the kernel would signal
// SIGBUS on access); weight files are written by rename, which leaves an open mapping intact.

#include "io/safetensors_format.h"

#include <torch/torch.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tessera::io {

class SafetensorsFile {
 public:
  // Maps and validates `path`. Throws tessera::Error (path + reason + what to do) for a missing,
  // unreadable, damaged or pickle file.
  explicit SafetensorsFile(const std::string& path);

  std::vector<std::string> names() const;  // sorted
  bool contains(const std::string& name) const;
  // An owned, contiguous CPU tensor in the file's dtype. Throws naming the key if it is absent,
  // or if its dtype has no LibTorch equivalent (U16, U32, U64, F8_*).
  torch::Tensor get(const std::string& name) const;
  std::vector<int64_t> shape(const std::string& name) const;
  std::string dtype(const std::string& name) const;  // "F32", "F16", "BF16", "I64", ...

  const std::map<std::string, std::string>& metadata() const { return header_.metadata; }
  uint64_t data_bytes() const { return header_.data_bytes; }
  const std::string& path() const { return path_; }
  // Every entry with its dtype, shape and offsets, sorted by name.
  const std::vector<TensorEntry>& entries() const { return header_.tensors; }
  const TensorEntry& entry(const std::string& name) const;  // throws naming the key if absent

 private:
  struct Mapping;
  std::string path_;
  std::shared_ptr<const Mapping> map_;
  SafetensorsHeader header_;
};

// Writes `tensors` to `path` atomically (a temporary file in the same folder, then a rename),
// in the layout of the Rust writer: compact JSON header, "__metadata__" first, tensors ordered by
// dtype alignment (widest first) then name, header space-padded to a multiple of 8, little-endian
// data. Supports F64, F32, F16, BF16, I64, I32, I16, I8, U8 and BOOL tensors on any device.
void save_safetensors(const std::string& path, const std::vector<std::pair<std::string, torch::Tensor>>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

// The safetensors name of a LibTorch dtype ("F32" for kFloat); throws for one the format lacks.
std::string safetensors_dtype(torch::ScalarType type);
// The LibTorch dtype of a safetensors name; throws for one LibTorch lacks (U16, U32, U64, F8_*).
torch::ScalarType torch_dtype(const std::string& dtype);

}  // namespace tessera::io
