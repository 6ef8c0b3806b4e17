#include "training/trainer.h"

#include "core/autocast_scope.h"
#include "training/autoencoder_training.h"
#include "training/loss_scaler.h"

#include "core/atomic_file.h"
#include "core/env.h"
#include "io/diffusers_folder.h"
#include "io/safetensors.h"
#include "io/state_dict.h"
#include "models/autoencoder_kl.h"
#include "models/clip_text_model.h"
#include "tessera/error.h"
#include "tessera/runtime.h"
#include "text/clip_tokenizer.h"
#include "training/checkpoint.h"
#include "training/diffusion_objective.h"
#include "training/distributed.h"
#include "training/metrics_log.h"
#include "training/host_to_device.h"
#include "training/microbatch.h"
#include "training/parameter_updates.h"
#include "training/sample_images.h"
#include "training/step_graph.h"
#include "training/step_phase.h"
#include "training/watchdog.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/autocast_mode.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <limits>
#include <map>
#include <optional>

namespace tessera::training {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

struct FrozenComponents {
  std::unique_ptr<CLIPTokenizer> tokenizer;
  models::CLIPTextModel text_encoder{nullptr};
  models::AutoencoderKL vae{nullptr};
};

torch::Device pick_device(const RunConfig& c, int local_rank) {
  const bool cuda = torch::cuda::is_available();
  if (c.trainer.device == "cuda" && !cuda) throw Error("trainer.device is cuda but no CUDA device is available", "set trainer.device: cpu");
  if (c.trainer.device == "cpu" || !cuda) return torch::Device(torch::kCPU);
  const int count = static_cast<int>(torch::cuda::device_count());
  return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(local_rank % std::max(count, 1)));
}

}  // namespace

struct Trainer::Impl {
  RunConfig config;
  TrainerOptions options;
  DistributedEnv env;
  torch::Device device{torch::kCPU};
  std::unique_ptr<Distributed> dist;
  std::unique_ptr<MetricsLog> metrics;
  std::unique_ptr<DataSource> owned_data;
  DataSource* data = nullptr;
  bool trains_vae = false;                 // model.trains: vae — the run trains `vae`, not `unet`
  models::UNet2DConditionModel unet{nullptr};
  models::AutoencoderKL vae{nullptr};
  torch::nn::Module& model() { return trains_vae ? static_cast<torch::nn::Module&>(*vae) : *unet; }
  c10::ScalarType frozen_dtype = torch::kFloat32;  // model.frozen_precision
  std::unique_ptr<DiffusionObjective> objective;
  FrozenComponents frozen;    // the text encoder is trained (not frozen) with model.train_text_encoder
  bool train_text = false;
  torch::Tensor empty_text;  // [T, D] caption-dropout replacement
  torch::Tensor empty_ids;   // [T] the empty prompt's token ids (caption dropout of a trained text encoder)

  std::vector<std::string> names;        // trainable parameters, in registration order
  std::vector<torch::Tensor> params;     // the parameters themselves
  std::unique_ptr<FlatParameters> flat;  // optimizer.implementation: flat or in_backward
  // optimizer.implementation: in_backward — parameters updated by their gradient hooks.
  bool in_backward = false;
  bool backward_updates = false;    // true only inside a training step's backward pass
  double backward_lr = 0;
  torch::Tensor backward_grad_sq;   // sum of the squared gradients seen in this backward
  std::vector<size_t> backward_done;  // parameters updated whose .grad is still to be released
  std::vector<torch::Tensor> opt_params, opt_grads;
  std::unique_ptr<AdamW> adamw;
  std::unique_ptr<EMA> ema;
  std::unique_ptr<LossScaler> scaler;  // dynamic loss scaling (amp_fp16, or trainer.loss_scaling: dynamic)
  std::unique_ptr<StepGraph> step_graph;  // trainer.cuda_graph
  TrainState state;
  int64_t last_saved_step = -1;
  int64_t rollbacks = 0;
  bool failed = false;  // run() threw: the weights may hold the failed step's update

  Watchdog watchdog;

  bool main() const { return env.rank == 0; }
  void beat() { watchdog.beat(); }

