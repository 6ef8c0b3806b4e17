#pragma once
// The sampler interface shared by every scheduler (internal header, torch), and the factories
// that build one by user-facing name or by a diffusers `_class_name`.
//
// A generation loop (what diffusers' StableDiffusionPipeline does):
//
//   auto s = make_scheduler("dpmpp_2m", model_scheduler_config);
//   s->set_timesteps(20);
//   auto x = torch::randn(shape, gen) * s->init_noise_sigma();
//   for (int64_t i = 0; i < s->num_model_calls(); ++i) {
//     const double t = s->timestep_at(i);
//     auto eps = unet(s->scale_model_input(x, t), t, ...);
//     x = s->step(eps, t, x, &gen).prev_sample;
//   }
//
// Timesteps are passed as doubles (Euler's are fractional); every other scheduler's are integral.
// step() must be called once for every entry of timesteps(), in order. Multistep schedulers keep
// their history between calls; set_timesteps() or reset() starts a new generation.

#include "schedulers/noise_schedule.h"
#include "schedulers/scheduler_config.h"

#include <ATen/core/Generator.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

namespace tessera::schedulers {

struct StepResult {
  torch::Tensor prev_sample;
  // The model's estimate of the clean sample; undefined for schedulers whose diffusers step() does
  // not return one (PNDM, DPM-Solver++, UniPC).
  torch::Tensor pred_original_sample;
};

class Scheduler {
 public:
  explicit Scheduler(SchedulerConfig config);
  virtual ~Scheduler() = default;
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // The diffusers class this scheduler reproduces, e.g. "EulerDiscreteScheduler".
  std::string class_name() const { return schedulers::class_name(config_.cls); }
  const SchedulerConfig& config() const { return config_; }
  const NoiseSchedule& noise_schedule() const { return schedule_; }
  const torch::Tensor& alphas_cumprod() const { return schedule_.alphas_cumprod(); }

  // Prepares `num_inference_steps` steps and resets all per-generation state.
  virtual void set_timesteps(int64_t num_inference_steps) = 0;
  int64_t num_inference_steps() const { return num_inference_steps_; }
  // The timesteps to call the model at, in order (int64, or float32 for Euler / Euler a). PNDM has
  // N+1 of them with skip_prk_steps (the second repeated) and N+9 with its PRK warm-up.
  const torch::Tensor& timesteps() const { return timesteps_; }
  int64_t num_model_calls() const { return timesteps_.defined() ? timesteps_.size(0) : 0; }
  double timestep_at(int64_t index) const;
  // The sigma table (N+1 values, float32) for sigma-based schedulers; undefined otherwise.
  virtual torch::Tensor sigmas() const { return {}; }

  // Standard deviation of the initial noise (the latents are randn * init_noise_sigma()).
  virtual double init_noise_sigma() const { return 1.0; }
  // The model input for timestep `t` (divides by sqrt(sigma^2 + 1) for Euler-type schedulers).
  virtual torch::Tensor scale_model_input(const torch::Tensor& sample, double timestep) {
    (void)timestep;
    return sample;
  }
  // One denoising step at `timestep`. Stochastic schedulers draw their noise with
  // torch::randn(shape, *generator) in diffusers' order (the global generator when null), or use
  // `injected_noise` when given (same shape as the sample).
  virtual StepResult step(const torch::Tensor& model_output, double timestep, const torch::Tensor& sample,
                          at::Generator* generator = nullptr, const torch::Tensor* injected_noise = nullptr) = 0;
  // Noises clean samples to `timesteps` (int64 [B] or one value) the way this scheduler's add_noise
  // does (img2img start, training).
  virtual torch::Tensor add_noise(const torch::Tensor& x0, const torch::Tensor& noise, const torch::Tensor& timesteps);

  // diffusers' `order` attribute (every scheduler here has order 1).
  virtual int64_t order() const { return 1; }
  // True when step() draws random noise (DDPM, Euler a, DDIM with eta > 0).
  virtual bool is_stochastic() const { return false; }
  // Forgets the state of a generation (multistep history, step index) but keeps the timesteps.
  virtual void reset() {}
  // Index of the first timestep that will be stepped (img2img); diffusers' set_begin_index.
  virtual void set_begin_index(int64_t begin_index) { (void)begin_index; }
  virtual bool has_begin_index() const { return false; }

