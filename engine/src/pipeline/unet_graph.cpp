#include "pipeline/unet_graph.h"

#include "tessera/error.h"

#include <cstdio>

namespace tessera::pipeline {
namespace {

bool same_layout(const torch::Tensor& buffer, const torch::Tensor& value) {
  return buffer.defined() && buffer.sizes() == value.sizes() && buffer.scalar_type() == value.scalar_type() &&
         buffer.device() == value.device();
}

// Where the UNet's weights are: a graph replays the addresses it captured.
std::vector<const void*> weight_addresses(const models::UNet2DConditionModel& unet) {
  std::vector<const void*> out;
  for (const auto& p : unet->parameters()) out.push_back(p.data_ptr());
  for (const auto& b : unet->buffers()) out.push_back(b.data_ptr());
  return out;
}

}  // namespace

void UNetGraph::reset() {
  graph_.reset();
  runs_ = 0;
  sample_ = context_ = timestep_ = out_ = torch::Tensor();
}

torch::Tensor UNetGraph::forward(models::UNet2DConditionModel& unet, const torch::Tensor& sample, double timestep,
                                 const torch::Tensor& context) {
  torch::NoGradGuard no_grad;
  if (failed_ || !sample.is_cuda() || !CudaGraph::built()) return unet->forward(sample, timestep, context);
  const std::vector<const void*> weights = graph_.captured() ? weight_addresses(unet) : std::vector<const void*>();
  if (!same_layout(sample_, sample) || !same_layout(context_, context) ||
      (graph_.captured() && (unet.ptr().get() != captured_unet_ || weights != captured_weights_))) {
    reset();
    sample_ = torch::empty_like(sample);
    context_ = torch::empty_like(context);
    // The timestep as a device tensor the graph reads (the double overload would copy a host
    // tensor to the device inside the forward pass, which a capture cannot hold).
    timestep_ = torch::zeros({1}, torch::TensorOptions().dtype(torch::kFloat64).device(sample.device()));
  }
  sample_.copy_(sample, /*non_blocking=*/true);
  context_.copy_(context, /*non_blocking=*/true);
  timestep_.fill_(timestep);
  const auto pass = [&] { out_ = unet->forward(sample_, timestep_, context_); };
  if (runs_ == 0) {
    // cuDNN and cuBLAS set up outside the capture, on its stream.
    graph_.run_on_capture_stream(sample.device(), pass);
    CudaGraph::used_on_current_stream(out_);
  } else {
    if (!graph_.captured()) {
      try {
        // Thread-local checks: other threads (a queue's, a trainer's) may use CUDA meanwhile.
        graph_.capture(sample.device(), pass, /*other_threads=*/true);
      } catch (const Error& e) {
        // The generation goes on op by op, and so does every later one of this pipeline.
        failed_ = true;
        std::fprintf(stderr, "tessera: warning: the UNet %s; generation goes on without the graph\n", e.what());
        reset();
        return unet->forward(sample, timestep, context);
      }
      captured_unet_ = unet.ptr().get();
      captured_weights_ = weight_addresses(unet);
    }
    graph_.replay();
    ++replays_;
  }
  ++runs_;
  return out_;
}

}  // namespace tessera::pipeline
