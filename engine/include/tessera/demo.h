#pragma once
// The demo project: the main job run on an embedded default, end to end with whatever the
// engine can do today. Each stage says plainly whether it ran or is not implemented yet.

#include "tessera/error.h"

#include <functional>
#include <string>
#include <vector>

namespace tessera {

struct DemoStage {
  std::string name;         // "runtime", "blas", "dataset", "train", "generate", ...
  bool implemented = false;
  bool ran = false;
  std::string summary;      // one line: what happened, or what is coming
};

struct DemoReport {
  std::vector<DemoStage> stages;
  double matmul_gflops = 0.0;
};

struct DemoOptions {
  std::string work_dir;                              // where the demo may write files
  std::function<void(const std::string&)> log;       // one line per call; may be empty
  std::function<bool()> cancelled;                   // polled between stages; may be empty
};

// Runs the demo. Fails only on a real error (e.g. an unusable work_dir); a stage that is not
// implemented yet is reported as such, not as a failure.
Status run_demo(const DemoOptions& options, DemoReport* report);

// Measures float32 matrix-product throughput (GFLOP/s) with n x n matrices, the best of
// `repeats` timed runs after one warm-up.
double measure_matmul_gflops(int n, int repeats);

}  // namespace tessera
