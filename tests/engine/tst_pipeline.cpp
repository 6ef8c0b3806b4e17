// The text-to-image pipeline against diffusers' StableDiffusionPipeline on the tiny golden
// models (epsilon and v-prediction): every intermediate, the final latents and the PNG pixels.

#include "tensor_compare.h"
#include "test_support.h"
#include "golden_generation.h"

#include "image/png_io.h"
#include "io/safetensors.h"
#include "pipeline/stable_diffusion_pipeline.h"
#include "tessera/error.h"

using tessera::pipeline::GenerationSettings;
using tessera::pipeline::GenerationTrace;
using tessera::pipeline::StableDiffusionPipeline;

class TestPipeline : public QObject {
  Q_OBJECT

  static GenerationSettings goldenSettings() { return golden_generation_settings(); }

 private Q_SLOTS:
  void matchesDiffusers_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("reference");
    QTest::newRow("epsilon") << QStringLiteral("tiny-sd2") << QStringLiteral("pipeline");
    QTest::newRow("v-prediction") << QStringLiteral("tiny-sd2-v") << QStringLiteral("pipeline_v");
  }
  void matchesDiffusers() {
    QFETCH(QString, model);
    QFETCH(QString, reference);
    TESSERA_REQUIRE_GOLDEN(golden);
    StableDiffusionPipeline pipe((golden + QLatin1Char('/') + model).toStdString());
    tessera::io::SafetensorsFile ref((golden + QStringLiteral("/reference/") + reference + QStringLiteral(".safetensors")).toStdString());
    GenerationTrace trace;
    const auto result = pipe.generate(goldenSettings(), {}, &trace);

    TESSERA_EXPECT_CLOSE(trace.prompt_embeds, ref.get("prompt_embeds"), 1e-5, 1e-4, "prompt_embeds");
    TESSERA_EXPECT_CLOSE(trace.negative_prompt_embeds, ref.get("negative_prompt_embeds"), 1e-5, 1e-4, "negative_prompt_embeds");
    QVERIFY(torch::equal(trace.timesteps.to(torch::kInt64), ref.get("timesteps")));
    QVERIFY2(torch::equal(trace.initial_latents, ref.get("init_noise")), "initial noise must be bitwise equal");
    const auto unet_out = ref.get("unet_out_per_step");
    const auto latents = ref.get("latents_per_step");
    QCOMPARE(static_cast<int64_t>(trace.unet_outputs.size()), unet_out.size(0));
    for (int64_t i = 0; i < unet_out.size(0); ++i) {
      TESSERA_EXPECT_CLOSE(trace.unet_outputs[i], unet_out[i], 0.0, 1e-4, "unet output step " + std::to_string(i));
      TESSERA_EXPECT_CLOSE(trace.latents_per_step[i][0], latents[i], 0.0, 1e-4, "latents step " + std::to_string(i));
    }
    TESSERA_EXPECT_CLOSE(trace.final_latents, ref.get("final_latents"), 0.0, 1e-4, "final latents");
    TESSERA_EXPECT_CLOSE(trace.decoded, ref.get("vae_decode_raw"), 1e-4, 1e-4, "vae decode");
    TESSERA_EXPECT_CLOSE(result.images_float, ref.get("image_float"), 1e-3, 0.0, "image_float");
    const auto diff = (result.images_uint8[0].to(torch::kInt32) - ref.get("image_uint8_hwc").to(torch::kInt32)).abs().max().item<int>();
    QVERIFY2(diff <= 1, qPrintable(QStringLiteral("PNG pixels differ by %1").arg(diff)));
    const auto png = tessera::image::read_png((golden + QStringLiteral("/reference/") + reference + QStringLiteral("_image.png")).toStdString());
    const auto from_png = torch::from_blob(const_cast<uint8_t*>(png.pixels.data()), {png.height, png.width, 3}, torch::kUInt8);
    QVERIFY((result.images_uint8[0].to(torch::kInt32) - from_png.to(torch::kInt32)).abs().max().item<int>() <= 1);
  }

  void batchAndSamplersRunAndAreDeterministic_data() {
    QTest::addColumn<QString>("sampler");
    for (const char* s : {"ddim", "ddpm", "pndm", "euler", "euler_a", "dpmpp_2m", "dpmpp_2m_karras", "unipc"}) {
      QTest::newRow(s) << QString::fromLatin1(s);
    }
  }
  void batchAndSamplersRunAndAreDeterministic() {
    QFETCH(QString, sampler);
    TESSERA_REQUIRE_GOLDEN(golden);
    StableDiffusionPipeline pipe((golden + QStringLiteral("/tiny-sd2")).toStdString());
    GenerationSettings s = goldenSettings();
    s.sampler = sampler.toStdString();
    s.steps = 4;
    s.batch = 2;
    s.width = 24;  // 12x12 latents: not a multiple of the UNet's downsampling
    const auto a = pipe.generate(s);
    const auto b = pipe.generate(s);
    QCOMPARE(a.images_uint8.sizes(), (torch::IntArrayRef{2, 32, 24, 3}));
    QVERIFY(torch::equal(a.images_uint8, b.images_uint8));
    QVERIFY(!torch::equal(a.images_uint8[0], a.images_uint8[1]));  // the batch draws different noise
  }

  void img2imgStartsFromTheImage() {
    TESSERA_REQUIRE_GOLDEN(golden);
    StableDiffusionPipeline pipe((golden + QStringLiteral("/tiny-sd2")).toStdString());
    GenerationSettings s = goldenSettings();
    auto gen = at::detail::createCPUGenerator(5);
    s.init_image = torch::rand({1, 3, 32, 32}, gen) * 2 - 1;
    int calls = 0;
    s.strength = 0.5;
    GenerationTrace trace;
    pipe.generate(s, [&](const tessera::pipeline::StepState& st) { calls = static_cast<int>(st.total); return true; }, &trace);
    QCOMPARE(calls, 5);  // strength 0.5 of 10 steps
    QCOMPARE(trace.timesteps[0].item<int64_t>(), int64_t(401));
  }

  void cancelStopsAfterTheCurrentStep() {
    TESSERA_REQUIRE_GOLDEN(golden);
    StableDiffusionPipeline pipe((golden + QStringLiteral("/tiny-sd2")).toStdString());
    int steps = 0;
    QVERIFY_THROWS_EXCEPTION(tessera::Cancelled,
                             pipe.generate(goldenSettings(), [&](const tessera::pipeline::StepState& st) {
                               steps = static_cast<int>(st.step);
                               return st.step < 3;
                             }));
    QCOMPARE(steps, 3);
  }

  void badSettingsAreRefused_data() {
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("steps");
    QTest::addColumn<QString>("sampler");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("odd width") << 33 << 10 << QString() << QStringLiteral("multiples of 2");
    QTest::newRow("zero steps") << 32 << 0 << QString() << QStringLiteral("steps");
    QTest::newRow("unknown sampler") << 32 << 10 << QStringLiteral("heun") << QStringLiteral("heun");
    QTest::newRow("too many DDIM steps") << 32 << 1000 << QString() << QStringLiteral("1000 steps is too many");
  }
  void badSettingsAreRefused() {
    QFETCH(int, width);
    QFETCH(int, steps);
    QFETCH(QString, sampler);
    QFETCH(QString, mentions);
    TESSERA_REQUIRE_GOLDEN(golden);
    StableDiffusionPipeline pipe((golden + QStringLiteral("/tiny-sd2")).toStdString());
    GenerationSettings s = goldenSettings();
    s.width = width;
    s.steps = steps;
    s.sampler = sampler.toStdString();
    try {
      pipe.generate(s);
      QFAIL("no error");
    } catch (const tessera::Error& e) {
      QVERIFY2(QString::fromUtf8(e.what()).contains(mentions), e.what());
    }
  }

  void missingModelIsAClearError() {
    try {
      StableDiffusionPipeline pipe("/nonexistent/model");
      QFAIL("no error");
    } catch (const tessera::Error& e) {
      QVERIFY(QString::fromUtf8(e.what()).contains(QStringLiteral("/nonexistent/model")));
    }
  }
};

QTEST_GUILESS_MAIN(TestPipeline)
#include "tst_pipeline.moc"
