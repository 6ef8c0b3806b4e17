#pragma once
// Training and export through the engine's facade (torch-free): `tessera train`, `tessera
// export`, and the studio's local runs use these.

#include "tessera/error.h"

#include <cstdint>
#include <functional>
#include <string>

namespace tessera {

struct TrainOptions {
  std::string config_path;   // the run config (YAML)
  std::string run_dir;       // config.yaml, metrics.jsonl, checkpoints/, samples/
  std::string resume = "auto";  // auto: continue from the newest complete checkpoint; never
};

struct TrainProgress {
  int64_t step = 0;
  int64_t max_steps = 0;
  double loss = 0;
  double lr = 0;
  double images_per_s = 0;
};

// Return false to stop after the current step (the last checkpoint stays the resume point).
using TrainProgressFn = std::function<bool(const TrainProgress&)>;

// Runs (or resumes) a training run to the end. Each rank of a distributed run calls this; the
// rank and world come from torchrun's or Slurm's environment variables.
Status train(const TrainOptions& options, const TrainProgressFn& progress);

// Checks a run config without training: the YAML, every key, the UNet architecture.
Status check_run_config(const std::string& config_path, std::string* summary);

struct ExportOptions {
  std::string checkpoint_dir;  // RUN_DIR/checkpoints/step-N
  std::string out_dir;         // the diffusers folder to write
  bool ema = false;            // export the EMA weights instead of the trained ones
  // The other components' source (a UNet run: vae/, text_encoder/, tokenizer/; a VAE run: the
  // folder whose vae/ it replaces); empty: the run config's pretrained_components. A VAE run
  // with neither exports a diffusers vae folder (config.json + weights) alone.
  std::string components_dir;
  bool overwrite = false;
};

Status export_checkpoint(const ExportOptions& options);

}  // namespace tessera
