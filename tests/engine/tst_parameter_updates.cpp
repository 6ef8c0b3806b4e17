// Parameter updates: the multi-tensor AdamW gives torch::optim::AdamW's numbers (per-tensor lists
// and one flat buffer), flat gradients accumulate in place through backward, clipping matches
// torch::nn::utils::clip_grad_norm_, the EMA starts at its step; and the update's cost is timed.

#include "training/parameter_updates.h"

#include <torch/torch.h>

#include <QtTest/QtTest>

#include <chrono>

using namespace tessera::training;

namespace {

// Shapes like a UNet's: many small vectors (norms, biases) and some matrices and conv kernels.
std::vector<torch::Tensor> make_params(int64_t count, int64_t scale, uint64_t seed) {
  torch::manual_seed(seed);
  std::vector<torch::Tensor> out;
  for (int64_t i = 0; i < count; ++i) {
    switch (i % 4) {
      case 0: out.push_back(torch::randn({scale})); break;
      case 1: out.push_back(torch::randn({scale, scale})); break;
      case 2: out.push_back(torch::randn({scale, scale / 4, 3, 3})); break;
      default: out.push_back(torch::randn({scale})); break;
    }
  }
  return out;
}

std::vector<std::vector<torch::Tensor>> make_grads(const std::vector<torch::Tensor>& params, int steps) {
  std::vector<std::vector<torch::Tensor>> g(static_cast<size_t>(steps));
  for (auto& step : g)
    for (const auto& p : params) step.push_back(torch::randn_like(p));
  return g;
}

double max_abs_diff(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  double m = 0;
  for (size_t i = 0; i < a.size(); ++i) m = std::max(m, (a[i] - b[i]).abs().max().item<double>());
  return m;
}

std::vector<torch::Tensor> clone_all(const std::vector<torch::Tensor>& v) {
  std::vector<torch::Tensor> out;
  for (const auto& t : v) out.push_back(t.detach().clone());
  return out;
}

// Reference: torch::optim::AdamW on leaf tensors with the given grads.
std::vector<torch::Tensor> run_reference(const std::vector<torch::Tensor>& init, const std::vector<std::vector<torch::Tensor>>& grads,
                                         const std::vector<double>& lrs) {
  std::vector<torch::Tensor> p = clone_all(init);
  for (auto& t : p) t.set_requires_grad(true);
  torch::optim::AdamW opt(p, torch::optim::AdamWOptions(lrs[0]).betas({0.9, 0.999}).eps(1e-8).weight_decay(0.01));
  for (size_t s = 0; s < grads.size(); ++s) {
    static_cast<torch::optim::AdamWOptions&>(opt.param_groups()[0].options()).lr(lrs[s]);
    for (size_t i = 0; i < p.size(); ++i) p[i].mutable_grad() = grads[s][i].clone();
    opt.step();
  }
  return clone_all(p);
}

}  // namespace

class TestParameterUpdates : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void fusedAdamWMatchesTorchOptim() {
    // fp32 on the CPU: the fused single-pass update.
    const auto init = make_params(60, 16, 1);
    const auto grads = make_grads(init, 6);
    const std::vector<double> lrs{1e-3, 2e-3, 3e-3, 1e-3, 5e-4, 1e-4};
    const auto reference = run_reference(init, grads, lrs);

