// The CLIP text encoder against transformers (golden/reference/text_encoder.safetensors), its
// key layout against the full-size SD2 checkpoint, its config rules and its dtype switch.

#include "tensor_compare.h"
#include "test_support.h"

#include "io/safetensors.h"
#include "models/clip_text_model.h"
#include "tessera/error.h"
#include "text/clip_tokenizer.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <QFile>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using tessera::models::CLIPTextConfig;
using tessera::models::CLIPTextModel;

namespace {

std::string read_all(const QString& path) {
  std::ifstream in(path.toStdString(), std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

QString tiny_dir(const QString& golden) { return golden + QStringLiteral("/tiny-sd2/text_encoder"); }
QString reference_path(const QString& golden) { return golden + QStringLiteral("/reference/text_encoder.safetensors"); }

template <typename Fn>
QString error_of(Fn&& fn) {
  try {
    fn();
  } catch (const tessera::Error& e) {
    return QString::fromStdString(e.what());
  }
  return QString();
}

constexpr double kAtol = 1e-5;
constexpr double kRtol = 1e-4;

}  // namespace

class TestClipTextModel : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { torch::manual_seed(0); }

  void goldenTinyEncoder() {
    TESSERA_REQUIRE_GOLDEN(golden);
    torch::NoGradGuard no_grad;
    auto model = tessera::models::load_clip_text_model(tiny_dir(golden).toStdString());
    QVERIFY(!model->is_training());
    const tessera::io::SafetensorsFile ref(reference_path(golden).toStdString());
    const auto ids = ref.get("input_ids");

    const auto out = model->forward(ids, {}, true);
    qInfo("%s", tessera::test::tensors_close(out.last_hidden_state, ref.get("last_hidden_state"), kAtol, kRtol,
                                              "last_hidden_state").message.c_str());
    TESSERA_EXPECT_CLOSE(out.last_hidden_state, ref.get("last_hidden_state"), kAtol, kRtol, "last_hidden_state");
    TESSERA_EXPECT_CLOSE(out.pooler_output, ref.get("pooler_output"), kAtol, kRtol, "pooler_output");
    QCOMPARE(out.hidden_states.size(), size_t(3));
    for (size_t i = 0; i < out.hidden_states.size(); ++i) {
      const std::string name = "hidden_states." + std::to_string(i);
      TESSERA_EXPECT_CLOSE(out.hidden_states[i], ref.get(name), kAtol, kRtol, name);
    }
    TESSERA_EXPECT_CLOSE(out.hidden_states[0], ref.get("embeddings_output"), kAtol, kRtol, "embeddings_output");

    // What the SD2 pipeline feeds the UNet (clip_skip None) and clip_skip=1.
    TESSERA_EXPECT_CLOSE(model->encode(ids), ref.get("last_hidden_state"), kAtol, kRtol, "encode(clip_skip 0)");
    TESSERA_EXPECT_CLOSE(model->encode(ids, 1), ref.get("penultimate_final_ln"), kAtol, kRtol, "encode(clip_skip 1)");

    const auto masked = model->forward(ids, ref.get("attention_mask")).last_hidden_state;
    TESSERA_EXPECT_CLOSE(masked, ref.get("last_hidden_state_with_attention_mask"), kAtol, kRtol,
                         "last_hidden_state_with_attention_mask");
    // The mask really changes the padded rows (else the comparison above proves nothing).
    QVERIFY((masked - out.last_hidden_state).abs().max().item<double>() > 1e-3);
  }

  void tokenizerFeedsTheEncoderTheReferenceIds() {
    TESSERA_REQUIRE_GOLDEN(golden);
    const tessera::io::SafetensorsFile ref(reference_path(golden).toStdString());
    const auto prompts = nlohmann::json::parse(ref.metadata().at("prompts"));
    QCOMPARE(prompts.size(), size_t(3));
    const auto tok = tessera::CLIPTokenizer::from_folder((golden + "/tiny-sd2/tokenizer").toStdString());
    std::vector<int64_t> ids, mask;
    for (const auto& p : prompts) {
      const auto e = tok.encode_padded(p.get<std::string>(), 77);
      ids.insert(ids.end(), e.input_ids.begin(), e.input_ids.end());
      mask.insert(mask.end(), e.attention_mask.begin(), e.attention_mask.end());
    }
    QVERIFY(torch::equal(torch::tensor(ids).view({3, 77}), ref.get("input_ids")));
    QVERIFY(torch::equal(torch::tensor(mask).view({3, 77}), ref.get("attention_mask")));
  }

  void parametersAreTheCheckpointKeys() {
    TESSERA_REQUIRE_GOLDEN(golden);
    auto model = tessera::models::load_clip_text_model(tiny_dir(golden).toStdString());
    const tessera::io::SafetensorsFile file((tiny_dir(golden) + "/model.safetensors").toStdString());
    QStringList ours, theirs;
    int64_t count = 0;
    for (const auto& p : model->named_parameters(true)) {
      ours << QString::fromStdString(p.key());
      count += p.value().numel();
      QVERIFY(torch::equal(p.value(), file.get(p.key())));
    }
    for (const auto& n : file.names()) theirs << QString::fromStdString(n);
    QCOMPARE(model->named_buffers(true).size(), size_t(0));  // position_ids is not a buffer
    ours.sort();
    QCOMPARE(ours, theirs);
    QCOMPARE(count, int64_t(48106));
  }

  void sd2FullSizeLayout() {
    TESSERA_REQUIRE_GOLDEN(golden);
    const auto config =
        tessera::models::load_clip_text_config((golden + "/sd2-base-configs/text_encoder/config.json").toStdString());
    QCOMPARE(config.num_hidden_layers, int64_t(23));
    QCOMPARE(config.hidden_act, std::string("gelu"));
    QCOMPARE(config.eos_token_id, int64_t(2));
    CLIPTextModel model(config);
    const auto keys = nlohmann::json::parse(read_all(golden + "/sd2-base-configs/state_dict_keys.json"))["text_encoder"];
    const auto params = model->named_parameters(true);
    QCOMPARE(params.size(), keys.size());  // 372; the listing has no position_ids, nor do we
    int64_t count = 0;
    size_t i = 0;
    for (const auto& p : params) {
      const auto& entry = keys[i++];
      QCOMPARE(QString::fromStdString(p.key()), QString::fromStdString(entry[0].get<std::string>()));
      QVERIFY2(p.value().sizes().vec() == entry[1].get<std::vector<int64_t>>(), p.key().c_str());
      count += p.value().numel();
    }
    QCOMPARE(count, int64_t(340387840));
  }

  void configDefaultsAreTransformers() {
    const auto c = tessera::models::parse_clip_text_config("{}");
    QCOMPARE(c.hidden_act, std::string("quick_gelu"));
    QCOMPARE(c.vocab_size, int64_t(49408));
    QCOMPARE(c.hidden_size, int64_t(512));
    QCOMPARE(c.num_hidden_layers, int64_t(12));
    QCOMPARE(c.eos_token_id, int64_t(49407));
    QCOMPARE(c.max_position_embeddings, int64_t(77));
  }

  void configErrorsNameTheKey_data() {
    QTest::addColumn<QString>("json");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("unsupported hidden_act") << R"({"hidden_act": "relu"})" << QStringList{"hidden_act", "relu"};
    QTest::newRow("tanh gelu") << R"({"hidden_act": "gelu_pytorch_tanh"})" << QStringList{"hidden_act", "gelu_pytorch_tanh"};
    QTest::newRow("unknown key") << R"({"hidden_size": 32, "num_attention_heads": 4, "rotary_base": 10000})"
                                 << QStringList{"unknown key", "rotary_base"};
    QTest::newRow("wrong model_type") << R"({"model_type": "clip"})" << QStringList{"model_type", "clip"};
    QTest::newRow("pruned heads") << R"({"pruned_heads": {"0": [1]}})" << QStringList{"pruned_heads"};
    QTest::newRow("heads do not divide") << R"({"hidden_size": 32, "num_attention_heads": 5})"
                                         << QStringList{"num_attention_heads", "hidden_size"};
    QTest::newRow("not an integer") << R"({"hidden_size": "wide"})" << QStringList{"hidden_size", "integer"};
    QTest::newRow("zero layers") << R"({"num_hidden_layers": 0})" << QStringList{"num_hidden_layers", "positive"};
    QTest::newRow("bad dropout") << R"({"attention_dropout": 1.5})" << QStringList{"attention_dropout"};
    QTest::newRow("not json") << R"({"hidden_size": )" << QStringList{"not valid JSON"};
  }

  void configErrorsNameTheKey() {
    QFETCH(QString, json);
    QFETCH(QStringList, expected);
    const QString msg = error_of([&] { (void)tessera::models::parse_clip_text_config(json.toStdString()); });
    QVERIFY2(!msg.isEmpty(), "no tessera::Error");
    for (const auto& e : expected) QVERIFY2(msg.contains(e), qPrintable(msg));
  }

  void informationalKeysAreAccepted() {
    const auto c = tessera::models::parse_clip_text_config(
        R"({"_name_or_path": "x", "architectures": ["CLIPTextModel"], "torch_dtype": "float16",
            "transformers_version": "4.22.0", "model_type": "clip_text_model", "dropout": 0.1,
            "initializer_range": 0.02, "initializer_factor": 1.0, "bos_token_id": 0, "pad_token_id": 1,
            "eos_token_id": 2, "hidden_act": "gelu", "projection_dim": 768})");
    QCOMPARE(c.eos_token_id, int64_t(2));
    QCOMPARE(c.hidden_act, std::string("gelu"));
  }

