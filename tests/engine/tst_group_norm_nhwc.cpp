// The fused channels-last GroupNorm(+SiLU) kernels, run on the CPU block by block and thread by
// thread from the same source NVRTC compiles for a GPU: forward and all three gradients against
// LibTorch's group_norm and silu through autograd, in float, bf16 and fp16; the kernels' own
// bf16/fp16 rounding against c10's; bad input refused. Where an NVRTC library is found (a CUDA
// toolkit, or TESSERA_NVRTC_LIBRARY), the source is also compiled for the GPUs the engine
// targets. Running them on a GPU is tst_cuda's.

#include "core/runtime_kernels.h"
#include "models/group_norm_nhwc.h"
#include "tessera/error.h"

#include <torch/torch.h>

#include <QtTest/QtTest>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace conversions {
#include "kernels/kernel_prelude.cuh"
}

using tessera::models::fused_group_norm;

namespace {

struct Result {
  torch::Tensor y, dx, dweight, dbias;
};

// y = GroupNorm (+ SiLU) and the gradients of sum(y · upstream), by the fused kernels or by
// LibTorch's ops, in float64 for the reference.
Result run(const torch::Tensor& x0, const torch::Tensor& w0, const torch::Tensor& b0, const torch::Tensor& upstream,
           int64_t groups, bool silu, bool fused) {
  auto x = x0.detach().clone().requires_grad_(true);
  auto w = w0.detach().clone().requires_grad_(true);
  auto b = b0.detach().clone().requires_grad_(true);
  torch::Tensor y;
  if (fused) {
    y = fused_group_norm(x, groups, w, b, 1e-5, silu);
  } else {
    y = torch::group_norm(x, groups, w, b, 1e-5);
    if (silu) y = torch::silu(y);
  }
  (y.to(torch::kDouble) * upstream.to(torch::kDouble)).sum().backward();
  return {y.detach(), x.grad(), w.grad(), b.grad()};
}

double max_relative(const torch::Tensor& got, const torch::Tensor& want) {
  const auto g = got.to(torch::kDouble), r = want.to(torch::kDouble);
  return ((g - r).abs().max() / r.abs().max().clamp_min(1e-12)).item<double>();
}

float from_bits(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

}  // namespace

class TestGroupNormNhwc : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { torch::manual_seed(7); }

  // The kernels' integer-only conversions round like c10::BFloat16 and c10::Half, over random
  // bit patterns and the edges (zeros, subnormals, the largest finite values, infinities, NaN).
  void conversionsRoundLikeLibTorch() {
    std::vector<float> values = {0.0f, -0.0f, 1.0f, -1.5f, 65504.0f, 65519.0f, 65520.0f, -65520.0f, 1e-8f, -3e-8f,
                                 5.9604645e-8f, 2.9802322e-8f, 2.9802326e-8f, 6.1035156e-5f, 6.1e-5f,
                                 std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                                 std::numeric_limits<float>::max(), std::numeric_limits<float>::denorm_min()};
    uint32_t state = 12345;
    for (int i = 0; i < 200000; ++i) {
      state = state * 1664525u + 1013904223u;
      values.push_back(from_bits(state));
    }
    // Values near half's range, where its rounding has the most cases.
    for (int i = 0; i < 200000; ++i) {
      state = state * 1664525u + 1013904223u;
      values.push_back(from_bits(0x33000000u + state % (0x47800000u - 0x33000000u)) * (i % 2 != 0 ? -1.0f : 1.0f));
    }
    int bf16_mismatch = 0, f16_mismatch = 0, f16_load_mismatch = 0;
    for (const float v : values) {
      conversions::ts_bf16 b{};
      conversions::ts_store(&b, v);
      const c10::BFloat16 want_b(v);
      if (b.bits != want_b.x && !(std::isnan(v) && (b.bits & 0x7fff) > 0x7f80)) ++bf16_mismatch;
      conversions::ts_f16 h{};
      conversions::ts_store(&h, v);
      const c10::Half want_h(v);
      if (h.bits != want_h.x && !(std::isnan(v) && (h.bits & 0x7fff) > 0x7c00)) ++f16_mismatch;
      const float back = conversions::ts_load(&h);
      const float want_back = static_cast<float>(want_h);
      if (!(back == want_back || (std::isnan(back) && std::isnan(want_back))) ||
          std::signbit(back) != std::signbit(want_back))
        ++f16_load_mismatch;
      const float b_back = conversions::ts_load(&b), want_b_back = static_cast<float>(want_b);
      if (!(b_back == want_b_back || (std::isnan(b_back) && std::isnan(want_b_back)))) ++bf16_mismatch;
    }
    QCOMPARE(bf16_mismatch, 0);
    QCOMPARE(f16_mismatch, 0);
    QCOMPARE(f16_load_mismatch, 0);
    // Every half bit pattern reads back as c10 reads it.
    for (uint32_t bits = 0; bits < 0x10000; ++bits) {
      conversions::ts_f16 h{static_cast<unsigned short>(bits)};
      const float got = conversions::ts_load(&h);
      const float want = static_cast<float>(c10::Half(static_cast<uint16_t>(bits), c10::Half::from_bits()));
      if (std::isnan(want)) {
        QVERIFY(std::isnan(got));
      } else {
        QCOMPARE(got, want);
        QCOMPARE(std::signbit(got), std::signbit(want));
      }
    }
  }

