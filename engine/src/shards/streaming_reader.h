#pragma once
// The reader training uses: several MDS shard sets (streams) mixed, in the deterministic epoch
// order of streaming_order.h, this rank's slice of it, with worker threads that open shards
// (hashes checked once per shard, offset table on every open: see mds_reader.h), read each sample
// by offset and split it ahead of the consumer, in order. Mid-epoch resume from a small state.
// Torch-free.
//
//   StreamingReaderOptions o;  o.rank = rank;  o.world = world;  o.shuffle.num_canonical_nodes = 8;
//   StreamingReader reader({{"/data/256/a"}, {"/data/256/b", 0.25}}, o);   // second: proportion 0.25
//   reader.start_epoch(epoch);                       // or reader.resume(saved_state)
//   while (auto s = reader.next()) { auto view = s->view(); ... }
//   StreamingState state = reader.state();           // save with the checkpoint
//
// A bad shard (hash mismatch, truncation, bad offsets) makes next() throw the tessera::Error
// naming the file, at the sample that needed it.

#include "shards/mds_reader.h"
#include "shards/streaming_order.h"

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace tessera::shards {

struct StreamSource {
  std::string dir;
  std::optional<double> proportion;  // at most one of proportion / repeat / choose
  std::optional<double> repeat;
  std::optional<uint64_t> choose;
};

// What a checkpoint keeps to resume mid-epoch (streaming's names).
struct StreamingState {
  uint64_t epoch = 0;
  uint64_t sample_in_epoch = 0;        // global samples consumed (all ranks together)
  uint32_t num_canonical_nodes = 1;
  uint64_t shuffle_seed = 9176;
  uint32_t initial_physical_nodes = 1;  // informational: the world of the run's first start
  std::string to_json() const;
  static StreamingState from_json(const std::string& text);  // throws tessera::Error
};

struct StreamingReaderOptions {
  ShuffleOptions shuffle;
  uint32_t rank = 0;
  uint32_t world = 1;
  unsigned threads = 2;       // loader threads
  size_t prefetch = 256;      // samples loaded ahead of the consumer
  size_t shard_cache = 8;     // shards kept by the reader (behind it, each stream's MdsDataset
                              // keeps up to MdsReadOptions::open_shards open files and
                              // decompressed_cache_bytes of decompressed shards)
  bool verify_hashes = true;
  uint32_t initial_physical_nodes = 1;
};

struct StreamingSample {
  uint64_t position = 0;  // global position in the epoch
  uint32_t stream = 0;
  uint64_t sample = 0;    // index within its stream
  std::shared_ptr<const MdsShard> shard;
  size_t index = 0;       // index within the shard
  std::shared_ptr<const MdsSampleView> loaded;  // read and split by a loader thread
  MdsSampleView view() const { return loaded ? *loaded : shard->sample(index); }
};

class StreamingReader {
 public:
  // Opens every stream (index.json and file sizes are checked here). Throws tessera::Error.
  StreamingReader(std::vector<StreamSource> streams, StreamingReaderOptions options);
  ~StreamingReader();
  StreamingReader(const StreamingReader&) = delete;
  StreamingReader& operator=(const StreamingReader&) = delete;

  // Computes the epoch's order and starts loading this rank's slice from global position
  // `sample_in_epoch` on.
  void start_epoch(uint64_t epoch, uint64_t sample_in_epoch = 0);
  // start_epoch from a saved state; refuses a state whose seed or canonical node count differs
  // from this reader's (the order would differ).
  void resume(const StreamingState& state);

  // This rank's next sample, or nullopt at the end of the epoch. Rethrows a loader's error.
  std::optional<StreamingSample> next();

  // The state after the samples consumed so far (assuming every rank consumed as many).
  StreamingState state() const;
  uint64_t epoch_size() const { return plan_ ? plan_->size() : 0; }  // global positions this epoch
  const EpochPlan& plan() const { return *plan_; }
  size_t rank_samples() const { return count_; }  // this rank's share of the epoch from the start point
  const MdsDataset& dataset(size_t stream) const { return *datasets_.at(stream); }

 private:
  struct Loaded {
    StreamingSample sample;
    std::exception_ptr error;
  };
  void stop_workers();
  void worker();
  std::shared_ptr<const MdsShard> shard(uint32_t stream, size_t index);

  StreamingReaderOptions options_;
  std::vector<std::unique_ptr<MdsDataset>> datasets_;
  std::vector<StreamMix> mixes_;
  std::unique_ptr<EpochPlan> plan_;
  uint64_t epoch_ = 0;
  uint64_t start_ = 0;
  size_t count_ = 0;  // positions this rank reads: start_ + rank + i * world, i < count_

  std::mutex mutex_;
  std::condition_variable ready_cv_;
  std::condition_variable space_cv_;
  size_t claimed_ = 0;
  size_t consumed_ = 0;
  bool stopping_ = false;
  std::map<size_t, Loaded> ready_;
  std::vector<std::thread> workers_;

  // Sample buffers recycled between loader threads and consumed samples, so reading a sample
  // reuses memory instead of faulting in fresh pages for each one.
  struct BufferPool;
  std::shared_ptr<std::string> take_buffer();
  std::shared_ptr<BufferPool> buffers_;

  struct CacheEntry;
  std::mutex cache_mutex_;
  std::map<std::pair<uint32_t, size_t>, std::shared_ptr<CacheEntry>> cache_;
  std::vector<std::pair<uint32_t, size_t>> cache_order_;  // least recently inserted first
};

}  // namespace tessera::shards
