#include "pipeline/unet_graph.h"

namespace tessera::pipeline {
namespace {

bool same_layout(const torch::Tensor& buffer, const torch::Tensor& value) {
  return buffer.defined() && buffer.sizes() == value.sizes() && buffer.scalar_type() == value.scalar_type() &&
         buffer.device() == value.device();
}

}  // namespace

torch::Tensor UNetGraph::forward(models::UNet2DConditionModel& unet, const torch::Tensor& sample, double timestep,
                                 const torch::Tensor& context) {
  torch::NoGradGuard no_grad;
  if (!sample.is_cuda() || !CudaGraph::built()) return unet->forward(sample, timestep, context);
  if (!same_layout(sample_, sample) || !same_layout(context_, context)) {
    graph_.reset();
    runs_ = 0;
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
    graph_.run_on_capture_stream(sample.device(), pass);  // cuDNN and cuBLAS set up outside the capture
  } else {
    if (!graph_.captured()) graph_.capture(sample.device(), pass);
    graph_.replay();
    ++replays_;
  }
  ++runs_;
  return out_;
}

}  // namespace tessera::pipeline
