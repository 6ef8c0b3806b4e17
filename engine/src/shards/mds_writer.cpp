#include "shards/mds_writer.h"

#include "shards/mds_format.h"
#include "shards/mds_hash.h"
#include "tessera/error.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <set>

namespace tessera::shards {

namespace fs = std::filesystem;

namespace {

// Writes a file that appears complete or not at all (temp file, fsync, rename). The shards
// library stays free of the engine's other sources, so it has its own small copy of this.
void write_file_atomically(const std::string& path, const char* data, size_t size) {
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error("cannot create " + path + " (" + std::strerror(errno) + ")", "check that the folder is writable");
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::write(fd, data + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(temp.c_str());
      throw Error("cannot write " + path + " (" + why + ")", "check the free disk space");
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0 || ::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(temp.c_str());
    throw Error("cannot finish writing " + path + " (" + why + ")", "check the disk");
  }
}

}  // namespace

MdsSample& MdsSample::set_bytes(const std::string& column, std::string data) {
  MdsValue v;
  v.kind = MdsValue::Kind::kBytes;
  v.text = std::move(data);
  values_[column] = std::move(v);
  return *this;
}
MdsSample& MdsSample::set_str(const std::string& column, std::string utf8) {
  MdsValue v;
  v.kind = MdsValue::Kind::kStr;
  v.text = std::move(utf8);
  values_[column] = std::move(v);
  return *this;
}
MdsSample& MdsSample::set_int(const std::string& column, int64_t value) {
  MdsValue v;
  v.kind = MdsValue::Kind::kInt;
  v.i = value;
  values_[column] = std::move(v);
  return *this;
}
MdsSample& MdsSample::set_uint(const std::string& column, uint64_t value) {
  MdsValue v;
  v.kind = MdsValue::Kind::kUInt;
  v.u = value;
  values_[column] = std::move(v);
  return *this;
}
MdsSample& MdsSample::set_float(const std::string& column, double value) {
  MdsValue v;
  v.kind = MdsValue::Kind::kFloat;
  v.f = value;
  values_[column] = std::move(v);
  return *this;
}
MdsSample& MdsSample::set_json(const std::string& column, std::string json_text) {
  MdsValue v;
  v.kind = MdsValue::Kind::kJson;
  v.text = std::move(json_text);
  values_[column] = std::move(v);
  return *this;
}
MdsSample& MdsSample::set_ndarray(const std::string& column, NdArray array) {
  MdsValue v;
  v.kind = MdsValue::Kind::kNdArray;
  v.array = std::move(array);
  values_[column] = std::move(v);
  return *this;
}

struct MdsWriter::State {
  std::string out_dir;
  std::vector<MdsColumn> columns;
  MdsShardInfo config;  // columns, compression, hashes, size_limit (file infos unused)
  std::string config_json;
  int zstd_level = 0;
  uint64_t size_limit = 0;
  std::vector<std::string> pending;  // encoded samples of the open shard
  uint64_t pending_bytes = 0;        // streaming's new_shard_size
  MdsIndex index;
  uint64_t samples = 0;
  uint64_t raw_bytes = 0;
  uint64_t file_bytes = 0;
  bool finished = false;

  MdsFileInfo file_info(const std::string& data, const std::string& basename) const {
    MdsFileInfo f;
    f.basename = basename;
    f.bytes = data.size();
    for (const auto& algo : config.hashes) {
      f.hashes[algo] = hash_hex(algo, reinterpret_cast<const uint8_t*>(data.data()), data.size());
    }
    return f;
  }

