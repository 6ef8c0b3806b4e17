// The engine's own CUDA kernels on a GPU (models/group_norm_nhwc.h, models/fused_geglu.h): the
// kernels NVRTC compiled for the device against their CPU run (tst_group_norm_nhwc,
// tst_fused_geglu run the same source there) and against LibTorch's ops in float64, then the tiny
// UNet trained with them against without: op by op, under gradient checkpointing, and replayed
// from a CUDA graph.
//
// Skips itself where no GPU is visible; scripts/gpu-check.sh builds and runs it on a GPU machine.

#include "cuda_test_support.h"

#include "core/runtime_kernels.h"
#include "models/fused_geglu.h"
#include "models/group_norm_nhwc.h"

#include <torch/torch.h>

#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <optional>
#include <string>
#include <tuple>
#include <vector>

using namespace tessera::test;

class TestCudaKernels : public QObject {
  Q_OBJECT

  torch::Device device_{torch::kCPU};

 private Q_SLOTS:
  void initTestCase() {
    TESSERA_SELECT_TEST_DEVICE(device_);
    std::string why;
    qInfo("device %s, LibTorch %s, NVRTC %s", device_.str().c_str(), TORCH_VERSION,
          tessera::RuntimeKernels::nvrtc_library(&why).c_str());
  }

  void fusedGroupNormMatchesItsCpuRunAndLibTorch_data() {
    QTest::addColumn<int>("dtype");
    QTest::addColumn<QVector<int>>("shape");
    QTest::addColumn<bool>("silu");
    const QVector<int> level1{8, 320, 32, 32}, level4{4, 1280, 4, 4}, odd{2, 640, 17, 9};
    for (const auto& [name, type] : {std::pair<const char*, c10::ScalarType>{"f32", torch::kFloat},
                                     {"bf16", torch::kBFloat16}, {"f16", torch::kHalf}}) {
      QTest::newRow((std::string(name) + " 320x32x32 +silu").c_str()) << int(type) << level1 << true;
      QTest::newRow((std::string(name) + " 1280x4x4").c_str()) << int(type) << level4 << false;
      QTest::newRow((std::string(name) + " 640x17x9 +silu").c_str()) << int(type) << odd << true;
    }
  }
  void fusedGroupNormMatchesItsCpuRunAndLibTorch() {
    // The kernels NVRTC compiled for this GPU against the same source run on the CPU (the same
    // float arithmetic up to the GPU's exp and fused multiply-adds) and against LibTorch's
    // group_norm + silu in float64: output and the gradients of x, weight and bias.
    QFETCH(int, dtype);
    QFETCH(QVector<int>, shape);
    QFETCH(bool, silu);
    if (!device_.is_cuda()) QSKIP("the CPU run is tst_group_norm_nhwc's");
    const auto type = static_cast<c10::ScalarType>(dtype);
    const std::vector<int64_t> sizes(shape.begin(), shape.end());
    torch::manual_seed(11);
    const auto x = (torch::randn(sizes) * 1.5 + 0.4).to(type).contiguous(torch::MemoryFormat::ChannelsLast);
    const auto w = torch::randn({sizes[1]}) * 0.5 + 1.0, b = torch::randn({sizes[1]}) * 0.3;
    const auto upstream = torch::randn(sizes).to(type);
    struct Out {
      torch::Tensor y, dx, dw, db;
    };
    const auto run = [&](const torch::Device& on, bool fused) {
      auto xi = x.to(on).to(fused ? type : torch::kDouble).detach().requires_grad_(true);
      auto wi = w.to(on).to(fused ? torch::kFloat : torch::kDouble).detach().requires_grad_(true);
      auto bi = b.to(on).to(fused ? torch::kFloat : torch::kDouble).detach().requires_grad_(true);
      torch::Tensor y;
      if (fused) {
        y = tessera::models::fused_group_norm(xi, 32, wi, bi, 1e-5, silu);
      } else {
        y = torch::group_norm(xi, 32, wi, bi, 1e-5);
        if (silu) y = torch::silu(y);
      }
      (y.to(torch::kDouble) * upstream.to(on).to(torch::kDouble)).sum().backward();
      return Out{y.detach().to(torch::kCPU), xi.grad().to(torch::kCPU), wi.grad().to(torch::kCPU), bi.grad().to(torch::kCPU)};
    };
    const int64_t calls = tessera::models::fused_group_norm_cuda_calls();
    Out gpu;
    try {
      gpu = run(device_, true);
    } catch (const std::exception& e) {
      QFAIL(qPrintable(QString("the fused GroupNorm failed on the device: ") + e.what()));
    }
    QCOMPARE(tessera::models::fused_group_norm_cuda_calls(), calls + 1);
    QVERIFY(gpu.y.is_contiguous(torch::MemoryFormat::ChannelsLast));
    QCOMPARE(gpu.y.scalar_type(), type);
    const Out cpu = run(torch::kCPU, true);
    const Out exact = run(torch::kCPU, false);
    const double same_bound = type == torch::kFloat ? 1e-5 : type == torch::kHalf ? 2e-3 : 1.6e-2;
    const double exact_bound = type == torch::kFloat ? 2e-5 : type == torch::kHalf ? 3e-3 : 2e-2;
    // Per output: the difference to the CPU run of the kernels, then to LibTorch in float64.
    const std::tuple<const char*, torch::Tensor, torch::Tensor, torch::Tensor> outputs[] = {
        {"y", gpu.y, cpu.y, exact.y}, {"dx", gpu.dx, cpu.dx, exact.dx},
        {"dweight", gpu.dw, cpu.dw, exact.dw}, {"dbias", gpu.db, cpu.db, exact.db}};
    QString line;
    bool ok = true;
    for (const auto& [name, device_value, cpu_value, exact_value] : outputs) {
      const double to_cpu = relative_error(device_value.to(torch::kDouble), cpu_value.to(torch::kDouble));
      const double to_exact = relative_error(device_value.to(torch::kDouble), exact_value.to(torch::kDouble));
      line += QString::asprintf("%s %.2g/%.2g  ", name, to_cpu, to_exact);
      ok = ok && to_cpu < same_bound && to_exact < exact_bound;
    }
    qInfo("fused GroupNorm on the device vs its CPU run / vs LibTorch in float64: %s", qPrintable(line));
    QVERIFY2(ok, qPrintable(line));
  }

