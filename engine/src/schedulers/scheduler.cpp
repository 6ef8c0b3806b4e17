#include "schedulers/scheduler.h"

#include "schedulers/ddim_scheduler.h"
#include "schedulers/ddpm_scheduler.h"
#include "schedulers/dpmpp_2m_scheduler.h"
#include "schedulers/euler_ancestral_scheduler.h"
#include "schedulers/euler_scheduler.h"
#include "schedulers/pndm_scheduler.h"
#include "schedulers/unipc_scheduler.h"
#include "tessera/error.h"

#include <algorithm>
#include <cmath>

namespace tessera::schedulers {

// ---- Scheduler ----

Scheduler::Scheduler(SchedulerConfig config) : config_(std::move(config)), schedule_(config_) {}

double Scheduler::timestep_at(int64_t index) const {
  if (index < 0 || index >= num_model_calls())
    throw Error("timestep index " + std::to_string(index) + " is out of range (" + std::to_string(num_model_calls()) +
                    " model calls)",
                "call set_timesteps() first and step once per entry of timesteps()");
  return timesteps_[index].item<double>();
}

torch::Tensor Scheduler::add_noise(const torch::Tensor& x0, const torch::Tensor& noise, const torch::Tensor& timesteps) {
  return schedule_.add_noise(x0, noise, timesteps);
}

torch::Tensor Scheduler::draw_noise(const torch::Tensor& like, at::Generator* generator,
                                    const torch::Tensor* injected) const {
  if (injected) {
    if (injected->sizes() != like.sizes())
      throw Error("injected noise has shape " + c10::str(injected->sizes()) + " but the sample has " +
                      c10::str(like.sizes()),
                  "pass noise of the sample's shape");
    return injected->to(like.device(), like.scalar_type());
  }
  auto opts = torch::TensorOptions().dtype(like.scalar_type());
  if (!generator) return torch::randn(like.sizes(), opts.device(like.device()));
  // diffusers' randn_tensor draws on the generator's device, then moves the noise to the sample's.
  return torch::randn(like.sizes(), *generator, opts.device(generator->device())).to(like.device());
}

// ---- SigmaScheduler ----

SigmaScheduler::SigmaScheduler(SchedulerConfig config) : Scheduler(std::move(config)) {}

void SigmaScheduler::reset() { step_index_ = -1; }

int64_t SigmaScheduler::index_for_timestep(double timestep) const {
  // Timesteps are compared in their own dtype (float32 for Euler), as `schedule == t` does.
  const auto ts = to_double_vector(timesteps_);
  const bool is_float = timesteps_.scalar_type() == torch::kFloat32;
  std::vector<int64_t> hits;
  for (size_t i = 0; i < ts.size(); ++i) {
    const bool eq = is_float ? static_cast<float>(ts[i]) == static_cast<float>(timestep) : ts[i] == std::round(timestep);
    if (eq) hits.push_back(static_cast<int64_t>(i));
  }
  if (hits.empty()) return -1;
  return hits.size() > 1 ? hits[1] : hits[0];
}

void SigmaScheduler::init_step_index(double timestep, bool last_if_missing) {
  if (step_index_ >= 0) return;
  if (!timesteps_.defined())
    throw Error(class_name() + ": step() before set_timesteps()", "call set_timesteps(n) before sampling");
  if (begin_index_ >= 0) {
    step_index_ = begin_index_;
    return;
  }
  const int64_t idx = index_for_timestep(timestep);
  if (idx >= 0) {
    step_index_ = idx;
  } else if (last_if_missing) {
    step_index_ = num_model_calls() - 1;
  } else {
    throw Error(class_name() + ": timestep " + std::to_string(timestep) + " is not one of the scheduler's timesteps",
                "pass the values of timesteps() in order");
  }
}

std::vector<float> SigmaScheduler::log_sigma_table() const {
  auto table = schedule_.sigma_table().contiguous();
  std::vector<float> out(static_cast<size_t>(table.numel()));
  const float* p = table.data_ptr<float>();
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<float>(std::log(static_cast<double>(p[i])));
  return out;
}

torch::Tensor SigmaScheduler::add_noise(const torch::Tensor& x0, const torch::Tensor& noise,
                                        const torch::Tensor& timesteps) {
  if (!sigmas_.defined())
    throw Error(class_name() + ": add_noise() before set_timesteps()", "call set_timesteps(n) first");
  auto ts = to_double_vector(timesteps);
  std::vector<int64_t> idx;
  for (double t : ts) {
    int64_t i = begin_index_ >= 0 ? begin_index_ : index_for_timestep(t);
    if (i < 0) {
      if (!variance_preserving())
        throw Error(class_name() + ": timestep " + std::to_string(t) + " is not one of the scheduler's timesteps",
                    "pass a value of timesteps()");
      i = num_model_calls() - 1;
    }
    idx.push_back(i);
  }
  auto sigma = sigmas_.index({int64_tensor(idx)}).to(x0.device(), x0.scalar_type()).flatten();
  while (sigma.dim() < x0.dim()) sigma = sigma.unsqueeze(-1);
  if (!variance_preserving()) return x0 + noise * sigma;
  auto alpha_t = 1 / (sigma.pow(2) + 1).pow(0.5);
  auto sigma_t = sigma * alpha_t;
  return alpha_t * x0 + sigma_t * noise;
}

// ---- factories ----

namespace {

struct SamplerEntry {
  const char* name;
  const char* label;
  SchedulerClass cls;
  nlohmann::json overrides;
};

const std::vector<SamplerEntry>& sampler_table() {
  static const std::vector<SamplerEntry> table = {
      {"ddim", "DDIM", SchedulerClass::DDIM, nlohmann::json::object()},
      {"ddpm", "DDPM", SchedulerClass::DDPM, nlohmann::json::object()},
      {"pndm", "PNDM (PLMS)", SchedulerClass::PNDM, nlohmann::json::object()},
      {"euler", "Euler", SchedulerClass::EulerDiscrete, nlohmann::json::object()},
      {"euler_a", "Euler a", SchedulerClass::EulerAncestral, nlohmann::json::object()},
      {"dpmpp_2m", "DPM++ 2M", SchedulerClass::DPMSolverMultistep,
       {{"algorithm_type", "dpmsolver++"}, {"solver_order", 2}, {"use_karras_sigmas", false}}},
      {"dpmpp_2m_karras", "DPM++ 2M Karras", SchedulerClass::DPMSolverMultistep,
       {{"algorithm_type", "dpmsolver++"}, {"solver_order", 2}, {"use_karras_sigmas", true}}},
      {"unipc", "UniPC", SchedulerClass::UniPCMultistep, nlohmann::json::object()},
  };
  return table;
}

const SamplerEntry& find_sampler(const std::string& name) {
  std::string list;
  for (const auto& e : sampler_table()) {
    if (name == e.name) return e;
    list += (list.empty() ? "" : ", ") + std::string(e.name);
  }
  throw Error("unknown sampler \"" + name + "\"", "valid samplers: " + list);
}

}  // namespace

const std::vector<std::string>& sampler_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& e : sampler_table()) v.emplace_back(e.name);
    return v;
  }();
  return names;
}