  void flush() {
    char name[32];
    std::snprintf(name, sizeof name, "shard.%05zu.mds", index.shards.size());
    MdsShardInfo shard = config;
    shard.samples = pending.size();
    const std::string raw = build_mds_shard(pending, config_json);
    shard.raw_data = file_info(raw, name);
    const std::string* data = &raw;
    std::string zipped;
    std::string basename = name;
    if (zstd_level > 0) {
      zipped = zstd_compress(reinterpret_cast<const uint8_t*>(raw.data()), raw.size(), zstd_level);
      basename += "." + compression_extension(config.compression);
      shard.zip_data = file_info(zipped, basename);
      data = &zipped;
    }
    write_file_atomically((fs::path(out_dir) / basename).string(), data->data(), data->size());
    raw_bytes += raw.size();
    file_bytes += data->size();
    index.shards.push_back(std::move(shard));
    pending.clear();
    pending_bytes = 4 + 4 + config_json.size();
  }
};

MdsWriter::MdsWriter(std::string out_dir, std::vector<MdsColumn> columns, MdsWriterOptions options)
    : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.out_dir = std::move(out_dir);
  if (columns.empty()) throw Error("an MDS shard set needs at least one column", "give the writer its columns");
  std::sort(columns.begin(), columns.end(), [](const MdsColumn& a, const MdsColumn& b) { return a.name < b.name; });
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name.empty()) throw Error("an MDS column has an empty name", "name every column");
    if (i > 0 && columns[i].name == columns[i - 1].name)
      throw Error("MDS column '" + columns[i].name + "' is given twice", "name every column once");
    MdsEncoding e;
    try {
      e = parse_mds_encoding(columns[i].encoding);
    } catch (const Error& err) {
      throw Error("column '" + columns[i].name + "': " + err.what(), err.hint());
    }
    s.config.column_names.push_back(columns[i].name);
    s.config.column_encodings.push_back(columns[i].encoding);
    s.config.column_sizes.push_back(e.size);
    s.config.encodings.push_back(std::move(e));
  }
  s.columns = std::move(columns);
  if (!options.compression.empty()) {
    s.zstd_level = parse_compression(options.compression);
    s.config.compression = options.compression;
  }
  for (size_t i = 0; i < options.hashes.size(); ++i) {
    if (!is_supported_hash(options.hashes[i]))
      throw Error("unsupported hash '" + options.hashes[i] + "'", "use sha1, xxh3_64, xxh64, md5, sha256 or another hashlib/xxhash name");
    if (i > 0 && !(options.hashes[i - 1] < options.hashes[i]))
      throw Error("hashes must be unique and in sorted order", "list them sorted, e.g. sha1 then xxh3_64");
  }
  s.config.hashes = options.hashes;
  s.size_limit = options.size_limit;
  if (options.size_limit) s.config.size_limit = options.size_limit;
  s.config_json = mds_shard_config_json(s.config);
  s.pending_bytes = 4 + 4 + s.config_json.size();

  std::error_code ec;
  fs::create_directories(s.out_dir, ec);
  if (ec || !fs::is_directory(s.out_dir))
    throw Error("cannot create the shard folder " + s.out_dir + ": " + ec.message(), "check the path and its permissions");
  for (const auto& entry : fs::directory_iterator(s.out_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name == "index.json" || name.rfind("shard.", 0) == 0)
      throw Error("the shard folder " + s.out_dir + " already holds a shard set (" + name + ")",
                  "choose an empty folder or remove the old shards");
  }
}

MdsWriter::~MdsWriter() = default;

void MdsWriter::write(const MdsSample& sample) {
  State& s = *state_;
  if (s.finished) throw Error("MdsWriter::write after finish()", "create a new writer");
  const auto& values = sample.values();
  for (const auto& [name, value] : values) {
    (void)value;
    if (!std::binary_search(s.config.column_names.begin(), s.config.column_names.end(), name))
      throw Error("sample has a value for unknown column '" + name + "'", "set only the writer's columns");
  }
  std::string head;
  std::string body;
  for (size_t c = 0; c < s.config.column_names.size(); ++c) {
    const std::string& name = s.config.column_names[c];
    auto it = values.find(name);
    if (it == values.end()) throw Error("sample lacks column '" + name + "'", "set every column of every sample");
    std::string datum = encode_mds_value(s.config.encodings[c], it->second, name);
    if (s.config.column_sizes[c]) {
      if (datum.size() != *s.config.column_sizes[c])
        throw Error("column '" + name + "': encoded size " + std::to_string(datum.size()) + " differs from the fixed size",
                    "check the value's type");
    } else {
      if (datum.size() > kMaxShardBytes) throw Error("column '" + name + "': value larger than 4 GiB", "store smaller values");
      const uint32_t n = static_cast<uint32_t>(datum.size());
      head.append(reinterpret_cast<const char*>(&n), 4);
    }
    body += datum;
  }
  std::string encoded = head + body;
  const uint64_t sample_bytes = encoded.size() + 4;
  if (s.size_limit && s.size_limit < s.pending_bytes + sample_bytes) s.flush();  // streaming flushes even when empty
  if (s.pending_bytes + sample_bytes > kMaxShardBytes)
    throw Error("a sample of " + std::to_string(encoded.size()) + " bytes does not fit an MDS shard", "store smaller samples");
  s.pending.push_back(std::move(encoded));
  s.pending_bytes += sample_bytes;
  ++s.samples;
}

MdsWriteSummary MdsWriter::finish() {
  State& s = *state_;
  if (s.finished) throw Error("MdsWriter::finish called twice", "create a new writer");
  if (!s.pending.empty()) s.flush();
  const std::string text = mds_index_json(s.index);
  const std::string path = (fs::path(s.out_dir) / "index.json").string();
  write_file_atomically(path, text.data(), text.size());
  s.finished = true;
  MdsWriteSummary out;
  out.samples = s.samples;
  out.shards = s.index.shards.size();
  out.raw_bytes = s.raw_bytes;
  out.file_bytes = s.file_bytes;
  out.index_path = path;
  return out;
}

const std::vector<MdsColumn>& MdsWriter::columns() const { return state_->columns; }
uint64_t MdsWriter::samples_written() const { return state_->samples; }
size_t MdsWriter::shards_written() const { return state_->index.shards.size(); }

}  // namespace tessera::shards
