#pragma once
// The MDS on-disk layout without file IO: index.json (version 2) parsing and writing, and shard
// files (raw bytes) parsing and building. Every parser works on untrusted bytes: bounded sizes,
// bounded JSON nesting, offsets checked before use; failures are tessera::Error naming `origin`.
// Torch-free; used by MdsWriter, MdsDataset and the fuzzer.
//
// Shard file (little-endian): uint32 n; uint32 offsets[n+1] (absolute, offsets[n] = file size);
// the shard config JSON (json.dumps(sort_keys=True) of version, format, compression, hashes,
// size_limit, column_names, column_encodings, column_sizes); then the samples. A sample is one
// uint32 size per variable-size column (column order), then every column's payload.

#include "shards/mds_encoding.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tessera::shards {

// Limits for untrusted input.
inline constexpr uint64_t kMaxIndexBytes = 256ull << 20;  // index.json
inline constexpr uint64_t kMaxShardBytes = 0xFFFFFFFFull;  // uint32 offsets
inline constexpr size_t kMaxShards = 10'000'000;
inline constexpr size_t kMaxColumns = 4096;

struct MdsFileInfo {
  std::string basename;
  uint64_t bytes = 0;
  std::map<std::string, std::string> hashes;  // algo -> hex
};

struct MdsShardInfo {
  std::vector<std::string> column_names;       // sorted by the writer
  std::vector<std::string> column_encodings;
  std::vector<std::optional<uint64_t>> column_sizes;
  std::string compression;                     // "" when null
  std::vector<std::string> hashes;
  MdsFileInfo raw_data;
  std::optional<MdsFileInfo> zip_data;
  uint64_t samples = 0;
  std::optional<uint64_t> size_limit;
  std::vector<MdsEncoding> encodings;          // parsed column_encodings
};

struct MdsIndex {
  std::vector<MdsShardInfo> shards;
  uint64_t total_samples() const;
};

// Parses and validates index.json: {"shards": [...], "version": 2}; each shard of format "mds",
// version 2, columns consistent (names unique, encodings known and safe, sizes matching the
// encodings), compression supported, basenames plain file names, zip_data present exactly when
// compressed, sizes within the limits.
MdsIndex parse_mds_index(const uint8_t* data, size_t size, const std::string& origin);

// index.json text as streaming writes it (json.dumps sort_keys, default separators).
std::string mds_index_json(const MdsIndex& index);
// The shard config JSON embedded in each shard file.
std::string mds_shard_config_json(const MdsShardInfo& shard);

// Where each sample of a raw shard lies. Offsets are absolute within the shard bytes.
struct MdsShardLayout {
  uint32_t samples = 0;
  std::vector<uint32_t> offsets;  // samples + 1 entries, non-decreasing, last = shard size
  std::string config_json;
};

// Validates a raw (decompressed) shard against its index entry: sample count, offsets inside the
// data and monotonic, the first sample right after the config, the config a JSON object whose
// columns agree with the index, last offset = size.
MdsShardLayout parse_mds_shard(const uint8_t* data, size_t size, const MdsShardInfo& info, const std::string& origin);

// The same checks from the shard's head alone, for reading samples by offset from a file:
// `head` holds the file's first `head_size` bytes, which must cover the offset table and the
// config (offsets[0] bytes: read 4 bytes for n, then 4 * (n + 1), then up to offsets[0]);
// `file_size` is the whole file's size. parse_mds_shard is this with the whole shard as head.
MdsShardLayout parse_mds_shard_head(const uint8_t* head, size_t head_size, uint64_t file_size, const MdsShardInfo& info,
                                    const std::string& origin);

// A column payload inside a sample.
struct MdsSpan {
  const uint8_t* data = nullptr;
  size_t size = 0;
};

// Splits one sample's bytes into its column payloads (sizes checked against the bytes).
std::vector<MdsSpan> split_mds_sample(const uint8_t* data, size_t size, const MdsShardInfo& info, const std::string& origin);

// Builds a raw shard from encoded samples (each already the size header + payloads).
std::string build_mds_shard(const std::vector<std::string>& samples, const std::string& config_json);

}  // namespace tessera::shards
