// See runtime_kernels.h. The few NVRTC and driver-API entry points used are declared here by
// their C signatures (opaque handles as pointers, result codes as int), so no CUDA header is
// needed anywhere.

#include "core/runtime_kernels.h"

#include "tessera/error.h"

#include <dlfcn.h>
#include <link.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <mutex>

namespace tessera {
namespace {

namespace fs = std::filesystem;

struct Nvrtc {
  std::string path;
  int (*version)(int*, int*) = nullptr;
  int (*create_program)(void**, const char*, const char*, int, const char* const*, const char* const*) = nullptr;
  int (*compile_program)(void*, int, const char* const*) = nullptr;
  int (*log_size)(void*, size_t*) = nullptr;
  int (*log)(void*, char*) = nullptr;
  int (*cubin_size)(void*, size_t*) = nullptr;
  int (*cubin)(void*, char*) = nullptr;
  int (*ptx_size)(void*, size_t*) = nullptr;
  int (*ptx)(void*, char*) = nullptr;
  int (*destroy_program)(void**) = nullptr;
  const char* (*error_string)(int) = nullptr;
  int (*supported_arch_count)(int*) = nullptr;
  int (*supported_archs)(int*) = nullptr;
};

template <typename Fn>
bool bind(void* lib, const char* name, Fn& fn) {
  fn = reinterpret_cast<Fn>(dlsym(lib, name));
  return fn != nullptr;
}

// Objects already loaded into the process (the program, LibTorch, what they pulled in).
std::vector<std::string> loaded_objects() {
  std::vector<std::string> paths;
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* out) {
        if (info->dlpi_name != nullptr && info->dlpi_name[0] != '\0')
          static_cast<std::vector<std::string>*>(out)->push_back(info->dlpi_name);
        return 0;
      },
      &paths);
  return paths;
}

// NVRTC itself: not its builtins library, and not the ".alt" build (which wants its own builtins).
bool is_nvrtc_file(const std::string& file) {
  return file.rfind("libnvrtc", 0) == 0 && file.find(".so") != std::string::npos &&
         file.find("builtins") == std::string::npos && file.find(".alt") == std::string::npos;
}

// The major version of the CUDA runtime LibTorch loaded ("13" from libcudart.so.13), or "".
std::string loaded_cuda_major(const std::vector<std::string>& loaded) {
  for (const auto& path : loaded) {
    const std::string file = fs::path(path).filename().string();
    const auto at = file.find("libcudart.so.");
    if (file.rfind("libcudart", 0) == 0 && at != std::string::npos) {
      const std::string rest = file.substr(at + 13);
      return rest.substr(0, rest.find('.'));
    }
  }
  return {};
}

// Where an NVRTC library may be, most specific first: $TESSERA_NVRTC_LIBRARY; one already loaded;
// next to LibTorch's CUDA library (LibTorch's zip keeps a renamed copy in its lib/, a PyTorch
// wheel's comes from the nvidia-* wheels two folders up); then the loader's search by soname;
// then a CUDA toolkit.
std::vector<std::string> nvrtc_candidates() {
  std::vector<std::string> out;
  const char* env = std::getenv("TESSERA_NVRTC_LIBRARY");
  const bool chosen = env != nullptr && env[0] != '\0';
  if (chosen) out.push_back(env);
  const auto loaded = loaded_objects();
  for (const auto& path : loaded)
    if (is_nvrtc_file(fs::path(path).filename().string())) out.push_back(path);
  std::error_code ec;
  for (const auto& path : loaded) {
    const std::string file = fs::path(path).filename().string();
    if (file.rfind("libtorch_cuda", 0) != 0 && file.rfind("libc10_cuda", 0) != 0) continue;
    const fs::path dir = fs::path(path).parent_path();
    for (const auto& entry : fs::directory_iterator(dir, ec))
      if (is_nvrtc_file(entry.path().filename().string())) out.push_back(entry.path().string());
    const fs::path nvidia = dir / ".." / ".." / "nvidia";
    for (const auto& package : fs::directory_iterator(nvidia, ec)) {
      std::error_code inner;
      for (const auto& entry : fs::directory_iterator(package.path() / "lib", inner))
        if (is_nvrtc_file(entry.path().filename().string())) out.push_back(entry.path().string());
    }
  }
  for (const char* soname : {"libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so"}) out.push_back(soname);
  const char* cuda_home = std::getenv("CUDA_HOME");
  out.push_back(std::string(cuda_home != nullptr ? cuda_home : "/usr/local/cuda") + "/lib64/libnvrtc.so");
  // After the one asked for, the NVRTC of LibTorch's own CUDA version first (a machine may carry
  // a CUDA 12 and a 13 one); otherwise the order above.
  const std::string major = loaded_cuda_major(loaded);
  if (!major.empty())
    std::stable_partition(out.begin() + (chosen ? 1 : 0), out.end(), [&](const std::string& p) {
      return fs::path(p).filename().string().find(".so." + major) != std::string::npos;
    });
  return out;
}