std::string sampler_label(const std::string& name) { return find_sampler(name).label; }

std::unique_ptr<Scheduler> make_scheduler(const SchedulerConfig& config) {
  switch (config.cls) {
    case SchedulerClass::DDIM: return std::make_unique<DDIMScheduler>(config);
    case SchedulerClass::DDPM: return std::make_unique<DDPMScheduler>(config);
    case SchedulerClass::PNDM: return std::make_unique<PNDMScheduler>(config);
    case SchedulerClass::EulerDiscrete: return std::make_unique<EulerDiscreteScheduler>(config);
    case SchedulerClass::EulerAncestral: return std::make_unique<EulerAncestralScheduler>(config);
    case SchedulerClass::DPMSolverMultistep: return std::make_unique<DPMSolverMultistepScheduler>(config);
    case SchedulerClass::UniPCMultistep: return std::make_unique<UniPCMultistepScheduler>(config);
  }
  throw Error("internal: unknown scheduler class");
}

std::unique_ptr<Scheduler> make_scheduler(const std::string& name, const nlohmann::json& model_scheduler_config) {
  const SamplerEntry& entry = find_sampler(name);
  nlohmann::json j = model_scheduler_config.is_object() ? model_scheduler_config : nlohmann::json::object();
  for (auto it = entry.overrides.begin(); it != entry.overrides.end(); ++it) {
    j[it.key()] = it.value();
    // An explicit override must not be dropped as "saved with its default value".
    if (auto u = j.find("_use_default_values"); u != j.end() && u->is_array()) {
      nlohmann::json kept = nlohmann::json::array();
      for (const auto& k : *u)
        if (!(k.is_string() && k.get<std::string>() == it.key())) kept.push_back(k);
      *u = kept;
    }
  }
  return make_scheduler(resolve_config(entry.cls, j, "scheduler config (sampler " + name + ")"));
}

std::unique_ptr<Scheduler> make_scheduler_from_config(const nlohmann::json& scheduler_config) {
  if (!scheduler_config.is_object() || !scheduler_config.contains("_class_name") ||
      !scheduler_config["_class_name"].is_string())
    throw Error("scheduler config has no \"_class_name\"",
                "pass the model's scheduler/scheduler_config.json, or choose a sampler by name");
  const auto cls = class_from_name(scheduler_config["_class_name"].get<std::string>());
  return make_scheduler(resolve_config(cls, scheduler_config));
}

Img2ImgTimesteps img2img_timesteps(Scheduler& scheduler, int64_t num_inference_steps, double strength) {
  if (!(strength >= 0.0 && strength <= 1.0))
    throw Error("img2img strength " + std::to_string(strength) + " is outside [0, 1]", "choose a strength in [0, 1]");
  const auto init = std::min(static_cast<int64_t>(static_cast<double>(num_inference_steps) * strength),
                             num_inference_steps);
  const int64_t t_start = std::max<int64_t>(num_inference_steps - init, 0);
  const int64_t begin = std::min(t_start * scheduler.order(), scheduler.num_model_calls());
  Img2ImgTimesteps r;
  r.timesteps = scheduler.timesteps().slice(0, begin);
  r.num_inference_steps = num_inference_steps - t_start;
  r.t_start = t_start;
  if (scheduler.has_begin_index()) scheduler.set_begin_index(begin);
  return r;
}

}  // namespace tessera::schedulers
