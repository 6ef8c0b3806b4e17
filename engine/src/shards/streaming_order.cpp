#include "shards/streaming_order.h"

#include "tessera/error.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_set>

namespace tessera::shards {
namespace {

constexpr const char* kMixHint = "give each stream at most one of proportion, repeat or choose";

uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

template <typename T>
void shuffle_range(T* first, size_t n, OrderRng& rng) {
  for (size_t i = n; i > 1; --i) std::swap(first[i - 1], first[rng.below(i)]);
}

// Tags that keep the random streams of different steps apart.
enum Tag : uint64_t { kSubset = 1, kSpans = 2, kBlocks = 3 };

}  // namespace

OrderRng::OrderRng(std::initializer_list<uint64_t> key) {
  uint64_t x = 0x5465737365726121ull;  // "Tessera!"
  for (const uint64_t k : key) {
    x ^= k;
    (void)splitmix64(x);
  }
  for (auto& s : s_) s = splitmix64(x);
}

uint64_t OrderRng::next() {
  const uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

uint64_t OrderRng::below(uint64_t n) {
  // Rejection sampling: unbiased for any n.
  const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t r = 0;
  do {
    r = next();
  } while (r >= limit);
  return r % n;
}

std::vector<uint64_t> stream_choose_counts(const std::vector<StreamMix>& streams, const ShuffleOptions& options) {
  if (streams.empty()) throw Error("no streams to read", "give the reader at least one shard set");
  bool any_proportion = false;
  bool any_absolute = false;
  uint64_t total = 0;
  for (size_t i = 0; i < streams.size(); ++i) {
    const StreamMix& s = streams[i];
    const int set = int{s.proportion.has_value()} + int{s.repeat.has_value()} + int{s.choose.has_value()};
    if (set > 1) throw Error("stream " + std::to_string(i) + " sets more than one of proportion, repeat and choose", kMixHint);
    if (s.proportion && !(*s.proportion > 0 && std::isfinite(*s.proportion)))
      throw Error("stream " + std::to_string(i) + ": proportion must be positive", kMixHint);
    if (s.repeat && !(*s.repeat >= 0 && std::isfinite(*s.repeat)))
      throw Error("stream " + std::to_string(i) + ": repeat must be zero or more", kMixHint);
    any_proportion = any_proportion || s.proportion.has_value();
    any_absolute = any_absolute || s.repeat.has_value() || s.choose.has_value();
    total += std::accumulate(s.shard_samples.begin(), s.shard_samples.end(), uint64_t{0});
  }
  if (any_proportion && any_absolute)
    throw Error("streams mix proportion with repeat/choose", "use proportions on every stream, or repeat/choose only");
  std::vector<uint64_t> counts(streams.size());
  if (any_proportion) {
    for (size_t i = 0; i < streams.size(); ++i)
      if (!streams[i].proportion) throw Error("stream " + std::to_string(i) + " lacks a proportion", "give every stream a proportion");
    const uint64_t epoch = options.epoch_size.value_or(total);
    double sum = 0;
    for (const auto& s : streams) sum += *s.proportion;
    // Largest remainder: floors first, then one more to the streams with the largest fractions.
    std::vector<std::pair<double, size_t>> fractions;
    uint64_t given = 0;
    for (size_t i = 0; i < streams.size(); ++i) {
      const double exact = static_cast<double>(epoch) * *streams[i].proportion / sum;
      counts[i] = static_cast<uint64_t>(std::floor(exact));
      given += counts[i];
      fractions.emplace_back(exact - std::floor(exact), i);
    }
    std::stable_sort(fractions.begin(), fractions.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (size_t k = 0; given < epoch && k < fractions.size(); ++k, ++given) ++counts[fractions[k].second];
  } else {
    for (size_t i = 0; i < streams.size(); ++i) {
      const uint64_t n = std::accumulate(streams[i].shard_samples.begin(), streams[i].shard_samples.end(), uint64_t{0});
      if (streams[i].choose) counts[i] = *streams[i].choose;
      else if (streams[i].repeat) counts[i] = static_cast<uint64_t>(std::floor(*streams[i].repeat * static_cast<double>(n)));
      else counts[i] = n;
    }
  }
  for (size_t i = 0; i < streams.size(); ++i) {
    const uint64_t n = std::accumulate(streams[i].shard_samples.begin(), streams[i].shard_samples.end(), uint64_t{0});
    if (n == 0 && counts[i] > 0) throw Error("stream " + std::to_string(i) + " has no samples to choose from", "check its shard set");
  }
  return counts;
}

EpochPlan::EpochPlan(const std::vector<StreamMix>& streams, const ShuffleOptions& options, uint64_t epoch)
    : options_(options), epoch_(epoch) {
  if (options.num_canonical_nodes < 1) throw Error("num_canonical_nodes must be at least 1", "set it to the node count of the first run");
  if (options.shuffle_block_size < 1 || options.shuffle_block_size > (uint64_t{1} << 31))
    throw Error("shuffle_block_size must be between 1 and 2^31", "use streaming's default, 262144");
  per_stream_ = stream_choose_counts(streams, options);
  const uint64_t seed = options.seed;

  // 1-2: spans of chosen samples, one per stream shard and pass.
  for (uint32_t s = 0; s < streams.size(); ++s) {
    const auto& shard_samples = streams[s].shard_samples;
    const uint64_t n = std::accumulate(shard_samples.begin(), shard_samples.end(), uint64_t{0});
    const uint64_t choose = per_stream_[s];
    if (choose == 0) continue;
    const uint64_t whole = choose / n;
    const uint64_t rest = choose % n;
    std::vector<uint64_t> subset;
    if (rest) {
      // Floyd's algorithm: `rest` distinct samples of n in O(rest) memory.
      std::unordered_set<uint64_t> picked;
      picked.reserve(static_cast<size_t>(rest) * 2);
      OrderRng rng({seed, epoch, kSubset, s});
      for (uint64_t j = n - rest; j < n; ++j) {
        const uint64_t t = rng.below(j + 1);
        if (!picked.insert(t).second) picked.insert(j);
      }
      subset.assign(picked.begin(), picked.end());
      std::sort(subset.begin(), subset.end());
    }
    const int64_t subset_index = rest ? static_cast<int64_t>(subsets_.size()) : -1;
    uint64_t first = 0;
    size_t cursor = 0;  // into subset
    for (const uint64_t count : shard_samples) {
      for (uint64_t pass = 0; pass < whole && count; ++pass) {
        spans_.push_back({s, first, -1});
        span_starts_.push_back(count);
      }
      const size_t begin = cursor;
      while (cursor < subset.size() && subset[cursor] < first + count) ++cursor;
      if (cursor > begin) {
        spans_.push_back({s, begin, subset_index});
        span_starts_.push_back(cursor - begin);
      }
      first += count;
    }
    if (rest) subsets_.push_back(std::move(subset));
  }
  if (options.shuffle) {
    // Permute spans and their lengths together.
    std::vector<size_t> perm(spans_.size());
    std::iota(perm.begin(), perm.end(), size_t{0});
    OrderRng rng({seed, epoch, kSpans});
    shuffle_range(perm.data(), perm.size(), rng);
    std::vector<Span> spans(spans_.size());
    std::vector<uint64_t> lengths(spans_.size());
    for (size_t i = 0; i < perm.size(); ++i) {
      spans[i] = spans_[perm[i]];
      lengths[i] = span_starts_[perm[i]];
    }
    spans_ = std::move(spans);
    span_starts_ = std::move(lengths);
  }
  // Lengths -> starts (exclusive prefix sums), with the total at the back.
  uint64_t total = 0;
  for (auto& v : span_starts_) {
    const uint64_t len = v;
    v = total;
    total += len;
  }
  span_starts_.push_back(total);
  chosen_ = total;
  if (total == 0) return;

  // 3-4: canonical node ranges; every node padded to the longest.
  const uint64_t nodes = options.num_canonical_nodes;
  bounds_.resize(nodes + 1);
  for (uint64_t i = 0; i <= nodes; ++i) bounds_[i] = total / nodes * i + (total % nodes) * i / nodes;
  for (uint64_t node = 0; node < nodes; ++node) longest_ = std::max(longest_, bounds_[node + 1] - bounds_[node]);
  size_ = nodes * longest_;
}

SampleRef EpochPlan::flat(uint64_t i) const {
  const auto it = std::upper_bound(span_starts_.begin(), span_starts_.end() - 1, i);
  const size_t k = static_cast<size_t>(it - span_starts_.begin()) - 1;
  const Span& span = spans_[k];
  const uint64_t off = i - span_starts_[k];
  if (span.subset < 0) return {span.stream, span.first + off};
  return {span.stream, subsets_[static_cast<size_t>(span.subset)][span.first + off]};
}

std::shared_ptr<const std::vector<uint32_t>> EpochPlan::block(uint64_t node, uint64_t index, uint64_t length) const {
  const auto key = std::make_pair(node, index);
  std::lock_guard<std::mutex> lock(cache_mutex_);
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  // The same swaps as shuffling the block in place: shuffled[j] = original[perm[j]].
  auto perm = std::make_shared<std::vector<uint32_t>>(static_cast<size_t>(length));
  std::iota(perm->begin(), perm->end(), uint32_t{0});
  OrderRng rng({options_.seed, epoch_, kBlocks, node, index});
  shuffle_range(perm->data(), perm->size(), rng);
  cache_[key] = perm;
  cache_order_.push_back(key);
  const size_t capacity = 2 * static_cast<size_t>(options_.num_canonical_nodes) + 4;
  while (cache_order_.size() > capacity) {
    cache_.erase(cache_order_.front());
    cache_order_.erase(cache_order_.begin());
  }
  return perm;
}

SampleRef EpochPlan::shuffled(uint64_t j) const {
  if (!options_.shuffle) return flat(j);
  const auto it = std::upper_bound(bounds_.begin(), bounds_.end() - 1, j);
  const uint64_t node = static_cast<uint64_t>(it - bounds_.begin()) - 1;
  const uint64_t begin = bounds_[node];
  const uint64_t end = bounds_[node + 1];
  const uint64_t b = options_.shuffle_block_size;
  const uint64_t index = (j - begin) / b;
  const uint64_t block_begin = begin + index * b;
  const auto perm = block(node, index, std::min(end, block_begin + b) - block_begin);
  return flat(block_begin + (*perm)[static_cast<size_t>(j - block_begin)]);
}

SampleRef EpochPlan::at(uint64_t position) const {
  if (position >= size_) throw Error("position " + std::to_string(position) + " is past the epoch (" + std::to_string(size_) + ")", "");
  const uint64_t nodes = options_.num_canonical_nodes;
  const uint64_t node = position % nodes;
  const uint64_t i = position / nodes;
  const uint64_t len = bounds_[node + 1] - bounds_[node];
  // An empty node (fewer samples than nodes) borrows from the whole sequence.
  return shuffled(len ? bounds_[node] + i % len : (node + i) % chosen_);
}

EpochOrder compute_epoch_order(const std::vector<StreamMix>& streams, const ShuffleOptions& options, uint64_t epoch) {
  const EpochPlan plan(streams, options, epoch);
  EpochOrder out;
  out.chosen = plan.chosen();
  out.per_stream = plan.per_stream();
  out.global.reserve(static_cast<size_t>(plan.size()));
  for (uint64_t p = 0; p < plan.size(); ++p) out.global.push_back(plan.at(p));
  return out;
}

std::vector<uint64_t> rank_positions(uint64_t start, uint64_t end, uint32_t rank, uint32_t world) {
  if (world < 1 || rank >= world) throw Error("rank " + std::to_string(rank) + " is outside a world of " + std::to_string(world), "");
  std::vector<uint64_t> out;
  if (start >= end) return out;
  out.reserve(static_cast<size_t>((end - start) / world + 1));
  for (uint64_t p = start + rank; p < end; p += world) out.push_back(p);
  return out;
}

}  // namespace tessera::shards
