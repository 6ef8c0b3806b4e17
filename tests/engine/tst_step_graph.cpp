// StepGraph (trainer.cuda_graph) on the CPU, where it runs op by op from its own buffers: the
// staged passes give the loss and gradients of the same passes run directly, the buffers are
// copies, new shapes replace them, bad use is refused, and a capture that cannot happen (no CUDA
// here) is an error that stays. The capture itself runs in tst_cuda.

#include "tessera/error.h"
#include "training/diffusion_objective.h"
#include "training/run_config.h"
#include "training/step_graph.h"
#include "training/trained_weights.h"

#include "tiny_unet_yaml.h"

#include <torch/torch.h>

#include <QtTest/QtTest>

#include <numeric>
#include <string>
#include <vector>

using namespace tessera::training;

namespace {

RunConfig tiny_config() {
  return parse_run_config(R"(name: step-graph
seed: 3
batch_size: 4
model:
  unet:
)" + std::string(tiny_unet_yaml()) + R"(    sample_size: 8
  prediction_type: v_prediction
  min_snr_gamma: 5
dataset:
  kind: synthetic_latents
trainer:
  device_train_microbatch_size: 2
  device: cpu
)",
                          "step-graph.yaml");
}

// A microbatch of `count` samples from stream position `begin`.
StepInputs inputs(const DiffusionObjective& objective, int64_t begin, int64_t count) {
  std::vector<int64_t> positions(static_cast<size_t>(count));
  std::iota(positions.begin(), positions.end(), begin);
  torch::manual_seed(static_cast<uint64_t>(begin) + 11);
  StepInputs in;
  in.x0 = torch::randn({count, 4, 8, 8});
  in.text = torch::randn({count, 8, 32});
  in.draws = objective.draw(3, positions, {4, 8, 8}, 0.0);
  return in;
}

struct Result {
  double loss_sum = 0;
  std::vector<torch::Tensor> grads;
};

}  // namespace

class StepGraphTest : public QObject {
  Q_OBJECT

  RunConfig config_ = tiny_config();
  tessera::models::UNet2DConditionModel unet_{nullptr};
  std::unique_ptr<DiffusionObjective> objective_;

  void zero_grads() {
    torch::NoGradGuard no_grad;
    for (auto& p : unet_->parameters()) {
      if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
      p.mutable_grad().zero_();
    }
  }
  Result grads_and(double loss_sum) {
    Result r;
    r.loss_sum = loss_sum;
    for (const auto& p : unet_->parameters()) r.grads.push_back(p.grad().clone());
    return r;
  }
  // The passes as the trainer runs them without the graph.
  Result direct(const std::vector<StepInputs>& batches, double divisor) {
    zero_grads();
    double total = 0;
    for (const auto& in : batches) {
      const torch::Tensor losses = objective_->per_sample_loss(unet_, in.x0, in.text, in.draws);
      total += losses.detach().sum().item<double>();
      (losses.sum() / divisor).backward();
    }
    return grads_and(total);
  }
  std::function<torch::Tensor(const StepInputs&)> loss_fn() {
    return [this](const StepInputs& in) { return objective_->per_sample_loss(unet_, in.x0, in.text, in.draws); };
  }
  Result staged(StepGraph& graph, const std::vector<StepInputs>& batches) {
    zero_grads();
    for (size_t k = 0; k < batches.size(); ++k) graph.stage(static_cast<int64_t>(k), batches[k]);
    return grads_and(graph.run().item<double>());
  }
  static void compare(const Result& actual, const Result& expected) {
    QCOMPARE(actual.grads.size(), expected.grads.size());
    QVERIFY2(std::abs(actual.loss_sum - expected.loss_sum) <= 1e-9 * std::abs(expected.loss_sum),
             qPrintable(QString("loss sum %1 vs %2").arg(actual.loss_sum).arg(expected.loss_sum)));
    for (size_t i = 0; i < actual.grads.size(); ++i) QVERIFY(torch::equal(actual.grads[i], expected.grads[i]));
  }

 private Q_SLOTS:
  void initTestCase() {
    torch::set_num_threads(1);
    unet_ = make_unet(config_);
    unet_->train();
    objective_ = std::make_unique<DiffusionObjective>(config_.model);
  }

