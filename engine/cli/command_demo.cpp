// tessera demo: the demo project, end to end (see engine/include/tessera/demo.h).

#include "commands.h"

#include "tessera/demo.h"

#include <csignal>
#include <cstdio>
#include <iostream>

namespace tessera::cli {
namespace {

volatile std::sig_atomic_t g_interrupted = 0;
void on_sigint(int) { g_interrupted = 1; }

int int_flag(const ParsedArgs& args, const char* name, int fallback, int lo) {
  if (!args.has(name)) return fallback;
  const std::string v = args.get(name, "");
  try {
    size_t used = 0;
    const int n = std::stoi(v, &used);
    if (used == v.size() && n >= lo) return n;
  } catch (const std::exception&) {
  }
  throw UsageError(std::string("--") + name + " must be an integer >= " + std::to_string(lo) + ", not '" + v + "'");
}

double double_flag(const ParsedArgs& args, const char* name, double fallback, double lo, double hi) {
  if (!args.has(name)) return fallback;
  const std::string v = args.get(name, "");
  try {
    size_t used = 0;
    const double x = std::stod(v, &used);
    if (used == v.size() && x >= lo && x <= hi) return x;
  } catch (const std::exception&) {
  }
  throw UsageError(std::string("--") + name + " must be a number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                   ", not '" + v + "'");
}

}  // namespace

Command make_demo_command() {
  Command c;
  c.name = "demo";
  c.usage = "tessera demo [--out DIR] [--unet-steps N] [--vae-steps N] [--images N] [--seed N] [--evaluate MODEL]";
  c.summary = "the demo project: synthetic shapes -> tokenizer, VAE, UNet from scratch -> images of unseen prompts";
  c.flags = {{"out", "DIR", "where the demo writes everything (default: ./tessera-demo)"},
             {"work-dir", "DIR", "the same as --out"},
             {"unet-steps", "N", "UNet training steps (default 1500; fewer is faster and worse)"},
             {"vae-steps", "N", "VAE training steps (default 600)"},
             {"images", "N", "training images (default 1500)"},
             {"sample-steps", "N", "sampling steps of the evaluation images (default 25)"},
             {"guidance", "F", "classifier-free guidance of the evaluation images (default 4)"},
             {"sample-seed", "N", "seed of the first evaluation caption (default 1000)"},
             {"seed", "N", "seed of the dataset, the split and the initialisation (default 7)"},
             {"evaluate", "MODEL", "only generate the held-out captions with this diffusers folder and judge them"}};
  c.run = [](const ParsedArgs& args) {
    std::signal(SIGINT, on_sigint);
    DemoOptions options;
    options.work_dir = args.get("out", args.get("work-dir", "tessera-demo"));
    options.evaluate_model = args.get("evaluate", "");
    options.sizes.unet_steps = int_flag(args, "unet-steps", options.sizes.unet_steps, 1);
    options.sizes.vae_steps = int_flag(args, "vae-steps", options.sizes.vae_steps, 1);
    options.sizes.train_images = int_flag(args, "images", options.sizes.train_images, 1);
    options.sizes.sample_steps = int_flag(args, "sample-steps", options.sizes.sample_steps, 1);
    options.sizes.guidance = double_flag(args, "guidance", options.sizes.guidance, 0.0, 100.0);
    options.sizes.sample_seed = static_cast<uint64_t>(int_flag(args, "sample-seed", 1000, 0));
    options.seed = static_cast<uint64_t>(int_flag(args, "seed", static_cast<int>(options.seed), 0));
    options.log = [](const std::string& line) { std::cout << line << std::endl; };
    options.cancelled = [] { return g_interrupted != 0; };
    DemoReport report;
    const Status status = run_demo(options, &report);
    if (status.cancelled()) {
      std::cerr << "tessera: demo interrupted\n";
      return 130;
    }
    if (!status.ok()) {
      std::cerr << "tessera: demo failed: " << status.to_string() << "\n";
      return 1;
    }
    char line[256];
    std::snprintf(line, sizeof(line), "demo: done in %.1f min; model in %s, grid in %s\n", report.total_seconds / 60.0,
                  report.model_dir.c_str(), report.grid_png.c_str());
    std::cout << line;
    return 0;
  };
  return c;
}

}  // namespace tessera::cli
