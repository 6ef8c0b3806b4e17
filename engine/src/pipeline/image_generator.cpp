// The generation facade: options in plain types, PNGs with A1111 parameters out.

#include "tessera/generate.h"

#include "image/png_io.h"
#include "pipeline/generation_parameters.h"
#include "pipeline/stable_diffusion_pipeline.h"
#include "tessera/version.h"

#include <openssl/evp.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace tessera {
namespace fs = std::filesystem;
namespace {

// A1111's "Model hash": the first 10 hex digits of the SHA-256 of the weights file (here the
// UNet's, the part a training run changes).
std::string short_file_hash(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) return {};
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    if (in.gcount() > 0) EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<size_t>(in.gcount()));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx.get(), digest, &length) != 1) return {};
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length && out.size() < 10; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

// PNG (grey, RGB or RGBA; alpha dropped) -> [1, 3, H, W] floats in [-1, 1], as diffusers'
// VaeImageProcessor.preprocess does (x / 255 * 2 - 1).
torch::Tensor load_init_image(const std::string& path) {
  const image::Image im = image::read_png(path);
  auto pixels = torch::from_blob(const_cast<uint8_t*>(im.pixels.data()), {im.height, im.width, im.channels},
                                 torch::kUInt8)
                    .clone();
  if (im.channels == 1) pixels = pixels.repeat({1, 1, 3});
  if (im.channels == 4) pixels = pixels.slice(2, 0, 3);
  return (pixels.permute({2, 0, 1}).unsqueeze(0).to(torch::kFloat32) / 255.0) * 2.0 - 1.0;
}

// A1111's "Approx cheap" latent -> RGB factors for the 4-channel SD 1.x/2.x latent space: rows are
// latent channels, columns R, G, B; the result is in about [-1, 1].
constexpr float kLatentRgbFactors[4][3] = {
    {0.298f, 0.207f, 0.208f}, {0.187f, 0.286f, 0.173f}, {-0.158f, 0.189f, 0.264f}, {-0.184f, -0.271f, -0.473f}};

// [3, h, w] in about [-1, 1] -> RGB8.
std::shared_ptr<const PreviewImage> to_preview(const torch::Tensor& chw) {
  const auto pixels =
      ((chw.to(torch::kFloat32) + 1.0) * 127.5).round().clamp(0, 255).to(torch::kUInt8).permute({1, 2, 0}).contiguous();
  auto image = std::make_shared<PreviewImage>();
  image->height = static_cast<int>(pixels.size(0));
  image->width = static_cast<int>(pixels.size(1));
  image->rgb.assign(pixels.data_ptr<uint8_t>(), pixels.data_ptr<uint8_t>() + pixels.numel());
  return image;
}

// The first image's predicted clean latents [C, h, w] as a small RGB image.
std::shared_ptr<const PreviewImage> latent_preview(const torch::Tensor& latents) {
  const auto x = latents[0].to(torch::kFloat32);
  if (x.size(0) == 4) {
    const auto factors = torch::from_blob(const_cast<float*>(&kLatentRgbFactors[0][0]), {4, 3}, torch::kFloat32);
    return to_preview(torch::einsum("chw,cr->rhw", {x, factors}));
  }
  // Another latent space: its first channels (repeated when fewer than three), each stretched
  // to [-1, 1].
  auto rgb = x.slice(0, 0, std::min<int64_t>(3, x.size(0)));
  while (rgb.size(0) < 3) rgb = torch::cat({rgb, rgb.slice(0, 0, 1)}, 0);
  const auto lo = rgb.amin({1, 2}, true);
  const auto hi = rgb.amax({1, 2}, true);
  return to_preview((rgb - lo) / (hi - lo).clamp_min(1e-6) * 2 - 1);
}

}  // namespace

struct ImageGenerator::Impl {
  std::unique_ptr<pipeline::StableDiffusionPipeline> pipeline;
  std::string model_name;
  std::string model_hash;
  bool hashed = false;
};

ImageGenerator::ImageGenerator() : impl_(std::make_unique<Impl>()) {}
ImageGenerator::~ImageGenerator() = default;

Status ImageGenerator::open(const std::string& model_dir, std::unique_ptr<ImageGenerator>* out) {
  return guarded([&] {
    std::unique_ptr<ImageGenerator> g(new ImageGenerator());
    g->impl_->pipeline = std::make_unique<pipeline::StableDiffusionPipeline>(model_dir);
    g->impl_->model_name = fs::path(model_dir).lexically_normal().filename().string();
    if (g->impl_->model_name.empty()) g->impl_->model_name = fs::path(model_dir).lexically_normal().parent_path().filename().string();
    *out = std::move(g);
  });
}

