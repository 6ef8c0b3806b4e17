// tessera::train / check_run_config / export_checkpoint: the facade over the training loop.

#include "tessera/train.h"

#include "training/checkpoint.h"
#include "training/run_config.h"
#include "training/trainer.h"

#include <map>

namespace tessera {

Status train(const TrainOptions& options, const TrainProgressFn& progress) {
  return guarded([&] {
    training::RunConfig config = training::load_run_config(options.config_path);
    training::TrainerOptions o;
    o.run_dir = options.run_dir;
    o.resume = options.resume;
    bool cancelled = false;
    if (progress) {
      o.on_step = [&](const training::StepReport& r) {
        const bool go_on = progress(TrainProgress{r.step, r.max_steps, r.loss, r.lr, r.images_per_s});
        cancelled = !go_on;
        return go_on;
      };
    }
    training::Trainer trainer(std::move(config), std::move(o));
    trainer.run();
    if (cancelled) throw Cancelled();
  });
}

Status check_run_config(const std::string& config_path, std::string* summary) {
  return guarded([&] {
    const training::RunConfig config = training::load_run_config(config_path);
    const bool vae = config.model.trains == "vae";
    int64_t n = 0;
    for (const auto& p : vae ? training::make_vae(config)->parameters() : training::make_unet(config)->parameters()) {
      n += p.numel();
    }
    if (summary != nullptr) {
      *summary = config.name + ": " + (vae ? "VAE " : "UNet ") + std::to_string(n) + " parameters, global batch " +
                 std::to_string(config.batch_size) + ", " + std::to_string(config.trainer.max_duration) + " steps";
    }
  });
}

Status export_checkpoint(const ExportOptions& options) {
  return guarded([&] {
    const training::CheckpointContents c = training::read_checkpoint(options.checkpoint_dir, /*with_training_state=*/false);
    const training::RunConfig config = training::parse_run_config(c.config_yaml, options.checkpoint_dir + "/config.yaml");
    if (options.ema && c.ema.empty()) {
      throw Error("the checkpoint has no EMA weights (the EMA starts at step " + std::to_string(config.ema.start) + ")",
                  "export without --ema, or from a later checkpoint");
    }
    const std::string components = options.components_dir.empty() ? config.model.pretrained_components : options.components_dir;
    if (!c.vae.empty()) {  // a VAE run: a vae folder, or the components' diffusers folder with this VAE
      training::NamedTensors weights = c.vae;
      if (options.ema) {
        const std::map<std::string, torch::Tensor> ema(c.ema.begin(), c.ema.end());
        for (auto& [name, tensor] : weights)
          if (auto it = ema.find(name); it != ema.end()) tensor = it->second;
      }
      training::write_vae_export(options.out_dir, config, weights, components, options.overwrite);
      return;
    }
    training::NamedTensors weights = c.unet;
    training::NamedTensors text_encoder = c.text_encoder;
    if (options.ema) {
      // EMA covers the trainable parameters (a trained text encoder's under "text_encoder.");
      // buffers (if any) come from the model weights.
      std::map<std::string, torch::Tensor> ema(c.ema.begin(), c.ema.end());
      for (auto& [name, tensor] : weights)
        if (auto it = ema.find(name); it != ema.end()) tensor = it->second;
      for (auto& [name, tensor] : text_encoder)
        if (auto it = ema.find("text_encoder." + name); it != ema.end()) tensor = it->second;
    }
    training::write_diffusers_export(options.out_dir, config, weights, components, options.overwrite, text_encoder);
  });
}

}  // namespace tessera
