#pragma once
// Reads an MDS shard set from a local folder: index.json, then shards on demand. Validates what
// it reads (index shape, file sizes, hashes of the compressed and raw data, offsets, column
// sizes); a bad shard stops with a tessera::Error naming the file. Torch-free.
//
//   MdsDataset ds("/data/shards");            // index.json + every shard file's size
//   auto shard = ds.load_shard(0);            // read, check hashes, decompress, check layout
//   MdsSampleView s = shard->sample(3);       // column payloads by index or name
//   std::string caption = s.str("caption");

#include "shards/mds_format.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tessera::shards {

struct MdsReadOptions {
  // Check the hashes listed in the index when a shard is loaded (sha1/xxh3_64/... of the file
  // and of the raw data). Off only for benchmarks on trusted data.
  bool verify_hashes = true;
};

class MdsShard;

// One sample's column payloads; valid while its MdsShard lives.
class MdsSampleView {
 public:
  MdsSampleView(const MdsShard* shard, std::vector<MdsSpan> spans) : shard_(shard), spans_(std::move(spans)) {}
  size_t columns() const { return spans_.size(); }
  const MdsSpan& payload(size_t column) const { return spans_.at(column); }
  const MdsSpan& payload(const std::string& column) const;
  // Typed access (tessera::Error when the column's encoding does not match).
  std::string str(const std::string& column) const;        // str, str_decimal, json text
  std::string bytes(const std::string& column) const;      // any column's payload as bytes
  int64_t int64(const std::string& column) const;          // int, int8..int64, uint8..uint32, str_int
  double number(const std::string& column) const;          // every numeric encoding
  NdArray ndarray(const std::string& column) const;
  // One JSON object: text and numbers as values, binary columns as SHA-1 hex.
  nlohmann::ordered_json to_json() const;

 private:
  size_t column_index(const std::string& column) const;
  const MdsShard* shard_;
  std::vector<MdsSpan> spans_;
};

// A loaded, validated raw shard.
class MdsShard {
 public:
  MdsShard(const MdsShardInfo& info, std::string raw, std::string origin);
  size_t size() const { return layout_.samples; }
  const MdsShardInfo& info() const { return info_; }
  const std::string& origin() const { return origin_; }
  // Bytes of sample i (size headers + payloads); throws std::out_of_range style Error.
  MdsSpan sample_bytes(size_t i) const;
  MdsSampleView sample(size_t i) const;

 private:
  const MdsShardInfo& info_;
  std::string raw_;
  std::string origin_;
  MdsShardLayout layout_;
};

class MdsDataset {
 public:
  // Reads index.json in `dir` and checks that every shard file exists with the size the index
  // gives. Throws tessera::Error.
  explicit MdsDataset(std::string dir, MdsReadOptions options = {});

  const std::string& dir() const { return dir_; }
  const MdsIndex& index() const { return index_; }
  size_t num_shards() const { return index_.shards.size(); }
  uint64_t num_samples() const { return total_; }
  // Global sample index -> (shard, index in shard).
  std::pair<size_t, size_t> locate(uint64_t sample) const;
  // The path of the file a shard is stored in (the compressed one when compressed).
  std::string shard_path(size_t shard) const;

  // Reads, verifies and decompresses one shard. Thread-safe.
  std::shared_ptr<const MdsShard> load_shard(size_t shard) const;

  // Loads every shard and decodes every sample of every column; `progress(shard)` after each.
  // Throws at the first problem, naming the file.
  void verify(const std::function<void(size_t)>& progress = {}) const;

 private:
  std::string dir_;
  MdsReadOptions options_;
  MdsIndex index_;
  std::vector<uint64_t> starts_;  // first global sample of each shard, plus the total
  uint64_t total_ = 0;
};

// Reads a whole file (at most `max_bytes`); throws tessera::Error naming it.
std::string read_file_bytes(const std::string& path, uint64_t max_bytes);

}  // namespace tessera::shards