  void setup();
  void setup_optimizer();
  void restore(const CheckpointContents& c, bool keep_skipped);
  void save_checkpoint();
  void start_watchdog();
  void stop_watchdog() { watchdog.stop(); }
  torch::Tensor gather_grads_list();
  void update_in_backward(size_t index, const torch::Tensor& grad);
  std::unique_ptr<LossScaler> make_loss_scaler() const {
    LossScalerOptions o;
    o.init_scale = config.trainer.loss_scale_init;
    o.growth_interval = config.trainer.loss_scale_growth_interval;
    return std::make_unique<LossScaler>(o);
  }
  void release_backward_grads();
  // The batch's clean latents (scaled), and its text states with the captions `drop` marks
  // replaced by the empty prompt (a trained text encoder's states carry gradients). Both only
  // queue work on the device: the host does not wait for it.
  torch::Tensor prepare_latents(const TrainingBatch& batch, const std::vector<int64_t>& positions);
  torch::Tensor prepare_text(const TrainingBatch& batch, const torch::Tensor& drop);
  // Per-sample losses [B] of one microbatch, with the forward pass (under autocast when `amp`).
  torch::Tensor microbatch_losses(const HostMicrobatch& m, bool amp, c10::ScalarType amp_dtype);
  // A UNet microbatch's inputs on the device (queued: the host does not wait), and its losses.
  StepInputs microbatch_inputs(const HostMicrobatch& m);
  torch::Tensor unet_losses(const StepInputs& in, bool amp, c10::ScalarType amp_dtype);
  void setup_step_graph();
  // trainer.cuda_graph: the staged microbatches' passes; the sum of their per-sample losses.
  torch::Tensor run_step_graph();
  MicrobatchReading reading() const;
  // The first stream position at or after `position` that is not in a skipped range.
  int64_t first_unskipped(int64_t position) const;
  NamedTensors text_encoder_state() const;
  void write_samples();
  void run();
};

void Trainer::Impl::setup() {
  env = DistributedEnv::from_environment();
  device = pick_device(config, env.local_rank);
  if (config.trainer.precision != "fp32") {
    if (!device.is_cuda()) {
      throw Error("trainer.precision " + config.trainer.precision + " needs a CUDA device", "use precision: fp32 on the CPU");
    }
  }
  trains_vae = config.model.trains == "vae";
  frozen_dtype = config.model.frozen_precision == "bf16"   ? torch::kBFloat16
                 : config.model.frozen_precision == "fp16" ? torch::kHalf
                                                           : torch::kFloat32;
  if (frozen_dtype == torch::kHalf && !device.is_cuda()) {
    throw Error("model.frozen_precision fp16 needs a CUDA device", "use frozen_precision: bf16 or fp32 on the CPU");
  }
  const int64_t accumulation = config.accumulation_steps(env.world_size);
  in_backward = config.optimizer.implementation == "in_backward";
  if (in_backward && (env.world_size != 1 || env.group_for_one_rank || accumulation != 1)) {
    throw Error("optimizer.implementation in_backward needs one rank and no gradient accumulation (here " +
                    std::to_string(env.world_size) + " rank(s)" +
                    (env.group_for_one_rank ? " in a process group (TESSERA_PROCESS_GROUP_FOR_ONE_RANK=1)" : "") + ", " +
                    std::to_string(accumulation) + " accumulation step(s))",
                "set trainer.device_train_microbatch_size to batch_size on a single rank, or use implementation: flat");
  }
  dist = std::make_unique<Distributed>(env, device,
                                       std::chrono::milliseconds(static_cast<int64_t>(config.trainer.dist_timeout * 1000)));
  const fs::path run_dir(options.run_dir);
  if (main()) {
    fs::create_directories(run_dir);
    remove_partial_checkpoints(options.run_dir);
    const std::string yaml = to_yaml(config);
    write_file_atomically((run_dir / "config.yaml").string(), yaml.data(), yaml.size());
  }
  metrics = std::make_unique<MetricsLog>(main() ? (run_dir / "metrics.jsonl").string() : std::string());

  if (options.data != nullptr) {
    data = options.data;
  } else {
    owned_data = make_data_source(config);
    data = owned_data.get();
  }

  if (trains_vae) {
    vae = make_vae(config);
    if (!config.model.init_from.empty()) load_initial_vae_weights(vae, config.model.init_from);
    vae->to(device);
    vae->train();
    setup_optimizer();
    return;
  }
  if (!config.model.pretrained_components.empty()) {
    const io::DiffusersFolder parts = io::open_diffusers_folder(config.model.pretrained_components);
    frozen.tokenizer = std::make_unique<CLIPTokenizer>(CLIPTokenizer::from_folder(parts.tokenizer_dir()));
    frozen.text_encoder = models::load_clip_text_model(parts.text_encoder_dir());
    train_text = config.model.train_text_encoder;
    if (train_text) {
      frozen.text_encoder->to(device);
      frozen.text_encoder->train();
    } else {
      frozen.text_encoder->to(device, frozen_dtype);
      frozen.text_encoder->eval();
    }
    if (!config.model.precomputed_latents) {
      frozen.vae = models::load_vae(parts.vae_dir());
      frozen.vae->to(device, frozen_dtype);
      frozen.vae->eval();
    }
    torch::NoGradGuard no_grad;
    const auto enc = frozen.tokenizer->encode_padded("", frozen.tokenizer->model_max_length());
    empty_ids = torch::tensor(enc.input_ids, torch::kInt64).to(device);
    empty_text = frozen.text_encoder->encode(empty_ids.unsqueeze(0))[0].to(torch::kFloat32);
  }

  unet = make_unet(config);
  if (!config.model.init_from.empty()) load_initial_weights(unet, config.model.init_from);
  unet->to(device);
  unet->train();
  unet->set_gradient_checkpointing(config.trainer.gradient_checkpointing);
  if (device.is_cuda()) {
    // The CPU keeps NCHW: its tuned paths were measured that way.
    unet->set_channels_last_activations(config.trainer.channels_last);
    // Shapes repeat every step: let cuDNN pick. TESSERA_CUDNN_BENCHMARK=0 keeps its heuristics
    // (a diagnosis knob: scripts/gpu-check.sh tries it when the step fails).
    at::globalContext().setBenchmarkCuDNN(!env_is("TESSERA_CUDNN_BENCHMARK", "0"));
  }
  objective = std::make_unique<DiffusionObjective>(config.model);
  objective->to(device);
  setup_optimizer();
  setup_step_graph();
}

