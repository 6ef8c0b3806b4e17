#pragma once
// UniPC (Zhao et al. 2023), as diffusers' UniPCMultistepScheduler v0.26 in its data-prediction
// form (predict_x0): a UniP predictor every step and a UniC corrector applied to the sample at the
// start of the next step (B(h) = bh1 or bh2). The last sigma is sigma_min, not 0.

#include "schedulers/scheduler.h"

#include <vector>

namespace tessera::schedulers {

class UniPCMultistepScheduler : public SigmaScheduler {
 public:
  explicit UniPCMultistepScheduler(SchedulerConfig config);

  void set_timesteps(int64_t num_inference_steps) override;
  StepResult step(const torch::Tensor& model_output, double timestep, const torch::Tensor& sample,
                  at::Generator* generator = nullptr, const torch::Tensor* injected_noise = nullptr) override;
  void reset() override;

  int64_t lower_order_nums() const { return lower_order_nums_; }
  int64_t this_order() const { return this_order_; }

 protected:
  bool variance_preserving() const override { return true; }

 private:
  torch::Tensor predictor_update(const torch::Tensor& sample, int64_t order) const;
  torch::Tensor corrector_update(const torch::Tensor& this_model_output, const torch::Tensor& last_sample,
                                 const torch::Tensor& this_sample, int64_t order) const;

  std::vector<torch::Tensor> model_outputs_;  // converted (x0) outputs, oldest first
  torch::Tensor last_sample_;
  int64_t lower_order_nums_ = 0;
  int64_t this_order_ = 0;
};

}  // namespace tessera::schedulers
