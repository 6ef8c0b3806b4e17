#include "training/sample_images.h"

#include "image/png_io.h"
#include "tessera/error.h"
#include "tessera/generate.h"
#include "training/autoencoder_training.h"
#include "training/trained_weights.h"

#include <algorithm>
#include <filesystem>
#include <memory>

namespace tessera::training {

namespace fs = std::filesystem;

std::vector<std::string> write_unet_samples(const RunConfig& config, const std::string& run_dir, int64_t step,
                                            const NamedTensors& unet_weights, const NamedTensors& text_encoder_weights,
                                            const std::function<void()>& progress) {
  const fs::path samples = fs::path(run_dir) / "samples";
  const fs::path model = samples / ".model";
  NamedTensors weights;
  for (const auto& [k, v] : unet_weights) weights.emplace_back(k, v.to(torch::kCPU));
  write_diffusers_export(model.string(), config, weights, config.model.pretrained_components, /*overwrite=*/true,
                         text_encoder_weights);
  std::unique_ptr<ImageGenerator> generator;
  if (Status s = ImageGenerator::open(model.string(), &generator); !s.ok()) throw Error("samples: " + s.to_string());
  GenerateOptions o;
  o.prompts = config.sampling.prompts;
  o.sampler = config.sampling.sampler;
  o.steps = static_cast<int>(config.sampling.steps);
  o.guidance = config.sampling.guidance;
  o.seed = static_cast<uint64_t>(config.sampling.seed);
  o.out_dir = (samples / checkpoint_dir_name(step)).string();
  std::vector<GeneratedImage> images;
  const auto on_progress = [&progress](const GenerateProgress&) {
    if (progress) progress();
    return true;
  };
  if (Status s = generator->generate(o, on_progress, &images); !s.ok()) throw Error("samples: " + s.to_string());
  std::vector<std::string> paths;
  for (const auto& im : images) paths.push_back(im.path);
  return paths;
}

std::string write_vae_reconstructions(models::AutoencoderKL& vae, DataSource& data, const torch::Device& device,
                                      const std::string& run_dir, int64_t step) {
  const int64_t n = std::min<int64_t>(4, data.samples_per_epoch());
  const TrainingBatch batch = data.read(0, n);
  vae->eval();
  const image::Image grid = reconstruction_grid(vae, batch.pixels.to(device, torch::kFloat32));
  vae->train();
  const fs::path dir = fs::path(run_dir) / "samples" / checkpoint_dir_name(step);
  fs::create_directories(dir);
  const std::string path = (dir / "reconstructions.png").string();
  image::write_png(path, grid, {{"Description", "top: training images; bottom: the VAE's reconstructions"}});
  return path;
}

}  // namespace tessera::training
