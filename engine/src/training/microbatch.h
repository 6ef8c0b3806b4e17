#pragma once
// A microbatch on its way from the data source to the device: the samples of a range of stream
// positions and the objective's draws for them, read on the host into memory the device can copy
// from without making the host wait (host_to_device.h). Internal header (torch).

#include "training/data_source.h"
#include "training/diffusion_objective.h"
#include "training/host_to_device.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace tessera::training {

// The draws moved to `device`, except the caption-dropout mask, which stays on the host: the text
// is prepared from it there (Trainer::prepare_text), and the loss does not use it.
SampleDraws upload(const SampleDraws& draws, const torch::Device& device);

// The samples at stream positions [begin, begin + count) of one rank's microbatch, and the
// objective's draws for them, in host memory ready for upload().
struct HostMicrobatch {
  int64_t begin = -1;
  std::vector<int64_t> positions;
  TrainingBatch batch;
  // Drawn with the batch when its latent shape is known on the host (precomputed latents);
  // undefined for images, whose latent shape the VAE decides.
  SampleDraws draws;
};

struct MicrobatchReading {
  DataSource* data = nullptr;
  const DiffusionObjective* objective = nullptr;  // null: no draws (a VAE run)
  uint64_t seed = 0;
  double caption_drop_prob = 0;
  torch::Device device{torch::kCPU};  // where the microbatch will be uploaded
};

HostMicrobatch read_microbatch(const MicrobatchReading& r, int64_t begin, int64_t count);

}  // namespace tessera::training
