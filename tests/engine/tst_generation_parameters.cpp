// The AUTOMATIC1111 "parameters" text written into generated PNGs.

#include "pipeline/generation_parameters.h"

#include <QtTest/QtTest>

using tessera::GenerationParameters;

class TestGenerationParameters : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void formatsLikeA1111() {
    GenerationParameters p;
    p.prompt = "a red cube on a table";
    p.negative_prompt = "blurry";
    p.sampler = "dpmpp_2m_karras";
    p.steps = 20;
    p.guidance_scale = 7;
    p.seed = 1;
    p.width = 512;
    p.height = 768;
    p.model_name = "sd2-base";
    p.version = "Tessera 0.1.0";
    QCOMPARE(QString::fromStdString(tessera::format_a1111_parameters(p)),
             QStringLiteral("a red cube on a table\nNegative prompt: blurry\n"
                            "Steps: 20, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: 1, "
                            "Size: 512x768, Model: sd2-base, Version: Tessera 0.1.0"));
  }

  void omitsEmptyNegativeAndQuotesSpecialValues() {
    GenerationParameters p;
    p.prompt = "cat";
    p.sampler = "euler_a";
    p.steps = 30;
    p.guidance_scale = 7.5;
    p.seed = 42;
    p.model_name = "my, model: v2";
    p.denoising_strength = 0.75;
    QCOMPARE(QString::fromStdString(tessera::format_a1111_parameters(p)),
             QStringLiteral("cat\nSteps: 30, Sampler: Euler a, CFG scale: 7.5, Seed: 42, Size: 512x512, "
                            "Model: \"my, model: v2\", Denoising strength: 0.75"));
  }

  void parsesWhatItWrites_data() {
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<QString>("negative");
    QTest::newRow("simple") << QStringLiteral("a dog") << QStringLiteral("ugly");
    QTest::newRow("no negative") << QStringLiteral("a dog") << QString();
    QTest::newRow("multi-line") << QStringLiteral("line one\nline two") << QStringLiteral("bad\nworse");
    QTest::newRow("unicode") << QStringLiteral("日本語の猫, 🚀") << QString();
  }
  void parsesWhatItWrites() {
    QFETCH(QString, prompt);
    QFETCH(QString, negative);
    GenerationParameters p;
    p.prompt = prompt.toStdString();
    p.negative_prompt = negative.toStdString();
    p.sampler = "ddim";
    p.steps = 10;
    p.seed = 1234;
    p.model_name = "a, b";
    const auto parsed = tessera::parse_a1111_parameters(tessera::format_a1111_parameters(p));
    QCOMPARE(QString::fromStdString(parsed.prompt), prompt);
    QCOMPARE(QString::fromStdString(parsed.negative_prompt), negative);
    QCOMPARE(parsed.values.at("Steps"), std::string("10"));
    QCOMPARE(parsed.values.at("Sampler"), std::string("DDIM"));
    QCOMPARE(parsed.values.at("Seed"), std::string("1234"));
    QCOMPARE(parsed.values.at("Model"), std::string("a, b"));
  }
};

QTEST_GUILESS_MAIN(TestGenerationParameters)
#include "tst_generation_parameters.moc"