  void poolingRules() {
    TESSERA_REQUIRE_GOLDEN(golden);
    torch::NoGradGuard no_grad;
    const auto ids = torch::tensor({998, 320, 782, 999, 0, 0, 0, 0}, torch::kLong).view({1, 8});
    auto legacy = tessera::models::load_clip_text_model(tiny_dir(golden).toStdString());
    auto out = legacy->forward(ids);
    QVERIFY(torch::equal(out.pooler_output, out.last_hidden_state.select(1, 3)));  // argmax -> 999 at 3

    // eos_token_id != 2: the first position of eos_token_id (here 320 at 1, not the largest id).
    auto config = legacy->config();
    config.eos_token_id = 320;
    CLIPTextModel first_eos(config);
    const auto src = legacy->named_parameters(true);
    auto dst = first_eos->named_parameters(true);
    for (const auto& p : src) dst[p.key()].copy_(p.value());
    auto out2 = first_eos->forward(ids);
    QVERIFY(torch::equal(out2.last_hidden_state, out.last_hidden_state));
    QVERIFY(torch::equal(out2.pooler_output, out2.last_hidden_state.select(1, 1)));
  }

  void causalMaskHidesTheFuture() {
    TESSERA_REQUIRE_GOLDEN(golden);
    torch::NoGradGuard no_grad;
    auto model = tessera::models::load_clip_text_model(tiny_dir(golden).toStdString());
    const auto a = torch::tensor({998, 320, 782, 657, 999}, torch::kLong).view({1, 5});
    auto b = a.clone();
    b[0][3] = 528;
    const auto ha = model->encode(a), hb = model->encode(b);
    QVERIFY(torch::allclose(ha.narrow(1, 0, 3), hb.narrow(1, 0, 3), 0, 0));
    QVERIFY((ha.narrow(1, 3, 2) - hb.narrow(1, 3, 2)).abs().max().item<double>() > 1e-4);
  }

