#include "schedulers/dpmpp_2m_scheduler.h"

#include "tessera/error.h"

#include <cmath>

namespace tessera::schedulers {

AlphaSigma alpha_sigma(float sigma) {
  AlphaSigma r;
  r.alpha = 1.0f / std::sqrt(sigma * sigma + 1.0f);
  r.sigma = sigma * r.alpha;
  r.lambda = std::log(r.alpha) - std::log(r.sigma);  // +inf for sigma = 0
  return r;
}

torch::Tensor data_prediction(PredictionType type, const torch::Tensor& model_output, const torch::Tensor& sample,
                              const AlphaSigma& at) {
  switch (type) {
    case PredictionType::Epsilon: return (sample - at.sigma * model_output) / at.alpha;
    case PredictionType::Sample: return model_output;
    case PredictionType::VPrediction: return at.alpha * sample - at.sigma * model_output;
  }
  return model_output;
}

DPMSolverMultistepScheduler::DPMSolverMultistepScheduler(SchedulerConfig config) : SigmaScheduler(std::move(config)) {
  model_outputs_.resize(static_cast<size_t>(config_.solver_order));
}

void DPMSolverMultistepScheduler::set_timesteps(int64_t n) {
  const int64_t T = config_.num_train_timesteps;
  // Clip the highest timesteps whose lambda falls below lambda_min_clipped (none for -inf):
  // searchsorted(flip(lambda_t), lambda_min_clipped).
  const auto& acp = schedule_.alphas_cumprod();
  auto lambda_t = (torch::log(acp.pow(0.5)) - torch::log((1 - acp).pow(0.5))).flip(0);
  const int64_t clipped_idx = (lambda_t < config_.lambda_min_clipped).sum().item<int64_t>();
  const int64_t last_timestep = T - clipped_idx;

  auto ts = multistep_timesteps(config_.timestep_spacing, T, last_timestep, n, config_.steps_offset);
  auto table = schedule_.sigma_table();
  const auto base = to_double_vector(table);
  std::vector<double> sig;
  if (config_.use_karras_sigmas) {
    std::vector<float> log_sigmas;
    for (double s : base) log_sigmas.push_back(static_cast<float>(std::log(s)));
    // The flipped table: in_sigmas[-1] = sigma(t=0), in_sigmas[0] = sigma(t=T-1).
    sig = karras_sigmas(base.front(), base.back(), n);
    ts.clear();
    for (double s : sig) ts.push_back(static_cast<int64_t>(np_round(sigma_to_t(s, log_sigmas))));
  } else {
    for (int64_t t : ts) sig.push_back(interp_table(static_cast<double>(t), base));
  }
  const float a0 = static_cast<float>(schedule_.alpha_cumprod(0));
  const double sigma_last = config_.final_sigmas_type == "sigma_min" ? std::sqrt((1.0f - a0) / a0) : 0.0;
  sig.push_back(sigma_last);
  sigmas_ = float_tensor(sig);
  timesteps_ = int64_tensor(ts);
  num_inference_steps_ = static_cast<int64_t>(ts.size());
  begin_index_ = -1;
  reset();
}

void DPMSolverMultistepScheduler::reset() {
  SigmaScheduler::reset();
  model_outputs_.assign(static_cast<size_t>(config_.solver_order), torch::Tensor());
  lower_order_nums_ = 0;
}


torch::Tensor DPMSolverMultistepScheduler::first_order_update(const torch::Tensor& x0,
                                                              const torch::Tensor& sample) const {
  const auto t = alpha_sigma(sigma_at(step_index_ + 1));
  const auto s = alpha_sigma(sigma_at(step_index_));
  const float h = t.lambda - s.lambda;
  return (t.sigma / s.sigma) * sample - (t.alpha * (std::exp(-h) - 1.0f)) * x0;
}

torch::Tensor DPMSolverMultistepScheduler::second_order_update(const torch::Tensor& sample) const {
  const auto t = alpha_sigma(sigma_at(step_index_ + 1));
  const auto s0 = alpha_sigma(sigma_at(step_index_));
  const auto s1 = alpha_sigma(sigma_at(step_index_ - 1));
  const auto& m0 = model_outputs_[model_outputs_.size() - 1];
  const auto& m1 = model_outputs_[model_outputs_.size() - 2];
  const float h = t.lambda - s0.lambda;
  const float h_0 = s0.lambda - s1.lambda;
  const float r0 = h_0 / h;
  const auto& D0 = m0;
  auto D1 = (1.0f / r0) * (m0 - m1);
  const float e = std::exp(-h) - 1.0f;
  if (config_.solver_type == "heun")
    return (t.sigma / s0.sigma) * sample - (t.alpha * e) * D0 + (t.alpha * (e / h + 1.0f)) * D1;
  return (t.sigma / s0.sigma) * sample - (t.alpha * e) * D0 - 0.5f * (t.alpha * e) * D1;
}

StepResult DPMSolverMultistepScheduler::step(const torch::Tensor& model_output, double timestep,
                                             const torch::Tensor& sample, at::Generator* generator,
                                             const torch::Tensor* injected_noise) {
  (void)generator;
  (void)injected_noise;
  init_step_index(timestep, true);
  const int64_t n = num_model_calls();
  if (step_index_ >= n)
    throw Error("DPMSolverMultistepScheduler: more steps than timesteps", "call set_timesteps() for a new generation");
  // Lower-order steps at the end improve stability for few steps (and the final sigma 0 needs one).
  const bool lower_order_final =
      step_index_ == n - 1 &&
      (config_.euler_at_final || (config_.lower_order_final && n < 15) || config_.final_sigmas_type == "zero");
  const bool lower_order_second = step_index_ == n - 2 && config_.lower_order_final && n < 15;

  auto x0 = data_prediction(config_.prediction_type, model_output, sample, alpha_sigma(sigma_at(step_index_)));
  for (size_t i = 0; i + 1 < model_outputs_.size(); ++i) model_outputs_[i] = model_outputs_[i + 1];
  model_outputs_.back() = x0;

  auto x = sample.to(torch::kFloat32);
  torch::Tensor prev;
  if (config_.solver_order == 1 || lower_order_nums_ < 1 || lower_order_final)
    prev = first_order_update(x0, x);
  else
    prev = second_order_update(x);
  (void)lower_order_second;  // only selects between orders 2 and 3; Tessera runs order <= 2
  if (lower_order_nums_ < config_.solver_order) ++lower_order_nums_;
  ++step_index_;
  return {prev.to(model_output.scalar_type()), {}};
}

}  // namespace tessera::schedulers
