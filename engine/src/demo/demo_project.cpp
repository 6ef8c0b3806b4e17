// The demo project (tessera demo): every stage of a studio's journey, from nothing, on a CPU.
//
//   runtime, blas   what the machine is and how fast its matrix products run
//   dataset         coloured shapes rendered to PNGs with caption sidecars, imported into a catalog;
//                   about 15% of the (colour, shape, background) combinations are held out
//   tokenizer       a byte-level BPE vocabulary learnt from the training captions
//   vae             a small AutoencoderKL trained on the images; latents = posterior means x scale
//   train           `tessera train` on those latents: a small UNet and the text encoder together
//   export          the last checkpoint's EMA weights as a diffusers folder (model/)
//   generate        the held-out captions, a few seeds each, with the exported model
//   evaluate        every image judged for object colour, background colour and shape
//
// Design notes (measured on a 2-core CPU; see docs/DEMO.md): 32 px images and a factor-4 VAE
// give 8x8x4 latents, so a UNet step over a batch of 64 stays well under a second; GroupNorm
// over many channels per group keeps flat colours; a frozen random text encoder conditions
// poorly, so the text encoder trains with the UNet; v-prediction with zero-terminal-SNR lets
// the model reach black and white backgrounds; the EMA smooths the short run.

#include "tessera/demo.h"

#include "core/remove_tree.h"
#include "demo/shapes_dataset.h"
#include "image/png_io.h"
#include "io/diffusers_folder.h"
#include "io/safetensors.h"
#include "models/autoencoder_kl.h"
#include "models/clip_text_model.h"
#include "tessera/dataset.h"
#include "tessera/generate.h"
#include "tessera/runtime.h"
#include "tessera/train.h"
#include "text/clip_bpe_trainer.h"
#include "text/clip_tokenizer.h"
#include "training/autoencoder_training.h"
#include "training/checkpoint.h"
#include "training/run_config.h"
#include "training/trainer.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

namespace tessera {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr int kMaxTokens = 16;  // "a red circle on a blue background" is 7 words + bos + eos

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), f, v);
  return buf;
}

std::string duration_text(double s) {
  if (s < 90) return fmt("%.0f s", s);
  return fmt("%.1f min", s / 60.0);
}

// "[name]" padded to a column, so the stage lines line up.
std::string stage_tag(const std::string& name) {
  std::string tag = "[" + name + "]";
  if (tag.size() < 12) tag.resize(12, ' ');
  return tag;
}

json vae_config_json(int image_size, double scaling_factor) {
  return {{"_class_name", "AutoencoderKL"},
          {"_diffusers_version", "0.26.3"},
          {"act_fn", "silu"},
          {"block_out_channels", {32, 64, 64}},
          {"down_block_types", {"DownEncoderBlock2D", "DownEncoderBlock2D", "DownEncoderBlock2D"}},
          {"up_block_types", {"UpDecoderBlock2D", "UpDecoderBlock2D", "UpDecoderBlock2D"}},
          {"force_upcast", true},
          {"in_channels", 3},
          {"out_channels", 3},
          {"latent_channels", 4},
          {"layers_per_block", 1},
          // Many channels per group: GroupNorm over a few channels of a flat-coloured image
          // normalises the colour away.
          {"norm_num_groups", 2},
          {"sample_size", image_size},
          {"scaling_factor", scaling_factor}};
}

json text_encoder_config_json(int64_t vocab_size, int64_t bos, int64_t eos) {
  return {{"architectures", {"CLIPTextModel"}},
          {"attention_dropout", 0.0},
          {"bos_token_id", bos},
          {"dropout", 0.0},
          {"eos_token_id", eos},
          {"hidden_act", "quick_gelu"},
          {"hidden_size", 64},
          {"initializer_factor", 1.0},
          {"initializer_range", 0.02},
          {"intermediate_size", 128},
          {"layer_norm_eps", 1e-05},
          {"max_position_embeddings", kMaxTokens},
          {"model_type", "clip_text_model"},
          {"num_attention_heads", 4},
          {"num_hidden_layers", 2},
          {"pad_token_id", eos},
          {"projection_dim", 64},
          {"torch_dtype", "float32"},
          {"transformers_version", "4.37.0"},
          {"vocab_size", vocab_size}};
}

