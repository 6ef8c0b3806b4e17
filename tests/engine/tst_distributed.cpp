// Data-parallel building blocks: reading rank/world from torchrun's and Slurm's variables, and
// real multi-process Gloo groups (this binary re-runs itself as the ranks) whose bucketed,
// overlapped gradient averaging must equal the full-batch gradient computed in one process.
#include "training/distributed.h"
#include "training/parameter_updates.h"

#include "tessera/error.h"
#include "test_support.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QtTest>

#include <cstdio>
#include <cstdlib>
#include <map>

using tessera::training::Distributed;
using tessera::training::DistributedEnv;

namespace {

DistributedEnv env_from(const std::map<std::string, std::string>& vars) {
  return DistributedEnv::from_lookup([&](const char* name) {
    auto it = vars.find(name);
    return it == vars.end() ? std::string() : it->second;
  });
}

// --- the worker: one rank ---------------------------------------------------------------------

struct Net : torch::nn::Module {
  Net() {
    // Registered first, so that its bucket (buckets are built from the last parameter on) is the
    // last: the others can then start during backward.
    unused = register_module("unused", torch::nn::Linear(3, 3));  // never gets a gradient
    a = register_module("a", torch::nn::Linear(8, 16));
    b = register_module("b", torch::nn::Linear(16, 4));
  }
  torch::Tensor forward(const torch::Tensor& x) { return b->forward(torch::tanh(a->forward(x))); }
  torch::nn::Linear a{nullptr}, b{nullptr}, unused{nullptr};
};

double max_abs_diff(const std::vector<torch::Tensor>& x, const std::vector<torch::Tensor>& y) {
  double m = 0;
  for (size_t i = 0; i < x.size(); ++i) m = std::max(m, (x[i] - y[i]).abs().max().item<double>());
  return m;
}

int run_worker() {
  const DistributedEnv env = DistributedEnv::from_environment();
  const int world = env.world_size, rank = env.rank;
  torch::manual_seed(100 + rank);  // different initial weights on every rank ...
  auto net = std::make_shared<Net>();
  std::vector<torch::Tensor> params = net->parameters();
  // TESSERA_DISTRIBUTED_FLAT=1: the trainer's layout, every parameter and gradient a slice of one
  // buffer; the buckets are then slices of the gradient buffer, reduced in place.
  const bool flat_layout = std::getenv("TESSERA_DISTRIBUTED_FLAT") != nullptr;
  std::unique_ptr<tessera::training::FlatParameters> flat;
  if (flat_layout) {
    std::vector<std::pair<std::string, torch::Tensor>> named;
    for (const auto& kv : net->named_parameters()) named.emplace_back(kv.key(), kv.value());
    flat = std::make_unique<tessera::training::FlatParameters>(named);
  }
  Distributed dist(env, torch::kCPU, std::chrono::seconds(60));
  dist.broadcast_parameters(params);  // ... until rank 0's are broadcast
  // Tiny buckets: many collectives in flight.
  dist.register_gradient_buckets(params, 256, flat ? flat->grads() : torch::Tensor());
  if (dist.reduces_in_place() != (flat_layout && dist.backend_name() != "none")) {
    std::fprintf(stderr, "rank %d: reduces_in_place() is %d\n", rank, int(dist.reduces_in_place()));
    return 1;
  }

  const int64_t global_batch = 24, micro_steps = 2;
  const int64_t per_rank = global_batch / world, per_micro = per_rank / micro_steps;
  torch::manual_seed(7);
  const auto x = torch::randn({global_batch, 8});
  const auto y = torch::randn({global_batch, 4});
  int failures = 0;
  auto fail = [&](const std::string& what) {
    std::fprintf(stderr, "rank %d: %s\n", rank, what.c_str());
    ++failures;
  };

  for (int step = 0; step < 3; ++step) {
    // Reference: the full-batch gradient, computed here alone on a copy of the weights.
    // The used parameters: a.weight, a.bias, b.weight, b.bias (after unused's two).
    std::vector<torch::Tensor> ref_params;
    for (size_t i = 2; i < params.size(); ++i) ref_params.push_back(params[i].detach().clone().requires_grad_(true));
    {
      auto h = torch::tanh(torch::nn::functional::linear(x, ref_params[0], ref_params[1]));
      auto out = torch::nn::functional::linear(h, ref_params[2], ref_params[3]);
      auto loss = (out - y).pow(2).sum() / static_cast<double>(global_batch);
      loss.backward();
    }
    // Data parallel: this rank's rows, in `micro_steps` accumulated pieces; each rank's loss is
    // scaled by world so that the mean over ranks is the full-batch loss.
    if (flat) {
      flat->zero_grad();
    } else {
      for (auto& p : params) p.mutable_grad() = torch::Tensor();
    }
    for (int64_t m = 0; m < micro_steps; ++m) {
      dist.set_gradient_sync_enabled(m == micro_steps - 1);
      const int64_t begin = rank * per_rank + m * per_micro;
      auto xs = x.narrow(0, begin, per_micro), ys = y.narrow(0, begin, per_micro);
      auto loss = (net->forward(xs) - ys).pow(2).sum() * static_cast<double>(world) /
                  static_cast<double>(global_batch);
      loss.backward();
    }
    dist.finish_gradient_sync();
    if (flat) {
      // The gradients stayed where the optimizer reads them.
      for (size_t i = 0; i < params.size(); ++i) {
        if (params[i].grad().data_ptr() != flat->grad_views()[i].data_ptr()) fail("a gradient left the flat buffer");
      }
    }
    for (size_t i = 0; i < 4; ++i) {
      const double d = (params[i + 2].grad() - ref_params[i].grad()).abs().max().item<double>();
      if (!(d <= 1e-6)) fail("step " + std::to_string(step) + " param " + std::to_string(i) +
                             ": averaged gradient differs from the full-batch one by " + std::to_string(d));
    }
    for (size_t i = 0; i < 2; ++i)
      if (!params[i].grad().defined() || params[i].grad().abs().max().item<double>() != 0.0)
        fail("the unused parameter should end with a zero gradient");
    // Tiny buckets: all but the unused parameter's are started during the last micro-step's
    // backward, as soon as autograd has accumulated their last gradient (a bucket started earlier
    // would miss it, and the gradients above would differ).
    if (dist.backend_name() != "none" && dist.buckets_started_during_backward() < 4) {
      fail("only " + std::to_string(dist.buckets_started_during_backward()) + " buckets were started during backward");
    }
    torch::NoGradGuard no_grad;
    for (auto& p : params) p.sub_(0.1 * p.grad());
  }

  // Every rank must hold exactly rank 0's weights.
  std::vector<torch::Tensor> mine, theirs;
  for (const auto& p : params) {
    mine.push_back(p.detach().clone());
    theirs.push_back(p.detach().clone());
  }
  dist.broadcast_parameters(theirs);
  if (max_abs_diff(mine, theirs) != 0.0) fail("weights differ from rank 0's after three steps");
  const double mean = dist.allreduce_mean(static_cast<double>(rank));
  if (mean != (world - 1) / 2.0) fail("allreduce_mean of ranks gave " + std::to_string(mean));
  dist.barrier();
  std::printf("rank %d of %d (%s%s): %s\n", rank, world, dist.backend_name().c_str(),
              dist.reduces_in_place() ? ", in place" : "", failures ? "FAILED" : "ok");
  std::fflush(stdout);
  return failures ? 1 : 0;
}


}  // namespace

