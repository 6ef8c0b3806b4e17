#include "training/host_to_device.h"

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

}  // namespace tessera::training