json unet_config_json(int latent_size) {
  return {{"_class_name", "UNet2DConditionModel"},
          {"_diffusers_version", "0.26.3"},
          {"act_fn", "silu"},
          {"attention_head_dim", {4, 8}},
          {"block_out_channels", {32, 64}},
          {"center_input_sample", false},
          {"cross_attention_dim", 64},
          {"down_block_types", {"CrossAttnDownBlock2D", "CrossAttnDownBlock2D"}},
          {"downsample_padding", 1},
          {"flip_sin_to_cos", true},
          {"freq_shift", 0},
          {"in_channels", 4},
          {"layers_per_block", 1},
          {"mid_block_scale_factor", 1},
          {"norm_eps", 1e-05},
          {"norm_num_groups", 8},
          {"out_channels", 4},
          {"sample_size", latent_size},
          {"up_block_types", {"CrossAttnUpBlock2D", "CrossAttnUpBlock2D"}},
          {"use_linear_projection", true}};
}

void check_cancel(const DemoOptions& o) {
  if (o.cancelled && o.cancelled()) throw Cancelled();
}

// Images [N, 3, S, S] in [-1, 1] from RGB8 renders.
torch::Tensor to_pixels(const std::vector<demo::RenderedImage>& images) {
  const int64_t n = static_cast<int64_t>(images.size());
  const int64_t s = images.empty() ? 0 : images[0].size;
  torch::Tensor t = torch::empty({n, s, s, 3}, torch::kUInt8);
  for (int64_t i = 0; i < n; ++i) std::memcpy(t[i].data_ptr<uint8_t>(), images[static_cast<size_t>(i)].rgb.data(), s * s * 3);
  return t.permute({0, 3, 1, 2}).to(torch::kFloat32).div(127.5).sub(1.0).contiguous();
}

// The demo's run: each stage a method, sharing what the stages hand to each other.
class DemoRun {
 public:
  DemoRun(const DemoOptions& options, DemoReport* report) : o_(options), r_(*report), dir_(options.work_dir) {}

  void run() {
    const auto t0 = Clock::now();
    stage("runtime", [&] { return runtime_stage(); });
    if (!o_.evaluate_model.empty()) {
      split_ = demo::split_shape_prompts(o_.seed, o_.sizes.held_out_fraction);
      r_.model_dir = o_.evaluate_model;
      stage("generate", [&] { return generate_stage(); });
      stage("evaluate", [&] { return evaluate_stage(); });
      r_.total_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
      return;
    }
    stage("blas", [&] { return blas_stage(); });
    stage("dataset", [&] { return dataset_stage(); });
    stage("tokenizer", [&] { return tokenizer_stage(); });
    stage("vae", [&] { return vae_stage(); });
    stage("train", [&] { return train_stage(); });
    stage("export", [&] { return export_stage(); });
    stage("generate", [&] { return generate_stage(); });
    stage("evaluate", [&] { return evaluate_stage(); });
    r_.total_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  }

 private:
  template <typename Fn>
  void stage(const std::string& name, Fn fn) {
    check_cancel(o_);
    const auto t0 = Clock::now();
    current_ = name;
    DemoStage s;
    s.name = name;
    s.summary = fn();
    s.ran = true;
    s.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    if (name != "runtime" && name != "blas") s.summary += " (" + duration_text(s.seconds) + ")";
    log(s.summary);
    r_.stages.push_back(std::move(s));
  }

  void log(const std::string& line) const {
    if (o_.log) o_.log(stage_tag(current_) + line);
  }

  std::string runtime_stage() {
    const RuntimeInfo info = runtime_info();
    return "Tessera " + info.tessera_version + " on LibTorch " + info.torch_version + ", " +
           std::to_string(info.intra_op_threads) + " threads, " +
           (info.cuda_available ? std::to_string(info.cuda_devices.size()) + " CUDA device(s)" : std::string("CPU only"));
  }

  std::string blas_stage() {
    const RuntimeInfo info = runtime_info();
    r_.matmul_gflops = measure_matmul_gflops(1024, 3);
    std::string s = "1024x1024 float32 matrix product: " + fmt("%.1f GFLOP/s", r_.matmul_gflops) + " with " + info.blas;
    if (info.blas_is_reference) s += " -- the reference BLAS is ~40x slower; install libopenblas0-pthread";
    return s;
  }

