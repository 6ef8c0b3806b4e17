#pragma once
// Euler method on the k-diffusion ODE (Karras et al. 2022, Algorithm 2 with s_churn = 0), as
// diffusers' EulerDiscreteScheduler v0.26: fractional float32 timesteps, sigma table of N+1 values
// ending in 0, model input scaled by 1 / sqrt(sigma^2 + 1), optional Karras sigmas.

#include "schedulers/scheduler.h"

namespace tessera::schedulers {

// Shared by Euler and Euler ancestral: float32 timesteps and sigmas for `n` steps.
void euler_timesteps_and_sigmas(const SchedulerConfig& config, const NoiseSchedule& schedule, int64_t n,
                                bool karras, torch::Tensor& timesteps, torch::Tensor& sigmas);

class EulerDiscreteScheduler : public SigmaScheduler {
 public:
  explicit EulerDiscreteScheduler(SchedulerConfig config);

  void set_timesteps(int64_t num_inference_steps) override;
  double init_noise_sigma() const override;
  torch::Tensor scale_model_input(const torch::Tensor& sample, double timestep) override;
  StepResult step(const torch::Tensor& model_output, double timestep, const torch::Tensor& sample,
                  at::Generator* generator = nullptr, const torch::Tensor* injected_noise = nullptr) override;
};

// init_noise_sigma of Euler-type schedulers: max sigma for linspace/trailing spacing, else
// sqrt(max^2 + 1), in float32.
double euler_init_noise_sigma(const SchedulerConfig& config, const torch::Tensor& sigmas);

}  // namespace tessera::schedulers
