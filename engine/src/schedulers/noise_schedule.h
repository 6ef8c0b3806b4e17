#pragma once
// The discrete noise schedule shared by every sampler and by training: betas, alphas_cumprod,
// the Karras/k-diffusion sigma tables, and the diffusers timestep-spacing rules. Numerics follow
// diffusers v0.26 exactly: betas and alphas_cumprod in float32 (torch.linspace / torch.cumprod),
// sigma tables computed in float64 (numpy) from the float32 base table, then cast to float32.
// Internal header (torch).

#include "schedulers/scheduler_config.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace tessera::schedulers {

// float32 betas for `config` (trained_betas, linear, scaled_linear or squaredcos_cap_v2; then
// rescaled to zero terminal SNR when rescale_betas_zero_snr).
torch::Tensor make_betas(const SchedulerConfig& config);

// diffusers' rescale_zero_terminal_snr (https://arxiv.org/abs/2305.08891, Algorithm 1).
torch::Tensor rescale_zero_terminal_snr(const torch::Tensor& betas);

// The training-side view of the schedule (DDPM forward process). Usable without any sampler.
class NoiseSchedule {
 public:
  explicit NoiseSchedule(const SchedulerConfig& config);
  // The same schedule with its tables on `device`, so that add_noise and get_velocity on that
  // device copy nothing from the host (training calls them every step).
  NoiseSchedule to(const torch::Device& device) const;

  int64_t num_train_timesteps() const { return betas_.size(0); }
  const torch::Tensor& betas() const { return betas_; }                    // float32 [T]
  const torch::Tensor& alphas() const { return alphas_; }                  // 1 - betas
  const torch::Tensor& alphas_cumprod() const { return alphas_cumprod_; }  // float32 [T]
  // Signal-to-noise ratio acp / (1 - acp), float32 [T].
  torch::Tensor snr() const;
  // alphas_cumprod[t] as a double (t must be in [0, T)).
  double alpha_cumprod(int64_t t) const;

  // sqrt(acp[t]) * x0 + sqrt(1 - acp[t]) * noise, with t an int64 tensor of one timestep per batch
  // element (or a single one); computed in x0's dtype on x0's device (diffusers' add_noise).
  torch::Tensor add_noise(const torch::Tensor& x0, const torch::Tensor& noise, const torch::Tensor& timesteps) const;
  // v-prediction target: sqrt(acp[t]) * noise - sqrt(1 - acp[t]) * x0 (diffusers' get_velocity).
  torch::Tensor get_velocity(const torch::Tensor& x0, const torch::Tensor& noise, const torch::Tensor& timesteps) const;

  // The k-diffusion sigma table sqrt((1 - acp) / acp), float32 [T], indexed by timestep.
  torch::Tensor sigma_table() const;

 private:
  torch::Tensor betas_;
  torch::Tensor alphas_;
  torch::Tensor alphas_cumprod_;
};

// ---- numpy-compatible helpers for building timestep and sigma tables (all in float64) ----

// np.linspace(start, stop, num) (endpoint included).
std::vector<double> np_linspace(double start, double stop, int64_t num);
// np.arange(start, stop, step) for a float step (numpy's length rule: ceil((stop - start) / step)).
std::vector<double> np_arange(double start, double stop, double step);
// np.round (half to even).
double np_round(double v);
// np.interp(x, arange(len(table)), table) for a table indexed by integer position.
double interp_table(double x, const std::vector<double>& table);
// Karras et al. (2022) sigmas between sigma_min and sigma_max, rho = 7 (diffusers' _convert_to_karras).
std::vector<double> karras_sigmas(double sigma_min, double sigma_max, int64_t num_inference_steps);
// Fractional timestep of `sigma` by interpolating log-sigmas (diffusers' _sigma_to_t). `log_sigmas`
// is ascending in timestep (log of the float32 sigma table).
double sigma_to_t(double sigma, const std::vector<float>& log_sigmas);

// Timesteps (descending, unrounded float64) for DDIM/DDPM/Euler-style set_timesteps:
//   linspace: linspace(0, T-1, n); leading: arange(n) * (T // n) + steps_offset;
//   trailing: round(arange(T, 0, -T/n)) - 1.
// "leading"/"trailing" values are integral; "linspace" values are not rounded here.
std::vector<double> spaced_timesteps(TimestepSpacing spacing, int64_t num_train_timesteps, int64_t n,
                                     int64_t steps_offset);
// The same for DPM-Solver++ / UniPC, which space n+1 points and drop the last (always integral):
//   linspace: round(linspace(0, last-1, n+1))[::-1][:-1]; leading: arange(n+1) * (last // (n+1)),
//   reversed, last dropped, + steps_offset; trailing: round(arange(last, 0, -T/n)) - 1.
std::vector<int64_t> multistep_timesteps(TimestepSpacing spacing, int64_t num_train_timesteps, int64_t last_timestep,
                                         int64_t n, int64_t steps_offset);

std::vector<double> to_double_vector(const torch::Tensor& t);
torch::Tensor float_tensor(const std::vector<double>& v);  // cast to float32
torch::Tensor int64_tensor(const std::vector<int64_t>& v);

}  // namespace tessera::schedulers
