#include "pipeline/stable_diffusion_pipeline.h"

#include "tessera/error.h"

#include <filesystem>
#include <fstream>

namespace tessera::pipeline {
namespace fs = std::filesystem;
namespace {

nlohmann::json read_json_file(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw Error("cannot read " + path.string());
  auto json = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) throw Error(path.string() + " is not a JSON object");
  return json;
}

void require_component(const fs::path& dir, const std::string& name) {
  if (!fs::is_directory(dir / name)) {
    throw Error("model folder " + dir.string() + " has no " + name + "/ component",
                "expected a diffusers folder with tokenizer/, text_encoder/, unet/, vae/ and scheduler/");
  }
}

}  // namespace

StableDiffusionPipeline::StableDiffusionPipeline(const std::string& model_dir) : model_dir_(model_dir) {
  const fs::path dir(model_dir);
  if (!fs::is_directory(dir)) throw Error("model folder " + model_dir + " does not exist");
  if (fs::exists(dir / "model_index.json")) {
    const auto index = read_json_file(dir / "model_index.json");
    const std::string cls = index.value("_class_name", "");
    if (!cls.empty() && cls != "StableDiffusionPipeline" && cls != "StableDiffusionImg2ImgPipeline") {
      throw Error(model_dir + "/model_index.json names a " + cls + ", not a Stable Diffusion pipeline");
    }
  }
  for (const char* c : {"tokenizer", "text_encoder", "unet", "vae", "scheduler"}) require_component(dir, c);
  tokenizer_ = std::make_unique<CLIPTokenizer>(CLIPTokenizer::from_folder((dir / "tokenizer").string()));
  text_encoder_ = models::load_clip_text_model((dir / "text_encoder").string());
  unet_ = models::load_unet((dir / "unet").string());
  vae_ = models::load_vae((dir / "vae").string());
  text_encoder_->eval();
  unet_->eval();
  vae_->eval();
  scheduler_config_ = read_json_file(dir / "scheduler" / "scheduler_config.json");
  // Fail now rather than at the first generation when the scheduler config is unusable.
  (void)make_scheduler("");
}

std::string StableDiffusionPipeline::default_sampler() const {
  const std::string cls = scheduler_config_.value("_class_name", "");
  if (cls == "DDIMScheduler") return "ddim";
  if (cls == "DDPMScheduler") return "ddpm";
  if (cls == "PNDMScheduler") return "pndm";
  if (cls == "EulerDiscreteScheduler") return "euler";
  if (cls == "EulerAncestralDiscreteScheduler") return "euler_a";
  if (cls == "UniPCMultistepScheduler") return "unipc";
  if (cls == "DPMSolverMultistepScheduler") {
    return scheduler_config_.value("use_karras_sigmas", false) ? "dpmpp_2m_karras" : "dpmpp_2m";
  }
  return cls;
}

std::unique_ptr<schedulers::Scheduler> StableDiffusionPipeline::make_scheduler(const std::string& sampler) const {
  if (sampler.empty()) return schedulers::make_scheduler_from_config(scheduler_config_);
  return schedulers::make_scheduler(sampler, scheduler_config_);
}

void StableDiffusionPipeline::set_attention_slicing(int64_t slice_size) {
  unet_->set_attention_slicing(slice_size);
  vae_->set_attention_slicing(slice_size);
}

void StableDiffusionPipeline::validate(const GenerationSettings& s) const {
  const int64_t f = vae_scale_factor();
  const int64_t width = s.width > 0 ? s.width : default_width();
  const int64_t height = s.height > 0 ? s.height : default_height();
  if (s.width < 0 || s.height < 0 || width % f != 0 || height % f != 0) {
    throw Error("width and height must be positive multiples of " + std::to_string(f) + " for this model, got " +
                std::to_string(width) + "x" + std::to_string(height));
  }
  if (width > 8192 || height > 8192) throw Error("width and height must be at most 8192");
  if (s.steps < 1 || s.steps > 1000) throw Error("steps must be between 1 and 1000, got " + std::to_string(s.steps));
  if (s.batch < 1 || s.batch > 64) throw Error("batch must be between 1 and 64, got " + std::to_string(s.batch));
  if (s.init_image.defined() && (s.strength <= 0.0 || s.strength > 1.0)) {
    throw Error("strength must be in (0, 1], got " + std::to_string(s.strength));
  }
  // Unknown sampler names throw here, listing the valid ones; a step count the schedule cannot
  // hold (e.g. 1000 DDIM steps with steps_offset 1 would need timestep 1000) is caught too.
  auto scheduler = make_scheduler(s.sampler);
  try {
    scheduler->set_timesteps(s.steps);
    const auto ts = scheduler->timesteps().to(torch::kFloat64);
    const double last_train_step = static_cast<double>(scheduler->alphas_cumprod().size(0) - 1);
    if (ts.numel() > 0 && ts.max().item<double>() > last_train_step) throw Error("timestep outside the schedule");
  } catch (const Error&) {
    throw Error(std::to_string(s.steps) + " steps is too many for this model's " + scheduler->class_name() +
                " schedule; use fewer steps");
  }
}

torch::Tensor StableDiffusionPipeline::encode_prompt(const std::string& prompt) {
  const auto encoded = tokenizer_->encode_padded(prompt, tokenizer_->model_max_length());
  const auto ids = torch::tensor(encoded.input_ids, torch::kInt64).unsqueeze(0);
  return text_encoder_->encode(ids);
}

