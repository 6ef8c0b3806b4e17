#pragma once
// Gradient checkpointing (activation recomputation), as torch.utils.checkpoint's reentrant form
// that diffusers uses for UNet blocks: a segment runs forward without recording its graph, only
// its inputs are kept, and in backward it runs again with the graph recorded and is
// differentiated there. Memory for the segment's activations is traded for a second forward.
// Parameters used inside the segment receive their gradients from that inner backward (their
// gradient hooks fire then). The recomputation runs under the autocast state (CUDA and CPU, and
// the cast cache setting) of the forward, as torch.utils.checkpoint's does. The segment must be
// deterministic: no dropout or other random draws (the recomputation would draw different
// numbers). Internal header (torch).

#include <torch/torch.h>

#include <functional>

namespace tessera::models {

using CheckpointSegment = std::function<torch::Tensor(const torch::Tensor& a, const torch::Tensor& b)>;

// fn(a, b) with its activations recomputed in backward. `b` may be undefined. When grad mode is
// off, or neither input nor any parameter would need a gradient, it is just fn(a, b).
torch::Tensor checkpointed(CheckpointSegment fn, const torch::Tensor& a, const torch::Tensor& b);

}  // namespace tessera::models
