#include "shards/streaming_reader.h"

#include "tessera/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <future>

namespace tessera::shards {

// A shard being loaded or loaded: every worker that needs it waits on the same future.
struct StreamingReader::CacheEntry {
  std::shared_future<std::shared_ptr<const MdsShard>> future;
};

struct StreamingReader::BufferPool {
  std::mutex mutex;
  std::vector<std::unique_ptr<std::string>> free;
  size_t keep = 0;
};

std::shared_ptr<std::string> StreamingReader::take_buffer() {
  std::unique_ptr<std::string> buffer;
  {
    std::lock_guard<std::mutex> lock(buffers_->mutex);
    if (!buffers_->free.empty()) {
      buffer = std::move(buffers_->free.back());
      buffers_->free.pop_back();
    }
  }
  if (!buffer) buffer = std::make_unique<std::string>();
  // The deleter holds the pool, so a sample that outlives the reader still frees cleanly.
  return std::shared_ptr<std::string>(buffer.release(), [pool = buffers_](std::string* b) {
    std::unique_ptr<std::string> owned(b);
    std::lock_guard<std::mutex> lock(pool->mutex);
    if (pool->free.size() < pool->keep) pool->free.push_back(std::move(owned));
  });
}

std::string StreamingState::to_json() const {
  const nlohmann::json j = {{"epoch", epoch},
                            {"sample_in_epoch", sample_in_epoch},
                            {"num_canonical_nodes", num_canonical_nodes},
                            {"shuffle_seed", shuffle_seed},
                            {"initial_physical_nodes", initial_physical_nodes}};
  return j.dump();
}

StreamingState StreamingState::from_json(const std::string& text) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  const char* hint = "the saved reader state is damaged; resume from the epoch start instead";
  if (!j.is_object()) throw Error("reader state is not a JSON object", hint);
  StreamingState s;
  auto get = [&](const char* key, auto& out) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number_unsigned()) throw Error(std::string("reader state lacks a valid \"") + key + "\"", hint);
    out = it->get<std::remove_reference_t<decltype(out)>>();
  };
  get("epoch", s.epoch);
  get("sample_in_epoch", s.sample_in_epoch);
  get("num_canonical_nodes", s.num_canonical_nodes);
  get("shuffle_seed", s.shuffle_seed);
  get("initial_physical_nodes", s.initial_physical_nodes);
  return s;
}

StreamingReader::StreamingReader(std::vector<StreamSource> streams, StreamingReaderOptions options)
    : options_(std::move(options)) {
  if (options_.world < 1 || options_.rank >= options_.world)
    throw Error("rank " + std::to_string(options_.rank) + " is outside a world of " + std::to_string(options_.world),
                "check RANK and WORLD_SIZE");
  if (options_.threads < 1) options_.threads = 1;
  if (options_.prefetch < 1) options_.prefetch = 1;
  if (options_.shard_cache < 1) options_.shard_cache = 1;
  buffers_ = std::make_shared<BufferPool>();
  buffers_->keep = options_.prefetch + options_.threads + 16;
  MdsReadOptions read;
  read.verify_hashes = options_.verify_hashes;
  for (const auto& s : streams) {
    datasets_.push_back(std::make_unique<MdsDataset>(s.dir, read));
    StreamMix mix;
    for (const auto& shard : datasets_.back()->index().shards) mix.shard_samples.push_back(shard.samples);
    mix.proportion = s.proportion;
    mix.repeat = s.repeat;
    mix.choose = s.choose;
    mixes_.push_back(std::move(mix));
  }
  (void)stream_choose_counts(mixes_, options_.shuffle);  // reject a bad mix now, not at the first epoch
}

StreamingReader::~StreamingReader() { stop_workers(); }

void StreamingReader::stop_workers() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  space_cv_.notify_all();
  ready_cv_.notify_all();
  for (auto& t : workers_) t.join();
  workers_.clear();
}

void StreamingReader::start_epoch(uint64_t epoch, uint64_t sample_in_epoch) {
  stop_workers();
  plan_ = std::make_unique<EpochPlan>(mixes_, options_.shuffle, epoch);
  epoch_ = epoch;
  start_ = std::min<uint64_t>(sample_in_epoch, plan_->size());
  const uint64_t first = start_ + options_.rank;
  count_ = first < plan_->size() ? static_cast<size_t>((plan_->size() - first + options_.world - 1) / options_.world) : 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    claimed_ = 0;
    consumed_ = 0;
    ready_.clear();
    stopping_ = false;
  }
  for (unsigned i = 0; i < options_.threads; ++i) workers_.emplace_back([this] { worker(); });
}

