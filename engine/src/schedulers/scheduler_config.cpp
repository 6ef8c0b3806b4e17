#include "schedulers/scheduler_config.h"

#include "models/config_reader.h"
#include "tessera/error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace tessera::schedulers {

namespace {

using models::ConfigReader;
using nlohmann::json;

struct ClassInfo {
  SchedulerClass cls;
  const char* name;
  std::vector<std::string> keys;  // the __init__ keys of this class in diffusers v0.26
};

const std::vector<ClassInfo>& classes() {
  static const std::vector<ClassInfo> all = {
      {SchedulerClass::DDIM, "DDIMScheduler",
       {"num_train_timesteps", "beta_start", "beta_end", "beta_schedule", "trained_betas", "clip_sample",
        "set_alpha_to_one", "steps_offset", "prediction_type", "thresholding", "dynamic_thresholding_ratio",
        "clip_sample_range", "sample_max_value", "timestep_spacing", "rescale_betas_zero_snr"}},
      {SchedulerClass::DDPM, "DDPMScheduler",
       {"num_train_timesteps", "beta_start", "beta_end", "beta_schedule", "trained_betas", "variance_type",
        "clip_sample", "prediction_type", "thresholding", "dynamic_thresholding_ratio", "clip_sample_range",
        "sample_max_value", "timestep_spacing", "steps_offset", "rescale_betas_zero_snr"}},
      {SchedulerClass::PNDM, "PNDMScheduler",
       {"num_train_timesteps", "beta_start", "beta_end", "beta_schedule", "trained_betas", "skip_prk_steps",
        "set_alpha_to_one", "prediction_type", "timestep_spacing", "steps_offset"}},
      {SchedulerClass::EulerDiscrete, "EulerDiscreteScheduler",
       {"num_train_timesteps", "beta_start", "beta_end", "beta_schedule", "trained_betas", "prediction_type",
        "interpolation_type", "use_karras_sigmas", "sigma_min", "sigma_max", "timestep_spacing", "timestep_type",
        "steps_offset", "rescale_betas_zero_snr"}},
      {SchedulerClass::EulerAncestral, "EulerAncestralDiscreteScheduler",
       {"num_train_timesteps", "beta_start", "beta_end", "beta_schedule", "trained_betas", "prediction_type",
        "timestep_spacing", "steps_offset", "rescale_betas_zero_snr"}},
      {SchedulerClass::DPMSolverMultistep, "DPMSolverMultistepScheduler",
       {"num_train_timesteps", "beta_start", "beta_end", "beta_schedule", "trained_betas", "solver_order",
        "prediction_type", "thresholding", "dynamic_thresholding_ratio", "sample_max_value", "algorithm_type",
        "solver_type", "lower_order_final", "euler_at_final", "use_karras_sigmas", "use_lu_lambdas",
        "final_sigmas_type", "lambda_min_clipped", "variance_type", "timestep_spacing", "steps_offset"}},
      {SchedulerClass::UniPCMultistep, "UniPCMultistepScheduler",
       {"num_train_timesteps", "beta_start", "beta_end", "beta_schedule", "trained_betas", "solver_order",
        "prediction_type", "thresholding", "dynamic_thresholding_ratio", "sample_max_value", "predict_x0",
        "solver_type", "lower_order_final", "disable_corrector", "solver_p", "use_karras_sigmas",
        "timestep_spacing", "steps_offset"}},
  };
  return all;
}

const ClassInfo& info(SchedulerClass cls) {
  for (const auto& c : classes())
    if (c.cls == cls) return c;
  throw Error("internal: unknown scheduler class");
}

// Keys of other diffusers schedulers (or newer diffusers versions) that may appear in a model's
// scheduler config and have no effect on the class being built.
const std::set<std::string>& other_known_keys() {
  static const std::set<std::string> keys = {
      "_class_name", "_diffusers_version", "_use_default_values", "_name_or_path", "sigma_data", "rho",
      "s_noise", "s_churn", "s_tmin", "s_tmax", "eta", "clip_denoised", "use_dynamic_shifting", "shift",
      "time_shift_type", "base_shift", "max_shift", "base_image_seq_len", "max_image_seq_len", "flow_shift",
      "invert_sigmas", "shift_terminal", "stochastic_sampling", "lower_order_final", "timestep_type",
      "final_sigmas_type", "use_exponential_sigmas", "use_beta_sigmas", "use_flow_sigmas", "beta_sample_alpha",
      "beta_sample_beta", "snr_shift_scale", "original_inference_steps", "timestep_scaling", "noise_sampler_seed",
      "solver_p", "use_lu_lambdas", "predict_x0", "disable_corrector", "variance_type", "algorithm_type"};
  return keys;
}

// Numeric value that may be one of the strings Infinity/-Infinity/NaN (see parse_scheduler_config_text).
double get_number(ConfigReader& r, const std::string& key, double fallback) {
  const json* v = r.raw(key);
  if (!v) return fallback;
  if (v->is_number()) return v->get<double>();
  if (v->is_string()) {
    const auto s = v->get<std::string>();
    if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
    if (s == "Infinity") return std::numeric_limits<double>::infinity();
  }
  r.fail(key, "expected a number");
}

template <typename E>
E get_enum(ConfigReader& r, const std::string& key, E fallback, const std::vector<std::pair<std::string, E>>& values,
           const std::string& hint) {
  const std::string s = r.get_string(key, "");
  if (s.empty() && !r.has(key)) return fallback;
  for (const auto& [name, value] : values)
    if (name == s) return value;
  std::string list;
  for (const auto& v : values) list += (list.empty() ? "" : ", ") + v.first;
  r.fail(key, "not supported by Tessera (supported: " + list + ")", hint);
}

std::string get_choice(ConfigReader& r, const std::string& key, const std::string& fallback,
                       const std::vector<std::string>& allowed, const std::string& hint) {
  const std::string s = r.has(key) ? r.get_string(key, fallback) : (r.raw(key), fallback);
  if (std::find(allowed.begin(), allowed.end(), s) != allowed.end()) return s;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  r.fail(key, "not supported by Tessera (supported: " + list + ")", hint);
}

bool has_key(SchedulerClass cls, const std::string& key) {
  const auto& keys = info(cls).keys;
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

}  // namespace

std::string class_name(SchedulerClass cls) { return info(cls).name; }

SchedulerClass class_from_name(const std::string& diffusers_class_name) {
  std::string list;
  for (const auto& c : classes()) {
    if (diffusers_class_name == c.name) return c.cls;
    list += (list.empty() ? "" : ", ") + std::string(c.name);
  }
  throw Error("scheduler class \"" + diffusers_class_name + "\" is not supported by Tessera",
              "supported _class_name values: " + list + "; or pick a sampler by name");
}

std::string to_string(BetaSchedule v) {
  switch (v) {
    case BetaSchedule::Linear: return "linear";
    case BetaSchedule::ScaledLinear: return "scaled_linear";
    case BetaSchedule::SquaredCosCapV2: return "squaredcos_cap_v2";
  }
  return "?";
}

std::string to_string(PredictionType v) {
  switch (v) {
    case PredictionType::Epsilon: return "epsilon";
    case PredictionType::VPrediction: return "v_prediction";
    case PredictionType::Sample: return "sample";
  }
  return "?";
}

std::string to_string(TimestepSpacing v) {
  switch (v) {
    case TimestepSpacing::Leading: return "leading";
    case TimestepSpacing::Linspace: return "linspace";
    case TimestepSpacing::Trailing: return "trailing";
  }
  return "?";
}

SchedulerConfig default_config(SchedulerClass cls) {
  SchedulerConfig c;
  c.cls = cls;
  switch (cls) {
    case SchedulerClass::DDIM:
      c.timestep_spacing = TimestepSpacing::Leading;
      c.set_alpha_to_one = true;
      c.clip_sample = true;
      break;
    case SchedulerClass::DDPM:
      c.timestep_spacing = TimestepSpacing::Leading;
      c.clip_sample = true;
      c.variance_type = "fixed_small";
      break;
    case SchedulerClass::PNDM:
      c.timestep_spacing = TimestepSpacing::Leading;
      c.set_alpha_to_one = false;
      c.skip_prk_steps = false;
      break;
    case SchedulerClass::EulerDiscrete:
    case SchedulerClass::EulerAncestral:
      c.timestep_spacing = TimestepSpacing::Linspace;
      break;
    case SchedulerClass::DPMSolverMultistep:
      c.timestep_spacing = TimestepSpacing::Linspace;
      c.solver_order = 2;
      c.solver_type = "midpoint";
      break;
    case SchedulerClass::UniPCMultistep:
      c.timestep_spacing = TimestepSpacing::Linspace;
      c.solver_order = 2;
      c.solver_type = "bh2";
      break;
  }
  return c;
}

nlohmann::json parse_scheduler_config_text(const std::string& text, const std::string& what) {
  // Quote the bare tokens Python's json module writes for non-finite floats (outside strings).
  std::string out;
  out.reserve(text.size() + 16);
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (in_string) {
      out += ch;
      if (ch == '\\' && i + 1 < text.size()) out += text[++i];
      else if (ch == '"') in_string = false;
      continue;
    }
    if (ch == '"') {
      in_string = true;
      out += ch;
      continue;
    }
    bool replaced = false;
    for (const char* token : {"-Infinity", "Infinity", "NaN"}) {
      const std::string t(token);
      if (text.compare(i, t.size(), t) == 0) {
        out += '"' + t + '"';
        i += t.size() - 1;
        replaced = true;
        break;
      }
    }
    if (!replaced) out += ch;
  }
  try {
    return json::parse(out);
  } catch (const json::exception& e) {
    throw Error(what + ": not valid JSON (" + e.what() + ")", "check or re-download the scheduler config file");
  }
}

