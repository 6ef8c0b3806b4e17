#include "shards/latent_shard_info.h"

#include "shards/mds_format.h"
#include "shards/mds_reader.h"
#include "shards/python_json.h"
#include "tessera/error.h"

#include <filesystem>

namespace tessera::shards {

namespace {

[[noreturn]] void bad(const std::string& origin, const std::string& what) {
  throw Error(origin + ": \"" + std::string(kLatentInfoKey) + "\" " + what,
              "rewrite the latent shards with 'tessera latents'");
}

std::vector<int64_t> shape_of(const nlohmann::json& o, const char* key, size_t rank, const std::string& origin) {
  const auto it = o.find(key);
  if (it == o.end()) return {};
  if (!it->is_array() || it->size() != rank) bad(origin, std::string("has a malformed ") + key);
  std::vector<int64_t> shape;
  for (const auto& v : *it) {
    if (!v.is_number_integer() || v.get<int64_t>() < 1 || v.get<int64_t>() > (1 << 20)) {
      bad(origin, std::string("has a malformed ") + key);
    }
    shape.push_back(v.get<int64_t>());
  }
  return shape;
}

}  // namespace

LatentShardInfo parse_latent_shard_info(const nlohmann::json& o, const std::string& origin) {
  if (!o.is_object()) bad(origin, "is not an object");
  LatentShardInfo info;
  const auto format = o.find("format");
  if (format == o.end() || !format->is_number_integer() || format->get<int64_t>() != 1) {
    bad(origin, "has an unknown format (this Tessera reads format 1)");
  }
  const auto scaled = o.find("latents_are_scaled");
  if (scaled == o.end() || !scaled->is_boolean()) bad(origin, "lacks latents_are_scaled (true/false)");
  info.latents_are_scaled = scaled->get<bool>();
  const auto factor = o.find("scaling_factor");
  if (factor == o.end() || !factor->is_number() || !(factor->get<double>() > 0.0) || factor->get<double>() > 1e6) {
    bad(origin, "lacks a positive scaling_factor");
  }
  info.scaling_factor = factor->get<double>();
  if (const auto shift = o.find("shift_factor"); shift != o.end()) {
    if (!shift->is_number()) bad(origin, "has a non-numeric shift_factor");
    info.shift_factor = shift->get<double>();
  }
  if (const auto d = o.find("latent_distribution"); d != o.end()) {
    if (!d->is_string() || (d->get<std::string>() != "mean" && d->get<std::string>() != "sample")) {
      bad(origin, "has a latent_distribution other than \"mean\" or \"sample\"");
    }
    info.latent_distribution = d->get<std::string>();
  }
  if (const auto r = o.find("resolution"); r != o.end()) {
    if (!r->is_number_integer() || r->get<int64_t>() < 1 || r->get<int64_t>() > 65536) bad(origin, "has a bad resolution");
    info.resolution = static_cast<int>(r->get<int64_t>());
  }
  info.latent_shape = shape_of(o, "latent_shape", 3, origin);
  info.text_shape = shape_of(o, "text_shape", 2, origin);
  info.extra = o;
  return info;
}

std::optional<LatentShardInfo> read_latent_shard_info(const std::string& dir) {
  const std::string path = (std::filesystem::path(dir) / "index.json").string();
  const std::string text = read_file_bytes(path, kMaxIndexBytes);
  if (!json_nesting_ok(text.data(), text.size(), 64)) throw Error(path + " nests JSON too deeply", "rewrite the shards");
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) throw Error(path + " is not a JSON object", "rewrite the shards");
  const auto it = j.find(kLatentInfoKey);
  if (it == j.end()) return std::nullopt;
  return parse_latent_shard_info(*it, path);
}

}  // namespace tessera::shards
