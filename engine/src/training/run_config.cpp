#include "training/run_config.h"

#include "tessera/error.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>

namespace tessera::training {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read " + path, "check the path and its permissions");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string line_of(const YAML::Node& node) {
  const YAML::Mark m = node.Mark();
  return m.line >= 0 ? " (line " + std::to_string(m.line + 1) + ")" : std::string();
}

// Plain YAML scalars become JSON numbers, booleans and nulls where they read as such; quoted
// scalars stay strings.
json yaml_to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Sequence: {
      json a = json::array();
      for (const auto& item : node) a.push_back(yaml_to_json(item));
      return a;
    }
    case YAML::NodeType::Map: {
      json o = json::object();
      for (const auto& kv : node) o[kv.first.as<std::string>()] = yaml_to_json(kv.second);
      return o;
    }
    case YAML::NodeType::Scalar:
      break;
  }
  const std::string s = node.Scalar();
  if (node.Tag() == "!") return s;
  if (s == "null" || s == "~" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  try {
    size_t used = 0;
    const long long v = std::stoll(s, &used);
    if (used == s.size()) return v;
  } catch (...) {
  }
  try {
    size_t used = 0;
    const double v = std::stod(s, &used);
    if (used == s.size()) return v;
  } catch (...) {
  }
  return s;
}

