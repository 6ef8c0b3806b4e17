#pragma once
// DDIM (Song et al. 2020), as diffusers' DDIMScheduler v0.26: deterministic for eta = 0.

#include "schedulers/scheduler.h"

namespace tessera::schedulers {

class DDIMScheduler : public Scheduler {
 public:
  explicit DDIMScheduler(SchedulerConfig config);

  void set_timesteps(int64_t num_inference_steps) override;
  StepResult step(const torch::Tensor& model_output, double timestep, const torch::Tensor& sample,
                  at::Generator* generator = nullptr, const torch::Tensor* injected_noise = nullptr) override;
  bool is_stochastic() const override { return eta_ > 0; }

  // The DDIM eta (0 = deterministic DDIM, 1 = DDPM-like); diffusers passes it to step().
  void set_eta(double eta) { eta_ = eta; }
  double eta() const { return eta_; }

 private:
  float final_alpha_cumprod_ = 1.0f;
  double eta_ = 0.0;
};

}  // namespace tessera::schedulers
