#include "schedulers/unipc_scheduler.h"

#include "schedulers/dpmpp_2m_scheduler.h"
#include "tessera/error.h"

#include <algorithm>
#include <cmath>

namespace tessera::schedulers {

namespace {

// Solves the small dense system A x = b (Gaussian elimination with partial pivoting, float64).
std::vector<double> solve(std::vector<std::vector<double>> a, std::vector<double> b) {
  const size_t n = b.size();
  for (size_t c = 0; c < n; ++c) {
    size_t p = c;
    for (size_t r = c + 1; r < n; ++r)
      if (std::abs(a[r][c]) > std::abs(a[p][c])) p = r;
    std::swap(a[c], a[p]);
    std::swap(b[c], b[p]);
    if (a[c][c] == 0.0) throw Error("UniPC: singular coefficient system", "use fewer sampling steps or solver_order 2");
    for (size_t r = c + 1; r < n; ++r) {
      const double f = a[r][c] / a[c][c];
      for (size_t k = c; k < n; ++k) a[r][k] -= f * a[c][k];
      b[r] -= f * b[c];
    }
  }
  std::vector<double> x(n);
  for (size_t i = n; i-- > 0;) {
    double s = b[i];
    for (size_t k = i + 1; k < n; ++k) s -= a[i][k] * x[k];
    x[i] = s / a[i][i];
  }
  return x;
}

// The B(h)-weighted coefficients shared by predictor and corrector: R (order x order, rows
// rks^(i-1)) and b_i = h_phi_k * i! / B(h), all in float32 as diffusers computes them.
struct Coefficients {
  float h_phi_1 = 0;
  float B_h = 0;
  std::vector<std::vector<double>> R;
  std::vector<double> b;
};

Coefficients coefficients(float h, const std::vector<float>& rks_in, int64_t order, bool bh1) {
  std::vector<float> rks = rks_in;
  rks.push_back(1.0f);
  Coefficients c;
  const float hh = -h;  // predict_x0
  c.h_phi_1 = std::expm1(hh);
  float h_phi_k = c.h_phi_1 / hh - 1.0f;
  float factorial_i = 1.0f;
  c.B_h = bh1 ? hh : std::expm1(hh);
  for (int64_t i = 1; i <= order; ++i) {
    std::vector<double> row;
    for (float r : rks) row.push_back(static_cast<double>(std::pow(r, static_cast<float>(i - 1))));
    c.R.push_back(row);
    c.b.push_back(static_cast<double>(h_phi_k * factorial_i / c.B_h));
    factorial_i *= static_cast<float>(i + 1);
    h_phi_k = h_phi_k / hh - 1.0f / factorial_i;
  }
  return c;
}

}  // namespace

UniPCMultistepScheduler::UniPCMultistepScheduler(SchedulerConfig config) : SigmaScheduler(std::move(config)) {
  model_outputs_.resize(static_cast<size_t>(config_.solver_order));
}

void UniPCMultistepScheduler::set_timesteps(int64_t n) {
  const int64_t T = config_.num_train_timesteps;
  auto ts = multistep_timesteps(config_.timestep_spacing, T, T, n, config_.steps_offset);
  const auto base = to_double_vector(schedule_.sigma_table());
  std::vector<double> sig;
  if (config_.use_karras_sigmas) {
    std::vector<float> log_sigmas;
    for (double s : base) log_sigmas.push_back(static_cast<float>(std::log(s)));
    sig = karras_sigmas(base.front(), base.back(), n);
    ts.clear();
    for (double s : sig) ts.push_back(static_cast<int64_t>(np_round(sigma_to_t(s, log_sigmas))));
    sig.push_back(sig.back());
  } else {
    for (int64_t t : ts) sig.push_back(interp_table(static_cast<double>(t), base));
    const float a0 = static_cast<float>(schedule_.alpha_cumprod(0));
    sig.push_back(std::sqrt((1.0f - a0) / a0));
  }
  sigmas_ = float_tensor(sig);
  timesteps_ = int64_tensor(ts);
  num_inference_steps_ = static_cast<int64_t>(ts.size());
  begin_index_ = -1;
  reset();
}

void UniPCMultistepScheduler::reset() {
  SigmaScheduler::reset();
  model_outputs_.assign(static_cast<size_t>(config_.solver_order), torch::Tensor());
  last_sample_ = torch::Tensor();
  lower_order_nums_ = 0;
  this_order_ = 0;
}


torch::Tensor UniPCMultistepScheduler::predictor_update(const torch::Tensor& x, int64_t order) const {
  const auto& m0 = model_outputs_.back();
  const auto t = alpha_sigma(sigma_at(step_index_ + 1));
  const auto s0 = alpha_sigma(sigma_at(step_index_));
  const float h = t.lambda - s0.lambda;

  std::vector<float> rks;
  std::vector<torch::Tensor> D1s;
  for (int64_t i = 1; i < order; ++i) {
    const auto si = alpha_sigma(sigma_at(step_index_ - i));
    const float rk = (si.lambda - s0.lambda) / h;
    rks.push_back(rk);
    D1s.push_back((model_outputs_[model_outputs_.size() - 1 - static_cast<size_t>(i)] - m0) / rk);
  }
  const auto c = coefficients(h, rks, order, config_.solver_type == "bh1");
  auto x_t_ = t.sigma / s0.sigma * x - t.alpha * c.h_phi_1 * m0;
  if (D1s.empty()) return x_t_.to(x.scalar_type());

  std::vector<double> rhos_p;
  if (order == 2) {
    rhos_p = {0.5};
  } else {
    std::vector<std::vector<double>> R;
    for (int64_t i = 0; i + 1 < order; ++i)
      R.emplace_back(c.R[static_cast<size_t>(i)].begin(), c.R[static_cast<size_t>(i)].end() - 1);
    rhos_p = solve(R, std::vector<double>(c.b.begin(), c.b.end() - 1));
  }
  torch::Tensor pred_res;
  for (size_t k = 0; k < D1s.size(); ++k) {
    auto term = static_cast<float>(rhos_p[k]) * D1s[k];
    pred_res = pred_res.defined() ? pred_res + term : term;
  }
  return (x_t_ - t.alpha * c.B_h * pred_res).to(x.scalar_type());
}

torch::Tensor UniPCMultistepScheduler::corrector_update(const torch::Tensor& model_t, const torch::Tensor& x,
                                                        const torch::Tensor& x_t, int64_t order) const {
  (void)x_t;
  const auto& m0 = model_outputs_.back();
  const auto t = alpha_sigma(sigma_at(step_index_));
  const auto s0 = alpha_sigma(sigma_at(step_index_ - 1));
  const float h = t.lambda - s0.lambda;

  std::vector<float> rks;
  std::vector<torch::Tensor> D1s;
  for (int64_t i = 1; i < order; ++i) {
    const auto si = alpha_sigma(sigma_at(step_index_ - (i + 1)));
    const float rk = (si.lambda - s0.lambda) / h;
    rks.push_back(rk);
    D1s.push_back((model_outputs_[model_outputs_.size() - 1 - static_cast<size_t>(i)] - m0) / rk);
  }
  const auto c = coefficients(h, rks, order, config_.solver_type == "bh1");
  std::vector<double> rhos_c = order == 1 ? std::vector<double>{0.5} : solve(c.R, c.b);

  auto x_t_ = t.sigma / s0.sigma * x - t.alpha * c.h_phi_1 * m0;
  torch::Tensor corr_res;
  for (size_t k = 0; k < D1s.size(); ++k) {
    auto term = static_cast<float>(rhos_c[k]) * D1s[k];
    corr_res = corr_res.defined() ? corr_res + term : term;
  }
  auto D1_t = model_t - m0;
  auto correction = static_cast<float>(rhos_c.back()) * D1_t;
  if (corr_res.defined()) correction = corr_res + correction;
  return (x_t_ - t.alpha * c.B_h * correction).to(x.scalar_type());
}

StepResult UniPCMultistepScheduler::step(const torch::Tensor& model_output, double timestep,
                                         const torch::Tensor& sample_in, at::Generator* generator,
                                         const torch::Tensor* injected_noise) {
  (void)generator;
  (void)injected_noise;
  init_step_index(timestep, true);
  const int64_t n = num_model_calls();
  if (step_index_ >= n)
    throw Error("UniPCMultistepScheduler: more steps than timesteps", "call set_timesteps() for a new generation");

  const auto& disabled = config_.disable_corrector;
  const bool use_corrector = step_index_ > 0 &&
                             std::find(disabled.begin(), disabled.end(), step_index_ - 1) == disabled.end() &&
                             last_sample_.defined();
  auto converted = data_prediction(config_.prediction_type, model_output, sample_in, alpha_sigma(sigma_at(step_index_)));
  torch::Tensor sample = sample_in;
  if (use_corrector) sample = corrector_update(converted, last_sample_, sample_in, this_order_);

  for (size_t i = 0; i + 1 < model_outputs_.size(); ++i) model_outputs_[i] = model_outputs_[i + 1];
  model_outputs_.back() = converted;

  int64_t order = config_.lower_order_final ? std::min(config_.solver_order, n - step_index_) : config_.solver_order;
  this_order_ = std::min(order, lower_order_nums_ + 1);  // warm-up for multistep
  last_sample_ = sample;
  auto prev = predictor_update(sample, this_order_);
  if (lower_order_nums_ < config_.solver_order) ++lower_order_nums_;
  ++step_index_;
  return {prev, {}};
}

}  // namespace tessera::schedulers
