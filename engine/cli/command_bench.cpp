// tessera bench: UNet step, full generation, VAE decode and UNet loading at SD2-base size with
// random weights. Each benchmark runs in a fresh child process (this binary again, with a
// hidden --child flag), so each peak RSS is that benchmark's own; unet-load writes its weight
// file once in one child and loads it in a fresh child per run.

#include "commands.h"

#include "tessera/bench.h"
#include "tessera/bench_data.h"
#include "tessera/runtime.h"

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>

extern char** environ;

namespace tessera::cli {
namespace {

struct ChildRun {
  int exit_code = -1;
  uint64_t max_rss_bytes = 0;  // the kernel's high-water mark for the child
  std::string out;
};

// Runs this executable with `args`, capturing stdout (stderr passes through).
ChildRun run_self(const std::vector<std::string>& args) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) throw std::runtime_error(std::string("cannot create a pipe: ") + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[1]);
  std::vector<std::string> words{"tessera"};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, "/proc/self/exe", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (rc != 0) {
    close(pipe_fds[0]);
    throw std::runtime_error(std::string("cannot start a benchmark process: ") + std::strerror(rc));
  }
  ChildRun run;
  char buf[4096];
  for (;;) {
    const ssize_t n = read(pipe_fds[0], buf, sizeof buf);
    if (n > 0) {
      run.out.append(buf, static_cast<size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  close(pipe_fds[0]);
  int status = 0;
  struct rusage usage {};
  while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  run.max_rss_bytes = static_cast<uint64_t>(usage.ru_maxrss) * 1024;  // Linux reports KiB
  return run;
}

// A child that wrote its whole result and then died (a crash while the process was exiting)
// still measured what it was asked to: with `died_after_result`, the result is kept, its note
// says so, and *died_after_result is set so that the command can fail after reporting it.
bench::BenchResult parse_child(const std::string& what, const ChildRun& run, bool* died_after_result = nullptr) {
  bench::BenchResult r;
  const std::string line = run.out.substr(0, run.out.find('\n'));
  const Status parsed = bench::result_from_json(line, &r);
  if (run.exit_code != 0) {
    if (died_after_result == nullptr || !parsed.ok()) {
      throw std::runtime_error("benchmark " + what + " failed (its process exited with " +
                               std::to_string(run.exit_code) + ")");
    }
    *died_after_result = true;
    r.note += " [after writing this result its process died with exit status " + std::to_string(run.exit_code) + "]";
    std::cerr << "tessera: benchmark " << what << " finished, then its process died (exit status " << run.exit_code
              << ")\n";
    return r;
  }
  if (!parsed.ok()) throw std::runtime_error(parsed.to_string());
  return r;
}

std::vector<std::string> common_child_args(const ParsedArgs& args, int threads) {
  std::vector<std::string> a{"--threads", std::to_string(threads)};
  if (args.has("tiny")) a.push_back("--tiny");
  if (args.has("gradient-checkpointing")) a.push_back("--gradient-checkpointing");
  for (const char* flag : {"optimizer", "device", "precision", "batch", "resolution", "profile"}) {
    if (args.has(flag)) {
      a.push_back(std::string("--") + flag);
      a.push_back(args.get(flag));
    }
  }
  if (args.has("nchw")) a.push_back("--nchw");
  if (args.has("cuda-graph")) a.push_back("--cuda-graph");
  return a;
}

bench::BenchResult run_compute(const std::string& what, const ParsedArgs& args, int threads, int repeat, int warmup,
                               bool* died_after_result) {
  std::vector<std::string> child{"bench", what, "--child", "--repeat", std::to_string(repeat), "--warmup",
                                 std::to_string(warmup)};
  const auto common = common_child_args(args, threads);
  child.insert(child.end(), common.begin(), common.end());
  const ChildRun run = run_self(child);
  bench::BenchResult r = parse_child(what, run, died_after_result);
  r.peak_rss_bytes = std::max(r.peak_rss_bytes, run.max_rss_bytes);
  return r;
}

bench::BenchResult run_unet_load(const ParsedArgs& args, int threads, int repeat, int warmup,
                                 const std::string& cache_dir) {
  const auto common = common_child_args(args, threads);
  std::vector<std::string> prepare{"bench", "unet-load", "--child-prepare", "--cache-dir", cache_dir};
  prepare.insert(prepare.end(), common.begin(), common.end());
  const bench::BenchResult prepared = parse_child("unet-load (writing the weight file)", run_self(prepare));
  const std::string folder = prepared.note;

  bench::BenchResult r;
  r.name = "unet-load";
  r.description = bench::benchmark_description("unet-load", args.has("tiny"));
  r.setup_seconds = prepared.setup_seconds;
  for (int i = 0; i < warmup + repeat; ++i) {
    std::vector<std::string> load{"bench", "unet-load", "--child-load", folder};
    load.insert(load.end(), common.begin(), common.end());
    const ChildRun run = run_self(load);
    const bench::BenchResult one = parse_child("unet-load", run);
    if (i < warmup) continue;
    r.seconds.push_back(one.median_seconds);
    r.cpu_seconds.insert(r.cpu_seconds.end(), one.cpu_seconds.begin(), one.cpu_seconds.end());
    r.weight_bytes = one.weight_bytes;
    r.peak_rss_bytes = std::max({r.peak_rss_bytes, one.peak_rss_bytes, run.max_rss_bytes});
  }
  r.median_seconds = bench::median(r.seconds);
  char ratio[96];
  std::snprintf(ratio, sizeof ratio, "peak RSS %.2fx the weight bytes (goal <= 1.30x)",
                r.weight_bytes > 0 ? static_cast<double>(r.peak_rss_bytes) / static_cast<double>(r.weight_bytes) : 0.0);
  r.note = ratio;
  return r;
}

// The hidden child modes: one JSON line on stdout.
int run_child(const std::string& what, const ParsedArgs& args, int repeat, int warmup) {
  bench::BenchOptions o;
  o.repeat = repeat;
  o.warmup = warmup;
  o.tiny = args.has("tiny");
  o.cache_dir = args.get("cache-dir");
  o.optimizer = args.get("optimizer", "flat");
  o.gradient_checkpointing = args.has("gradient-checkpointing");
  o.device = args.get("device", "cpu");
  o.precision = args.get("precision");
  o.batch = args.get_int("batch", 0, 1, 1 << 20);
  o.resolution = args.get_int("resolution", 0, 8, 8192);
  o.channels_last = !args.has("nchw");
  o.profile = args.get("profile");
  o.cuda_graph = args.has("cuda-graph");
  bench::BenchResult r;
  Status s;
  if (args.has("child-prepare")) {
    r.name = what;
    std::string folder;
    s = bench::prepare_unet_folder(o, &folder, &r.weight_bytes, &r.setup_seconds);
    r.note = folder;
  } else if (args.has("child-load")) {
    r.name = what;
    double seconds = 0;
    struct timespec cpu0 {}, cpu1 {};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu0);
    s = bench::load_unet_folder(args.get("child-load"), &seconds, &r.weight_bytes, &r.peak_rss_bytes);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu1);
    r.seconds = {seconds};
    r.cpu_seconds = {static_cast<double>(cpu1.tv_sec - cpu0.tv_sec) +
                     static_cast<double>(cpu1.tv_nsec - cpu0.tv_nsec) * 1e-9};
    r.median_seconds = seconds;
  } else {
    s = bench::run_benchmark(what, o, &r);
  }
  if (!s.ok()) {
    std::cerr << "tessera: " << what << ": " << s.to_string() << "\n";
    return 1;
  }
  // Flushed now: the result then reaches the parent even if tearing the process down fails.
  std::cout << bench::to_json(r) << std::endl;
  return 0;
}

std::string human_bytes(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f GiB", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
  return buf;
}

std::string padded(std::string s, size_t width) {
  if (s.size() < width) s.resize(width, ' ');
  return s + "  ";
}

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, s < 10 ? "%.3f" : "%.2f", s);
  return buf;
}