    std::vector<torch::Tensor> p = clone_all(init);
    AdamW opt(p, AdamWOptions{0.9, 0.999, 1e-8, 0.01});
    for (size_t s = 0; s < grads.size(); ++s) opt.step(grads[s], lrs[s]);
    const double diff = max_abs_diff(p, reference);
    qInfo("fused AdamW vs torch::optim::AdamW: max |diff| = %g", diff);
    QVERIFY2(diff <= 1e-6, qPrintable(QString::number(diff)));
    QCOMPARE(opt.step_count(), int64_t(6));
    QCOMPARE(opt.last_update(), "fused CPU loop");
  }

  void foreachAdamWMatchesTorchOptim() {
    // fp64 takes the at::_foreach_* path (the one of other devices, and of GPUs before
    // LibTorch 2.2): the same op sequence as torch::optim::AdamW, so equal up to fp64 rounding.
    auto init = make_params(60, 16, 5);
    for (auto& t : init) t = t.to(torch::kFloat64);
    const auto grads = make_grads(init, 4);
    const std::vector<double> lrs{1e-3, 2e-3, 1e-3, 5e-4};
    const auto reference = run_reference(init, grads, lrs);
    std::vector<torch::Tensor> p = clone_all(init);
    AdamW opt(p, AdamWOptions{0.9, 0.999, 1e-8, 0.01});
    for (size_t s = 0; s < grads.size(); ++s) opt.step(grads[s], lrs[s]);
    const double diff = max_abs_diff(p, reference);
    qInfo("foreach AdamW (fp64) vs torch::optim::AdamW: max |diff| = %g", diff);
    QVERIFY2(diff <= 1e-14, qPrintable(QString::number(diff)));
    QCOMPARE(opt.last_update(), "foreach ops");
  }

  void updateInPartsEqualsOneStep() {
    // What updates during backward do: the flat buffer updated slice by slice, in any order,
    // from per-parameter gradients with other layouts, gives exactly the whole-buffer step.
    const auto init = make_params(12, 8, 6);
    const auto grads = make_grads(init, 3);
    std::vector<std::pair<std::string, torch::Tensor>> na, nb;
    for (size_t i = 0; i < init.size(); ++i) {
      na.emplace_back("p" + std::to_string(i), init[i].clone().set_requires_grad(true));
      nb.emplace_back("p" + std::to_string(i), init[i].clone().set_requires_grad(true));
    }
    FlatParameters whole(na), parts(nb, /*gradient_buffer=*/false);
    QVERIFY(!parts.grads().defined());
    AdamW a({whole.values()}, AdamWOptions{}), b({parts.values()}, AdamWOptions{});
    for (size_t s = 0; s < grads.size(); ++s) {
      const auto views = whole.grad_views();
      for (size_t i = 0; i < views.size(); ++i) views[i].copy_(grads[s][i]);
      a.step({whole.grads()}, 1e-3);
      b.begin_step();
      for (size_t k = init.size(); k-- > 0;) {
        torch::Tensor g = grads[s][k];
        if (g.dim() == 4) g = g.contiguous(torch::MemoryFormat::ChannelsLast);  // same values, other strides
        b.update_part(0, parts.offset(k), g, 1e-3);
      }
    }
    QVERIFY(torch::equal(whole.values(), parts.values()));
    QVERIFY(torch::equal(a.exp_avg()[0], b.exp_avg()[0]));
    QVERIFY(torch::equal(a.exp_avg_sq()[0], b.exp_avg_sq()[0]));
  }

  void flatAdamWMatchesTorchOptim() {
    const auto init = make_params(60, 16, 2);
    const auto grads = make_grads(init, 5);
    const std::vector<double> lrs{1e-3, 1e-3, 2e-3, 1e-3, 1e-3};
    const auto reference = run_reference(init, grads, lrs);

    std::vector<std::pair<std::string, torch::Tensor>> named;
    for (size_t i = 0; i < init.size(); ++i) named.emplace_back("p" + std::to_string(i), init[i].clone().set_requires_grad(true));
    FlatParameters flat(named);
    AdamW opt({flat.values()}, AdamWOptions{0.9, 0.999, 1e-8, 0.01});
    for (size_t s = 0; s < grads.size(); ++s) {
      flat.zero_grad();
      const auto views = flat.grad_views();
      for (size_t i = 0; i < views.size(); ++i) views[i].copy_(grads[s][i]);
      opt.step({flat.grads()}, lrs[s]);
    }
    const double diff = max_abs_diff(flat.tensors(), reference);
    qInfo("flat AdamW vs torch::optim::AdamW: max |diff| = %g", diff);
    QVERIFY2(diff <= 1e-6, qPrintable(QString::number(diff)));
  }

  void flatGradientsAccumulateInPlace() {
    torch::manual_seed(3);
    torch::nn::Linear a(5, 4), b(4, 3);
    std::vector<std::pair<std::string, torch::Tensor>> named;
    for (auto& kv : a->named_parameters()) named.emplace_back("a." + kv.key(), kv.value());
    for (auto& kv : b->named_parameters()) named.emplace_back("b." + kv.key(), kv.value());
    FlatParameters flat(named);
    QCOMPARE(flat.numel(), int64_t(5 * 4 + 4 + 4 * 3 + 3));
    const auto x1 = torch::randn({2, 5}), x2 = torch::randn({2, 5});
    // Expected: plain autograd on copies.
    torch::nn::Linear ra(5, 4), rb(4, 3);
    {
      torch::NoGradGuard ng;
      ra->weight.copy_(a->weight); ra->bias.copy_(a->bias); rb->weight.copy_(b->weight); rb->bias.copy_(b->bias);
    }
    rb->forward(ra->forward(x1)).sum().backward();
    rb->forward(ra->forward(x2)).pow(2).sum().backward();

    flat.zero_grad();
    b->forward(a->forward(x1)).sum().backward();
    b->forward(a->forward(x2)).pow(2).sum().backward();
    QCOMPARE(flat.gather_grads(), int64_t(0));  // accumulated into the flat buffer, nothing to copy
    QVERIFY(torch::equal(a->weight.grad(), ra->weight.grad()));
    QVERIFY(torch::equal(b->bias.grad(), rb->bias.grad()));
    const auto expected = torch::cat({ra->weight.grad().flatten(), ra->bias.grad(), rb->weight.grad().flatten(), rb->bias.grad()});
    QVERIFY(torch::equal(flat.grads(), expected));
    // Values are views too: changing the buffer changes the module.
    flat.values().zero_();
    QCOMPARE(a->weight.abs().sum().item<double>(), 0.0);
  }

  void clippingMatchesTorch() {
    const auto g = make_params(12, 8, 4);
    std::vector<torch::Tensor> p;
    for (const auto& t : g) {
      p.push_back(torch::zeros_like(t).set_requires_grad(true));
      p.back().mutable_grad() = t.clone();
    }
    const double torch_norm = torch::nn::utils::clip_grad_norm_(p, 1.5);
    std::vector<torch::Tensor> mine = clone_all(g);
    const torch::Tensor norm_tensor = clip_grad_norm(mine, 1.5);
    // The norm stays a tensor on the gradients' device (no host read inside a training step).
    QCOMPARE(norm_tensor.dim(), 0);
    QCOMPARE(norm_tensor.device(), g.front().device());
    const double norm = norm_tensor.item<double>();
    QVERIFY(qAbs(norm - torch_norm) <= 1e-4 * torch_norm);
    std::vector<torch::Tensor> clipped;
    for (auto& t : p) clipped.push_back(t.grad());
    QVERIFY(max_abs_diff(mine, clipped) <= 1e-6);
    QVERIFY(qAbs(global_grad_norm(mine).item<double>() - 1.5) < 1e-4);
    // Under the limit the factor is 1: the gradients stay as they were, bit for bit.
    std::vector<torch::Tensor> small = clone_all(g);
    for (auto& t : small) t.mul_(1e-3);
    const std::vector<torch::Tensor> before = clone_all(small);
    (void)clip_grad_norm(small, 1e6);
    for (size_t i = 0; i < small.size(); ++i) QVERIFY(torch::equal(small[i], before[i]));
  }

  void emaStartsAtItsStep() {
    std::vector<torch::Tensor> w{torch::ones({3})};
    EMA ema(0.9, 3);
    ema.update(w, 2);
    QVERIFY(!ema.initialized());
    ema.update(w, 3);  // first update copies
    QVERIFY(ema.initialized());
    QVERIFY(torch::equal(ema.shadow()[0], w[0]));
    w[0].fill_(2);
    ema.update(w, 4);
    QVERIFY(torch::allclose(ema.shadow()[0], torch::full({3}, 0.9 * 1 + 0.1 * 2)));
  }

  // Cost of one AdamW update: torch::optim::AdamW vs the fused update per tensor of a list
  // vs on one flat buffer. Sizes: the tiny golden UNet (~0.8M parameters in ~170 tensors) and a
  // UNet-like spread of ~686 tensors with 30M parameters.
  void timing_data() {
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("scale");
    QTest::newRow("170 tensors, ~0.8M") << 172 << 64;
    QTest::newRow("686 tensors, ~30M") << 686 << 320;
  }
  void timing() {
    QFETCH(int, count);
    QFETCH(int, scale);
    const auto init = make_params(count, scale, 5);
    int64_t numel = 0;
    for (const auto& t : init) numel += t.numel();
    const int steps = 5;
    auto time_it = [&](auto&& fn) {
      fn();  // warm-up
      const auto t0 = std::chrono::steady_clock::now();
      for (int i = 0; i < steps; ++i) fn();
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / steps;
    };
    std::vector<torch::Tensor> rp = clone_all(init);
    for (auto& t : rp) {
      t.set_requires_grad(true);
      t.mutable_grad() = torch::randn_like(t);
    }
    torch::optim::AdamW ref(rp, torch::optim::AdamWOptions(1e-4).weight_decay(0.01));
    const double t_ref = time_it([&] { ref.step(); });

    std::vector<torch::Tensor> fp = clone_all(init);
    std::vector<torch::Tensor> fg;
    for (auto& t : fp) fg.push_back(torch::randn_like(t));
    AdamW fe(fp, AdamWOptions{});
    const double t_foreach = time_it([&] { fe.step(fg, 1e-4); });

    std::vector<std::pair<std::string, torch::Tensor>> named;
    for (size_t i = 0; i < init.size(); ++i) named.emplace_back("p" + std::to_string(i), init[i].clone().set_requires_grad(true));
    FlatParameters flat(named);
    flat.grads().normal_();
    AdamW fl({flat.values()}, AdamWOptions{});
    const double t_flat = time_it([&] { fl.step({flat.grads()}, 1e-4); });
    qInfo("AdamW step, %d tensors, %lld parameters, %d threads: torch::optim %.2f ms, fused per tensor %.2f ms, fused flat %.2f ms "
          "(flat %.2fx faster than torch::optim)",
          count, static_cast<long long>(numel), torch::get_num_threads(), t_ref * 1e3, t_foreach * 1e3, t_flat * 1e3,
          t_ref / t_flat);
    QVERIFY(t_flat > 0 && t_ref > 0);
  }
};

QTEST_GUILESS_MAIN(TestParameterUpdates)
#include "tst_parameter_updates.moc"
