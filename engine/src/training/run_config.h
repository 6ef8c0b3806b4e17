#pragma once
// The training run configuration: one plain struct with defaults in code, read from YAML with
// every key checked (an unknown key, a wrong type or an out-of-range value is a tessera::Error
// naming the key and its line), and written back resolved to RUN_DIR/config.yaml and into every
// checkpoint. Key names follow mosaicml/diffusion's yamls where the concept is the same
// (batch_size, max_duration "550000ba", device_train_microbatch_size, caption_drop_prob,
// t_warmup, save_interval, ...). Internal header (no torch).

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace tessera::training {

struct ModelSection {
  // What the run trains: unet (the diffusion model, with latents and text states) or vae (an
  // AutoencoderKL on images: reconstruction and KL losses, so a studio can own every weight).
  std::string trains = "unet";
  // trains: vae: the AutoencoderKL architecture as a diffusers vae/config.json (inline, or the path
  // of a config.json / a vae folder / a diffusers folder). When absent, init_from's and then
  // pretrained_components' vae config is used. Stored resolved.
  nlohmann::json vae_config;
  double kl_weight = 1.0e-6;  // trains: vae: weight of the posterior's KL divergence from N(0, I)
  // The UNet architecture as a diffusers unet/config.json (given inline as a mapping, or as the
  // path of a config.json / a unet folder / a diffusers folder; stored resolved).
  nlohmann::json unet_config;
  // Weights to start from: a diffusers folder (unet/ inside), a unet folder, or a Tessera
  // checkpoint folder (checkpoints/step-N). Empty: from scratch.
  std::string init_from;
  // A diffusers folder whose vae/, text_encoder/ and tokenizer/ are used frozen: to encode pixels
  // and captions on the fly, for the empty-prompt embedding of caption dropout, and for samples.
  std::string pretrained_components;
  bool precomputed_latents = true;   // the dataset holds VAE latents + text hidden states
  // Train the text encoder of pretrained_components together with the UNet (it starts from the
  // weights there). The dataset then gives token ids (input_ids), not text hidden states, and
  // checkpoints and exports carry the trained text encoder.
  bool train_text_encoder = false;
  // Precision of the frozen VAE and text encoder that encode images and captions on the fly:
  // fp32, bf16 or fp16 (fp16 needs CUDA). Their outputs are handed to the UNet in fp32.
  std::string frozen_precision = "fp32";
  double latent_scale = 0.18215;     // applied exactly once, to unscaled VAE latents
  bool latents_are_scaled = true;    // precomputed latents already carry latent_scale
  std::string prediction_type = "epsilon";  // epsilon | v_prediction | sample
  double offset_noise = 0.0;         // noise += offset_noise * randn(B, C, 1, 1)
  bool zero_terminal_snr = false;    // rescale betas to zero terminal SNR
  double min_snr_gamma = 0.0;        // > 0: min-SNR-gamma loss weighting
  int64_t num_train_timesteps = 1000;
  double beta_start = 0.00085;
  double beta_end = 0.012;
  std::string beta_schedule = "scaled_linear";  // linear | scaled_linear | squaredcos_cap_v2
};

struct DatasetSection {
  // latents_safetensors: one .safetensors file with "latents" [N, C, h, w] and
  //   "encoder_hidden_states" [N, T, D] (float16/32), or "input_ids" [N, T] (int64/32) for a
  //   text encoder trained with the UNet (model.train_text_encoder);
  // synthetic_latents: deterministic random latents and text states (benchmarks, smoke tests);
  // mds_latents: MDS latent shards with ndarray columns "latents" [C, h, w] and
  //   "encoder_hidden_states" [T, D] (float16/32), in mosaicml-streaming's shuffled order;
  // mds_images: MDS image shards as `tessera shards write` makes them (columns "image" and
  //   "caption"), decoded, centre-cropped and resized to image_size; captions tokenized with the
  //   tokenizer of model.pretrained_components (a VAE run needs none). For model.trains: vae, and
  //   for a UNet with model.precomputed_latents: false.
  std::string kind = "latents_safetensors";
  std::string path;
  double caption_drop_prob = 0.1;
  bool shuffle = true;
  int64_t shuffle_seed = 9176;
  // synthetic_latents only
  int64_t synthetic_samples = 64;
  int64_t latent_channels = 4;
  int64_t latent_size = 8;
  int64_t text_tokens = 77;
  int64_t text_dim = 1024;
};

struct OptimizerSection {
  std::string name = "adamw";
  double lr = 1.0e-4;
  double weight_decay = 0.01;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1.0e-8;
  // flat: one buffer for all parameters and one for their gradients; foreach: per-tensor lists;
  // in_backward: flat parameters, each updated during the backward pass as soon as its gradient
  // is ready, so the whole model's gradient never exists at once (memory: weights + 2 moments
  // instead of + 3); needs no clipping, one rank and no gradient accumulation.
  std::string implementation = "flat";
};

struct SchedulerSection {
  std::string name = "linear_warmup_constant";  // linear_warmup_constant | cosine_with_warmup
  int64_t t_warmup = 0;                         // batches
  double alpha_f = 0.0;                         // cosine: final lr = alpha_f * lr
};

struct EMASection {
  bool enabled = false;
  double smoothing = 0.9999;
  int64_t start = 0;  // first batch (step) that updates the EMA; before it the EMA copies the weights
};

struct TrainerSection {
  int64_t max_duration = 1000;             // batches (global optimizer steps)
  int64_t device_train_microbatch_size = 16;
  double grad_clip_norm = 0.0;             // 0: no clipping
  std::string precision = "fp32";          // fp32 | amp_bf16 | amp_fp16 (CUDA only)
  // Dynamic loss scaling (LossScaler): auto = on for amp_fp16 only; dynamic = also for fp32 or
  // bf16 (exact with powers of two; tests use it on the CPU); none = off.
  std::string loss_scaling = "auto";
  double loss_scale_init = 65536.0;
  int64_t loss_scale_growth_interval = 2000;
  bool gradient_checkpointing = false;          // recompute the UNet blocks' activations in backward
  bool channels_last = true;               // CUDA: UNet activations NHWC (cuDNN's fast layout); CPU: ignored
  // CUDA: the UNet's forward and backward passes captured once in a CUDA graph and replayed each
  // step (training/step_graph.h); UNet runs without loss scaling or in_backward. With several
  // ranks the gradients are then averaged after the passes (no overlap with backward).
  bool cuda_graph = false;
  int64_t save_interval = 10000;           // batches; 0: only at the end
  int64_t save_num_checkpoints_to_keep = 3;
  int64_t log_interval = 1;
  std::string nan_policy = "stop";         // stop | rollback
  double watchdog_timeout = 0.0;           // seconds without a finished step; 0: off
  std::string device = "auto";             // auto | cpu | cuda
  int64_t bucket_cap_mb = 25;              // gradient allreduce bucket size
  double dist_timeout = 300.0;             // seconds
};

struct SamplingSection {
  int64_t interval = 0;  // batches; 0: no samples
  std::vector<std::string> prompts;
  int64_t steps = 25;
  double guidance = 7.5;
  int64_t seed = 1;
  std::string sampler = "ddim";
};

struct RunConfig {
  std::string name = "run";
  int64_t seed = 17;
  int64_t image_size = 256;
  int64_t batch_size = 2048;  // global batch: microbatch x accumulation x world size
  ModelSection model;
  DatasetSection dataset;
  OptimizerSection optimizer;
  SchedulerSection scheduler;
  EMASection ema;
  TrainerSection trainer;
  SamplingSection sampling;

  // Gradient accumulation steps for `world_size` ranks; throws tessera::Error when the global
  // batch does not divide into microbatch x world_size.
  int64_t accumulation_steps(int64_t world_size) const;
  // Whether the run scales its loss dynamically (trainer.loss_scaling resolved).
  bool uses_loss_scaling() const;
};

// Parses YAML text. `what` names the source in messages ("config.yaml"). Relative paths in the
// config are resolved against `base_dir` (the config file's folder) when it is not empty.
RunConfig parse_run_config(const std::string& yaml_text, const std::string& what = "config.yaml",
                           const std::string& base_dir = {});
RunConfig load_run_config(const std::string& path);

// The resolved config as YAML (every key, defaults filled in); parse_run_config of it gives the
// same config back.
std::string to_yaml(const RunConfig& config);

// Learning rate at optimizer step `step` (0-based) for `config`.
double learning_rate_at(const RunConfig& config, int64_t step);

// Why trainer.cuda_graph cannot replay the steps `c` describes ("" when it can), and what to do.
std::string cuda_graph_obstacle(const RunConfig& c);
std::string cuda_graph_hint();

}  // namespace tessera::training
