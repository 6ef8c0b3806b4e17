#include "io/diffusers_folder.h"

#include "core/atomic_file.h"
#include "core/remove_tree.h"
#include "io/pickle_guard.h"
#include "io/state_dict.h"
#include "tessera/error.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace tessera::io {
namespace fs = std::filesystem;
namespace dn = diffusers_names;
namespace {

constexpr uintmax_t kMaxTokenizerFileBytes = 64u << 20;

std::string read_file_bytes(const fs::path& path, uintmax_t max_bytes) {
  std::error_code ec;
  const uintmax_t size = fs::file_size(path, ec);
  if (ec) throw Error("cannot read " + path.string() + " (" + ec.message() + ")");
  if (size > max_bytes) {
    throw Error(path.string() + " is " + std::to_string(size) + " bytes, more than the " +
                    std::to_string(max_bytes) + " allowed",
                "check that the file is what its name says");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read " + path.string());
  std::string bytes(static_cast<size_t>(size), '\0');
  if (size > 0 && !in.read(bytes.data(), static_cast<std::streamsize>(size))) {
    throw Error("cannot read " + path.string() + " (short read)");
  }
  return bytes;
}

// The weights file of a component folder: the .safetensors, or a refusal naming the pickle found
// in its place, or an error saying which file is missing.
void require_weights(const fs::path& component, const char* safetensors_name, const char* pickle_name) {
  if (fs::is_regular_file(component / safetensors_name)) return;
  if (fs::exists(component / pickle_name)) refuse_pickle((component / pickle_name).string());
  throw Error(component.string() + " has no " + safetensors_name,
              "download or convert the weights as safetensors (save_pretrained(dir, safe_serialization=True))");
}

void require_component(const fs::path& dir, const char* name) {
  if (!fs::is_directory(dir / name)) {
    throw Error("model folder " + dir.string() + " has no " + name + "/ component",
                "expected a diffusers folder with tokenizer/, text_encoder/, unet/, vae/ and scheduler/");
  }
}

void fsync_path(const fs::path& path, bool directory) {
  const int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) throw Error("cannot open " + path.string() + " to flush it (" + std::strerror(errno) + ")");
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  if (rc != 0) throw Error("cannot flush " + path.string() + " (" + std::strerror(saved) + ")");
}

bool is_non_empty_directory(const fs::path& path) {
  std::error_code ec;
  return fs::is_directory(path, ec) && fs::directory_iterator(path, ec) != fs::directory_iterator();
}

std::string dtype_name(torch::ScalarType dtype) {
  if (dtype == torch::kFloat32) return "float32";
  if (dtype == torch::kFloat16) return "float16";
  if (dtype == torch::kBFloat16) return "bfloat16";
  throw Error("weights can be saved as float32, float16 or bfloat16 only");
}

// A folder written under a temporary sibling name and renamed into place by commit(); removed
// (with everything in it) when destroyed uncommitted.
class StagedFolder {
 public:
  StagedFolder(const std::string& dir, const DiffusersSaveOptions& options) : options_(options) {
    if (dir.empty()) throw Error("no output folder given");
    target_ = fs::absolute(fs::path(dir)).lexically_normal();
    if (!target_.has_filename()) target_ = target_.parent_path();  // "out/" -> "out"
    std::error_code ec;
    if (fs::exists(target_, ec) && !fs::is_directory(target_, ec)) {
      throw Error(target_.string() + " exists and is not a folder", "choose another output folder");
    }
    if (is_non_empty_directory(target_) && !options.overwrite) {
      throw Error(target_.string() + " is not empty", "choose a new folder, or ask to overwrite it");
    }
    fs::create_directories(target_.parent_path(), ec);
    if (ec) throw Error("cannot create " + target_.parent_path().string() + " (" + ec.message() + ")");
    temp_ = target_.parent_path() / ("." + target_.filename().string() + ".saving-" + unique_suffix());
    if (!fs::create_directory(temp_, ec) || ec) {
      throw Error("cannot create " + temp_.string() + (ec ? " (" + ec.message() + ")" : std::string(" (exists)")),
                  "check that the folder is writable");
    }
  }
  ~StagedFolder() {
    std::error_code ec;
    if (!committed_) tessera::remove_tree(temp_, ec);
  }
  StagedFolder(const StagedFolder&) = delete;
  StagedFolder& operator=(const StagedFolder&) = delete;

  // Absolute path of `relative` inside the temporary folder (creating its parent folder).
  fs::path file(const std::string& relative) {
    const fs::path path = temp_ / relative;
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec) throw Error("cannot create " + path.parent_path().string() + " (" + ec.message() + ")");
    return path;
  }
  void written(const std::string& relative) {
    written_.push_back(relative);
    if (options_.on_file_written) options_.on_file_written(relative);
  }
  void write_text(const std::string& relative, const std::string& text) {
    write_file_atomically(file(relative).string(), text.data(), text.size());
    written(relative);
  }

