#include "training/trained_weights.h"

#include "io/diffusers_folder.h"
#include "io/safetensors.h"
#include "io/state_dict.h"
#include "models/clip_text_model.h"
#include "tessera/error.h"

#include <filesystem>
#include <map>

namespace tessera::training {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::vector<torch::Tensor> split_like(const std::vector<torch::Tensor>& buffers, const std::vector<torch::Tensor>& params) {
  if (buffers.size() == params.size()) return buffers;
  TORCH_CHECK(buffers.size() == 1, "split_like: expected one flat buffer");
  std::vector<torch::Tensor> out;
  int64_t offset = 0;
  for (const auto& p : params) {
    out.push_back(buffers[0].narrow(0, offset, p.numel()).view(p.sizes()));
    offset += p.numel();
  }
  return out;
}

NamedTensors name_like(const std::vector<std::string>& names, const std::vector<torch::Tensor>& tensors) {
  NamedTensors out;
  for (size_t i = 0; i < names.size(); ++i) out.emplace_back(names[i], tensors[i]);
  return out;
}

void copy_named(const NamedTensors& source, const std::vector<std::string>& names, const std::vector<torch::Tensor>& targets,
                const std::string& what) {
  std::map<std::string, const torch::Tensor*> by_name;
  for (const auto& [k, v] : source) by_name[k] = &v;
  torch::NoGradGuard no_grad;
  for (size_t i = 0; i < names.size(); ++i) {
    auto it = by_name.find(names[i]);
    if (it == by_name.end()) throw Error(what + " lacks '" + names[i] + "'", "the checkpoint belongs to another model");
    if (it->second->sizes() != targets[i].sizes()) {
      throw Error(what + ": '" + names[i] + "' has another shape than the model's", "the checkpoint belongs to another model");
    }
    targets[i].copy_(*it->second);
  }
}

NamedTensors module_state(const torch::nn::Module& m) {
  NamedTensors out;
  for (const auto& kv : m.named_parameters(true)) out.emplace_back(kv.key(), kv.value().detach());
  for (const auto& kv : m.named_buffers(true)) out.emplace_back(kv.key(), kv.value().detach());
  return out;
}

void split_names(const NamedTensors& named, std::vector<std::string>* names, std::vector<torch::Tensor>* tensors) {
  for (const auto& [k, v] : named) names->push_back(k), tensors->push_back(v);
}

void copy_into_module(const NamedTensors& source, torch::nn::Module& module, const std::string& what) {
  std::vector<std::string> names;
  std::vector<torch::Tensor> targets;
  split_names(module_state(module), &names, &targets);
  copy_named(source, names, targets, what);
}

models::UNet2DConditionModel make_unet(const RunConfig& config) {
  models::UNetConfig uc;
  try {
    uc = models::parse_unet_config(config.model.unet_config.dump(), "model.unet");
  } catch (const Error& e) {
    throw Error(std::string("the run config's model.unet is not a usable UNet config: ") + e.what(), e.hint());
  }
  torch::manual_seed(static_cast<uint64_t>(config.seed));
  return models::UNet2DConditionModel(uc);
}

void load_initial_weights(models::UNet2DConditionModel& unet, const std::string& init_from) {
  if (is_checkpoint_dir(init_from)) {
    const CheckpointContents c = read_checkpoint(init_from, /*with_training_state=*/false);
    if (c.unet.empty()) {
      throw Error("init_from " + init_from + " is a checkpoint of a VAE run, not of a UNet run",
                  "give a checkpoint of a UNet run, or a diffusers/unet folder");
    }
    copy_into_module(c.unet, *unet, init_from + "/unet.safetensors");
    return;
  }
  fs::path dir(init_from);
  if (fs::is_directory(dir / "unet")) dir /= "unet";
  const fs::path file = dir / "diffusion_pytorch_model.safetensors";
  if (!fs::is_regular_file(file)) {
    throw Error("init_from " + init_from + " is neither a Tessera checkpoint nor a diffusers/unet folder",
                "give checkpoints/step-N of an earlier run, or a folder with unet/diffusion_pytorch_model.safetensors");
  }
  (void)io::load_state_dict(*unet, io::SafetensorsFile(file.string()));
}

json generation_scheduler_config(const RunConfig& config) {
  const ModelSection& m = config.model;
  json s = {{"_class_name", "DDIMScheduler"},
            {"_diffusers_version", "0.26.3"},
            {"beta_start", m.beta_start},
            {"beta_end", m.beta_end},
            {"beta_schedule", m.beta_schedule},
            {"num_train_timesteps", m.num_train_timesteps},
            {"prediction_type", m.prediction_type},
            {"rescale_betas_zero_snr", m.zero_terminal_snr},
            {"clip_sample", false},
            {"set_alpha_to_one", false},
            {"steps_offset", 1},
            {"timestep_spacing", m.zero_terminal_snr ? "trailing" : "leading"},
            {"trained_betas", nullptr}};
  return s;
}

void write_diffusers_export(const std::string& out_dir, const RunConfig& config, const NamedTensors& unet_weights,
                            const std::string& components_dir, bool overwrite, const NamedTensors& text_encoder_weights) {
  if (components_dir.empty()) {
    throw Error("exporting a diffusers folder needs the VAE, text encoder and tokenizer",
                "set model.pretrained_components in the run config, or pass --components DIR");
  }
  const io::DiffusersFolder parts = io::open_diffusers_folder(components_dir);
  models::UNet2DConditionModel unet = make_unet(config);
  copy_into_module(unet_weights, *unet, "the exported weights");
  models::AutoencoderKL vae = models::load_vae(parts.vae_dir());
  models::CLIPTextModel text = models::load_clip_text_model(parts.text_encoder_dir());
  if (!text_encoder_weights.empty()) copy_into_module(text_encoder_weights, *text, "the exported text encoder weights");
  io::DiffusersComponents c;
  c.unet = unet.get();
  c.unet_config = config.model.unet_config;
  c.vae = vae.get();
  c.vae_config = parts.vae_config;
  c.text_encoder = text.get();
  c.text_encoder_config = parts.text_encoder_config;
  c.tokenizer_dir = parts.tokenizer_dir();
  c.scheduler_config = generation_scheduler_config(config);
  io::DiffusersSaveOptions o;
  o.overwrite = overwrite;
  io::save_diffusers_folder(out_dir, c, o);
}

models::AutoencoderKL make_vae(const RunConfig& config) {
  models::VAEConfig vc;
  try {
    vc = models::parse_vae_config(config.model.vae_config.dump(), "model.vae");
  } catch (const Error& e) {
    throw Error(std::string("the run config's model.vae is not a usable VAE config: ") + e.what(), e.hint());
  }
  torch::manual_seed(static_cast<uint64_t>(config.seed));
  return models::AutoencoderKL(vc);
}

void load_initial_vae_weights(models::AutoencoderKL& vae, const std::string& init_from) {
  if (is_checkpoint_dir(init_from)) {
    const CheckpointContents c = read_checkpoint(init_from, /*with_training_state=*/false);
    if (c.vae.empty()) {
      throw Error("init_from " + init_from + " is a checkpoint of a UNet run, not of a VAE run",
                  "give a checkpoint of a model.trains: vae run, or a diffusers/vae folder");
    }
    copy_into_module(c.vae, *vae, init_from + "/vae.safetensors");
    return;
  }
  fs::path dir(init_from);
  if (fs::is_directory(dir / "vae")) dir /= "vae";
  const fs::path file = dir / "diffusion_pytorch_model.safetensors";
  if (!fs::is_regular_file(file)) {
    throw Error("init_from " + init_from + " is neither a Tessera checkpoint nor a diffusers/vae folder",
                "give checkpoints/step-N of an earlier VAE run, or a folder with vae/diffusion_pytorch_model.safetensors");
  }
  (void)io::load_state_dict(*vae, io::SafetensorsFile(file.string()));
}

void write_vae_export(const std::string& out_dir, const RunConfig& config, const NamedTensors& vae_weights,
                      const std::string& components_dir, bool overwrite) {
  models::AutoencoderKL vae = make_vae(config);
  copy_into_module(vae_weights, *vae, "the exported VAE weights");
  json vae_config = config.model.vae_config;
  vae_config["_class_name"] = "AutoencoderKL";
  io::DiffusersSaveOptions o;
  o.overwrite = overwrite;
  if (components_dir.empty()) {
    io::save_diffusers_component(out_dir, io::DiffusersComponent::VAE, *vae, vae_config, o);
    return;
  }
  const io::DiffusersFolder parts = io::open_diffusers_folder(components_dir);
  models::UNet2DConditionModel unet = models::load_unet(parts.unet_dir());
  models::CLIPTextModel text = models::load_clip_text_model(parts.text_encoder_dir());
  io::DiffusersComponents c;
  c.unet = unet.get();
  c.unet_config = parts.unet_config;
  c.vae = vae.get();
  c.vae_config = vae_config;
  c.text_encoder = text.get();
  c.text_encoder_config = parts.text_encoder_config;
  c.tokenizer_dir = parts.tokenizer_dir();
  c.scheduler_config = parts.scheduler_config;
  io::save_diffusers_folder(out_dir, c, o);
}

}  // namespace tessera::training
