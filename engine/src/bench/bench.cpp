// tessera::bench facade: the benchmarks, peak-RSS bookkeeping, machine description, JSON.

#include "tessera/bench.h"

#include "bench/bench_models.h"
#include "bench/step_profile.h"
#include "core/env.h"
#include "core/remove_tree.h"
#include "io/state_dict.h"
#include "models/fused_geglu.h"
#include "models/group_norm_nhwc.h"
#include "models/memory_format.h"
#include "pipeline/stable_diffusion_pipeline.h"
#include "tessera/runtime.h"
#include "training/run_config.h"
#include "training/trainer.h"

#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <cstdio>
#include <sstream>

namespace tessera::bench {
namespace fs = std::filesystem;
namespace {

// Which of the engine's own kernels the run took (TESSERA_FUSED_*=1), given their call counts
// before it; a kernel asked for but not taken (it could not be built, with a warning on stderr)
// is said too, since the run then measured LibTorch's ops.
class FusedKernelsSeen {
 public:
  std::string note() const {
    return describe("GroupNorm", "TESSERA_FUSED_GROUP_NORM", models::fused_group_norm_cuda_calls() - norms_) +
           describe("GEGLU", "TESSERA_FUSED_GEGLU", models::fused_geglu_cuda_calls() - gates_);
  }