// NVRTC opens its builtins library (libnvrtc-builtins.so.<version>) by name when it compiles. A
// wheel's NVRTC has no run path to its own folder, so unless that folder is on the loader's
// path the compile fails; opened here first from NVRTC's folder, the name resolves to it.
void preload_builtins(void* nvrtc_function) {
  Dl_info info{};
  if (dladdr(nvrtc_function, &info) == 0 || info.dli_fname == nullptr) return;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(fs::path(info.dli_fname).parent_path(), ec)) {
    const std::string file = entry.path().filename().string();
    if (file.rfind("libnvrtc-builtins.so.", 0) == 0) dlopen(entry.path().c_str(), RTLD_NOW | RTLD_GLOBAL);
  }
}

const Nvrtc* open_nvrtc(std::string* why) {
  static std::once_flag once;
  static std::unique_ptr<Nvrtc> nvrtc;
  static std::string failure;
  std::call_once(once, [] {
    std::string tried;
    for (const auto& candidate : nvrtc_candidates()) {
      void* lib = dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (lib == nullptr) {
        tried += "\n  " + candidate + ": " + dlerror();
        continue;
      }
      auto n = std::make_unique<Nvrtc>();
      n->path = candidate;
      const bool ok = bind(lib, "nvrtcVersion", n->version) && bind(lib, "nvrtcCreateProgram", n->create_program) &&
                      bind(lib, "nvrtcCompileProgram", n->compile_program) &&
                      bind(lib, "nvrtcGetProgramLogSize", n->log_size) && bind(lib, "nvrtcGetProgramLog", n->log) &&
                      bind(lib, "nvrtcGetCUBINSize", n->cubin_size) && bind(lib, "nvrtcGetCUBIN", n->cubin) &&
                      bind(lib, "nvrtcGetPTXSize", n->ptx_size) && bind(lib, "nvrtcGetPTX", n->ptx) &&
                      bind(lib, "nvrtcDestroyProgram", n->destroy_program) &&
                      bind(lib, "nvrtcGetErrorString", n->error_string) &&
                      bind(lib, "nvrtcGetNumSupportedArchs", n->supported_arch_count) &&
                      bind(lib, "nvrtcGetSupportedArchs", n->supported_archs);
      if (!ok) {
        tried += "\n  " + candidate + ": lacks the functions needed (an NVRTC older than CUDA 11.2?)";
        continue;
      }
      preload_builtins(reinterpret_cast<void*>(n->version));
      nvrtc = std::move(n);
      return;
    }
    failure = "no NVRTC library could be opened (set TESSERA_NVRTC_LIBRARY to its path); tried:" + tried;
  });
  if (!nvrtc && why != nullptr) *why = failure;
  return nvrtc.get();
}

struct Driver {
  int (*init)(unsigned) = nullptr;
  int (*ctx_get_current)(void**) = nullptr;
  int (*ctx_set_current)(void*) = nullptr;
  int (*device_get)(int*, int) = nullptr;
  int (*primary_ctx_retain)(void**, int) = nullptr;
  int (*device_get_attribute)(int*, int, int) = nullptr;
  int (*module_load_data)(void**, const void*) = nullptr;
  int (*module_get_function)(void**, void*, const char*) = nullptr;
  int (*launch_kernel)(void*, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, void*, void**,
                       void**) = nullptr;
  int (*error_string)(int, const char**) = nullptr;
};

const Driver& driver() {
  static const Driver d = [] {
    Driver r;
    void* lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (lib == nullptr) throw Error(std::string("cannot open CUDA's driver library libcuda.so.1: ") + dlerror());
    const bool ok = bind(lib, "cuInit", r.init) && bind(lib, "cuCtxGetCurrent", r.ctx_get_current) &&
                    bind(lib, "cuCtxSetCurrent", r.ctx_set_current) && bind(lib, "cuDeviceGet", r.device_get) &&
                    bind(lib, "cuDevicePrimaryCtxRetain", r.primary_ctx_retain) &&
                    bind(lib, "cuDeviceGetAttribute", r.device_get_attribute) &&
                    bind(lib, "cuModuleLoadData", r.module_load_data) &&
                    bind(lib, "cuModuleGetFunction", r.module_get_function) &&
                    bind(lib, "cuLaunchKernel", r.launch_kernel) && bind(lib, "cuGetErrorString", r.error_string);
    if (!ok) throw Error("CUDA's driver library lacks a function the runtime kernels need");
    return r;
  }();
  return d;
}

void check(int result, const char* what) {
  if (result == 0) return;
  const char* text = nullptr;
  if (driver().error_string != nullptr) driver().error_string(result, &text);
  throw Error(std::string(what) + " failed: " + (text != nullptr ? text : "CUDA error " + std::to_string(result)));
}

// CUDA's device attribute numbers (CUdevice_attribute), stable since CUDA 4.
constexpr int kMultiprocessorCount = 16;
constexpr int kComputeCapabilityMajor = 75;
constexpr int kComputeCapabilityMinor = 76;

}  // namespace

std::string RuntimeKernels::nvrtc_library(std::string* why) {
  const Nvrtc* n = open_nvrtc(why);
  return n != nullptr ? n->path : std::string();
}

