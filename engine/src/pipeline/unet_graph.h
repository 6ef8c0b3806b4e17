#pragma once
// The UNet's forward pass during generation, replayed from a CUDA graph (core/cuda_graph.h): a
// sampler calls the UNet with inputs of one shape at every step, and at the small batches of
// generation the host's launching of its ~1000 kernels takes longer than the GPU needs to run
// them. The inputs are copied into buffers the graph reads; the first call runs op by op (on the
// capture's stream), the second captures and every later one replays. Inputs of another shape,
// another UNet, or weights that moved (a new device or dtype) make a new capture; a capture that
// fails is reported on stderr once, and the calls go on op by op. Internal header (torch).

#include "core/cuda_graph.h"
#include "models/unet_2d_condition.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace tessera::pipeline {

class UNetGraph {
 public:
  // unet(sample, timestep, context) without gradients, on sample's device (CUDA; elsewhere, or
  // without CUDA graphs in this build, op by op). The result is the graph's output buffer: read
  // or copy it before the next call.
  torch::Tensor forward(models::UNet2DConditionModel& unet, const torch::Tensor& sample, double timestep,
                        const torch::Tensor& context);

  int64_t replays() const { return replays_; }
  bool captured() const { return graph_.captured(); }
  bool failed() const { return failed_; }
  // Drops the graph (what the UNet computes changed, e.g. attention slicing): captured anew.
  void reset();

 private:
  torch::Tensor sample_, timestep_, context_, out_;
  CudaGraph graph_;
  int runs_ = 0;  // calls with the buffers' shapes
  int64_t replays_ = 0;
  bool failed_ = false;
  const void* captured_unet_ = nullptr;
  std::vector<const void*> captured_weights_;
};

}  // namespace tessera::pipeline
