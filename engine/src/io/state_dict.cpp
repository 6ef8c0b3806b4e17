#include "io/state_dict.h"

#include "tessera/error.h"

#include <algorithm>
#include <sstream>

namespace tessera::io {
namespace {

constexpr size_t kListedKeys = 5;

std::string apply_renames(std::string key, const std::vector<std::pair<std::string, std::string>>& renames) {
  for (const auto& [from, to] : renames) {
    if (from.empty()) continue;
    size_t pos = 0;
    while ((pos = key.find(from, pos)) != std::string::npos) {
      key.replace(pos, from.size(), to);
      pos += to.size();
    }
  }
  return key;
}

std::string shape_text(const std::vector<int64_t>& shape) {
  std::ostringstream os;
  os << "[";
  for (size_t i = 0; i < shape.size(); ++i) os << (i ? ", " : "") << shape[i];
  os << "]";
  return os.str();
}

std::string first_few(const std::vector<std::string>& keys) {
  std::string out;
  for (size_t i = 0; i < keys.size() && i < kListedKeys; ++i) out += (i ? ", " : "") + keys[i];
  if (keys.size() > kListedKeys) out += ", ... (" + std::to_string(keys.size() - kListedKeys) + " more)";
  return out;
}

// The module's parameters and buffers by their full dotted names.
std::map<std::string, torch::Tensor> module_tensors(const torch::nn::Module& module) {
  std::map<std::string, torch::Tensor> out;
  for (const auto& p : module.named_parameters(/*recurse=*/true))
    if (p.value().defined()) out.emplace(p.key(), p.value());
  for (const auto& b : module.named_buffers(/*recurse=*/true))
    if (b.value().defined()) out.emplace(b.key(), b.value());
  return out;
}

}  // namespace

LoadReport load_state_dict(torch::nn::Module& module, const SafetensorsFile& file, const LoadOptions& options) {
  const std::map<std::string, torch::Tensor> targets = module_tensors(module);
  const auto ignored = [&](const std::string& key) {
    return std::find(options.ignore.begin(), options.ignore.end(), key) != options.ignore.end();
  };

  // Decide which file key feeds which module key before copying anything.
  std::map<std::string, std::string> source_of;  // module key -> file key
  LoadReport report;
  for (const auto& file_key : file.names()) {
    if (ignored(file_key)) continue;
    if (!options.prefix.empty() && file_key.compare(0, options.prefix.size(), options.prefix) != 0) continue;
    const std::string key = apply_renames(file_key.substr(options.prefix.size()), options.renames);
    if (ignored(key)) continue;
    if (targets.count(key) == 0) {
      report.unexpected.push_back(key);
      continue;
    }
    auto [it, inserted] = source_of.emplace(key, file_key);
    if (!inserted) {
      throw Error(file.path() + ": file keys '" + it->second + "' and '" + file_key + "' both map to '" + key + "'",
                  "check the renames the model passes to load_state_dict");
    }
    const auto& target = targets.at(key);
    const std::vector<int64_t> stored = file.shape(file_key);
    if (target.sizes().vec() != stored) {
      throw Error(file.path() + ": shape mismatch for '" + key + "': the file has " + shape_text(stored) +
                      ", the model expects " + shape_text(target.sizes().vec()),
                  "the weights belong to a model with a different configuration; check config.json");
    }
  }
  for (const auto& [key, tensor] : targets) {
    if (source_of.count(key) == 0) report.missing.push_back(key);
  }
  if (options.strict && (!report.missing.empty() || !report.unexpected.empty())) {
    std::string what = file.path() + ": weights do not match the model:";
    if (!report.missing.empty()) {
      what += " " + std::to_string(report.missing.size()) + " missing (" + first_few(report.missing) + ")";
    }
    if (!report.unexpected.empty()) {
      what += std::string(report.missing.empty() ? "" : ";") + " " + std::to_string(report.unexpected.size()) +
              " unexpected (" + first_few(report.unexpected) + ")";
    }
    throw Error(what, "check that the file is for this model, or pass renames/ignore/prefix for old key names");
  }

  torch::NoGradGuard no_grad;
  for (const auto& [key, file_key] : source_of) {
    torch::Tensor target = targets.at(key);
    target.copy_(file.get(file_key));
    report.loaded.push_back(key);
  }
  return report;
}

void save_state_dict(const torch::nn::Module& module, const std::string& path,
                     const std::map<std::string, std::string>& metadata,
                     std::optional<torch::ScalarType> float_dtype) {
  if (float_dtype && *float_dtype != torch::kFloat32 && *float_dtype != torch::kFloat16 &&
      *float_dtype != torch::kBFloat16) {
    throw Error(path + ": weights can be saved as float32, float16 or bfloat16 only");
  }
  std::vector<std::pair<std::string, torch::Tensor>> tensors;
  for (const auto& [key, tensor] : module_tensors(module)) {
    torch::Tensor t = tensor.detach().to(torch::kCPU);
    if (float_dtype && t.is_floating_point()) t = t.to(*float_dtype);
    tensors.emplace_back(key, t.contiguous());
  }
  std::map<std::string, std::string> meta = metadata;
  meta.emplace("format", "pt");
  save_safetensors(path, tensors, meta);
}

}  // namespace tessera::io