  // Shapes that exercise a short last chunk (H·W not a multiple of the rows per block), several
  // channel sweeps per thread (C over 512), one row per sample, and channels per group from 1 up.
  void matchesLibTorchInFloat_data() {
    QTest::addColumn<QVector<int>>("shape");
    QTest::addColumn<int>("groups");
    QTest::addColumn<bool>("silu");
    QTest::newRow("norm") << QVector<int>{2, 64, 5, 7} << 8 << false;
    QTest::newRow("norm+silu") << QVector<int>{2, 64, 5, 7} << 8 << true;
    QTest::newRow("ten channels per group") << QVector<int>{3, 40, 4, 4} << 4 << true;
    QTest::newRow("three sweeps") << QVector<int>{1, 1040, 3, 3} << 8 << true;
    QTest::newRow("one pixel") << QVector<int>{4, 32, 1, 1} << 8 << false;
    QTest::newRow("one channel per group") << QVector<int>{2, 16, 9, 11} << 16 << true;
    QTest::newRow("long rows") << QVector<int>{1, 32, 33, 17} << 32 << true;
    QTest::newRow("many rows: 32 chunks of 128") << QVector<int>{1, 32, 64, 64} << 8 << true;
    QTest::newRow("three slots of four channels") << QVector<int>{2, 12, 5, 5} << 3 << false;
  }
  void matchesLibTorchInFloat() {
    QFETCH(QVector<int>, shape);
    QFETCH(int, groups);
    QFETCH(bool, silu);
    const std::vector<int64_t> sizes(shape.begin(), shape.end());
    // An offset mean, as activations have, so that the variance is not the mean square.
    const auto x = (torch::randn(sizes) * 1.7 + 0.8).contiguous(torch::MemoryFormat::ChannelsLast);
    check_against_libtorch(x, groups, silu, 2e-6, 2e-5);
  }

  // A mean 500 standard deviations from zero: the variance from sums around a pivot keeps its
  // precision (sums of x and x² in float would lose it all: E[x²] − mean² would be noise). What
  // is left is the float rounding of the mean itself (3e-5 at 500), as in LibTorch's own float
  // GroupNorm.
  void meanFarFromZero() {
    const auto x = (torch::randn({2, 64, 9, 9}) + 500.0).contiguous(torch::MemoryFormat::ChannelsLast);
    check_against_libtorch(x, 8, true, 2e-5, 5e-5);
  }

  // A view that starts at an odd address (one float into its storage) is copied to aligned
  // memory for the kernels' 16-byte accesses, and computed the same.
  void misalignedViewIsComputedTheSame() {
    const int64_t n = 2, c = 16, h = 3, w = 5;
    const auto storage = torch::randn({1 + n * c * h * w});
    const auto x = storage.narrow(0, 1, n * c * h * w).view({n, h, w, c}).permute({0, 3, 1, 2});
    QVERIFY(x.is_contiguous(torch::MemoryFormat::ChannelsLast));
    QVERIFY(reinterpret_cast<std::uintptr_t>(x.data_ptr()) % 16 != 0);
    check_against_libtorch(x, 4, true, 2e-6, 2e-5);
  }