void StreamingReader::resume(const StreamingState& state) {
  if (state.shuffle_seed != options_.shuffle.seed || state.num_canonical_nodes != options_.shuffle.num_canonical_nodes)
    throw Error("the saved reader state was made with seed " + std::to_string(state.shuffle_seed) + " and " +
                    std::to_string(state.num_canonical_nodes) + " canonical nodes, this reader has seed " +
                    std::to_string(options_.shuffle.seed) + " and " + std::to_string(options_.shuffle.num_canonical_nodes),
                "resume with the run's original shuffle seed and num_canonical_nodes");
  start_epoch(state.epoch, state.sample_in_epoch);
}

StreamingState StreamingReader::state() const {
  StreamingState s;
  s.epoch = epoch_;
  s.sample_in_epoch = std::min<uint64_t>(start_ + uint64_t{consumed_} * options_.world, epoch_size());
  s.num_canonical_nodes = options_.shuffle.num_canonical_nodes;
  s.shuffle_seed = options_.shuffle.seed;
  s.initial_physical_nodes = options_.initial_physical_nodes;
  return s;
}

std::shared_ptr<const MdsShard> StreamingReader::shard(uint32_t stream, size_t index) {
  std::shared_ptr<CacheEntry> entry;
  std::promise<std::shared_ptr<const MdsShard>> promise;
  bool load = false;
  {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    const auto key = std::make_pair(stream, index);
    auto it = cache_.find(key);
    if (it != cache_.end()) {
      entry = it->second;
    } else {
      entry = std::make_shared<CacheEntry>();
      entry->future = promise.get_future().share();
      cache_[key] = entry;
      cache_order_.push_back(key);
      while (cache_order_.size() > options_.shard_cache) {
        cache_.erase(cache_order_.front());  // samples in flight keep their shard alive
        cache_order_.erase(cache_order_.begin());
      }
      load = true;
    }
  }
  if (load) {
    try {
      promise.set_value(datasets_[stream]->load_shard(index));
    } catch (...) {
      promise.set_exception(std::current_exception());
    }
  }
  return entry->future.get();  // rethrows the loader's error
}

void StreamingReader::worker() {
  while (true) {
    size_t i = 0;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      space_cv_.wait(lock, [&] { return stopping_ || claimed_ >= count_ || claimed_ < consumed_ + options_.prefetch; });
      if (stopping_ || claimed_ >= count_) return;
      i = claimed_++;
    }
    Loaded loaded;
    try {
      const uint64_t pos = start_ + options_.rank + uint64_t{i} * options_.world;
      const SampleRef ref = plan_->at(pos);
      const auto [shard_index, in_shard] = datasets_[ref.stream]->locate(ref.sample);
      StreamingSample& s = loaded.sample;
      s.position = pos;
      s.stream = ref.stream;
      s.sample = ref.sample;
      s.shard = shard(ref.stream, shard_index);
      s.index = in_shard;
      // Read (by offset), split and bounds-check now, off the consumer's thread.
      s.loaded = std::make_shared<const MdsSampleView>(s.shard->sample(in_shard, take_buffer()));
    } catch (...) {
      loaded.error = std::current_exception();
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ready_[i] = std::move(loaded);
    }
    ready_cv_.notify_all();
  }
}

std::optional<StreamingSample> StreamingReader::next() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (consumed_ >= count_) return std::nullopt;
  if (workers_.empty()) throw Error("StreamingReader::next before start_epoch", "call start_epoch or resume first");
  ready_cv_.wait(lock, [&] { return ready_.count(consumed_) != 0; });
  auto node = ready_.extract(consumed_);
  Loaded loaded = std::move(node.mapped());
  if (loaded.error) {  // consumed_ stays: the sample was not read, and the next call fails the same way
    const std::exception_ptr error = loaded.error;
    ready_[consumed_] = std::move(loaded);
    std::rethrow_exception(error);
  }
  ++consumed_;
  lock.unlock();
  space_cv_.notify_all();
  return std::move(loaded.sample);
}

}  // namespace tessera::shards
