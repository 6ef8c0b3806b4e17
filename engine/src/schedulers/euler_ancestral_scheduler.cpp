#include "schedulers/euler_ancestral_scheduler.h"

#include "schedulers/euler_scheduler.h"
#include "tessera/error.h"

#include <cmath>

namespace tessera::schedulers {

EulerAncestralScheduler::EulerAncestralScheduler(SchedulerConfig config) : SigmaScheduler(std::move(config)) {
  auto table = schedule_.sigma_table().flip(0);
  sigmas_ = torch::cat({table, torch::zeros({1}, table.options())});
}

void EulerAncestralScheduler::set_timesteps(int64_t n) {
  euler_timesteps_and_sigmas(config_, schedule_, n, false, timesteps_, sigmas_);
  num_inference_steps_ = n;
  step_index_ = -1;
  begin_index_ = -1;
}

double EulerAncestralScheduler::init_noise_sigma() const { return euler_init_noise_sigma(config_, sigmas_); }

torch::Tensor EulerAncestralScheduler::scale_model_input(const torch::Tensor& sample, double timestep) {
  init_step_index(timestep, false);
  const float sigma = sigma_at(step_index_);
  return sample / std::sqrt(sigma * sigma + 1.0f);
}

StepResult EulerAncestralScheduler::step(const torch::Tensor& model_output, double timestep,
                                         const torch::Tensor& sample, at::Generator* generator,
                                         const torch::Tensor* injected_noise) {
  init_step_index(timestep, false);
  if (step_index_ + 1 >= sigmas_.size(0))
    throw Error("EulerAncestralDiscreteScheduler: more steps than timesteps",
                "call set_timesteps() for a new generation");
  auto x = sample.to(torch::kFloat32);
  const float sigma = sigma_at(step_index_);

  torch::Tensor pred_original_sample;
  if (config_.prediction_type == PredictionType::VPrediction) {
    const float c_out = -sigma / std::sqrt(sigma * sigma + 1.0f);
    pred_original_sample = model_output * c_out + (x / (sigma * sigma + 1.0f));
  } else {
    pred_original_sample = x - sigma * model_output;
  }

  const float sigma_from = sigma;
  const float sigma_to = sigma_at(step_index_ + 1);
  const float sigma_up =
      std::sqrt(sigma_to * sigma_to * (sigma_from * sigma_from - sigma_to * sigma_to) / (sigma_from * sigma_from));
  const float sigma_down = std::sqrt(sigma_to * sigma_to - sigma_up * sigma_up);

  auto derivative = (x - pred_original_sample) / sigma;
  const float dt = sigma_down - sigma;
  auto prev_sample = x + derivative * dt;
  auto noise = draw_noise(model_output, generator, injected_noise);
  prev_sample = (prev_sample + noise * sigma_up).to(model_output.scalar_type());
  ++step_index_;
  return {prev_sample, pred_original_sample};
}

}  // namespace tessera::schedulers
