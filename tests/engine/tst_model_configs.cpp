// UNet / VAE config.json parsing (published SD2-base and tiny configs accepted, unsupported
// values and unknown keys refused by name) and the sinusoidal timestep embedding.

#include "models/autoencoder_kl.h"
#include "models/embeddings.h"
#include "models/unet_2d_condition.h"
#include "tensor_compare.h"
#include "test_support.h"
#include "tessera/error.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <QtTest/QtTest>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace {

std::string read_file(const QString& path) {
  std::ifstream in(path.toStdString());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The error message of `fn`, or "" when it does not throw tessera::Error.
template <typename Fn>
std::string error_of(Fn&& fn) {
  try {
    fn();
  } catch (const tessera::Error& e) {
    return e.what();
  }
  return {};
}

}  // namespace

class TestModelConfigs : public QObject {
  Q_OBJECT

  QString golden_;

 private Q_SLOTS:
  void initTestCase() {
    TESSERA_REQUIRE_GOLDEN(dir);
    golden_ = dir;
  }

  void publishedSD2UNetConfig() {
    const auto c = tessera::models::load_unet_config((golden_ + "/sd2-base-configs/unet/config.json").toStdString());
    QCOMPARE(c.block_out_channels, (std::vector<int64_t>{320, 640, 1280, 1280}));
    QCOMPARE(c.num_attention_heads, (std::vector<int64_t>{5, 10, 20, 20}));  // heads, not head dim
    QCOMPARE(c.cross_attention_dim, (std::vector<int64_t>{1024, 1024, 1024, 1024}));
    QCOMPARE(c.layers_per_block, (std::vector<int64_t>{2, 2, 2, 2}));
    QVERIFY(c.use_linear_projection);
    QVERIFY(!c.upcast_attention);  // absent in the old config: diffusers' default
    QCOMPARE(c.sample_size, int64_t(64));
    QCOMPARE(c.time_embed_dim(), int64_t(1280));
    QCOMPARE(c.downsampling_factor(), int64_t(8));
  }

  void tinyUNetConfig() {
    const auto c = tessera::models::load_unet_config((golden_ + "/tiny-sd2/unet/config.json").toStdString());
    QCOMPARE(c.num_attention_heads, (std::vector<int64_t>{2, 4}));
    QCOMPARE(c.norm_num_groups, int64_t(8));
    QCOMPARE(c.up_block_types, (std::vector<std::string>{"UpBlock2D", "CrossAttnUpBlock2D"}));
  }

  void publishedSD2VAEConfig() {
    const auto c = tessera::models::load_vae_config((golden_ + "/sd2-base-configs/vae/config.json").toStdString());
    QCOMPARE(c.scaling_factor, 0.18215);  // absent in the published file
    QCOMPARE(c.block_out_channels, (std::vector<int64_t>{128, 256, 512, 512}));
    QCOMPARE(c.spatial_factor(), int64_t(8));
    QCOMPARE(c.layers_per_block, int64_t(2));
  }

