#include "schedulers/ddpm_scheduler.h"

#include "tessera/error.h"

#include <algorithm>
#include <cmath>

namespace tessera::schedulers {

DDPMScheduler::DDPMScheduler(SchedulerConfig config) : Scheduler(std::move(config)) {}

void DDPMScheduler::set_timesteps(int64_t n) {
  auto ts = spaced_timesteps(config_.timestep_spacing, config_.num_train_timesteps, n, config_.steps_offset);
  std::vector<int64_t> out;
  for (double t : ts) out.push_back(static_cast<int64_t>(np_round(t)));
  timesteps_ = int64_tensor(out);
  num_inference_steps_ = n;
}

int64_t DDPMScheduler::previous_timestep(int64_t t) const {
  const int64_t n = num_inference_steps_ > 0 ? num_inference_steps_ : config_.num_train_timesteps;
  return t - config_.num_train_timesteps / n;
}

float DDPMScheduler::variance(int64_t t) const {
  const int64_t prev_t = previous_timestep(t);
  const float alpha_prod_t = static_cast<float>(schedule_.alpha_cumprod(t));
  const float alpha_prod_t_prev = prev_t >= 0 ? static_cast<float>(schedule_.alpha_cumprod(prev_t)) : 1.0f;
  const float current_beta_t = 1.0f - alpha_prod_t / alpha_prod_t_prev;
  float variance = (1.0f - alpha_prod_t_prev) / (1.0f - alpha_prod_t) * current_beta_t;
  variance = std::max(variance, 1e-20f);
  if (config_.variance_type == "fixed_small_log") return std::exp(0.5f * std::log(variance));
  if (config_.variance_type == "fixed_large") return current_beta_t;
  return variance;  // fixed_small
}

StepResult DDPMScheduler::step(const torch::Tensor& model_output, double timestep_d, const torch::Tensor& sample,
                               at::Generator* generator, const torch::Tensor* injected_noise) {
  const auto t = static_cast<int64_t>(std::llround(timestep_d));
  const int64_t prev_t = previous_timestep(t);

  const float alpha_prod_t = static_cast<float>(schedule_.alpha_cumprod(t));
  const float alpha_prod_t_prev = prev_t >= 0 ? static_cast<float>(schedule_.alpha_cumprod(prev_t)) : 1.0f;
  const float beta_prod_t = 1.0f - alpha_prod_t;
  const float beta_prod_t_prev = 1.0f - alpha_prod_t_prev;
  const float current_alpha_t = alpha_prod_t / alpha_prod_t_prev;
  const float current_beta_t = 1.0f - current_alpha_t;

  torch::Tensor pred_original_sample;
  switch (config_.prediction_type) {
    case PredictionType::Epsilon:
      pred_original_sample = (sample - std::sqrt(beta_prod_t) * model_output) / std::sqrt(alpha_prod_t);
      break;
    case PredictionType::Sample:
      pred_original_sample = model_output;
      break;
    case PredictionType::VPrediction:
      pred_original_sample = std::sqrt(alpha_prod_t) * sample - std::sqrt(beta_prod_t) * model_output;
      break;
  }
  if (config_.clip_sample) {
    const double r = config_.clip_sample_range;
    pred_original_sample = pred_original_sample.clamp(-r, r);
  }

  // Formula (7) of the DDPM paper: mean of q(x_{t-1} | x_t, x_0).
  const float pred_original_sample_coeff = (std::sqrt(alpha_prod_t_prev) * current_beta_t) / beta_prod_t;
  const float current_sample_coeff = std::sqrt(current_alpha_t) * beta_prod_t_prev / beta_prod_t;
  auto pred_prev_sample = pred_original_sample_coeff * pred_original_sample + current_sample_coeff * sample;

  if (t > 0) {
    auto noise = draw_noise(model_output, generator, injected_noise);
    const float v = variance(t);
    const float scale = config_.variance_type == "fixed_small_log" ? v : std::sqrt(v);
    pred_prev_sample = pred_prev_sample + scale * noise;
  }
  return {pred_prev_sample, pred_original_sample};
}

}  // namespace tessera::schedulers