  std::string dataset_stage() {
    const DemoSizes& z = o_.sizes;
    if (z.image_size % 8 != 0 || z.image_size < 16) throw Error("the demo's image size must be a multiple of 8, at least 16");
    split_ = demo::split_shape_prompts(o_.seed, z.held_out_fraction);
    std::mt19937_64 rng(o_.seed);
    std::vector<size_t> order;
    std::vector<demo::RenderedImage> images;
    const fs::path images_dir = dir_ / "dataset" / "images";
    tessera::remove_tree(dir_ / "dataset");
    fs::create_directories(images_dir);
    for (int i = 0; i < z.train_images; ++i) {
      if (order.empty()) {  // every training combination once per round, in a fresh order
        for (size_t k = 0; k < split_.train.size(); ++k) order.push_back(k);
        std::shuffle(order.begin(), order.end(), rng);
      }
      const demo::ShapePrompt& p = split_.train[order.back()];
      order.pop_back();
      images.push_back(demo::render_shape(p, z.image_size, o_.seed * 1000003u + static_cast<uint64_t>(i)));
      captions_.push_back(p.caption());
      char name[32];
      std::snprintf(name, sizeof(name), "%05d", i);
      image::Image im{z.image_size, z.image_size, 3, images.back().rgb};
      image::write_png((images_dir / (std::string(name) + ".png")).string(), im);
      std::ofstream((images_dir / (std::string(name) + ".txt")).string()) << captions_.back() << "\n";
      check_cancel(o_);
    }
    pixels_ = to_pixels(images);
    // The catalog a studio would curate: the same images, hashed and described.
    DatasetImportOptions io;
    io.catalog = (dir_ / "dataset" / "catalog.sqlite").string();
    io.from = images_dir.string();
    DatasetImportSummary summary;
    const Status st = import_dataset(io, [&](const DatasetImportProgress&) { return !(o_.cancelled && o_.cancelled()); }, &summary);
    if (!st.ok()) throw Error("importing the demo images into the catalog: " + st.to_string());
    std::string held;
    for (const auto& p : split_.held_out) held += (held.empty() ? "" : "; ") + p.caption();
    std::ofstream((dir_ / "dataset" / "held_out.txt").string()) << held << "\n";
    return std::to_string(z.train_images) + " images of " + std::to_string(z.image_size) + " px from " +
           std::to_string(split_.train.size()) + " combinations, " + std::to_string(summary.added + summary.replaced) +
           " in dataset/catalog.sqlite; " + std::to_string(split_.held_out.size()) + " combinations held out";
  }

  std::string tokenizer_stage() {
    ClipBpeTrainingOptions bo;
    bo.model_max_length = kMaxTokens;
    const ClipBpeVocabulary bpe = train_clip_bpe(captions_, bo);
    tokenizer_dir_ = dir_ / ".tokenizer";
    tessera::remove_tree(tokenizer_dir_);
    write_clip_tokenizer_folder(tokenizer_dir_.string(), bpe);
    tokenizer_ = std::make_unique<CLIPTokenizer>(CLIPTokenizer::from_folder(tokenizer_dir_.string()));
    size_t longest = 0;
    for (const auto& c : captions_) longest = std::max(longest, tokenizer_->tokenize(c).size());
    return std::to_string(bpe.vocab.size()) + " tokens, " + std::to_string(bpe.merges.size()) +
           " merges learnt from the captions; a caption is " + std::to_string(longest) + " tokens";
  }

  std::string vae_stage() {
    const DemoSizes& z = o_.sizes;
    torch::manual_seed(o_.seed);
    vae_config_ = vae_config_json(z.image_size, 1.0);
    vae_ = models::AutoencoderKL(models::parse_vae_config(vae_config_.dump(), "the demo's VAE config"));
    training::AutoencoderTrainingOptions ao;
    ao.steps = z.vae_steps;
    ao.batch_size = z.vae_batch;
    ao.lr = 1e-3;
    ao.seed = o_.seed;
    const int64_t every = std::max<int64_t>(1, ao.steps / 10);
    const auto t0 = Clock::now();
    ao.on_step = [&](int64_t step, int64_t steps, double loss) {
      if (step % every == 0 && step < steps) {
        const double el = std::chrono::duration<double>(Clock::now() - t0).count();
        log("step " + std::to_string(step) + "/" + std::to_string(steps) + ", loss " + fmt("%.4f", loss) + ", " +
            duration_text(el * static_cast<double>(steps - step) / static_cast<double>(step)) + " left");
      }
      return !(o_.cancelled && o_.cancelled());
    };
    const training::AutoencoderTrainingResult res = training::train_autoencoder(vae_, pixels_, ao);
    check_cancel(o_);
    const torch::Tensor means = training::encode_latent_means(vae_, pixels_);
    scale_ = 1.0 / means.std().item<double>();
    vae_config_["scaling_factor"] = scale_;
    latents_ = means * scale_;
    return "AutoencoderKL (32, 64, 64), " + std::to_string(res.steps) + " steps: reconstruction " +
           fmt("%.1f dB PSNR", res.psnr) + "; latents " + std::to_string(latents_.size(1)) + "x" +
           std::to_string(latents_.size(2)) + "x" + std::to_string(latents_.size(3)) + ", scaling factor " +
           fmt("%.4f", scale_);
  }

