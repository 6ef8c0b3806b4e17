#pragma once
// The sample order of one training epoch over several mixed streams: which samples, in which
// global order, and which of them each rank reads. Pure computation (no IO), deterministic from
// (seed, epoch, num_canonical_nodes) and the streams' shard sizes — never from the number of
// ranks. Torch-free. The algorithm is Tessera's own, in the spirit of mosaicml-streaming's
// (not bit-identical to its py1e/py1s):
//
//  1. Mixing. Each stream takes at most one of proportion / repeat / choose. proportion: the
//     stream's share of the epoch size (default: the sum of all streams' samples); repeat:
//     that many passes over the stream (fractions allowed); choose: that many samples. None:
//     repeat 1. A stream contributes floor(choose / n) whole passes plus a seeded random subset
//     (without replacement) of the rest, the subset re-drawn each epoch.
//  2. Spans. The chosen samples are grouped by shard (a span per stream shard); with shuffle
//     on, the spans are permuted (seed, epoch).
//  3. Canonical nodes. The span sequence is cut into num_canonical_nodes contiguous ranges of
//     near-equal sample counts; with shuffle on, each range is shuffled in blocks of
//     shuffle_block_size samples (seed, epoch, node, block).
//  4. Global order. Every node is padded to the longest by repeating its own first samples, and
//     the nodes are interleaved: global position p holds node p % N's sample p / N. A rank of a
//     world of W reads positions p = start + r, start + r + W, ...; when W divides N (or N
//     divides W) each rank therefore reads from the shards of its own nodes only.
//  5. Resume. Everything above depends only on (seed, epoch, N, streams), so a run that stopped
//     after `sample_in_epoch` global samples resumes with positions from sample_in_epoch on, in
//     exactly the order it would have read them, whatever the new world size.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace tessera::shards {

struct StreamMix {
  std::vector<uint64_t> shard_samples;  // samples in each shard of the stream, in index order
  std::optional<double> proportion;     // at most one of these three
  std::optional<double> repeat;
  std::optional<uint64_t> choose;
};

struct ShuffleOptions {
  bool shuffle = true;
  uint64_t seed = 9176;                  // streaming's default shuffle seed
  uint32_t num_canonical_nodes = 1;
  uint64_t shuffle_block_size = 1 << 18;
  std::optional<uint64_t> epoch_size;    // with proportions: samples per epoch (default: all)
};

// One entry of the order: which stream, and which sample of that stream (0-based over its shards).
struct SampleRef {
  uint32_t stream = 0;
  uint64_t sample = 0;
  bool operator==(const SampleRef& o) const { return stream == o.stream && sample == o.sample; }
};

struct EpochOrder {
  std::vector<SampleRef> global;   // every global position of the epoch (padded, see step 4)
  uint64_t chosen = 0;             // samples chosen before padding
  std::vector<uint64_t> per_stream;  // samples chosen from each stream
};

// How many samples each stream contributes per epoch (step 1's counts). Throws tessera::Error for
// an invalid mix (two of proportion/repeat/choose on one stream, proportions mixed with
// repeat/choose, negative values, an empty stream asked for samples).
std::vector<uint64_t> stream_choose_counts(const std::vector<StreamMix>& streams, const ShuffleOptions& options);

// An epoch's order computed on demand: memory grows with the number of shards (spans), the
// fractional-pass subsets and a few cached shuffle blocks, not with the epoch's sample count, so
// an epoch of hundreds of millions of samples costs each rank megabytes. Thread-safe.
class EpochPlan {
 public:
  EpochPlan(const std::vector<StreamMix>& streams, const ShuffleOptions& options, uint64_t epoch);
  uint64_t size() const { return size_; }      // global positions (padded, see step 4)
  uint64_t chosen() const { return chosen_; }  // samples chosen before padding
  const std::vector<uint64_t>& per_stream() const { return per_stream_; }
  SampleRef at(uint64_t position) const;       // position < size()

 private:
  struct Span {
    uint32_t stream;
    uint64_t first;    // first sample (whole passes) or offset into subsets_[subset]
    int64_t subset;    // -1: the samples first, first + 1, ...; else an index into subsets_
  };
  SampleRef flat(uint64_t i) const;      // i-th sample of the span sequence
  SampleRef shuffled(uint64_t j) const;  // after the per-node block shuffle
  std::shared_ptr<const std::vector<uint32_t>> block(uint64_t node, uint64_t index, uint64_t length) const;

  ShuffleOptions options_;
  uint64_t epoch_ = 0;
  std::vector<uint64_t> per_stream_;
  std::vector<Span> spans_;
  std::vector<uint64_t> span_starts_;  // prefix sums; back() = chosen_
  std::vector<std::vector<uint64_t>> subsets_;
  std::vector<uint64_t> bounds_;       // canonical node ranges
  uint64_t chosen_ = 0;
  uint64_t longest_ = 0;
  uint64_t size_ = 0;
  mutable std::mutex cache_mutex_;
  mutable std::map<std::pair<uint64_t, uint64_t>, std::shared_ptr<const std::vector<uint32_t>>> cache_;
  mutable std::vector<std::pair<uint64_t, uint64_t>> cache_order_;
};

// The whole epoch's global order, materialised (steps 1-4); for tests and small sets.
EpochOrder compute_epoch_order(const std::vector<StreamMix>& streams, const ShuffleOptions& options, uint64_t epoch);

// The positions rank `rank` of `world` reads, from global position `start` on: start + rank,
// start + rank + world, ... below `end`. Disjoint across ranks; together they cover [start, end).
std::vector<uint64_t> rank_positions(uint64_t start, uint64_t end, uint32_t rank, uint32_t world);

// A small deterministic PRNG (splitmix64-seeded xoshiro256**), identical on every platform.
class OrderRng {
 public:
  explicit OrderRng(std::initializer_list<uint64_t> key);
  uint64_t next();
  uint64_t below(uint64_t n);  // uniform in [0, n), n > 0, unbiased
 private:
  uint64_t s_[4];
};

}  // namespace tessera::shards
