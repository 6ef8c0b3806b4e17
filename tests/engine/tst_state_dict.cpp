// Loading weights into a module by its own parameter/buffer names: strict and lenient loads,
// renames, ignored and prefixed keys, shape mismatches, and the pickle refusal.

#include "io/state_dict.h"
#include "tessera/error.h"

#include <torch/torch.h>

#include <QFile>
#include <QTemporaryDir>
#include <QtTest/QtTest>

namespace {

using tessera::io::LoadOptions;
using tessera::io::SafetensorsFile;

// attn.{to_q,to_k}.{weight,bias}, norm.{weight,bias} and a buffer "scale".
struct AttnImpl : torch::nn::Module {
  torch::nn::Linear to_q{nullptr}, to_k{nullptr};
  AttnImpl() {
    to_q = register_module("to_q", torch::nn::Linear(3, 2));
    to_k = register_module("to_k", torch::nn::Linear(3, 2));
  }
};
TORCH_MODULE(Attn);

struct TinyImpl : torch::nn::Module {
  Attn attn{nullptr};
  torch::nn::LayerNorm norm{nullptr};
  torch::Tensor scale;
  TinyImpl() {
    attn = register_module("attn", Attn());
    norm = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({2})));
    scale = register_buffer("scale", torch::ones({2}));
  }
};
TORCH_MODULE(Tiny);

std::vector<std::pair<std::string, torch::Tensor>> random_weights(int64_t q_out = 2) {
  return {{"attn.to_q.weight", torch::randn({q_out, 3})}, {"attn.to_q.bias", torch::randn({q_out})},
          {"attn.to_k.weight", torch::randn({2, 3})},     {"attn.to_k.bias", torch::randn({2})},
          {"norm.weight", torch::randn({2})},             {"norm.bias", torch::randn({2})},
          {"scale", torch::randn({2})}};
}

std::vector<std::pair<std::string, torch::Tensor>> renamed(std::vector<std::pair<std::string, torch::Tensor>> w,
                                                           const std::string& from, const std::string& to) {
  for (auto& [k, v] : w)
    if (auto pos = k.find(from); pos != std::string::npos) k.replace(pos, from.size(), to);
  return w;
}

