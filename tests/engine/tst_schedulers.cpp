// Golden tests of the schedulers against diffusers v0.26.3 (../shared/golden/reference, section (e)):
// noise tables, timesteps for every spacing, sigma tables, init_noise_sigma, resolved configs,
// full 20-step trajectories fed with the stored model outputs (and, for the stochastic samplers,
// the stored noise or the same seeded CPU generator), and the DDPM training helpers.

#include "io/safetensors.h"
#include "schedulers/dpmpp_2m_scheduler.h"
#include "schedulers/pndm_scheduler.h"
#include "schedulers/scheduler.h"
#include "tensor_compare.h"
#include "test_support.h"
#include "tessera/error.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <QtTest/QtTest>

#include <cmath>
#include <memory>
#include <string>

using namespace tessera::schedulers;
using nlohmann::json;

namespace {

struct Golden {
  std::unique_ptr<tessera::io::SafetensorsFile> file;
  json meta;
};

Golden load_golden(const QString& dir) {
  Golden g;
  const std::string base = dir.toStdString() + "/reference/schedulers";
  g.file = std::make_unique<tessera::io::SafetensorsFile>(base + ".safetensors");
  g.meta = read_scheduler_config_file(base + ".json");
  return g;
}

// The sampler name and config overrides each golden entry was built with (gen_schedulers.py).
std::unique_ptr<Scheduler> build(const Golden& g, const std::string& golden_name, json extra = json::object()) {
  json cfg = g.meta["sd2_base_published_scheduler_config"];
  std::string sampler = golden_name;
  if (golden_name == "ddim_v" || golden_name == "euler_v") {
    sampler = golden_name.substr(0, golden_name.size() - 2);
    cfg["prediction_type"] = "v_prediction";
  }
  if (golden_name == "euler_ancestral") sampler = "euler_a";
  for (auto it = extra.begin(); it != extra.end(); ++it) cfg[it.key()] = it.value();
  return make_scheduler(sampler, cfg);
}

void add_names() {
  QTest::addColumn<QString>("name");
  for (const char* n : {"ddim", "ddim_v", "ddpm", "euler", "euler_v", "euler_ancestral", "dpmpp_2m", "dpmpp_2m_karras",
                        "pndm", "unipc"})
    QTest::newRow(n) << QString::fromLatin1(n);
}

bool is_euler(const std::string& n) { return n.rfind("euler", 0) == 0; }

std::string list_text(const torch::Tensor& t) {
  std::ostringstream os;
  os << t.to(torch::kFloat64).flatten().slice(0, 0, std::min<int64_t>(8, t.numel()));
  return os.str();
}

double max_rel(const torch::Tensor& a, const torch::Tensor& b) {
  auto a64 = a.to(torch::kFloat64);
  auto b64 = b.to(torch::kFloat64);
  return (a64 - b64).abs().max().item<double>() / std::max(b64.abs().max().item<double>(), 1e-30);
}

}  // namespace