void print_table(const bench::MachineInfo& m, const std::vector<bench::BenchResult>& results, int repeat, int warmup) {
  std::cout << "machine: " << (m.cpu.empty() ? "unknown CPU" : m.cpu) << ", " << m.cores << " cores, " << m.threads
            << " threads, " << m.kernel << "\n"
            << "BLAS:    " << m.blas << "\n"
            << "LibTorch " << m.torch_version << "; median of " << repeat << " run(s) after " << warmup
            << " warm-up; peak RSS of the benchmark's own process\n\n";
  std::cout << padded("benchmark", 11) << padded("median s", 9) << padded("runs (s)", 24) << padded("cpu s", 8)
            << padded("peak RSS", 10)
            << padded("weights", 10) << "what\n";
  for (const auto& r : results) {
    std::string runs;
    for (double s : r.seconds) runs += (runs.empty() ? "" : " ") + seconds_text(s);
    std::cout << padded(r.name, 11) << padded(seconds_text(r.median_seconds), 9) << padded(runs, 24)
              << padded(seconds_text(bench::median(r.cpu_seconds)), 8) << padded(human_bytes(r.peak_rss_bytes), 10)
              << padded(human_bytes(r.weight_bytes), 10) << r.description
              << (r.note.empty() ? "" : " [" + r.note + "]") << "\n";
  }
}

