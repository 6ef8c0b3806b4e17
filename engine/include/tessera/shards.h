#pragma once
// MDS shard sets (mosaicml-streaming's format): the facade behind `tessera shards inspect`.
// Plain structs; no torch, no Qt.

#include "tessera/error.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace tessera {

struct ShardColumnInfo {
  std::string name;
  std::string encoding;  // e.g. "str", "jpeg", "ndarray:float16:4,32,32"
};

struct ShardFileInfo {
  std::string file;        // basename of the stored file (.mds or .mds.zstd)
  uint64_t samples = 0;
  uint64_t raw_bytes = 0;  // uncompressed shard size
  uint64_t file_bytes = 0; // stored size
};

struct ShardSetSummary {
  std::string dir;
  uint64_t samples = 0;
  uint64_t raw_bytes = 0;
  uint64_t file_bytes = 0;
  std::vector<ShardColumnInfo> columns;  // of the first shard (all shards are checked to agree)
  std::string compression;               // "" when none
  std::vector<std::string> hashes;
  std::vector<ShardFileInfo> shards;
};

struct ShardInspectOptions {
  // Called with one JSON object per sample (text and numbers as values, binary columns as their
  // SHA-1 hex), in stored order. Empty: no dump.
  std::function<void(const std::string& json_line)> dump;
  // Called after each shard has been verified.
  std::function<void(size_t shard, size_t shards)> progress;
};

// Validates a shard set completely (index, file sizes, hashes of stored and raw data, offsets,
// every sample of every column) and summarises it. Fails at the first problem, naming the file.
Status inspect_shards(const std::string& dir, ShardSetSummary* out, const ShardInspectOptions& options = {});

}  // namespace tessera