 protected:
  torch::Tensor draw_noise(const torch::Tensor& like, at::Generator* generator, const torch::Tensor* injected) const;

  SchedulerConfig config_;
  NoiseSchedule schedule_;
  int64_t num_inference_steps_ = 0;
  torch::Tensor timesteps_;
};

// Base for schedulers that walk a sigma table with a step index (Euler, Euler a, DPM, UniPC).
class SigmaScheduler : public Scheduler {
 public:
  explicit SigmaScheduler(SchedulerConfig config);
  torch::Tensor sigmas() const override { return sigmas_; }
  void reset() override;
  void set_begin_index(int64_t begin_index) override { begin_index_ = begin_index; }
  bool has_begin_index() const override { return true; }
  int64_t step_index() const { return step_index_; }
  // sigma-based add_noise: index from begin_index (or from the first timestep), as diffusers does.
  torch::Tensor add_noise(const torch::Tensor& x0, const torch::Tensor& noise, const torch::Tensor& timesteps) override;

 protected:
  // add_noise form: x0 + sigma * noise (Euler), or alpha_t * x0 + sigma_t * noise with
  // alpha_t = 1 / sqrt(sigma^2 + 1), sigma_t = sigma * alpha_t (DPM-Solver++, UniPC).
  virtual bool variance_preserving() const { return false; }
  // The index of `timestep` in timesteps(): the second match when it repeats, -1 when absent.
  int64_t index_for_timestep(double timestep) const;
  // Sets the step index on first use: begin_index, else the timestep's position in timesteps()
  // (the second match when it repeats). `last_if_missing`: DPM/UniPC fall back to the last index,
  // Euler throws.
  void init_step_index(double timestep, bool last_if_missing);
  float sigma_at(int64_t index) const { return sigmas_.data_ptr<float>()[index]; }
  // The float32 log-sigma table indexed by training timestep (for Karras timesteps).
  std::vector<float> log_sigma_table() const;

  torch::Tensor sigmas_;  // float32 [N+1], CPU
  int64_t step_index_ = -1;
  int64_t begin_index_ = -1;
};

// ---- factories ----

// The sampler names the CLI and the studio offer, in display order:
// ddim, ddpm, pndm, euler, euler_a, dpmpp_2m, dpmpp_2m_karras, unipc.
const std::vector<std::string>& sampler_names();
// A short human label for a sampler name ("DPM++ 2M Karras"), as A1111/ComfyUI users know them.
std::string sampler_label(const std::string& name);

// Builds the named sampler from the model's own scheduler config, as diffusers'
// Cls.from_config(pipe.scheduler.config) does (dpmpp_2m_karras = DPMSolverMultistep with
// use_karras_sigmas). Throws tessera::Error listing the valid names for an unknown one.
std::unique_ptr<Scheduler> make_scheduler(const std::string& name, const nlohmann::json& model_scheduler_config);
// Builds the scheduler a config names in its `_class_name`.
std::unique_ptr<Scheduler> make_scheduler_from_config(const nlohmann::json& scheduler_config);
// Builds from an already resolved config.
std::unique_ptr<Scheduler> make_scheduler(const SchedulerConfig& config);

// ---- img2img ----

struct Img2ImgTimesteps {
  torch::Tensor timesteps;          // the timesteps still to run, in order
  int64_t num_inference_steps = 0;  // how many steps that is (diffusers returns N - t_start)
  int64_t t_start = 0;              // index of the first one in scheduler.timesteps()
};

// diffusers' StableDiffusionImg2ImgPipeline.get_timesteps: init = min(int(n * strength), n),
// t_start = max(n - init, 0), timesteps[t_start * order:], and set_begin_index(t_start * order)
// where the scheduler has one. Call after set_timesteps(n).
Img2ImgTimesteps img2img_timesteps(Scheduler& scheduler, int64_t num_inference_steps, double strength);

}  // namespace tessera::schedulers
