#include "training/diffusion_objective.h"

#include "tessera/error.h"
#include "training/data_source.h"
#include "training/host_to_device.h"

#include <ATen/CPUGeneratorImpl.h>

namespace tessera::training {

schedulers::SchedulerConfig scheduler_config_for(const ModelSection& m) {
  schedulers::SchedulerConfig c = schedulers::default_config(schedulers::SchedulerClass::DDPM);
  c.num_train_timesteps = m.num_train_timesteps;
  c.beta_start = m.beta_start;
  c.beta_end = m.beta_end;
  c.beta_schedule = m.beta_schedule == "linear"          ? schedulers::BetaSchedule::Linear
                    : m.beta_schedule == "scaled_linear" ? schedulers::BetaSchedule::ScaledLinear
                                                         : schedulers::BetaSchedule::SquaredCosCapV2;
  c.rescale_betas_zero_snr = m.zero_terminal_snr;
  c.prediction_type = m.prediction_type == "epsilon"        ? schedulers::PredictionType::Epsilon
                      : m.prediction_type == "v_prediction" ? schedulers::PredictionType::VPrediction
                                                            : schedulers::PredictionType::Sample;
  return c;
}

DiffusionObjective::DiffusionObjective(const ModelSection& model)
    : model_(model), schedule_(scheduler_config_for(model)), device_schedule_(schedule_), snr_(schedule_.snr()) {}

SampleDraws DiffusionObjective::draw(uint64_t seed, const std::vector<int64_t>& positions,
                                     torch::IntArrayRef latent_shape, double caption_drop_prob) const {
  const int64_t T = schedule_.num_train_timesteps();
  const int64_t C = latent_shape[0];
  std::vector<torch::Tensor> t, noise;
  std::vector<uint8_t> drop;
  for (int64_t p : positions) {
    auto gen = at::make_generator<at::CPUGeneratorImpl>(mix_seed(seed, static_cast<uint64_t>(p)));
    t.push_back(torch::randint(0, T, {1}, gen, torch::TensorOptions().dtype(torch::kInt64)));
    torch::Tensor n = torch::randn(latent_shape, gen);
    const torch::Tensor offset = torch::randn({C, 1, 1}, gen);
    if (model_.offset_noise > 0) n.add_(offset, model_.offset_noise);
    noise.push_back(n);
    drop.push_back(torch::rand({1}, gen).item<double>() < caption_drop_prob ? 1 : 0);
  }
  SampleDraws d;
  d.timesteps = torch::cat(t);
  d.noise = torch::stack(noise);
  d.drop = torch::tensor(std::vector<int64_t>(drop.begin(), drop.end())).to(torch::kBool);
  d.weights = loss_weights(d.timesteps);
  return d;
}

torch::Tensor DiffusionObjective::loss_weights(const torch::Tensor& timesteps) const {
  const auto t = timesteps.to(torch::kCPU);
  if (model_.min_snr_gamma <= 0) return torch::ones({t.size(0)}, torch::kFloat32);
  const double gamma = model_.min_snr_gamma;
  const torch::Tensor snr = snr_.index_select(0, t);
  const torch::Tensor clipped = torch::clamp_max(snr, gamma);
  if (model_.prediction_type == "epsilon") {
    // min(snr, gamma) / snr, written so that snr = 0 (zero terminal SNR) gives 1, its limit.
    return torch::where(snr < gamma, torch::ones_like(snr), gamma / snr);
  }
  if (model_.prediction_type == "v_prediction") return clipped / (snr + 1);
  return clipped;
}

torch::Tensor DiffusionObjective::per_sample_loss(models::UNet2DConditionModel& unet, const torch::Tensor& x0,
                                                  const torch::Tensor& text, const SampleDraws& draws) const {
  TORCH_CHECK(draws.weights.defined(), "per_sample_loss: draws without loss weights (use DiffusionObjective::draw)");
  const auto device = x0.device();
  const torch::Tensor t = upload(draws.timesteps, device);
  const torch::Tensor noise = upload(draws.noise, device).to(x0.scalar_type());
  const schedulers::NoiseSchedule& schedule = device_schedule_;
  const torch::Tensor noisy = schedule.add_noise(x0, noise, t);
  torch::Tensor target;
  if (model_.prediction_type == "epsilon") {
    target = noise;
  } else if (model_.prediction_type == "v_prediction") {
    target = schedule.get_velocity(x0, noise, t);
  } else {
    target = x0;
  }
  const torch::Tensor pred = unet->forward(noisy, t, text);
  const torch::Tensor mse = (pred.to(torch::kFloat32) - target.to(torch::kFloat32)).pow(2).mean({1, 2, 3});
  return mse * upload(draws.weights, device);
}

}  // namespace tessera::training
