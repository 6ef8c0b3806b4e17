// See device_kernels.h.

#include "core/device_kernels.h"

#include "core/env.h"
#include "core/runtime_kernels.h"

#if __has_include(<c10/cuda/CUDAStream.h>) && __has_include(<cuda_runtime_api.h>)
#define TESSERA_DEVICE_KERNELS_CUDA 1
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#endif

#include <map>
#include <mutex>

namespace tessera {

bool KernelSwitch::on() {
  int state = state_.load();
  if (state < 0) {
    state_.compare_exchange_strong(state, env_is(env_, "1") ? 1 : 0);
    state = state_.load();
  }
  return state == 1;
}

#ifdef TESSERA_DEVICE_KERNELS_CUDA

bool CudaKernelSet::built() { return true; }

CudaKernelSet::CudaKernelSet(const std::string& name, const std::string& source,
                             const std::vector<std::string>& functions, int device_index)
    : device_index_(device_index) {
  const c10::cuda::CUDAGuard guard(static_cast<c10::DeviceIndex>(device_index));
  kernels_ = std::make_unique<RuntimeKernels>(source, name, device_index);
  for (const auto& f : functions) functions_.push_back(kernels_->function(f));
}

void CudaKernelSet::launch(size_t function, unsigned grid_x, unsigned grid_y, unsigned threads, void* args) const {
  const auto device = static_cast<c10::DeviceIndex>(device_index_);
  const c10::cuda::CUDAGuard guard(device);
  kernels_->launch(functions_.at(function), grid_x, grid_y, threads, c10::cuda::getCurrentCUDAStream(device).stream(),
                   {args});
}

#else

bool CudaKernelSet::built() { return false; }

CudaKernelSet::CudaKernelSet(const std::string&, const std::string&, const std::vector<std::string>&, int device_index)
    : device_index_(device_index) {}

void CudaKernelSet::launch(size_t, unsigned, unsigned, unsigned, void*) const {}

#endif

CudaKernelSet::~CudaKernelSet() = default;

int CudaKernelSet::multiprocessors() const { return kernels_ ? kernels_->multiprocessors() : 0; }

const CudaKernelSet* CudaKernelSet::get(const std::string& name, const std::string& source,
                                        const std::vector<std::string>& functions, int device_index,
                                        std::string* why) {
  if (!built()) {
    if (why != nullptr) *why = "this build has no CUDA headers to launch the engine's own kernels with";
    return nullptr;
  }
  static std::mutex mutex;
  static std::map<std::pair<std::string, int>, std::unique_ptr<CudaKernelSet>> sets;
  static std::map<std::pair<std::string, int>, std::string> failures;
  const std::lock_guard<std::mutex> lock(mutex);
  const auto key = std::make_pair(name, device_index);
  if (auto it = sets.find(key); it != sets.end()) return it->second.get();
  if (auto it = failures.find(key); it != failures.end()) {
    if (why != nullptr) *why = it->second;
    return nullptr;
  }
  try {
    auto set = std::make_unique<CudaKernelSet>(name, source, functions, device_index);
    return (sets[key] = std::move(set)).get();
  } catch (const std::exception& e) {
    failures[key] = name + " could not be built for cuda:" + std::to_string(device_index) + ": " + e.what();
    if (why != nullptr) *why = failures[key];
    return nullptr;
  }
}

}  // namespace tessera
