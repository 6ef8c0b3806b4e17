// See group_norm_nhwc.h. Forward: per-chunk sums, the group statistics, then y. Backward:
// per-chunk sums of dz and dz·x̂, dx's coefficients (and per-sample sums), the affine
// parameters' gradients, then dx. The small tensors between the passes are float, [N, C].

#include "models/group_norm_nhwc.h"

#include "core/env.h"
#include "core/runtime_kernels.h"
#include "tessera/error.h"

#if __has_include(<c10/cuda/CUDAStream.h>) && __has_include(<cuda_runtime_api.h>)
#define TESSERA_FUSED_GROUP_NORM_CUDA 1
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#endif

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>

// The kernels as C++, for the CPU's emulated launches.
namespace tessera::cpu_kernels {
#include "kernels/kernel_prelude.cuh"
#include "kernels/group_norm_nhwc.cuh"
}  // namespace tessera::cpu_kernels

namespace tessera::kernels {
extern const char kGroupNormNhwcSource[];  // generated from the two .cuh files (kernels/sources.cmake)
}

namespace tessera::models {
namespace {

// -1: not decided yet (TESSERA_FUSED_GROUP_NORM decides on first use), else 0 or 1.
std::atomic<int> enabled_state{-1};
std::atomic<int64_t> cuda_calls{0};

using Args = cpu_kernels::ts_group_norm_args;
using KernelFn = void (*)(Args);

enum Kernel { kStats, kApply, kBackwardSums, kBackwardApply, kFinishStats, kFinishBackward, kParameterGrads, kKernels };
constexpr int kTyped = kFinishStats;  // the kernels before this one exist once per storage type
constexpr int kFinishThreads = 256;

const char* const kKernelNames[kKernels] = {"ts_group_norm_stats",          "ts_group_norm_apply",
                                            "ts_group_norm_backward_sums",  "ts_group_norm_backward_apply",
                                            "ts_group_norm_finish_stats",   "ts_group_norm_finish_backward",
                                            "ts_group_norm_parameter_grads"};

int type_index(c10::ScalarType t) {
  switch (t) {
    case torch::kFloat: return 0;
    case torch::kBFloat16: return 1;
    case torch::kHalf: return 2;
    default: throw Error(std::string("the fused GroupNorm takes float, bf16 or fp16, not ") + c10::toString(t));
  }
}
const char* const kTypeSuffix[3] = {"_f32", "_bf16", "_f16"};

KernelFn cpu_kernel(Kernel k, int type) {
  using namespace cpu_kernels;
  static const KernelFn typed[kTyped][3] = {
      {ts_group_norm_stats_f32, ts_group_norm_stats_bf16, ts_group_norm_stats_f16},
      {ts_group_norm_apply_f32, ts_group_norm_apply_bf16, ts_group_norm_apply_f16},
      {ts_group_norm_backward_sums_f32, ts_group_norm_backward_sums_bf16, ts_group_norm_backward_sums_f16},
      {ts_group_norm_backward_apply_f32, ts_group_norm_backward_apply_bf16, ts_group_norm_backward_apply_f16}};
  switch (k) {
    case kFinishStats: return ts_group_norm_finish_stats;
    case kFinishBackward: return ts_group_norm_finish_backward;
    case kParameterGrads: return ts_group_norm_parameter_grads;
    default: return typed[k][type];
  }
}

// Where the kernels run: a launch is (kernel, storage type, grid x × y, threads per block).
class Launcher {
 public:
  virtual ~Launcher() = default;
  virtual void run(Kernel k, int type, unsigned grid_x, unsigned grid_y, unsigned threads, const Args& a) = 0;
  virtual int multiprocessors() const = 0;
};

// Every block and thread of a launch in turn, on the calling thread. No kernel's thread reads
// what another writes, so the order does not matter.
class CpuLauncher final : public Launcher {
 public:
  void run(Kernel k, int type, unsigned grid_x, unsigned grid_y, unsigned threads, const Args& a) override {
    const KernelFn fn = cpu_kernel(k, type);
    auto& coords = cpu_kernels::ts_coords;
    for (unsigned y = 0; y < grid_y; ++y)
      for (unsigned x = 0; x < grid_x; ++x)
        for (unsigned t = 0; t < threads; ++t) {
          coords = {x, y, t, threads};
          fn(a);
        }
  }
  // As many blocks as a small GPU would want, so the tests see several chunks per sample.
  int multiprocessors() const override { return 4; }
};

#ifdef TESSERA_FUSED_GROUP_NORM_CUDA

class CudaLauncher final : public Launcher {
 public:
  explicit CudaLauncher(int device_index) {
    const c10::cuda::CUDAGuard guard(static_cast<c10::DeviceIndex>(device_index));
    kernels_ = std::make_unique<RuntimeKernels>(fused_group_norm_source(), "group_norm_nhwc.cu", device_index);
    for (int k = 0; k < kKernels; ++k)
      for (int t = 0; t < (k < kTyped ? 3 : 1); ++t)
        functions_[k][t] = kernels_->function(std::string(kKernelNames[k]) + (k < kTyped ? kTypeSuffix[t] : ""));
  }
  void run(Kernel k, int type, unsigned grid_x, unsigned grid_y, unsigned threads, const Args& a) override {
    const auto device = static_cast<c10::DeviceIndex>(kernels_->device_index());
    const c10::cuda::CUDAGuard guard(device);
    void* stream = c10::cuda::getCurrentCUDAStream(device).stream();
    Args copy = a;
    kernels_->launch(functions_[k][k < kTyped ? type : 0], grid_x, grid_y, threads, stream, {&copy});
  }
  int multiprocessors() const override { return kernels_->multiprocessors(); }