nlohmann::json read_scheduler_config_file(const std::string& path) {
  return parse_scheduler_config_text(models::read_text_file(path), path);
}

SchedulerConfig resolve_config(SchedulerClass cls, const nlohmann::json& scheduler_config, const std::string& what) {
  if (!scheduler_config.is_object())
    throw Error(what + ": expected a JSON object", "pass the contents of the model's scheduler/scheduler_config.json");
  // diffusers >= 0.22 drops keys that were saved with their default value, so that every class
  // falls back to its own default for them.
  json j = scheduler_config;
  if (auto it = j.find("_use_default_values"); it != j.end() && it->is_array()) {
    for (const auto& k : *it)
      if (k.is_string()) j.erase(k.get<std::string>());
  }
  ConfigReader r(std::move(j), what);
  SchedulerConfig c = default_config(cls);
  const std::string cname = class_name(cls);

  c.source_class_name = r.get_string("_class_name", "");
  c.diffusers_version = r.get_string("_diffusers_version", "");
  r.ignore("_use_default_values");
  r.ignore("_name_or_path");

  c.num_train_timesteps = r.get_int("num_train_timesteps", c.num_train_timesteps);
  if (c.num_train_timesteps < 2 || c.num_train_timesteps > 100000) r.fail("num_train_timesteps", "out of range");
  c.beta_start = r.get_double("beta_start", c.beta_start);
  c.beta_end = r.get_double("beta_end", c.beta_end);
  c.beta_schedule = get_enum<BetaSchedule>(
      r, "beta_schedule", c.beta_schedule,
      {{"linear", BetaSchedule::Linear}, {"scaled_linear", BetaSchedule::ScaledLinear},
       {"squaredcos_cap_v2", BetaSchedule::SquaredCosCapV2}},
      "use one of the beta schedules diffusers' " + cname + " implements");
  if (const json* tb = r.raw("trained_betas")) {
    if (!tb->is_array() || static_cast<int64_t>(tb->size()) != c.num_train_timesteps)
      r.fail("trained_betas", "expected a list of num_train_timesteps numbers");
    for (const auto& b : *tb) {
      if (!b.is_number()) r.fail("trained_betas", "expected a list of numbers");
      c.trained_betas.push_back(b.get<double>());
    }
  }

  std::vector<std::pair<std::string, PredictionType>> predictions = {{"epsilon", PredictionType::Epsilon},
                                                                     {"v_prediction", PredictionType::VPrediction}};
  if (cls != SchedulerClass::PNDM && cls != SchedulerClass::EulerAncestral)
    predictions.push_back({"sample", PredictionType::Sample});
  c.prediction_type = get_enum<PredictionType>(r, "prediction_type", c.prediction_type, predictions,
                                                "diffusers' " + cname + " supports only these prediction types");
  c.timestep_spacing = get_enum<TimestepSpacing>(
      r, "timestep_spacing", c.timestep_spacing,
      {{"leading", TimestepSpacing::Leading}, {"linspace", TimestepSpacing::Linspace},
       {"trailing", TimestepSpacing::Trailing}},
      "");
  c.steps_offset = r.get_int("steps_offset", c.steps_offset);

  const std::string no_threshold =
      "dynamic thresholding is for pixel-space models and is not implemented; set \"thresholding\": false";
  if (has_key(cls, "thresholding")) {
    r.expect("thresholding", {false}, no_threshold);
    c.dynamic_thresholding_ratio = r.get_double("dynamic_thresholding_ratio", c.dynamic_thresholding_ratio);
    c.sample_max_value = r.get_double("sample_max_value", c.sample_max_value);
  }
  if (has_key(cls, "rescale_betas_zero_snr"))
    c.rescale_betas_zero_snr = r.get_bool("rescale_betas_zero_snr", c.rescale_betas_zero_snr);
  if (has_key(cls, "set_alpha_to_one")) c.set_alpha_to_one = r.get_bool("set_alpha_to_one", c.set_alpha_to_one);
  if (has_key(cls, "clip_sample")) {
    c.clip_sample = r.get_bool("clip_sample", c.clip_sample);
    c.clip_sample_range = r.get_double("clip_sample_range", c.clip_sample_range);
  }
  if (has_key(cls, "skip_prk_steps")) c.skip_prk_steps = r.get_bool("skip_prk_steps", c.skip_prk_steps);
  if (has_key(cls, "use_karras_sigmas")) c.use_karras_sigmas = r.get_bool("use_karras_sigmas", c.use_karras_sigmas);

  switch (cls) {
    case SchedulerClass::DDPM:
      // null behaves as fixed_small in diffusers' DDPMScheduler.step.
      if (r.is_null("variance_type")) r.ignore("variance_type");
      c.variance_type = get_choice(r, "variance_type", c.variance_type,
                                   {"fixed_small", "fixed_small_log", "fixed_large"},
                                   "learned variances need a UNet with 8 output channels, which Tessera does not run");
      break;
    case SchedulerClass::EulerDiscrete: {
      get_choice(r, "interpolation_type", "linear", {"linear"}, "use \"linear\" (the default)");
      get_choice(r, "timestep_type", "discrete", {"discrete"}, "use \"discrete\" (the default)");
      if (r.has("sigma_min")) {
        c.has_sigma_min = true;
        c.sigma_min = get_number(r, "sigma_min", 0.0);
      } else {
        r.ignore("sigma_min");
      }
      if (r.has("sigma_max")) {
        c.has_sigma_max = true;
        c.sigma_max = get_number(r, "sigma_max", 0.0);
      } else {
        r.ignore("sigma_max");
      }
      break;
    }
    case SchedulerClass::DPMSolverMultistep:
      c.solver_order = r.get_int("solver_order", c.solver_order);
      if (c.solver_order < 1 || c.solver_order > 2)
        r.fail("solver_order", "not supported by Tessera (supported: 1, 2)", "use solver_order 2 (DPM++ 2M)");
      get_choice(r, "algorithm_type", "dpmsolver++", {"dpmsolver++"},
                 "Tessera implements DPM-Solver++ (\"dpmsolver++\") only");
      c.solver_type = get_choice(r, "solver_type", c.solver_type, {"midpoint", "heun"}, "");
      c.lower_order_final = r.get_bool("lower_order_final", c.lower_order_final);
      c.euler_at_final = r.get_bool("euler_at_final", c.euler_at_final);
      r.expect("use_lu_lambdas", {false}, "Lu lambdas are not implemented; use use_karras_sigmas instead");
      c.final_sigmas_type = get_choice(r, "final_sigmas_type", c.final_sigmas_type, {"zero", "sigma_min"}, "");
      c.lambda_min_clipped = get_number(r, "lambda_min_clipped", c.lambda_min_clipped);
      r.expect_null("variance_type", "learned variances need a UNet with 8 output channels");
      c.variance_type.clear();
      break;
    case SchedulerClass::UniPCMultistep:
      c.solver_order = r.get_int("solver_order", c.solver_order);
      if (c.solver_order < 1 || c.solver_order > 3)
        r.fail("solver_order", "not supported by Tessera (supported: 1, 2, 3)", "use solver_order 2");
      r.expect("predict_x0", {true}, "Tessera implements the data-prediction (predict_x0) form of UniPC only");
      c.solver_type = get_choice(r, "solver_type", c.solver_type, {"bh1", "bh2"}, "");
      c.lower_order_final = r.get_bool("lower_order_final", c.lower_order_final);
      c.disable_corrector = r.get_int_list("disable_corrector", {});
      r.expect_null("solver_p", "a custom predictor scheduler is not supported");
      break;
    default:
      break;
  }

  // Newer diffusers options that change the math when enabled.
  for (const char* key : {"use_exponential_sigmas", "use_beta_sigmas", "use_flow_sigmas"})
    r.expect(key, {false}, "this sigma schedule is not implemented by Tessera");

  // Keys of other classes are ignored (diffusers' from_config does the same); anything else is an
  // unknown key, reported by finish().
  std::set<std::string> known = other_known_keys();
  for (const auto& ci : classes()) known.insert(ci.keys.begin(), ci.keys.end());
  for (auto it = scheduler_config.begin(); it != scheduler_config.end(); ++it)
    if (known.count(it.key()) && !has_key(cls, it.key())) r.ignore(it.key());
  r.finish();
  return c;
}

