// The full-size SD2-base UNet and VAE built from the published configs have exactly diffusers'
// parameters: counts (param_counts.json) and every state-dict key with its shape, in order
// (state_dict_keys.json). Builds ~950M fp32 parameters (~3.8 GB).

#include "models/autoencoder_kl.h"
#include "models/unet_2d_condition.h"
#include "test_support.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <QtTest/QtTest>

#include <fstream>
#include <string>
#include <vector>

namespace {

nlohmann::json read_json(const QString& path) {
  std::ifstream in(path.toStdString());
  return nlohmann::json::parse(in);
}

// Compares the module's parameters + buffers with [[key, shape], ...]; returns "" or a message.
std::string compare_keys(torch::nn::Module& m, const nlohmann::json& expected) {
  std::vector<std::pair<std::string, std::vector<int64_t>>> actual;
  for (const auto& p : m.named_parameters()) actual.emplace_back(p.key(), p.value().sizes().vec());
  for (const auto& b : m.named_buffers()) actual.emplace_back(b.key(), b.value().sizes().vec());
  if (actual.size() != expected.size())
    return "key count " + std::to_string(actual.size()) + " != " + std::to_string(expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    const auto key = expected[i][0].get<std::string>();
    const auto shape = expected[i][1].get<std::vector<int64_t>>();
    if (actual[i].first != key) return "key " + std::to_string(i) + ": " + actual[i].first + " != " + key;
    if (actual[i].second != shape) return "shape of " + key + " differs";
  }
  return {};
}

int64_t count(torch::nn::Module& m) {
  int64_t n = 0;
  for (const auto& p : m.parameters()) n += p.numel();
  return n;
}

}  // namespace

class TestSD2Architecture : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void vaeMatchesDiffusers() {
    TESSERA_REQUIRE_GOLDEN(dir);
    const auto counts = read_json(dir + "/sd2-base-configs/param_counts.json")["counts"];
    const auto keys = read_json(dir + "/sd2-base-configs/state_dict_keys.json");
    tessera::models::AutoencoderKL vae(
        tessera::models::load_vae_config((dir + "/sd2-base-configs/vae/config.json").toStdString()));
    QCOMPARE(count(*vae), counts["vae"].get<int64_t>());
    QCOMPARE(count(*vae->encoder()) + count(*vae->named_children()["quant_conv"]),
             counts["vae.encoder+quant_conv"].get<int64_t>());
    const auto msg = compare_keys(*vae, keys["vae"]);
    QVERIFY2(msg.empty(), msg.c_str());
  }

  void unetMatchesDiffusers() {
    TESSERA_REQUIRE_GOLDEN(dir);
    const auto counts = read_json(dir + "/sd2-base-configs/param_counts.json")["counts"];
    const auto keys = read_json(dir + "/sd2-base-configs/state_dict_keys.json");
    tessera::models::UNet2DConditionModel unet(
        tessera::models::load_unet_config((dir + "/sd2-base-configs/unet/config.json").toStdString()));
    QCOMPARE(count(*unet), counts["unet"].get<int64_t>());
    const auto msg = compare_keys(*unet, keys["unet"]);
    QVERIFY2(msg.empty(), msg.c_str());
  }
};

QTEST_GUILESS_MAIN(TestSD2Architecture)
#include "tst_sd2_architecture.moc"
