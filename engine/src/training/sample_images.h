#pragma once
// The images a run writes as it trains, under <run>/samples/<step>/: generated from the UNet's
// current weights with sampling.prompts, or for a VAE run the stream's first images over their
// reconstructions. Internal header (torch).

#include "models/autoencoder_kl.h"
#include "training/checkpoint.h"
#include "training/data_source.h"
#include "training/run_config.h"

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace tessera::training {

// Exports `unet_weights` (and `text_encoder_weights` where the run trains it) with the config's
// pretrained components to <run>/samples/.model, generates sampling.prompts from it, and returns
// the images' paths. `progress` is called after every denoising step.
std::vector<std::string> write_unet_samples(const RunConfig& config, const std::string& run_dir, int64_t step,
                                            const NamedTensors& unet_weights, const NamedTensors& text_encoder_weights,
                                            const std::function<void()>& progress);

// Up to four of the stream's first images over their reconstructions by `vae` (in eval mode, put
// back in train mode after), one PNG; returns its path.
std::string write_vae_reconstructions(models::AutoencoderKL& vae, DataSource& data, const torch::Device& device,
                                      const std::string& run_dir, int64_t step);

}  // namespace tessera::training
