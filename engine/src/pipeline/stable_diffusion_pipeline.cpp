#include "pipeline/stable_diffusion_pipeline.h"

#include "models/memory_format.h"
#include "tessera/error.h"

#include <algorithm>
#include <cmath>

namespace tessera::pipeline {

StableDiffusionPipeline::StableDiffusionPipeline(const std::string& model_dir)
    : StableDiffusionPipeline(io::open_diffusers_folder(model_dir)) {}

StableDiffusionPipeline::StableDiffusionPipeline(const io::DiffusersFolder& folder)
    : model_dir_(folder.dir), folder_(folder), scheduler_config_(folder.scheduler_config) {
  tokenizer_ = std::make_unique<CLIPTokenizer>(CLIPTokenizer::from_folder(folder_.tokenizer_dir()));
  text_encoder_ = models::load_clip_text_model(folder_.text_encoder_dir());
  unet_ = models::load_unet(folder_.unet_dir());
  vae_ = models::load_vae(folder_.vae_dir());
  text_encoder_->eval();
  unet_->eval();
  vae_->eval();
  // Channels-last convolutions: faster CPU inference, same numbers up to float rounding.
  models::set_channels_last(*unet_, true);
  models::set_channels_last(*vae_, true);
  // Fail now rather than at the first generation when the scheduler config is unusable.
  (void)make_scheduler("");
}

StableDiffusionPipeline::StableDiffusionPipeline(CLIPTokenizer tokenizer, models::CLIPTextModel text_encoder,
                                                 models::UNet2DConditionModel unet, models::AutoencoderKL vae,
                                                 nlohmann::json scheduler_config, std::string model_dir)
    : model_dir_(std::move(model_dir)),
      tokenizer_(std::make_unique<CLIPTokenizer>(std::move(tokenizer))),
      text_encoder_(std::move(text_encoder)),
      unet_(std::move(unet)),
      vae_(std::move(vae)),
      scheduler_config_(std::move(scheduler_config)) {
  models::set_channels_last(*unet_, true);
  models::set_channels_last(*vae_, true);
  (void)make_scheduler("");
}

void StableDiffusionPipeline::save(const std::string& dir, const io::DiffusersSaveOptions& options) const {
  io::DiffusersComponents c;
  if (folder_.unet_config.empty()) {
    throw Error("this pipeline was not loaded from a diffusers folder, so its model configs are unknown",
                "save the components with io::save_diffusers_folder and their config JSON");
  }
  const std::string cls =
      folder_.model_index.is_object() ? folder_.model_index.value("_class_name", std::string()) : std::string();
  if (!cls.empty()) c.pipeline_class = cls;
  c.unet = unet_.get();
  c.unet_config = folder_.unet_config;
  c.vae = vae_.get();
  c.vae_config = folder_.vae_config;
  c.text_encoder = text_encoder_.get();
  c.text_encoder_config = folder_.text_encoder_config;
  c.tokenizer_dir = folder_.tokenizer_dir();
  c.scheduler_config = scheduler_config_;
  io::save_diffusers_folder(dir, c, options);
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
  if (unet_graph_) unet_graph_->reset();  // the UNet computes differently now
  unet_->set_attention_slicing(slice_size);
  vae_->set_attention_slicing(slice_size);
}

void StableDiffusionPipeline::set_cuda_graph(bool on) {
  if (on && !CudaGraph::built()) {
    throw Error("this build cannot capture CUDA graphs (it needs LibTorch 2.2 or newer with CUDA's headers)");
  }
  unet_graph_ = on ? std::make_unique<UNetGraph>() : nullptr;
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

void StableDiffusionPipeline::to(torch::Device device, torch::ScalarType dtype) {
  if (dtype != torch::kFloat32 && dtype != torch::kHalf && dtype != torch::kBFloat16) {
    throw Error("the models can run in float32, float16 or bfloat16");
  }
  text_encoder_->to(device, dtype);
  if (unet_graph_) unet_graph_->reset();
  unet_->to(device, dtype);
  vae_->to(device, dtype);
  device_ = device;
  dtype_ = dtype;
}

torch::Tensor StableDiffusionPipeline::decode_latents(const torch::Tensor& latents) {
  torch::NoGradGuard no_grad;
  return vae_->decode((latents / vae_->config().scaling_factor).to(device_, dtype_)).to(torch::kCPU, torch::kFloat32);
}

torch::Tensor StableDiffusionPipeline::predicted_original(const schedulers::Scheduler& scheduler,
                                                          const torch::Tensor& model_output,
                                                          const torch::Tensor& sample, double timestep) const {
  // Schedulers without pred_original_sample (PNDM, DPM-Solver++, UniPC) keep variance-preserving
  // samples x_t = sqrt(a) x0 + sqrt(1 - a) eps, a = alphas_cumprod[t].
  const auto& alphas = scheduler.alphas_cumprod();
  const int64_t n = alphas.size(0);
  const int64_t index = std::clamp<int64_t>(static_cast<int64_t>(std::llround(timestep)), 0, n - 1);
  const double a = alphas[index].item<double>();
  const std::string prediction = scheduler_config_.value("prediction_type", std::string("epsilon"));
  if (prediction == "v_prediction") return std::sqrt(a) * sample - std::sqrt(1.0 - a) * model_output;
  if (prediction == "sample") return model_output;
  return (sample - std::sqrt(1.0 - a) * model_output) / std::sqrt(a);
}

torch::Tensor StableDiffusionPipeline::encode_prompt(const std::string& prompt) {
  const auto encoded = tokenizer_->encode_padded(prompt, tokenizer_->model_max_length());
  const auto ids = torch::tensor(encoded.input_ids, torch::kInt64).unsqueeze(0).to(device_);
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
    auto init_latents = (vae_->encode(image.to(device_, dtype_)).sample(generator) * vae_->config().scaling_factor)
                            .to(torch::kCPU, torch::kFloat32);
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
    const torch::Tensor input = scaled.to(device_, dtype_);
    const torch::Tensor out = (unet_graph_ ? unet_graph_->forward(unet_, input, t, context) : unet_->forward(input, t, context))
                                  .to(torch::kCPU, torch::kFloat32);
    torch::Tensor noise_pred = out;
    if (guided) {
      const auto halves = out.chunk(2, 0);
      noise_pred = halves[0] + s.guidance_scale * (halves[1] - halves[0]);
      if (s.guidance_rescale > 0.0) noise_pred = rescale_noise_cfg(noise_pred, halves[1], s.guidance_rescale);
    }
    const torch::Tensor sample = latents;
    auto stepped = scheduler->step(noise_pred, t, sample, &generator);
    latents = stepped.prev_sample;
    if (trace != nullptr) {
      trace->unet_outputs.push_back(out);
      trace->latents_per_step.push_back(latents);
    }
    if (on_step) {
      StepState state;
      state.step = i + 1;
      state.total = total;
      state.latents = latents;
      state.predicted_original = stepped.pred_original_sample.defined()
                                     ? stepped.pred_original_sample
                                     : predicted_original(*scheduler, noise_pred, sample, t);
      if (!on_step(state)) throw Cancelled();
    }
  }

  const torch::Tensor decoded = decode_latents(latents);
  if (trace != nullptr) {
    trace->final_latents = latents;
    trace->decoded = decoded;
  }
  return postprocess(decoded);
}

}  // namespace tessera::pipeline