  void unetConfigErrorsNameTheKey_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");  // JSON; "DELETE" removes the key
    QTest::addColumn<QString>("expected");
    QTest::newRow("time scale shift") << "resnet_time_scale_shift" << "\"scale_shift\"" << "resnet_time_scale_shift";
    QTest::newRow("unknown key") << "frobnicate_attention" << "true" << "frobnicate_attention";
    QTest::newRow("short block_out_channels") << "block_out_channels" << "[32]" << "block_out_channels";
    QTest::newRow("long head list") << "attention_head_dim" << "[2, 4, 8]" << "attention_head_dim";
    QTest::newRow("heads do not divide") << "attention_head_dim" << "[3, 4]" << "attention_head_dim";
    QTest::newRow("long layers list") << "layers_per_block" << "[1, 1, 1]" << "layers_per_block";
    QTest::newRow("up types length") << "up_block_types" << "[\"UpBlock2D\"]" << "up_block_types";
    QTest::newRow("down block type") << "down_block_types" << "[\"AttnDownBlock2D\", \"DownBlock2D\"]"
                                     << "AttnDownBlock2D";
    QTest::newRow("mid block type") << "mid_block_type" << "\"UNetMidBlock2DSimpleCrossAttn\"" << "mid_block_type";
    QTest::newRow("class embedding") << "class_embed_type" << "\"timestep\"" << "class_embed_type";
    QTest::newRow("addition embedding") << "addition_embed_type" << "\"text_time\"" << "addition_embed_type";
    QTest::newRow("num_attention_heads") << "num_attention_heads" << "8" << "num_attention_heads";
    QTest::newRow("act_fn") << "act_fn" << "\"gelu\"" << "act_fn";
    QTest::newRow("only cross attention") << "only_cross_attention" << "[true, false]" << "only_cross_attention";
    QTest::newRow("dual cross attention") << "dual_cross_attention" << "true" << "dual_cross_attention";
    QTest::newRow("fourier time") << "time_embedding_type" << "\"fourier\"" << "time_embedding_type";
    QTest::newRow("norm groups null") << "norm_num_groups" << "null" << "norm_num_groups";
    QTest::newRow("wrong type") << "in_channels" << "\"four\"" << "in_channels";
    QTest::newRow("other class") << "_class_name" << "\"UNet2DModel\"" << "_class_name";
  }
  void unetConfigErrorsNameTheKey() {
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QString, expected);
    auto j = nlohmann::json::parse(read_file(golden_ + "/tiny-sd2/unet/config.json"));
    j[key.toStdString()] = nlohmann::json::parse(value.toStdString());
    const auto msg = error_of([&] { tessera::models::parse_unet_config(j.dump()); });
    qInfo("%s", msg.c_str());
    QVERIFY2(!msg.empty(), "expected a tessera::Error");
    QVERIFY2(msg.find(expected.toStdString()) != std::string::npos, msg.c_str());
  }

  void vaeConfigErrorsNameTheKey_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::newRow("unknown key") << "quantize_latents" << "true";
    QTest::newRow("latents_mean") << "latents_mean" << "[0.1, 0.2, 0.3, 0.4]";
    QTest::newRow("block type") << "down_block_types" << "[\"DownEncoderBlock2D\", \"AttnDownEncoderBlock2D\"]";
    QTest::newRow("list length") << "up_block_types" << "[\"UpDecoderBlock2D\"]";
    QTest::newRow("act_fn") << "act_fn" << "\"relu\"";
  }
  void vaeConfigErrorsNameTheKey() {
    QFETCH(QString, key);
    QFETCH(QString, value);
    auto j = nlohmann::json::parse(read_file(golden_ + "/tiny-sd2/vae/config.json"));
    j[key.toStdString()] = nlohmann::json::parse(value.toStdString());
    const auto msg = error_of([&] { tessera::models::parse_vae_config(j.dump()); });
    qInfo("%s", msg.c_str());
    QVERIFY2(!msg.empty(), "expected a tessera::Error");
    QVERIFY2(msg.find(key.toStdString()) != std::string::npos, msg.c_str());
  }

  void vaeOptionalKeys() {
    auto j = nlohmann::json::parse(read_file(golden_ + "/tiny-sd2/vae/config.json"));
    j["shift_factor"] = 0.1159;
    j["latents_mean"] = nullptr;
    j["use_quant_conv"] = false;
    const auto c = tessera::models::parse_vae_config(j.dump());
    QCOMPARE(c.shift_factor, 0.1159);
    QVERIFY(!c.use_quant_conv);
    tessera::models::AutoencoderKL vae(c);
    int has_quant = 0;
    for (const auto& p : vae->named_parameters()) has_quant += p.key().rfind("quant_conv.", 0) == 0;
    QCOMPARE(has_quant, 0);
  }

  void convProjectionVariant() {
    // use_linear_projection false (SD1-style): proj_in / proj_out are 1x1 convolutions.
    auto j = nlohmann::json::parse(read_file(golden_ + "/tiny-sd2/unet/config.json"));
    j["use_linear_projection"] = false;
    tessera::models::UNet2DConditionModel unet(tessera::models::parse_unet_config(j.dump()));
    const auto params = unet->named_parameters();
    const auto* w = params.find("down_blocks.0.attentions.0.proj_in.weight");
    QVERIFY(w != nullptr);
    QCOMPARE(w->sizes().vec(), (std::vector<int64_t>{32, 32, 1, 1}));
    QCOMPARE(params.find("mid_block.attentions.0.proj_out.weight")->sizes().vec(),
             (std::vector<int64_t>{64, 64, 1, 1}));
    torch::NoGradGuard ng;
    std::map<std::string, torch::Tensor> acts;
    auto out = unet->forward(torch::randn({1, 4, 8, 8}), torch::tensor({3}), torch::randn({1, 77, 32}), &acts);
    QCOMPARE(out.sizes().vec(), (std::vector<int64_t>{1, 4, 8, 8}));
    QCOMPARE(acts.at("down_blocks.0.attentions.0.proj_in").sizes().vec(), (std::vector<int64_t>{1, 32, 8, 8}));
  }

  void skipSizesWhenTheLatentDoesNotDivide() {
    // Three levels (factor 4), as SD with a 40 px image and a factor-4 VAE: 10 -> 5 -> 3 -> 5 -> 10.
    auto j = nlohmann::json::parse(read_file(golden_ + "/tiny-sd2/unet/config.json"));
    j["block_out_channels"] = {32, 32, 64};
    j["attention_head_dim"] = {2, 2, 4};
    j["down_block_types"] = {"CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"};
    j["up_block_types"] = {"UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"};
    tessera::models::UNet2DConditionModel unet(tessera::models::parse_unet_config(j.dump()));
    torch::NoGradGuard ng;
    std::map<std::string, torch::Tensor> acts;
    auto out = unet->forward(torch::randn({1, 4, 10, 10}), torch::tensor({10}), torch::randn({1, 77, 32}), &acts);
    QCOMPARE(out.sizes().vec(), (std::vector<int64_t>{1, 4, 10, 10}));
    QCOMPARE(acts.at("down_blocks.0.downsamplers.0").size(2), int64_t(5));
    QCOMPARE(acts.at("mid_block").size(2), int64_t(3));
    QCOMPARE(acts.at("up_blocks.0").size(2), int64_t(5));
    QCOMPARE(acts.at("up_blocks.1").size(2), int64_t(10));
  }

  void timestepEmbeddingFormula() {
    // dim 6, flip: [cos(t w_i) | sin(t w_i)], w_i = exp(-ln(10000) i / 3).
    auto t = torch::tensor({0.0, 1.0, 999.0});
    auto e = tessera::models::timestep_embedding(t, 6, /*flip_sin_to_cos=*/true, 0.0);
    QCOMPARE(e.sizes().vec(), (std::vector<int64_t>{3, 6}));
    for (int r = 0; r < 3; ++r)
      for (int i = 0; i < 3; ++i) {
        const double tv = t[r].item<double>(), w = std::exp(-std::log(10000.0) * i / 3.0);
        QVERIFY(std::abs(e[r][i].item<double>() - std::cos(tv * w)) < 1e-3);
        QVERIFY(std::abs(e[r][i + 3].item<double>() - std::sin(tv * w)) < 1e-3);
      }
    auto odd = tessera::models::timestep_embedding(torch::tensor({5}), 7, false, 1.0);
    QCOMPARE(odd.size(1), int64_t(7));
    QCOMPARE(odd[0][6].item<double>(), 0.0);
    QVERIFY(std::abs(odd[0][0].item<double>() - std::sin(5.0)) < 1e-6);  // exponent 0 -> frequency 1
  }
};

QTEST_GUILESS_MAIN(TestModelConfigs)
#include "tst_model_configs.moc"
