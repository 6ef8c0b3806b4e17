#include "tessera/runtime.h"

#include "core/env.h"
#include "core/runtime_kernels.h"
#include "tessera/version.h"

#include <torch/torch.h>

#include <dlfcn.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <sched.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <thread>

namespace tessera {
namespace {

// Finds which shared library provides the BLAS symbol LibTorch calls, and asks OpenBLAS for its
// configuration when that is what it is. Debian switches libblas.so.3 between implementations
// with update-alternatives, so the answer is only known at run time.
std::string describe_blas(bool* is_reference) {
  *is_reference = false;
  void* sym = dlsym(RTLD_DEFAULT, "sgemm_");
  if (sym == nullptr) sym = dlsym(RTLD_DEFAULT, "cblas_sgemm");
  std::string path;
  if (sym != nullptr) {
    Dl_info info{};
    if (dladdr(sym, &info) != 0 && info.dli_fname != nullptr) path = info.dli_fname;
  }
  using ConfigFn = char* (*)();
  auto openblas_config = reinterpret_cast<ConfigFn>(dlsym(RTLD_DEFAULT, "openblas_get_config"));
  if (openblas_config != nullptr) {
    std::string cfg = openblas_config();
    if (cfg.rfind("OpenBLAS ", 0) != 0) cfg = "OpenBLAS " + cfg;
    return cfg + (path.empty() ? "" : " (" + path + ")");
  }
  if (dlsym(RTLD_DEFAULT, "mkl_get_version") != nullptr) return "Intel MKL" + (path.empty() ? "" : " (" + path + ")");
  if (dlsym(RTLD_DEFAULT, "bli_info_get_version_str") != nullptr) return "BLIS (" + path + ")";
  if (path.empty()) return "none found";
  // Anything else that provides sgemm_ from Debian's libblas.so.3 slot is Netlib's reference
  // implementation (the default when no optimised BLAS is installed).
  *is_reference = path.find("/blas/") != std::string::npos || path.find("libblas") != std::string::npos;
  return std::string(*is_reference ? "reference BLAS (Netlib)" : "unknown BLAS") + " (" + path + ")";
}

// Device names come from the CUDA driver API, opened at run time, so that this file compiles the
// same against CPU-only and CUDA builds of LibTorch (no CUDA headers needed).
std::string runtime_cuda_device_name(int index) {
  static void* lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) return "CUDA device " + std::to_string(index);
  using InitFn = int (*)(unsigned);
  using GetFn = int (*)(int*, int);
  using NameFn = int (*)(char*, int, int);
  auto init = reinterpret_cast<InitFn>(dlsym(lib, "cuInit"));
  auto get = reinterpret_cast<GetFn>(dlsym(lib, "cuDeviceGet"));
  auto name = reinterpret_cast<NameFn>(dlsym(lib, "cuDeviceGetName"));
  char buf[256] = {0};
  int dev = 0;
  if (init && get && name && init(0) == 0 && get(&dev, index) == 0 && name(buf, sizeof(buf) - 1, dev) == 0) {
    return buf;
  }
  return "CUDA device " + std::to_string(index);
}

}  // namespace

int available_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

bool keep_freed_memory_for_reuse() {
#if defined(__GLIBC__)
  if (env_is("TESSERA_MALLOC_DEFAULTS", "1")) return false;
  // M_MMAP_MAX 0: every block comes from the heap; M_TRIM_THRESHOLD -1: never shrink it.
  return mallopt(M_MMAP_MAX, 0) == 1 && mallopt(M_TRIM_THRESHOLD, -1) == 1;
#else
  return false;
#endif
}

bool release_free_memory() {
#if defined(__GLIBC__)
  (void)malloc_trim(0);
  return true;
#else
  return false;
#endif
}

int configure_threads(int requested) {
  const int n = requested > 0 ? requested : available_cpus();
  if (at::get_num_threads() != n) at::set_num_threads(n);
  // OpenBLAS (pthread flavour) runs its own pool, sized to all cores, whatever LibTorch says;
  // keep it in step so that --threads N really means N.
  using SetFn = void (*)(int);
  if (auto set_blas = reinterpret_cast<SetFn>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) set_blas(n);
  return at::get_num_threads();
}

RuntimeInfo runtime_info() {
  RuntimeInfo info;
  info.tessera_version = TESSERA_VERSION_STRING;
  info.torch_version = TORCH_VERSION;
  info.cuda_available = torch::cuda::is_available();
  if (info.cuda_available) {
    const auto n = torch::cuda::device_count();
    for (int64_t i = 0; i < static_cast<int64_t>(n); ++i) {
      info.cuda_devices.push_back(runtime_cuda_device_name(static_cast<int>(i)));
    }
  }
#if defined(USE_C10D_NCCL) && !defined(TESSERA_WITHOUT_NCCL) && __has_include(<nccl.h>)
  info.nccl_available = true;  // as training/distributed.cpp decides
#endif
#if defined(USE_C10D_GLOO) && __has_include(<gloo/algorithm.h>)
  info.gloo_available = true;
#endif
  info.intra_op_threads = at::get_num_threads();
  info.hardware_threads = available_cpus();
  info.blas = describe_blas(&info.blas_is_reference);
  if (info.cuda_available) {
    std::string why;
    info.nvrtc = RuntimeKernels::nvrtc_library(&why);
    if (info.nvrtc.empty()) info.nvrtc = "none: " + why;
  }
  return info;
}

}  // namespace tessera
