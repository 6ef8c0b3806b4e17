#include "training/checkpoint.h"

#include "core/atomic_file.h"
#include "core/remove_tree.h"
#include "io/safetensors.h"
#include "tessera/error.h"

#include <ATen/Context.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace tessera::training {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

void fsync_path(const fs::path& p) {
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

void write_text(const fs::path& path, const std::string& text) { write_file_atomically(path.string(), text.data(), text.size()); }

std::string read_text(const fs::path& path, size_t max_bytes = 64u << 20) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read " + path.string(), "the checkpoint is incomplete or damaged; use an older one");
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  if (s.size() > max_bytes) throw Error(path.string() + " is too large");
  return s;
}

NamedTensors prefixed(const std::string& prefix, const NamedTensors& tensors) {
  NamedTensors out;
  out.reserve(tensors.size());
  for (const auto& [k, v] : tensors) out.emplace_back(prefix + k, v.detach().to(torch::kCPU).contiguous());
  return out;
}

NamedTensors read_all(const fs::path& path, const std::string& prefix = {}) {
  io::SafetensorsFile f(path.string());
  NamedTensors out;
  for (const auto& name : f.names()) {
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    out.emplace_back(name.substr(prefix.size()), f.get(name));
  }
  return out;
}

int64_t step_of(const std::string& name) {
  if (name.size() != 13 || name.compare(0, 5, "step-") != 0) return -1;
  for (size_t i = 5; i < name.size(); ++i)
    if (name[i] < '0' || name[i] > '9') return -1;
  return std::stoll(name.substr(5));
}

}  // namespace

json TrainState::to_json() const {
  json skipped_json = json::array();
  for (const auto& [b, e] : skipped) skipped_json.push_back({b, e});
  return {{"format", kCheckpointFormat}, {"version", kCheckpointVersion}, {"step", step},
          {"samples_seen", samples_seen}, {"skipped", skipped_json},    {"world_size", world_size},
          {"lr", lr}, {"loss_scale", loss_scale}, {"loss_scale_good_steps", loss_scale_good_steps}};
}

TrainState TrainState::from_json(const json& j, const std::string& what) {
  auto fail = [&](const std::string& why) -> TrainState {
    throw Error(what + ": " + why, "the checkpoint is damaged or from another program; use an older one");
  };
  if (!j.is_object() || j.value("format", "") != kCheckpointFormat) return fail("not a Tessera training checkpoint");
  if (!j.contains("version") || !j["version"].is_number_integer() || j["version"].get<int>() != kCheckpointVersion) {
    return fail("unsupported checkpoint version");
  }
  TrainState s;
  try {
    s.step = j.at("step").get<int64_t>();
    s.samples_seen = j.at("samples_seen").get<int64_t>();
    s.world_size = j.value("world_size", int64_t(1));
    s.lr = j.value("lr", 0.0);
    s.loss_scale = j.value("loss_scale", 0.0);
    s.loss_scale_good_steps = j.value("loss_scale_good_steps", int64_t(0));
    for (const auto& r : j.at("skipped")) s.skipped.emplace_back(r.at(0).get<int64_t>(), r.at(1).get<int64_t>());
  } catch (const json::exception& e) {
    return fail(std::string("bad state.json (") + e.what() + ")");
  }
  if (s.step < 0 || s.samples_seen < 0) return fail("negative step or position");
  if (!(s.loss_scale >= 0) || !std::isfinite(s.loss_scale) || s.loss_scale_good_steps < 0) return fail("invalid loss scale");
  return s;
}

std::string checkpoint_dir_name(int64_t step) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "step-%08lld", static_cast<long long>(step));
  return buf;
}

NamedTensors capture_rng_state() {
  NamedTensors out;
  out.emplace_back("cpu", at::detail::getDefaultCPUGenerator().get_state());
  if (torch::cuda::is_available()) {
    for (int64_t i = 0; i < static_cast<int64_t>(torch::cuda::device_count()); ++i) {
      out.emplace_back("cuda." + std::to_string(i),
                       at::globalContext().defaultGenerator(at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(i))).get_state());
    }
  }
  return out;
}

void restore_rng_state(const NamedTensors& state) {
  for (const auto& [name, t] : state) {
    if (name == "cpu") {
      at::Generator gen = at::detail::getDefaultCPUGenerator();
      gen.set_state(t);
    } else if (name.rfind("cuda.", 0) == 0 && torch::cuda::is_available()) {
      const int64_t i = std::stoll(name.substr(5));
      if (i < static_cast<int64_t>(torch::cuda::device_count())) {
        at::Generator gen = at::globalContext().defaultGenerator(at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(i)));
        gen.set_state(t);
      }
    }
  }
}

