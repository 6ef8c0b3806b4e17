#pragma once
// DDPM ancestral sampling (Ho et al. 2020), as diffusers' DDPMScheduler v0.26. Stochastic: every
// step with t > 0 draws randn(sample shape) from the generator. Training helpers (add_noise,
// get_velocity, snr) live on NoiseSchedule.

#include "schedulers/scheduler.h"

namespace tessera::schedulers {

class DDPMScheduler : public Scheduler {
 public:
  explicit DDPMScheduler(SchedulerConfig config);

  void set_timesteps(int64_t num_inference_steps) override;
  StepResult step(const torch::Tensor& model_output, double timestep, const torch::Tensor& sample,
                  at::Generator* generator = nullptr, const torch::Tensor* injected_noise = nullptr) override;
  bool is_stochastic() const override { return true; }

  // The previous timestep of t in the current schedule (t - T / n; T / 1 before set_timesteps).
  int64_t previous_timestep(int64_t t) const;

 private:
  // The variance (or standard deviation for fixed_small_log) added at step t, as a float32 value.
  float variance(int64_t t) const;
};

}  // namespace tessera::schedulers
