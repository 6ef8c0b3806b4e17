#include "schedulers/euler_scheduler.h"

#include "tessera/error.h"

#include <cmath>

namespace tessera::schedulers {

void euler_timesteps_and_sigmas(const SchedulerConfig& config, const NoiseSchedule& schedule, int64_t n, bool karras,
                                torch::Tensor& timesteps, torch::Tensor& sigmas) {
  // Timesteps are float32 (numpy computes them in float64 and casts); the sigma table is
  // interpolated in float64 at the float32 timesteps.
  std::vector<double> ts;
  for (double t : spaced_timesteps(config.timestep_spacing, config.num_train_timesteps, n, config.steps_offset))
    ts.push_back(static_cast<double>(static_cast<float>(t)));
  auto table = schedule.sigma_table();
  const auto base = to_double_vector(table);  // float32 values
  std::vector<double> sig;
  for (double t : ts) sig.push_back(interp_table(t, base));
  if (karras) {
    std::vector<float> log_sigmas;
    for (double s : base) log_sigmas.push_back(static_cast<float>(std::log(s)));
    const double smin = config.has_sigma_min ? config.sigma_min : sig.back();
    const double smax = config.has_sigma_max ? config.sigma_max : sig.front();
    sig = karras_sigmas(smin, smax, n);
    ts.clear();
    for (double s : sig) ts.push_back(static_cast<double>(static_cast<float>(sigma_to_t(s, log_sigmas))));
  }
  sig.push_back(0.0);
  sigmas = float_tensor(sig);
  timesteps = float_tensor(ts);
}

double euler_init_noise_sigma(const SchedulerConfig& config, const torch::Tensor& sigmas) {
  const float max_sigma = sigmas.max().item<float>();
  if (config.timestep_spacing == TimestepSpacing::Linspace || config.timestep_spacing == TimestepSpacing::Trailing)
    return max_sigma;
  return std::sqrt(max_sigma * max_sigma + 1.0f);
}

EulerDiscreteScheduler::EulerDiscreteScheduler(SchedulerConfig config) : SigmaScheduler(std::move(config)) {
  // Before set_timesteps: the full training table, reversed, plus a trailing 0 (for init_noise_sigma).
  auto table = schedule_.sigma_table().flip(0);
  sigmas_ = torch::cat({table, torch::zeros({1}, table.options())});
}

void EulerDiscreteScheduler::set_timesteps(int64_t n) {
  euler_timesteps_and_sigmas(config_, schedule_, n, config_.use_karras_sigmas, timesteps_, sigmas_);
  num_inference_steps_ = n;
  step_index_ = -1;
  begin_index_ = -1;
}

double EulerDiscreteScheduler::init_noise_sigma() const { return euler_init_noise_sigma(config_, sigmas_); }

torch::Tensor EulerDiscreteScheduler::scale_model_input(const torch::Tensor& sample, double timestep) {
  init_step_index(timestep, false);
  const float sigma = sigma_at(step_index_);
  return sample / std::sqrt(sigma * sigma + 1.0f);
}

StepResult EulerDiscreteScheduler::step(const torch::Tensor& model_output, double timestep, const torch::Tensor& sample,
                                        at::Generator* generator, const torch::Tensor* injected_noise) {
  (void)generator;
  (void)injected_noise;
  init_step_index(timestep, false);
  if (step_index_ + 1 >= sigmas_.size(0))
    throw Error("EulerDiscreteScheduler: more steps than timesteps", "call set_timesteps() for a new generation");
  auto x = sample.to(torch::kFloat32);
  const float sigma = sigma_at(step_index_);
  const float sigma_hat = sigma;  // s_churn = 0: gamma = 0

  torch::Tensor pred_original_sample;
  switch (config_.prediction_type) {
    case PredictionType::Epsilon:
      pred_original_sample = x - sigma_hat * model_output;
      break;
    case PredictionType::VPrediction: {
      const float c_out = -sigma / std::sqrt(sigma * sigma + 1.0f);
      pred_original_sample = model_output * c_out + (x / (sigma * sigma + 1.0f));
      break;
    }
    case PredictionType::Sample:
      pred_original_sample = model_output;
      break;
  }
  auto derivative = (x - pred_original_sample) / sigma_hat;
  const float dt = sigma_at(step_index_ + 1) - sigma_hat;
  auto prev_sample = (x + derivative * dt).to(model_output.scalar_type());
  ++step_index_;
  return {prev_sample, pred_original_sample};
}

}  // namespace tessera::schedulers