  void quickGeluIsTheSigmoidForm() {
    CLIPTextConfig config;
    config.hidden_size = 8;
    config.intermediate_size = 12;
    config.hidden_act = "quick_gelu";
    tessera::models::CLIPMLP mlp(config);
    const auto x = torch::randn({2, 3, 8});
    const auto params = mlp->named_parameters(true);
    auto h = torch::nn::functional::linear(x, params["fc1.weight"], params["fc1.bias"]);
    h = h * torch::sigmoid(1.702 * h);
    const auto expected = torch::nn::functional::linear(h, params["fc2.weight"], params["fc2.bias"]);
    TESSERA_EXPECT_CLOSE(mlp->forward(x), expected, 1e-6, 1e-6, "quick_gelu mlp");
    config.hidden_act = "gelu";
    tessera::models::CLIPMLP gelu_mlp(config);
    QVERIFY(!torch::allclose(gelu_mlp->forward(x), mlp->forward(x)));
  }

  void refusesBadInputs() {
    TESSERA_REQUIRE_GOLDEN(golden);
    auto model = tessera::models::load_clip_text_model(tiny_dir(golden).toStdString());
    const QString too_long = error_of([&] { (void)model->encode(torch::zeros({1, 78}, torch::kLong)); });
    QVERIFY2(too_long.contains(QStringLiteral("78 tokens")), qPrintable(too_long));
    const QString skip = error_of([&] { (void)model->encode(torch::zeros({1, 77}, torch::kLong), 2); });
    QVERIFY2(skip.contains(QStringLiteral("clip_skip")), qPrintable(skip));
    bool threw = false;
    try {
      (void)model->encode(torch::zeros({1, 77}, torch::kFloat));
    } catch (const c10::Error&) {
      threw = true;
    }
    QVERIFY(threw);
  }

