#include "shards/mds_format.h"

#include "shards/mds_hash.h"
#include "shards/python_json.h"
#include "tessera/error.h"

#include <cstring>
#include <limits>
#include <set>

namespace tessera::shards {
namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

constexpr const char* kDamagedHint = "the shard set is damaged or not MDS; re-download or re-write it";

[[noreturn]] void fail(const std::string& origin, const std::string& what) { throw Error(origin + ": " + what, kDamagedHint); }


json parse_json(const uint8_t* data, size_t size, const std::string& origin, const char* what) {
  const char* text = reinterpret_cast<const char*>(data);
  if (!json_nesting_ok(text, size, 16)) fail(origin, std::string(what) + " nests too deeply");
  json j = json::parse(text, text + size, nullptr, false);
  if (j.is_discarded()) fail(origin, std::string(what) + " is not valid JSON");
  return j;
}

const json& member(const json& obj, const char* key, const std::string& where) {
  auto it = obj.find(key);
  if (it == obj.end()) fail(where, std::string("missing \"") + key + "\"");
  return *it;
}

uint64_t as_uint(const json& v, const std::string& where, const char* key) {
  if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<int64_t>() >= 0))
    fail(where, std::string("\"") + key + "\" must be a non-negative integer");
  return v.get<uint64_t>();
}

std::vector<std::string> as_strings(const json& v, const std::string& where, const char* key) {
  if (!v.is_array() || v.size() > kMaxColumns) fail(where, std::string("\"") + key + "\" must be a list of strings");
  std::vector<std::string> out;
  for (const auto& e : v) {
    if (!e.is_string()) fail(where, std::string("\"") + key + "\" must be a list of strings");
    out.push_back(e.get<std::string>());
  }
  return out;
}

bool plain_basename(const std::string& s) {
  return !s.empty() && s.size() <= 255 && s != "." && s != ".." && s.find('/') == std::string::npos &&
         s.find('\\') == std::string::npos && s.find('\0') == std::string::npos;
}

MdsFileInfo parse_file_info(const json& v, const std::string& where, const std::vector<std::string>& algos) {
  if (!v.is_object()) fail(where, "file info must be an object");
  MdsFileInfo f;
  const json& name = member(v, "basename", where);
  if (!name.is_string() || !plain_basename(name.get<std::string>())) fail(where, "\"basename\" must be a plain file name");
  f.basename = name.get<std::string>();
  f.bytes = as_uint(member(v, "bytes", where), where, "bytes");
  if (f.bytes > kMaxShardBytes) fail(where, f.basename + " is larger than an MDS shard can be (4 GiB)");
  auto it = v.find("hashes");
  if (it != v.end()) {
    if (!it->is_object()) fail(where, "\"hashes\" must be an object");
    for (auto h = it->begin(); h != it->end(); ++h) {
      if (!h.value().is_string() || h.value().get<std::string>().size() > 256) fail(where, "hash values must be hex strings");
      f.hashes[h.key()] = h.value().get<std::string>();
    }
  }
  for (const auto& a : algos) {
    if (!f.hashes.count(a)) fail(where, f.basename + " lacks its " + a + " hash");
  }
  return f;
}

ojson file_info_json(const MdsFileInfo& f) {
  ojson hashes = ojson::object();
  for (const auto& [k, v] : f.hashes) hashes[k] = v;
  ojson o = ojson::object();
  o["basename"] = f.basename;
  o["bytes"] = f.bytes;
  o["hashes"] = hashes;
  return o;
}

ojson shard_config(const MdsShardInfo& s) {
  ojson o = ojson::object();
  o["column_encodings"] = s.column_encodings;
  o["column_names"] = s.column_names;
  ojson sizes = ojson::array();
  for (const auto& z : s.column_sizes) sizes.push_back(z ? ojson(*z) : ojson(nullptr));
  o["column_sizes"] = sizes;
  o["compression"] = s.compression.empty() ? ojson(nullptr) : ojson(s.compression);
  o["format"] = "mds";
  o["hashes"] = s.hashes;
  o["size_limit"] = s.size_limit ? ojson(*s.size_limit) : ojson(nullptr);
  o["version"] = 2;
  return o;
}

