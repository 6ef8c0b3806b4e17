#pragma once
// The weights a run trains, by name: building the trained model from the run config (a UNet, or
// an AutoencoderKL with model.trains: vae), loading `init_from` weights into it, copying named
// tensors between checkpoints, flat optimizer buffers and modules, and writing what a run
// produced as a diffusers folder (or a vae/ component folder). Internal header (torch).

#include "models/autoencoder_kl.h"
#include "models/unet_2d_condition.h"
#include "training/checkpoint.h"
#include "training/run_config.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <string>
#include <utility>
#include <vector>

namespace tessera::training {

// Per-parameter views of `buffers`: the buffers themselves when there is one per parameter, or
// slices of a single flat buffer laid out like FlatParameters.
std::vector<torch::Tensor> split_like(const std::vector<torch::Tensor>& buffers, const std::vector<torch::Tensor>& params);
NamedTensors name_like(const std::vector<std::string>& names, const std::vector<torch::Tensor>& tensors);
// Copies `source` (by name) into `targets`; every target name must be present with its shape.
void copy_named(const NamedTensors& source, const std::vector<std::string>& names, const std::vector<torch::Tensor>& targets,
                const std::string& what);
// Copies `source` into the module's parameters and buffers (all of them, by name, strictly).
void copy_into_module(const NamedTensors& source, torch::nn::Module& module, const std::string& what);
// Parameters then buffers, under their diffusers names (detached views of the module's tensors).
NamedTensors module_state(const torch::nn::Module& m);
void split_names(const NamedTensors& named, std::vector<std::string>* names, std::vector<torch::Tensor>* tensors);

// Builds a UNet from the config's resolved diffusers unet config (seeded initialisation).
models::UNet2DConditionModel make_unet(const RunConfig& config);
// Builds an AutoencoderKL from the config's resolved vae config (seeded initialisation).
models::AutoencoderKL make_vae(const RunConfig& config);

// Loads `init_from` into `unet`: a Tessera checkpoint folder, a diffusers folder (unet/ inside)
// or a unet folder. Strict: every key with its shape.
void load_initial_weights(models::UNet2DConditionModel& unet, const std::string& init_from);
// The same for a VAE: a checkpoint of a model.trains: vae run, a diffusers folder (vae/ inside)
// or a vae folder.
void load_initial_vae_weights(models::AutoencoderKL& vae, const std::string& init_from);

// The diffusers scheduler_config.json that generation should use with a model trained under
// `config` (DDIM with the training betas and prediction type).
nlohmann::json generation_scheduler_config(const RunConfig& config);

// Writes a diffusers folder at `out_dir`: `unet_weights` (diffusers keys) with the config's
// UNet architecture, and vae/, text_encoder/, tokenizer/ from `components_dir` — the text
// encoder with `text_encoder_weights` (transformers keys) instead when they are given.
void write_diffusers_export(const std::string& out_dir, const RunConfig& config, const NamedTensors& unet_weights,
                            const std::string& components_dir, bool overwrite,
                            const NamedTensors& text_encoder_weights = {});

// Writes a trained VAE: with `components_dir` empty, a diffusers vae folder at `out_dir`
// (config.json + diffusion_pytorch_model.safetensors, what AutoencoderKL.from_pretrained reads);
// otherwise a whole diffusers folder, `components_dir`'s with its vae/ replaced.
void write_vae_export(const std::string& out_dir, const RunConfig& config, const NamedTensors& vae_weights,
                      const std::string& components_dir, bool overwrite);

}  // namespace tessera::training