 private:
  static std::string describe(const char* what, const char* env, int64_t calls) {
    if (calls > 0) return std::string(", fused ") + what;
    return env_is(env, "1") ? std::string(", fused ") + what + " asked for but not taken" : std::string();
  }
  int64_t norms_ = models::fused_group_norm_cuda_calls();
  int64_t gates_ = models::fused_geglu_cuda_calls();
};

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double process_cpu_seconds() {
  struct timespec ts {};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// A "VmHWM:" / "VmRSS:" line of /proc/self/status, in bytes.
uint64_t status_kib(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string prefix = std::string(key) + ":";
  while (std::getline(in, line)) {
    if (line.compare(0, prefix.size(), prefix) == 0) {
      std::istringstream fields(line.substr(prefix.size()));
      uint64_t kib = 0;
      fields >> kib;
      return kib * 1024;
    }
  }
  return 0;
}

// Ends the recording of `o.profile` over `steps` measured runs: the summary and trace files.
void finish_profile(const BenchOptions& o, int steps, StepProfile* profile, const BenchResult& r) {
  const std::string title = "tessera bench " + r.name + " --profile: " + r.description + "; device " + o.device +
                            (o.precision.empty() ? "" : ", " + o.precision) +
                            (o.batch > 0 ? ", batch " + std::to_string(o.batch) : "") +
                            (o.resolution > 0 ? ", " + std::to_string(o.resolution) + " px" : "");
  (void)profile->finish(o.profile, steps, title);
  std::cerr << "tessera: profile of " << steps << " " << r.name << " run" << (steps == 1 ? "" : "s") << " written to "
            << o.profile << " (trace: " << o.profile << ".trace.json)\n";
}

// Warm-up plus measured runs of `fn`; fills seconds / median.
template <typename Fn>
void time_runs(const BenchOptions& o, BenchResult* r, Fn&& fn) {
  for (int i = 0; i < o.warmup; ++i) fn();
  std::unique_ptr<StepProfile> profile;
  if (!o.profile.empty()) profile = std::make_unique<StepProfile>(o.device == "cuda");
  for (int i = 0; i < o.repeat; ++i) {
    const auto start = Clock::now();
    const double cpu_start = process_cpu_seconds();
    fn();
    r->seconds.push_back(seconds_since(start));
    r->cpu_seconds.push_back(process_cpu_seconds() - cpu_start);
  }
  if (profile) finish_profile(o, o.repeat, profile.get(), *r);
  r->median_seconds = median(r->seconds);
}

// The layout generation uses (StableDiffusionPipeline stores convolution weights channels-last);
// TESSERA_BENCH_NCHW=1 measures the plain NCHW layout instead, for comparison.
bool channels_last() {
  const char* v = std::getenv("TESSERA_BENCH_NCHW");
  return v == nullptr || *v == '\0' || std::string(v) == "0";
}

std::string finite_note(const torch::Tensor& t) {
  return t.isfinite().all().item<bool>() ? "output finite" : "output has inf/nan (random weights)";
}

void bench_unet_step(const BenchOptions& o, BenchResult* r) {
  const auto setup = Clock::now();
  auto unet = random_unet(o.tiny);
  models::set_channels_last(*unet, channels_last());
  const auto& c = unet->config();
  const int64_t context_dim = c.cross_attention_dim.front();
  torch::Tensor sample = torch::randn({2, c.in_channels, c.sample_size, c.sample_size});
  torch::Tensor context = torch::randn({2, 77, context_dim});
  r->weight_bytes = module_bytes(*unet);
  r->setup_seconds = seconds_since(setup);
  torch::Tensor out;
  c10::InferenceMode inference;
  time_runs(o, r, [&] { out = unet->forward(sample, 999.0, context); });
  r->note = finite_note(out) + (channels_last() ? ", channels-last" : ", NCHW");
}

// One training step as `tessera train` runs it (training::Trainer, the same code path): UNet
// forward + backward on precomputed latents and text states, loss, AdamW, with the optimizer
// implementation of `o.optimizer`. SD2-base at 256 px (32x32 latents, 77x1024 context), batch 1;
// the tiny model at batch 8 on its 8x8 latents. No checkpoint, EMA or samples.
void bench_train_step(const BenchOptions& options, BenchResult* r) {
  // With the CUDA graph, the first two steps run op by op and the third captures it: none of them
  // is a replay.
  BenchOptions o = options;
  if (o.cuda_graph) o.warmup = std::max(o.warmup, 3);
  const FusedKernelsSeen fused;
  const auto setup = Clock::now();
  const auto uc = unet_config(o.tiny);
  training::RunConfig c;
  c.name = "bench-train-step";
  c.model.unet_config = nlohmann::json::parse(embedded_model(o.tiny).unet);
  c.model.prediction_type = "epsilon";
  c.batch_size = o.batch > 0 ? o.batch : (o.tiny ? 8 : 1);
  c.image_size = o.resolution > 0 ? o.resolution : (o.tiny ? uc.sample_size * 8 : 256);
  if (c.image_size % 8 != 0) throw Error("the resolution must be a multiple of 8 (the VAE's factor)");
  c.dataset.kind = "synthetic_latents";
  c.dataset.latent_channels = uc.in_channels;
  c.dataset.latent_size = c.image_size / 8;
  c.dataset.text_tokens = 77;
  c.dataset.text_dim = uc.cross_attention_dim.front();
  c.dataset.synthetic_samples = c.batch_size * (o.warmup + o.repeat);
  c.dataset.caption_drop_prob = 0.1;
  c.optimizer.implementation = o.optimizer;
  c.optimizer.lr = 1e-4;
  c.trainer.max_duration = 1000000;  // never reached: no final checkpoint
  c.trainer.device_train_microbatch_size = c.batch_size;
  c.trainer.save_interval = 0;
  c.trainer.device = o.device;
  c.trainer.precision = o.precision.empty() ? "fp32" : o.precision;
  c.trainer.channels_last = o.channels_last;
  c.trainer.gradient_checkpointing = o.gradient_checkpointing;
  c.trainer.cuda_graph = o.cuda_graph;
  const bool cuda = o.device == "cuda";
  const fs::path run_dir = fs::temp_directory_path() / ("tessera-bench-train-" + std::to_string(getpid()));
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ec;
      tessera::remove_tree(dir, ec);
    }
  } cleanup{run_dir};
  training::TrainerOptions t;
  t.run_dir = run_dir.string();
  t.resume = "never";
  // One step more than measured, never run (on_step stops after the last measured one): so the
  // last measured step reads the next batch ahead, as every step of a real run does.
  t.stop_after_steps = o.warmup + o.repeat + 1;
  int steps = 0;
  double cpu_mark = 0;
  bool finite = true;
  // System time and page faults per measured step: on VMs, faulting in freshly allocated
  // activation memory can cost as much as the arithmetic.
  std::vector<double> sys_seconds, faults, waits, busy;
  struct rusage ru_mark {};
  // On CUDA the work is queued: a step is timed from one wait for the device to the next, so
  // that each one holds all of its kernels, the optimizer's too. The wait is a read of one weight,
  // ordered after the update on the (single) stream the trainer uses.
  Clock::time_point mark = Clock::now();
  training::Trainer* running = nullptr;
  torch::Tensor probe;
  bool replayed = true;  // every measured step replayed the CUDA graph (with o.cuda_graph)
  int64_t replays = 0;
  if (!o.profile.empty() && o.warmup < 1) {
    throw Error("train-step --profile needs a warm-up step (--warmup 1 or more)", "the first step holds the setup");
  }
  std::unique_ptr<StepProfile> profile;
  t.on_step = [&](const training::StepReport& report) {
    double step_seconds = report.seconds;
    double wait_seconds = report.wait_seconds;
    if (cuda) {
      if (!probe.defined()) probe = running->unet()->parameters().front();
      const auto before = Clock::now();
      (void)probe.reshape({-1})[0].item<float>();
      const auto now = Clock::now();
      // Work queued after the trainer's own wait (the update, with loss scaling) is waited for here.
      wait_seconds += std::chrono::duration<double>(now - before).count();
      // The first interval would hold the setup too: that step keeps the trainer's own time.
      if (steps > 0) step_seconds = std::chrono::duration<double>(now - mark).count();
      mark = now;
    }
    const double cpu_now = process_cpu_seconds();
    struct rusage ru {};
    getrusage(RUSAGE_SELF, &ru);
    if (steps >= o.warmup) {
      sys_seconds.push_back(static_cast<double>(ru.ru_stime.tv_sec - ru_mark.ru_stime.tv_sec) +
                            static_cast<double>(ru.ru_stime.tv_usec - ru_mark.ru_stime.tv_usec) * 1e-6);
      faults.push_back(static_cast<double>(ru.ru_minflt - ru_mark.ru_minflt));
    }
    ru_mark = ru;
    if (steps == 0) r->setup_seconds = seconds_since(setup) - report.seconds;
    if (steps >= o.warmup) {
      r->seconds.push_back(step_seconds);
      waits.push_back(wait_seconds);
      busy.push_back(std::max(step_seconds - wait_seconds, 0.0));
      r->cpu_seconds.push_back(cpu_now - cpu_mark);
    }
    cpu_mark = cpu_now;
    finite = finite && std::isfinite(report.loss) && std::isfinite(report.grad_norm);
    if (steps >= o.warmup) replayed = replayed && report.graph_replays > replays;
    replays = report.graph_replays;
    ++steps;
    // The profile holds the measured steps: from the end of the last warm-up step (on CUDA, its
    // device wait) to the end of the last one.
    if (!o.profile.empty() && steps == o.warmup) {
      profile = std::make_unique<StepProfile>(cuda);
      // The profiler's start-up is no part of the next step.
      mark = Clock::now();
      cpu_mark = process_cpu_seconds();
      getrusage(RUSAGE_SELF, &ru_mark);
    }
    if (steps == o.warmup + o.repeat) {
      if (profile) finish_profile(o, o.repeat, profile.get(), *r);
      profile.reset();
      return false;
    }
    return true;
  };
  if (o.warmup == 0) cpu_mark = process_cpu_seconds();
  training::Trainer trainer(c, t);
  running = &trainer;
  trainer.run();
  if (o.cuda_graph && !replayed) {
    throw Error("the measured steps did not all replay the CUDA graph (the warning above says why)",
                "run without --cuda-graph");
  }
  r->weight_bytes = module_bytes(*trainer.unet());
  r->median_seconds = median(r->seconds);
  r->images_per_second = static_cast<double>(c.batch_size) / std::max(r->median_seconds, 1e-12);
  r->wait_seconds = median(waits);
  char wait[160];
  std::snprintf(wait, sizeof wait, ", the host waits %.1f ms per step for the device and queues for %.1f ms",
                1000.0 * r->wait_seconds, 1000.0 * median(busy));
  char detail[160];
  std::snprintf(detail, sizeof detail, ", %.1f s system time and %.0fk page faults per step", median(sys_seconds),
                median(faults) / 1000.0);
  char shape[160];
  std::snprintf(shape, sizeof shape, ", batch %lld at %lld px on %s, %s, %.1f images/s", static_cast<long long>(c.batch_size),
                static_cast<long long>(c.image_size), o.device.c_str(), c.trainer.precision.c_str(), r->images_per_second);
  r->note = std::string(finite ? "loss finite" : "loss or gradient not finite") + fused.note() + ", optimizer " + o.optimizer +
            (o.gradient_checkpointing ? ", gradient checkpointing" : "") + (cuda && o.channels_last ? ", channels-last" : "") +
            (o.cuda_graph ? ", passes replayed from a CUDA graph" : "") +
            shape + (cuda ? std::string(wait) : std::string(detail));
}

void bench_vae_decode(const BenchOptions& o, BenchResult* r) {
  const auto setup = Clock::now();
  auto vae = random_vae(o.tiny);
  models::set_channels_last(*vae, channels_last());
  const auto& c = vae->config();
  const int64_t side = c.sample_size / c.spatial_factor();
  torch::Tensor z = torch::randn({1, c.latent_channels, side, side});
  r->weight_bytes = module_bytes(*vae);
  r->setup_seconds = seconds_since(setup);
  torch::Tensor out;
  c10::InferenceMode inference;
  time_runs(o, r, [&] { out = vae->decode(z / c.scaling_factor); });
  r->note = finite_note(out) + (channels_last() ? ", channels-last" : ", NCHW");
}

void bench_generate(const BenchOptions& o, BenchResult* r) {
  const FusedKernelsSeen fused;
  const auto setup = Clock::now();
  auto text_encoder = random_text_encoder(o.tiny);
  auto unet = random_unet(o.tiny);
  auto vae = random_vae(o.tiny);
  r->weight_bytes = module_bytes(*text_encoder) + module_bytes(*unet) + module_bytes(*vae);
  const int64_t vocab = text_encoder->config().vocab_size;
  pipeline::StableDiffusionPipeline pipe(byte_level_tokenizer(vocab), text_encoder, unet, vae, scheduler_config(o.tiny),
                                         embedded_model(o.tiny).name);
  // The holders share their modules with the pipeline's.
  models::set_channels_last(*unet, channels_last());
  models::set_channels_last(*vae, channels_last());
  if (o.device != "cpu" || !o.precision.empty()) {
    const torch::ScalarType dtype = o.precision == "fp16" ? torch::kHalf
                                    : o.precision == "bf16" ? torch::kBFloat16
                                                            : torch::kFloat32;
    pipe.to(torch::Device(o.device), dtype);
  }
  // The UNet's calls after the first of each generation replayed from a CUDA graph (captured in
  // the warm-up run's second step, replayed from then on).
  if (o.cuda_graph) pipe.set_cuda_graph(true);
  r->setup_seconds = seconds_since(setup);
  pipeline::GenerationSettings s;
  s.prompt = "a photograph of an astronaut riding a horse";
  s.steps = 20;
  s.guidance_scale = 7.5;
  s.seed = 1;
  pipeline::GenerationResult result;
  time_runs(o, r, [&] { result = pipe.generate(s); });  // returns CPU images: the device work is done
  r->note = finite_note(result.images_float) + fused.note() + (channels_last() ? ", channels-last" : ", NCHW") + ", " + o.device +
            (o.precision.empty() ? "" : " " + o.precision) + (o.cuda_graph ? ", UNet replayed from a CUDA graph" : "");
}

}  // namespace