void Trainer::Impl::setup_optimizer() {
  // A trained text encoder's parameters come first: backward reaches them last, and gradient
  // buckets (built from the last parameters on) start in order, so that the UNet's buckets are not
  // held back until the end of backward.
  std::vector<std::pair<std::string, torch::Tensor>> named;
  if (train_text) {
    for (auto& kv : frozen.text_encoder->named_parameters(true)) {
      if (kv.value().requires_grad()) named.emplace_back("text_encoder." + kv.key(), kv.value());
    }
  }
  for (auto& kv : model().named_parameters(true)) {
    if (kv.value().requires_grad()) named.emplace_back(kv.key(), kv.value());
  }
  for (const auto& [k, v] : named) names.push_back(k), params.push_back(v);
  const OptimizerSection& o = config.optimizer;
  const AdamWOptions ao{o.beta1, o.beta2, o.eps, o.weight_decay};
  // Moving the parameters into flat buffers frees their first copies, and the CLI's allocator
  // keeps freed memory: hand that back before the optimizer's moments are allocated, or the peak
  // carries a dead copy of the model.
  struct ReleaseAfter {
    ~ReleaseAfter() { (void)release_free_memory(); }
  };
  if (in_backward) {
    ReleaseAfter release;
    flat = std::make_unique<FlatParameters>(named, /*gradient_buffer=*/false);
    opt_params = {flat->values()};
    for (size_t i = 0; i < params.size(); ++i) {
      params[i].register_hook([this, i](torch::Tensor grad) { update_in_backward(i, grad); });
    }
  } else if (o.implementation == "flat") {
    ReleaseAfter release;
    flat = std::make_unique<FlatParameters>(named);
    opt_params = {flat->values()};
    opt_grads = {flat->grads()};
  } else {
    torch::NoGradGuard no_grad;
    for (auto& p : params) {
      p.mutable_grad() = torch::zeros_like(p);
      opt_grads.push_back(p.grad());
    }
    opt_params = params;
  }
  adamw = std::make_unique<AdamW>(opt_params, ao);
  if (config.ema.enabled) ema = std::make_unique<EMA>(config.ema.smoothing, config.ema.start);
  if (config.uses_loss_scaling()) scaler = make_loss_scaler();
}

// Runs as a gradient hook, just before autograd stores the gradient of parameter `index` (the
// sum of all its contributions): applies AdamW to the parameter's slice of the flat buffers and
// releases the gradients of the parameters updated before it, whose accumulation has finished,
// so at most a couple of parameter gradients are alive at any moment. Every node that reads the
// parameter has run by then (it produced this gradient), so the in-place update is safe; were it
// not, autograd's version check would raise an error rather than compute wrongly.
void Trainer::Impl::update_in_backward(size_t index, const torch::Tensor& grad) {
  if (!backward_updates) return;
  torch::NoGradGuard no_grad;
  release_backward_grads();
  // The norm reduces in place (no gradient-sized temporary); squares summed in fp64.
  const torch::Tensor sq = grad.detach().norm(2).to(torch::kFloat64).square();
  backward_grad_sq = backward_grad_sq.defined() ? backward_grad_sq + sq : sq;
  adamw->update_part(0, flat->offset(index), grad.detach(), backward_lr);
  backward_done.push_back(index);
}

void Trainer::Impl::release_backward_grads() {
  for (size_t k : backward_done) params[k].mutable_grad().reset();
  backward_done.clear();
}

