#pragma once
// SchedulerConfig: one flat struct for every sampler Tessera runs, read from a diffusers
// scheduler_config.json the way diffusers' `Cls.from_config(config)` reads it (v0.26):
//   * keys ABSENT from the JSON (or listed in its `_use_default_values`) take the defaults of the
//     class being built, never those of the class that wrote the file (e.g. timestep_spacing is
//     "leading" for DDIM/DDPM/PNDM but "linspace" for Euler, Euler a, DPM-Solver++ and UniPC);
//   * keys that belong to another diffusers scheduler class are ignored, as diffusers does;
//   * keys no supported class knows, and values Tessera does not implement, are errors naming the
//     key and the value.
// Internal header (no torch).

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace tessera::schedulers {

// The diffusers scheduler classes Tessera implements.
enum class SchedulerClass {
  DDIM,                 // DDIMScheduler
  DDPM,                 // DDPMScheduler
  PNDM,                 // PNDMScheduler (PLMS; PRK warm-up unless skip_prk_steps)
  EulerDiscrete,        // EulerDiscreteScheduler
  EulerAncestral,       // EulerAncestralDiscreteScheduler
  DPMSolverMultistep,   // DPMSolverMultistepScheduler (dpmsolver++)
  UniPCMultistep,       // UniPCMultistepScheduler (predict_x0)
};

// "DDIMScheduler", ... ; and back (throws tessera::Error listing the supported names).
std::string class_name(SchedulerClass cls);
SchedulerClass class_from_name(const std::string& diffusers_class_name);

enum class BetaSchedule { Linear, ScaledLinear, SquaredCosCapV2 };
enum class PredictionType { Epsilon, VPrediction, Sample };
enum class TimestepSpacing { Leading, Linspace, Trailing };

std::string to_string(BetaSchedule v);
std::string to_string(PredictionType v);
std::string to_string(TimestepSpacing v);

struct SchedulerConfig {
  SchedulerClass cls = SchedulerClass::DDIM;

  // Noise schedule (all classes).
  int64_t num_train_timesteps = 1000;
  double beta_start = 0.0001;
  double beta_end = 0.02;
  BetaSchedule beta_schedule = BetaSchedule::Linear;
  std::vector<double> trained_betas;  // non-empty: used instead of beta_start/end/schedule
  bool rescale_betas_zero_snr = false;  // DDIM, DDPM, Euler, Euler a
  PredictionType prediction_type = PredictionType::Epsilon;
  TimestepSpacing timestep_spacing = TimestepSpacing::Leading;
  int64_t steps_offset = 0;

  // DDIM / DDPM / PNDM.
  bool set_alpha_to_one = true;      // DDIM default true, PNDM default false
  bool clip_sample = true;           // DDIM, DDPM
  double clip_sample_range = 1.0;    // DDIM, DDPM
  bool skip_prk_steps = false;       // PNDM
  std::string variance_type;         // DDPM: "fixed_small" | "fixed_small_log" | "fixed_large"; DPM: "" (null)

  // Dynamic thresholding (parsed for completeness; `thresholding: true` is refused).
  bool thresholding = false;
  double dynamic_thresholding_ratio = 0.995;
  double sample_max_value = 1.0;

  // Euler.
  bool use_karras_sigmas = false;    // Euler, DPM, UniPC
  bool has_sigma_min = false;        // Euler: Karras range override
  double sigma_min = 0.0;
  bool has_sigma_max = false;
  double sigma_max = 0.0;

  // DPM-Solver++ / UniPC.
  int64_t solver_order = 2;
  std::string solver_type = "midpoint";  // DPM: midpoint | heun; UniPC: bh1 | bh2
  bool lower_order_final = true;
  bool euler_at_final = false;
  std::string final_sigmas_type = "zero";  // DPM: zero | sigma_min
  double lambda_min_clipped = -std::numeric_limits<double>::infinity();
  std::vector<int64_t> disable_corrector;  // UniPC

  // Provenance: the class that wrote the file and its diffusers version (informational).
  std::string source_class_name;
  std::string diffusers_version;
};

// The defaults of `cls` in diffusers v0.26 (what from_config gives for an empty JSON object).
SchedulerConfig default_config(SchedulerClass cls);

// Builds `cls` from a diffusers scheduler config (diffusers' Cls.from_config semantics, see the
// top of this file). `what` names the source in messages. Throws tessera::Error naming the key
// and value of anything unsupported or unknown.
SchedulerConfig resolve_config(SchedulerClass cls, const nlohmann::json& scheduler_config,
                               const std::string& what = "scheduler_config.json");

// Parses scheduler_config.json text. Python's json writes the non-standard tokens Infinity,
// -Infinity and NaN (DPMSolverMultistep's lambda_min_clipped is -inf); they are read as the
// strings "Infinity", "-Infinity", "NaN", which resolve_config accepts for numeric keys.
nlohmann::json parse_scheduler_config_text(const std::string& text, const std::string& what = "scheduler_config.json");
nlohmann::json read_scheduler_config_file(const std::string& path);

// The resolved values as diffusers would save them (only the keys of `config.cls`), for logs and
// for comparing with a diffusers `scheduler.config` dump.
nlohmann::json to_json(const SchedulerConfig& config);

}  // namespace tessera::schedulers
