// CUDA smoke test: skips itself where no GPU is visible (this machine, CI); on a GPU machine a
// matrix product on the device must match the CPU.

#include "tessera/runtime.h"

#include <torch/torch.h>

#include <QtTest/QtTest>

class TestCuda : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void matmulMatchesCpu() {
    if (!torch::cuda::is_available()) QSKIP("no CUDA device visible");
    auto gen = at::detail::createCPUGenerator(7);
    auto a = torch::randn({256, 256}, gen);
    auto b = torch::randn({256, 256}, gen);
    auto cpu = torch::matmul(a, b);
    // Full fp32 on the GPU (no TF32) so the comparison is meaningful.
    at::globalContext().setAllowTF32CuBLAS(false);
    auto gpu = torch::matmul(a.cuda(), b.cuda()).cpu();
    QVERIFY(torch::allclose(cpu, gpu, 1e-4, 1e-4));
    QVERIFY(!tessera::runtime_info().cuda_devices.empty());
  }
};

QTEST_GUILESS_MAIN(TestCuda)
#include "tst_cuda.moc"