 private:
  void check_against_libtorch(const torch::Tensor& x, int64_t groups, bool silu, double y_bound, double grad_bound) {
    const auto sizes = x.sizes().vec();
    const auto w = torch::randn({sizes[1]}) * 0.5 + 1.0;
    const auto b = torch::randn({sizes[1]}) * 0.3;
    const auto upstream = torch::randn(sizes);
    const Result want = run(x.to(torch::kDouble), w.to(torch::kDouble), b.to(torch::kDouble), upstream, groups, silu,
                            false);
    const Result got = run(x, w, b, upstream, groups, silu, true);
    QVERIFY(got.y.is_contiguous(torch::MemoryFormat::ChannelsLast));
    QCOMPARE(got.y.scalar_type(), torch::kFloat);
    QVERIFY2(max_relative(got.y, want.y) < y_bound, std::to_string(max_relative(got.y, want.y)).c_str());
    QVERIFY2(max_relative(got.dx, want.dx) < grad_bound, std::to_string(max_relative(got.dx, want.dx)).c_str());
    QVERIFY2(max_relative(got.dweight, want.dweight) < grad_bound,
             std::to_string(max_relative(got.dweight, want.dweight)).c_str());
    QVERIFY2(max_relative(got.dbias, want.dbias) < grad_bound, std::to_string(max_relative(got.dbias, want.dbias)).c_str());
    QCOMPARE(got.dweight.scalar_type(), torch::kFloat);
  }

 private Q_SLOTS:

  // In bf16 and fp16 the kernels read and write the low precision and compute in float: within a
  // few roundings of the float64 result of the same (rounded) input.
  void lowPrecisionStaysNearTheExactResult_data() {
    QTest::addColumn<int>("dtype");
    QTest::addColumn<double>("bound");
    QTest::newRow("bf16") << static_cast<int>(torch::kBFloat16) << 1.6e-2;
    QTest::newRow("fp16") << static_cast<int>(torch::kHalf) << 2e-3;
  }
  void lowPrecisionStaysNearTheExactResult() {
    QFETCH(int, dtype);
    QFETCH(double, bound);
    const auto type = static_cast<c10::ScalarType>(dtype);
    const std::vector<int64_t> sizes = {2, 96, 6, 5};
    const auto x = (torch::randn(sizes) + 0.5).to(type).contiguous(torch::MemoryFormat::ChannelsLast);
    const auto w = torch::randn({96}) * 0.5 + 1.0, b = torch::randn({96}) * 0.3;
    const auto upstream = torch::randn(sizes).to(type);
    const Result want = run(x.to(torch::kDouble), w.to(torch::kDouble), b.to(torch::kDouble), upstream, 32, true, false);
    const Result got = run(x, w, b, upstream, 32, true, true);
    QCOMPARE(got.y.scalar_type(), type);
    QCOMPARE(got.dx.scalar_type(), type);
    QCOMPARE(got.dweight.scalar_type(), torch::kFloat);  // the parameters' own precision
    QVERIFY2(max_relative(got.y, want.y) < bound, std::to_string(max_relative(got.y, want.y)).c_str());
    QVERIFY2(max_relative(got.dx, want.dx) < bound, std::to_string(max_relative(got.dx, want.dx)).c_str());
    QVERIFY2(max_relative(got.dweight, want.dweight) < 1e-4, std::to_string(max_relative(got.dweight, want.dweight)).c_str());
    QVERIFY2(max_relative(got.dbias, want.dbias) < 1e-4, std::to_string(max_relative(got.dbias, want.dbias)).c_str());
  }

  // An NCHW input is read as is (after one copy) and the result comes back channels-last; the
  // gradient reaching an NCHW input is right too.
  void anyLayoutInChannelsLastOut() {
    const auto x = torch::randn({2, 32, 4, 6});
    const auto w = torch::randn({32}), b = torch::randn({32});
    const auto upstream = torch::randn({2, 32, 4, 6});
    const Result want = run(x, w, b, upstream, 8, true, false);
    const Result got = run(x, w, b, upstream, 8, true, true);
    QVERIFY(got.y.is_contiguous(torch::MemoryFormat::ChannelsLast));
    QVERIFY(max_relative(got.y, want.y) < 1e-5);
    QVERIFY(max_relative(got.dx, want.dx) < 1e-4);
  }

  // Without weight and bias: the plain normalisation.
  void withoutAffineParameters() {
    const auto x = torch::randn({2, 16, 3, 3}).contiguous(torch::MemoryFormat::ChannelsLast);
    const auto y = fused_group_norm(x, 4, torch::Tensor(), torch::Tensor(), 1e-5, false);
    QVERIFY(max_relative(y, torch::group_norm(x, 4)) < 1e-5);
  }