class TestDistributed : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void single_process_without_variables() {
    const auto env = env_from({});
    QCOMPARE(env.source, std::string("single"));
    QCOMPARE(env.world_size, 1);
    QCOMPARE(env.rank, 0);
    Distributed dist(env, torch::kCPU, std::chrono::seconds(1));  // no-op group
    auto p = torch::ones({3}, torch::requires_grad());
    dist.register_gradient_buckets({p});
    (p * 2).sum().backward();
    dist.finish_gradient_sync();
    QCOMPARE(p.grad()[0].item<float>(), 2.0f);
    QCOMPARE(dist.allreduce_mean(5.0), 5.0);
    QCOMPARE(dist.backend_name(), std::string("none"));
    QVERIFY(!env.group_for_one_rank);
    QVERIFY(env_from({{"TESSERA_PROCESS_GROUP_FOR_ONE_RANK", "1"}}).group_for_one_rank);
    QVERIFY(!env_from({{"TESSERA_PROCESS_GROUP_FOR_ONE_RANK", "yes"}}).group_for_one_rank);
  }

  void torchrun_variables() {
    const auto env = env_from({{"RANK", "3"}, {"WORLD_SIZE", "8"}, {"LOCAL_RANK", "1"},
                               {"MASTER_ADDR", "10.0.0.5"}, {"MASTER_PORT", "29400"}});
    QCOMPARE(env.source, std::string("torchrun"));
    QCOMPARE(env.rank, 3);
    QCOMPARE(env.world_size, 8);
    QCOMPARE(env.local_rank, 1);
    QCOMPARE(env.master_addr, std::string("10.0.0.5"));
    QCOMPARE(env.master_port, 29400);
  }

  void slurm_variables() {
    const auto env = env_from({{"SLURM_PROCID", "5"}, {"SLURM_NTASKS", "16"}, {"SLURM_LOCALID", "1"},
                               {"SLURM_JOB_NODELIST", "gpu[07-10,12],cpu3"}, {"SLURM_JOB_ID", "123456"}});
    QCOMPARE(env.source, std::string("slurm"));
    QCOMPARE(env.rank, 5);
    QCOMPARE(env.world_size, 16);
    QCOMPARE(env.local_rank, 1);
    QCOMPARE(env.master_addr, std::string("gpu07"));
    QCOMPARE(env.master_port, 20000 + 3456);
    // torchrun's variables win over Slurm's when both are present (torchrun inside srun).
    const auto both = env_from({{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"SLURM_PROCID", "5"}, {"SLURM_NTASKS", "16"}});
    QCOMPARE(both.source, std::string("torchrun"));
    QCOMPARE(both.world_size, 2);
  }

  void slurm_host_lists_data() {
    QTest::addColumn<QString>("list");
    QTest::addColumn<QString>("first");
    QTest::newRow("single") << "node7" << "node7";
    QTest::newRow("range") << "gpu[03-05]" << "gpu03";
    QTest::newRow("list in brackets") << "gpu[9,11-12]" << "gpu9";
    QTest::newRow("several entries") << "a1,b[2-3]" << "a1";
    QTest::newRow("suffix") << "rack[1-2]-node" << "rack1-node";
  }
  void slurm_host_lists() {
    QFETCH(QString, list);
    QFETCH(QString, first);
    QCOMPARE(QString::fromStdString(tessera::training::first_host_of_slurm_nodelist(list.toStdString())), first);
  }

  void bad_variables_are_refused_by_name_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("named");
    QTest::newRow("rank beyond world") << "RANK" << "2" << "RANK";
    QTest::newRow("not a number") << "RANK" << "x1" << "RANK";
    QTest::newRow("negative") << "RANK" << "-1" << "RANK";
    QTest::newRow("port") << "MASTER_PORT" << "70000" << "MASTER_PORT";
  }
  void bad_variables_are_refused_by_name() {
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QString, named);
    std::map<std::string, std::string> vars{{"RANK", "0"}, {"WORLD_SIZE", "2"}};
    vars[key.toStdString()] = value.toStdString();
    try {
      env_from(vars);
      QFAIL("accepted a bad variable");
    } catch (const tessera::Error& e) {
      QVERIFY2(QString(e.what()).contains(named), e.what());
    }
    try {
      env_from({{"RANK", "0"}});  // WORLD_SIZE missing
      QFAIL("accepted RANK without WORLD_SIZE");
    } catch (const tessera::Error& e) {
      QVERIFY2(QString(e.what()).contains("WORLD_SIZE"), e.what());
    }
  }

  void gloo_ranks_average_gradients_data() {
    QTest::addColumn<int>("world");
    QTest::addColumn<bool>("group_for_one_rank");
    QTest::addColumn<bool>("flat");
    QTest::addColumn<QString>("backend");
    QTest::newRow("2 ranks") << 2 << false << false << "gloo";
    QTest::newRow("3 ranks") << 3 << false << false << "gloo";
    QTest::newRow("2 ranks, flat gradients reduced in place") << 2 << false << true << "gloo, in place";
    QTest::newRow("3 ranks, flat gradients reduced in place") << 3 << false << true << "gloo, in place";
    // One rank joins no group (single_process_without_variables) unless asked to: then its
    // collectives run through a real group of one (what a one-GPU machine does to check NCCL).
    QTest::newRow("1 rank in a group of one") << 1 << true << false << "gloo";
    QTest::newRow("1 rank in a group of one, flat gradients") << 1 << true << true << "gloo, in place";
  }
  void gloo_ranks_average_gradients() {
    QFETCH(int, world);
    QFETCH(bool, group_for_one_rank);
    QFETCH(bool, flat);
    QFETCH(QString, backend);
    const int port = tessera::test::freeTcpPort();
    std::vector<std::unique_ptr<QProcess>> ranks;
    for (int r = 0; r < world; ++r) {
      auto p = std::make_unique<QProcess>();
      auto env = QProcessEnvironment::systemEnvironment();
      env.insert("TESSERA_DISTRIBUTED_WORKER", "1");
      env.insert("RANK", QString::number(r));
      env.insert("WORLD_SIZE", QString::number(world));
      env.insert("MASTER_ADDR", "127.0.0.1");
      env.insert("MASTER_PORT", QString::number(port));
      if (group_for_one_rank) env.insert("TESSERA_PROCESS_GROUP_FOR_ONE_RANK", "1");
      if (flat) env.insert("TESSERA_DISTRIBUTED_FLAT", "1");
      p->setProcessEnvironment(env);
      p->setProcessChannelMode(QProcess::MergedChannels);
      p->start(QCoreApplication::applicationFilePath(), {});
      QVERIFY(p->waitForStarted());
      ranks.push_back(std::move(p));
    }
    for (int r = 0; r < world; ++r) {
      QVERIFY2(ranks[r]->waitForFinished(120000), "a rank did not finish");
      const QByteArray out = ranks[r]->readAll();
      qInfo().noquote() << out.trimmed();
      QVERIFY2(ranks[r]->exitStatus() == QProcess::NormalExit && ranks[r]->exitCode() == 0, out.constData());
      QVERIFY2(out.contains(("(" + backend + "): ok").toUtf8()), out.constData());
    }
  }
};

int main(int argc, char** argv) {
  if (std::getenv("TESSERA_DISTRIBUTED_WORKER")) {
    try {
      return run_worker();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "worker failed: %s\n", e.what());
      return 2;
    }
  }
  QCoreApplication app(argc, argv);
  TestDistributed test;
  return QTest::qExec(&test, argc, argv);
}

#include "tst_distributed.moc"
