#pragma once
// Text-to-image and image-to-image with a Stable Diffusion 1.x/2.x model in a diffusers folder,
// computing what diffusers' StableDiffusionPipeline / StableDiffusionImg2ImgPipeline (v0.26)
// compute: the same prompt encoding, the same random draws from one CPU generator in the same
// order, classifier-free guidance (with optional rescale), the same scheduler steps, the same
// VAE decode and post-processing. Internal header (torch).

#include "io/diffusers_folder.h"
#include "models/autoencoder_kl.h"
#include "models/clip_text_model.h"
#include "models/unet_2d_condition.h"
#include "pipeline/unet_graph.h"
#include "schedulers/scheduler.h"
#include "text/clip_tokenizer.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tessera::pipeline {

struct GenerationSettings {
  std::string prompt;
  std::string negative_prompt;   // "" = unconditional, as diffusers does when none is given
  std::string sampler;           // empty: the scheduler the model's scheduler config names
  int64_t steps = 50;
  double guidance_scale = 7.5;   // <= 1 disables classifier-free guidance
  double guidance_rescale = 0.0;
  uint64_t seed = 0;
  int64_t width = 0;             // 0: unet sample_size * VAE factor
  int64_t height = 0;
  int64_t batch = 1;
  // img2img: the init image as [1, 3, H, W] floats in [-1, 1]; undefined for text-to-image.
  torch::Tensor init_image;
  double strength = 0.8;
};

// What a step callback sees after every UNet step.
struct StepState {
  int64_t step = 0;   // from 1
  int64_t total = 0;
  torch::Tensor latents;             // after the step, [B, C, h, w]
  // The model's estimate of the clean latents at this step (x0; the scheduler's
  // pred_original_sample, or computed from the model output and alphas_cumprod for schedulers
  // that do not return one). What previews should show: it is sharp long before `latents` is.
  torch::Tensor predicted_original;
};

// Called after every UNet step. Return false to stop: generate() then throws tessera::Cancelled
// and writes nothing.
using StepCallback = std::function<bool(const StepState& state)>;

// Everything the pipeline computed, for tests and previews.
struct GenerationTrace {
  torch::Tensor prompt_embeds;           // [B, 77, D]
  torch::Tensor negative_prompt_embeds;  // [B, 77, D] (undefined without guidance)
  torch::Tensor timesteps;
  torch::Tensor initial_latents;         // after * init_noise_sigma (t2i) or add_noise (i2i)
  std::vector<torch::Tensor> unet_outputs;   // per step, [2B or B, C, h, w] before guidance
  std::vector<torch::Tensor> latents_per_step;
  torch::Tensor final_latents;
  torch::Tensor decoded;                 // raw VAE output [B, 3, H, W]
};

struct GenerationResult {
  torch::Tensor images_float;  // [B, 3, H, W] in [0, 1]
  torch::Tensor images_uint8;  // [B, H, W, 3], round(x * 255)
};

class StableDiffusionPipeline {
 public:
  // Loads tokenizer/, text_encoder/, unet/, vae/ and scheduler/ of a diffusers folder (checked
  // against model_index.json when present). Throws tessera::Error naming what is missing.
  explicit StableDiffusionPipeline(const std::string& model_dir);
  explicit StableDiffusionPipeline(const io::DiffusersFolder& folder);

  // Writes the pipeline as a diffusers folder (io::save_diffusers_folder: atomic, refuses a
  // non-empty target unless options.overwrite), loadable by diffusers' from_pretrained.
  void save(const std::string& dir, const io::DiffusersSaveOptions& options = {}) const;
  // A pipeline from components already in memory (benchmarks with random weights, tests); the
  // models are shared, not copied (put them in eval mode first). Like the folder constructor, it
  // stores the UNet's and VAE's convolution weights channels-last (faster CPU inference).
  // `model_dir` only names it.
  StableDiffusionPipeline(CLIPTokenizer tokenizer, models::CLIPTextModel text_encoder,
                          models::UNet2DConditionModel unet, models::AutoencoderKL vae,
                          nlohmann::json scheduler_config, std::string model_dir = {});