  // Gradient checking in float64 would need a float64 kernel; a finite difference in float of one
  // input element is a check on the backward's formula that does not come from autograd.
  void gradientMatchesAFiniteDifference() {
    const auto x = (torch::randn({1, 8, 3, 3}) + 0.3).contiguous(torch::MemoryFormat::ChannelsLast);
    const auto w = torch::randn({8}) + 1.0, b = torch::randn({8});
    const auto upstream = torch::randn({1, 8, 3, 3});
    const Result got = run(x, w, b, upstream, 2, true, true);
    auto loss = [&](const torch::Tensor& input) {
      return (fused_group_norm(input, 2, w, b, 1e-5, true).to(torch::kDouble) * upstream.to(torch::kDouble))
          .sum()
          .item<double>();
    };
    for (const int64_t index : {0, 13, 40, 71}) {
      const double h = 1e-2;
      auto plus = x.clone(), minus = x.clone();
      // Elements in memory order: NHWC's flat view of a channels-last tensor.
      plus.permute({0, 2, 3, 1}).view(-1)[index] += h;
      minus.permute({0, 2, 3, 1}).view(-1)[index] -= h;
      const double numeric = (loss(plus) - loss(minus)) / (2 * h);
      const double analytic = got.dx.contiguous(torch::MemoryFormat::ChannelsLast).permute({0, 2, 3, 1}).reshape(-1)[index].item<double>();
      QVERIFY2(std::abs(numeric - analytic) < 2e-3 * (1 + std::abs(analytic)),
               (std::to_string(numeric) + " vs " + std::to_string(analytic)).c_str());
    }
  }

  void badInputIsRefused() {
    const auto x = torch::randn({2, 12, 3, 3});
    QVERIFY_EXCEPTION_THROWN(fused_group_norm(x, 5, torch::Tensor(), torch::Tensor(), 1e-5, false), tessera::Error);
    QVERIFY_EXCEPTION_THROWN(fused_group_norm(torch::randn({2, 12, 9}), 3, torch::Tensor(), torch::Tensor(), 1e-5, false),
                             tessera::Error);
    QVERIFY_EXCEPTION_THROWN(fused_group_norm(x.to(torch::kDouble), 3, torch::Tensor(), torch::Tensor(), 1e-5, false),
                             tessera::Error);
    QVERIFY_EXCEPTION_THROWN(fused_group_norm(x, 3, torch::ones({11}), torch::zeros({12}), 1e-5, false), tessera::Error);
    // The kernels move channels four at a time.
    QVERIFY_EXCEPTION_THROWN(fused_group_norm(torch::randn({2, 6, 3, 3}), 3, torch::Tensor(), torch::Tensor(), 1e-5, false),
                             tessera::Error);
    // The layers only route CUDA tensors here.
    QVERIFY(!tessera::models::fused_group_norm_serves(x.contiguous(torch::MemoryFormat::ChannelsLast)));
  }

  // NVRTC compiles the source for the engine's GPUs (Ampere, Hopper); a broken source is an
  // error that carries NVRTC's log.
  void nvrtcCompilesTheKernels() {
    std::string why;
    const std::string library = tessera::RuntimeKernels::nvrtc_library(&why);
    if (library.empty()) QSKIP(("no NVRTC library here: " + why).c_str());
    qInfo("NVRTC: %s", library.c_str());
    for (const auto& [major, minor] : std::vector<std::pair<int, int>>{{8, 0}, {9, 0}}) {
      const std::string image =
          tessera::RuntimeKernels::compile(tessera::models::fused_group_norm_source(), "group_norm_nhwc.cu", major, minor);
      QVERIFY(image.size() > 1000);
      QCOMPARE(image.substr(1, 3), std::string("ELF"));  // a CUBIN for a GPU NVRTC knows
    }
    try {
      tessera::RuntimeKernels::compile("extern \"C\" __global__ void k() { undefined_name(); }", "broken.cu", 9, 0);
      QFAIL("a broken source compiled");
    } catch (const tessera::Error& e) {
      QVERIFY2(std::string(e.what()).find("undefined_name") != std::string::npos, e.what());
    }
  }
};

QTEST_GUILESS_MAIN(TestGroupNormNhwc)
#include "tst_group_norm_nhwc.moc"