// Shortest decimal text that reads back as exactly `v`.
std::string double_text(double v) {
  if (std::isnan(v)) return ".nan";
  if (std::isinf(v)) return v > 0 ? ".inf" : "-.inf";
  char buf[64];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  std::string s = buf;
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

void emit_json(YAML::Emitter& out, const json& j) {
  if (j.is_object()) {
    out << YAML::BeginMap;
    for (auto it = j.begin(); it != j.end(); ++it) {
      out << YAML::Key << it.key() << YAML::Value;
      emit_json(out, it.value());
    }
    out << YAML::EndMap;
  } else if (j.is_array()) {
    out << YAML::Flow << YAML::BeginSeq;
    for (const auto& v : j) emit_json(out, v);
    out << YAML::EndSeq;
  } else if (j.is_null()) {
    out << YAML::Null;
  } else if (j.is_boolean()) {
    out << (j.get<bool>() ? "true" : "false");
  } else if (j.is_number_float()) {
    out << double_text(j.get<double>());
  } else if (j.is_number()) {
    out << j.dump();
  } else {
    out << YAML::DoubleQuoted << j.get<std::string>();
  }
}

// One YAML mapping with its keys checked off as they are read; finish() rejects the rest.
class Section {
 public:
  Section(YAML::Node node, std::string prefix, std::string what)
      : node_(std::move(node)), prefix_(std::move(prefix)), what_(std::move(what)) {
    if (node_.IsDefined() && !node_.IsNull() && !node_.IsMap()) {
      throw Error(what_ + ": '" + name_or_root() + "' must be a mapping" + line_of(node_),
                  "write it as 'key: value' lines indented under it");
    }
  }

  bool has(const std::string& key) const {
    const YAML::Node n = lookup(key);
    return n.IsDefined() && !n.IsNull();
  }

  YAML::Node take(const std::string& key) {
    seen_.insert(key);
    return lookup(key);
  }

  [[noreturn]] void fail(const std::string& key, const YAML::Node& at, const std::string& problem,
                         const std::string& hint = {}) const {
    throw Error(what_ + ": '" + full(key) + "' " + problem + line_of(at), hint);
  }

  int64_t get_int(const std::string& key, int64_t fallback, int64_t min = std::numeric_limits<int64_t>::min(),
                  int64_t max = std::numeric_limits<int64_t>::max()) {
    const YAML::Node n = take(key);
    if (!n.IsDefined() || n.IsNull()) return fallback;
    const json v = scalar(key, n);
    if (!v.is_number_integer()) fail(key, n, "must be an integer, not '" + n.Scalar() + "'");
    const int64_t x = v.get<int64_t>();
    check_range(key, n, static_cast<double>(x), static_cast<double>(min), static_cast<double>(max));
    return x;
  }

  double get_double(const std::string& key, double fallback, double min = -std::numeric_limits<double>::infinity(),
                    double max = std::numeric_limits<double>::infinity()) {
    const YAML::Node n = take(key);
    if (!n.IsDefined() || n.IsNull()) return fallback;
    const json v = scalar(key, n);
    if (!v.is_number()) fail(key, n, "must be a number, not '" + n.Scalar() + "'");
    const double x = v.get<double>();
    if (!std::isfinite(x)) fail(key, n, "must be finite");
    check_range(key, n, x, min, max);
    return x;
  }

  bool get_bool(const std::string& key, bool fallback) {
    const YAML::Node n = take(key);
    if (!n.IsDefined() || n.IsNull()) return fallback;
    const json v = scalar(key, n);
    if (!v.is_boolean()) fail(key, n, "must be true or false, not '" + n.Scalar() + "'");
    return v.get<bool>();
  }

  std::string get_string(const std::string& key, const std::string& fallback,
                         const std::vector<std::string>& allowed = {}) {
    const YAML::Node n = take(key);
    if (!n.IsDefined() || n.IsNull()) return fallback;
    if (!n.IsScalar()) fail(key, n, "must be a text value");
    const std::string s = n.Scalar();
    if (!allowed.empty()) {
      bool ok = false;
      std::string list;
      for (const auto& a : allowed) {
        ok = ok || a == s;
        list += (list.empty() ? "" : ", ") + a;
      }
      if (!ok) fail(key, n, "is '" + s + "'", "use one of: " + list);
    }
    return s;
  }

  // A path, resolved against the config file's folder when relative.
  std::string get_path(const std::string& key, const std::string& base_dir) {
    std::string s = get_string(key, "");
    if (s.empty() || base_dir.empty() || fs::path(s).is_absolute()) return s;
    return (fs::path(base_dir) / s).lexically_normal().string();
  }

  // A number of batches: an integer or "<N>ba" (Composer's time strings; epochs are not offered).
  int64_t get_duration(const std::string& key, int64_t fallback, int64_t min = 0) {
    const YAML::Node n = take(key);
    if (!n.IsDefined() || n.IsNull()) return fallback;
    if (!n.IsScalar()) fail(key, n, "must be a number of batches such as 10000 or \"10000ba\"");
    std::string s = n.Scalar();
    if (s.size() > 2 && s.compare(s.size() - 2, 2, "ba") == 0) s.resize(s.size() - 2);
    size_t used = 0;
    long long v = 0;
    try {
      v = std::stoll(s, &used);
    } catch (...) {
      used = 0;
    }
    if (used == 0 || used != s.size()) {
      fail(key, n, "must be a number of batches such as 10000 or \"10000ba\", not '" + n.Scalar() + "'",
           "durations in epochs ('ep') or samples ('sp') are not supported; give batches");
    }
    check_range(key, n, static_cast<double>(v), static_cast<double>(min), 1e15);
    return v;
  }

  std::vector<std::string> get_string_list(const std::string& key) {
    const YAML::Node n = take(key);
    std::vector<std::string> out;
    if (!n.IsDefined() || n.IsNull()) return out;
    if (!n.IsSequence()) fail(key, n, "must be a list");
    for (const auto& item : n) {
      if (!item.IsScalar()) fail(key, item, "must be a list of text values");
      out.push_back(item.Scalar());
    }
    return out;
  }

  std::vector<double> get_double_list(const std::string& key, const std::vector<double>& fallback, size_t count) {
    const YAML::Node n = take(key);
    if (!n.IsDefined() || n.IsNull()) return fallback;
    if (!n.IsSequence() || n.size() != count) fail(key, n, "must be a list of " + std::to_string(count) + " numbers");
    std::vector<double> out;
    for (const auto& item : n) {
      const json v = item.IsScalar() ? yaml_to_json(item) : json();
      if (!v.is_number()) fail(key, item, "must be a list of numbers");
      out.push_back(v.get<double>());
    }
    return out;
  }

  Section section(const std::string& key) { return Section(take(key), full(key), what_); }

  void finish() const {
    if (!node_.IsDefined() || !node_.IsMap()) return;
    for (const auto& kv : node_) {
      const std::string key = kv.first.Scalar();
      if (seen_.count(key) == 0) {
        throw Error(what_ + ": unknown key '" + full(key) + "'" + line_of(kv.first),
                    "check the spelling; the keys Tessera reads are listed in resources/presets/*.yaml");
      }
    }
  }

  std::string full(const std::string& key) const { return prefix_.empty() ? key : prefix_ + "." + key; }

 private:
  YAML::Node lookup(const std::string& key) const {
    if (!node_.IsDefined() || !node_.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
    for (const auto& kv : node_)
      if (kv.first.Scalar() == key) return kv.second;
    return YAML::Node(YAML::NodeType::Undefined);
  }
  std::string name_or_root() const { return prefix_.empty() ? "(document)" : prefix_; }
  json scalar(const std::string& key, const YAML::Node& n) const {
    if (!n.IsScalar()) fail(key, n, "must be a single value");
    return yaml_to_json(n);
  }
  void check_range(const std::string& key, const YAML::Node& n, double x, double min, double max) const {
    if (x < min || x > max) {
      std::ostringstream range;
      range << "must be in [" << min << ", " << max << "], not " << n.Scalar();
      fail(key, n, range.str());
    }
  }

  YAML::Node node_;
  std::string prefix_;
  std::string what_;
  std::set<std::string> seen_;
};

// The config.json that `p` names: the file itself, a component folder's, or a diffusers folder's
// `component`/config.json. A Tessera checkpoint folder names its `component`_config.json.
std::optional<fs::path> find_component_config(const fs::path& p, const std::string& component) {
  for (const fs::path& candidate : {p, p / "config.json", p / component / "config.json", p / (component + "_config.json")}) {
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec)) return candidate;
  }
  return std::nullopt;
}