  void legacyPositionIdsAreIgnoredAndMissingWeightsNamed() {
    TESSERA_REQUIRE_GOLDEN(golden);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QFile::copy(tiny_dir(golden) + "/config.json", dir.filePath("config.json")));
    const QString missing = error_of([&] { (void)tessera::models::load_clip_text_model(dir.path().toStdString()); });
    QVERIFY2(missing.contains(QStringLiteral("model.safetensors")), qPrintable(missing));

    // An old transformers file: the same weights plus the [1, 77] int64 position_ids buffer.
    const tessera::io::SafetensorsFile src((tiny_dir(golden) + "/model.safetensors").toStdString());
    std::vector<std::pair<std::string, torch::Tensor>> tensors;
    for (const auto& n : src.names()) tensors.emplace_back(n, src.get(n));
    tensors.emplace_back("text_model.embeddings.position_ids", torch::arange(77, torch::kLong).view({1, 77}));
    tessera::io::save_safetensors(dir.filePath("model.safetensors").toStdString(), tensors, {{"format", "pt"}});
    auto model = tessera::models::load_clip_text_model(dir.path().toStdString());
    QVERIFY(torch::equal(model->named_parameters(true)["text_model.final_layer_norm.weight"],
                         src.get("text_model.final_layer_norm.weight")));
  }

  void convertsToLowPrecision() {
    TESSERA_REQUIRE_GOLDEN(golden);
    torch::NoGradGuard no_grad;
    const tessera::io::SafetensorsFile ref(reference_path(golden).toStdString());
    const auto ids = ref.get("input_ids");
    const auto expected = ref.get("last_hidden_state");

    auto bf16 = tessera::models::load_clip_text_model(tiny_dir(golden).toStdString());
    bf16->to(torch::kBFloat16);
    for (const auto& p : bf16->parameters()) QCOMPARE(p.scalar_type(), torch::kBFloat16);
    const auto out = bf16->encode(ids);
    QCOMPARE(out.scalar_type(), torch::kBFloat16);
    TESSERA_EXPECT_CLOSE(out.to(torch::kFloat), expected, 0.1, 0.02, "bf16 last_hidden_state");

    auto fp16 = tessera::models::load_clip_text_model(tiny_dir(golden).toStdString());
    fp16->to(torch::kHalf);
    for (const auto& p : fp16->parameters()) QCOMPARE(p.scalar_type(), torch::kHalf);
    if (!torch::cuda::is_available()) QSKIP("fp16 matmul/LayerNorm need CUDA with LibTorch 1.13 (bf16 checked on CPU)");
    fp16->to(torch::kCUDA);
    const auto half = fp16->encode(ids.to(torch::kCUDA));
    QCOMPARE(half.scalar_type(), torch::kHalf);
    TESSERA_EXPECT_CLOSE(half.to(torch::kCPU, torch::kFloat), expected, 0.02, 0.005, "fp16 last_hidden_state");
  }

  void initWeightsFollowsTransformers() {
    CLIPTextConfig config;
    config.hidden_size = 64;
    config.intermediate_size = 256;
    config.num_hidden_layers = 2;
    config.num_attention_heads = 4;
    config.vocab_size = 4000;
    CLIPTextModel model(config);
    model->init_weights();
    auto p = model->named_parameters(true);
    const double tok_std = p["text_model.embeddings.token_embedding.weight"].std().item<double>();
    QVERIFY2(std::abs(tok_std - 0.02) < 0.002, qPrintable(QString::number(tok_std)));
    const double q_std = p["text_model.encoder.layers.0.self_attn.q_proj.weight"].std().item<double>();
    QVERIFY2(std::abs(q_std - 0.0625) < 0.006, qPrintable(QString::number(q_std)));  // 64^-0.5 * 4^-0.5
    QCOMPARE(p["text_model.encoder.layers.1.mlp.fc1.bias"].abs().max().item<double>(), 0.0);
    QCOMPARE(p["text_model.final_layer_norm.weight"].min().item<double>(), 1.0);
  }
};

QTEST_GUILESS_MAIN(TestClipTextModel)
#include "tst_clip_text_model.moc"
