// See fused_geglu.h.

#include "models/fused_geglu.h"

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
#include "kernels/geglu.cuh"
}

namespace tessera::kernels {
extern const char kGegluSource[];  // generated from the .cuh files (kernels/sources.cmake)
}

namespace tessera::models {
namespace {

KernelSwitch routing("TESSERA_FUSED_GEGLU");
std::atomic<int64_t> cuda_calls{0};

using Args = cpu_kernels::ts_geglu_args;
using KernelFn = void (*)(Args);

// Functions: forward for each type, then backward for each type.
const std::vector<std::string>& function_names() {
  static const std::vector<std::string> names = {"ts_geglu_forward_f32",  "ts_geglu_forward_bf16",
                                                  "ts_geglu_forward_f16",  "ts_geglu_backward_f32",
                                                  "ts_geglu_backward_bf16", "ts_geglu_backward_f16"};
  return names;
}

KernelFn cpu_kernel(bool backward, int type) {
  using namespace cpu_kernels;
  static const KernelFn kernels[2][3] = {{ts_geglu_forward_f32, ts_geglu_forward_bf16, ts_geglu_forward_f16},
                                         {ts_geglu_backward_f32, ts_geglu_backward_bf16, ts_geglu_backward_f16}};
  return kernels[backward ? 1 : 0][type];
}

const CudaKernelSet* cuda_kernels(int device_index, std::string* why) {
  return CudaKernelSet::get("geglu.cu", fused_geglu_source(), function_names(), device_index, why);
}

// Runs one pass over [rows, features] on p's device (or the CPU): 4 features per thread.
void run(bool backward, const torch::Tensor& p, Args a) {
  const int type = kernel_storage_index(p.scalar_type(), "GEGLU");
  const int64_t slots = a.features / 4;
  const auto threads = static_cast<unsigned>(std::clamp<int64_t>((slots + 31) / 32 * 32, 32, 256));
  a.rows_per_block = std::max<int64_t>(8, (a.rows + 65534) / 65535);  // grid y ≤ 65535
  const auto grid_x = static_cast<unsigned>((slots + threads - 1) / threads);
  const auto grid_y = static_cast<unsigned>((a.rows + a.rows_per_block - 1) / a.rows_per_block);
  if (p.is_cpu()) return cpu_kernels::emulate(cpu_kernel(backward, type), grid_x, grid_y, threads, a);
  std::string why;
  const CudaKernelSet* cuda = p.is_cuda() ? cuda_kernels(p.device().index(), &why) : nullptr;
  if (cuda == nullptr) throw Error(why.empty() ? "the fused GEGLU runs on CUDA devices and the CPU, not " + p.device().str() : why);
  cuda->launch(static_cast<size_t>((backward ? 3 : 0) + type), grid_x, grid_y, threads, &a);
}

class FusedGeglu : public torch::autograd::Function<FusedGeglu> {
 public:
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& projection) {
    const torch::Tensor p = kernel_layout(projection, torch::MemoryFormat::Contiguous);
    const int64_t features = p.size(-1) / 2;
    std::vector<int64_t> out_sizes = p.sizes().vec();
    out_sizes.back() = features;
    torch::Tensor y = torch::empty(out_sizes, p.options());
    Args a{};
    a.projection = p.data_ptr();
    a.out = y.data_ptr();
    a.rows = p.numel() / (2 * features);
    a.features = features;
    run(false, p, a);
    if (p.is_cuda()) ++cuda_calls;
    ctx->save_for_backward({p});
    return y;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const torch::Tensor p = ctx->get_saved_variables()[0];
    const torch::Tensor dy = kernel_layout(grads[0].to(p.scalar_type()), torch::MemoryFormat::Contiguous);
    torch::Tensor dp = torch::empty_like(p, torch::MemoryFormat::Contiguous);
    Args a{};
    a.projection = p.data_ptr();
    a.grad = dy.data_ptr();
    a.out = dp.data_ptr();
    a.features = p.size(-1) / 2;
    a.rows = p.numel() / (2 * a.features);
    run(true, p, a);
    return {dp};
  }
};

}  // namespace

const std::string& fused_geglu_source() {
  static const std::string source = kernels::kGegluSource;
  return source;
}

void set_fused_geglu_enabled(std::optional<bool> enabled) { routing.set(enabled); }

int64_t fused_geglu_cuda_calls() { return cuda_calls.load(); }

bool fused_geglu_serves(const torch::Tensor& projection) {
  if (!routing.on() || !projection.is_cuda() || projection.dim() < 1 || projection.size(-1) % 8 != 0 ||
      projection.numel() == 0 || !kernel_storage_supported(projection.scalar_type()))
    return false;
  std::string why;
  if (cuda_kernels(projection.device().index(), &why) != nullptr) return true;
  static std::once_flag reported;
  std::call_once(reported, [&] { std::fprintf(stderr, "tessera: warning: %s; using LibTorch's ops for GEGLU\n", why.c_str()); });
  return false;
}

torch::Tensor fused_geglu(const torch::Tensor& projection) {
  if (projection.dim() < 1 || projection.size(-1) % 8 != 0)
    throw Error("the fused GEGLU needs a last dimension that is a multiple of 8 (two halves of a multiple of 4)");
  if (projection.numel() == 0) throw Error("the fused GEGLU needs a non-empty input");
  return FusedGeglu::apply(projection);
}

}  // namespace tessera::models
