#pragma once
// The engine's own kernels (engine/src/kernels/*.cuh) where they run: on a CUDA device, compiled
// by NVRTC on first use (core/runtime_kernels.h) and launched on LibTorch's current stream; and,
// for the tests, on the CPU (kernels/cpu_emulation.h). Plus the switch that turns a family of
// them on for the model layers. No torch in this header.

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tessera {

class RuntimeKernels;

// The kernels of one source on one CUDA device, compiled and loaded on first use and kept for the
// process (their functions may sit in captured CUDA graphs). A source that failed on a device
// keeps its error: later calls return it at once.
class CudaKernelSet {
 public:
  // The set, or nullptr and why: this build has no CUDA headers to launch with, or the source did
  // not compile or load on this device.
  static const CudaKernelSet* get(const std::string& name, const std::string& source,
                                  const std::vector<std::string>& functions, int device_index, std::string* why);

  // Launches functions[function] on the device's current stream: grid_x × grid_y blocks of
  // `threads`, `args` pointing at the kernel's one parameter (a struct passed by value).
  void launch(size_t function, unsigned grid_x, unsigned grid_y, unsigned threads, void* args) const;
  int multiprocessors() const;

  // Whether this build can launch on CUDA (compiled with LibTorch's CUDA headers).
  static bool built();

  CudaKernelSet(const std::string& name, const std::string& source, const std::vector<std::string>& functions,
                int device_index);
  ~CudaKernelSet();

 private:
  std::unique_ptr<RuntimeKernels> kernels_;
  std::vector<void*> functions_;
  int device_index_;
};

// A family of kernels' routing switch: off, unless the environment variable says "1" or a test
// turns it on.
class KernelSwitch {
 public:
  explicit KernelSwitch(const char* env) : env_(env) {}
  bool on();
  // On or off; nullopt: the environment decides again.
  void set(std::optional<bool> enabled) { state_ = enabled ? (*enabled ? 1 : 0) : -1; }

 private:
  const char* env_;
  std::atomic<int> state_{-1};  // -1: the environment decides on first use
};

}  // namespace tessera
