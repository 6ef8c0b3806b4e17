#include "shards/mds_reader.h"

#include "shards/mds_hash.h"
#include "tessera/error.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>

namespace tessera::shards {

namespace fs = std::filesystem;

namespace {

constexpr const char* kRewriteHint = "the shard is damaged or incomplete; re-download it or re-write the shard set";

void check_hashes(const MdsFileInfo& info, const std::vector<std::string>& algos, const std::string& data,
                  const std::string& origin) {
  for (const auto& algo : algos) {
    auto it = info.hashes.find(algo);
    if (it == info.hashes.end()) continue;
    if (!is_supported_hash(algo)) continue;  // recorded with a hash Tessera lacks: nothing to check
    const std::string got = hash_hex(algo, reinterpret_cast<const uint8_t*>(data.data()), data.size());
    if (got != it->second) throw Error(origin + ": " + algo + " hash mismatch (index " + it->second + ", file " + got + ")", kRewriteHint);
  }
}

// Reads exactly `size` bytes at `offset`; a short read means the file shrank.
void pread_exact(int fd, uint8_t* out, size_t size, uint64_t offset, const std::string& origin) {
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pread(fd, out + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error("error reading " + origin + ": " + std::strerror(errno), "check the disk");
    if (n == 0) throw Error(origin + ": ends early (truncated while being read?)", kRewriteHint);
    done += static_cast<size_t>(n);
  }
}

// Streams a whole open file through the index's hashes in chunks (no copy of the file is kept).
void check_file_hashes(int fd, uint64_t size, const MdsFileInfo& info, const std::vector<std::string>& algos,
                       const std::string& origin) {
  std::vector<std::pair<std::string, std::unique_ptr<HashStream>>> streams;
  for (const auto& algo : algos) {
    if (!info.hashes.count(algo) || !is_supported_hash(algo)) continue;  // as check_hashes
    streams.emplace_back(algo, std::make_unique<HashStream>(algo));
  }
  if (streams.empty()) return;
  (void)::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  constexpr size_t kChunk = 256 << 10;  // stays in L2 between the copy and the hash
  thread_local std::string chunk;  // reused: no fresh pages per shard
  if (chunk.size() < kChunk) chunk.resize(kChunk);
  auto* buf = reinterpret_cast<uint8_t*>(chunk.data());
  for (uint64_t pos = 0; pos < size;) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(kChunk, size - pos));
    pread_exact(fd, buf, n, pos, origin);
    for (auto& [algo, h] : streams) h->update(buf, n);
    pos += n;
  }
  for (auto& [algo, h] : streams) {
    const std::string got = h->hex();
    const std::string& want = info.hashes.at(algo);
    if (got != want) throw Error(origin + ": " + algo + " hash mismatch (index " + want + ", file " + got + ")", kRewriteHint);
  }
}

}  // namespace

std::string read_file_bytes(const std::string& path, uint64_t max_bytes) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), std::fclose);
  if (!f) throw Error("cannot open " + path + ": " + std::strerror(errno), "check that the file exists and is readable");
  // One read of the whole file (its size known up front), plus a probe for growth since.
  std::error_code ec;
  const uint64_t expected = fs::file_size(path, ec);
  if (ec) throw Error("cannot read " + path + ": " + ec.message(), "check that the file exists and is readable");
  if (expected > max_bytes) throw Error(path + " is larger than " + std::to_string(max_bytes) + " bytes", kRewriteHint);
  std::string out(static_cast<size_t>(expected), '\0');
  const size_t got = expected ? std::fread(out.data(), 1, out.size(), f.get()) : 0;
  if (std::ferror(f.get())) throw Error("error reading " + path, "check the disk");
  out.resize(got);  // shorter when the file shrank meanwhile: callers compare with the index
  char probe = 0;
  if (std::fread(&probe, 1, 1, f.get()) == 1)
    throw Error(path + " grew while being read", "do not write into a shard set while it is read");
  return out;
}

// --- MdsSampleView ---------------------------------------------------------------------------

size_t MdsSampleView::column_index(const std::string& column) const {
  const auto& names = shard_->info().column_names;
  auto it = std::find(names.begin(), names.end(), column);
  if (it == names.end()) throw Error(shard_->origin() + ": no column '" + column + "'", "check the column names with `tessera shards inspect`");
  return static_cast<size_t>(it - names.begin());
}

const MdsSpan& MdsSampleView::payload(const std::string& column) const { return spans_[column_index(column)]; }

std::string MdsSampleView::bytes(const std::string& column) const {
  const MdsSpan& p = payload(column);
  return std::string(reinterpret_cast<const char*>(p.data), p.size);
}