  // The run config of the UNet stage: an ordinary `tessera train` config, saved in run/config.yaml.
  training::RunConfig run_config() const {
    const DemoSizes& z = o_.sizes;
    training::RunConfig c;
    c.name = "demo";
    c.seed = static_cast<int64_t>(o_.seed);
    c.image_size = z.image_size;
    c.batch_size = z.unet_batch;
    c.model.unet_config = unet_config_json(z.image_size / static_cast<int>(vae_->config().spatial_factor()));
    c.model.pretrained_components = (dir_ / "components").string();
    c.model.precomputed_latents = true;
    c.model.latents_are_scaled = true;
    c.model.latent_scale = scale_;
    c.model.train_text_encoder = true;
    c.model.prediction_type = "v_prediction";
    c.model.zero_terminal_snr = true;
    c.model.min_snr_gamma = 5.0;
    c.dataset.kind = "latents_safetensors";
    c.dataset.path = (dir_ / "dataset" / "latents.safetensors").string();
    c.dataset.caption_drop_prob = 0.1;
    c.optimizer.lr = z.unet_lr;
    c.optimizer.weight_decay = 0.01;
    c.scheduler.name = "cosine_with_warmup";
    c.scheduler.t_warmup = std::min<int64_t>(50, z.unet_steps / 10 + 1);
    c.scheduler.alpha_f = 0.1;
    c.ema.enabled = true;
    c.ema.smoothing = 0.995;
    c.ema.start = z.unet_steps / 5;
    c.trainer.max_duration = z.unet_steps;
    c.trainer.device_train_microbatch_size = z.unet_batch;
    c.trainer.grad_clip_norm = 1.0;
    c.trainer.save_interval = std::max(1, z.unet_steps / 4);
    c.trainer.save_num_checkpoints_to_keep = 2;
    c.trainer.log_interval = 10;
    c.trainer.device = "cpu";
    return c;
  }

  std::string train_stage() {
    // The starting pipeline: the trained VAE, the learnt tokenizer, a freshly initialised text
    // encoder and UNet. Training reads its text encoder and tokenizer from here.
    const fs::path components = dir_ / "components";
    training::RunConfig config = run_config();
    const json te_config = text_encoder_config_json(static_cast<int64_t>(tokenizer_->vocab_size()), tokenizer_->bos_id(),
                                                    tokenizer_->eos_id());
    torch::manual_seed(o_.seed + 1);
    models::CLIPTextModel text(models::parse_clip_text_config(te_config.dump(), "the demo's text encoder config"));
    text->init_weights();
    models::UNet2DConditionModel unet = training::make_unet(config);
    io::DiffusersComponents parts;
    parts.unet = unet.get();
    parts.unet_config = config.model.unet_config;
    parts.vae = vae_.get();
    parts.vae_config = vae_config_;
    parts.text_encoder = text.get();
    parts.text_encoder_config = te_config;
    parts.tokenizer_dir = tokenizer_dir_.string();
    parts.scheduler_config = training::generation_scheduler_config(config);
    io::DiffusersSaveOptions so;
    so.overwrite = true;
    io::save_diffusers_folder(components.string(), parts, so);
    tessera::remove_tree(tokenizer_dir_);

    // The training set: scaled latents and the captions' token ids.
    std::vector<int64_t> ids;
    for (const auto& c : captions_) {
      const auto enc = tokenizer_->encode_padded(c, kMaxTokens);
      ids.insert(ids.end(), enc.input_ids.begin(), enc.input_ids.end());
    }
    const torch::Tensor input_ids = torch::tensor(ids, torch::kInt64).view({static_cast<int64_t>(captions_.size()), kMaxTokens});
    io::save_safetensors(config.dataset.path, {{"latents", latents_.contiguous()}, {"input_ids", input_ids}}, {{"format", "pt"}});

    const fs::path run_dir = dir_ / "run";
    tessera::remove_tree(run_dir);
    training::TrainerOptions to;
    to.run_dir = run_dir.string();
    to.resume = "never";
    const int64_t every = std::max<int64_t>(1, config.trainer.max_duration / 20);
    const auto t0 = Clock::now();
    double loss_avg = -1;
    to.on_step = [&](const training::StepReport& s) {
      loss_avg = loss_avg < 0 ? s.loss : 0.95 * loss_avg + 0.05 * s.loss;
      if (s.step % every == 0 && s.step < s.max_steps) {
        const double el = std::chrono::duration<double>(Clock::now() - t0).count();
        log("step " + std::to_string(s.step) + "/" + std::to_string(s.max_steps) + ", loss " + fmt("%.4f", loss_avg) +
            ", " + fmt("%.0f images/s", s.images_per_s) + ", " +
            duration_text(el * static_cast<double>(s.max_steps - s.step) / static_cast<double>(s.step)) + " left");
      }
      return !(o_.cancelled && o_.cancelled());
    };
    training::Trainer trainer(config, std::move(to));
    trainer.run();
    check_cancel(o_);
    int64_t params = 0;
    for (const auto& p : trainer.unet()->parameters()) params += p.numel();
    return "UNet (" + fmt("%.2fM", params / 1e6) + " parameters) and text encoder, " + std::to_string(trainer.step()) +
           " steps of " + std::to_string(config.batch_size) + " (" + fmt("%.0f", trainer.step() * double(config.batch_size) / captions_.size()) +
           " epochs), final loss " + fmt("%.4f", loss_avg) + "; run/metrics.jsonl";
  }