  GenerationResult generate(const GenerationSettings& settings, const StepCallback& on_step = {},
                            GenerationTrace* trace = nullptr);

  // Prompt -> the hidden states the UNet cross-attends to ([1, 77, D], on device() in dtype()).
  torch::Tensor encode_prompt(const std::string& prompt);

  int64_t vae_scale_factor() const { return vae_->config().spatial_factor(); }
  int64_t default_width() const { return unet_->config().sample_size * vae_scale_factor(); }
  int64_t default_height() const { return default_width(); }
  const nlohmann::json& scheduler_config() const { return scheduler_config_; }
  const std::string& model_dir() const { return model_dir_; }
  // The folder the pipeline was loaded from, with its configs as stored (empty for a pipeline
  // built from components in memory).
  const io::DiffusersFolder& folder() const { return folder_; }
  models::UNet2DConditionModel& unet() { return unet_; }
  models::AutoencoderKL& vae() { return vae_; }
  models::CLIPTextModel& text_encoder() { return text_encoder_; }
  // "ddim", "pndm", ... for the scheduler the model's config names (for image metadata).
  std::string default_sampler() const;
  // Checks settings before any work: size a multiple of the VAE factor, steps, batch, sampler
  // name, strength. Throws tessera::Error with a one-line reason.
  void validate(const GenerationSettings& settings) const;

  void set_attention_slicing(int64_t slice_size);

  // On CUDA: the UNet's forward pass of every sampling step after the first replayed from a CUDA
  // graph (pipeline/unet_graph.h), captured anew for each batch shape. Throws tessera::Error where
  // this build cannot capture CUDA graphs. Off by default.
  void set_cuda_graph(bool on);

  // Moves the text encoder, UNet and VAE to `device`, stored in `dtype` (on CUDA, fp16 or bf16
  // halve the memory and use the tensor cores). They run there; the scheduler arithmetic, the
  // guidance and every random draw stay on the CPU in float32, so a seed gives the same initial
  // noise on any device and the sampler sees the latents diffusers' CPU path would. Results come
  // back as CPU float32.
  void to(torch::Device device, torch::ScalarType dtype = torch::kFloat32);
  torch::Device device() const { return device_; }
  torch::ScalarType dtype() const { return dtype_; }

  // Latents [B, C, h, w] (unscaled, as the UNet sees them) -> decoded images [B, 3, H, W] in
  // [-1, 1], CPU float32: the VAE decode generate() ends with (previews use it too).
  torch::Tensor decode_latents(const torch::Tensor& latents);

 private:
  std::unique_ptr<schedulers::Scheduler> make_scheduler(const std::string& sampler) const;
  torch::Tensor predicted_original(const schedulers::Scheduler& scheduler, const torch::Tensor& model_output,
                                   const torch::Tensor& sample, double timestep) const;

  std::string model_dir_;
  io::DiffusersFolder folder_;  // where the model came from, with its configs as stored
  std::unique_ptr<CLIPTokenizer> tokenizer_;
  models::CLIPTextModel text_encoder_{nullptr};
  models::UNet2DConditionModel unet_{nullptr};
  models::AutoencoderKL vae_{nullptr};
  nlohmann::json scheduler_config_;
  torch::Device device_{torch::kCPU};
  torch::ScalarType dtype_ = torch::kFloat32;
  std::unique_ptr<UNetGraph> unet_graph_;  // set_cuda_graph(true)
};

// diffusers' rescale_noise_cfg (Lin et al., "Common Diffusion Noise Schedules and Sample Steps
// are Flawed", section 3.4).
torch::Tensor rescale_noise_cfg(const torch::Tensor& noise_cfg, const torch::Tensor& noise_pred_text,
                                double guidance_rescale);

// [B, 3, H, W] in [-1, 1] -> ([B, 3, H, W] in [0, 1], [B, H, W, 3] uint8), as diffusers'
// VaeImageProcessor.postprocess + numpy_to_pil.
GenerationResult postprocess(const torch::Tensor& decoded);

}  // namespace tessera::pipeline
