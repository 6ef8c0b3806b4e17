#pragma once
// Loading and saving a torch::nn::Module's weights by its own names: every submodule, parameter
// and buffer is registered under its diffusers/transformers key, so named_parameters(true) and
// named_buffers(true) *are* the weight map and no remapping table is needed. Models that must
// read older key spellings pass substring renames.

#include "io/pickle_guard.h"
#include "io/safetensors.h"

#include <torch/torch.h>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tessera::io {

struct LoadOptions {
  // Applied to FILE keys, in order, each replacing every occurrence of `first` by `second`
  // (e.g. {".query.", ".to_q."} for old VAE attention names). The model supplies them.
  std::vector<std::pair<std::string, std::string>> renames;
  // File keys to skip (e.g. "text_model.embeddings.position_ids"); matched against the key as
  // stored in the file and against the key after prefix stripping and renames.
  std::vector<std::string> ignore;
  // Missing or unexpected keys throw (listing the first few of each); when false, they are only
  // reported. A shape mismatch always throws.
  bool strict = true;
  // When set, only file keys starting with it are used, with the prefix stripped
  // (e.g. "first_stage_model." to take the VAE out of a single-file checkpoint).
  std::string prefix;
};

struct LoadReport {
  std::vector<std::string> missing;     // module keys the file did not provide
  std::vector<std::string> unexpected;  // file keys (after prefix and renames) the module lacks
  std::vector<std::string> loaded;      // module keys copied from the file
};

// Copies the file's tensors into `module`'s parameters and buffers (under NoGradGuard, converted
// to each parameter's dtype and device). Throws tessera::Error on a shape mismatch (naming the
// key and both shapes), on two file keys mapping to one module key, and, when strict, on missing
// or unexpected keys.
LoadReport load_state_dict(torch::nn::Module& module, const SafetensorsFile& file, const LoadOptions& options = {});

// Writes every parameter and buffer of `module` (contiguous, on the CPU) to `path` atomically.
// Adds "format": "pt" to the metadata unless it is given, as diffusers and transformers expect.
// With `float_dtype` (kFloat32, kFloat16 or kBFloat16), floating-point tensors are stored in that
// dtype (integer buffers keep theirs), as `model.to(dtype).save_pretrained()` would store them.
void save_state_dict(const torch::nn::Module& module, const std::string& path,
                     const std::map<std::string, std::string>& metadata = {},
                     std::optional<torch::ScalarType> float_dtype = std::nullopt);

}  // namespace tessera::io