  void fusedGegluMatchesItsCpuRunAndTheOps_data() {
    QTest::addColumn<int>("dtype");
    QTest::addColumn<QVector<int>>("shape");
    const QVector<int> level1{8, 1024, 2 * 1280}, level3{8, 64, 2 * 5120};
    for (const auto& [name, type] : {std::pair<const char*, c10::ScalarType>{"f32", torch::kFloat},
                                     {"bf16", torch::kBFloat16}, {"f16", torch::kHalf}}) {
      QTest::newRow((std::string(name) + " [8, 1024, 2560]").c_str()) << int(type) << level1;
      QTest::newRow((std::string(name) + " [8, 64, 10240]").c_str()) << int(type) << level3;
    }
  }
  void fusedGegluMatchesItsCpuRunAndTheOps() {
    // The GEGLU kernels NVRTC compiled for this GPU against their CPU run and against diffusers'
    // ops (chunk, exact GELU, product) in float64: output and the projection's gradient.
    QFETCH(int, dtype);
    QFETCH(QVector<int>, shape);
    if (!device_.is_cuda()) QSKIP("the CPU run is tst_fused_geglu's");
    const auto type = static_cast<c10::ScalarType>(dtype);
    const std::vector<int64_t> sizes(shape.begin(), shape.end());
    torch::manual_seed(13);
    const auto p = (torch::randn(sizes) * 2).to(type);
    auto out_sizes = sizes;
    out_sizes.back() /= 2;
    const auto upstream = torch::randn(out_sizes).to(type);
    const auto run = [&](const torch::Device& on, bool fused) {
      auto pi = p.to(on).to(fused ? type : torch::kDouble).detach().requires_grad_(true);
      torch::Tensor y;
      if (fused) {
        y = tessera::models::fused_geglu(pi);
      } else {
        auto parts = pi.chunk(2, -1);
        y = parts[0] * torch::gelu(parts[1]);
      }
      (y.to(torch::kDouble) * upstream.to(on).to(torch::kDouble)).sum().backward();
      return std::make_pair(y.detach().to(torch::kCPU), pi.grad().to(torch::kCPU));
    };
    const int64_t calls = tessera::models::fused_geglu_cuda_calls();
    std::pair<torch::Tensor, torch::Tensor> gpu;
    try {
      gpu = run(device_, true);
    } catch (const std::exception& e) {
      QFAIL(qPrintable(QString("the fused GEGLU failed on the device: ") + e.what()));
    }
    QCOMPARE(tessera::models::fused_geglu_cuda_calls(), calls + 1);
    const auto cpu = run(torch::kCPU, true), exact = run(torch::kCPU, false);
    const double same_bound = type == torch::kFloat ? 1e-5 : type == torch::kHalf ? 2e-3 : 1.6e-2;
    const double exact_bound = type == torch::kFloat ? 1e-5 : type == torch::kHalf ? 8e-3 : 6.4e-2;
    const double y_cpu = relative_error(gpu.first.to(torch::kDouble), cpu.first.to(torch::kDouble));
    const double dp_cpu = relative_error(gpu.second.to(torch::kDouble), cpu.second.to(torch::kDouble));
    const double y_exact = relative_error(gpu.first.to(torch::kDouble), exact.first.to(torch::kDouble));
    const double dp_exact = relative_error(gpu.second.to(torch::kDouble), exact.second.to(torch::kDouble));
    qInfo("fused GEGLU on the device vs its CPU run / vs the ops in float64: y %.2g/%.2g  dp %.2g/%.2g", y_cpu,
          y_exact, dp_cpu, dp_exact);
    QVERIFY(y_cpu < same_bound && dp_cpu < same_bound);
    QVERIFY(y_exact < exact_bound && dp_exact < exact_bound);
  }

