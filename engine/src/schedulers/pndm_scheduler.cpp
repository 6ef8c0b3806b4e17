#include "schedulers/pndm_scheduler.h"

#include "tessera/error.h"

#include <algorithm>
#include <cmath>

namespace tessera::schedulers {

namespace {
constexpr int64_t kPndmOrder = 4;
}

PNDMScheduler::PNDMScheduler(SchedulerConfig config) : Scheduler(std::move(config)) {
  final_alpha_cumprod_ = config_.set_alpha_to_one ? 1.0f : static_cast<float>(schedule_.alpha_cumprod(0));
}

void PNDMScheduler::set_timesteps(int64_t n) {
  const int64_t T = config_.num_train_timesteps;
  // Ascending base timesteps (diffusers' self._timesteps).
  std::vector<int64_t> base;
  if (n < 1 || n > T)
    throw Error("num_inference_steps = " + std::to_string(n) + " must be between 1 and " + std::to_string(T),
                "choose fewer sampling steps");
  switch (config_.timestep_spacing) {
    case TimestepSpacing::Linspace:
      for (double v : np_linspace(0, static_cast<double>(T - 1), n)) base.push_back(static_cast<int64_t>(np_round(v)));
      break;
    case TimestepSpacing::Leading:
      for (int64_t i = 0; i < n; ++i) base.push_back(i * (T / n) + config_.steps_offset);
      break;
    case TimestepSpacing::Trailing: {
      for (double v : np_arange(static_cast<double>(T), 0, -static_cast<double>(T) / static_cast<double>(n)))
        base.push_back(static_cast<int64_t>(np_round(v)) - 1);
      std::reverse(base.begin(), base.end());
      break;
    }
  }

  std::vector<int64_t> plms;
  prk_timesteps_.clear();
  if (config_.skip_prk_steps) {
    // concat(ts[:-1], ts[-2:-1], ts[-1:])[::-1]
    std::vector<int64_t> v(base.begin(), base.end() - 1);
    if (base.size() >= 2) v.push_back(base[base.size() - 2]);
    v.push_back(base.back());
    plms.assign(v.rbegin(), v.rend());
  } else {
    if (n < kPndmOrder)
      throw Error("PNDMScheduler with its PRK warm-up needs at least 4 steps (got " + std::to_string(n) + ")",
                  "use more steps, or a config with \"skip_prk_steps\": true");
    // prk = ts[-4:].repeat(2) + tile([0, T // n // 2], 4); then prk[:-1].repeat(2)[1:-1][::-1]
    std::vector<int64_t> prk;
    for (size_t i = base.size() - kPndmOrder; i < base.size(); ++i) {
      prk.push_back(base[i]);
      prk.push_back(base[i] + T / n / 2);
    }
    std::vector<int64_t> rep;
    for (size_t i = 0; i + 1 < prk.size(); ++i) {
      rep.push_back(prk[i]);
      rep.push_back(prk[i]);
    }
    std::vector<int64_t> mid(rep.begin() + 1, rep.end() - 1);
    prk_timesteps_.assign(mid.rbegin(), mid.rend());
    plms.assign(base.rbegin() + 3, base.rend());  // ts[:-3][::-1]
  }
  std::vector<int64_t> all = prk_timesteps_;
  all.insert(all.end(), plms.begin(), plms.end());
  timesteps_ = int64_tensor(all);
  num_inference_steps_ = n;
  reset();
}

void PNDMScheduler::reset() {
  ets_.clear();
  counter_ = 0;
  cur_model_output_ = torch::Tensor();
  cur_sample_ = torch::Tensor();
}

StepResult PNDMScheduler::step(const torch::Tensor& model_output, double timestep_d, const torch::Tensor& sample,
                               at::Generator* generator, const torch::Tensor* injected_noise) {
  (void)generator;
  (void)injected_noise;
  if (num_inference_steps_ == 0)
    throw Error("PNDMScheduler: step() before set_timesteps()", "call set_timesteps(n) before sampling");
  const auto timestep = static_cast<int64_t>(std::llround(timestep_d));
  if (counter_ < num_prk_steps() && !config_.skip_prk_steps) return {step_prk(model_output, timestep, sample), {}};
  return {step_plms(model_output, timestep, sample), {}};
}

torch::Tensor PNDMScheduler::step_prk(const torch::Tensor& model_output, int64_t timestep, const torch::Tensor& sample) {
  const int64_t diff_to_prev = counter_ % 2 ? 0 : config_.num_train_timesteps / num_inference_steps_ / 2;
  const int64_t prev_timestep = timestep - diff_to_prev;
  timestep = prk_timesteps_[static_cast<size_t>(counter_ / 4 * 4)];

  auto accumulate = [this](const torch::Tensor& term) {
    cur_model_output_ = cur_model_output_.defined() ? cur_model_output_ + term : 0 + term;
  };
  torch::Tensor mo = model_output;
  if (counter_ % 4 == 0) {
    accumulate((1.0 / 6) * model_output);
    ets_.push_back(model_output);
    cur_sample_ = sample;
  } else if ((counter_ - 1) % 4 == 0) {
    accumulate((1.0 / 3) * model_output);
  } else if ((counter_ - 2) % 4 == 0) {
    accumulate((1.0 / 3) * model_output);
  } else {
    mo = cur_model_output_ + (1.0 / 6) * model_output;
    cur_model_output_ = torch::Tensor();
  }
  const torch::Tensor& cur = cur_sample_.defined() ? cur_sample_ : sample;
  auto out = prev_sample(cur, timestep, prev_timestep, mo);
  ++counter_;
  return out;
}

torch::Tensor PNDMScheduler::step_plms(const torch::Tensor& model_output, int64_t timestep,
                                       const torch::Tensor& sample) {
  if (!config_.skip_prk_steps && ets_.size() < 3)
    throw Error("PNDMScheduler: PLMS step before the PRK warm-up finished", "step through every timestep in order");
  int64_t prev_timestep = timestep - config_.num_train_timesteps / num_inference_steps_;
  if (counter_ != 1) {
    if (ets_.size() > 3) ets_.erase(ets_.begin(), ets_.end() - 3);
    ets_.push_back(model_output);
  } else {
    prev_timestep = timestep;
    timestep = timestep + config_.num_train_timesteps / num_inference_steps_;
  }

  torch::Tensor mo;
  torch::Tensor x = sample;
  const size_t k = ets_.size();
  if (k == 1 && counter_ == 0) {
    mo = model_output;
    cur_sample_ = sample;
  } else if (k == 1 && counter_ == 1) {
    mo = (model_output + ets_[k - 1]) / 2;
    x = cur_sample_;
    cur_sample_ = torch::Tensor();
  } else if (k == 2) {
    mo = (3 * ets_[k - 1] - ets_[k - 2]) / 2;
  } else if (k == 3) {
    mo = (23 * ets_[k - 1] - 16 * ets_[k - 2] + 5 * ets_[k - 3]) / 12;
  } else {
    mo = (1.0 / 24) * (55 * ets_[k - 1] - 59 * ets_[k - 2] + 37 * ets_[k - 3] - 9 * ets_[k - 4]);
  }
  auto out = prev_sample(x, timestep, prev_timestep, mo);
  ++counter_;
  return out;
}

torch::Tensor PNDMScheduler::prev_sample(const torch::Tensor& sample, int64_t timestep, int64_t prev_timestep,
                                         torch::Tensor model_output) const {
  // Formula (9) of the PNDM paper, in diffusers' float32 order of operations.
  const float alpha_prod_t = static_cast<float>(schedule_.alpha_cumprod(timestep));
  const float alpha_prod_t_prev =
      prev_timestep >= 0 ? static_cast<float>(schedule_.alpha_cumprod(prev_timestep)) : final_alpha_cumprod_;
  const float beta_prod_t = 1.0f - alpha_prod_t;
  const float beta_prod_t_prev = 1.0f - alpha_prod_t_prev;
  if (config_.prediction_type == PredictionType::VPrediction)
    model_output = std::sqrt(alpha_prod_t) * model_output + std::sqrt(beta_prod_t) * sample;

  const float sample_coeff = std::sqrt(alpha_prod_t_prev / alpha_prod_t);
  const float denom = alpha_prod_t * std::sqrt(beta_prod_t_prev) + std::sqrt(alpha_prod_t * beta_prod_t * alpha_prod_t_prev);
  return sample_coeff * sample - (alpha_prod_t_prev - alpha_prod_t) * model_output / denom;
}

}  // namespace tessera::schedulers