void Trainer::Impl::restore(const CheckpointContents& c, bool keep_skipped) {
  if (trains_vae) {
    copy_into_module(c.vae, *vae, "checkpoint vae.safetensors");
  } else {
    copy_into_module(c.unet, *unet, "checkpoint unet.safetensors");
  }
  if (train_text) copy_into_module(c.text_encoder, *frozen.text_encoder, "checkpoint text_encoder.safetensors");
  copy_named(c.exp_avg, names, split_like(adamw->exp_avg(), params), "checkpoint optimizer.safetensors");
  copy_named(c.exp_avg_sq, names, split_like(adamw->exp_avg_sq(), params), "checkpoint optimizer.safetensors");
  adamw->set_step_count(c.optimizer_steps);
  if (ema) {
    ema = std::make_unique<EMA>(config.ema.smoothing, config.ema.start);
    if (!c.ema.empty()) {
      ema->update(opt_params, std::numeric_limits<int64_t>::max());  // allocate the shadow
      copy_named(c.ema, names, split_like(ema->shadow(), params), "checkpoint ema.safetensors");
    }
  }
  const auto skipped = state.skipped;
  state = c.state;
  if (scaler) {
    if (state.loss_scale > 0) {
      scaler->restore(state.loss_scale, state.loss_scale_good_steps);
    } else {
      scaler = make_loss_scaler();  // a checkpoint from before loss scaling: start afresh
    }
  }
  if (keep_skipped) {
    for (const auto& r : skipped)
      if (std::find(state.skipped.begin(), state.skipped.end(), r) == state.skipped.end()) state.skipped.push_back(r);
  }
  last_saved_step = state.step;
}

void Trainer::Impl::save_checkpoint() {
  if (main()) {
    CheckpointContents c;
    c.state = state;
    c.state.world_size = env.world_size;
    c.state.loss_scale = scaler ? scaler->scale() : 0.0;
    c.state.loss_scale_good_steps = scaler ? scaler->good_steps() : 0;
    if (trains_vae) {
      c.vae = module_state(*vae);
      c.vae_config = config.model.vae_config;
    } else {
      c.unet = module_state(*unet);
      c.unet_config = config.model.unet_config;
    }
    c.text_encoder = text_encoder_state();
    c.exp_avg = name_like(names, split_like(adamw->exp_avg(), params));
    c.exp_avg_sq = name_like(names, split_like(adamw->exp_avg_sq(), params));
    c.optimizer_steps = adamw->step_count();
    if (ema && ema->initialized()) c.ema = name_like(names, split_like(ema->shadow(), params));
    c.config_yaml = to_yaml(config);
    const std::string dir = write_checkpoint(options.run_dir, c, config.trainer.save_num_checkpoints_to_keep);
    metrics->event("checkpoint", {{"step", state.step}, {"path", dir}});
  }
  dist->barrier();
  last_saved_step = state.step;
  beat();
}

void Trainer::Impl::start_watchdog() {
  watchdog.start(config.trainer.watchdog_timeout, [this](double idle) {
    metrics->event("watchdog", {{"step", state.step}, {"idle_s", idle}, {"timeout_s", config.trainer.watchdog_timeout},
                                {"rank", env.rank}});
    std::fprintf(stderr, "tessera: watchdog: no training step finished for %.0f s; exiting so the run can be restarted\n", idle);
    std::fflush(stderr);
    std::_Exit(options.watchdog_exit_code);
  });
}

NamedTensors Trainer::Impl::text_encoder_state() const {
  return train_text ? module_state(*frozen.text_encoder) : NamedTensors{};
}

torch::Tensor Trainer::Impl::prepare_text(const TrainingBatch& batch, const torch::Tensor& drop) {
  const bool any_drop = drop.any().item<bool>();  // `drop` is on the host: no device wait
  if (train_text && !batch.input_ids.defined()) {
    throw Error("model.train_text_encoder needs captions as token ids, but the dataset gives text hidden states",
                "use a dataset with input_ids, or set model.train_text_encoder: false");
  }
  if (!train_text) {
    torch::NoGradGuard no_grad;
    torch::Tensor text;
    if (batch.encoder_hidden_states.defined()) {
      text = upload(batch.encoder_hidden_states, device).to(torch::kFloat32);
    } else {
      if (!batch.input_ids.defined() || !frozen.text_encoder) {
        throw Error("the dataset gives captions as token ids, but no text encoder is loaded",
                    "set model.pretrained_components to a diffusers folder with text_encoder/ and tokenizer/");
      }
      text = frozen.text_encoder->encode(upload(batch.input_ids, device).to(torch::kInt64)).to(torch::kFloat32);
    }
    if (!any_drop) return text;
    const torch::Tensor empty = empty_text.defined() ? empty_text : torch::zeros_like(text[0]);
    if (empty.sizes() != text.sizes().slice(1)) {
      throw Error("the empty-prompt embedding has another shape than the dataset's text states",
                  "model.pretrained_components must hold the text encoder the latents were computed with");
    }
    return torch::where(upload(drop, device).view({-1, 1, 1}), empty.unsqueeze(0).to(text.dtype()), text);
  }
  // A trained text encoder: dropped captions become the empty prompt's ids, then everything is
  // encoded with gradients.
  torch::Tensor ids = upload(batch.input_ids, device).to(torch::kInt64);
  if (ids.size(1) != empty_ids.size(0)) {
    throw Error("the dataset's token ids are " + std::to_string(ids.size(1)) + " long, the tokenizer pads to " +
                    std::to_string(empty_ids.size(0)),
                "tokenize the captions with the tokenizer of model.pretrained_components");
  }
  if (any_drop) ids = torch::where(upload(drop, device).view({-1, 1}), empty_ids.unsqueeze(0), ids);
  return frozen.text_encoder->encode(ids);
}