  void stagedPassesEqualTheDirectOnes() {
    // Two microbatches accumulated, each divided by the step's sample count, several runs.
    StepGraph graph(loss_fn(), 2, 4.0, /*capture_after=*/-1);
    for (int64_t step = 0; step < 3; ++step) {
      const std::vector<StepInputs> batches{inputs(*objective_, 4 * step, 2), inputs(*objective_, 4 * step + 2, 2)};
      const Result expected = direct(batches, 4.0);
      compare(staged(graph, batches), expected);
    }
    QVERIFY(!graph.captured());
    QCOMPARE(graph.replays(), int64_t{0});
  }

  void stagedInputsAreCopies() {
    StepGraph graph(loss_fn(), 1, 2.0, -1);
    const std::vector<StepInputs> batches{inputs(*objective_, 0, 2)};
    const Result expected = direct(batches, 2.0);
    zero_grads();
    graph.stage(0, batches[0]);
    {
      // The caller's tensors change after staging (the next batch read into the same memory).
      torch::NoGradGuard no_grad;
      batches[0].x0.add_(1);
      batches[0].draws.noise.mul_(-1);
    }
    compare(grads_and(graph.run().item<double>()), expected);
  }

  void newShapesReplaceTheBuffers() {
    StepGraph graph(loss_fn(), 1, 2.0, -1);
    (void)staged(graph, {inputs(*objective_, 0, 2)});
    // A microbatch of 3 (and another divisor's worth of samples): new buffers, the right losses.
    const std::vector<StepInputs> three{inputs(*objective_, 10, 3)};
    const Result expected = direct(three, 2.0);
    compare(staged(graph, three), expected);
  }

  void badUseIsRefused() {
    QVERIFY_THROWS_EXCEPTION(tessera::Error, StepGraph(loss_fn(), 0, 1.0, -1));
    StepGraph graph(loss_fn(), 2, 4.0, -1);
    QVERIFY_THROWS_EXCEPTION(tessera::Error, graph.stage(2, inputs(*objective_, 0, 2)));
    QVERIFY_THROWS_EXCEPTION(tessera::Error, graph.stage(-1, inputs(*objective_, 0, 2)));
    StepInputs incomplete = inputs(*objective_, 0, 2);
    incomplete.draws.noise = torch::Tensor();
    QVERIFY_THROWS_EXCEPTION(tessera::Error, graph.stage(0, incomplete));
    graph.stage(0, inputs(*objective_, 0, 2));
    // Microbatch 1 never staged.
    QVERIFY_THROWS_EXCEPTION(tessera::Error, graph.run());
  }

  void aCaptureThatCannotHappenIsAnErrorThatStays() {
    // capture_after 1: the first run op by op, the second tries to capture, which a CPU (or a
    // build without CUDA graphs) cannot: an error, with the step's work not done, and every run
    // after it refused too (a failed capture leaves LibTorch's state behind; the trainer stops).
    StepGraph graph(loss_fn(), 1, 2.0, /*capture_after=*/1);
    graph.watch(unet_->parameters());
    const std::vector<StepInputs> first{inputs(*objective_, 0, 2)}, second{inputs(*objective_, 2, 2)};
    compare(staged(graph, first), direct(first, 2.0));
    zero_grads();
    graph.stage(0, second[0]);
    const QString expected = "needs the training step on a CUDA device";
    try {
      (void)graph.run();
      QFAIL("a capture on the CPU did not fail");
    } catch (const tessera::Error& e) {
      QVERIFY2(QString(e.what()).contains(expected), e.what());
      QVERIFY2(QString::fromStdString(e.hint()).contains("trainer.cuda_graph: false"), e.hint().c_str());
    }
    QVERIFY(graph.capture_failed());
    QVERIFY(!graph.captured());
    // Nothing ran: the gradients are still zero.
    for (const auto& p : unet_->parameters()) QVERIFY(!p.grad().any().item<bool>());
    try {
      (void)graph.run();
      QFAIL("a run after the failed capture was accepted");
    } catch (const tessera::Error& e) {
      QVERIFY2(QString(e.what()).contains(expected) && QString(e.what()).contains("earlier in this process"), e.what());
    }
  }
};

QTEST_GUILESS_MAIN(StepGraphTest)
#include "tst_step_graph.moc"