  void trainingWithTheFusedKernels_data() {
    QTest::addColumn<QString>("precision");
    QTest::addColumn<bool>("graph");
    QTest::addColumn<QString>("kernels");
    QTest::newRow("fp32, GroupNorm") << QStringLiteral("fp32") << false << QStringLiteral("group-norm");
    QTest::newRow("fp32, GEGLU") << QStringLiteral("fp32") << false << QStringLiteral("geglu");
    QTest::newRow("amp_bf16, both") << QStringLiteral("amp_bf16") << false << QStringLiteral("both");
    QTest::newRow("amp_bf16, both, CUDA graph") << QStringLiteral("amp_bf16") << true << QStringLiteral("both");
    QTest::newRow("amp_bf16, both, gradient checkpointing") << QStringLiteral("amp_bf16") << false << QStringLiteral("both");
  }
  void trainingWithTheFusedKernels() {
    // The UNet's GroupNorms (with the SiLUs after them) and its transformers' GEGLUs through the
    // engine's kernels train as LibTorch's ops do: op by op, recomputed under checkpointing, and
    // replayed from a CUDA graph.
    QFETCH(QString, precision);
    QFETCH(bool, graph);
    QFETCH(QString, kernels);
    if (!device_.is_cuda()) QSKIP("the layers route to the fused kernels on CUDA devices only");
    if (graph) TESSERA_REQUIRE_CUDA_GRAPHS();
    const bool checkpointing = QString(QTest::currentDataTag()).contains(QStringLiteral("checkpointing"));
    const bool group_norm = kernels != QStringLiteral("geglu"), geglu = kernels != QStringLiteral("group-norm");
    const auto adjust = [&](RunConfig& c) {
      c.trainer.max_duration = 6;
      c.trainer.cuda_graph = graph;
      c.trainer.gradient_checkpointing = checkpointing;
    };
    const auto route = [](std::optional<bool> norm, std::optional<bool> gate) {
      tessera::models::set_fused_group_norm_enabled(norm);
      tessera::models::set_fused_geglu_enabled(gate);
    };
    struct Restore {  // the environment decides again afterwards
      std::function<void()> undo;
      ~Restore() { undo(); }
    } restore{[&] { route(std::nullopt, std::nullopt); }};
    QTemporaryDir plain_dir, fused_dir;
    route(false, false);
    const TrainingRun plain = train_tiny("cuda", precision.toStdString(), plain_dir.path(), nullptr, adjust);
    route(group_norm, geglu);
    const int64_t norms = tessera::models::fused_group_norm_cuda_calls();
    const int64_t gates = tessera::models::fused_geglu_cuda_calls();
    TrainingRun fused;
    int64_t replays = 0;
    try {
      fused = train_tiny("cuda", precision.toStdString(), fused_dir.path(),
                         [&](const tessera::training::StepReport& r) {
                           replays = r.graph_replays;
                           return true;
                         },
                         adjust);
    } catch (const std::exception& e) {
      QFAIL(qPrintable(QString("training with the fused kernels failed: ") + e.what()));
    }
    const int64_t ran_norms = tessera::models::fused_group_norm_cuda_calls() - norms;
    const int64_t ran_gates = tessera::models::fused_geglu_cuda_calls() - gates;
    // Not taken: the kernels could not be built (the fused*Matches rows say why; so does a warning
    // on stderr) or the activations are not channels-last.
    QVERIFY2((ran_norms > 0) == group_norm, "GroupNorm did not take the fused kernels as asked");
    QVERIFY2((ran_gates > 0) == geglu, "GEGLU did not take the fused kernels as asked");
    if (graph) QCOMPARE(replays, int64_t{4});
    const double err = relative_error(all_weights(fused), all_weights(plain));
    qInfo("6 %s steps with %lld fused GroupNorm and %lld fused GEGLU calls recorded: weights differ from the "
          "run with LibTorch's ops by %.3g",
          qPrintable(precision), static_cast<long long>(ran_norms), static_cast<long long>(ran_gates), err);
    QVERIFY(err < (precision == QStringLiteral("fp32") ? 1e-4 : 2e-2));
  }

};

QTEST_GUILESS_MAIN(TestCudaKernels)
#include "tst_cuda_kernels.moc"
