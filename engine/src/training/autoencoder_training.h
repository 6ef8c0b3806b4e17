#pragma once
// Trains an AutoencoderKL from scratch on images held in memory (the demo), so that a studio can
// own its VAE as well as its UNet; the run trainer (model.trains: vae) shares its loss terms. Loss per image: L1 + MSE between the image and decode(posterior mean),
// plus kl_weight x the KL divergence of the posterior from N(0, I) (summed over latent elements,
// averaged over the batch, as in the LDM autoencoder). Decoding the mean rather than a sample
// keeps the latents deterministic, which is what latent precomputation stores. AdamW with a linear
// warm-up and a cosine decay. Internal header (torch).

#include "image/png_io.h"
#include "models/autoencoder_kl.h"

#include <torch/torch.h>

#include <cstdint>
#include <functional>

namespace tessera::training {

struct AutoencoderTrainingOptions {
  int64_t steps = 500;
  int64_t batch_size = 16;
  double lr = 1e-3;
  double weight_decay = 0.0;
  int64_t warmup_steps = 20;
  double final_lr_fraction = 0.05;  // cosine decay to lr x this
  double kl_weight = 1e-6;
  uint64_t seed = 1;
  // Called after every step with (step, steps, loss); return false to stop early.
  std::function<bool(int64_t, int64_t, double)> on_step;
};

struct AutoencoderTrainingResult {
  int64_t steps = 0;
  double loss = 0;  // mean of the last 10 steps
  double psnr = 0;  // dB over [-1, 1] images, of decode(mean) on up to 256 training images
};

// `pixels`: [N, 3, H, W] float in [-1, 1]. The VAE is left in eval mode.
AutoencoderTrainingResult train_autoencoder(models::AutoencoderKL& vae, const torch::Tensor& pixels,
                                            const AutoencoderTrainingOptions& options);

// The autoencoder objective's parts for images `x` [B, 3, H, W] in [-1, 1]: the reconstruction
// error decode(posterior mean) - x and the KL divergence of the posterior from N(0, I), per
// latent element.
struct AutoencoderLossTerms {
  torch::Tensor difference;  // [B, 3, H, W]
  torch::Tensor kl;          // [B, C, h, w]
};
AutoencoderLossTerms autoencoder_loss_terms(models::AutoencoderKL& vae, const torch::Tensor& x);

// The loss per image as the run trainer averages it: mean |d| + mean d^2 + kl_weight x sum KL.
torch::Tensor autoencoder_per_sample_loss(models::AutoencoderKL& vae, const torch::Tensor& x, double kl_weight);

// A grid of images [N, 3, H, W] in [-1, 1] (originals) over their reconstructions by `vae`: two
// rows, 8-bit RGB, for a run's sample folder.
image::Image reconstruction_grid(models::AutoencoderKL& vae, const torch::Tensor& x);

// Posterior means of `pixels`, in batches, unscaled: [N, latent_channels, H/f, W/f].
torch::Tensor encode_latent_means(models::AutoencoderKL& vae, const torch::Tensor& pixels, int64_t batch_size = 64);

}  // namespace tessera::training
