// tessera train: run (or resume) a training run from a YAML run config.

#include "commands.h"

#include "tessera/train.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <iostream>

namespace tessera::cli {
namespace {

volatile std::sig_atomic_t g_interrupted = 0;
void on_sigint(int) { g_interrupted = 1; }

}  // namespace

Command make_train_command() {
  Command c;
  c.name = "train";
  c.usage = "tessera train --config FILE --run-dir DIR [--resume auto|never] [--check]";
  c.summary = "train a UNet from a YAML run config (checkpoints, metrics.jsonl, samples in the run folder)";
  c.flags = {
      {"config", "FILE", "run config (YAML; presets in resources/presets/)"},
      {"run-dir", "DIR", "run folder: config.yaml, metrics.jsonl, checkpoints/, samples/"},
      {"resume", "MODE", "auto: continue from the newest complete checkpoint (default); never: start over"},
      {"check", "", "check the config (keys, types, UNet architecture) and exit"},
  };
  c.run = [](const ParsedArgs& args) {
    if (!args.has("config")) throw UsageError("train needs --config FILE");
    if (args.has("check")) {
      std::string summary;
      if (Status s = check_run_config(args.get("config"), &summary); !s.ok()) {
        std::cerr << "tessera: " << s.to_string() << "\n";
        return 1;
      }
      std::cout << summary << "\n";
      return 0;
    }
    if (!args.has("run-dir")) throw UsageError("train needs --run-dir DIR");
    TrainOptions o;
    o.config_path = args.get("config");
    o.run_dir = args.get("run-dir");
    o.resume = args.get("resume", "auto");
    if (o.resume != "auto" && o.resume != "never") throw UsageError("--resume must be auto or never");
    std::signal(SIGINT, on_sigint);
    const bool terminal = isatty(STDERR_FILENO) != 0;
    const Status status = train(o, [&](const TrainProgress& p) {
      if (terminal) {
        std::fprintf(stderr, "\rstep %lld/%lld  loss %.5f  lr %.3g  %.1f img/s ", static_cast<long long>(p.step),
                     static_cast<long long>(p.max_steps), p.loss, p.lr, p.images_per_s);
        std::fflush(stderr);
      }
      return g_interrupted == 0;
    });
    if (terminal) std::fprintf(stderr, "\n");
    if (status.cancelled()) {
      std::cerr << "tessera: interrupted; resume with the same command (--resume auto)\n";
      return 130;
    }
    if (!status.ok()) {
      std::cerr << "tessera: " << status.to_string() << "\n";
      return 1;
    }
    return 0;
  };
  return c;
}

}  // namespace tessera::cli