// A diffusers component config given under `key`: inline as a mapping, or as the path of a
// config.json, a component folder or a diffusers folder (`component`/config.json inside). Null
// when the key is absent.
json read_component_config(Section& model, const std::string& key, const std::string& component,
                           const std::string& base_dir) {
  const YAML::Node n = model.take(key);
  if (!n.IsDefined() || n.IsNull()) return json();
  if (n.IsMap()) return yaml_to_json(n);
  if (!n.IsScalar()) model.fail(key, n, "must be a mapping (a diffusers " + component + " config) or a path");
  fs::path p = n.Scalar();
  if (p.is_relative() && !base_dir.empty()) p = fs::path(base_dir) / p;
  if (const auto found = find_component_config(p, component)) {
    try {
      return json::parse(read_file(found->string()));
    } catch (const json::exception& e) {
      model.fail(key, n, "names " + found->string() + ", which is not valid JSON (" + e.what() + ")");
    }
  }
  model.fail(key, n, "names " + p.string() + ", where no " + component + " config.json was found",
             "give a config.json, a " + component + " folder or a diffusers folder");
}

}  // namespace

std::string cuda_graph_obstacle(const RunConfig& c) {
  // A replayed graph repeats the captured work exactly: nothing in it may be decided on the host
  // during the step.
  return c.trainer.device == "cpu"                     ? "trainer.device is cpu"
         : c.model.trains == "vae"                     ? "model.trains is vae (only UNet steps are captured)"
         : c.optimizer.implementation == "in_backward" ? "optimizer.implementation in_backward updates the weights inside the backward pass"
         : c.uses_loss_scaling()                       ? "loss scaling decides on the host after every step"
         : c.model.train_text_encoder                  ? "model.train_text_encoder runs the text encoder with gradients"
                                                       : "";
}

std::string cuda_graph_hint() {
  return "set trainer.cuda_graph: false (CUDA graphs take UNet runs on a GPU, precision fp32 or amp_bf16, "
         "implementation flat or foreach)";
}

bool RunConfig::uses_loss_scaling() const {
  return trainer.loss_scaling == "dynamic" || (trainer.loss_scaling == "auto" && trainer.precision == "amp_fp16");
}

int64_t RunConfig::accumulation_steps(int64_t world_size) const {
  const int64_t per_step = trainer.device_train_microbatch_size * world_size;
  if (world_size < 1 || per_step <= 0 || batch_size % per_step != 0) {
    throw Error("batch_size " + std::to_string(batch_size) + " does not divide into microbatch " +
                    std::to_string(trainer.device_train_microbatch_size) + " x " + std::to_string(world_size) +
                    " rank(s)",
                "choose batch_size = device_train_microbatch_size x ranks x accumulation steps");
  }
  return batch_size / per_step;
}

