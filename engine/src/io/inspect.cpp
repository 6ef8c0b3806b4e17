// tessera::inspect_weights: summaries of weight files and diffusers folders from their headers and
// configs alone (no tensor data is read, no torch).

#include "tessera/inspect.h"

#include "io/pickle_guard.h"
#include "io/safetensors_format.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

namespace tessera {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using io::SafetensorsHeader;

// Config values worth a glance, in the order they are shown (absent ones are skipped).
const char* const kConfigKeys[] = {
    "block_out_channels", "layers_per_block", "attention_head_dim", "cross_attention_dim",
    "use_linear_projection", "in_channels", "out_channels", "latent_channels", "sample_size",
    "scaling_factor", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
    "max_position_embeddings", "vocab_size", "projection_dim", "hidden_act", "prediction_type",
    "num_train_timesteps", "beta_schedule", "beta_start", "beta_end", "timestep_spacing", "model_max_length",
};

const char* const kConfigFiles[] = {"config.json", "scheduler_config.json", "tokenizer_config.json",
                                    "preprocessor_config.json"};

// Weight file names diffusers and transformers write, preferred in this order.
const char* const kWeightFiles[] = {"diffusion_pytorch_model.safetensors", "model.safetensors"};
const char* const kIndexFiles[] = {"diffusion_pytorch_model.safetensors.index.json", "model.safetensors.index.json"};

SafetensorsHeader read_header(const std::string& path) {
  io::refuse_pickle(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open", "check the path and its permissions");
  in.seekg(0, std::ios::end);
  const auto size = static_cast<uint64_t>(in.tellg());
  in.seekg(0);
  std::string buffer(static_cast<size_t>(std::min<uint64_t>(size, 8)), '\0');
  in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  if (buffer.size() == 8) {
    uint64_t n = 0;
    std::copy(buffer.begin(), buffer.end(), reinterpret_cast<char*>(&n));
    const uint64_t want = std::min<uint64_t>(size, 8 + std::min<uint64_t>(n, io::kMaxHeaderBytes));
    buffer.resize(static_cast<size_t>(want));
    in.read(buffer.data() + 8, static_cast<std::streamsize>(want - 8));
    if (!in) throw Error(path + ": read failed");
  }
  return io::parse_safetensors_header(reinterpret_cast<const uint8_t*>(buffer.data()), buffer.size(), size, path);
}

WeightsSummary summarize(const std::vector<std::string>& files, size_t largest) {
  WeightsSummary s;
  std::map<std::string, DtypeCount> by_dtype;
  std::vector<TensorInfo> all;
  for (const auto& file : files) {
    const SafetensorsHeader h = read_header(file);
    s.files.push_back(file);
    s.file_bytes += h.data_offset + h.data_bytes;
    s.data_bytes += h.data_bytes;
    if (s.files.size() == 1) s.metadata = h.metadata;
    for (const auto& t : h.tensors) {
      auto& d = by_dtype[t.dtype];
      d.dtype = t.dtype;
      d.tensors += 1;
      d.parameters += t.numel();
      d.bytes += t.nbytes();
      s.tensors += 1;
      s.parameters += t.numel();
      all.push_back({t.name, t.dtype, t.shape, t.numel(), t.nbytes()});
    }
  }
  for (const auto& [name, d] : by_dtype) s.dtypes.push_back(d);
  std::sort(s.dtypes.begin(), s.dtypes.end(), [](const DtypeCount& a, const DtypeCount& b) {
    return a.bytes != b.bytes ? a.bytes > b.bytes : a.dtype < b.dtype;
  });
  const size_t keep = std::min(largest, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<long>(keep), all.end(),
                    [](const TensorInfo& a, const TensorInfo& b) {
                      return a.parameters != b.parameters ? a.parameters > b.parameters : a.name < b.name;
                    });
  all.resize(keep);
  s.largest = std::move(all);
  return s;
}

json read_json(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw Error(path.string() + ": cannot open", "check the path and its permissions");
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    throw Error(path.string() + ": not valid JSON (" + e.what() + ")", "repair or re-download the file");
  }
}

// The weight files of a component folder: the standard single file, the shards named by an
// index, or the only .safetensors there. Refuses a folder that holds only pickles.
std::vector<std::string> find_weights(const fs::path& dir) {
  for (const char* name : kWeightFiles) {
    if (fs::is_regular_file(dir / name)) return {(dir / name).string()};
  }
  for (const char* name : kIndexFiles) {
    if (!fs::is_regular_file(dir / name)) continue;
    const json index = read_json(dir / name);
    if (!index.is_object() || !index.contains("weight_map") || !index["weight_map"].is_object()) {
      throw Error((dir / name).string() + ": no \"weight_map\" object", "repair or re-download the file");
    }
    std::set<std::string> shards;
    for (const auto& v : index["weight_map"]) {
      if (!v.is_string() || v.get<std::string>().find('/') != std::string::npos) {
        throw Error((dir / name).string() + ": weight_map values must be file names in the same folder");
      }
      shards.insert((dir / v.get<std::string>()).string());
    }
    return {shards.begin(), shards.end()};
  }
  std::vector<std::string> found, pickles;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const std::string file = entry.path().string();
    if (entry.path().extension() == ".safetensors") {
      found.push_back(file);
    } else if (entry.path().extension() != ".json" && entry.path().extension() != ".txt" &&
               io::looks_like_pickle(file)) {
      pickles.push_back(file);
    }
  }
  std::sort(found.begin(), found.end());
  if (!found.empty()) return {found.front()};
  if (!pickles.empty()) {
    std::sort(pickles.begin(), pickles.end());
    io::refuse_pickle(pickles.front());
  }
  return {};
}

