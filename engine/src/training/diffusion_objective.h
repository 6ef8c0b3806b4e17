#pragma once
// The denoising objective: per-sample noise, timestep and caption-dropout draws, the noisy input,
// the target (epsilon, v or the clean sample), offset noise, zero-terminal-SNR betas and
// min-SNR-gamma weighting. Internal header (torch).
//
// Every random draw for a sample comes from a CPU generator seeded by (run seed, the sample's
// stream position), so the numbers a sample gets do not depend on the microbatch size, the rank
// count, or whether the run was interrupted and resumed.

#include "models/unet_2d_condition.h"
#include "schedulers/noise_schedule.h"
#include "training/run_config.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace tessera::training {

struct SampleDraws {
  torch::Tensor timesteps;  // [B] int64
  torch::Tensor noise;      // [B, C, h, w] float32 (offset noise included)
  torch::Tensor drop;       // [B] bool: replace the caption by the empty prompt
  torch::Tensor weights;    // [B] float32: the loss weights of the timesteps (loss_weights)
};

class DiffusionObjective {
 public:
  explicit DiffusionObjective(const ModelSection& model);

  // Keeps a copy of the noise schedule on `device`, where per_sample_loss runs, so that a step
  // copies no table from the host.
  void to(const torch::Device& device) { device_schedule_ = schedule_.to(device); }

  // Draws for the samples at `positions`, latent shape [C, h, w], and their loss weights, on the
  // CPU.
  SampleDraws draw(uint64_t seed, const std::vector<int64_t>& positions, torch::IntArrayRef latent_shape,
                   double caption_drop_prob) const;

  // Per-sample losses [B] (float32): weighted MSE between the UNet's prediction and the target.
  // x0: scaled latents [B, C, h, w]; text: [B, T, D] (dropout already applied); draws on any
  // device (moved to x0's; upload() them beforehand to keep the host from waiting), from draw().
  torch::Tensor per_sample_loss(models::UNet2DConditionModel& unet, const torch::Tensor& x0,
                                const torch::Tensor& text, const SampleDraws& draws) const;

  // The loss weights for `timesteps` (all ones without min-SNR-gamma).
  torch::Tensor loss_weights(const torch::Tensor& timesteps) const;
  const schedulers::NoiseSchedule& schedule() const { return schedule_; }

 private:
  ModelSection model_;
  schedulers::NoiseSchedule schedule_;
  schedulers::NoiseSchedule device_schedule_;  // schedule_, or its copy on the training device
  torch::Tensor snr_;  // float32 [T]
};

// The scheduler config a ModelSection describes (for the noise schedule and exported folders).
schedulers::SchedulerConfig scheduler_config_for(const ModelSection& model);

}  // namespace tessera::training