std::vector<std::string> benchmark_names() { return {"unet-step", "train-step", "generate", "vae-decode", "unet-load"}; }

bool is_benchmark(const std::string& name) {
  const auto names = benchmark_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string benchmark_description(const std::string& name, bool tiny) {
  const std::string model = tiny ? "tiny SD2 model" : "SD2-base";
  const std::string px = tiny ? "its small size" : "512 px";
  if (name == "unet-step") return "one " + model + " UNet forward, " + px + ", CFG batch 2, fp32";
  if (name == "train-step") {
    return "one " + model + " UNet training step (forward, backward, AdamW; by default " +
           (tiny ? std::string("batch 8") : std::string("256 px, batch 1")) + ", fp32 on the CPU)";
  }
  if (name == "generate") {
    return model + " text-to-image, " + px + ", 20 PNDM steps with CFG + VAE decode (by default fp32 on the CPU)";
  }
  if (name == "vae-decode") return model + " VAE decode of one latent (64x64x4 for SD2-base) to " + px + ", fp32";
  if (name == "unet-load") return "load the " + model + " UNet from safetensors in a fresh process";
  return {};
}

Status run_benchmark(const std::string& name, const BenchOptions& options, BenchResult* out) {
  return guarded([&] {
    if (options.repeat < 1 || options.warmup < 0) throw Error("repeat must be at least 1 and warmup at least 0");
    BenchResult r;
    r.name = name;
    r.description = benchmark_description(name, options.tiny);
    (void)reset_peak_rss();
    if (name == "unet-step") {
      bench_unet_step(options, &r);
    } else if (name == "train-step") {
      bench_train_step(options, &r);
    } else if (name == "vae-decode") {
      bench_vae_decode(options, &r);
    } else if (name == "generate") {
      bench_generate(options, &r);
    } else if (name == "unet-load") {
      throw Error("unet-load runs in two processes", "use prepare_unet_folder and load_unet_folder");
    } else {
      throw Error("unknown benchmark '" + name + "'", "choose one of unet-step, train-step, generate, vae-decode, unet-load");
    }
    if (!options.profile.empty()) r.note += ", profiled (the profiler slows the runs): " + options.profile;
    r.peak_rss_bytes = peak_rss_bytes();
    *out = std::move(r);
  });
}

Status prepare_unet_folder(const BenchOptions& options, std::string* folder, uint64_t* weight_bytes,
                           double* write_seconds) {
  return guarded([&] {
    if (options.cache_dir.empty()) throw Error("unet-load needs a folder for its weight file", "pass --cache-dir DIR");
    const fs::path dir = fs::path(options.cache_dir) / (embedded_model(options.tiny).name + "-unet");
    const fs::path weights = dir / "diffusion_pytorch_model.safetensors";
    const auto start = Clock::now();
    const auto config = unet_config(options.tiny);
    uint64_t bytes = 0;
    {
      // The weight bytes the model holds; a file whose data has exactly that size is reused.
      torch::NoGradGuard no_grad;
      models::UNet2DConditionModel probe(config);
      bytes = module_bytes(*probe);
      bool reuse = false;
      if (fs::exists(weights)) {
        try {
          reuse = io::SafetensorsFile(weights.string()).data_bytes() == bytes;
        } catch (const Error&) {
          reuse = false;
        }
      }
      if (!reuse) {
        fs::create_directories(dir);
        std::ofstream(dir / "config.json") << embedded_model(options.tiny).unet;
        io::save_state_dict(*probe, weights.string());
      }
    }
    *folder = dir.string();
    *weight_bytes = bytes;
    *write_seconds = seconds_since(start);
  });
}

Status load_unet_folder(const std::string& folder, double* seconds, uint64_t* weight_bytes, uint64_t* peak_rss) {
  return guarded([&] {
    const auto start = Clock::now();
    auto unet = models::load_unet(folder);
    *seconds = seconds_since(start);
    *weight_bytes = module_bytes(*unet);
    *peak_rss = peak_rss_bytes();
  });
}

MachineInfo machine_info() {
  MachineInfo m;
  const RuntimeInfo rt = runtime_info();
  m.cores = available_cpus();
  m.threads = rt.intra_op_threads;
  m.blas = rt.blas;
  m.torch_version = rt.torch_version;
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) m.cpu = line.substr(line.find_first_not_of(" \t", colon + 1));
      break;
    }
  }
  struct utsname u {};
  if (uname(&u) == 0) m.kernel = std::string(u.sysname) + " " + u.release;
  return m;
}

