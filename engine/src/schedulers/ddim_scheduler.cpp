#include "schedulers/ddim_scheduler.h"

#include "tessera/error.h"

#include <cmath>

namespace tessera::schedulers {

DDIMScheduler::DDIMScheduler(SchedulerConfig config) : Scheduler(std::move(config)) {
  final_alpha_cumprod_ = config_.set_alpha_to_one ? 1.0f : static_cast<float>(schedule_.alpha_cumprod(0));
}

void DDIMScheduler::set_timesteps(int64_t n) {
  auto ts = spaced_timesteps(config_.timestep_spacing, config_.num_train_timesteps, n, config_.steps_offset);
  std::vector<int64_t> out;
  for (double t : ts) out.push_back(static_cast<int64_t>(np_round(t)));
  timesteps_ = int64_tensor(out);
  num_inference_steps_ = n;
}

StepResult DDIMScheduler::step(const torch::Tensor& model_output, double timestep_d, const torch::Tensor& sample,
                               at::Generator* generator, const torch::Tensor* injected_noise) {
  if (num_inference_steps_ == 0)
    throw Error("DDIMScheduler: step() before set_timesteps()", "call set_timesteps(n) before sampling");
  const auto timestep = static_cast<int64_t>(std::llround(timestep_d));
  const int64_t prev_timestep = timestep - config_.num_train_timesteps / num_inference_steps_;

  // Scalars in float32, in diffusers' order of operations.
  const float alpha_prod_t = static_cast<float>(schedule_.alpha_cumprod(timestep));
  const float alpha_prod_t_prev =
      prev_timestep >= 0 ? static_cast<float>(schedule_.alpha_cumprod(prev_timestep)) : final_alpha_cumprod_;
  const float beta_prod_t = 1.0f - alpha_prod_t;
  const float sqrt_alpha = std::sqrt(alpha_prod_t);
  const float sqrt_beta = std::sqrt(beta_prod_t);

  torch::Tensor pred_original_sample;
  torch::Tensor pred_epsilon;
  switch (config_.prediction_type) {
    case PredictionType::Epsilon:
      pred_original_sample = (sample - sqrt_beta * model_output) / sqrt_alpha;
      pred_epsilon = model_output;
      break;
    case PredictionType::Sample:
      pred_original_sample = model_output;
      pred_epsilon = (sample - sqrt_alpha * pred_original_sample) / sqrt_beta;
      break;
    case PredictionType::VPrediction:
      pred_original_sample = sqrt_alpha * sample - sqrt_beta * model_output;
      pred_epsilon = sqrt_alpha * model_output + sqrt_beta * sample;
      break;
  }
  if (config_.clip_sample) {
    const double r = config_.clip_sample_range;
    pred_original_sample = pred_original_sample.clamp(-r, r);
  }

  // sigma_t(eta), formula (16) of the DDIM paper.
  const float beta_prod_t_prev = 1.0f - alpha_prod_t_prev;
  const float variance = (beta_prod_t_prev / beta_prod_t) * (1.0f - alpha_prod_t / alpha_prod_t_prev);
  const float std_dev_t = static_cast<float>(eta_) * std::sqrt(variance);

  const float direction_coeff = std::sqrt(1.0f - alpha_prod_t_prev - std_dev_t * std_dev_t);
  auto pred_sample_direction = direction_coeff * pred_epsilon;
  auto prev_sample = std::sqrt(alpha_prod_t_prev) * pred_original_sample + pred_sample_direction;
  if (eta_ > 0) {
    auto noise = draw_noise(model_output, generator, injected_noise);
    prev_sample = prev_sample + std_dev_t * noise;
  }
  return {prev_sample, pred_original_sample};
}

}  // namespace tessera::schedulers