std::vector<std::string> ImageGenerator::sampler_names() { return schedulers::sampler_names(); }
std::string ImageGenerator::default_sampler() const { return impl_->pipeline->default_sampler(); }
int ImageGenerator::default_width() const { return static_cast<int>(impl_->pipeline->default_width()); }
int ImageGenerator::default_height() const { return static_cast<int>(impl_->pipeline->default_height()); }
int ImageGenerator::size_multiple() const { return static_cast<int>(impl_->pipeline->vae_scale_factor()); }

Status ImageGenerator::generate(const GenerateOptions& options, const GenerateProgressFn& progress,
                                std::vector<GeneratedImage>* images) {
  return guarded([&] {
    auto& pipe = *impl_->pipeline;
    if (options.prompts.empty()) throw Error("no prompt given");
    if (options.out_dir.empty()) throw Error("no output folder given");
    pipeline::GenerationSettings settings;
    settings.negative_prompt = options.negative_prompt;
    settings.sampler = options.sampler;
    settings.steps = options.steps;
    settings.guidance_scale = options.guidance;
    settings.guidance_rescale = options.guidance_rescale;
    settings.width = options.width;
    settings.height = options.height;
    settings.batch = options.batch;
    settings.strength = options.strength;
    if (!options.init_image.empty()) {
      settings.init_image = load_init_image(options.init_image);
      // img2img keeps the init image's size unless a size is given (as diffusers does).
      if (settings.width == 0) settings.width = settings.init_image.size(3);
      if (settings.height == 0) settings.height = settings.init_image.size(2);
    }
    settings.prompt = options.prompts.front();
    pipe.validate(settings);  // every problem reported before any work or any file

    std::error_code ec;
    fs::create_directories(options.out_dir, ec);
    if (ec) throw Error("cannot create " + options.out_dir + ": " + ec.message());
    if (!impl_->hashed) {
      impl_->model_hash = short_file_hash(fs::path(pipe.model_dir()) / "unet" / "diffusion_pytorch_model.safetensors");
      impl_->hashed = true;
    }

    const int prompt_count = static_cast<int>(options.prompts.size());
    for (int k = 0; k < prompt_count; ++k) {
      settings.prompt = options.prompts[static_cast<size_t>(k)];
      settings.seed = options.seed + static_cast<uint64_t>(k);
      const auto result = pipe.generate(settings, [&](const pipeline::StepState& state) {
        if (!progress) return true;
        GenerateProgress p{k, prompt_count, static_cast<int>(state.step), static_cast<int>(state.total), nullptr};
        const int every = std::max(1, options.preview.every);
        if (options.preview.mode != PreviewMode::None && (state.step % every == 0 || state.step == state.total)) {
          const torch::Tensor& x0 = state.predicted_original.defined() ? state.predicted_original : state.latents;
          if (options.preview.mode == PreviewMode::Latent) {
            p.preview = latent_preview(x0);
          } else {
            p.preview = to_preview(pipe.decode_latents(x0.slice(0, 0, 1))[0].clamp(-1, 1));
          }
        }
        return progress(p);
      });
      GenerationParameters params;
      params.prompt = settings.prompt;
      params.negative_prompt = settings.negative_prompt;
      params.sampler = settings.sampler.empty() ? pipe.default_sampler() : settings.sampler;
      params.steps = static_cast<int>(settings.steps);
      params.guidance_scale = settings.guidance_scale;
      params.guidance_rescale = settings.guidance_rescale;
      params.seed = settings.seed;
      params.width = static_cast<int>(result.images_uint8.size(2));
      params.height = static_cast<int>(result.images_uint8.size(1));
      if (settings.init_image.defined()) params.denoising_strength = settings.strength;
      params.model_name = impl_->model_name;
      params.model_hash = impl_->model_hash;
      params.version = std::string("Tessera ") + TESSERA_VERSION_STRING;
      const std::string text = format_a1111_parameters(params);
      for (int64_t b = 0; b < result.images_uint8.size(0); ++b) {
        const auto pixels = result.images_uint8[b].contiguous();
        image::Image im{params.width, params.height, 3,
                        std::vector<uint8_t>(pixels.data_ptr<uint8_t>(), pixels.data_ptr<uint8_t>() + pixels.numel())};
        const std::string path =
            (fs::path(options.out_dir) / (std::to_string(settings.seed) + "-" + std::to_string(b) + ".png")).string();
        image::write_png(path, im, {{"parameters", text}});
        if (images != nullptr) images->push_back(GeneratedImage{path, settings.prompt, settings.seed, static_cast<int>(b), text});
      }
    }
  });
}

}  // namespace tessera
