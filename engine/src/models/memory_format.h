#pragma once
// Channels-last (NHWC) weights for the convolutions of a model (UNet, VAE): on the CPU, oneDNN
// then runs every 3x3 convolution without reordering activations in and out of its blocked
// layout, which is markedly faster at the large feature maps of a 512 px UNet or VAE, and the
// transformer blocks' NCHW <-> tokens permutes become views. The numbers change only by float
// rounding (a different summation order inside the convolutions). Every layer of the models
// keeps whatever memory format its input has, so outputs come back in the weights' format.

#include <torch/torch.h>

namespace tessera::models {

// Stores every 4-D parameter of `module` channels-last (true) or contiguous NCHW (false).
void set_channels_last(torch::nn::Module& module, bool channels_last);

// Whether the 4-D parameters of `module` are stored channels-last.
bool is_channels_last(const torch::nn::Module& module);

}  // namespace tessera::models