std::string write_checkpoint(const std::string& run_dir, const CheckpointContents& c, int64_t keep) {
  const fs::path root = fs::path(run_dir) / "checkpoints";
  fs::create_directories(root);
  const std::string name = checkpoint_dir_name(c.state.step);
  const fs::path final_dir = root / name;
  const fs::path tmp = root / ("." + name + ".tmp-" + std::to_string(::getpid()));
  std::error_code ec;
  tessera::remove_tree(tmp, ec);
  fs::create_directories(tmp);

  // The trained model: a UNet, or a VAE (model.trains: vae).
  if (!c.unet.empty()) {
    io::save_safetensors((tmp / "unet.safetensors").string(), prefixed("", c.unet), {{"format", "pt"}});
    write_text(tmp / "unet_config.json", c.unet_config.dump(2) + "\n");
  }
  if (!c.vae.empty()) {
    io::save_safetensors((tmp / "vae.safetensors").string(), prefixed("", c.vae), {{"format", "pt"}});
    write_text(tmp / "vae_config.json", c.vae_config.dump(2) + "\n");
  }
  if (!c.text_encoder.empty()) {
    io::save_safetensors((tmp / "text_encoder.safetensors").string(), prefixed("", c.text_encoder), {{"format", "pt"}});
  }
  NamedTensors opt = prefixed("exp_avg.", c.exp_avg);
  for (auto& kv : prefixed("exp_avg_sq.", c.exp_avg_sq)) opt.push_back(std::move(kv));
  io::save_safetensors((tmp / "optimizer.safetensors").string(), opt,
                       {{"optimizer", "adamw"}, {"step", std::to_string(c.optimizer_steps)}});
  if (!c.ema.empty()) io::save_safetensors((tmp / "ema.safetensors").string(), prefixed("", c.ema), {{"format", "pt"}});
  io::save_safetensors((tmp / "rng.safetensors").string(), prefixed("", capture_rng_state()));
  json state = c.state.to_json();
  state["optimizer_steps"] = c.optimizer_steps;
  state["has_ema"] = !c.ema.empty();
  state["has_text_encoder"] = !c.text_encoder.empty();
  state["trained_model"] = c.vae.empty() ? "unet" : "vae";
  write_text(tmp / "state.json", state.dump(2) + "\n");
  write_text(tmp / "config.yaml", c.config_yaml);
  fsync_path(tmp);

  // An older folder of the same step (incomplete, or from a rolled-back timeline) is replaced.
  if (fs::exists(final_dir)) {
    fs::remove(final_dir / kCompleteMarker, ec);
    fsync_path(final_dir);
    tessera::remove_tree(final_dir, ec);
  }
  fs::rename(tmp, final_dir);
  fsync_path(root);
  write_text(final_dir / kCompleteMarker, "step " + std::to_string(c.state.step) + "\n");
  fsync_path(final_dir);

  // Keep the newest `keep` complete checkpoints; the marker goes first so a half-removed folder
  // is never taken for a complete one.
  std::vector<std::string> all = list_checkpoints(run_dir);
  for (size_t i = 0; i + static_cast<size_t>(std::max<int64_t>(keep, 1)) < all.size(); ++i) {
    fs::remove(fs::path(all[i]) / kCompleteMarker, ec);
    fsync_path(all[i]);
    tessera::remove_tree(all[i], ec);
  }
  return final_dir.string();
}

std::vector<std::string> list_checkpoints(const std::string& run_dir) {
  const fs::path root = fs::path(run_dir) / "checkpoints";
  std::vector<std::pair<int64_t, std::string>> found;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return {};
  for (const auto& e : fs::directory_iterator(root, ec)) {
    const int64_t step = step_of(e.path().filename().string());
    if (step < 0 || !e.is_directory()) continue;
    if (!fs::is_regular_file(e.path() / kCompleteMarker, ec)) continue;
    found.emplace_back(step, e.path().string());
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto& f : found) out.push_back(f.second);
  return out;
}

void remove_partial_checkpoints(const std::string& run_dir) {
  const fs::path root = fs::path(run_dir) / "checkpoints";
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return;
  std::vector<fs::path> doomed;
  for (const auto& e : fs::directory_iterator(root, ec)) {
    const std::string n = e.path().filename().string();
    if (n.rfind(".step-", 0) == 0 && n.find(".tmp-") != std::string::npos) doomed.push_back(e.path());
  }
  for (const auto& p : doomed) tessera::remove_tree(p, ec);
}

bool is_checkpoint_dir(const std::string& dir) {
  std::error_code ec;
  return fs::is_regular_file(fs::path(dir) / kCompleteMarker, ec) && fs::is_regular_file(fs::path(dir) / "state.json", ec);
}

CheckpointContents read_checkpoint(const std::string& dir, bool with_training_state) {
  const fs::path d(dir);
  if (!is_checkpoint_dir(dir)) {
    throw Error(dir + " is not a complete Tessera checkpoint (no " + std::string(kCompleteMarker) + " marker)",
                "use a folder under RUN_DIR/checkpoints/ whose write finished");
  }
  CheckpointContents c;
  json state;
  try {
    state = json::parse(read_text(d / "state.json"));
  } catch (const json::exception& e) {
    throw Error((d / "state.json").string() + " is not valid JSON (" + e.what() + ")");
  }
  c.state = TrainState::from_json(state, (d / "state.json").string());
  c.optimizer_steps = state.value("optimizer_steps", c.state.step);
  const std::string model = state.value("trained_model", "unet");
  if (model != "unet" && model != "vae") throw Error((d / "state.json").string() + ": unknown trained_model '" + model + "'");
  NamedTensors& weights = model == "vae" ? c.vae : c.unet;
  json& config = model == "vae" ? c.vae_config : c.unet_config;
  weights = read_all(d / (model + ".safetensors"));
  try {
    config = json::parse(read_text(d / (model + "_config.json")));
  } catch (const json::exception& e) {
    throw Error((d / (model + "_config.json")).string() + " is not valid JSON (" + e.what() + ")");
  }
  c.config_yaml = read_text(d / "config.yaml");
  if (state.value("has_text_encoder", false)) c.text_encoder = read_all(d / "text_encoder.safetensors");
  if (state.value("has_ema", false)) c.ema = read_all(d / "ema.safetensors");
  if (with_training_state) {
    c.exp_avg = read_all(d / "optimizer.safetensors", "exp_avg.");
    c.exp_avg_sq = read_all(d / "optimizer.safetensors", "exp_avg_sq.");
    restore_rng_state(read_all(d / "rng.safetensors"));
  }
  return c;
}

}  // namespace tessera::training
