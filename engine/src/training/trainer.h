#pragma once
// The UNet training loop: one process of a (possibly distributed) run. Builds the UNet from the
// run config (from scratch, or from `init_from` weights), resumes from the newest complete
// checkpoint, and runs global batches of `batch_size` samples split into microbatches x
// accumulation steps x ranks, with AdamW, LR schedule, clipping, EMA, checkpoints, metrics,
// sample images, NaN handling and a watchdog. Internal header (torch).

#include "models/unet_2d_condition.h"
#include "training/data_source.h"
#include "training/run_config.h"
#include "training/trained_weights.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tessera::training {

struct StepReport {
  int64_t step = 0;  // optimizer steps done
  int64_t max_steps = 0;
  double loss = 0;
  double lr = 0;
  double grad_norm = 0;
  double images_per_s = 0;
  double seconds = 0;  // wall time of the step (data, forward, backward, update, EMA)
  // Of `seconds`: the host waiting for the device (the read of the step's loss and gradient norm
  // at its end; with in_backward also each microbatch's loss read). On a GPU, near 0 means the
  // host's queueing of the work, not the device, set the pace; on the CPU the work is done as it
  // is queued, so it is ~0. With loss scaling (amp_fp16) the update is queued after the read:
  // the device works on it while the host goes on.
  double wait_seconds = 0;
  // trainer.cuda_graph: the steps so far whose passes were replayed from the CUDA graph.
  int64_t graph_replays = 0;
};

struct TrainerOptions {
  std::string run_dir;
  std::string resume = "auto";  // auto | never
  // Replaces the dataset the config names (tests, the synthetic demo set). Not owned.
  DataSource* data = nullptr;
  // Called on every rank after each step; return false to stop (no final checkpoint).
  std::function<bool(const StepReport&)> on_step;
  // Stop after this many steps in this process, as an interruption would (tests; -1: never).
  int64_t stop_after_steps = -1;
  // Exit code the watchdog ends the process with.
  int watchdog_exit_code = 3;
};

class Trainer {
 public:
  Trainer(RunConfig config, TrainerOptions options);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  // Runs to max_duration (or until stopped). Throws tessera::Error on failure.
  void run();

  // After run(): the model and the state reached. After run() failed, the model may hold the
  // update of the step that failed (a non-finite step's update is queued before its loss is
  // read): the weight accessors below then throw, and the last checkpoint holds the last good
  // weights.
  models::UNet2DConditionModel& unet();
  int64_t step() const;
  // The parameters under their diffusers names (fp32), and the EMA's (empty before it starts).
  std::vector<std::pair<std::string, torch::Tensor>> named_weights() const;
  std::vector<std::pair<std::string, torch::Tensor>> named_ema_weights() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tessera::training
