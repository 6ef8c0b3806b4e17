#include "training/autoencoder_training.h"

#include "tessera/error.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <deque>

namespace tessera::training {

AutoencoderTrainingResult train_autoencoder(models::AutoencoderKL& vae, const torch::Tensor& pixels,
                                            const AutoencoderTrainingOptions& o) {
  if (pixels.dim() != 4 || pixels.size(1) != vae->config().in_channels || pixels.size(0) == 0) {
    throw Error("autoencoder training needs images as [N, " + std::to_string(vae->config().in_channels) + ", H, W]");
  }
  const int64_t f = vae->config().spatial_factor();
  if (pixels.size(2) % f != 0 || pixels.size(3) % f != 0) {
    throw Error("image sides must be multiples of the VAE's factor " + std::to_string(f));
  }
  if (o.steps < 1 || o.batch_size < 1) throw Error("autoencoder training needs steps and batch_size >= 1");
  vae->train();
  torch::optim::AdamW optimizer(vae->parameters(),
                                torch::optim::AdamWOptions(o.lr).weight_decay(o.weight_decay).betas({0.9, 0.99}));
  auto gen = at::make_generator<at::CPUGeneratorImpl>(o.seed);
  const int64_t n = pixels.size(0);
  torch::Tensor order = torch::randperm(n, gen, torch::TensorOptions().dtype(torch::kInt64));
  int64_t cursor = 0;
  std::deque<double> recent;
  AutoencoderTrainingResult result;
  for (int64_t step = 0; step < o.steps; ++step) {
    double lr = o.lr;
    if (step < o.warmup_steps) {
      lr = o.lr * static_cast<double>(step + 1) / static_cast<double>(o.warmup_steps);
    } else {
      const double t = static_cast<double>(step - o.warmup_steps) / static_cast<double>(std::max<int64_t>(1, o.steps - o.warmup_steps));
      lr = o.lr * (o.final_lr_fraction + (1 - o.final_lr_fraction) * 0.5 * (1 + std::cos(M_PI * t)));
    }
    for (auto& group : optimizer.param_groups()) static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);

    if (cursor + o.batch_size > n) {
      order = torch::randperm(n, gen, torch::TensorOptions().dtype(torch::kInt64));
      cursor = 0;
    }
    const torch::Tensor x = pixels.index_select(0, order.narrow(0, cursor, std::min(o.batch_size, n)));
    cursor += o.batch_size;

    const AutoencoderLossTerms t = autoencoder_loss_terms(vae, x);
    const torch::Tensor loss = t.difference.abs().mean() + t.difference.pow(2).mean() + o.kl_weight * t.kl.sum() / x.size(0);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();

    const double value = loss.item<double>();
    if (!std::isfinite(value)) throw Error("autoencoder training diverged at step " + std::to_string(step + 1), "lower the learning rate");
    recent.push_back(value);
    if (recent.size() > 10) recent.pop_front();
    result.steps = step + 1;
    if (o.on_step && !o.on_step(step + 1, o.steps, value)) break;
  }
  double sum = 0;
  for (double v : recent) sum += v;
  result.loss = recent.empty() ? 0 : sum / static_cast<double>(recent.size());
  vae->eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor probe = pixels.narrow(0, 0, std::min<int64_t>(n, 256));
  torch::Tensor mse = torch::zeros({});
  for (int64_t i = 0; i < probe.size(0); i += 64) {
    const torch::Tensor x = probe.narrow(0, i, std::min<int64_t>(64, probe.size(0) - i));
    mse = mse + (vae->decode(vae->encode(x).mean()) - x).pow(2).sum();
  }
  const double m = mse.item<double>() / static_cast<double>(probe.numel());
  result.psnr = 10.0 * std::log10(4.0 / std::max(m, 1e-12));  // peak-to-peak 2 over [-1, 1]
  return result;
}

AutoencoderLossTerms autoencoder_loss_terms(models::AutoencoderKL& vae, const torch::Tensor& x) {
  const models::DiagonalGaussian posterior = vae->encode(x);
  const torch::Tensor recon = vae->decode(posterior.mean());
  return {recon - x, 0.5 * (posterior.mean().pow(2) + posterior.var() - 1.0 - posterior.logvar())};
}

torch::Tensor autoencoder_per_sample_loss(models::AutoencoderKL& vae, const torch::Tensor& x, double kl_weight) {
  const AutoencoderLossTerms t = autoencoder_loss_terms(vae, x);
  const torch::Tensor d = t.difference.to(torch::kFloat32);
  return d.abs().mean({1, 2, 3}) + d.pow(2).mean({1, 2, 3}) + kl_weight * t.kl.to(torch::kFloat32).sum({1, 2, 3});
}

image::Image reconstruction_grid(models::AutoencoderKL& vae, const torch::Tensor& x) {
  torch::NoGradGuard no_grad;
  const torch::Tensor recon = vae->decode(vae->encode(x).mean()).to(torch::kCPU, torch::kFloat32);
  // [2, N, 3, H, W] -> rows of N images side by side: [2H, N*W, 3].
  const torch::Tensor both = torch::stack({x.to(torch::kCPU, torch::kFloat32), recon});
  const int64_t n = x.size(0), h = x.size(2), w = x.size(3);
  const torch::Tensor grid = both.permute({0, 3, 1, 4, 2}).reshape({2 * h, n * w, 3});
  const torch::Tensor bytes = ((grid.clamp(-1, 1) + 1) * 127.5).round().to(torch::kUInt8).contiguous();
  image::Image out;
  out.width = static_cast<int>(n * w);
  out.height = static_cast<int>(2 * h);
  out.channels = 3;
  out.pixels.assign(bytes.data_ptr<uint8_t>(), bytes.data_ptr<uint8_t>() + bytes.numel());
  return out;
}

torch::Tensor encode_latent_means(models::AutoencoderKL& vae, const torch::Tensor& pixels, int64_t batch_size) {
  torch::NoGradGuard no_grad;
  vae->eval();
  std::vector<torch::Tensor> parts;
  for (int64_t i = 0; i < pixels.size(0); i += batch_size) {
    parts.push_back(vae->encode(pixels.narrow(0, i, std::min(batch_size, pixels.size(0) - i))).mean());
  }
  return torch::cat(parts);
}

}  // namespace tessera::training