  void commit() {
    // Files were fsynced as they were written (AtomicFileWriter); now their folders, bottom up.
    std::vector<fs::path> dirs;
    for (const auto& entry : fs::recursive_directory_iterator(temp_))
      if (entry.is_directory()) dirs.push_back(entry.path());
    for (auto it = dirs.rbegin(); it != dirs.rend(); ++it) fsync_path(*it, true);
    fsync_path(temp_, true);

    std::error_code ec;
    fs::path old;
    if (fs::exists(target_, ec)) {  // an empty folder, or one the caller asked to overwrite
      old = target_.parent_path() / ("." + target_.filename().string() + ".old-" + unique_suffix());
      fs::rename(target_, old, ec);
      if (ec) throw Error("cannot move the old " + target_.string() + " aside (" + ec.message() + ")");
    }
    fs::rename(temp_, target_, ec);
    if (ec) {
      std::error_code ignored;
      if (!old.empty()) fs::rename(old, target_, ignored);  // put the old folder back
      throw Error("cannot move " + temp_.string() + " to " + target_.string() + " (" + ec.message() + ")");
    }
    committed_ = true;
    fsync_path(target_.parent_path(), true);
    if (!old.empty()) tessera::remove_tree(old, ec);
  }

 private:
  static std::string unique_suffix() {
    static std::atomic<uint64_t> counter{0};
    const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    return std::to_string(::getpid()) + "-" + std::to_string(now) + "-" + std::to_string(counter++);
  }

  const DiffusersSaveOptions& options_;
  fs::path target_;
  fs::path temp_;
  std::vector<std::string> written_;
  bool committed_ = false;
};

// diffusers' ConfigMixin.save_config: the config as given, with `_diffusers_version` filled in.
nlohmann::json diffusers_config(const nlohmann::json& config, const char* what, const std::string& class_name) {
  if (!config.is_object() || config.empty()) throw Error(std::string("no ") + what + " config to save");
  nlohmann::json out = config;
  if (!out.contains("_class_name")) out["_class_name"] = class_name;
  if (!out.contains("_diffusers_version")) out["_diffusers_version"] = kDiffusersVersion;
  return out;
}

// transformers' PretrainedConfig.save_pretrained: `torch_dtype` records the saved weights' dtype.
nlohmann::json transformers_config(const nlohmann::json& config, torch::ScalarType dtype) {
  if (!config.is_object() || config.empty()) throw Error("no text encoder config to save");
  nlohmann::json out = config;
  out["torch_dtype"] = dtype_name(dtype);
  if (!out.contains("architectures")) out["architectures"] = nlohmann::json::array({"CLIPTextModel"});
  return out;
}

void write_component(StagedFolder& staged, const std::string& prefix, DiffusersComponent which,
                     const torch::nn::Module& module, const nlohmann::json& config,
                     const DiffusersSaveOptions& options) {
  const std::string sep = prefix.empty() ? "" : "/";
  switch (which) {
    case DiffusersComponent::UNet:
      staged.write_text(prefix + sep + dn::kConfig,
                        config_json_text(diffusers_config(config, "UNet", "UNet2DConditionModel")));
      break;
    case DiffusersComponent::VAE:
      staged.write_text(prefix + sep + dn::kConfig, config_json_text(diffusers_config(config, "VAE", "AutoencoderKL")));
      break;
    case DiffusersComponent::TextEncoder:
      staged.write_text(prefix + sep + dn::kConfig, config_json_text(transformers_config(config, options.dtype)));
      break;
  }
  const char* weights = which == DiffusersComponent::TextEncoder ? dn::kTransformersWeights : dn::kDiffusersWeights;
  save_state_dict(module, staged.file(prefix + sep + weights).string(), {{"format", "pt"}}, options.dtype);
  staged.written(prefix + sep + weights);
}

void check_dtype(torch::ScalarType dtype) { (void)dtype_name(dtype); }

}  // namespace

nlohmann::json read_json_object(const std::string& path, size_t max_bytes) {
  const std::string text = read_file_bytes(path, max_bytes);
  auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) throw Error(path + " is not a JSON object");
  return json;
}

std::string config_json_text(const nlohmann::json& config) {
  return config.dump(2, ' ', /*ensure_ascii=*/true) + "\n";
}

std::string DiffusersFolder::component_dir(const char* component) const { return (fs::path(dir) / component).string(); }

