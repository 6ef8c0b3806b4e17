#pragma once
// A microbatch on its way from the data source to the device, and the host-to-device copies that
// keep a training step free of host synchronisation. Internal header (torch).
//
// LibTorch's ordinary copy from pageable host memory to a GPU waits for the device's stream to
// drain before it returns. Inside a training step that is a stall per input tensor: the device
// runs out of queued kernels while the host waits, and the next kernels are launched only after.
// Copied from pinned (page-locked) memory with non_blocking, the copy is queued on the stream like
// a kernel and the host goes on; LibTorch's pinned allocator keeps the host buffer alive until the
// copy has run. On the CPU both helpers are plain moves.

#include "training/data_source.h"
#include "training/diffusion_objective.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace tessera::training {

// `t` in pinned memory when `device` is a GPU and `t` is on the host (else `t` itself).
torch::Tensor pinned_for(const torch::Tensor& t, const torch::Device& device);

// `t` on `device`, in its own dtype; from the host to a GPU through pinned memory, queued without
// waiting. Convert dtypes after the upload, on the device (a converting copy from the host would
// convert on the host into pageable memory first).
torch::Tensor upload(const torch::Tensor& t, const torch::Device& device);

// The draws moved to `device` (the caption-dropout mask included).
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
