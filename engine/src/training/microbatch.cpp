#include "training/microbatch.h"

namespace tessera::training {

torch::Tensor pinned_for(const torch::Tensor& t, const torch::Device& device) {
  if (!t.defined() || !device.is_cuda() || !t.device().is_cpu() || t.is_pinned()) return t;
  return t.pin_memory();
}

torch::Tensor upload(const torch::Tensor& t, const torch::Device& device) {
  if (!t.defined() || t.device() == device) return t;
  if (!device.is_cuda() || !t.device().is_cpu()) return t.to(device);
  return pinned_for(t, device).to(device, /*non_blocking=*/true);
}

SampleDraws upload(const SampleDraws& draws, const torch::Device& device) {
  SampleDraws d;
  d.timesteps = upload(draws.timesteps, device);
  d.noise = upload(draws.noise, device);
  d.drop = upload(draws.drop, device);
  d.weights = upload(draws.weights, device);
  return d;
}

HostMicrobatch read_microbatch(const MicrobatchReading& r, int64_t begin, int64_t count) {
  HostMicrobatch m;
  m.begin = begin;
  m.positions.resize(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) m.positions[static_cast<size_t>(i)] = begin + i;
  m.batch = r.data->read(begin, count);
  if (r.objective != nullptr && m.batch.precomputed()) {
    m.draws = r.objective->draw(r.seed, m.positions, m.batch.latents.sizes().slice(1), r.caption_drop_prob);
  }
  const auto pin = [&](torch::Tensor& t) { t = pinned_for(t, r.device); };
  pin(m.batch.latents);
  pin(m.batch.encoder_hidden_states);
  pin(m.batch.pixels);
  pin(m.batch.input_ids);
  pin(m.draws.timesteps);
  pin(m.draws.noise);
  pin(m.draws.drop);
  pin(m.draws.weights);
  return m;
}

}  // namespace tessera::training