std::string MdsSampleView::str(const std::string& column) const {
  const size_t c = column_index(column);
  const MdsEncoding& e = shard_->info().encodings[c];
  using K = MdsEncoding::Kind;
  if (e.kind != K::kStr && e.kind != K::kStrDecimal && e.kind != K::kJson)
    throw Error("column '" + column + "' is " + e.text + ", not text", "read it with the accessor for its encoding");
  (void)mds_payload_to_json(e, spans_[c].data, spans_[c].size);  // validates UTF-8 / JSON
  return std::string(reinterpret_cast<const char*>(spans_[c].data), spans_[c].size);
}

int64_t MdsSampleView::int64(const std::string& column) const {
  const size_t c = column_index(column);
  const MdsEncoding& e = shard_->info().encodings[c];
  const auto v = mds_payload_to_json(e, spans_[c].data, spans_[c].size);
  if (v.is_number_integer() && (!v.is_number_unsigned() || v.get<uint64_t>() <= static_cast<uint64_t>(INT64_MAX)))
    return v.get<int64_t>();
  throw Error("column '" + column + "' (" + e.text + ") does not hold a 64-bit signed integer", "read it with number()");
}

double MdsSampleView::number(const std::string& column) const {
  const size_t c = column_index(column);
  const MdsEncoding& e = shard_->info().encodings[c];
  const auto v = mds_payload_to_json(e, spans_[c].data, spans_[c].size);
  if (!v.is_number()) throw Error("column '" + column + "' (" + e.text + ") is not numeric", "read it with str() or bytes()");
  return v.get<double>();
}

NdArray MdsSampleView::ndarray(const std::string& column) const {
  const size_t c = column_index(column);
  const MdsEncoding& e = shard_->info().encodings[c];
  if (e.kind != MdsEncoding::Kind::kNdArray) throw Error("column '" + column + "' is " + e.text + ", not ndarray", "");
  return decode_ndarray(e, spans_[c].data, spans_[c].size);
}

nlohmann::ordered_json MdsSampleView::to_json() const {
  nlohmann::ordered_json o = nlohmann::ordered_json::object();
  const MdsShardInfo& info = shard_->info();
  for (size_t c = 0; c < spans_.size(); ++c) {
    try {
      o[info.column_names[c]] = mds_payload_to_json(info.encodings[c], spans_[c].data, spans_[c].size);
    } catch (const Error& err) {
      throw Error(shard_->origin() + ": column '" + info.column_names[c] + "': " + err.what(), err.hint());
    }
  }
  return o;
}

// --- MdsShard --------------------------------------------------------------------------------

MdsShard::MdsShard(const MdsShardInfo& info, std::string raw, std::string origin)
    : info_(info), raw_(std::move(raw)), origin_(std::move(origin)) {
  layout_ = parse_mds_shard(reinterpret_cast<const uint8_t*>(raw_.data()), raw_.size(), info_, origin_);
}

MdsShard::MdsShard(const MdsShardInfo& info, int fd, uint64_t file_size, std::string origin)
    : info_(info), fd_(fd), origin_(std::move(origin)) {
  try {
    // The head: sample count, offset table, config (offsets[0] bytes), each read only once the
    // bytes before it make sense; parse_mds_shard_head checks it all as parse_mds_shard would
    // and throws the same messages when a part is missing or wrong.
    std::string head(static_cast<size_t>(std::min<uint64_t>(8, file_size)), '\0');
    auto bytes = [&head] { return reinterpret_cast<uint8_t*>(head.data()); };
    auto extend = [&](uint64_t to) {
      const size_t had = head.size();
      head.resize(static_cast<size_t>(to));
      pread_exact(fd_, bytes() + had, head.size() - had, had, origin_);
    };
    pread_exact(fd_, bytes(), head.size(), 0, origin_);
    if (head.size() == 8) {
      uint32_t n = 0;
      std::memcpy(&n, head.data(), 4);
      const uint64_t table = 4 + 4 * (uint64_t{n} + 1);
      if (n == info_.samples && table <= file_size) {
        extend(table);
        uint32_t first = 0;
        std::memcpy(&first, head.data() + 4, 4);
        if (first > table && first <= file_size) extend(first);
      }
    }
    layout_ = parse_mds_shard_head(bytes(), head.size(), file_size, info_, origin_);
  } catch (...) {
    ::close(fd_);
    fd_ = -1;
    throw;
  }
}

MdsShard::~MdsShard() {
  if (fd_ >= 0) ::close(fd_);
}

