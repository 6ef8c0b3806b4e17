#pragma once
// Training checkpoints: RUN_DIR/checkpoints/step-NNNNNNNN/ holding
//   unet.safetensors        the UNet weights under diffusers keys (+ unet_config.json)
//   vae.safetensors         instead, for a model.trains: vae run: the VAE's (+ vae_config.json)
//   text_encoder.safetensors the text encoder's weights under transformers keys, when it is trained
//   optimizer.safetensors   AdamW moments as exp_avg.<param>, exp_avg_sq.<param>
//   ema.safetensors         the fp32 EMA weights under diffusers keys (when the EMA has started);
//                           a trained text encoder's under text_encoder.<transformers key>
//   rng.safetensors         CPU generator state (and CUDA's when present)
//   state.json              format + version, step, stream position (data-reader state), skipped
//                           batches, LR-schedule position, world size
//   config.yaml             the resolved run config
//   COMPLETE                written last; a folder without it is ignored
// Everything is written into a temporary sibling folder (each file fsynced), which is renamed
// into place and fsynced before the marker is written. Internal header (torch).

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tessera::training {

inline constexpr const char* kCheckpointFormat = "tessera-train-checkpoint";
inline constexpr int kCheckpointVersion = 1;
inline constexpr const char* kCompleteMarker = "COMPLETE";

using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

struct TrainState {
  int64_t step = 0;          // optimizer steps done
  int64_t samples_seen = 0;  // stream position of the next global batch
  std::vector<std::pair<int64_t, int64_t>> skipped;  // [begin, end) stream ranges never trained on
  int64_t world_size = 1;
  double lr = 0.0;           // the learning rate of the last step (the schedule is a function of step)
  double loss_scale = 0.0;   // dynamic loss scaling: the current scale (0: not in use)
  int64_t loss_scale_good_steps = 0;  // finite steps since the scale last changed

  nlohmann::json to_json() const;
  static TrainState from_json(const nlohmann::json& j, const std::string& what);
};

struct CheckpointContents {
  TrainState state;
  NamedTensors unet;             // diffusers keys; empty in a VAE run's checkpoint
  nlohmann::json unet_config;
  NamedTensors vae;              // diffusers keys; only in a VAE run's checkpoint (model.trains: vae)
  nlohmann::json vae_config;
  NamedTensors text_encoder;     // transformers keys; empty unless the text encoder is trained
  NamedTensors exp_avg;          // keyed by parameter name
  NamedTensors exp_avg_sq;
  int64_t optimizer_steps = 0;
  NamedTensors ema;              // empty when the EMA has not started
  std::string config_yaml;
};

std::string checkpoint_dir_name(int64_t step);  // "step-00000012"

// Writes checkpoint `contents` under run_dir/checkpoints/ (atomically, see above) and removes the
// oldest complete checkpoints beyond `keep`. Returns the new folder.
std::string write_checkpoint(const std::string& run_dir, const CheckpointContents& contents, int64_t keep);

// Complete checkpoints under run_dir/checkpoints, oldest first (incomplete ones are skipped).
std::vector<std::string> list_checkpoints(const std::string& run_dir);
// Removes temporary folders left by interrupted writes.
void remove_partial_checkpoints(const std::string& run_dir);

// True when `dir` is a complete Tessera checkpoint folder.
bool is_checkpoint_dir(const std::string& dir);

// Reads a checkpoint folder (throws tessera::Error naming what is missing or damaged).
// `with_training_state` false reads only the weights, config and state.json.
CheckpointContents read_checkpoint(const std::string& dir, bool with_training_state = true);

// RNG state of the CPU generator (and CUDA's when available), and its restoration.
NamedTensors capture_rng_state();
void restore_rng_state(const NamedTensors& state);

}  // namespace tessera::training
