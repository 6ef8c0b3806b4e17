#pragma once
// Tensor comparisons for golden tests (torch; only for TORCH suites).
// Metric from ../shared/golden/reference/README.md: max|a-b| <= atol + rtol * max|b|.

#include <torch/torch.h>

#include <QtTest/QtTest>

#include <sstream>
#include <string>

namespace tessera::test {

struct CloseResult {
  bool ok = false;
  std::string message;
};

inline CloseResult tensors_close(const torch::Tensor& actual, const torch::Tensor& expected, double atol,
                                 double rtol, const std::string& what) {
  CloseResult r;
  std::ostringstream os;
  if (actual.sizes() != expected.sizes()) {
    os << what << ": shape " << actual.sizes() << " != expected " << expected.sizes();
    r.message = os.str();
    return r;
  }
  auto a = actual.detach().to(torch::kCPU, torch::kFloat64);
  auto b = expected.detach().to(torch::kCPU, torch::kFloat64);
  if (!torch::isfinite(a).all().item<bool>()) {
    os << what << ": non-finite values";
    r.message = os.str();
    return r;
  }
  const double max_diff = a.numel() ? (a - b).abs().max().item<double>() : 0.0;
  const double max_ref = b.numel() ? b.abs().max().item<double>() : 0.0;
  const double bound = atol + rtol * max_ref;
  r.ok = max_diff <= bound;
  os << what << ": max|a-b| = " << max_diff << " (bound " << bound << ", max|ref| = " << max_ref << ")";
  r.message = os.str();
  return r;
}

}  // namespace tessera::test

// QVERIFY-style check that reports the measured difference on failure.
#define TESSERA_EXPECT_CLOSE(actual, expected, atol, rtol, what)                                  \
  do {                                                                                           \
    const auto tessera_cr_ = ::tessera::test::tensors_close((actual), (expected), (atol), (rtol), \
                                                            (what));                             \
    QVERIFY2(tessera_cr_.ok, tessera_cr_.message.c_str());                                       \
  } while (false)

// TESSERA_EXPECT_CLOSE that also logs the measured difference (qInfo), for the record.
#define TESSERA_EXPECT_CLOSE_LOGGED(actual, expected, atol, rtol, what)                           \
  do {                                                                                           \
    const auto tessera_cr_ = ::tessera::test::tensors_close((actual), (expected), (atol), (rtol), \
                                                            (what));                             \
    qInfo("%s", tessera_cr_.message.c_str());                                                    \
    QVERIFY2(tessera_cr_.ok, tessera_cr_.message.c_str());                                       \
  } while (false)