MdsSpan MdsShard::sample_bytes(size_t i, std::string* scratch, std::shared_ptr<std::string>* owned) const {
  if (i >= layout_.samples)
    throw Error(origin_ + ": sample " + std::to_string(i) + " out of range (" + std::to_string(layout_.samples) + " samples)", "");
  const uint32_t begin = layout_.offsets[i];
  const size_t size = size_t{layout_.offsets[i + 1]} - begin;
  if (fd_ < 0) return {reinterpret_cast<const uint8_t*>(raw_.data()) + begin, size};
  std::string* out = scratch;
  if (!out) {
    *owned = std::make_shared<std::string>();
    out = owned->get();
  }
  if (out->size() < size) out->resize(size);
  pread_exact(fd_, reinterpret_cast<uint8_t*>(out->data()), size, begin, origin_);
  return {reinterpret_cast<const uint8_t*>(out->data()), size};
}

MdsSampleView MdsShard::sample(size_t i) const {
  std::shared_ptr<std::string> owned;
  const MdsSpan s = sample_bytes(i, nullptr, &owned);
  return MdsSampleView(this, split_mds_sample(s.data, s.size, info_, origin_ + " sample " + std::to_string(i)), std::move(owned));
}

MdsSampleView MdsShard::sample(size_t i, std::shared_ptr<std::string> buffer) const {
  const MdsSpan s = sample_bytes(i, buffer.get(), nullptr);
  return MdsSampleView(this, split_mds_sample(s.data, s.size, info_, origin_ + " sample " + std::to_string(i)),
                       in_memory() ? nullptr : std::move(buffer));
}

MdsSampleView MdsShard::sample(size_t i, std::string& scratch) const {
  const MdsSpan s = sample_bytes(i, &scratch, nullptr);
  return MdsSampleView(this, split_mds_sample(s.data, s.size, info_, origin_ + " sample " + std::to_string(i)));
}

// --- MdsDataset ------------------------------------------------------------------------------

struct MdsDataset::Cache {
  struct Entry {
    std::shared_ptr<const MdsShard> shard;
    uint64_t last_use = 0;
  };
  std::mutex mutex;
  std::map<size_t, Entry> entries;
  uint64_t clock = 0;
  size_t open_files = 0;
  uint64_t memory_bytes = 0;
  std::vector<uint8_t> verified;  // per shard: its hashes passed once

  void evict(const MdsReadOptions& o, size_t keep) {
    while (true) {
      const bool too_many = open_files > std::max<size_t>(o.open_shards, 1);
      const bool too_big = memory_bytes > o.decompressed_cache_bytes;
      if (!too_many && !too_big) return;
      auto victim = entries.end();
      for (auto it = entries.begin(); it != entries.end(); ++it) {
        if (it->first == keep || it->second.shard->in_memory() != too_big) continue;
        if (victim == entries.end() || it->second.last_use < victim->second.last_use) victim = it;
      }
      if (victim == entries.end()) return;  // only the shard in use is left
      if (victim->second.shard->in_memory()) memory_bytes -= victim->second.shard->memory_bytes();
      else --open_files;
      entries.erase(victim);  // readers still holding it keep it alive
    }
  }
};

MdsDataset::~MdsDataset() = default;
MdsDataset::MdsDataset(MdsDataset&&) noexcept = default;

MdsDataset::MdsDataset(std::string dir, MdsReadOptions options)
    : dir_(std::move(dir)), options_(options), cache_(std::make_unique<Cache>()) {
  struct rlimit files {};
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY)
    options_.open_shards = std::min<uint64_t>(options_.open_shards, std::max<uint64_t>(files.rlim_cur / 2, 1));
  const std::string index_path = (fs::path(dir_) / "index.json").string();
  std::error_code ec;
  if (!fs::exists(index_path, ec))
    throw Error(dir_ + " holds no index.json", "point at a folder written by `tessera shards write` or mosaicml-streaming");
  const std::string text = read_file_bytes(index_path, kMaxIndexBytes);
  index_ = parse_mds_index(reinterpret_cast<const uint8_t*>(text.data()), text.size(), index_path);
  starts_.reserve(index_.shards.size() + 1);
  for (size_t i = 0; i < index_.shards.size(); ++i) {
    starts_.push_back(total_);
    total_ += index_.shards[i].samples;
    const std::string path = shard_path(i);
    const MdsFileInfo& file = index_.shards[i].zip_data ? *index_.shards[i].zip_data : index_.shards[i].raw_data;
    const auto size = fs::file_size(path, ec);
    if (ec) throw Error(path + ": missing (" + ec.message() + ")", "re-download the shard set; index.json lists this file");
    if (size != file.bytes)
      throw Error(path + ": " + std::to_string(size) + " bytes, the index says " + std::to_string(file.bytes) + " (truncated?)", kRewriteHint);
  }
  starts_.push_back(total_);
  cache_->verified.assign(index_.shards.size(), 0);
}

