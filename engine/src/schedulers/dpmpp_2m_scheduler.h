#pragma once
// DPM-Solver++ multistep (Lu et al. 2022), as diffusers' DPMSolverMultistepScheduler v0.26 with
// algorithm_type "dpmsolver++": "DPM++ 2M" (solver_order 2, midpoint) and, with
// use_karras_sigmas, "DPM++ 2M Karras". Integer timesteps; sigma table of N+1 values whose last is
// 0 (final_sigmas_type zero) or sigma_min.

#include "schedulers/scheduler.h"

#include <vector>

namespace tessera::schedulers {

class DPMSolverMultistepScheduler : public SigmaScheduler {
 public:
  explicit DPMSolverMultistepScheduler(SchedulerConfig config);

  void set_timesteps(int64_t num_inference_steps) override;
  StepResult step(const torch::Tensor& model_output, double timestep, const torch::Tensor& sample,
                  at::Generator* generator = nullptr, const torch::Tensor* injected_noise = nullptr) override;
  void reset() override;

  // How many lower-order warm-up steps have been taken (capped at solver_order).
  int64_t lower_order_nums() const { return lower_order_nums_; }

 protected:
  bool variance_preserving() const override { return true; }

 private:
  torch::Tensor first_order_update(const torch::Tensor& x0, const torch::Tensor& sample) const;
  torch::Tensor second_order_update(const torch::Tensor& sample) const;

  std::vector<torch::Tensor> model_outputs_;  // the last solver_order data predictions, oldest first
  int64_t lower_order_nums_ = 0;
};

// alpha_t = 1 / sqrt(sigma^2 + 1), sigma_t = sigma * alpha_t and lambda_t = log(alpha_t) - log(sigma_t),
// in float32 (shared by DPM-Solver++ and UniPC).
struct AlphaSigma {
  float alpha;
  float sigma;
  float lambda;
};
AlphaSigma alpha_sigma(float sigma);

// The model output turned into a prediction of the clean sample x0 (diffusers'
// convert_model_output for the data-prediction solvers DPM-Solver++ and UniPC-bh2).
torch::Tensor data_prediction(PredictionType type, const torch::Tensor& model_output, const torch::Tensor& sample,
                              const AlphaSigma& at);

}  // namespace tessera::schedulers