bool is_data_benchmark(const std::string& name) { return name == "decode-resize" || name == "latent-read"; }

// decode-resize and latent-read run in this process (they measure throughput, not peak memory);
// single-threaded work unless --threads says otherwise.
int run_data_benchmarks(const ParsedArgs& args, const std::vector<std::string>& what, int repeat, int warmup) {
  std::vector<bench::DataBenchResult> results;
  for (const auto& w : what) {
    if (w == "decode-resize") {
      if (!args.has("images")) throw UsageError("decode-resize needs --images DIR (scripts/bench-data.sh makes a set)");
      std::vector<int> sides;
      for (const auto& text : args.get_all("side")) {
        try {
          sides.push_back(std::stoi(text));
        } catch (const std::exception&) {
          throw UsageError("--side needs a number of pixels, got '" + text + "'");
        }
      }
      if (sides.empty()) sides = {256, 512};
      for (int side : sides) {
        if (!args.has("json")) std::cerr << "tessera: running decode-resize at " << side << " px ...\n";
        bench::DataBenchResult r;
        if (Status s = bench::bench_decode_resize(args.get("images"), side, repeat, warmup, &r); !s.ok()) {
          std::cerr << "tessera: " << s.to_string() << "\n";
          return 1;
        }
        results.push_back(std::move(r));
      }
    } else {
      if (!args.has("latent-dir")) throw UsageError("latent-read needs --latent-dir DIR (written with synthetic latents when empty)");
      if (!args.has("json")) std::cerr << "tessera: running latent-read ...\n";
      bench::DataBenchResult r;
      const std::string reader = args.get("reader", "source");
      if (reader != "source" && reader != "streaming") throw UsageError("--reader must be source or streaming");
      if (reader == "streaming") {
        if (Status s = bench::bench_latent_stream(args.get("latent-dir"), static_cast<int>(args.get_int("batch", 16, 1, 65536)),
                                                  !args.has("no-shuffle"), repeat, warmup, &r);
            !s.ok()) {
          std::cerr << "tessera: " << s.to_string() << "\n";
          return 1;
        }
        results.push_back(std::move(r));
        continue;
      }
      const Status s = bench::bench_latent_read(args.get("latent-dir"), static_cast<int>(args.get_int("samples", 4096, 1, 10000000)),
                                                static_cast<int>(args.get_int("resolution", 256, 8, 4096)),
                                                static_cast<int>(args.get_int("batch", 16, 1, 65536)), !args.has("no-shuffle"),
                                                repeat, warmup, &r);
      if (!s.ok()) {
        std::cerr << "tessera: " << s.to_string() << "\n";
        return 1;
      }
      results.push_back(std::move(r));
    }
  }
  const bench::MachineInfo m = bench::machine_info();
  if (args.has("json")) {
    std::string out = "{\"machine\":" + bench::to_json(m) + ",\"repeat\":" + std::to_string(repeat) + ",\"results\":[";
    for (size_t i = 0; i < results.size(); ++i) out += (i ? "," : "") + bench::to_json(results[i]);
    std::cout << out << "]}\n";
    return 0;
  }
  std::cout << "machine: " << (m.cpu.empty() ? "unknown CPU" : m.cpu) << ", " << m.cores << " cores, " << m.threads
            << " threads, " << m.kernel << "\nmedian of " << repeat << " pass(es) after " << warmup << " warm-up\n\n";
  std::cout << padded("benchmark", 18) << padded("items/s", 10) << padded("median s", 9) << padded("cpu s", 8) << "what\n";
  for (const auto& r : results) {
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.1f", r.items_per_second);
    std::cout << padded(r.name, 18) << padded(rate, 10) << padded(seconds_text(r.median_seconds), 9)
              << padded(seconds_text(r.cpu_seconds), 8) << r.description << (r.note.empty() ? "" : " [" + r.note + "]") << "\n";
  }
  return 0;
}

}  // namespace