MdsShardInfo parse_shard(const json& v, const std::string& where) {
  if (!v.is_object()) fail(where, "must be an object");
  MdsShardInfo s;
  const json& version = member(v, "version", where);
  if (!version.is_number_integer() || version.get<int64_t>() != 2) fail(where, "unsupported shard version (expected 2)");
  const json& format = member(v, "format", where);
  if (!format.is_string() || format.get<std::string>() != "mds")
    fail(where, "format is not \"mds\" (Tessera reads MDS shard sets only)");
  s.column_names = as_strings(member(v, "column_names", where), where, "column_names");
  s.column_encodings = as_strings(member(v, "column_encodings", where), where, "column_encodings");
  const json& sizes = member(v, "column_sizes", where);
  if (!sizes.is_array()) fail(where, "\"column_sizes\" must be a list");
  for (const auto& z : sizes) {
    if (z.is_null()) s.column_sizes.emplace_back();
    else s.column_sizes.emplace_back(as_uint(z, where, "column_sizes"));
  }
  if (s.column_names.empty()) fail(where, "has no columns");
  if (s.column_names.size() != s.column_encodings.size() || s.column_names.size() != s.column_sizes.size())
    fail(where, "column_names, column_encodings and column_sizes differ in length");
  std::set<std::string> seen;
  for (size_t i = 0; i < s.column_names.size(); ++i) {
    if (!seen.insert(s.column_names[i]).second) fail(where, "column '" + s.column_names[i] + "' appears twice");
    MdsEncoding e;
    try {
      e = parse_mds_encoding(s.column_encodings[i]);
    } catch (const Error& err) {
      throw Error(where + ": column '" + s.column_names[i] + "': " + err.what(), err.hint());
    }
    if (e.size != s.column_sizes[i]) fail(where, "column '" + s.column_names[i] + "' has a size that does not match its encoding");
    s.encodings.push_back(std::move(e));
  }
  const json& compression = member(v, "compression", where);
  if (!compression.is_null()) {
    if (!compression.is_string()) fail(where, "\"compression\" must be a string or null");
    s.compression = compression.get<std::string>();
    try {
      (void)parse_compression(s.compression);
    } catch (const Error& err) {
      throw Error(where + ": " + err.what(), err.hint());
    }
  }
  auto hashes = v.find("hashes");
  if (hashes != v.end() && !hashes->is_null()) s.hashes = as_strings(*hashes, where, "hashes");
  s.raw_data = parse_file_info(member(v, "raw_data", where), where + " raw_data", s.hashes);
  const json& zip = member(v, "zip_data", where);
  if (!zip.is_null()) s.zip_data = parse_file_info(zip, where + " zip_data", s.hashes);
  if (s.compression.empty() == s.zip_data.has_value())
    fail(where, "zip_data must be present exactly when the shard is compressed");
  s.samples = as_uint(member(v, "samples", where), where, "samples");
  // Each sample needs a 4-byte offset; a count the file cannot hold is a lie.
  if (s.samples > s.raw_data.bytes / 4) fail(where, "claims more samples than its raw size can hold");
  const json& limit = member(v, "size_limit", where);
  if (!limit.is_null()) s.size_limit = as_uint(limit, where, "size_limit");
  return s;
}

uint32_t read_u32(const uint8_t* p) {
  uint32_t v = 0;
  std::memcpy(&v, p, 4);
  return v;
}

}  // namespace

uint64_t MdsIndex::total_samples() const {
  uint64_t n = 0;
  for (const auto& s : shards) n += s.samples;
  return n;
}

MdsIndex parse_mds_index(const uint8_t* data, size_t size, const std::string& origin) {
  if (size > kMaxIndexBytes) fail(origin, "index is larger than " + std::to_string(kMaxIndexBytes) + " bytes");
  const json j = parse_json(data, size, origin, "index");
  if (!j.is_object()) fail(origin, "index must be a JSON object");
  const json& version = member(j, "version", origin);
  if (!version.is_number_integer() || version.get<int64_t>() != 2)
    fail(origin, "unsupported index version (Tessera reads version 2)");
  const json& shards = member(j, "shards", origin);
  if (!shards.is_array()) fail(origin, "\"shards\" must be a list");
  if (shards.size() > kMaxShards) fail(origin, "too many shards");
  MdsIndex index;
  std::set<std::string> names;
  for (size_t i = 0; i < shards.size(); ++i) {
    MdsShardInfo s = parse_shard(shards[i], origin + " shard " + std::to_string(i));
    const std::string& file = s.zip_data ? s.zip_data->basename : s.raw_data.basename;
    if (!names.insert(file).second) fail(origin, "shard file " + file + " is listed twice");
    index.shards.push_back(std::move(s));
  }
  return index;
}

std::string mds_shard_config_json(const MdsShardInfo& shard) { return python_json_dumps(shard_config(shard), true); }

std::string mds_index_json(const MdsIndex& index) {
  ojson shards = ojson::array();
  for (const auto& s : index.shards) {
    ojson o = shard_config(s);
    o["raw_data"] = file_info_json(s.raw_data);
    o["samples"] = s.samples;
    o["zip_data"] = s.zip_data ? file_info_json(*s.zip_data) : ojson(nullptr);
    shards.push_back(std::move(o));
  }
  ojson root = ojson::object();
  root["shards"] = std::move(shards);
  root["version"] = 2;
  return python_json_dumps(root, true);
}