torch::Tensor Trainer::Impl::prepare_latents(const TrainingBatch& batch, const std::vector<int64_t>& positions) {
  torch::NoGradGuard no_grad;
  if (batch.precomputed()) return upload(batch.latents, device).to(torch::kFloat32);
  if (!frozen.vae) {
    throw Error("the dataset gives images, but no VAE is loaded",
                "set model.pretrained_components and model.precomputed_latents: false");
  }
  const models::DiagonalGaussian posterior = frozen.vae->encode(upload(batch.pixels, device).to(frozen_dtype));
  const torch::Tensor mean = posterior.mean().to(torch::kFloat32);
  std::vector<torch::Tensor> eps;
  for (int64_t p : positions) {
    auto gen = at::make_generator<at::CPUGeneratorImpl>(mix_seed(static_cast<uint64_t>(config.seed) ^ 0x7AE5u, static_cast<uint64_t>(p)));
    eps.push_back(torch::randn(mean.sizes().slice(1), gen));
  }
  return (mean + posterior.std().to(torch::kFloat32) * upload(torch::stack(eps), device)) * config.model.latent_scale;
}

torch::Tensor Trainer::Impl::microbatch_losses(const HostMicrobatch& m, bool amp, c10::ScalarType amp_dtype) {
  if (trains_vae) {
    if (!m.batch.pixels.defined()) {
      throw Error("model.trains is vae, but the dataset gives latents, not images",
                  "use dataset.kind: mds_images with image shards from `tessera shards write`");
    }
    const torch::Tensor x = upload(m.batch.pixels, device).to(torch::kFloat32);
    tessera::AutocastScope autocast(amp, at::kCUDA, amp_dtype);
    return autoencoder_per_sample_loss(vae, x, config.model.kl_weight);
  }
  return unet_losses(microbatch_inputs(m), amp, amp_dtype);
}

StepInputs Trainer::Impl::microbatch_inputs(const HostMicrobatch& m) {
  StepInputs in;
  in.x0 = prepare_latents(m.batch, m.positions);
  // Images: the latent shape is known once the VAE has run (from the queued result's metadata).
  const SampleDraws draws = m.draws.timesteps.defined()
                                ? m.draws
                                : objective->draw(static_cast<uint64_t>(config.seed), m.positions, in.x0.sizes().slice(1),
                                                  config.dataset.caption_drop_prob);
  in.text = prepare_text(m.batch, draws.drop);
  in.draws = upload(draws, device);
  return in;
}

torch::Tensor Trainer::Impl::unet_losses(const StepInputs& in, bool amp, c10::ScalarType amp_dtype) {
  tessera::AutocastScope autocast(amp, at::kCUDA, amp_dtype);
  return objective->per_sample_loss(unet, in.x0, in.text, in.draws);
}

void Trainer::Impl::setup_step_graph() {
  if (!config.trainer.cuda_graph) return;
  const bool amp = config.trainer.precision != "fp32";
  const c10::ScalarType amp_dtype = config.trainer.precision == "amp_fp16" ? torch::kHalf : torch::kBFloat16;
  step_graph = make_step_graph(
      config, device, env.world_size, dist->backend_name() != "none",
      [this, amp, amp_dtype](const StepInputs& in) { return unet_losses(in, amp, amp_dtype); }, params);
}

torch::Tensor Trainer::Impl::run_step_graph() {
  const StepPhase phase("tessera.graph");
  const bool had_graph = step_graph->captured();
  // With several ranks the gradients are averaged after the passes (the buckets have no hooks; a
  // replay runs no host code). A failed capture ends the run: the error says to turn the graph
  // off, and the last checkpoint holds everything trained so far.
  const torch::Tensor sum = step_graph->run();
  if (!had_graph && step_graph->captured()) {
    metrics->event("cuda_graph", {{"step", state.step + 1}, {"captured", true}, {"capture_s", step_graph->capture_seconds()}});
  }
  return sum;
}

MicrobatchReading Trainer::Impl::reading() const {
  MicrobatchReading r;
  r.data = data;
  r.objective = trains_vae ? nullptr : objective.get();
  r.seed = static_cast<uint64_t>(config.seed);
  r.caption_drop_prob = config.dataset.caption_drop_prob;
  r.device = device;
  return r;
}