Command make_bench_command() {
  Command c;
  c.name = "bench";
  c.usage =
      "tessera bench <unet-step|train-step|generate|vae-decode|unet-load|all>... [--repeat N] [--warmup N]\n"
      "              [--json] [--tiny] [--cache-dir DIR] [--optimizer flat|foreach|in_backward]\n"
      "              [--gradient-checkpointing] [--device cpu|cuda] [--precision P] [--batch N]\n"
      "              [--resolution N] [--nchw] [--cuda-graph] [--profile FILE]\n"
      "tessera bench decode-resize --images DIR [--side N]...   (images/s; per core with --threads 1)\n"
      "tessera bench latent-read --latent-dir DIR [--samples N] [--resolution N] [--batch N] [--no-shuffle]\n"
      "                          [--reader source|streaming]";
  c.summary = "time a UNet step, a training step, a 512 px generation, a VAE decode and UNet loading (random SD2-base weights)";
  c.flags = {
      {"repeat", "N", "measured runs per benchmark; the median is reported (default 3)"},
      {"warmup", "N", "unreported runs before them (default 1)"},
      {"json", "", "one JSON object with the machine and the results"},
      {"tiny", "", "a tiny model of the same family instead of full-size SD2-base (a quick check)"},
      {"cache-dir", "DIR",
       "unet-load: folder for the random UNet weight file, written once (default $TMPDIR/tessera-bench)"},
      {"optimizer", "KIND", "train-step: optimizer.implementation, flat (default), foreach or in_backward"},
      {"gradient-checkpointing", "", "train-step: recompute the UNet blocks' activations in backward"},
      {"device", "DEV", "train-step, generate: cpu (default) or cuda"},
      {"precision", "P",
       "train-step: fp32 (default), amp_bf16 or amp_fp16 (CUDA); generate: the models' dtype, fp32 (default), fp16 or bf16"},
      {"nchw", "", "train-step on CUDA: keep the activations NCHW (trainer.channels_last: false)"},
      {"cuda-graph", "",
       "on CUDA. train-step: trainer.cuda_graph, the UNet's forward and backward passes captured once in a CUDA "
       "graph and replayed every step (fp32 or amp_bf16; at least 3 warm-up steps); generate: the UNet's calls "
       "replayed from a CUDA graph"},
      {"profile", "FILE",
       "one benchmark: record the measured runs with PyTorch's profiler and write where the time went to FILE "
       "(per step phase, and on CUDA the device's kernels by kind and the busiest ones) and a Chrome trace to "
       "FILE.trace.json; the profiler slows the runs"},
      {"images", "DIR", "decode-resize: folder of image files (JPEG, PNG, WebP), read into memory first"},
      {"side", "N", "decode-resize: output side in pixels (repeatable; default 256 and 512)", true},
      {"latent-dir", "DIR", "latent-read: latent shard folder; synthetic SD2-sized shards are written there when it has none"},
      {"samples", "N", "latent-read: synthetic samples to write (default 4096)"},
      {"resolution", "N", "train-step: image side (default 256); latent-read: image size the synthetic latents stand for (default 256: latents 4x32x32)"},
      {"batch", "N", "train-step: images per step (default 1); latent-read: samples per read, as a training microbatch (default 16)"},
      {"no-shuffle", "", "latent-read: read in stored order instead of training's shuffled order"},
      {"reader", "KIND", "latent-read: source (training's mds_latents DataSource, default) or streaming (shards::StreamingReader)"},
      {"child", "", "(internal) run one benchmark in this process and print its JSON"},
      {"child-prepare", "", "(internal) write the unet-load weight file"},
      {"child-load", "DIR", "(internal) load a UNet folder once"},
  };
  c.min_positionals = 1;
  c.max_positionals = 8;
  c.run = [](const ParsedArgs& args) {
    const int repeat = static_cast<int>(args.get_int("repeat", 3, 1, 1000));
    const int warmup = static_cast<int>(args.get_int("warmup", 1, 0, 100));
    if (const std::string opt = args.get("optimizer", "flat"); opt != "flat" && opt != "foreach" && opt != "in_backward") {
      throw UsageError("--optimizer must be flat, foreach or in_backward, not '" + opt + "'");
    }
    const std::string device = args.get("device", "cpu");
    if (device != "cpu" && device != "cuda") throw UsageError("--device must be cpu or cuda, not '" + device + "'");
    std::vector<std::string> what;
    const auto& words = args.positionals();
    if (std::any_of(words.begin(), words.end(), is_data_benchmark)) {
      if (!std::all_of(words.begin(), words.end(), is_data_benchmark)) {
        throw UsageError("run decode-resize / latent-read separately from the model benchmarks");
      }
      if (args.has("profile")) throw UsageError("--profile is for the model benchmarks, not decode-resize or latent-read");
      return run_data_benchmarks(args, words, repeat, warmup);
    }
    for (const auto& p : args.positionals()) {
      if (p == "all") {
        for (const auto& n : bench::benchmark_names()) what.push_back(n);
      } else if (bench::is_benchmark(p)) {
        what.push_back(p);
      } else {
        throw UsageError("unknown benchmark '" + p + "' (choose from unet-step, train-step, generate, vae-decode, unet-load, all)");
      }
    }
    const bool train_only = args.has("batch") || args.has("resolution") || args.has("nchw");
    if (args.has("cuda-graph") && device != "cuda") throw UsageError("--cuda-graph needs --device cuda");
    if (args.has("profile")) {
      if (args.get("profile").empty()) throw UsageError("--profile needs a file name");
      if (what.size() != 1 || what.front() == "unet-load") {
        throw UsageError("--profile records one benchmark: unet-step, train-step, generate or vae-decode");
      }
    }
    for (const auto& w : what) {
      if (device != "cpu" && w != "train-step" && w != "generate") {
        throw UsageError("--device cuda is for train-step and generate; " + w + " runs on the CPU");
      }
      if (train_only && w != "train-step") {
        throw UsageError("--batch, --resolution and --nchw are train-step options");
      }
      if (args.has("precision")) {
        const std::string p = args.get("precision");
        const bool ok = w == "train-step" ? (p == "fp32" || p == "amp_bf16" || p == "amp_fp16")
                        : w == "generate" ? (p == "fp32" || p == "fp16" || p == "bf16")
                                          : false;
        if (!ok) {
          throw UsageError("--precision " + p + " does not apply to " + w +
                           " (train-step: fp32, amp_bf16, amp_fp16; generate: fp32, fp16, bf16)");
        }
      }
    }
    if (args.has("child") || args.has("child-prepare") || args.has("child-load")) {
      if (what.size() != 1) throw UsageError("a benchmark child process runs exactly one benchmark");
      return run_child(what.front(), args, repeat, warmup);
    }
    const int threads = tessera::configure_threads(static_cast<int>(args.get_int("threads", 0, 1, 4096)));
    std::string cache_dir = args.get("cache-dir");
    if (cache_dir.empty()) {
      const char* tmp = std::getenv("TMPDIR");
      cache_dir = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/tessera-bench";
    }
    std::vector<bench::BenchResult> results;
    bool died_after_result = false;
    try {
      for (const auto& w : what) {
        if (!args.has("json")) std::cerr << "tessera: running " << w << " ...\n";
        results.push_back(w == "unet-load" ? run_unet_load(args, threads, repeat, warmup, cache_dir)
                                           : run_compute(w, args, threads, repeat, warmup, &died_after_result));
      }
    } catch (const std::runtime_error& e) {
      std::cerr << "tessera: " << e.what() << "\n";
      return 1;
    }
    const bench::MachineInfo machine = bench::machine_info();
    if (args.has("json")) {
      std::string out = "{\"machine\":" + bench::to_json(machine) + ",\"repeat\":" + std::to_string(repeat) +
                        ",\"warmup\":" + std::to_string(warmup) + ",\"results\":[";
      for (size_t i = 0; i < results.size(); ++i) out += (i ? "," : "") + bench::to_json(results[i]);
      std::cout << out << "]}\n";
    } else {
      print_table(machine, results, repeat, warmup);
    }
    return died_after_result ? 1 : 0;
  };
  return c;
}

}  // namespace tessera::cli
