#pragma once
// Host tensors to the training device without making the host wait. Internal header (torch).
//
// LibTorch's ordinary copy from pageable host memory to a GPU waits for the device's stream to
// drain before it returns. Inside a training step that is a stall per input tensor: the device
// runs out of queued kernels while the host waits, and the next kernels are launched only after.
// Copied from pinned (page-locked) memory with non_blocking, the copy is queued on the stream like
// a kernel and the host goes on; LibTorch's pinned allocator does not reuse the host block before
// the copy has run. On the CPU both helpers are plain moves.

#include <torch/torch.h>

namespace tessera::training {

// `t` in pinned memory when `device` is a GPU and `t` is on the host (else `t` itself).
torch::Tensor pinned_for(const torch::Tensor& t, const torch::Device& device);

// `t` on `device`, in its own dtype; from the host to a GPU through pinned memory, queued without
// waiting. Convert dtypes after the upload, on the device (a converting copy from the host would
// convert on the host into pageable memory first).
torch::Tensor upload(const torch::Tensor& t, const torch::Device& device);

}  // namespace tessera::training
