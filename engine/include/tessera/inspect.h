#pragma once
// What a weight file or a model folder holds, without loading any tensor data: the facade behind
// `tessera inspect`. Plain structs; no torch.

#include "tessera/error.h"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace tessera {

struct DtypeCount {
  std::string dtype;  // "F32", "F16", "BF16", ...
  int64_t tensors = 0;
  int64_t parameters = 0;  // elements
  uint64_t bytes = 0;
};

struct TensorInfo {
  std::string name;
  std::string dtype;
  std::vector<int64_t> shape;
  int64_t parameters = 0;
  uint64_t bytes = 0;
};

// One or more .safetensors files (several for a sharded checkpoint) seen as one.
struct WeightsSummary {
  std::vector<std::string> files;
  uint64_t file_bytes = 0;
  int64_t tensors = 0;
  int64_t parameters = 0;  // total elements over all tensors
  uint64_t data_bytes = 0;
  std::vector<DtypeCount> dtypes;              // most bytes first
  std::map<std::string, std::string> metadata;  // of the first file
  std::vector<TensorInfo> largest;             // most elements first, at most InspectOptions::largest
};

// A folder of a diffusers pipeline (unet/, vae/, text_encoder/, tokenizer/, scheduler/ ...).
struct ComponentSummary {
  std::string name;        // folder name, e.g. "unet"
  std::string library;     // from model_index.json, e.g. "diffusers"
  std::string class_name;  // e.g. "UNet2DConditionModel"
  std::string config_file;  // the config read, empty if none
  // Main config values as compact JSON text, in a fixed order (block_out_channels, ...).
  std::vector<std::pair<std::string, std::string>> config;
  bool has_weights = false;
  WeightsSummary weights;
};

enum class InspectKind { WeightsFile, Pipeline, Component };

struct InspectReport {
  InspectKind kind = InspectKind::WeightsFile;
  std::string path;
  WeightsSummary weights;  // kind == WeightsFile
  std::string pipeline_class;     // kind == Pipeline: model_index.json's _class_name
  std::string diffusers_version;  // kind == Pipeline
  std::vector<ComponentSummary> components;  // Pipeline: each component; Component: one
};

struct InspectOptions {
  size_t largest = 5;  // how many of the largest tensors to list
};

// Inspects a .safetensors file, a diffusers pipeline folder (model_index.json) or a component
// folder (config.json + weights). Reads only headers and configs. Fails for a missing path, a
// damaged file, or a PyTorch pickle checkpoint (with the command that converts it).
Status inspect_weights(const std::string& path, InspectReport* out, const InspectOptions& options = {});

}  // namespace tessera