std::string MdsDataset::shard_path(size_t shard) const {
  const MdsShardInfo& s = index_.shards.at(shard);
  return (fs::path(dir_) / (s.zip_data ? s.zip_data->basename : s.raw_data.basename)).string();
}

std::pair<size_t, size_t> MdsDataset::locate(uint64_t sample) const {
  if (sample >= total_) throw Error("sample " + std::to_string(sample) + " out of range (" + std::to_string(total_) + " samples)", "");
  const auto it = std::upper_bound(starts_.begin(), starts_.end() - 1, sample);
  const size_t shard = static_cast<size_t>(it - starts_.begin()) - 1;
  return {shard, static_cast<size_t>(sample - starts_[shard])};
}

std::shared_ptr<const MdsShard> MdsDataset::load_shard(size_t shard) const {
  (void)index_.shards.at(shard);
  {
    std::lock_guard<std::mutex> lock(cache_->mutex);
    auto it = cache_->entries.find(shard);
    if (it != cache_->entries.end()) {
      it->second.last_use = ++cache_->clock;
      return it->second.shard;
    }
  }
  std::shared_ptr<const MdsShard> loaded = open_shard(shard);  // outside the lock: IO, hashing
  std::lock_guard<std::mutex> lock(cache_->mutex);
  cache_->verified[shard] = 1;
  auto [it, inserted] = cache_->entries.try_emplace(shard);
  if (inserted) {
    it->second.shard = loaded;
    if (loaded->in_memory()) cache_->memory_bytes += loaded->memory_bytes();
    else ++cache_->open_files;
  }
  it->second.last_use = ++cache_->clock;
  cache_->evict(options_, shard);
  return it->second.shard;
}

std::shared_ptr<const MdsShard> MdsDataset::open_shard(size_t shard) const {
  const MdsShardInfo& info = index_.shards.at(shard);
  const std::string path = shard_path(shard);
  const MdsFileInfo& file = info.zip_data ? *info.zip_data : info.raw_data;
  bool verify = false;
  if (options_.verify_hashes) {
    std::lock_guard<std::mutex> lock(cache_->mutex);
    verify = !cache_->verified[shard];
  }
  if (info.zip_data) {
    std::string data = read_file_bytes(path, file.bytes);
    if (data.size() != file.bytes)
      throw Error(path + ": " + std::to_string(data.size()) + " bytes, the index says " + std::to_string(file.bytes) + " (truncated?)", kRewriteHint);
    if (verify) check_hashes(file, info.hashes, data, path);
    data = zstd_decompress(reinterpret_cast<const uint8_t*>(data.data()), data.size(), info.raw_data.bytes, path);
    if (data.size() != info.raw_data.bytes)
      throw Error(path + ": decompresses to " + std::to_string(data.size()) + " bytes, the index says " +
                      std::to_string(info.raw_data.bytes), kRewriteHint);
    if (verify) check_hashes(info.raw_data, info.hashes, data, path + " (decompressed)");
    return std::make_shared<const MdsShard>(info, std::move(data), path);
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error("cannot open " + path + ": " + std::strerror(errno), "check that the file exists and is readable");
  struct stat st {};
  if (::fstat(fd, &st) != 0 || static_cast<uint64_t>(st.st_size) != file.bytes) {
    const uint64_t got = static_cast<uint64_t>(st.st_size);
    ::close(fd);
    throw Error(path + ": " + std::to_string(got) + " bytes, the index says " + std::to_string(file.bytes) + " (truncated?)", kRewriteHint);
  }
  if (verify) {
    try {
      check_file_hashes(fd, file.bytes, file, info.hashes, path);
    } catch (...) {
      ::close(fd);
      throw;
    }
  }
  return std::make_shared<const MdsShard>(info, fd, file.bytes, path);  // closes fd if the head is bad
}

void MdsDataset::verify(const std::function<void(size_t)>& progress) const {
  for (size_t i = 0; i < index_.shards.size(); ++i) {
    auto shard = load_shard(i);
    for (size_t k = 0; k < shard->size(); ++k) (void)shard->sample(k).to_json();
    if (progress) progress(i);
  }
}

}  // namespace tessera::shards
