// Scheduler configs without golden data: class defaults for absent keys (diffusers' from_config),
// data-driven errors that name the key and value, the factory names, Python's -Infinity, img2img
// timesteps and PNDM's PRK warm-up schedule.

#include "schedulers/euler_scheduler.h"
#include "schedulers/pndm_scheduler.h"
#include "schedulers/scheduler.h"
#include "tessera/error.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <QtTest/QtTest>

#include <cmath>
#include <string>

using namespace tessera::schedulers;
using nlohmann::json;

namespace {

// stabilityai/stable-diffusion-2-base scheduler/scheduler_config.json (no timestep_spacing key).
json sd2_config() {
  return json::parse(R"({"_class_name": "PNDMScheduler", "_diffusers_version": "0.10.0.dev0",
    "beta_end": 0.012, "beta_schedule": "scaled_linear", "beta_start": 0.00085, "clip_sample": false,
    "num_train_timesteps": 1000, "prediction_type": "epsilon", "set_alpha_to_one": false,
    "skip_prk_steps": true, "steps_offset": 1, "trained_betas": null})");
}

std::vector<int64_t> int_list(const torch::Tensor& t) {
  auto c = t.to(torch::kLong).contiguous();
  return std::vector<int64_t>(c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel());
}

}  // namespace

class TestSchedulerConfig : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void class_defaults_for_absent_keys_data() {
    QTest::addColumn<QString>("sampler");
    QTest::addColumn<QString>("spacing");
    QTest::addColumn<int>("first_timestep");
    QTest::newRow("ddim") << "ddim" << "leading" << 951;
    QTest::newRow("ddpm") << "ddpm" << "leading" << 951;
    QTest::newRow("pndm") << "pndm" << "leading" << 951;
    QTest::newRow("euler") << "euler" << "linspace" << 999;
    QTest::newRow("euler_a") << "euler_a" << "linspace" << 999;
    QTest::newRow("dpmpp_2m") << "dpmpp_2m" << "linspace" << 999;
    QTest::newRow("dpmpp_2m_karras") << "dpmpp_2m_karras" << "linspace" << 999;
    QTest::newRow("unipc") << "unipc" << "linspace" << 999;
  }
  void class_defaults_for_absent_keys() {
    QFETCH(QString, sampler);
    QFETCH(QString, spacing);
    QFETCH(int, first_timestep);
    auto s = make_scheduler(sampler.toStdString(), sd2_config());
    QCOMPARE(QString::fromStdString(to_string(s->config().timestep_spacing)), spacing);
    QCOMPARE(s->config().steps_offset, int64_t(1));
    QCOMPARE(s->config().beta_schedule, BetaSchedule::ScaledLinear);
    s->set_timesteps(20);
    QCOMPARE(s->timestep_at(0), double(first_timestep));
  }

  void use_default_values_are_treated_as_absent() {
    // A DDIM config saved by diffusers >= 0.22 lists keys that held their default; Euler must then
    // use its own default (linspace), not DDIM's "leading".
    json cfg = sd2_config();
    cfg["_class_name"] = "DDIMScheduler";
    cfg["timestep_spacing"] = "leading";
    cfg["_use_default_values"] = {"timestep_spacing"};
    QCOMPARE(make_scheduler("euler", cfg)->config().timestep_spacing, TimestepSpacing::Linspace);
    QCOMPARE(make_scheduler("ddim", cfg)->config().timestep_spacing, TimestepSpacing::Leading);
    cfg.erase("_use_default_values");
    QCOMPARE(make_scheduler("euler", cfg)->config().timestep_spacing, TimestepSpacing::Leading);
  }

  void factory_by_class_name() {
    json cfg = sd2_config();
    auto pndm = make_scheduler_from_config(cfg);
    QCOMPARE(QString::fromStdString(pndm->class_name()), QStringLiteral("PNDMScheduler"));
    pndm->set_timesteps(20);
    QCOMPARE(pndm->num_model_calls(), int64_t(21));  // skip_prk_steps: N + 1 calls
    QCOMPARE(pndm->timestep_at(1), pndm->timestep_at(2));
    for (const char* cls : {"DDIMScheduler", "DDPMScheduler", "EulerDiscreteScheduler",
                            "EulerAncestralDiscreteScheduler", "DPMSolverMultistepScheduler",
                            "UniPCMultistepScheduler"}) {
      cfg["_class_name"] = cls;
      QCOMPARE(QString::fromStdString(make_scheduler_from_config(cfg)->class_name()), QString::fromLatin1(cls));
    }
  }

  void sampler_names_are_complete() {
    const std::vector<std::string> expected = {"ddim",     "ddpm",     "pndm",           "euler",
                                               "euler_a",  "dpmpp_2m", "dpmpp_2m_karras", "unipc"};
    QCOMPARE(sampler_names(), expected);
    for (const auto& n : sampler_names()) QVERIFY(make_scheduler(n, sd2_config()) != nullptr);
    QCOMPARE(QString::fromStdString(sampler_label("dpmpp_2m_karras")), QStringLiteral("DPM++ 2M Karras"));
    QVERIFY(make_scheduler("dpmpp_2m_karras", sd2_config())->config().use_karras_sigmas);
    json karras = sd2_config();
    karras["_class_name"] = "DPMSolverMultistepScheduler";
    karras["use_karras_sigmas"] = true;
    QVERIFY(!make_scheduler("dpmpp_2m", karras)->config().use_karras_sigmas);
  }

  void config_errors_data() {
    QTest::addColumn<QString>("sampler");  // empty: make_scheduler_from_config
    QTest::addColumn<QString>("patch");    // JSON object merged into the SD2 config
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("unknown sampler") << "heun" << "{}" << QStringList{"heun", "dpmpp_2m_karras", "euler_a"};
    QTest::newRow("beta_schedule") << "ddim" << R"({"beta_schedule": "sigmoid"})"
                                   << QStringList{"beta_schedule", "sigmoid", "scaled_linear"};
    QTest::newRow("thresholding ddim") << "ddim" << R"({"thresholding": true})" << QStringList{"thresholding", "true"};
    QTest::newRow("thresholding dpm") << "dpmpp_2m" << R"({"thresholding": true})"
                                      << QStringList{"thresholding", "true"};
    QTest::newRow("timestep_spacing") << "euler" << R"({"timestep_spacing": "uniform"})"
                                      << QStringList{"timestep_spacing", "uniform"};
    QTest::newRow("prediction_type pndm") << "pndm" << R"({"prediction_type": "sample"})"
                                          << QStringList{"prediction_type", "sample"};
    QTest::newRow("unknown key") << "ddim" << R"({"frobnicate": 3})" << QStringList{"frobnicate"};
    QTest::newRow("algorithm_type") << "" << R"({"_class_name": "DPMSolverMultistepScheduler", "algorithm_type": "sde-dpmsolver++"})"
                                    << QStringList{"algorithm_type", "sde-dpmsolver++"};
    QTest::newRow("class name") << "" << R"({"_class_name": "LMSDiscreteScheduler"})"
                                << QStringList{"LMSDiscreteScheduler", "EulerDiscreteScheduler"};
    QTest::newRow("ddpm learned") << "ddpm" << R"({"variance_type": "learned_range"})"
                                  << QStringList{"variance_type", "learned_range"};
    QTest::newRow("karras exponential") << "euler" << R"({"use_exponential_sigmas": true})"
                                        << QStringList{"use_exponential_sigmas"};
  }
  void config_errors() {
    QFETCH(QString, sampler);
    QFETCH(QString, patch);
    QFETCH(QStringList, expected);
    json cfg = sd2_config();
    cfg.merge_patch(json::parse(patch.toStdString()));
    std::string message;
    try {
      if (sampler.isEmpty())
        (void)make_scheduler_from_config(cfg);
      else
        (void)make_scheduler(sampler.toStdString(), cfg);
    } catch (const tessera::Error& e) {
      message = std::string(e.what()) + " | " + e.hint();
    }
    QVERIFY2(!message.empty(), "expected a tessera::Error");
    for (const auto& part : expected)
      QVERIFY2(message.find(part.toStdString()) != std::string::npos,
               ("\"" + part.toStdString() + "\" not in: " + message).c_str());
  }

  void keys_of_other_classes_are_ignored() {
    // DPM-only keys in a config used for DDIM are ignored (diffusers does the same) ...
    json cfg = sd2_config();
    cfg["algorithm_type"] = "sde-dpmsolver++";
    cfg["solver_order"] = 3;
    auto ddim = make_scheduler("ddim", cfg);
    QCOMPARE(ddim->config().cls, SchedulerClass::DDIM);
    // ... but not for the class that owns them.
    cfg["_class_name"] = "DPMSolverMultistepScheduler";
    QVERIFY_THROWS_EXCEPTION(tessera::Error, (void)make_scheduler_from_config(cfg));
  }

  void python_infinity_is_read() {
    const std::string text = R"({"_class_name": "DPMSolverMultistepScheduler", "lambda_min_clipped": -Infinity,
      "beta_schedule": "scaled_linear", "beta_start": 0.00085, "beta_end": 0.012, "note": "-Infinity stays text"})";
    json j = parse_scheduler_config_text(text);
    QCOMPARE(QString::fromStdString(j["note"].get<std::string>()), QStringLiteral("-Infinity stays text"));
    j.erase("note");
    auto s = make_scheduler_from_config(j);
    QVERIFY(std::isinf(s->config().lambda_min_clipped) && s->config().lambda_min_clipped < 0);
    // A finite clip removes the lowest-SNR timesteps (lambda(999) = log(alpha/sigma) is about -2.7 for SD2).
    j["lambda_min_clipped"] = -2.5;
    auto clipped = make_scheduler_from_config(j);
    clipped->set_timesteps(20);
    s->set_timesteps(20);
    QCOMPARE(s->timestep_at(0), 999.0);
    QVERIFY(clipped->timestep_at(0) < 999.0);
  }

  void img2img_timesteps_follow_diffusers() {
    auto ddim = make_scheduler("ddim", sd2_config());
    ddim->set_timesteps(50);
    auto r = img2img_timesteps(*ddim, 50, 0.75);  // init = 37, t_start = 13
    QCOMPARE(r.t_start, int64_t(13));
    QCOMPARE(r.num_inference_steps, int64_t(37));
    QCOMPARE(r.timesteps.size(0), int64_t(37));
    QCOMPARE(r.timesteps[0].item<int64_t>(), ddim->timesteps()[13].item<int64_t>());

    // Euler starts at begin_index: the model input is scaled with sigma[13], not sigma[0].
    auto euler = make_scheduler("euler", sd2_config());
    euler->set_timesteps(50);
    auto e = img2img_timesteps(*euler, 50, 0.75);
    const float sigma13 = euler->sigmas()[13].item<float>();
    auto x = torch::ones({1, 4, 2, 2});
    auto scaled = euler->scale_model_input(x, e.timesteps[0].item<double>());
    QVERIFY(std::abs(scaled[0][0][0][0].item<float>() - 1.0f / std::sqrt(sigma13 * sigma13 + 1.0f)) < 1e-6f);
    // add_noise at the first img2img timestep uses the same sigma: x0 + sigma * noise.
    auto noisy = euler->add_noise(torch::zeros({1, 4, 2, 2}), torch::ones({1, 4, 2, 2}), e.timesteps.slice(0, 0, 1));
    QVERIFY(std::abs(noisy[0][0][0][0].item<float>() - sigma13) < 1e-6f);

    auto full = img2img_timesteps(*ddim, 50, 1.0);
    QCOMPARE(full.t_start, int64_t(0));
    QCOMPARE(full.timesteps.size(0), int64_t(50));
  }

  void pndm_prk_warmup_schedule() {
    json cfg = sd2_config();
    cfg.erase("skip_prk_steps");  // PNDMScheduler's default: false -> 12 Runge-Kutta calls first
    auto s = make_scheduler("pndm", cfg);
    s->set_timesteps(20);
    const std::vector<int64_t> prk = {951, 926, 926, 901, 901, 876, 876, 851, 851, 826, 826, 801};
    auto ts = int_list(s->timesteps());
    QCOMPARE(ts.size(), size_t(29));
    QCOMPARE(std::vector<int64_t>(ts.begin(), ts.begin() + 12), prk);
    QCOMPARE(ts[12], int64_t(801));
    QCOMPARE(ts.back(), int64_t(1));
    // A run through all 29 calls stays finite and ends near the data scale for a fake model that
    // predicts zero noise (x0 = x / sqrt(acp)).
    torch::Tensor x = torch::randn({1, 4, 4, 4}, at::detail::createCPUGenerator(5));
    for (int64_t i = 0; i < s->num_model_calls(); ++i)
      x = s->step(torch::zeros_like(x), s->timestep_at(i), x).prev_sample;
    QVERIFY(torch::isfinite(x).all().item<bool>());
    auto* pndm = dynamic_cast<PNDMScheduler*>(s.get());
    QVERIFY(pndm != nullptr);
    QCOMPARE(pndm->counter(), int64_t(29));
  }

  void squaredcos_and_linear_betas() {
    json cfg = sd2_config();
    cfg["beta_schedule"] = "squaredcos_cap_v2";
    auto s = make_scheduler("ddpm", cfg);
    const auto& betas = s->noise_schedule().betas();
    QCOMPARE(betas.size(0), int64_t(1000));
    QVERIFY(betas.max().item<float>() <= 0.999f);
    QVERIFY(betas[0].item<float>() < betas[999].item<float>());
    cfg["beta_schedule"] = "linear";
    auto lin = make_scheduler("ddpm", cfg);
    QVERIFY(std::abs(lin->noise_schedule().betas()[0].item<float>() - 0.00085f) < 1e-9f);
    QVERIFY(std::abs(lin->noise_schedule().betas()[999].item<float>() - 0.012f) < 1e-9f);
    cfg["rescale_betas_zero_snr"] = true;
    auto zsnr = make_scheduler("ddim", cfg);
    QVERIFY(zsnr->noise_schedule().alphas_cumprod()[999].item<float>() < 1e-6f);  // zero terminal SNR
  }
};

QTEST_GUILESS_MAIN(TestSchedulerConfig)
#include "tst_scheduler_config.moc"
