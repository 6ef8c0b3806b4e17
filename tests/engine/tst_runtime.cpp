// The runtime the engine reports and configures: threads, BLAS, versions.

#include "tessera/demo.h"
#include "tessera/runtime.h"

#include <torch/torch.h>

#include <QtTest/QtTest>

class TestRuntime : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void threadsDefaultToAllCores() {
    const int n = tessera::configure_threads(0);
    QCOMPARE(n, tessera::available_cpus());
    QCOMPARE(at::get_num_threads(), n);
    QCOMPARE(tessera::runtime_info().intra_op_threads, n);
  }

  void threadsCanBeOverridden() {
    QCOMPARE(tessera::configure_threads(1), 1);
    QCOMPARE(tessera::runtime_info().intra_op_threads, 1);
    tessera::configure_threads(0);
  }

  void reportsVersions() {
    const auto info = tessera::runtime_info();
    QVERIFY(!info.tessera_version.empty());
    QCOMPARE(QString::fromStdString(info.torch_version), QStringLiteral(TORCH_VERSION));
    QCOMPARE(info.cuda_available, torch::cuda::is_available());
    QCOMPARE(info.cuda_devices.size(), info.cuda_available ? size_t(torch::cuda::device_count()) : size_t(0));
  }

  void blasIsNotTheReferenceImplementation() {
    // The set-up installs OpenBLAS; the reference BLAS makes every matrix product ~40x slower.
    const auto info = tessera::runtime_info();
    QVERIFY2(!info.blas_is_reference, info.blas.c_str());
    QVERIFY2(info.blas != "none found", info.blas.c_str());
  }

  void matmulThroughputIsMeasured() {
    const double gflops = tessera::measure_matmul_gflops(256, 2);
    QVERIFY(gflops > 0.0);
    QVERIFY(std::isfinite(gflops));
  }
};

QTEST_GUILESS_MAIN(TestRuntime)
#include "tst_runtime.moc"
