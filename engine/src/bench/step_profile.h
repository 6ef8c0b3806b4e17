#pragma once
// Records a stretch of work with PyTorch's profiler — host operators and the trainer's phase
// scopes everywhere; on CUDA, where LibTorch has Kineto (PyTorch's own builds), the device's
// kernels, copies and the runtime calls that launched them — and writes what it saw: a summary
// (profile_summary.h) and a Chrome trace. `tessera bench --profile FILE` uses it.

#include <memory>
#include <string>

namespace tessera::bench {

class StepProfile {
 public:
  // Starts recording; `device`: also the CUDA activity (kernels, copies, launches).
  explicit StepProfile(bool device);
  ~StepProfile();  // stops recording if finish() was not called
  StepProfile(const StepProfile&) = delete;
  StepProfile& operator=(const StepProfile&) = delete;

  // Stops recording and writes the summary of `steps` steps to `path` and the trace to
  // `path` + ".trace.json". Returns the summary text.
  std::string finish(const std::string& path, int steps, const std::string& title);

 private:
  bool running_ = false;
  bool device_ = false;
};

}  // namespace tessera::bench