uint64_t peak_rss_bytes() { return status_kib("VmHWM"); }
uint64_t current_rss_bytes() { return status_kib("VmRSS"); }

bool reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  if (!out) return false;
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

double median(std::vector<double> values) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

std::string to_json(const BenchResult& r) {
  nlohmann::json j;
  j["name"] = r.name;
  j["description"] = r.description;
  j["seconds"] = r.seconds;
  j["median_seconds"] = r.median_seconds;
  j["cpu_seconds"] = r.cpu_seconds;
  j["setup_seconds"] = r.setup_seconds;
  j["peak_rss_bytes"] = r.peak_rss_bytes;
  j["weight_bytes"] = r.weight_bytes;
  j["note"] = r.note;
  if (r.images_per_second > 0) j["images_per_second"] = r.images_per_second;
  if (r.name == "train-step") j["wait_seconds"] = r.wait_seconds;
  return j.dump();
}

std::string to_json(const MachineInfo& m) {
  nlohmann::json j;
  j["cpu"] = m.cpu;
  j["cores"] = m.cores;
  j["threads"] = m.threads;
  j["blas"] = m.blas;
  j["torch"] = m.torch_version;
  j["kernel"] = m.kernel;
  return j.dump();
}

Status result_from_json(const std::string& text, BenchResult* out) {
  return guarded([&] {
    const auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
      throw Error("benchmark result is not a JSON object: " + text.substr(0, 200));
    }
    try {
      BenchResult r;
      r.name = j.at("name").get<std::string>();
      r.description = j.value("description", "");
      r.seconds = j.at("seconds").get<std::vector<double>>();
      r.median_seconds = j.at("median_seconds").get<double>();
      r.cpu_seconds = j.value("cpu_seconds", std::vector<double>{});
      r.setup_seconds = j.value("setup_seconds", 0.0);
      r.peak_rss_bytes = j.value("peak_rss_bytes", uint64_t{0});
      r.images_per_second = j.value("images_per_second", 0.0);
      r.wait_seconds = j.value("wait_seconds", 0.0);
      r.weight_bytes = j.value("weight_bytes", uint64_t{0});
      r.note = j.value("note", "");
      *out = std::move(r);
    } catch (const nlohmann::json::exception& e) {
      throw Error(std::string("benchmark result has a bad field: ") + e.what());
    }
  });
}

}  // namespace tessera::bench
