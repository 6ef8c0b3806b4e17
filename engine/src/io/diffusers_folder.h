#pragma once
// The diffusers folder layout, in and out (internal: uses torch).
//
//   model_index.json                       {"_class_name": "StableDiffusionPipeline", ...}
//   unet/config.json + diffusion_pytorch_model.safetensors
//   vae/config.json + diffusion_pytorch_model.safetensors
//   text_encoder/config.json + model.safetensors        (transformers)
//   tokenizer/vocab.json merges.txt tokenizer_config.json special_tokens_map.json
//   scheduler/scheduler_config.json
//
// Reading: open_diffusers_folder() checks the layout (and model_index.json when present), refuses
// pickle weights with a conversion hint, and returns the component paths and config JSON that
// the model loaders and the pipeline use. Writing: save_diffusers_folder() writes the same layout
// as diffusers' `save_pretrained` (JSON sorted, indented by 2, ASCII-escaped, newline-terminated;
// safetensors with {"format": "pt"}), so `StableDiffusionPipeline.from_pretrained` loads it.
// A save is atomic: everything goes to a temporary sibling folder, every file and folder is
// fsynced, and the folder is renamed into place; on any failure the temporary folder is removed
// and the target is left as it was.

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <functional>
#include <string>

namespace tessera::io {

// Component folder and file names, shared by the reader and the writer.
namespace diffusers_names {
inline constexpr const char* kModelIndex = "model_index.json";
inline constexpr const char* kUNet = "unet";
inline constexpr const char* kVAE = "vae";
inline constexpr const char* kTextEncoder = "text_encoder";
inline constexpr const char* kTokenizer = "tokenizer";
inline constexpr const char* kScheduler = "scheduler";
inline constexpr const char* kConfig = "config.json";
inline constexpr const char* kSchedulerConfig = "scheduler_config.json";
inline constexpr const char* kDiffusersWeights = "diffusion_pytorch_model.safetensors";
inline constexpr const char* kTransformersWeights = "model.safetensors";
// The tokenizer files transformers' CLIPTokenizer.save_pretrained writes (the first two required).
inline constexpr const char* kTokenizerFiles[] = {"vocab.json", "merges.txt", "tokenizer_config.json",
                                                  "special_tokens_map.json"};
}  // namespace diffusers_names

// The diffusers version written when a config does not carry its own `_diffusers_version`: the
// one whose semantics the engine reproduces.
inline constexpr const char* kDiffusersVersion = "0.26.3";

// Reads a JSON object from a file; throws tessera::Error naming the file when it is unreadable,
// larger than `max_bytes`, or not a JSON object.
nlohmann::json read_json_object(const std::string& path, size_t max_bytes = 16u << 20);

// JSON text as diffusers/transformers write configs: json.dumps(indent=2, sort_keys=True) + "\n".
std::string config_json_text(const nlohmann::json& config);

// What a Stable Diffusion diffusers folder holds, checked but not loaded.
struct DiffusersFolder {
  std::string dir;
  nlohmann::json model_index;       // empty object when the folder has no model_index.json
  nlohmann::json unet_config;       // unet/config.json as stored
  nlohmann::json vae_config;        // vae/config.json
  nlohmann::json text_encoder_config;  // text_encoder/config.json
  nlohmann::json scheduler_config;  // scheduler/scheduler_config.json

  std::string component_dir(const char* component) const;
  std::string unet_dir() const { return component_dir(diffusers_names::kUNet); }
  std::string vae_dir() const { return component_dir(diffusers_names::kVAE); }
  std::string text_encoder_dir() const { return component_dir(diffusers_names::kTextEncoder); }
  std::string tokenizer_dir() const { return component_dir(diffusers_names::kTokenizer); }
};

// Checks `dir`: it exists; model_index.json (when present) names a Stable Diffusion pipeline;
// every component folder is there with its config and a .safetensors weights file (a .bin
// pickle in its place is refused with the conversion command). Throws tessera::Error naming
// what is missing and what to do.
DiffusersFolder open_diffusers_folder(const std::string& dir);

// Which component a single-component save writes (decides the weights file name and whether the
// config carries `torch_dtype`, as transformers' configs do).
enum class DiffusersComponent { UNet, VAE, TextEncoder };

struct DiffusersSaveOptions {
  // Floating-point weights are stored in this dtype: kFloat32, kFloat16 or kBFloat16.
  torch::ScalarType dtype = torch::kFloat32;
  // A non-empty target folder is refused unless this is set; it is then replaced as a whole
  // (the old folder is removed only after the new one is in place).
  bool overwrite = false;
  // Called after each file is written into the temporary folder, with its path relative to the
  // target (e.g. "unet/config.json"): progress for long saves. An exception thrown here aborts
  // the save like any other failure (the temporary folder is removed, the target untouched).
  std::function<void(const std::string& relative_path)> on_file_written;
};

// The parts of a pipeline to save. Modules must have their parameters and buffers registered
// under the diffusers/transformers keys (every model in engine/src/models does). Configs are
// written as given, except `_diffusers_version` (added when absent) and the text encoder's
// `torch_dtype` (set to the saved dtype, as transformers does).
struct DiffusersComponents {
  std::string pipeline_class = "StableDiffusionPipeline";
  const torch::nn::Module* unet = nullptr;
  nlohmann::json unet_config;
  const torch::nn::Module* vae = nullptr;
  nlohmann::json vae_config;
  const torch::nn::Module* text_encoder = nullptr;
  nlohmann::json text_encoder_config;
  // A folder with the CLIP tokenizer files (vocab.json, merges.txt, and the optional
  // tokenizer_config.json, special_tokens_map.json); they are copied unchanged.
  std::string tokenizer_dir;
  nlohmann::json scheduler_config;  // must carry `_class_name`
};

// Writes the whole pipeline folder at `dir` (model_index.json + the five components).
// Throws tessera::Error (nothing is left behind) on a missing part, a non-empty target without
// `overwrite`, or an IO failure.
void save_diffusers_folder(const std::string& dir, const DiffusersComponents& components,
                           const DiffusersSaveOptions& options = {});

// Writes one model component folder (config.json + weights), e.g. a fine-tuned unet/ to drop into
// an existing pipeline folder; same atomicity and overwrite rules as save_diffusers_folder.
void save_diffusers_component(const std::string& component_dir, DiffusersComponent which,
                              const torch::nn::Module& module, const nlohmann::json& config,
                              const DiffusersSaveOptions& options = {});

}  // namespace tessera::io