int64_t Trainer::Impl::first_unskipped(int64_t position) const {
  for (bool moved = true; moved;) {
    moved = false;
    for (const auto& [b, e] : state.skipped)
      if (position == b) position = e, moved = true;
  }
  return position;
}

// Sample images (a VAE run: its reconstructions), on the main rank.
void Trainer::Impl::write_samples() {
  if (!main()) return;
  json paths = json::array();
  if (trains_vae) {
    paths.push_back(write_vae_reconstructions(vae, *data, device, options.run_dir, state.step));
  } else {
    if (config.sampling.prompts.empty()) return;
    for (const auto& path : write_unet_samples(config, options.run_dir, state.step, module_state(*unet),
                                               text_encoder_state(), [this] { beat(); })) {
      paths.push_back(path);
    }
    unet->train();
    if (train_text) frozen.text_encoder->train();
  }
  metrics->event("sample", {{"step", state.step}, {"images", paths}});
  beat();
}

void Trainer::Impl::run() {
  setup();
  const int64_t max_steps = config.trainer.max_duration;
  const int64_t G = config.batch_size;
  const int64_t mb = config.trainer.device_train_microbatch_size;
  const int64_t acc = config.accumulation_steps(env.world_size);

  bool resumed = false;
  if (options.resume == "auto") {
    const auto found = list_checkpoints(options.run_dir);
    if (!found.empty()) {
      restore(read_checkpoint(found.back()), /*keep_skipped=*/false);
      resumed = true;
      metrics->event("resume", {{"step", state.step}, {"checkpoint", found.back()}, {"samples_seen", state.samples_seen}});
    }
  } else if (options.resume != "never") {
    throw Error("resume must be auto or never, not " + options.resume);
  }
  // Every rank starts from rank 0's weights (identical anyway when seeded; cheap insurance).
  dist->broadcast_parameters(params);
  // With the CUDA graph the buckets are reduced after the replayed passes, without hooks.
  dist->register_gradient_buckets(params, static_cast<size_t>(config.trainer.bucket_cap_mb) << 20,
                                  flat && flat->grads().defined() ? flat->grads() : torch::Tensor(),
                                  /*during_backward=*/step_graph == nullptr);
  int64_t parameter_count = 0;
  for (const auto& p : params) parameter_count += p.numel();
  if (!resumed) {
    metrics->event("start", {{"name", config.name}, {"world_size", env.world_size}, {"device", device.str()},
                             {"parameters", parameter_count}, {"global_batch", G},
                             {"microbatch", mb}, {"accumulation", acc}, {"max_steps", max_steps},
                             {"data", data->describe()}, {"distributed", env.source},
                             {"process_group", dist->backend_name()}});
    if (!config.model.init_from.empty()) metrics->event("stage", {{"init_from", config.model.init_from}, {"name", config.name}});
  }
  start_watchdog();

  const bool amp = config.trainer.precision != "fp32" && device.is_cuda();
  const c10::ScalarType amp_dtype = config.trainer.precision == "amp_fp16" ? torch::kHalf : torch::kBFloat16;
  int64_t steps_this_process = 0;
  const MicrobatchReading reader = reading();
  // The next step's first microbatch, read on the host while the device runs this step's
  // kernels. Used when the next step starts where it was expected to (not after a rollback).
  std::optional<HostMicrobatch> prefetched;
  const auto first_microbatch = [&](int64_t step_begin) { return step_begin + env.rank * acc * mb; };
  while (state.step < max_steps) {
    if (options.stop_after_steps >= 0 && steps_this_process >= options.stop_after_steps) break;
    const auto t0 = Clock::now();
    // Batches skipped after a NaN rollback are passed over.
    state.samples_seen = first_unskipped(state.samples_seen);
    const int64_t begin = state.samples_seen;
    const double lr = learning_rate_at(config, state.step);
    // StepPhase marks the step's phases for `tessera bench --profile`.
    if (in_backward) {
      backward_grad_sq = torch::Tensor();
    } else {
      const StepPhase phase("tessera.zero_grad");
      if (flat) {
        flat->zero_grad();
      } else {
        torch::NoGradGuard no_grad;
        for (auto& g : opt_grads) g.zero_();
      }
    }
    // From here to the read of the step's loss and gradient norm the host only queues work: on
    // an accelerator the device runs the whole step without waiting for the host. (Exception:
    // in_backward reads each microbatch's loss before its backward pass, which updates the
    // weights. With loss scaling the update is queued after the read, which decides on it.)
    double loss_sum = 0;  // in_backward
    double wait_seconds = 0;  // the host waiting for the device: StepReport::wait_seconds
    torch::Tensor loss_sum_device;
    for (int64_t k = 0; k < acc; ++k) {
      dist->set_gradient_sync_enabled(k == acc - 1);
      const int64_t mb_begin = first_microbatch(begin) + k * mb;
      HostMicrobatch host = k == 0 && prefetched && prefetched->begin == mb_begin
                                ? std::move(*prefetched)
                                : (StepPhase("tessera.data"), read_microbatch(reader, mb_begin, mb));
      prefetched.reset();
      if (step_graph) {
        const StepPhase phase("tessera.data");
        step_graph->stage(k, microbatch_inputs(host));
        continue;
      }
      const torch::Tensor losses = (StepPhase("tessera.forward"), microbatch_losses(host, amp, amp_dtype));
      if (in_backward) {
        const auto read_start = Clock::now();
        const double micro_loss = (StepPhase("tessera.wait"), losses.detach().sum().item<double>());
        wait_seconds += std::chrono::duration<double>(Clock::now() - read_start).count();
        loss_sum += micro_loss;
        // The update happens inside backward: a step whose loss is already non-finite must not
        // touch the weights.
        if (!std::isfinite(micro_loss)) break;
        adamw->begin_step();
        backward_lr = lr;
        backward_updates = true;
        try {
          const StepPhase phase("tessera.backward");
          (losses.sum() / static_cast<double>(mb * acc)).backward();
        } catch (...) {
          backward_updates = false;
          release_backward_grads();
          throw;
        }
        backward_updates = false;
        release_backward_grads();
      } else {
        const torch::Tensor micro_sum = losses.detach().sum().to(torch::kFloat64);
        loss_sum_device = loss_sum_device.defined() ? loss_sum_device + micro_sum : micro_sum;
        const torch::Tensor objective_loss = losses.sum() / static_cast<double>(mb * acc);
        const StepPhase phase("tessera.backward");
        (scaler ? scaler->scaled(objective_loss) : objective_loss).backward();
      }
    }
    if (step_graph) loss_sum_device = run_step_graph();
    auto gradients_phase = std::make_optional<StepPhase>("tessera.gradients");
    dist->finish_gradient_sync();
    if (flat) (void)flat->gather_grads();
    if (scaler) scaler->unscale(opt_grads);  // before clipping, which must see the true norm
    torch::Tensor grad_norm_device;
    if (in_backward) {
      const auto f64 = torch::TensorOptions().dtype(torch::kFloat64).device(device);
      grad_norm_device = backward_grad_sq.defined() ? backward_grad_sq.sqrt() : torch::full({}, std::nan(""), f64);
      loss_sum_device = torch::full({}, loss_sum, f64);
    } else {
      loss_sum_device = dist->allreduce_sum(loss_sum_device);
      grad_norm_device = config.trainer.grad_clip_norm > 0 ? clip_grad_norm(opt_grads, config.trainer.grad_clip_norm)
                                                           : global_grad_norm(opt_grads);
    }
    // Without loss scaling the update is queued before the norm is known. A step whose loss or
    // gradient turns out non-finite then ends in a rollback, which restores the weights, the
    // moments and the EMA from the last checkpoint, or in an error that stops the run: the
    // updated weights are never used.
    gradients_phase.reset();
    const bool update_queued = !in_backward && !scaler;
    if (update_queued) {
      const StepPhase phase("tessera.optimizer");
      adamw->step(opt_grads, lr);
      if (ema) ema->update(opt_params, state.step + 1);
    }
    // While the device works, the host reads the next step's first microbatch. A read that fails
    // is left to the next step, so that this one is still logged and checkpointed first.
    const bool another_step = state.step + 1 < max_steps &&
                              (options.stop_after_steps < 0 || steps_this_process + 1 < options.stop_after_steps);
    if (another_step) {
      const StepPhase phase("tessera.prefetch");
      try {
        prefetched = read_microbatch(reader, first_microbatch(first_unskipped(begin + G)), mb);
      } catch (const std::exception&) {
        prefetched.reset();
      }
    }
    // The step's one wait for the device: its loss and gradient norm, read together.
    const auto wait_start = Clock::now();
    const torch::Tensor scalars =
        (StepPhase("tessera.wait"),
         torch::stack({loss_sum_device.reshape({}).to(torch::kFloat64), grad_norm_device.reshape({}).to(torch::kFloat64)})
             .to(torch::kCPU));
    const double loss = scalars[0].item<double>() / static_cast<double>(G);
    const double grad_norm = scalars[1].item<double>();
    wait_seconds += std::chrono::duration<double>(Clock::now() - wait_start).count();
    // With loss scaling, gradients that overflowed under a finite loss mean the scale is too
    // high: the update is skipped and the scale lowered (the batch counts as trained on).
    bool overflow = false;
    if (scaler) {
      overflow = std::isfinite(loss) && !std::isfinite(grad_norm);
      const double scale_before = scaler->scale();
      if (scaler->update(!overflow) && overflow) {
        metrics->event("overflow", {{"step", state.step + 1}, {"loss_scale", scale_before}, {"new_loss_scale", scaler->scale()}});
      }
    }
    if (!overflow && (!std::isfinite(loss) || !std::isfinite(grad_norm))) {
      metrics->event("nan", {{"step", state.step + 1}, {"loss", std::isfinite(loss) ? json(loss) : json("nan")},
                             {"grad_norm", std::isfinite(grad_norm) ? json(grad_norm) : json("nan")},
                             {"samples", {begin, begin + G}}, {"policy", config.trainer.nan_policy}});
      const auto found = list_checkpoints(options.run_dir);
      if (config.trainer.nan_policy == "stop" || found.empty() || ++rollbacks > 16) {
        throw Error("the loss became " + std::string(std::isfinite(loss) ? "finite but the gradient norm non-finite" : "NaN or infinite") +
                        " at step " + std::to_string(state.step + 1),
                    config.trainer.nan_policy == "stop" ? "lower the learning rate, check the data, or set trainer.nan_policy: rollback"
                                                        : "no checkpoint to roll back to (or too many rollbacks); lower the learning rate or check the data");
      }
      state.skipped.emplace_back(begin, begin + G);
      restore(read_checkpoint(found.back()), /*keep_skipped=*/true);
      metrics->event("rollback", {{"step", state.step}, {"checkpoint", found.back()}, {"skipped", {begin, begin + G}}});
      beat();
      continue;
    }
    if (!in_backward && !update_queued && !overflow) (StepPhase("tessera.optimizer"), adamw->step(opt_grads, lr));
    ++state.step;
    ++steps_this_process;
    state.samples_seen = begin + G;
    state.lr = lr;
    if (ema && !update_queued) (StepPhase("tessera.optimizer"), ema->update(opt_params, state.step));
    beat();

    const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    StepReport report{state.step, max_steps, loss, lr, grad_norm, static_cast<double>(G) / std::max(seconds, 1e-9), seconds,
                      wait_seconds, step_graph ? step_graph->replays() : 0};
    if (state.step % config.trainer.log_interval == 0 || state.step == max_steps) {
      json line{{"step", state.step}, {"loss", loss}, {"lr", lr}, {"grad_norm", grad_norm},
                     {"images_per_s", report.images_per_s}, {"step_time_s", seconds}, {"samples_seen", state.samples_seen},
                     {"epoch", state.samples_seen / data->samples_per_epoch()}, {"rss_bytes", current_rss_bytes()}};
      if (scaler) line["loss_scale"] = scaler->scale();
      metrics->step(std::move(line));
    }
    if (config.trainer.save_interval > 0 && state.step % config.trainer.save_interval == 0) save_checkpoint();
    if (config.sampling.interval > 0 && state.step % config.sampling.interval == 0) write_samples();
    if (options.on_step && !options.on_step(report)) break;
  }
  if (state.step >= max_steps) {
    if (last_saved_step != state.step) save_checkpoint();
    metrics->event("finish", {{"step", state.step}, {"peak_rss_bytes", peak_rss_bytes()}});
  }
  stop_watchdog();
}