ComponentSummary summarize_component(const fs::path& dir, const InspectOptions& options) {
  ComponentSummary c;
  c.name = dir.filename().string();
  for (const char* name : kConfigFiles) {
    if (!fs::is_regular_file(dir / name)) continue;
    c.config_file = name;
    const json config = read_json(dir / name);
    if (!config.is_object()) throw Error((dir / name).string() + ": not a JSON object");
    if (config.contains("_class_name") && config["_class_name"].is_string()) {
      c.class_name = config["_class_name"].get<std::string>();
    } else if (config.contains("architectures") && config["architectures"].is_array() &&
               !config["architectures"].empty() && config["architectures"][0].is_string()) {
      c.class_name = config["architectures"][0].get<std::string>();
    } else if (config.contains("tokenizer_class") && config["tokenizer_class"].is_string()) {
      c.class_name = config["tokenizer_class"].get<std::string>();
    }
    for (const char* key : kConfigKeys) {
      if (config.contains(key) && !config[key].is_null()) c.config.emplace_back(key, config[key].dump());
    }
    break;
  }
  const auto files = find_weights(dir);
  c.has_weights = !files.empty();
  if (c.has_weights) c.weights = summarize(files, options.largest);
  return c;
}

void inspect_pipeline(const fs::path& dir, const InspectOptions& options, InspectReport* report) {
  const json index = read_json(dir / "model_index.json");
  if (!index.is_object()) throw Error((dir / "model_index.json").string() + ": not a JSON object");
  report->kind = InspectKind::Pipeline;
  if (index.contains("_class_name") && index["_class_name"].is_string()) {
    report->pipeline_class = index["_class_name"].get<std::string>();
  }
  if (index.contains("_diffusers_version") && index["_diffusers_version"].is_string()) {
    report->diffusers_version = index["_diffusers_version"].get<std::string>();
  }
  for (auto it = index.begin(); it != index.end(); ++it) {
    const std::string& key = it.key();
    if (key.empty() || key[0] == '_' || !it->is_array() || it->size() != 2) continue;
    if (!(*it)[0].is_string() || !(*it)[1].is_string()) continue;  // [null, null]: not part of it
    if (key.find('/') != std::string::npos || key == "." || key == "..") {
      throw Error((dir / "model_index.json").string() + ": component name '" + key + "' is not a folder name");
    }
    const fs::path sub = dir / key;
    if (!fs::is_directory(sub)) {
      throw Error(dir.string() + ": model_index.json names '" + key + "' but the folder " + sub.string() +
                      " is missing",
                  "download the whole pipeline folder");
    }
    ComponentSummary c = summarize_component(sub, options);
    c.library = (*it)[0].get<std::string>();
    c.class_name = (*it)[1].get<std::string>();
    report->components.push_back(std::move(c));
  }
}

}  // namespace

Status inspect_weights(const std::string& path, InspectReport* out, const InspectOptions& options) {
  return guarded([&] {
    InspectReport report;
    report.path = path;
    const fs::path p(path);
    std::error_code ec;
    const auto status = fs::status(p, ec);
    if (ec || !fs::exists(status)) throw Error(path + ": no such file or folder", "check the path");
    if (fs::is_directory(status)) {
      if (fs::is_regular_file(p / "model_index.json")) {
        inspect_pipeline(p, options, &report);
      } else if (std::any_of(std::begin(kConfigFiles), std::end(kConfigFiles),
                             [&](const char* name) { return fs::is_regular_file(p / name); })) {
        report.kind = InspectKind::Component;
        report.components.push_back(summarize_component(p, options));
      } else {
        throw Error(path + ": not a diffusers folder (no model_index.json or config.json)",
                    "name a .safetensors file, a pipeline folder or one of its component folders");
      }
    } else if (!fs::is_regular_file(status)) {
      throw Error(path + ": not a regular file", "name a .safetensors file or a diffusers folder");
    } else {
      report.kind = InspectKind::WeightsFile;
      report.weights = summarize({path}, options.largest);
    }
    if (out) *out = std::move(report);
  });
}

}  // namespace tessera