 private:
  std::unique_ptr<RuntimeKernels> kernels_;
  void* functions_[kKernels][3] = {};
};

// One launcher per device, built on first use; a device whose kernels failed keeps its error.
Launcher& cuda_launcher(int device_index) {
  static std::mutex mutex;
  static std::map<int, std::unique_ptr<Launcher>> launchers;
  static std::map<int, std::string> failures;
  const std::lock_guard<std::mutex> lock(mutex);
  if (auto it = launchers.find(device_index); it != launchers.end()) return *it->second;
  if (auto it = failures.find(device_index); it != failures.end()) throw Error(it->second);
  try {
    return *(launchers[device_index] = std::make_unique<CudaLauncher>(device_index));
  } catch (const std::exception& e) {
    launchers.erase(device_index);
    failures[device_index] = std::string("the fused GroupNorm kernels are not available on cuda:") +
                             std::to_string(device_index) + ": " + e.what();
    throw Error(failures[device_index]);
  }
}

#endif

Launcher& launcher_for(const torch::Tensor& x) {
  if (x.is_cpu()) {
    static CpuLauncher cpu;
    return cpu;
  }
#ifdef TESSERA_FUSED_GROUP_NORM_CUDA
  if (x.is_cuda()) return cuda_launcher(x.device().index());
#endif
  throw Error("the fused GroupNorm runs on CUDA devices (in a build with CUDA's headers) and the CPU, not " +
              x.device().str());
}

struct Plan {
  int rows, chunks, threads;
};

// Threads: the channels split evenly into at most 512 per thread sweep, a multiple of a warp.
// Rows per block: 64, fewer while that leaves under 4 blocks per multiprocessor.
Plan plan_for(int64_t samples, int64_t hw, int64_t channels, int multiprocessors) {
  const int64_t sweeps = (channels + 511) / 512;
  const int64_t threads = std::clamp<int64_t>(((channels + sweeps - 1) / sweeps + 31) / 32 * 32, 32, 1024);
  int64_t rows = 64;
  while (rows > 4 && samples * ((hw + rows - 1) / rows) < 4LL * multiprocessors) rows /= 2;
  return {static_cast<int>(rows), static_cast<int>((hw + rows - 1) / rows), static_cast<int>(threads)};
}

unsigned finish_blocks(int64_t channels) { return static_cast<unsigned>((channels + kFinishThreads - 1) / kFinishThreads); }

Args shape_args(const torch::Tensor& x, int64_t groups, const Plan& plan) {
  Args a{};
  a.samples = static_cast<int>(x.size(0));
  a.channels = static_cast<int>(x.size(1));
  a.hw = static_cast<int>(x.size(2) * x.size(3));
  a.groups = static_cast<int>(groups);
  a.rows = plan.rows;
  a.chunks = plan.chunks;
  return a;
}

class FusedGroupNorm : public torch::autograd::Function<FusedGroupNorm> {
 public:
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& input,
                               const torch::Tensor& weight, const torch::Tensor& bias, int64_t groups, double eps,
                               bool silu) {
    const torch::Tensor x = input.contiguous(torch::MemoryFormat::ChannelsLast);
    const int type = type_index(x.scalar_type());
    Launcher& launcher = launcher_for(x);
    const int64_t n = x.size(0), c = x.size(1);
    const Plan plan = plan_for(n, x.size(2) * x.size(3), c, launcher.multiprocessors());
    const auto floats = x.options().dtype(torch::kFloat).memory_format(torch::MemoryFormat::Contiguous);
    const torch::Tensor w = weight.to(torch::kFloat).contiguous(), b = bias.to(torch::kFloat).contiguous();
    torch::Tensor partial = torch::empty({n, plan.chunks, c, 2}, floats);
    torch::Tensor scale = torch::empty({n, c}, floats), shift = torch::empty({n, c}, floats);
    torch::Tensor mean = torch::empty({n, c}, floats), rstd = torch::empty({n, c}, floats);
    torch::Tensor y = torch::empty_like(x, torch::MemoryFormat::ChannelsLast);

    Args a = shape_args(x, groups, plan);
    a.x = x.data_ptr();
    a.out = y.data_ptr();
    a.weight = w.data_ptr<float>();
    a.bias = b.data_ptr<float>();
    a.scale = scale.data_ptr<float>();
    a.shift = shift.data_ptr<float>();
    a.mean = mean.data_ptr<float>();
    a.rstd = rstd.data_ptr<float>();
    a.partial = partial.data_ptr<float>();
    a.eps = static_cast<float>(eps);
    a.silu = silu ? 1 : 0;
    const auto blocks = static_cast<unsigned>(plan.chunks), samples = static_cast<unsigned>(n);
    launcher.run(kStats, type, blocks, samples, static_cast<unsigned>(plan.threads), a);
    launcher.run(kFinishStats, type, finish_blocks(c), samples, kFinishThreads, a);
    launcher.run(kApply, type, blocks, samples, static_cast<unsigned>(plan.threads), a);
    if (x.is_cuda()) ++cuda_calls;

    ctx->save_for_backward({x, w});
    ctx->saved_data["scale"] = scale;
    ctx->saved_data["shift"] = shift;
    ctx->saved_data["mean"] = mean;
    ctx->saved_data["rstd"] = rstd;
    ctx->saved_data["groups"] = groups;
    ctx->saved_data["silu"] = silu;
    return y;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const torch::Tensor& x = saved[0];
    const torch::Tensor& w = saved[1];
    const torch::Tensor grad = grads[0].to(x.scalar_type()).contiguous(torch::MemoryFormat::ChannelsLast);
    const int type = type_index(x.scalar_type());
    Launcher& launcher = launcher_for(x);
    const int64_t groups = ctx->saved_data["groups"].toInt();
    const int64_t n = x.size(0), c = x.size(1);
    const Plan plan = plan_for(n, x.size(2) * x.size(3), c, launcher.multiprocessors());
    const auto floats = x.options().dtype(torch::kFloat).memory_format(torch::MemoryFormat::Contiguous);
    torch::Tensor partial = torch::empty({n, plan.chunks, c, 2}, floats);
    torch::Tensor coef_dz = torch::empty({n, c}, floats), coef_xhat = torch::empty({n, c}, floats);
    torch::Tensor coef_one = torch::empty({n, c}, floats), sums = torch::empty({n, c, 2}, floats);
    torch::Tensor grad_weight = torch::empty({c}, floats), grad_bias = torch::empty({c}, floats);
    torch::Tensor grad_x = torch::empty_like(x, torch::MemoryFormat::ChannelsLast);
    torch::Tensor scale = ctx->saved_data["scale"].toTensor(), shift = ctx->saved_data["shift"].toTensor();
    torch::Tensor mean = ctx->saved_data["mean"].toTensor(), rstd = ctx->saved_data["rstd"].toTensor();

    Args a = shape_args(x, groups, plan);
    a.x = x.data_ptr();
    a.grad = grad.data_ptr();
    a.out = grad_x.data_ptr();
    a.weight = w.data_ptr<float>();
    a.scale = scale.data_ptr<float>();
    a.shift = shift.data_ptr<float>();
    a.mean = mean.data_ptr<float>();
    a.rstd = rstd.data_ptr<float>();
    a.coef_dz = coef_dz.data_ptr<float>();
    a.coef_xhat = coef_xhat.data_ptr<float>();
    a.coef_one = coef_one.data_ptr<float>();
    a.partial = partial.data_ptr<float>();
    a.sums = sums.data_ptr<float>();
    a.grad_weight = grad_weight.data_ptr<float>();
    a.grad_bias = grad_bias.data_ptr<float>();
    a.silu = ctx->saved_data["silu"].toBool() ? 1 : 0;
    const auto blocks = static_cast<unsigned>(plan.chunks), samples = static_cast<unsigned>(n);
    launcher.run(kBackwardSums, type, blocks, samples, static_cast<unsigned>(plan.threads), a);
    launcher.run(kFinishBackward, type, finish_blocks(c), samples, kFinishThreads, a);
    launcher.run(kParameterGrads, type, finish_blocks(c), 1, kFinishThreads, a);
    launcher.run(kBackwardApply, type, blocks, samples, static_cast<unsigned>(plan.threads), a);
    return {grad_x, grad_weight, grad_bias, torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

bool servable_dtype(c10::ScalarType t) { return t == torch::kFloat || t == torch::kBFloat16 || t == torch::kHalf; }

}  // namespace

const std::string& fused_group_norm_source() {
  static const std::string source = kernels::kGroupNormNhwcSource;
  return source;
}

bool fused_group_norm_built_for_cuda() {
#ifdef TESSERA_FUSED_GROUP_NORM_CUDA
  return true;
#else
  return false;
#endif
}

void set_fused_group_norm_enabled(bool enabled) { enabled_state = enabled ? 1 : 0; }

int64_t fused_group_norm_cuda_calls() { return cuda_calls.load(); }

bool fused_group_norm_serves(const torch::Tensor& x) {
  int enabled = enabled_state.load();
  if (enabled < 0) {
    int undecided = -1;
    enabled_state.compare_exchange_strong(undecided, env_is("TESSERA_FUSED_GROUP_NORM", "1") ? 1 : 0);
    enabled = enabled_state.load();
  }
  if (enabled == 0 || !x.is_cuda() || x.dim() != 4 || !servable_dtype(x.scalar_type()) ||
      !x.is_contiguous(torch::MemoryFormat::ChannelsLast))
    return false;
#ifdef TESSERA_FUSED_GROUP_NORM_CUDA
  try {
    cuda_launcher(x.device().index());
    return true;
  } catch (const std::exception& e) {
    static std::once_flag reported;
    std::call_once(reported, [&] { std::fprintf(stderr, "tessera: warning: %s; using LibTorch's GroupNorm\n", e.what()); });
    return false;
  }
#else
  static std::once_flag reported;
  std::call_once(reported, [] {
    std::fprintf(stderr, "tessera: warning: TESSERA_FUSED_GROUP_NORM=1, but this build has no CUDA headers to launch "
                         "the fused GroupNorm with; using LibTorch's\n");
  });
  return false;
#endif
}

torch::Tensor fused_group_norm(const torch::Tensor& x, int64_t groups, const torch::Tensor& weight,
                               const torch::Tensor& bias, double eps, bool silu) {
  if (x.dim() != 4) throw Error("the fused GroupNorm takes [N, C, H, W], not " + std::to_string(x.dim()) + " dimensions");
  const int64_t c = x.size(1);
  if (groups <= 0 || c % groups != 0)
    throw Error("GroupNorm: " + std::to_string(c) + " channels do not split into " + std::to_string(groups) + " groups");
  if (x.numel() == 0) throw Error("the fused GroupNorm needs a non-empty input");
  if (x.size(2) * x.size(3) > INT32_MAX || c > INT32_MAX) throw Error("the fused GroupNorm's input is too large");
  const auto params = x.options().dtype(torch::kFloat);
  const torch::Tensor w = weight.defined() ? weight : torch::ones({c}, params);
  const torch::Tensor b = bias.defined() ? bias : torch::zeros({c}, params);
  if (w.numel() != c || b.numel() != c) throw Error("GroupNorm: the weight and bias must have one value per channel");
  return FusedGroupNorm::apply(x, w, b, groups, eps, silu);
}

}  // namespace tessera::models
