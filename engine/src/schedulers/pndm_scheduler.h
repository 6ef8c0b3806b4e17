#pragma once
// Pseudo numerical methods (Liu et al. 2022), as diffusers' PNDMScheduler v0.26: a Runge-Kutta
// (PRK) warm-up of 12 model calls, then linear multistep (PLMS); with skip_prk_steps (SD 1.x/2.x
// configs) PLMS only, with N+1 model calls for N steps (the second timestep repeated).

#include "schedulers/scheduler.h"

#include <vector>

namespace tessera::schedulers {

class PNDMScheduler : public Scheduler {
 public:
  explicit PNDMScheduler(SchedulerConfig config);

  void set_timesteps(int64_t num_inference_steps) override;
  StepResult step(const torch::Tensor& model_output, double timestep, const torch::Tensor& sample,
                  at::Generator* generator = nullptr, const torch::Tensor* injected_noise = nullptr) override;
  void reset() override;

  int64_t num_prk_steps() const { return static_cast<int64_t>(prk_timesteps_.size()); }
  int64_t counter() const { return counter_; }

 private:
  torch::Tensor step_prk(const torch::Tensor& model_output, int64_t timestep, const torch::Tensor& sample);
  torch::Tensor step_plms(const torch::Tensor& model_output, int64_t timestep, const torch::Tensor& sample);
  torch::Tensor prev_sample(const torch::Tensor& sample, int64_t timestep, int64_t prev_timestep,
                            torch::Tensor model_output) const;

  float final_alpha_cumprod_ = 1.0f;
  std::vector<int64_t> prk_timesteps_;
  std::vector<torch::Tensor> ets_;  // past model outputs (at most 4 used)
  torch::Tensor cur_model_output_;  // PRK accumulator (undefined = 0)
  torch::Tensor cur_sample_;
  int64_t counter_ = 0;
};

}  // namespace tessera::schedulers