MdsShardLayout parse_mds_shard(const uint8_t* data, size_t size, const MdsShardInfo& info, const std::string& origin) {
  return parse_mds_shard_head(data, size, size, info, origin);
}

MdsShardLayout parse_mds_shard_head(const uint8_t* data, size_t head_size, uint64_t size, const MdsShardInfo& info,
                                    const std::string& origin) {
  if (size < 8 || head_size < 8) fail(origin, "shorter than an MDS shard header (truncated?)");
  if (size > kMaxShardBytes) fail(origin, "larger than an MDS shard can be");
  if (head_size > size) fail(origin, "head is larger than the shard");
  MdsShardLayout l;
  l.samples = read_u32(data);
  if (l.samples != info.samples)
    fail(origin, "holds " + std::to_string(l.samples) + " samples, the index says " + std::to_string(info.samples));
  const uint64_t header = 4 + 4 * (uint64_t{l.samples} + 1);
  if (header > size) fail(origin, "offset table runs past the end of the file (truncated?)");
  if (header > head_size) fail(origin, "offset table not read (head too short)");
  l.offsets.resize(l.samples + 1);
  for (uint32_t i = 0; i <= l.samples; ++i) l.offsets[i] = read_u32(data + 4 + 4 * uint64_t{i});
  if (l.offsets[0] < header) fail(origin, "first sample starts inside the offset table");
  for (uint32_t i = 0; i < l.samples; ++i)
    if (l.offsets[i + 1] < l.offsets[i]) fail(origin, "sample offsets are not in order at sample " + std::to_string(i));
  if (l.offsets[l.samples] != size)
    fail(origin, "last offset " + std::to_string(l.offsets[l.samples]) + " is not the file size " + std::to_string(size) +
                     " (truncated or padded)");
  if (l.offsets[0] > head_size) fail(origin, "shard config not read (head too short)");
  const uint8_t* cfg = data + header;
  const size_t cfg_size = l.offsets[0] - header;
  const json config = parse_json(cfg, cfg_size, origin, "shard config");
  if (!config.is_object()) fail(origin, "shard config is not a JSON object");
  auto names = config.find("column_names");
  auto encodings = config.find("column_encodings");
  if (names != config.end() && (!names->is_array() || *names != json(info.column_names)))
    fail(origin, "shard config's column names differ from the index");
  if (encodings != config.end() && (!encodings->is_array() || *encodings != json(info.column_encodings)))
    fail(origin, "shard config's column encodings differ from the index");
  l.config_json.assign(reinterpret_cast<const char*>(cfg), cfg_size);
  return l;
}

std::vector<MdsSpan> split_mds_sample(const uint8_t* data, size_t size, const MdsShardInfo& info, const std::string& origin) {
  const size_t n = info.column_names.size();
  std::vector<uint64_t> sizes(n);
  size_t pos = 0;
  for (size_t c = 0; c < n; ++c) {
    if (info.column_sizes[c]) {
      sizes[c] = *info.column_sizes[c];
    } else {
      if (size - pos < 4) fail(origin, "sample ends inside its size header");
      sizes[c] = read_u32(data + pos);
      pos += 4;
    }
  }
  std::vector<MdsSpan> spans(n);
  for (size_t c = 0; c < n; ++c) {
    if (sizes[c] > size - pos) fail(origin, "column '" + info.column_names[c] + "' runs past the end of its sample");
    spans[c] = {data + pos, static_cast<size_t>(sizes[c])};
    pos += sizes[c];
  }
  if (pos != size) fail(origin, "sample has " + std::to_string(size - pos) + " bytes after its last column");
  return spans;
}

std::string build_mds_shard(const std::vector<std::string>& samples, const std::string& config_json) {
  const uint64_t header = 4 + 4 * (uint64_t{samples.size()} + 1) + config_json.size();
  uint64_t total = header;
  for (const auto& s : samples) total += s.size();
  if (total > kMaxShardBytes || samples.size() > std::numeric_limits<uint32_t>::max())
    throw Error("an MDS shard would exceed 4 GiB", "lower the size limit (--size-limit)");
  std::string out;
  out.reserve(static_cast<size_t>(total));
  auto put = [&out](uint32_t v) {
    char b[4];
    std::memcpy(b, &v, 4);
    out.append(b, 4);
  };
  put(static_cast<uint32_t>(samples.size()));
  uint64_t off = header;
  put(static_cast<uint32_t>(off));
  for (const auto& s : samples) {
    off += s.size();
    put(static_cast<uint32_t>(off));
  }
  out += config_json;
  for (const auto& s : samples) out += s;
  return out;
}

}  // namespace tessera::shards