Trainer::Trainer(RunConfig config, TrainerOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->config = std::move(config);
  impl_->options = std::move(options);
}

Trainer::~Trainer() {
  if (impl_) impl_->stop_watchdog();
}

void Trainer::run() {
  try {
    impl_->run();
  } catch (const std::exception& e) {
    impl_->failed = true;
    impl_->stop_watchdog();
    if (impl_->metrics) impl_->metrics->event("error", {{"step", impl_->state.step}, {"message", e.what()}});
    throw;
  }
}

models::UNet2DConditionModel& Trainer::unet() { return impl_->unet; }
int64_t Trainer::step() const { return impl_->state.step; }

namespace {
void refuse_after_failure(bool failed) {
  if (failed) {
    throw Error("training stopped with an error; the weights in memory may hold the failed step's update",
                "use the last checkpoint in the run folder");
  }
}
}  // namespace

std::vector<std::pair<std::string, torch::Tensor>> Trainer::named_weights() const {
  refuse_after_failure(impl_->failed);
  std::vector<std::pair<std::string, torch::Tensor>> out;
  for (auto& kv : impl_->model().named_parameters(true)) out.emplace_back(kv.key(), kv.value().detach());
  return out;
}

std::vector<std::pair<std::string, torch::Tensor>> Trainer::named_ema_weights() const {
  refuse_after_failure(impl_->failed);
  if (!impl_->ema || !impl_->ema->initialized()) return {};
  return name_like(impl_->names, split_like(impl_->ema->shadow(), impl_->params));
}

}  // namespace tessera::training
