// See group_norm_nhwc.h. Forward: per-chunk sums, the group statistics, then y. Backward:
// per-chunk sums of dz and dz·x̂, dx's coefficients (and per-sample sums), the affine
// parameters' gradients, then dx. The small tensors between the passes are float, [N, C].

#include "models/group_norm_nhwc.h"

#include "core/device_kernels.h"
#include "core/kernel_tensors.h"
#include "kernels/cpu_emulation.h"
#include "tessera/error.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <mutex>

namespace tessera::cpu_kernels {
#include "kernels/group_norm_nhwc.cuh"
}

namespace tessera::kernels {
extern const char kGroupNormNhwcSource[];  // generated from the two .cuh files (kernels/sources.cmake)
}

namespace tessera::models {
namespace {

KernelSwitch routing("TESSERA_FUSED_GROUP_NORM");
std::atomic<int64_t> cuda_calls{0};

using Args = cpu_kernels::ts_group_norm_args;
using KernelFn = void (*)(Args);

enum Kernel { kStats, kApply, kBackwardSums, kBackwardApply, kFinishStats, kFinishBackward, kParameterGrads, kKernels };
constexpr int kTyped = kFinishStats;  // the kernels before this one exist once per storage type
constexpr int kTypes = 3;
constexpr int kFinishThreads = 256;

// The CUDA set's function list: the typed kernels for each type, then the others.
size_t function_index(Kernel k, int type) {
  return k < kTyped ? static_cast<size_t>(k * kTypes + type) : static_cast<size_t>(kTyped * kTypes + (k - kTyped));
}

std::vector<std::string> function_names() {
  const char* const names[kKernels] = {"ts_group_norm_stats",         "ts_group_norm_apply",
                                       "ts_group_norm_backward_sums", "ts_group_norm_backward_apply",
                                       "ts_group_norm_finish_stats",  "ts_group_norm_finish_backward",
                                       "ts_group_norm_parameter_grads"};
  const char* const suffixes[kTypes] = {"_f32", "_bf16", "_f16"};
  std::vector<std::string> out;
  for (int k = 0; k < kTyped; ++k)
    for (const char* suffix : suffixes) out.push_back(std::string(names[k]) + suffix);
  for (int k = kTyped; k < kKernels; ++k) out.emplace_back(names[k]);
  return out;
}

KernelFn cpu_kernel(Kernel k, int type) {
  using namespace cpu_kernels;
  static const KernelFn typed[kTyped][kTypes] = {
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

const CudaKernelSet* cuda_kernels(int device_index, std::string* why) {
  static const std::vector<std::string> names = function_names();
  return CudaKernelSet::get("group_norm_nhwc.cu", fused_group_norm_source(), names, device_index, why);
}

// Where the kernels run: x's device, or the CPU (every block and thread in turn).
class Launcher {
 public:
  explicit Launcher(const torch::Tensor& x) {
    if (x.is_cpu()) return;
    std::string why;
    if (x.is_cuda()) cuda_ = cuda_kernels(x.device().index(), &why);
    if (cuda_ == nullptr)
      throw Error(why.empty() ? "the fused GroupNorm runs on CUDA devices and the CPU, not " + x.device().str() : why);
  }
  void run(Kernel k, int type, unsigned grid_x, unsigned grid_y, unsigned threads, Args a) const {
    if (cuda_ != nullptr) return cuda_->launch(function_index(k, type), grid_x, grid_y, threads, &a);
    cpu_kernels::emulate(cpu_kernel(k, type), grid_x, grid_y, threads, a);
  }
  // On the CPU, as many as a small GPU would have, so the tests see several chunks per sample.
  int multiprocessors() const { return cuda_ != nullptr ? cuda_->multiprocessors() : 4; }

 private:
  const CudaKernelSet* cuda_ = nullptr;
};

struct Plan {
  int rows, chunks, threads;
};

// Threads: one per four channels, in at most 256-thread sweeps, a multiple of a warp. Rows per
// block: 64, halved (down to 16) while that leaves under 2 blocks per multiprocessor, and raised
// where a sample would need over 32 chunks (the small kernels add up chunks × C/G partials).
Plan plan_for(int64_t samples, int64_t hw, int64_t channels, int multiprocessors) {
  const auto chunks_of = [&](int64_t rows) { return (hw + rows - 1) / rows; };
  const int64_t slots = channels / 4, sweeps = (slots + 255) / 256;
  const int64_t threads = std::clamp<int64_t>(((slots + sweeps - 1) / sweeps + 31) / 32 * 32, 32, 1024);
  int64_t rows = 64;
  while (rows > 16 && samples * chunks_of(rows) < 2LL * multiprocessors && chunks_of(rows / 2) <= 32) rows /= 2;
  if (chunks_of(rows) > 32) rows = (hw + 31) / 32;
  return {static_cast<int>(rows), static_cast<int>(chunks_of(rows)), static_cast<int>(threads)};
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

// What the kernels cannot take, or "" (x: 4 dimensions).
std::string shape_problem(const torch::Tensor& x) {
  const int64_t c = x.size(1);
  if (c % 4 != 0) return "the fused GroupNorm needs a multiple of 4 channels, not " + std::to_string(c);
  if (x.size(0) > 65535) return "the fused GroupNorm takes at most 65535 samples, not " + std::to_string(x.size(0));
  if (x.size(2) * x.size(3) > INT32_MAX || c * x.size(2) * x.size(3) > INT32_MAX)
    return "the fused GroupNorm's samples are too large";
  return {};
}

bool shape_is_servable(const torch::Tensor& x) { return shape_problem(x).empty(); }

class FusedGroupNorm : public torch::autograd::Function<FusedGroupNorm> {
 public:
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& input,
                               const torch::Tensor& weight, const torch::Tensor& bias, int64_t groups, double eps,
                               bool silu) {
    const torch::Tensor x = kernel_layout(input, torch::MemoryFormat::ChannelsLast);
    const int type = kernel_storage_index(x.scalar_type(), "GroupNorm");
    const Launcher launcher(x);
    const int64_t n = x.size(0), c = x.size(1);
    const Plan plan = plan_for(n, x.size(2) * x.size(3), c, launcher.multiprocessors());
    const auto floats = x.options().dtype(torch::kFloat).memory_format(torch::MemoryFormat::Contiguous);
    // Aligned too: a parameter may be a slice of the optimizer's flat buffer, at any float offset,
    // and the bias is read four channels at a time.
    const torch::Tensor w = kernel_layout(weight.to(torch::kFloat), torch::MemoryFormat::Contiguous);
    const torch::Tensor b = kernel_layout(bias.to(torch::kFloat), torch::MemoryFormat::Contiguous);
    torch::Tensor partial = torch::empty({n, plan.chunks, c, 2}, floats), pivot = torch::empty({n, c}, floats);
    torch::Tensor scale = torch::empty({n, c}, floats);
    torch::Tensor mean = torch::empty({n, c}, floats), rstd = torch::empty({n, c}, floats);
    torch::Tensor y = torch::empty_like(x, torch::MemoryFormat::ChannelsLast);

    Args a = shape_args(x, groups, plan);
    a.x = x.data_ptr();
    a.out = y.data_ptr();
    a.weight = w.data_ptr<float>();
    a.bias = b.data_ptr<float>();
    a.pivot = pivot.data_ptr<float>();
    a.scale = scale.data_ptr<float>();
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

    ctx->save_for_backward({x, w, b});
    ctx->saved_data["scale"] = scale;
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
    const torch::Tensor& b = saved[2];
    const torch::Tensor grad = kernel_layout(grads[0].to(x.scalar_type()), torch::MemoryFormat::ChannelsLast);
    const int type = kernel_storage_index(x.scalar_type(), "GroupNorm");
    const Launcher launcher(x);
    const int64_t groups = ctx->saved_data["groups"].toInt();
    const int64_t n = x.size(0), c = x.size(1);
    const Plan plan = plan_for(n, x.size(2) * x.size(3), c, launcher.multiprocessors());
    const auto floats = x.options().dtype(torch::kFloat).memory_format(torch::MemoryFormat::Contiguous);
    torch::Tensor partial = torch::empty({n, plan.chunks, c, 2}, floats);
    torch::Tensor coef_dz = torch::empty({n, c}, floats), coef_xhat = torch::empty({n, c}, floats);
    torch::Tensor coef_one = torch::empty({n, c}, floats), sums = torch::empty({n, c, 2}, floats);
    torch::Tensor grad_weight = torch::empty({c}, floats), grad_bias = torch::empty({c}, floats);
    torch::Tensor grad_x = torch::empty_like(x, torch::MemoryFormat::ChannelsLast);
    torch::Tensor scale = ctx->saved_data["scale"].toTensor();
    torch::Tensor mean = ctx->saved_data["mean"].toTensor(), rstd = ctx->saved_data["rstd"].toTensor();

    Args a = shape_args(x, groups, plan);
    a.x = x.data_ptr();
    a.grad = grad.data_ptr();
    a.out = grad_x.data_ptr();
    a.weight = w.data_ptr<float>();
    a.bias = b.data_ptr<float>();
    a.scale = scale.data_ptr<float>();
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

}  // namespace

const std::string& fused_group_norm_source() {
  static const std::string source = kernels::kGroupNormNhwcSource;
  return source;
}

void set_fused_group_norm_enabled(std::optional<bool> enabled) { routing.set(enabled); }

int64_t fused_group_norm_cuda_calls() { return cuda_calls.load(); }

bool fused_group_norm_serves(const torch::Tensor& x) {
  if (!routing.on() || !x.is_cuda() || x.dim() != 4 || !kernel_storage_supported(x.scalar_type()) ||
      !x.is_contiguous(torch::MemoryFormat::ChannelsLast) || !shape_is_servable(x))
    return false;
  std::string why;
  if (const CudaKernelSet* cuda = cuda_kernels(x.device().index(), &why); cuda != nullptr) {
    // Not where a few blocks would each walk thousands of rows (one large image, as in a VAE at
    // batch 1): LibTorch's kernels spread that better.
    const Plan plan = plan_for(x.size(0), x.size(2) * x.size(3), x.size(1), cuda->multiprocessors());
    return plan.rows <= 256 && x.size(0) * plan.chunks * 4 >= cuda->multiprocessors();
  }
  static std::once_flag reported;
  std::call_once(reported, [&] { std::fprintf(stderr, "tessera: warning: %s; using LibTorch's GroupNorm\n", why.c_str()); });
  return false;
}

torch::Tensor fused_group_norm(const torch::Tensor& x, int64_t groups, const torch::Tensor& weight,
                               const torch::Tensor& bias, double eps, bool silu) {
  if (x.dim() != 4) throw Error("the fused GroupNorm takes [N, C, H, W], not " + std::to_string(x.dim()) + " dimensions");
  const int64_t c = x.size(1);
  if (groups <= 0 || c % groups != 0)
    throw Error("GroupNorm: " + std::to_string(c) + " channels do not split into " + std::to_string(groups) + " groups");
  if (x.numel() == 0) throw Error("the fused GroupNorm needs a non-empty input");
  if (const std::string problem = shape_problem(x); !problem.empty()) throw Error(problem);
  const auto params = x.options().dtype(torch::kFloat);
  const torch::Tensor w = weight.defined() ? weight : torch::ones({c}, params);
  const torch::Tensor b = bias.defined() ? bias : torch::zeros({c}, params);
  if (w.numel() != c || b.numel() != c) throw Error("GroupNorm: the weight and bias must have one value per channel");
  return FusedGroupNorm::apply(x, w, b, groups, eps, silu);
}

}  // namespace tessera::models