  std::string export_stage() {
    const auto found = training::list_checkpoints((dir_ / "run").string());
    if (found.empty()) throw Error("the training run left no checkpoint in " + (dir_ / "run").string());
    ExportOptions eo;
    eo.checkpoint_dir = found.back();
    eo.out_dir = (dir_ / "model").string();
    eo.ema = true;
    eo.overwrite = true;
    if (const Status s = export_checkpoint(eo); !s.ok()) throw Error("export: " + s.to_string());
    r_.model_dir = eo.out_dir;
    return "EMA weights of " + fs::path(found.back()).filename().string() + " -> " + eo.out_dir +
           " (a diffusers folder: tessera generate --model " + eo.out_dir + ")";
  }

  std::string generate_stage() {
    std::unique_ptr<ImageGenerator> generator;
    if (const Status s = ImageGenerator::open(r_.model_dir, &generator); !s.ok()) throw Error("loading the model: " + s.to_string());
    GenerateOptions g;
    for (const auto& p : split_.held_out) g.prompts.push_back(p.caption());
    g.steps = o_.sizes.sample_steps;
    g.guidance = o_.sizes.guidance;
    g.batch = o_.sizes.seeds_per_prompt;
    g.seed = o_.sizes.sample_seed;
    g.out_dir = (dir_ / "samples").string();
    tessera::remove_tree(g.out_dir);
    const Status s = generator->generate(g, [&](const GenerateProgress&) { return !(o_.cancelled && o_.cancelled()); }, &images_);
    check_cancel(o_);
    if (!s.ok()) throw Error("generating: " + s.to_string());
    return std::to_string(images_.size()) + " images for " + std::to_string(g.prompts.size()) +
           " held-out captions (" + std::to_string(g.steps) + " steps, guidance " + fmt("%.1f", g.guidance) + ") in samples/";
  }