RunConfig parse_run_config(const std::string& yaml_text, const std::string& what, const std::string& base_dir) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    throw Error(what + ": not valid YAML: " + e.what(), "fix the syntax at the line shown");
  }
  if (!root.IsDefined() || root.IsNull()) throw Error(what + " is empty", "start from a preset in resources/presets/");
  RunConfig c;
  Section top(root, "", what);
  c.name = top.get_string("name", c.name);
  c.seed = top.get_int("seed", c.seed, 0);
  c.image_size = top.get_int("image_size", c.image_size, 8, 16384);
  c.batch_size = top.get_int("batch_size", c.batch_size, 1, 1 << 24);

  {
    Section s = top.section("model");
    ModelSection& m = c.model;
    m.trains = s.get_string("trains", m.trains, {"unet", "vae"});
    m.unet_config = read_component_config(s, "unet", "unet", base_dir);
    if (m.unet_config.is_null() && m.trains == "unet") {
      s.fail("unet", {}, "is missing", "give the UNet architecture: a diffusers unet config mapping or a path to one");
    }
    if (!m.unet_config.is_null() && !m.unet_config.is_object()) s.fail("unet", {}, "must be a JSON/YAML object");
    m.init_from = s.get_path("init_from", base_dir);
    m.pretrained_components = s.get_path("pretrained_components", base_dir);
    m.vae_config = read_component_config(s, "vae", "vae", base_dir);
    if (m.trains == "vae" && m.vae_config.is_null()) {
      // From the weights the run starts from, else from the components folder.
      for (const std::string& from : {m.init_from, m.pretrained_components}) {
        if (from.empty() || !m.vae_config.is_null()) continue;
        if (const auto found = find_component_config(from, "vae")) {
          try {
            m.vae_config = json::parse(read_file(found->string()));
          } catch (const json::exception& e) {
            throw Error(what + ": " + found->string() + " is not valid JSON (" + e.what() + ")");
          }
        }
      }
      if (m.vae_config.is_null()) {
        s.fail("vae", {}, "is missing for model.trains: vae",
               "give the AutoencoderKL architecture (a diffusers vae config mapping or a path), or init_from / "
               "pretrained_components with a vae/config.json");
      }
    }
    if (!m.vae_config.is_null() && !m.vae_config.is_object()) s.fail("vae", {}, "must be a JSON/YAML object");
    m.kl_weight = s.get_double("kl_weight", m.kl_weight, 0, 1e6);
    m.frozen_precision = s.get_string("frozen_precision", m.frozen_precision, {"fp32", "bf16", "fp16"});
    m.precomputed_latents = s.get_bool("precomputed_latents", m.precomputed_latents);
    m.train_text_encoder = s.get_bool("train_text_encoder", m.train_text_encoder);
    m.latent_scale = s.get_double("latent_scale", m.latent_scale, 1e-6, 1e6);
    m.latents_are_scaled = s.get_bool("latents_are_scaled", m.latents_are_scaled);
    m.prediction_type = s.get_string("prediction_type", m.prediction_type, {"epsilon", "v_prediction", "sample"});
    m.offset_noise = s.get_double("offset_noise", m.offset_noise, 0, 1);
    m.zero_terminal_snr = s.get_bool("zero_terminal_snr", m.zero_terminal_snr);
    m.min_snr_gamma = s.get_double("min_snr_gamma", m.min_snr_gamma, 0, 1e6);
    Section ns = s.section("noise_scheduler");
    m.num_train_timesteps = ns.get_int("num_train_timesteps", m.num_train_timesteps, 2, 100000);
    m.beta_start = ns.get_double("beta_start", m.beta_start, 0, 1);
    m.beta_end = ns.get_double("beta_end", m.beta_end, 0, 1);
    m.beta_schedule = ns.get_string("beta_schedule", m.beta_schedule, {"linear", "scaled_linear", "squaredcos_cap_v2"});
    ns.finish();
    s.finish();
  }
  {
    Section s = top.section("dataset");
    DatasetSection& d = c.dataset;
    d.kind = s.get_string("kind", d.kind, {"latents_safetensors", "synthetic_latents", "mds_latents", "mds_images"});
    d.path = s.get_path("path", base_dir);
    d.caption_drop_prob = s.get_double("caption_drop_prob", d.caption_drop_prob, 0, 1);
    d.shuffle = s.get_bool("shuffle", d.shuffle);
    d.shuffle_seed = s.get_int("shuffle_seed", d.shuffle_seed, 0);
    d.synthetic_samples = s.get_int("synthetic_samples", d.synthetic_samples, 1, 1 << 30);
    d.latent_channels = s.get_int("latent_channels", d.latent_channels, 1, 64);
    d.latent_size = s.get_int("latent_size", d.latent_size, 1, 1024);
    d.text_tokens = s.get_int("text_tokens", d.text_tokens, 1, 4096);
    d.text_dim = s.get_int("text_dim", d.text_dim, 1, 16384);
    s.finish();
  }
  {
    Section s = top.section("optimizer");
    OptimizerSection& o = c.optimizer;
    o.name = s.get_string("name", o.name, {"adamw"});
    o.lr = s.get_double("lr", o.lr, 0, 10);
    o.weight_decay = s.get_double("weight_decay", o.weight_decay, 0, 10);
    const auto betas = s.get_double_list("betas", {o.beta1, o.beta2}, 2);
    if (betas[0] < 0 || betas[0] >= 1 || betas[1] < 0 || betas[1] >= 1) {
      s.fail("betas", {}, "must both be in [0, 1)");
    }
    o.beta1 = betas[0];
    o.beta2 = betas[1];
    o.eps = s.get_double("eps", o.eps, 0, 1);
    o.implementation = s.get_string("implementation", o.implementation, {"flat", "foreach", "in_backward"});
    s.finish();
  }
  {
    Section s = top.section("scheduler");
    SchedulerSection& sc = c.scheduler;
    sc.name = s.get_string("name", sc.name, {"linear_warmup_constant", "cosine_with_warmup"});
    sc.t_warmup = s.get_duration("t_warmup", sc.t_warmup);
    sc.alpha_f = s.get_double("alpha_f", sc.alpha_f, 0, 1);
    s.finish();
  }
  {
    Section s = top.section("ema");
    EMASection& e = c.ema;
    e.enabled = s.get_bool("enabled", top.has("ema"));
    e.smoothing = s.get_double("smoothing", e.smoothing, 0, 1);
    e.start = s.get_duration("start", e.start);
    s.finish();
  }
  {
    Section s = top.section("trainer");
    TrainerSection& t = c.trainer;
    t.max_duration = s.get_duration("max_duration", t.max_duration, 1);
    t.device_train_microbatch_size = s.get_int("device_train_microbatch_size", t.device_train_microbatch_size, 1, 1 << 20);
    t.grad_clip_norm = s.get_double("grad_clip_norm", t.grad_clip_norm, 0, 1e9);
    t.precision = s.get_string("precision", t.precision, {"fp32", "amp_bf16", "amp_fp16"});
    t.loss_scaling = s.get_string("loss_scaling", t.loss_scaling, {"auto", "dynamic", "none"});
    t.loss_scale_init = s.get_double("loss_scale_init", t.loss_scale_init, 1e-30, 1e38);
    t.loss_scale_growth_interval = s.get_int("loss_scale_growth_interval", t.loss_scale_growth_interval, 1, 1000000000);
    t.gradient_checkpointing = s.get_bool("gradient_checkpointing", t.gradient_checkpointing);
    t.channels_last = s.get_bool("channels_last", t.channels_last);
    t.cuda_graph = s.get_bool("cuda_graph", t.cuda_graph);
    t.save_interval = s.get_duration("save_interval", t.save_interval);
    t.save_num_checkpoints_to_keep = s.get_int("save_num_checkpoints_to_keep", t.save_num_checkpoints_to_keep, 1, 1000000);
    t.log_interval = s.get_duration("log_interval", t.log_interval, 1);
    t.nan_policy = s.get_string("nan_policy", t.nan_policy, {"stop", "rollback"});
    t.watchdog_timeout = s.get_double("watchdog_timeout", t.watchdog_timeout, 0, 1e7);
    t.device = s.get_string("device", t.device, {"auto", "cpu", "cuda"});
    t.bucket_cap_mb = s.get_int("bucket_cap_mb", t.bucket_cap_mb, 1, 4096);
    t.dist_timeout = s.get_double("dist_timeout", t.dist_timeout, 1, 1e6);
    s.finish();
  }
  {
    Section s = top.section("sampling");
    SamplingSection& sa = c.sampling;
    sa.interval = s.get_duration("interval", sa.interval);
    sa.prompts = s.get_string_list("prompts");
    sa.steps = s.get_int("steps", sa.steps, 1, 1000);
    sa.guidance = s.get_double("guidance", sa.guidance, 0, 100);
    sa.seed = s.get_int("seed", sa.seed, 0);
    sa.sampler = s.get_string("sampler", sa.sampler);
    s.finish();
  }
  top.finish();

  if (c.batch_size % c.trainer.device_train_microbatch_size != 0) {
    throw Error(what + ": batch_size " + std::to_string(c.batch_size) +
                    " is not a multiple of trainer.device_train_microbatch_size " +
                    std::to_string(c.trainer.device_train_microbatch_size),
                "the global batch is microbatch x accumulation steps x ranks");
  }
  if (c.optimizer.implementation == "in_backward" && c.trainer.grad_clip_norm > 0) {
    throw Error(what + ": optimizer.implementation in_backward cannot clip gradients (trainer.grad_clip_norm " +
                    double_text(c.trainer.grad_clip_norm) + ")",
                "each parameter is updated as soon as its gradient is ready, before the global norm is known: "
                "set trainer.grad_clip_norm: 0, or use implementation: flat");
  }
  if (c.optimizer.implementation == "in_backward" && c.uses_loss_scaling()) {
    throw Error(what + ": optimizer.implementation in_backward cannot be combined with loss scaling (" +
                    (c.trainer.precision == "amp_fp16" ? std::string("precision amp_fp16") : std::string("trainer.loss_scaling dynamic")) + ")",
                "an overflowing step must be skipped before any parameter changes: use implementation: flat");
  }
  if (c.trainer.cuda_graph) {
    if (const std::string cause = cuda_graph_obstacle(c); !cause.empty()) {
      throw Error(what + ": trainer.cuda_graph cannot be used here: " + cause, cuda_graph_hint());
    }
  }
  if (c.dataset.kind != "synthetic_latents" && c.dataset.path.empty()) {
    throw Error(what + ": dataset.path is missing for dataset.kind " + c.dataset.kind, "give the dataset's path");
  }
  if (!c.model.precomputed_latents && c.model.pretrained_components.empty()) {
    throw Error(what + ": model.precomputed_latents is false but model.pretrained_components is not set",
                "on-the-fly encoding needs a diffusers folder with vae/, text_encoder/ and tokenizer/");
  }
  if (c.model.train_text_encoder && c.model.pretrained_components.empty()) {
    throw Error(what + ": model.train_text_encoder is true but model.pretrained_components is not set",
                "the text encoder to train (and its tokenizer) come from a diffusers folder's text_encoder/ and tokenizer/");
  }
  if (c.model.trains == "vae") {
    if (c.dataset.kind != "mds_images") {
      throw Error(what + ": model.trains is vae but dataset.kind is " + c.dataset.kind,
                  "an autoencoder trains on images: use dataset.kind: mds_images with shards from `tessera shards write`");
    }
    if (c.trainer.gradient_checkpointing) {
      throw Error(what + ": trainer.gradient_checkpointing recomputes the UNet's blocks; it has no effect on a VAE run",
                  "set trainer.gradient_checkpointing: false");
    }
    if (c.model.train_text_encoder) {
      throw Error(what + ": model.train_text_encoder cannot be combined with model.trains: vae",
                  "train the VAE in a run of its own, then the UNet and text encoder with it");
    }
  } else if (c.dataset.kind == "mds_images" && c.model.precomputed_latents) {
    throw Error(what + ": dataset.kind mds_images gives images, but model.precomputed_latents is true",
                "set model.precomputed_latents: false (the VAE and text encoder of model.pretrained_components encode "
                "them on the fly), or compute latent shards with `tessera latents` and use mds_latents");
  }
  if (c.model.trains == "unet" && c.sampling.interval > 0 &&
      (c.sampling.prompts.empty() || c.model.pretrained_components.empty())) {
    throw Error(what + ": sampling.interval is set but sampling.prompts or model.pretrained_components is missing",
                "samples need prompts and a diffusers folder for the VAE, text encoder and tokenizer");
  }
  return c;
}