nlohmann::json to_json(const SchedulerConfig& c) {
  json j;
  auto put = [&](const std::string& key, json value) {
    if (has_key(c.cls, key)) j[key] = std::move(value);
  };
  put("num_train_timesteps", c.num_train_timesteps);
  put("beta_start", c.beta_start);
  put("beta_end", c.beta_end);
  put("beta_schedule", to_string(c.beta_schedule));
  put("trained_betas", c.trained_betas.empty() ? json(nullptr) : json(c.trained_betas));
  put("prediction_type", to_string(c.prediction_type));
  put("timestep_spacing", to_string(c.timestep_spacing));
  put("steps_offset", c.steps_offset);
  put("rescale_betas_zero_snr", c.rescale_betas_zero_snr);
  put("set_alpha_to_one", c.set_alpha_to_one);
  put("clip_sample", c.clip_sample);
  put("clip_sample_range", c.clip_sample_range);
  put("skip_prk_steps", c.skip_prk_steps);
  put("thresholding", c.thresholding);
  put("dynamic_thresholding_ratio", c.dynamic_thresholding_ratio);
  put("sample_max_value", c.sample_max_value);
  put("use_karras_sigmas", c.use_karras_sigmas);
  put("solver_order", c.solver_order);
  put("solver_type", c.solver_type);
  put("lower_order_final", c.lower_order_final);
  put("euler_at_final", c.euler_at_final);
  put("final_sigmas_type", c.final_sigmas_type);
  put("lambda_min_clipped", std::isinf(c.lambda_min_clipped) ? json(c.lambda_min_clipped < 0 ? "-Infinity" : "Infinity")
                                                             : json(c.lambda_min_clipped));
  put("disable_corrector", c.disable_corrector);
  put("variance_type", c.variance_type.empty() ? json(nullptr) : json(c.variance_type));
  put("algorithm_type", "dpmsolver++");
  put("predict_x0", true);
  put("solver_p", nullptr);
  put("use_lu_lambdas", false);
  put("interpolation_type", "linear");
  put("timestep_type", "discrete");
  put("sigma_min", c.has_sigma_min ? json(c.sigma_min) : json(nullptr));
  put("sigma_max", c.has_sigma_max ? json(c.sigma_max) : json(nullptr));
  j["_class_name"] = class_name(c.cls);
  return j;
}

}  // namespace tessera::schedulers