class TestSchedulers : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void noise_tables() {
    TESSERA_REQUIRE_GOLDEN(dir);
    const auto g = load_golden(dir);
    auto s = build(g, "ddpm");
    const auto& ns = s->noise_schedule();
    TESSERA_EXPECT_CLOSE(ns.betas(), g.file->get("betas"), 0.0, 1e-7, "betas");
    TESSERA_EXPECT_CLOSE(ns.alphas_cumprod(), g.file->get("alphas_cumprod"), 0.0, 1e-7, "alphas_cumprod");
    TESSERA_EXPECT_CLOSE(ns.snr(), g.file->get("snr"), 0.0, 1e-6, "snr");
    qInfo("betas max|diff| = %g, alphas_cumprod max|diff| = %g",
          (ns.betas() - g.file->get("betas")).abs().max().item<double>(),
          (ns.alphas_cumprod() - g.file->get("alphas_cumprod")).abs().max().item<double>());
    QCOMPARE(ns.betas().scalar_type(), torch::kFloat32);
    QCOMPARE(ns.alphas_cumprod().scalar_type(), torch::kFloat32);
  }

  void ddpm_training_helpers() {
    TESSERA_REQUIRE_GOLDEN(dir);
    const auto g = load_golden(dir);
    NoiseSchedule ns(resolve_config(SchedulerClass::DDPM, g.meta["sd2_base_published_scheduler_config"]));
    const auto x0 = g.file->get("ddpm.add_noise.original");
    const auto noise = g.file->get("ddpm.add_noise.noise");
    const auto t = g.file->get("ddpm.add_noise.timesteps");
    TESSERA_EXPECT_CLOSE(ns.add_noise(x0, noise, t), g.file->get("ddpm.add_noise.out"), 0.0, 1e-6, "add_noise");
    TESSERA_EXPECT_CLOSE(ns.get_velocity(x0, noise, t), g.file->get("ddpm.get_velocity.out"), 0.0, 1e-6,
                         "get_velocity");
    // The velocity is not the noised sample: a swapped formula would fail one of the two checks.
    QVERIFY(max_rel(ns.add_noise(x0, noise, t), g.file->get("ddpm.get_velocity.out")) > 0.1);
  }

  void timesteps_and_sigmas_data() { add_names(); }
  void timesteps_and_sigmas() {
    QFETCH(QString, name);
    TESSERA_REQUIRE_GOLDEN(dir);
    const auto g = load_golden(dir);
    const std::string n = name.toStdString();
    auto s = build(g, n);
    const json& info = g.meta["schedulers"][n];
    for (int steps : {20, 50}) {
      s->set_timesteps(steps);
      const std::string key = n + ".timesteps_" + std::to_string(steps);
      const auto expected = g.file->get(key);
      QCOMPARE(s->timesteps().scalar_type(), expected.scalar_type());
      if (is_euler(n)) {
        TESSERA_EXPECT_CLOSE(s->timesteps(), expected, 1e-4, 0.0, key);
      } else {
        QVERIFY2(torch::equal(s->timesteps(), expected),
                 (key + ": " + list_text(s->timesteps()) + " != " + list_text(expected)).c_str());
      }
      QCOMPARE(s->num_model_calls(), expected.size(0));
      const std::string skey = n + ".sigmas_" + std::to_string(steps);
      if (g.file->contains(skey)) {
        QVERIFY2(s->sigmas().defined(), skey.c_str());
        TESSERA_EXPECT_CLOSE(s->sigmas(), g.file->get(skey), 0.0, 1e-6, skey);
      } else {
        QVERIFY(!s->sigmas().defined());
      }
      const double ins = info["init_noise_sigma_" + std::to_string(steps)].get<double>();
      QVERIFY2(std::abs(s->init_noise_sigma() - ins) <= 1e-6 * ins,
               (n + ": init_noise_sigma " + std::to_string(s->init_noise_sigma()) + " != " + std::to_string(ins)).c_str());
    }
  }

  void timesteps_by_spacing_data() { add_names(); }
  void timesteps_by_spacing() {
    QFETCH(QString, name);
    TESSERA_REQUIRE_GOLDEN(dir);
    const auto g = load_golden(dir);
    const std::string n = name.toStdString();
    const json& by = g.meta["schedulers"][n]["timesteps_by_spacing"];
    for (auto it = by.begin(); it != by.end(); ++it) {
      auto s = build(g, n, {{"timestep_spacing", it.key()}});
      for (auto jt = it.value().begin(); jt != it.value().end(); ++jt) {
        s->set_timesteps(std::stoi(jt.key()));
        const auto expected = jt.value().get<std::vector<double>>();
        const auto actual = to_double_vector(s->timesteps());
        QCOMPARE(actual.size(), expected.size());
        for (size_t i = 0; i < expected.size(); ++i) {
          const double tol = is_euler(n) ? 1e-4 : 0.0;
          QVERIFY2(std::abs(actual[i] - expected[i]) <= tol,
                   (n + " " + it.key() + " " + jt.key() + " steps: index " + std::to_string(i) + ": " +
                    std::to_string(actual[i]) + " != " + std::to_string(expected[i]))
                       .c_str());
        }
      }
    }
  }

  // The class defaults diffusers filled in for keys absent from the SD2 config.
  void resolved_config_data() { add_names(); }
  void resolved_config() {
    QFETCH(QString, name);
    TESSERA_REQUIRE_GOLDEN(dir);
    const auto g = load_golden(dir);
    const std::string n = name.toStdString();
    auto s = build(g, n);
    const json mine = to_json(s->config());
    const json& ref = g.meta["schedulers"][n]["config"];
    QCOMPARE(QString::fromStdString(mine["_class_name"].get<std::string>()),
             QString::fromStdString(g.meta["schedulers"][n]["class"].get<std::string>()));
    int compared = 0;
    for (auto it = mine.begin(); it != mine.end(); ++it) {
      if (it.key() == "_class_name") continue;
      QVERIFY2(ref.contains(it.key()), (n + ": diffusers has no key " + it.key()).c_str());
      const json& r = ref[it.key()];
      const bool same = r == it.value() || (r.is_number() && it.value().is_number() &&
                                            std::abs(r.get<double>() - it.value().get<double>()) <= 1e-12);
      QVERIFY2(same, (n + ": " + it.key() + " = " + it.value().dump() + ", diffusers " + r.dump()).c_str());
      ++compared;
    }
    QVERIFY(compared >= 8);
  }

  void trajectory_data() { add_names(); }
  void trajectory() {
    QFETCH(QString, name);
    TESSERA_REQUIRE_GOLDEN(dir);
    const auto g = load_golden(dir);
    const std::string n = name.toStdString();
    auto s = build(g, n);
    s->set_timesteps(20);
    const auto ts = g.file->get(n + ".traj.timesteps");
    const auto xs = g.file->get(n + ".traj.x");
    const auto scaled = g.file->get(n + ".traj.scaled_model_input");
    const auto outputs = g.file->get(n + ".traj.model_output");
    const bool has_x0 = g.file->contains(n + ".traj.pred_original_sample");
    const bool stochastic = g.file->contains(n + ".traj.noise");
    QCOMPARE(s->is_stochastic(), stochastic);
    QCOMPARE(s->num_model_calls(), ts.size(0));

    torch::Tensor x = xs[0].clone();
    double worst_step = 0, worst_x0 = 0, worst_scaled = 0;
    for (int64_t i = 0; i < s->num_model_calls(); ++i) {
      const double t = s->timestep_at(i);
      QCOMPARE(t, ts[i].item<double>());
      auto xi = s->scale_model_input(x, t);
      TESSERA_EXPECT_CLOSE(xi, scaled[i], 0.0, 1e-5, n + " scaled_model_input[" + std::to_string(i) + "]");
      worst_scaled = std::max(worst_scaled, max_rel(xi, scaled[i]));
      torch::Tensor noise;
      if (stochastic) noise = g.file->get(n + ".traj.noise")[i];
      auto out = s->step(outputs[i], t, x, nullptr, stochastic ? &noise : nullptr);
      QCOMPARE(out.pred_original_sample.defined(), has_x0);
      if (has_x0) {
        const auto ref = g.file->get(n + ".traj.pred_original_sample")[i];
        TESSERA_EXPECT_CLOSE(out.pred_original_sample, ref, 0.0, 1e-5, n + " pred_original_sample[" + std::to_string(i) + "]");
        worst_x0 = std::max(worst_x0, max_rel(out.pred_original_sample, ref));
      }
      x = out.prev_sample;
      TESSERA_EXPECT_CLOSE(x, xs[i + 1], 0.0, 1e-5, n + " x[" + std::to_string(i + 1) + "]");
      worst_step = std::max(worst_step, max_rel(x, xs[i + 1]));
    }
    TESSERA_EXPECT_CLOSE(x, xs[xs.size(0) - 1], 0.0, 1e-4, n + " final sample");
    qInfo("%s: max rel diff per step x %.3g, pred_x0 %.3g, scaled input %.3g, final %.3g", n.c_str(), worst_step,
          worst_x0, worst_scaled, max_rel(x, xs[xs.size(0) - 1]));
  }

  // A CPU generator seeded like the reference (3002) gives the same noise, drawn in the same order,
  // so the same seed gives the same images as diffusers.
  void generator_reproduces_noise_data() {
    QTest::addColumn<QString>("name");
    QTest::newRow("ddpm") << QStringLiteral("ddpm");
    QTest::newRow("euler_ancestral") << QStringLiteral("euler_ancestral");
  }
  void generator_reproduces_noise() {
    QFETCH(QString, name);
    TESSERA_REQUIRE_GOLDEN(dir);
    const auto g = load_golden(dir);
    const std::string n = name.toStdString();
    const auto stored = g.file->get(n + ".traj.noise");
    // The draws themselves: bitwise.
    {
      at::Generator gen = at::detail::createCPUGenerator(3002);
      for (int64_t i = 0; i < stored.size(0); ++i)
        QVERIFY2(torch::equal(torch::randn({1, 4, 4, 4}, gen), stored[i]), ("noise draw " + std::to_string(i)).c_str());
    }
    // The scheduler drawing from the generator itself reproduces the trajectory.
    auto s = build(g, n);
    s->set_timesteps(20);
    const auto xs = g.file->get(n + ".traj.x");
    const auto outputs = g.file->get(n + ".traj.model_output");
    at::Generator gen = at::detail::createCPUGenerator(3002);
    torch::Tensor x = xs[0].clone();
    for (int64_t i = 0; i < s->num_model_calls(); ++i) {
      const double t = s->timestep_at(i);
      (void)s->scale_model_input(x, t);
      x = s->step(outputs[i], t, x, &gen).prev_sample;
      TESSERA_EXPECT_CLOSE(x, xs[i + 1], 0.0, 1e-5, n + " (generator) x[" + std::to_string(i + 1) + "]");
    }
    // A different seed gives a different result (the noise matters).
    auto s2 = build(g, n);
    s2->set_timesteps(20);
    at::Generator other = at::detail::createCPUGenerator(3003);
    torch::Tensor y = xs[0].clone();
    for (int64_t i = 0; i < s2->num_model_calls(); ++i) {
      const double t = s2->timestep_at(i);
      (void)s2->scale_model_input(y, t);
      y = s2->step(outputs[i], t, y, &other).prev_sample;
    }
    QVERIFY(max_rel(y, xs[xs.size(0) - 1]) > 1e-3);
  }

  // set_timesteps() starts a new generation: a second run gives bitwise the same result.
  void multistep_state_resets_data() {
    QTest::addColumn<QString>("name");
    for (const char* n : {"dpmpp_2m", "unipc", "pndm", "euler"}) QTest::newRow(n) << QString::fromLatin1(n);
  }
  void multistep_state_resets() {
    QFETCH(QString, name);
    TESSERA_REQUIRE_GOLDEN(dir);
    const auto g = load_golden(dir);
    const std::string n = name.toStdString();
    auto s = build(g, n);
    const auto outputs = g.file->get(n + ".traj.model_output");
    const auto x0 = g.file->get(n + ".traj.x")[0];
    auto run = [&]() {
      s->set_timesteps(20);
      torch::Tensor x = x0.clone();
      for (int64_t i = 0; i < s->num_model_calls(); ++i) x = s->step(outputs[i], s->timestep_at(i), x).prev_sample;
      return x;
    };
    const auto a = run();
    const auto b = run();
    QVERIFY(torch::equal(a, b));
    TESSERA_EXPECT_CLOSE(a, g.file->get(n + ".traj.x")[-1], 0.0, 1e-4, n + " rerun");
  }
};

QTEST_GUILESS_MAIN(TestSchedulers)
#include "tst_schedulers.moc"