torch::Tensor rescale_noise_cfg(const torch::Tensor& noise_cfg, const torch::Tensor& noise_pred_text,
                                double guidance_rescale) {
  std::vector<int64_t> dims;
  for (int64_t d = 1; d < noise_pred_text.dim(); ++d) dims.push_back(d);
  const auto std_text = noise_pred_text.std(dims, /*unbiased=*/true, /*keepdim=*/true);
  const auto std_cfg = noise_cfg.std(dims, /*unbiased=*/true, /*keepdim=*/true);
  const auto rescaled = noise_cfg * (std_text / std_cfg);
  return guidance_rescale * rescaled + (1.0 - guidance_rescale) * noise_cfg;
}

GenerationResult postprocess(const torch::Tensor& decoded) {
  GenerationResult r;
  r.images_float = (decoded.to(torch::kFloat32) / 2 + 0.5).clamp(0, 1);
  r.images_uint8 = (r.images_float.permute({0, 2, 3, 1}) * 255).round().to(torch::kUInt8).contiguous();
  return r;
}

GenerationResult StableDiffusionPipeline::generate(const GenerationSettings& s, const StepCallback& on_step,
                                                   GenerationTrace* trace) {
  validate(s);
  torch::NoGradGuard no_grad;
  const int64_t width = s.width > 0 ? s.width : default_width();
  const int64_t height = s.height > 0 ? s.height : default_height();
  const int64_t f = vae_scale_factor();
  const bool guided = s.guidance_scale > 1.0;
  const int64_t batch = s.batch;

  // Prompt embeddings, repeated for the images of the batch (num_images_per_prompt).
  torch::Tensor prompt_embeds = encode_prompt(s.prompt).repeat({batch, 1, 1});
  torch::Tensor negative_embeds;
  if (guided) negative_embeds = encode_prompt(s.negative_prompt).repeat({batch, 1, 1});

  auto scheduler = make_scheduler(s.sampler);
  scheduler->set_timesteps(s.steps);
  torch::Tensor timesteps = scheduler->timesteps();

  // One CPU generator seeded with the seed; every draw below happens in diffusers' order.
  at::Generator generator = at::detail::createCPUGenerator(s.seed);
  const int64_t channels = unet_->config().in_channels;
  torch::Tensor latents;
  if (!s.init_image.defined()) {
    latents = torch::randn({batch, channels, height / f, width / f}, generator, torch::kFloat32) *
              scheduler->init_noise_sigma();
  } else {
    const auto plan = schedulers::img2img_timesteps(*scheduler, s.steps, s.strength);
    timesteps = plan.timesteps;
    if (timesteps.numel() == 0) throw Error("strength " + std::to_string(s.strength) + " leaves no step to run");
    auto image = s.init_image.to(torch::kFloat32);
    if (image.dim() != 4 || image.size(0) != 1 || image.size(1) != 3) {
      throw Error("init image must be one RGB image");
    }
    if (image.size(2) != height || image.size(3) != width) {
      image = torch::nn::functional::interpolate(
          image, torch::nn::functional::InterpolateFuncOptions()
                     .size(std::vector<int64_t>{height, width})
                     .mode(torch::kBilinear)
                     .align_corners(false));
    }
    auto init_latents = vae_->encode(image).sample(generator) * vae_->config().scaling_factor;
    init_latents = torch::cat(std::vector<torch::Tensor>(static_cast<size_t>(batch), init_latents), 0);
    const auto noise = torch::randn(init_latents.sizes(), generator, torch::kFloat32);
    const auto start = timesteps.slice(0, 0, 1).repeat({batch});
    latents = scheduler->add_noise(init_latents, noise, start);
  }
  if (trace != nullptr) {
    trace->prompt_embeds = prompt_embeds;
    trace->negative_prompt_embeds = negative_embeds;
    trace->timesteps = timesteps;
    trace->initial_latents = latents;
  }

  const torch::Tensor context = guided ? torch::cat({negative_embeds, prompt_embeds}, 0) : prompt_embeds;
  const int64_t total = timesteps.size(0);
  for (int64_t i = 0; i < total; ++i) {
    const double t = timesteps[i].item<double>();
    const torch::Tensor model_input = guided ? torch::cat({latents, latents}, 0) : latents;
    const torch::Tensor scaled = scheduler->scale_model_input(model_input, t);
    const torch::Tensor out = unet_->forward(scaled, t, context);
    torch::Tensor noise_pred = out;
    if (guided) {
      const auto halves = out.chunk(2, 0);
      noise_pred = halves[0] + s.guidance_scale * (halves[1] - halves[0]);
      if (s.guidance_rescale > 0.0) noise_pred = rescale_noise_cfg(noise_pred, halves[1], s.guidance_rescale);
    }
    latents = scheduler->step(noise_pred, t, latents, &generator).prev_sample;
    if (trace != nullptr) {
      trace->unet_outputs.push_back(out);
      trace->latents_per_step.push_back(latents);
    }
    if (on_step && !on_step(i + 1, total, latents)) throw Cancelled();
  }

  const torch::Tensor decoded = vae_->decode(latents / vae_->config().scaling_factor);
  if (trace != nullptr) {
    trace->final_latents = latents;
    trace->decoded = decoded;
  }
  return postprocess(decoded);
}

}  // namespace tessera::pipeline
