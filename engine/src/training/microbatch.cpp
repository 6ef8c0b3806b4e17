#include "training/microbatch.h"

namespace tessera::training {

SampleDraws upload(const SampleDraws& draws, const torch::Device& device) {
  SampleDraws d;
  d.timesteps = upload(draws.timesteps, device);
  d.noise = upload(draws.noise, device);
  d.drop = draws.drop;
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
