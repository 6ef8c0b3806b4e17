#pragma once
// Benchmarks of the engine on this machine (torch-free facade): one UNet step, a full
// generation, a VAE decode, and loading the UNet from safetensors, each at full
// Stable Diffusion 2 (base) size with random weights (or with a tiny model, for a quick check).
// The configurations are compiled in, so nothing outside the binary is needed.
//
// Peak memory is per benchmark: run each one in a fresh process (`tessera bench` does) or call
// reset_peak_rss() first. Timings are wall-clock seconds of the measured work only (models are
// built before the clock starts).

#include "tessera/error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tessera::bench {

struct BenchOptions {
  int repeat = 3;         // measured runs
  int warmup = 1;         // runs before them, not reported
  bool tiny = false;      // the tiny model instead of full-size SD2-base
  std::string cache_dir;  // unet-load: the random UNet is written here once and reused
  std::string optimizer = "flat";  // train-step: optimizer.implementation (flat | foreach | in_backward)
  bool gradient_checkpointing = false;  // train-step: trainer.gradient_checkpointing
  // Where the models run: "cpu" (default) or "cuda" (train-step and generate).
  std::string device = "cpu";
  // train-step: trainer.precision (fp32 | amp_bf16 | amp_fp16); generate: the models' dtype
  // (fp32 | fp16 | bf16). Empty: fp32.
  std::string precision;
  int64_t batch = 0;       // train-step: images per step (0: 1, or 8 for the tiny model)
  int64_t resolution = 0;  // train-step: image side in pixels (0: 256, or the tiny model's)
  bool channels_last = true;  // train-step on CUDA: trainer.channels_last
  // Non-empty: the measured runs are recorded with PyTorch's profiler and a summary of where the
  // time went is written here (the trace next to it, + ".trace.json"). Profiled runs are slower:
  // their timings are marked as such.
  std::string profile;
  // On CUDA. train-step: trainer.cuda_graph, the forward and backward passes captured in a CUDA
  // graph and replayed (training/step_graph.h); the warm-up is then at least 3 steps (two op by
  // op, one capturing). generate: the UNet's calls replayed from a CUDA graph
  // (pipeline/unet_graph.h).
  bool cuda_graph = false;
};

struct BenchResult {
  std::string name;                // "unet-step", ...
  std::string description;         // what one run does, in words
  std::vector<double> seconds;     // one per measured run
  double median_seconds = 0.0;
  // CPU seconds (user + system, all threads) of each measured run: steadier than wall-clock time
  // when other jobs share the cores, so A/B comparisons on a busy machine can use it.
  std::vector<double> cpu_seconds;
  double setup_seconds = 0.0;      // building the models / writing the file (not in `seconds`)
  uint64_t peak_rss_bytes = 0;     // the process's high-water mark over the benchmark
  uint64_t weight_bytes = 0;       // bytes of model weights in memory (unet-load: loaded)
  std::string note;                // e.g. "output finite"
  double images_per_second = 0.0;  // train-step: batch / median step time
  // train-step: median seconds per step the host waited for the device at the step's end (on a
  // GPU, the rest of the step is the host queueing its work; near 0: the host sets the pace).
  double wait_seconds = 0.0;
};

// What `tessera bench` prints next to the results.
struct MachineInfo {
  std::string cpu;       // model name from /proc/cpuinfo
  int cores = 0;         // logical CPUs this process may use
  int threads = 0;       // intra-op threads in effect
  std::string blas;
  std::string torch_version;
  std::string kernel;    // uname -sr
};

// "unet-step", "train-step", "generate", "vae-decode", "unet-load" (in the order `all` runs them).
std::vector<std::string> benchmark_names();
bool is_benchmark(const std::string& name);
std::string benchmark_description(const std::string& name, bool tiny);

// Runs one compute benchmark (unet-step, generate, vae-decode) in this process: builds the
// models, then warmup + repeat runs. peak_rss_bytes is this process's high-water mark since
// reset_peak_rss() (called at the start when the kernel allows it).
Status run_benchmark(const std::string& name, const BenchOptions& options, BenchResult* out);

// unet-load, first half: writes a random UNet (config.json + diffusion_pytorch_model.safetensors)
// to <cache_dir>/<model>-unet/ unless a complete one is there. Sets the folder and its weight
// bytes.
Status prepare_unet_folder(const BenchOptions& options, std::string* folder, uint64_t* weight_bytes,
                           double* write_seconds);
// unet-load, second half (meant for a fresh process): loads the folder with the engine's loader
// (load_unet) and reports the seconds it took, the weight bytes in memory and this process's
// peak RSS.
Status load_unet_folder(const std::string& folder, double* seconds, uint64_t* weight_bytes, uint64_t* peak_rss);

MachineInfo machine_info();

// This process's resident-set high-water mark (VmHWM) and current RSS, in bytes (0 if unknown).
uint64_t peak_rss_bytes();
uint64_t current_rss_bytes();
// Resets the high-water mark to the current RSS (writes "5" to /proc/self/clear_refs).
// Returns false when the kernel refuses.
bool reset_peak_rss();

// Median of `values` (mean of the middle two for an even count; 0 for none).
double median(std::vector<double> values);

// One JSON object per result / machine, and back (for results crossing a process boundary).
std::string to_json(const BenchResult& result);
std::string to_json(const MachineInfo& machine);
Status result_from_json(const std::string& json, BenchResult* out);

}  // namespace tessera::bench
