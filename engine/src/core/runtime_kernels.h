#pragma once
// CUDA kernels compiled while the program runs: NVRTC turns a kernel source into a CUBIN for the
// GPU at hand, CUDA's driver API loads it and launches its functions on a stream. Both libraries
// are opened with dlopen, so the engine builds and links without CUDA's toolkit or headers and a
// GPU node needs only what its PyTorch wheel (or LibTorch folder) and driver already bring.
// Nothing here touches torch. Internal header.

#include <memory>
#include <string>
#include <vector>

namespace tessera {

class RuntimeKernels {
 public:
  // Compiles `source` for sm_<major><minor> (or, when this NVRTC does not know that GPU, to PTX for
  // the newest architecture it knows below it, which the driver finishes). Throws Error with
  // NVRTC's log when the source does not compile or there is no NVRTC.
  static std::string compile(const std::string& source, const std::string& name, int major, int minor);

  // The NVRTC library this process uses, opening it if needed; empty (and why) when none.
  static std::string nvrtc_library(std::string* why = nullptr);

  // Compiles `source` for CUDA device `device_index` and loads it into the device's primary
  // context (made current on this thread if no context is). Throws Error on any failure.
  RuntimeKernels(const std::string& source, const std::string& name, int device_index);
  ~RuntimeKernels();
  RuntimeKernels(const RuntimeKernels&) = delete;
  RuntimeKernels& operator=(const RuntimeKernels&) = delete;

  // The kernel `name` (an extern "C" function of the source); throws Error when it is not there.
  void* function(const std::string& name) const;

  // Launches `function` on `stream` (a cudaStream_t; null is the legacy default stream) with a
  // grid of grid_x × grid_y blocks of block_x threads. `args`: the kernel's parameters, one
  // pointer to each.
  void launch(void* function, unsigned grid_x, unsigned grid_y, unsigned block_x, void* stream,
              std::vector<void*> args) const;

  int multiprocessors() const;
  int device_index() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tessera
