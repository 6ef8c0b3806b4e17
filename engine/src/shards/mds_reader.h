#pragma once
// Reads an MDS shard set from a local folder: index.json, then shards on demand. Validates what
// it reads (index shape, file sizes, hashes of the compressed and raw data, offsets, column
// sizes); a bad shard stops with a tessera::Error naming the file. Torch-free.
//
//   MdsDataset ds("/data/shards");            // index.json + every shard file's size
//   auto shard = ds.load_shard(0);            // open, check hashes (once), check the offset table
//   MdsSampleView s = shard->sample(3);       // column payloads by index or name
//   std::string caption = s.str("caption");
//
// Reading by offset: a raw (.mds) shard is never read whole. load_shard keeps the file open and
// reads its head (sample count, offset table, config), checked on every open; sample(i) reads
// one sample's bytes with pread. Shards stay open in a cache bounded by
// MdsReadOptions::open_shards (least recently used closed first).
// Hashes: checked once per shard per MdsDataset (a training process opens one), the first time
// the shard is opened, by streaming the file through the hash in chunks; later opens of a shard
// that passed are not re-hashed, while a shard that failed fails again each time it is touched.
// Like mosaicml-streaming (which checks hashes on download only), a shard changed in place after
// it passed is not noticed; sizes and offsets are checked on every open and every read.
// Compressed (.mds.zstd) shards are read and decompressed whole, and the decompressed shards are
// cached in memory up to MdsReadOptions::decompressed_cache_bytes.

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
  // Raw shards kept open (one file descriptor each) for reading samples by offset; at most half
  // the process's open-file limit (RLIMIT_NOFILE). 1024 covers a shuffle block's working set
  // (262,144 samples of ~400 per 64 MiB shard: ~650 shards), so shuffled reading rarely reopens.
  size_t open_shards = 1024;
  // Decompressed shards kept in memory (at least the one in use).
  uint64_t decompressed_cache_bytes = 512ull << 20;
};

class MdsShard;

// One sample's column payloads; valid while its MdsShard lives (and, for a view read into a
// caller's scratch buffer, while that buffer is unchanged).
class MdsSampleView {
 public:
  MdsSampleView(const MdsShard* shard, std::vector<MdsSpan> spans, std::shared_ptr<const std::string> owned = {})
      : shard_(shard), spans_(std::move(spans)), owned_(std::move(owned)) {}
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
  std::shared_ptr<const std::string> owned_;  // the sample's bytes when read from a file
};

// A validated raw shard: decompressed in memory, or an open .mds file read by offset.
class MdsShard {
 public:
  // In memory (decompressed shards, tests): checks the whole layout.
  MdsShard(const MdsShardInfo& info, std::string raw, std::string origin);
  // An open raw shard file of `file_size` bytes (this takes the descriptor): reads and checks
  // its head only. Samples are read with pread.
  MdsShard(const MdsShardInfo& info, int fd, uint64_t file_size, std::string origin);
  ~MdsShard();
  MdsShard(const MdsShard&) = delete;
  MdsShard& operator=(const MdsShard&) = delete;

  size_t size() const { return layout_.samples; }
  const MdsShardInfo& info() const { return info_; }
  const std::string& origin() const { return origin_; }
  bool in_memory() const { return fd_ < 0; }
  uint64_t memory_bytes() const { return raw_.size(); }
  // Sample i, its bytes owned by the view (one pread for a file). Throws tessera::Error.
  MdsSampleView sample(size_t i) const;
  // Sample i, read into `scratch` for a file (its capacity reused: no allocation once large
  // enough); the view is valid while this shard lives and `scratch` is unchanged. Thread-safe
  // for distinct scratch buffers.
  MdsSampleView sample(size_t i, std::string& scratch) const;
  // Sample i, read into `buffer` for a file (its capacity reused), which the view keeps alive:
  // for readers that recycle sample buffers instead of allocating one per sample.
  MdsSampleView sample(size_t i, std::shared_ptr<std::string> buffer) const;

 private:
  MdsSpan sample_bytes(size_t i, std::string* scratch, std::shared_ptr<std::string>* owned) const;
  const MdsShardInfo& info_;
  std::string raw_;
  int fd_ = -1;
  std::string origin_;
  MdsShardLayout layout_;
};

class MdsDataset {
 public:
  // Reads index.json in `dir` and checks that every shard file exists with the size the index
  // gives. Throws tessera::Error.
  explicit MdsDataset(std::string dir, MdsReadOptions options = {});
  ~MdsDataset();
  MdsDataset(MdsDataset&&) noexcept;

  const std::string& dir() const { return dir_; }
  const MdsIndex& index() const { return index_; }
  size_t num_shards() const { return index_.shards.size(); }
  uint64_t num_samples() const { return total_; }
  // Global sample index -> (shard, index in shard).
  std::pair<size_t, size_t> locate(uint64_t sample) const;
  // The path of the file a shard is stored in (the compressed one when compressed).
  std::string shard_path(size_t shard) const;

  // Opens (raw) or reads and decompresses (compressed) one shard, checking its hashes the first
  // time and its layout every time it is opened; cached (see the top of this file). Thread-safe.
  std::shared_ptr<const MdsShard> load_shard(size_t shard) const;

  // Loads every shard and decodes every sample of every column; `progress(shard)` after each.
  // Throws at the first problem, naming the file.
  void verify(const std::function<void(size_t)>& progress = {}) const;

 private:
  std::string dir_;
  std::shared_ptr<const MdsShard> open_shard(size_t shard) const;
  MdsReadOptions options_;
  MdsIndex index_;
  std::vector<uint64_t> starts_;  // first global sample of each shard, plus the total
  uint64_t total_ = 0;
  struct Cache;
  std::unique_ptr<Cache> cache_;  // open shards, decompressed shards, which shards passed their hashes
};

// Reads a whole file (at most `max_bytes`); throws tessera::Error naming it.
std::string read_file_bytes(const std::string& path, uint64_t max_bytes);

}  // namespace tessera::shards