DiffusersFolder open_diffusers_folder(const std::string& model_dir) {
  const fs::path dir(model_dir);
  if (!fs::is_directory(dir)) {
    if (fs::exists(dir)) refuse_pickle(model_dir);
    throw Error("model folder " + model_dir + " does not exist");
  }
  DiffusersFolder folder;
  folder.dir = model_dir;
  folder.model_index = nlohmann::json::object();
  if (fs::exists(dir / dn::kModelIndex)) {
    folder.model_index = read_json_object((dir / dn::kModelIndex).string());
    const std::string cls = folder.model_index.value("_class_name", "");
    if (!cls.empty() && cls != "StableDiffusionPipeline" && cls != "StableDiffusionImg2ImgPipeline") {
      throw Error(model_dir + "/model_index.json names a " + cls + ", not a Stable Diffusion pipeline");
    }
  }
  for (const char* c : {dn::kTokenizer, dn::kTextEncoder, dn::kUNet, dn::kVAE, dn::kScheduler}) require_component(dir, c);
  require_weights(dir / dn::kUNet, dn::kDiffusersWeights, "diffusion_pytorch_model.bin");
  require_weights(dir / dn::kVAE, dn::kDiffusersWeights, "diffusion_pytorch_model.bin");
  require_weights(dir / dn::kTextEncoder, dn::kTransformersWeights, "pytorch_model.bin");
  folder.unet_config = read_json_object((dir / dn::kUNet / dn::kConfig).string());
  folder.vae_config = read_json_object((dir / dn::kVAE / dn::kConfig).string());
  folder.text_encoder_config = read_json_object((dir / dn::kTextEncoder / dn::kConfig).string());
  folder.scheduler_config = read_json_object((dir / dn::kScheduler / dn::kSchedulerConfig).string());
  return folder;
}

void save_diffusers_folder(const std::string& dir, const DiffusersComponents& c, const DiffusersSaveOptions& options) {
  check_dtype(options.dtype);
  if (c.unet == nullptr || c.vae == nullptr || c.text_encoder == nullptr) {
    throw Error("cannot save a pipeline without its UNet, VAE and text encoder");
  }
  if (!c.scheduler_config.is_object() || !c.scheduler_config.contains("_class_name")) {
    throw Error("cannot save a pipeline without a scheduler config naming its _class_name");
  }
  const fs::path tokenizer(c.tokenizer_dir);
  for (const char* required : {dn::kTokenizerFiles[0], dn::kTokenizerFiles[1]}) {
    if (c.tokenizer_dir.empty() || !fs::is_regular_file(tokenizer / required)) {
      throw Error("cannot save the tokenizer: " + (tokenizer / required).string() + " is missing");
    }
  }

  StagedFolder staged(dir, options);
  nlohmann::json index = nlohmann::json::object();
  index["_class_name"] = c.pipeline_class;
  index["_diffusers_version"] = c.unet_config.value("_diffusers_version", std::string(kDiffusersVersion));
  index["feature_extractor"] = nlohmann::json::array({nullptr, nullptr});
  index["image_encoder"] = nlohmann::json::array({nullptr, nullptr});
  index["safety_checker"] = nlohmann::json::array({nullptr, nullptr});
  index["requires_safety_checker"] = false;
  index["scheduler"] = nlohmann::json::array({"diffusers", c.scheduler_config.at("_class_name")});
  index["text_encoder"] = nlohmann::json::array({"transformers", "CLIPTextModel"});
  index["tokenizer"] = nlohmann::json::array({"transformers", "CLIPTokenizer"});
  index["unet"] = nlohmann::json::array({"diffusers", "UNet2DConditionModel"});
  index["vae"] = nlohmann::json::array({"diffusers", "AutoencoderKL"});
  staged.write_text(dn::kModelIndex, config_json_text(index));

  staged.write_text(std::string(dn::kScheduler) + "/" + dn::kSchedulerConfig,
                    config_json_text(diffusers_config(c.scheduler_config, "scheduler",
                                                      c.scheduler_config.at("_class_name").get<std::string>())));
  for (const char* name : dn::kTokenizerFiles) {
    if (!fs::is_regular_file(tokenizer / name)) continue;  // the two JSON files are optional
    staged.write_text(std::string(dn::kTokenizer) + "/" + name, read_file_bytes(tokenizer / name, kMaxTokenizerFileBytes));
  }
  write_component(staged, dn::kTextEncoder, DiffusersComponent::TextEncoder, *c.text_encoder, c.text_encoder_config,
                  options);
  write_component(staged, dn::kVAE, DiffusersComponent::VAE, *c.vae, c.vae_config, options);
  write_component(staged, dn::kUNet, DiffusersComponent::UNet, *c.unet, c.unet_config, options);
  staged.commit();
}

void save_diffusers_component(const std::string& component_dir, DiffusersComponent which,
                              const torch::nn::Module& module, const nlohmann::json& config,
                              const DiffusersSaveOptions& options) {
  check_dtype(options.dtype);
  StagedFolder staged(component_dir, options);
  write_component(staged, "", which, module, config, options);
  staged.commit();
}

}  // namespace tessera::io
