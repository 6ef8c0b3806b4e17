#pragma once
// Euler ancestral sampling ("Euler a"), as diffusers' EulerAncestralDiscreteScheduler v0.26: an
// Euler step down to sigma_down, then fresh noise of scale sigma_up, drawn every step as
// randn(sample shape) from the generator.

#include "schedulers/scheduler.h"

namespace tessera::schedulers {

class EulerAncestralScheduler : public SigmaScheduler {
 public:
  explicit EulerAncestralScheduler(SchedulerConfig config);

  void set_timesteps(int64_t num_inference_steps) override;
  double init_noise_sigma() const override;
  torch::Tensor scale_model_input(const torch::Tensor& sample, double timestep) override;
  StepResult step(const torch::Tensor& model_output, double timestep, const torch::Tensor& sample,
                  at::Generator* generator = nullptr, const torch::Tensor* injected_noise = nullptr) override;
  bool is_stochastic() const override { return true; }
};

}  // namespace tessera::schedulers
