#include "models/memory_format.h"

#include "tessera/runtime.h"

namespace tessera::models {

void set_channels_last(torch::nn::Module& module, bool channels_last) {
  torch::NoGradGuard no_grad;
  const auto format = channels_last ? torch::MemoryFormat::ChannelsLast : torch::MemoryFormat::Contiguous;
  for (auto& p : module.parameters(/*recurse=*/true)) {
    if (p.dim() == 4 && !p.is_contiguous(format)) p.set_data(p.contiguous(format));
  }
  // The old layouts are free now; where the allocator keeps freed memory (the CLI), hand them
  // back rather than carry a second copy of the convolution weights.
  (void)release_free_memory();
}

bool is_channels_last(const torch::nn::Module& module) {
  for (const auto& p : module.parameters(/*recurse=*/true)) {
    if (p.dim() == 4 && p.size(1) > 1 && (p.size(2) > 1 || p.size(3) > 1)) {
      return p.is_contiguous(torch::MemoryFormat::ChannelsLast) && !p.is_contiguous();
    }
  }
  return false;
}

}  // namespace tessera::models
