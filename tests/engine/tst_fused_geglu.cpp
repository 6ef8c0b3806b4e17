// The fused GEGLU kernels (kernels/geglu.cuh), run on the CPU block by block and thread by thread
// from the source NVRTC compiles for a GPU: output and gradient against diffusers' GEGLU as
// LibTorch ops (chunk, exact GELU, product) in float64, in float, bf16 and fp16; the transformer's
// feed-forward with it against without; bad input refused; the source compiles under NVRTC where
// there is one. On a GPU: tst_cuda.

#include "core/runtime_kernels.h"
#include "models/fused_geglu.h"
#include "tessera/error.h"

#include <torch/torch.h>

#include <QtTest/QtTest>

#include <string>
#include <vector>

using tessera::models::fused_geglu;

namespace {

struct Result {
  torch::Tensor y, dp;
};

Result run(const torch::Tensor& p0, const torch::Tensor& upstream, bool fused) {
  auto p = p0.detach().clone().requires_grad_(true);
  torch::Tensor y;
  if (fused) {
    y = fused_geglu(p);
  } else {
    auto parts = p.chunk(2, -1);
    y = parts[0] * torch::gelu(parts[1]);
  }
  (y.to(torch::kDouble) * upstream.to(torch::kDouble)).sum().backward();
  return {y.detach(), p.grad()};
}

double max_relative(const torch::Tensor& got, const torch::Tensor& want) {
  const auto g = got.to(torch::kDouble), r = want.to(torch::kDouble);
  return ((g - r).abs().max() / r.abs().max().clamp_min(1e-12)).item<double>();
}

}  // namespace

class TestFusedGeglu : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { torch::manual_seed(5); }

  void matchesTheOps_data() {
    QTest::addColumn<int>("dtype");
    QTest::addColumn<QVector<int>>("shape");
    QTest::addColumn<double>("bound");
    const QVector<int> transformer{2, 37, 2 * 96}, wide{1, 9, 2 * 1280}, flat{300, 2 * 8};
    for (const auto& [name, type, bound] :
         {std::tuple<const char*, c10::ScalarType, double>{"f32", torch::kFloat, 2e-6},
          {"bf16", torch::kBFloat16, 1.6e-2},
          {"f16", torch::kHalf, 2e-3}}) {
      QTest::newRow((std::string(name) + " [2, 37, 192]").c_str()) << int(type) << transformer << bound;
      QTest::newRow((std::string(name) + " [1, 9, 2560]").c_str()) << int(type) << wide << bound;
      QTest::newRow((std::string(name) + " [300, 16]").c_str()) << int(type) << flat << bound;
    }
  }
  void matchesTheOps() {
    QFETCH(int, dtype);
    QFETCH(QVector<int>, shape);
    QFETCH(double, bound);
    const auto type = static_cast<c10::ScalarType>(dtype);
    const std::vector<int64_t> sizes(shape.begin(), shape.end());
    const auto p = (torch::randn(sizes) * 2).to(type);
    auto out_sizes = sizes;
    out_sizes.back() /= 2;
    const auto upstream = torch::randn(out_sizes).to(type);
    const Result want = run(p.to(torch::kDouble), upstream, false);
    const Result got = run(p, upstream, true);
    QCOMPARE(got.y.scalar_type(), type);
    QCOMPARE(got.y.sizes().vec(), out_sizes);
    QCOMPARE(got.dp.scalar_type(), type);
    QVERIFY2(max_relative(got.y, want.y) < bound, std::to_string(max_relative(got.y, want.y)).c_str());
    QVERIFY2(max_relative(got.dp, want.dp) < 4 * bound, std::to_string(max_relative(got.dp, want.dp)).c_str());
  }

  // A non-contiguous or oddly aligned projection is copied first and computed the same.
  void anyLayout() {
    const auto storage = torch::randn({1 + 6 * 2 * 16});
    const auto p = storage.narrow(0, 1, 6 * 2 * 16).view({6, 32});
    QVERIFY(reinterpret_cast<std::uintptr_t>(p.data_ptr()) % 16 != 0);
    const auto upstream = torch::randn({6, 16});
    QVERIFY(max_relative(run(p, upstream, true).dp, run(p.to(torch::kDouble), upstream, false).dp) < 1e-5);
    const auto transposed = torch::randn({32, 6}).t();
    QVERIFY(max_relative(run(transposed, upstream, true).y, run(transposed.to(torch::kDouble), upstream, false).y) < 1e-5);
  }

  void badInputIsRefused() {
    QVERIFY_EXCEPTION_THROWN(fused_geglu(torch::randn({4, 12})), tessera::Error);  // halves of 6
    QVERIFY_EXCEPTION_THROWN(fused_geglu(torch::randn({0, 16})), tessera::Error);
    QVERIFY_EXCEPTION_THROWN(fused_geglu(torch::randn({4, 16}, torch::kDouble)), tessera::Error);
    QVERIFY(!tessera::models::fused_geglu_serves(torch::randn({4, 16})));  // CUDA only
  }

  void nvrtcCompilesTheKernels() {
    std::string why;
    if (tessera::RuntimeKernels::nvrtc_library(&why).empty()) QSKIP(("no NVRTC library here: " + why).c_str());
    for (const auto& [major, minor] : std::vector<std::pair<int, int>>{{8, 0}, {9, 0}}) {
      const std::string image =
          tessera::RuntimeKernels::compile(tessera::models::fused_geglu_source(), "geglu.cu", major, minor);
      QCOMPARE(image.substr(1, 3), std::string("ELF"));
    }
  }
};

QTEST_GUILESS_MAIN(TestFusedGeglu)
#include "tst_fused_geglu.moc"