  std::string evaluate_stage() {
    // The grid: prompts side by side, 7 to a band, each prompt's seeds one under the other.
    const int size = o_.sizes.image_size;
    const int cell = size * 4 + 4;  // nearest-neighbour x4 and a 4-pixel gutter
    const int seeds = o_.sizes.seeds_per_prompt;
    const int prompts = static_cast<int>(split_.held_out.size());
    const int per_band = std::min(prompts, 7);
    const int bands = (prompts + per_band - 1) / per_band;
    image::Image grid{per_band * cell + 4, bands * (seeds * cell + 8) + 4, 3, {}};
    grid.pixels.assign(static_cast<size_t>(grid.width) * grid.height * 3, 128);
    json items = json::array();
    int colour = 0, background = 0, shape = 0;
    std::string grid_text;
    for (size_t k = 0; k < images_.size(); ++k) {
      const GeneratedImage& g = images_[k];
      const int prompt = static_cast<int>(k) / seeds;
      const int band = prompt / per_band, column = prompt % per_band;
      const int top = band * (seeds * cell + 8) + g.index * cell, left = column * cell;
      const demo::ShapePrompt& p = split_.held_out[static_cast<size_t>(prompt)];
      const image::Image im = image::read_png(g.path);
      if (im.width != size || im.height != size || im.channels != 3) throw Error(g.path + " is not a " + std::to_string(size) + " px RGB image");
      const demo::ShapeJudgement j = demo::judge_shape_image(im.pixels.data(), size, p);
      colour += j.colour_right, background += j.background_right, shape += j.shape_right;
      items.push_back({{"image", fs::relative(g.path, dir_).string()}, {"prompt", p.caption()}, {"seed", g.seed},
                       {"colour", demo::palette()[static_cast<size_t>(j.colour)].name},
                       {"background", demo::palette()[static_cast<size_t>(j.background)].name},
                       {"shape", demo::shape_name(j.shape)}, {"fill", j.fill}, {"colour_right", j.colour_right},
                       {"background_right", j.background_right}, {"shape_right", j.shape_right}});
      for (int y = 0; y < size * 4; ++y)
        for (int x = 0; x < size * 4; ++x)
          for (int c = 0; c < 3; ++c)
            grid.pixels[(static_cast<size_t>(top + 4 + y) * grid.width + left + 4 + x) * 3 + c] =
                im.pixels[(static_cast<size_t>(y / 4) * size + x / 4) * 3 + c];
      if (g.index == 0) {
        grid_text += "band " + std::to_string(band + 1) + ", column " + std::to_string(column + 1) + ": " + p.caption() + "\n";
      }
    }
    const int n = static_cast<int>(images_.size());
    r_.judged_images = n;
    r_.colour_accuracy = n ? double(colour) / n : 0;
    r_.background_accuracy = n ? double(background) / n : 0;
    r_.shape_accuracy = n ? double(shape) / n : 0;
    r_.grid_png = (dir_ / "grid.png").string();
    image::write_png(r_.grid_png, grid, {{"Description", grid_text}});
    std::ofstream((dir_ / "grid.txt").string()) << grid_text;
    const json evaluation = {{"held_out_prompts", prompts}, {"images", n}, {"colour_accuracy", r_.colour_accuracy},
                             {"background_accuracy", r_.background_accuracy}, {"shape_accuracy", r_.shape_accuracy},
                             {"judgements", items}};
    std::ofstream((dir_ / "evaluation.json").string()) << evaluation.dump(2) << "\n";
    return "held-out prompts followed: object colour " + fmt("%.0f%%", 100 * r_.colour_accuracy) + ", background " +
           fmt("%.0f%%", 100 * r_.background_accuracy) + ", shape " + fmt("%.0f%%", 100 * r_.shape_accuracy) + " of " +
           std::to_string(n) + " images; grid.png (captions in grid.txt), evaluation.json";
  }

  const DemoOptions& o_;
  DemoReport& r_;
  fs::path dir_;
  std::string current_;
  demo::ShapeSplit split_;
  std::vector<std::string> captions_;
  torch::Tensor pixels_, latents_;
  fs::path tokenizer_dir_;
  std::unique_ptr<CLIPTokenizer> tokenizer_;
  json vae_config_;
  models::AutoencoderKL vae_{nullptr};
  double scale_ = 1.0;
  std::vector<GeneratedImage> images_;
};

}  // namespace

double measure_matmul_gflops(int n, int repeats) {
  torch::NoGradGuard no_grad;
  auto gen = at::detail::createCPUGenerator(1);
  auto a = torch::randn({n, n}, gen, torch::kFloat32);
  auto b = torch::randn({n, n}, gen, torch::kFloat32);
  auto c = torch::matmul(a, b);  // warm-up: thread pool start, page faults
  double best = 1e30;
  for (int i = 0; i < std::max(1, repeats); ++i) {
    const auto t0 = Clock::now();
    c = torch::matmul(a, b);
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
  }
  return 2.0 * n * static_cast<double>(n) * n / best / 1e9;
}

Status run_demo(const DemoOptions& options, DemoReport* report) {
  return guarded([&] {
    if (options.work_dir.empty()) throw Error("the demo needs a folder to work in", "pass --out DIR");
    std::error_code ec;
    fs::create_directories(options.work_dir, ec);
    if (ec) throw Error("cannot create demo folder " + options.work_dir + ": " + ec.message());
    DemoReport r;
    DemoRun run(options, &r);
    run.run();
    if (report != nullptr) *report = std::move(r);
  });
}

}  // namespace tessera
