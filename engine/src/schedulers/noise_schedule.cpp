#include "schedulers/noise_schedule.h"

#include "tessera/error.h"

#include <algorithm>
#include <cmath>

namespace tessera::schedulers {

namespace {

// diffusers' betas_for_alpha_bar with the cosine transform (max_beta 0.999), float32 result.
torch::Tensor cosine_betas(int64_t n) {
  constexpr double pi = 3.141592653589793;  // Python's math.pi
  auto alpha_bar = [](double t) {
    const double c = std::cos((t + 0.008) / 1.008 * pi / 2);
    return c * c;
  };
  std::vector<double> betas(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    const double t1 = static_cast<double>(i) / static_cast<double>(n);
    const double t2 = static_cast<double>(i + 1) / static_cast<double>(n);
    betas[static_cast<size_t>(i)] = std::min(1 - alpha_bar(t2) / alpha_bar(t1), 0.999);
  }
  return float_tensor(betas);
}

// Broadcasts a per-batch [B] coefficient over the trailing dims of `like`.
torch::Tensor per_sample(torch::Tensor coeff, const torch::Tensor& like) {
  coeff = coeff.flatten();
  while (coeff.dim() < like.dim()) coeff = coeff.unsqueeze(-1);
  return coeff;
}

}  // namespace

torch::Tensor rescale_zero_terminal_snr(const torch::Tensor& betas) {
  auto alphas = 1.0 - betas;
  auto alphas_cumprod = torch::cumprod(alphas, 0);
  auto alphas_bar_sqrt = alphas_cumprod.sqrt();
  auto sqrt_0 = alphas_bar_sqrt[0].clone();
  auto sqrt_T = alphas_bar_sqrt[-1].clone();
  alphas_bar_sqrt -= sqrt_T;
  alphas_bar_sqrt *= sqrt_0 / (sqrt_0 - sqrt_T);
  auto alphas_bar = alphas_bar_sqrt.pow(2);
  auto rescaled = alphas_bar.slice(0, 1) / alphas_bar.slice(0, 0, -1);
  rescaled = torch::cat({alphas_bar.slice(0, 0, 1), rescaled});
  return 1 - rescaled;
}

torch::Tensor make_betas(const SchedulerConfig& c) {
  torch::Tensor betas;
  const auto opts = torch::TensorOptions().dtype(torch::kFloat32);
  if (!c.trained_betas.empty()) {
    betas = float_tensor(c.trained_betas);
  } else {
    switch (c.beta_schedule) {
      case BetaSchedule::Linear:
        betas = torch::linspace(c.beta_start, c.beta_end, c.num_train_timesteps, opts);
        break;
      case BetaSchedule::ScaledLinear:
        // Python: torch.linspace(beta_start**0.5, beta_end**0.5, N, dtype=float32) ** 2
        betas = torch::linspace(std::pow(c.beta_start, 0.5), std::pow(c.beta_end, 0.5), c.num_train_timesteps, opts)
                    .pow(2);
        break;
      case BetaSchedule::SquaredCosCapV2:
        betas = cosine_betas(c.num_train_timesteps);
        break;
    }
  }
  if (c.rescale_betas_zero_snr) betas = rescale_zero_terminal_snr(betas);
  return betas;
}

NoiseSchedule::NoiseSchedule(const SchedulerConfig& config) {
  betas_ = make_betas(config);
  alphas_ = 1.0 - betas_;
  alphas_cumprod_ = torch::cumprod(alphas_, 0);
}

NoiseSchedule NoiseSchedule::to(const torch::Device& device) const {
  NoiseSchedule s = *this;
  s.betas_ = betas_.to(device);
  s.alphas_ = alphas_.to(device);
  s.alphas_cumprod_ = alphas_cumprod_.to(device);
  return s;
}

torch::Tensor NoiseSchedule::snr() const { return alphas_cumprod_ / (1 - alphas_cumprod_); }

double NoiseSchedule::alpha_cumprod(int64_t t) const {
  if (t < 0 || t >= num_train_timesteps())
    throw Error("timestep " + std::to_string(t) + " is outside the schedule [0, " +
                    std::to_string(num_train_timesteps()) + ")",
                "pass a timestep from the scheduler's own timesteps()");
  if (!alphas_cumprod_.device().is_cpu()) {
    // A read per timestep would make the host wait for the device each time.
    throw Error("alpha_cumprod() reads the schedule's table on the host", "use the CPU schedule, not NoiseSchedule::to()");
  }
  return static_cast<double>(alphas_cumprod_.data_ptr<float>()[t]);
}

torch::Tensor NoiseSchedule::add_noise(const torch::Tensor& x0, const torch::Tensor& noise,
                                       const torch::Tensor& timesteps) const {
  auto acp = alphas_cumprod_.to(x0.device(), x0.scalar_type());
  auto at = acp.index({timesteps.to(x0.device(), torch::kLong)});
  auto sqrt_alpha = per_sample(at.pow(0.5), x0);
  auto sqrt_one_minus = per_sample((1 - at).pow(0.5), x0);
  return sqrt_alpha * x0 + sqrt_one_minus * noise;
}

torch::Tensor NoiseSchedule::get_velocity(const torch::Tensor& x0, const torch::Tensor& noise,
                                          const torch::Tensor& timesteps) const {
  auto acp = alphas_cumprod_.to(x0.device(), x0.scalar_type());
  auto at = acp.index({timesteps.to(x0.device(), torch::kLong)});
  auto sqrt_alpha = per_sample(at.pow(0.5), x0);
  auto sqrt_one_minus = per_sample((1 - at).pow(0.5), x0);
  return sqrt_alpha * noise - sqrt_one_minus * x0;
}

torch::Tensor NoiseSchedule::sigma_table() const { return ((1 - alphas_cumprod_) / alphas_cumprod_).pow(0.5); }

// ---- numpy helpers ----

std::vector<double> np_linspace(double start, double stop, int64_t num) {
  std::vector<double> y;
  if (num <= 0) return y;
  if (num == 1) return {start};
  const double step = (stop - start) / static_cast<double>(num - 1);
  for (int64_t i = 0; i < num; ++i) y.push_back(static_cast<double>(i) * step + start);
  y.back() = stop;
  return y;
}

std::vector<double> np_arange(double start, double stop, double step) {
  std::vector<double> y;
  const double len = std::ceil((stop - start) / step);
  if (!(len > 0)) return y;
  const double delta = (start + step) - start;  // numpy fills with a[1] - a[0]
  for (int64_t i = 0; i < static_cast<int64_t>(len); ++i) y.push_back(start + static_cast<double>(i) * delta);
  return y;
}

double np_round(double v) { return std::nearbyint(v); }

double interp_table(double x, const std::vector<double>& table) {
  const auto n = static_cast<int64_t>(table.size());
  if (x <= 0) return table.front();
  if (x >= static_cast<double>(n - 1)) return table.back();
  const auto j = static_cast<int64_t>(std::floor(x));
  const double slope = table[static_cast<size_t>(j + 1)] - table[static_cast<size_t>(j)];
  return slope * (x - static_cast<double>(j)) + table[static_cast<size_t>(j)];
}

std::vector<double> karras_sigmas(double sigma_min, double sigma_max, int64_t n) {
  const double rho = 7.0;
  const auto ramp = np_linspace(0, 1, n);
  const double min_inv_rho = std::pow(sigma_min, 1 / rho);
  const double max_inv_rho = std::pow(sigma_max, 1 / rho);
  std::vector<double> sigmas;
  for (double r : ramp) sigmas.push_back(std::pow(max_inv_rho + r * (min_inv_rho - max_inv_rho), rho));
  return sigmas;
}

double sigma_to_t(double sigma, const std::vector<float>& log_sigmas) {
  const double log_sigma = std::log(std::max(sigma, 1e-10));
  const auto n = static_cast<int64_t>(log_sigmas.size());
  // Last index whose log-sigma is <= log_sigma (0 when none), clipped to n - 2.
  int64_t low_idx = 0;
  for (int64_t i = 0; i < n; ++i)
    if (log_sigma - static_cast<double>(log_sigmas[static_cast<size_t>(i)]) >= 0) low_idx = i;
  low_idx = std::min(low_idx, n - 2);
  const int64_t high_idx = low_idx + 1;
  const float low = log_sigmas[static_cast<size_t>(low_idx)];
  const float high = log_sigmas[static_cast<size_t>(high_idx)];
  double w = (static_cast<double>(low) - log_sigma) / static_cast<double>(low - high);  // low - high in float32
  w = std::clamp(w, 0.0, 1.0);
  return (1 - w) * static_cast<double>(low_idx) + w * static_cast<double>(high_idx);
}

std::vector<double> spaced_timesteps(TimestepSpacing spacing, int64_t T, int64_t n, int64_t steps_offset) {
  if (n < 1 || n > T)
    throw Error("num_inference_steps = " + std::to_string(n) + " must be between 1 and num_train_timesteps (" +
                    std::to_string(T) + ")",
                "choose fewer sampling steps");
  std::vector<double> ts;
  switch (spacing) {
    case TimestepSpacing::Linspace:
      ts = np_linspace(0, static_cast<double>(T - 1), n);
      std::reverse(ts.begin(), ts.end());
      break;
    case TimestepSpacing::Leading: {
      const int64_t ratio = T / n;
      for (int64_t i = n - 1; i >= 0; --i) ts.push_back(static_cast<double>(i * ratio + steps_offset));
      break;
    }
    case TimestepSpacing::Trailing:
      for (double v : np_arange(static_cast<double>(T), 0, -static_cast<double>(T) / static_cast<double>(n)))
        ts.push_back(np_round(v) - 1);
      break;
  }
  return ts;
}

std::vector<int64_t> multistep_timesteps(TimestepSpacing spacing, int64_t T, int64_t last_timestep, int64_t n,
                                         int64_t steps_offset) {
  if (n < 1 || n > T)
    throw Error("num_inference_steps = " + std::to_string(n) + " must be between 1 and num_train_timesteps (" +
                    std::to_string(T) + ")",
                "choose fewer sampling steps");
  std::vector<int64_t> ts;
  switch (spacing) {
    case TimestepSpacing::Linspace: {
      auto v = np_linspace(0, static_cast<double>(last_timestep - 1), n + 1);
      for (int64_t i = n; i >= 1; --i) ts.push_back(static_cast<int64_t>(np_round(v[static_cast<size_t>(i)])));
      break;
    }
    case TimestepSpacing::Leading: {
      const int64_t ratio = last_timestep / (n + 1);
      for (int64_t i = n; i >= 1; --i) ts.push_back(i * ratio + steps_offset);
      break;
    }
    case TimestepSpacing::Trailing:
      for (double v : np_arange(static_cast<double>(last_timestep), 0,
                                -static_cast<double>(T) / static_cast<double>(n)))
        ts.push_back(static_cast<int64_t>(np_round(v)) - 1);
      break;
  }
  return ts;
}

std::vector<double> to_double_vector(const torch::Tensor& t) {
  auto c = t.detach().to(torch::kCPU, torch::kFloat64).contiguous();
  const double* p = c.data_ptr<double>();
  return std::vector<double>(p, p + c.numel());
}

torch::Tensor float_tensor(const std::vector<double>& v) {
  return torch::tensor(v, torch::TensorOptions().dtype(torch::kFloat64)).to(torch::kFloat32);
}

torch::Tensor int64_tensor(const std::vector<int64_t>& v) {
  return torch::tensor(v, torch::TensorOptions().dtype(torch::kLong));
}

}  // namespace tessera::schedulers