std::string load_error(Tiny& model, const std::string& path, const LoadOptions& options = {}) {
  try {
    (void)tessera::io::load_state_dict(*model, SafetensorsFile(path), options);
  } catch (const tessera::Error& e) {
    return e.what();
  }
  return {};
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

class TestStateDict : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::string path(const char* name) const { return dir_.filePath(QString::fromLatin1(name)).toStdString(); }

 private Q_SLOTS:
  void saveThenLoadRestoresEveryParameterAndBuffer() {
    torch::manual_seed(1);
    Tiny source;
    source->scale.fill_(4.0);
    tessera::io::save_state_dict(*source, path("tiny.safetensors"), {{"step", "12"}});
    const SafetensorsFile file(path("tiny.safetensors"));
    QCOMPARE(file.metadata().at("format"), std::string("pt"));
    QCOMPARE(file.metadata().at("step"), std::string("12"));
    QCOMPARE(file.names().size(), size_t(7));

    torch::manual_seed(2);
    Tiny target;
    QVERIFY(!torch::equal(target->attn->to_q->weight, source->attn->to_q->weight));
    const auto report = tessera::io::load_state_dict(*target, file);
    QCOMPARE(report.loaded.size(), size_t(7));
    QVERIFY(report.missing.empty());
    QVERIFY(report.unexpected.empty());
    QVERIFY(torch::equal(target->attn->to_q->weight, source->attn->to_q->weight));
    QVERIFY(torch::equal(target->norm->bias, source->norm->bias));
    QVERIFY(torch::equal(target->scale, source->scale));
    QVERIFY(target->attn->to_q->weight.requires_grad());  // still a trainable parameter
  }

  void strictLoadListsMissingAndUnexpectedKeys() {
    auto w = random_weights();
    w.erase(w.begin() + 1);  // attn.to_q.bias
    w.emplace_back("extra.weight", torch::zeros({1}));
    tessera::io::save_safetensors(path("partial.safetensors"), w);
    Tiny model;
    const auto before = model->attn->to_k->weight.clone();
    const std::string error = load_error(model, path("partial.safetensors"));
    QVERIFY2(contains(error, "1 missing (attn.to_q.bias)"), error.c_str());
    QVERIFY2(contains(error, "1 unexpected (extra.weight)"), error.c_str());
    QVERIFY2(torch::equal(model->attn->to_k->weight, before), "a failed strict load changed the model");
  }

  void lenientLoadReportsAndCopiesTheRest() {
    auto w = random_weights();
    w.erase(w.begin() + 1);
    w.emplace_back("extra.weight", torch::zeros({1}));
    tessera::io::save_safetensors(path("partial2.safetensors"), w);
    Tiny model;
    LoadOptions options;
    options.strict = false;
    const auto report = tessera::io::load_state_dict(*model, SafetensorsFile(path("partial2.safetensors")), options);
    QCOMPARE(report.missing, std::vector<std::string>{"attn.to_q.bias"});
    QCOMPARE(report.unexpected, std::vector<std::string>{"extra.weight"});
    QCOMPARE(report.loaded.size(), size_t(6));
    QVERIFY(torch::equal(model->attn->to_k->weight, w[1].second));  // attn.to_k.weight
  }

  void shapeMismatchAlwaysThrowsNamingBothShapes() {
    tessera::io::save_safetensors(path("shape.safetensors"), random_weights(4));
    Tiny model;
    LoadOptions lenient;
    lenient.strict = false;
    for (const LoadOptions& options : {LoadOptions{}, lenient}) {
      const std::string error = load_error(model, path("shape.safetensors"), options);
      QVERIFY2(contains(error, "shape mismatch for 'attn.to_q."), error.c_str());
      QVERIFY2(contains(error, "[4, 3]") || contains(error, "[4]"), error.c_str());
      QVERIFY2(contains(error, "[2, 3]") || contains(error, "[2]"), error.c_str());
    }
  }

  void renamesMapOldFileKeys() {
    tessera::io::save_safetensors(path("old.safetensors"), renamed(random_weights(), ".to_q.", ".query."));
    Tiny model;
    QVERIFY(contains(load_error(model, path("old.safetensors")), "missing"));
    LoadOptions options;
    options.renames = {{".query.", ".to_q."}};
    const auto report = tessera::io::load_state_dict(*model, SafetensorsFile(path("old.safetensors")), options);
    QCOMPARE(report.loaded.size(), size_t(7));
    const SafetensorsFile file(path("old.safetensors"));
    QVERIFY(torch::equal(model->attn->to_q->bias, file.get("attn.query.bias")));
  }

  void twoFileKeysForOneParameterAreRefused() {
    auto w = random_weights();
    w.emplace_back("attn.query.bias", torch::zeros({2}));
    tessera::io::save_safetensors(path("dup.safetensors"), w);
    Tiny model;
    LoadOptions options;
    options.renames = {{".query.", ".to_q."}};
    const std::string error = load_error(model, path("dup.safetensors"), options);
    QVERIFY2(contains(error, "both map to 'attn.to_q.bias'"), error.c_str());
  }

  void ignoredKeysAreSkipped() {
    auto w = random_weights();
    w.emplace_back("text_model.embeddings.position_ids", torch::arange(77));
    tessera::io::save_safetensors(path("ignore.safetensors"), w);
    Tiny model;
    QVERIFY(contains(load_error(model, path("ignore.safetensors")), "text_model.embeddings.position_ids"));
    LoadOptions options;
    options.ignore = {"text_model.embeddings.position_ids"};
    const auto report = tessera::io::load_state_dict(*model, SafetensorsFile(path("ignore.safetensors")), options);
    QCOMPARE(report.loaded.size(), size_t(7));
    QVERIFY(report.unexpected.empty());
  }

  void prefixSelectsAndStripsKeys() {
    auto w = renamed(random_weights(), "attn.", "model.attn.");
    for (auto& [k, v] : w)
      if (k.rfind("model.", 0) != 0) k = "model." + k;
    w.emplace_back("cond_stage_model.proj", torch::zeros({3}));
    tessera::io::save_safetensors(path("prefixed.safetensors"), w);
    Tiny model;
    LoadOptions options;
    options.prefix = "model.";
    const auto report = tessera::io::load_state_dict(*model, SafetensorsFile(path("prefixed.safetensors")), options);
    QCOMPARE(report.loaded.size(), size_t(7));
    QVERIFY(torch::equal(model->scale, w[6].second));
  }

  void valuesAreConvertedToTheParameterDtype() {
    auto w = random_weights();
    for (auto& [k, v] : w) v = v.to(torch::kFloat16);
    tessera::io::save_safetensors(path("half.safetensors"), w);
    Tiny model;
    (void)tessera::io::load_state_dict(*model, SafetensorsFile(path("half.safetensors")));
    QVERIFY(model->norm->weight.scalar_type() == torch::kFloat32);
    QVERIFY(torch::equal(model->norm->weight, w[4].second.to(torch::kFloat32)));
  }

  void pickleCheckpointsAreRefusedWithAConversionHint_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("ckpt extension") << "model.ckpt" << QByteArray("anything");
    QTest::newRow("bin extension") << "pytorch_model.bin" << QByteArray("anything");
    QTest::newRow("pth extension") << "weights.PTH" << QByteArray("anything");
    QTest::newRow("zip magic") << "weights.safetensors" << QByteArray("PK\x03\x04rest", 8);
    QTest::newRow("pickle magic") << "weights.dat" << QByteArray("\x80\x02}q\x00", 5);
  }

  void pickleCheckpointsAreRefusedWithAConversionHint() {
    QFETCH(QString, name);
    QFETCH(QByteArray, content);
    const QString file = dir_.filePath(name);
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(content);
    f.close();
    QVERIFY(tessera::io::looks_like_pickle(file.toStdString()));
    try {
      SafetensorsFile s(file.toStdString());
      QFAIL("a pickle file was opened");
    } catch (const tessera::Error& e) {
      const std::string what = e.what();
      QVERIFY2(contains(what, "PyTorch pickle files are not loaded"), what.c_str());
      QVERIFY2(contains(what, "run arbitrary code"), what.c_str());
      QVERIFY2(contains(e.hint(), "save_file(torch.load('" + file.toStdString() + "', map_location='cpu')"),
               e.hint().c_str());
      QVERIFY2(contains(e.hint(), "safe_serialization=True"), e.hint().c_str());
    }
  }

  void safetensorsFilesAreNotMistakenForPickles() {
    tessera::io::save_safetensors(path("plain.safetensors"), {{"w", torch::ones({1})}});
    QVERIFY(!tessera::io::looks_like_pickle(path("plain.safetensors")));
    tessera::io::refuse_pickle(path("plain.safetensors"));  // does not throw
  }
};

QTEST_GUILESS_MAIN(TestStateDict)
#include "tst_state_dict.moc"