RunConfig load_run_config(const std::string& path) {
  const fs::path p(path);
  return parse_run_config(read_file(path), p.filename().string(), p.parent_path().string());
}

std::string to_yaml(const RunConfig& c) {
  YAML::Emitter out;
  auto d = [](double v) { return double_text(v); };
  auto s = [](const std::string& v) { return v; };
  out << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << YAML::DoubleQuoted << s(c.name);
  out << YAML::Key << "seed" << YAML::Value << c.seed;
  out << YAML::Key << "image_size" << YAML::Value << c.image_size;
  out << YAML::Key << "batch_size" << YAML::Value << c.batch_size;

  out << YAML::Key << "model" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "trains" << YAML::Value << c.model.trains;
  if (!c.model.unet_config.is_null()) {
    out << YAML::Key << "unet" << YAML::Value;
    emit_json(out, c.model.unet_config);
  }
  if (!c.model.vae_config.is_null()) {
    out << YAML::Key << "vae" << YAML::Value;
    emit_json(out, c.model.vae_config);
  }
  out << YAML::Key << "kl_weight" << YAML::Value << d(c.model.kl_weight);
  out << YAML::Key << "init_from" << YAML::Value << YAML::DoubleQuoted << c.model.init_from;
  out << YAML::Key << "pretrained_components" << YAML::Value << YAML::DoubleQuoted << c.model.pretrained_components;
  out << YAML::Key << "precomputed_latents" << YAML::Value << c.model.precomputed_latents;
  out << YAML::Key << "train_text_encoder" << YAML::Value << c.model.train_text_encoder;
  out << YAML::Key << "frozen_precision" << YAML::Value << c.model.frozen_precision;
  out << YAML::Key << "latent_scale" << YAML::Value << d(c.model.latent_scale);
  out << YAML::Key << "latents_are_scaled" << YAML::Value << c.model.latents_are_scaled;
  out << YAML::Key << "prediction_type" << YAML::Value << c.model.prediction_type;
  out << YAML::Key << "offset_noise" << YAML::Value << d(c.model.offset_noise);
  out << YAML::Key << "zero_terminal_snr" << YAML::Value << c.model.zero_terminal_snr;
  out << YAML::Key << "min_snr_gamma" << YAML::Value << d(c.model.min_snr_gamma);
  out << YAML::Key << "noise_scheduler" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "num_train_timesteps" << YAML::Value << c.model.num_train_timesteps;
  out << YAML::Key << "beta_start" << YAML::Value << d(c.model.beta_start);
  out << YAML::Key << "beta_end" << YAML::Value << d(c.model.beta_end);
  out << YAML::Key << "beta_schedule" << YAML::Value << c.model.beta_schedule;
  out << YAML::EndMap << YAML::EndMap;

  out << YAML::Key << "dataset" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "kind" << YAML::Value << c.dataset.kind;
  out << YAML::Key << "path" << YAML::Value << YAML::DoubleQuoted << c.dataset.path;
  out << YAML::Key << "caption_drop_prob" << YAML::Value << d(c.dataset.caption_drop_prob);
  out << YAML::Key << "shuffle" << YAML::Value << c.dataset.shuffle;
  out << YAML::Key << "shuffle_seed" << YAML::Value << c.dataset.shuffle_seed;
  out << YAML::Key << "synthetic_samples" << YAML::Value << c.dataset.synthetic_samples;
  out << YAML::Key << "latent_channels" << YAML::Value << c.dataset.latent_channels;
  out << YAML::Key << "latent_size" << YAML::Value << c.dataset.latent_size;
  out << YAML::Key << "text_tokens" << YAML::Value << c.dataset.text_tokens;
  out << YAML::Key << "text_dim" << YAML::Value << c.dataset.text_dim;
  out << YAML::EndMap;

  out << YAML::Key << "optimizer" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << c.optimizer.name;
  out << YAML::Key << "lr" << YAML::Value << d(c.optimizer.lr);
  out << YAML::Key << "weight_decay" << YAML::Value << d(c.optimizer.weight_decay);
  out << YAML::Key << "betas" << YAML::Value << YAML::Flow << YAML::BeginSeq << d(c.optimizer.beta1)
      << d(c.optimizer.beta2) << YAML::EndSeq;
  out << YAML::Key << "eps" << YAML::Value << d(c.optimizer.eps);
  out << YAML::Key << "implementation" << YAML::Value << c.optimizer.implementation;
  out << YAML::EndMap;

  out << YAML::Key << "scheduler" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << c.scheduler.name;
  out << YAML::Key << "t_warmup" << YAML::Value << (std::to_string(c.scheduler.t_warmup) + "ba");
  out << YAML::Key << "alpha_f" << YAML::Value << d(c.scheduler.alpha_f);
  out << YAML::EndMap;

  out << YAML::Key << "ema" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "enabled" << YAML::Value << c.ema.enabled;
  out << YAML::Key << "smoothing" << YAML::Value << d(c.ema.smoothing);
  out << YAML::Key << "start" << YAML::Value << (std::to_string(c.ema.start) + "ba");
  out << YAML::EndMap;

  const TrainerSection& t = c.trainer;
  out << YAML::Key << "trainer" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "max_duration" << YAML::Value << (std::to_string(t.max_duration) + "ba");
  out << YAML::Key << "device_train_microbatch_size" << YAML::Value << t.device_train_microbatch_size;
  out << YAML::Key << "grad_clip_norm" << YAML::Value << d(t.grad_clip_norm);
  out << YAML::Key << "precision" << YAML::Value << t.precision;
  out << YAML::Key << "loss_scaling" << YAML::Value << t.loss_scaling;
  out << YAML::Key << "loss_scale_init" << YAML::Value << d(t.loss_scale_init);
  out << YAML::Key << "loss_scale_growth_interval" << YAML::Value << t.loss_scale_growth_interval;
  out << YAML::Key << "gradient_checkpointing" << YAML::Value << t.gradient_checkpointing;
  out << YAML::Key << "channels_last" << YAML::Value << t.channels_last;
  out << YAML::Key << "cuda_graph" << YAML::Value << t.cuda_graph;
  out << YAML::Key << "save_interval" << YAML::Value << (std::to_string(t.save_interval) + "ba");
  out << YAML::Key << "save_num_checkpoints_to_keep" << YAML::Value << t.save_num_checkpoints_to_keep;
  out << YAML::Key << "log_interval" << YAML::Value << (std::to_string(t.log_interval) + "ba");
  out << YAML::Key << "nan_policy" << YAML::Value << t.nan_policy;
  out << YAML::Key << "watchdog_timeout" << YAML::Value << d(t.watchdog_timeout);
  out << YAML::Key << "device" << YAML::Value << t.device;
  out << YAML::Key << "bucket_cap_mb" << YAML::Value << t.bucket_cap_mb;
  out << YAML::Key << "dist_timeout" << YAML::Value << d(t.dist_timeout);
  out << YAML::EndMap;

  out << YAML::Key << "sampling" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "interval" << YAML::Value << (std::to_string(c.sampling.interval) + "ba");
  out << YAML::Key << "prompts" << YAML::Value << YAML::BeginSeq;
  for (const auto& p : c.sampling.prompts) out << YAML::DoubleQuoted << p;
  out << YAML::EndSeq;
  out << YAML::Key << "steps" << YAML::Value << c.sampling.steps;
  out << YAML::Key << "guidance" << YAML::Value << d(c.sampling.guidance);
  out << YAML::Key << "seed" << YAML::Value << c.sampling.seed;
  out << YAML::Key << "sampler" << YAML::Value << c.sampling.sampler;
  out << YAML::EndMap;

  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

double learning_rate_at(const RunConfig& c, int64_t step) {
  const double lr = c.optimizer.lr;
  const int64_t warmup = c.scheduler.t_warmup;
  // Composer's LinearWithWarmupScheduler: lr * (step / t_warmup) during warm-up.
  if (warmup > 0 && step < warmup) return lr * static_cast<double>(step) / static_cast<double>(warmup);
  if (c.scheduler.name == "cosine_with_warmup") {
    const double span = static_cast<double>(std::max<int64_t>(1, c.trainer.max_duration - warmup));
    const double frac = std::min(1.0, static_cast<double>(step - warmup) / span);
    const double alpha_f = c.scheduler.alpha_f;
    return lr * (alpha_f + (1 - alpha_f) * 0.5 * (1 + std::cos(3.141592653589793 * frac)));
  }
  return lr;
}

}  // namespace tessera::training