std::string RuntimeKernels::compile(const std::string& source, const std::string& name, int major, int minor) {
  std::string why;
  const Nvrtc* n = open_nvrtc(&why);
  if (n == nullptr) throw Error(why);
  int count = 0;
  n->supported_arch_count(&count);
  std::vector<int> archs(static_cast<size_t>(std::max(count, 0)));
  if (count > 0) n->supported_archs(archs.data());
  const int wanted = major * 10 + minor;
  // Exact code for a GPU it knows; PTX for the newest it knows below, else the driver cannot load it.
  const bool exact = std::find(archs.begin(), archs.end(), wanted) != archs.end();
  int target = wanted;
  if (!exact) {
    target = 0;
    for (int a : archs)
      if (a < wanted) target = std::max(target, a);
    int nv_major = 0, nv_minor = 0;
    n->version(&nv_major, &nv_minor);
    if (target == 0)
      throw Error("NVRTC " + std::to_string(nv_major) + "." + std::to_string(nv_minor) + " (" + n->path +
                  ") cannot compile for compute capability " + std::to_string(major) + "." + std::to_string(minor));
  }
  const std::string arch = std::string("--gpu-architecture=") + (exact ? "sm_" : "compute_") + std::to_string(target);
  const char* options[] = {arch.c_str(), "--std=c++17", "-default-device"};

  void* program = nullptr;
  int rc = n->create_program(&program, source.c_str(), name.c_str(), 0, nullptr, nullptr);
  if (rc != 0) throw Error(std::string("nvrtcCreateProgram: ") + n->error_string(rc));
  struct Destroy {
    const Nvrtc* n;
    void** p;
    ~Destroy() { n->destroy_program(p); }
  } destroy{n, &program};
  rc = n->compile_program(program, 3, options);
  size_t log_size = 0;
  n->log_size(program, &log_size);
  std::string log(log_size, '\0');
  if (log_size > 0) n->log(program, log.data());
  while (!log.empty() && (log.back() == '\0' || log.back() == '\n')) log.pop_back();
  if (rc != 0)
    throw Error("NVRTC could not compile " + name + " for " + arch.substr(arch.find('=') + 1) + " (" +
                n->error_string(rc) + "):\n" + log.substr(0, 4000));
  size_t size = 0;
  std::string image;
  if (exact) {
    n->cubin_size(program, &size);
    image.resize(size);
    n->cubin(program, image.data());
  } else {
    n->ptx_size(program, &size);  // includes the terminating NUL the driver wants
    image.resize(size);
    n->ptx(program, image.data());
  }
  return image;
}

struct RuntimeKernels::Impl {
  void* context = nullptr;
  void* module = nullptr;
  // Loading and launching act on the calling thread's current context, which is this device's
  // primary context once the runtime has worked on the device from this thread, and may be none
  // (or another device's) before.
  void make_current() const {
    void* current = nullptr;
    check(driver().ctx_get_current(&current), "cuCtxGetCurrent");
    if (current != context) check(driver().ctx_set_current(context), "cuCtxSetCurrent");
  }
  int device_index = 0;
  int multiprocessors = 0;
};

RuntimeKernels::RuntimeKernels(const std::string& source, const std::string& name, int device_index)
    : impl_(std::make_unique<Impl>()) {
  const Driver& d = driver();
  check(d.init(0), "cuInit");
  int device = 0;
  check(d.device_get(&device, device_index), "cuDeviceGet");
  // The device's primary context is the one the CUDA runtime (and so LibTorch) uses.
  check(d.primary_ctx_retain(&impl_->context, device), "cuDevicePrimaryCtxRetain");
  impl_->make_current();
  int major = 0, minor = 0;
  check(d.device_get_attribute(&major, kComputeCapabilityMajor, device), "cuDeviceGetAttribute");
  check(d.device_get_attribute(&minor, kComputeCapabilityMinor, device), "cuDeviceGetAttribute");
  check(d.device_get_attribute(&impl_->multiprocessors, kMultiprocessorCount, device), "cuDeviceGetAttribute");
  const std::string image = compile(source, name, major, minor);
  check(d.module_load_data(&impl_->module, image.data()), "cuModuleLoadData");
  impl_->device_index = device_index;
}

// The module stays loaded: its functions may sit in a captured CUDA graph until the process ends.
RuntimeKernels::~RuntimeKernels() = default;

void* RuntimeKernels::function(const std::string& name) const {
  void* fn = nullptr;
  check(driver().module_get_function(&fn, impl_->module, name.c_str()), ("cuModuleGetFunction " + name).c_str());
  return fn;
}

void RuntimeKernels::launch(void* function, unsigned grid_x, unsigned grid_y, unsigned block_x, void* stream,
                            std::vector<void*> args) const {
  impl_->make_current();
  check(driver().launch_kernel(function, grid_x, grid_y, 1, block_x, 1, 1, 0, stream, args.data(), nullptr),
        "cuLaunchKernel");
}

int RuntimeKernels::multiprocessors() const { return impl_->multiprocessors; }
int RuntimeKernels::device_index() const { return impl_->device_index; }

}  // namespace tessera
