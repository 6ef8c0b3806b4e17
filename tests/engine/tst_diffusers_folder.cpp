// Diffusers folders out: a loaded pipeline saved in the layout diffusers' save_pretrained writes
// (compared file by file with the golden folders that diffusers itself wrote), reloaded with equal
// tensors and an identical generation; fp16/bf16 saves; refusal to overwrite; atomicity.

#include "tensor_compare.h"
#include "test_support.h"

#include "io/diffusers_folder.h"
#include "io/safetensors.h"
#include "models/unet_2d_condition.h"
#include "pipeline/stable_diffusion_pipeline.h"
#include "tessera/error.h"

#include <QTemporaryDir>

#include <filesystem>
#include <fstream>
#include <set>

namespace fs = std::filesystem;
using tessera::io::DiffusersSaveOptions;
using tessera::pipeline::GenerationSettings;
using tessera::pipeline::StableDiffusionPipeline;

namespace {

std::set<std::string> relative_files(const fs::path& root) {
  std::set<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file()) out.insert(fs::relative(e.path(), root).string());
  return out;
}

std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

GenerationSettings shortSettings() {
  GenerationSettings s;
  s.prompt = "a red cube on a table";
  s.negative_prompt = "blurry";
  s.steps = 4;
  s.width = 32;
  s.height = 32;
  s.seed = 77;
  return s;
}

}  // namespace

class TestDiffusersFolder : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void savedFolderEqualsTheOriginal_data() {
    QTest::addColumn<QString>("model");
    QTest::newRow("epsilon") << QStringLiteral("tiny-sd2");
    QTest::newRow("v-prediction") << QStringLiteral("tiny-sd2-v");
  }
  void savedFolderEqualsTheOriginal() {
    QFETCH(QString, model);
    TESSERA_REQUIRE_GOLDEN(golden);
    const fs::path original = (golden + QLatin1Char('/') + model).toStdString();
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const fs::path saved = fs::path(tmp.path().toStdString()) / "saved";

    StableDiffusionPipeline pipe(original.string());
    pipe.save(saved.string());

    // The same files, and every non-weight file byte for byte what diffusers wrote (configs:
    // sorted keys, indent 2, trailing newline; tokenizer files unchanged).
    QCOMPARE(relative_files(saved), relative_files(original));
    for (const auto& rel : relative_files(original)) {
      if (ends_with(rel, ".safetensors")) continue;
      QVERIFY2(file_bytes(saved / rel) == file_bytes(original / rel), rel.c_str());
    }
    // Every config key and value (also checked structurally, so a formatting-only difference
    // would still name the file).
    for (const auto& rel : relative_files(original)) {
      if (!ends_with(rel, "config.json") && rel != "model_index.json") continue;
      QVERIFY2(tessera::io::read_json_object((saved / rel).string()) ==
                   tessera::io::read_json_object((original / rel).string()),
               rel.c_str());
    }
    // Weights: the same keys, dtypes, shapes, values and metadata as the diffusers files.
    for (const auto& rel : relative_files(original)) {
      if (!ends_with(rel, ".safetensors")) continue;
      tessera::io::SafetensorsFile a((saved / rel).string());
      tessera::io::SafetensorsFile b((original / rel).string());
      QCOMPARE(a.names(), b.names());
      QCOMPARE(a.metadata().at("format"), std::string("pt"));
      for (const auto& name : b.names()) {
        QCOMPARE(a.dtype(name), b.dtype(name));
        QCOMPARE(a.shape(name), b.shape(name));
        QVERIFY2(torch::equal(a.get(name), b.get(name)), (rel + ": " + name).c_str());
      }
    }

    // The reloaded pipeline generates the identical image.
    StableDiffusionPipeline reloaded(saved.string());
    const auto x = pipe.generate(shortSettings());
    const auto y = reloaded.generate(shortSettings());
    QVERIFY(torch::equal(x.images_uint8, y.images_uint8));
    QVERIFY(torch::equal(x.images_float, y.images_float));
  }

  void halfPrecisionHalvesTheWeights_data() {
    QTest::addColumn<QString>("dtype");
    QTest::newRow("fp16") << QStringLiteral("F16");
    QTest::newRow("bf16") << QStringLiteral("BF16");
  }
  void halfPrecisionHalvesTheWeights() {
    QFETCH(QString, dtype);
    TESSERA_REQUIRE_GOLDEN(golden);
    const fs::path original = (golden + QStringLiteral("/tiny-sd2")).toStdString();
    QTemporaryDir tmp;
    const fs::path saved = fs::path(tmp.path().toStdString()) / "half";
    StableDiffusionPipeline pipe(original.string());
    DiffusersSaveOptions options;
    options.dtype = dtype == QStringLiteral("F16") ? torch::kFloat16 : torch::kBFloat16;
    pipe.save(saved.string(), options);

    for (const char* rel : {"unet/diffusion_pytorch_model.safetensors", "vae/diffusion_pytorch_model.safetensors",
                            "text_encoder/model.safetensors"}) {
      tessera::io::SafetensorsFile half((saved / rel).string());
      tessera::io::SafetensorsFile full((original / rel).string());
      QCOMPARE(half.data_bytes() * 2, full.data_bytes());
      for (const auto& name : full.names()) {
        QCOMPARE(half.dtype(name), dtype.toStdString());
        QVERIFY2(torch::equal(half.get(name), full.get(name).to(options.dtype)), name.c_str());
      }
    }
    const auto te = tessera::io::read_json_object((saved / "text_encoder/config.json").string());
    QCOMPARE(te.at("torch_dtype").get<std::string>(),
             std::string(dtype == QStringLiteral("F16") ? "float16" : "bfloat16"));
    // Loadable again (weights converted to the models' float32 on load).
    StableDiffusionPipeline reloaded(saved.string());
    const auto y = reloaded.generate(shortSettings());
    QCOMPARE(y.images_uint8.size(1), int64_t(32));
  }

  void refusesToOverwriteANonEmptyFolder() {
    TESSERA_REQUIRE_GOLDEN(golden);
    StableDiffusionPipeline pipe((golden + QStringLiteral("/tiny-sd2")).toStdString());
    QTemporaryDir tmp;
    const fs::path target = fs::path(tmp.path().toStdString()) / "existing";
    fs::create_directories(target);
    { std::ofstream(target / "keep.txt") << "mine"; }

    QVERIFY_THROWS_EXCEPTION(tessera::Error, pipe.save(target.string()));
    QCOMPARE(file_bytes(target / "keep.txt"), std::string("mine"));
    QCOMPARE(relative_files(fs::path(tmp.path().toStdString())).size(), size_t(1));  // no temp folder left

    // An existing empty folder is fine; overwrite replaces a non-empty one as a whole.
    const fs::path empty = fs::path(tmp.path().toStdString()) / "empty";
    fs::create_directories(empty);
    pipe.save(empty.string());
    QVERIFY(fs::exists(empty / "model_index.json"));
    DiffusersSaveOptions overwrite;
    overwrite.overwrite = true;
    pipe.save(target.string(), overwrite);
    QVERIFY(!fs::exists(target / "keep.txt"));
    QVERIFY(fs::exists(target / "unet" / "diffusion_pytorch_model.safetensors"));
  }

  void failedSaveLeavesNoHalfFolder() {
    TESSERA_REQUIRE_GOLDEN(golden);
    StableDiffusionPipeline pipe((golden + QStringLiteral("/tiny-sd2")).toStdString());
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();

    // A failure injected after the text encoder's weights were written (mid-way through).
    DiffusersSaveOptions failing;
    std::vector<std::string> written;
    failing.on_file_written = [&](const std::string& rel) {
      written.push_back(rel);
      if (rel == "text_encoder/model.safetensors") throw tessera::Error("disk full (injected)");
    };
    QVERIFY_THROWS_EXCEPTION(tessera::Error, pipe.save((root / "new").string(), failing));
    QVERIFY(written.size() > 3);
    QVERIFY(!fs::exists(root / "new"));
    QVERIFY(fs::is_empty(root));  // the temporary sibling folder is gone too

    // Over an existing folder with overwrite: the old folder stays exactly as it was.
    const fs::path old = root / "old";
    fs::create_directories(old);
    { std::ofstream(old / "keep.txt") << "mine"; }
    failing.overwrite = true;
    QVERIFY_THROWS_EXCEPTION(tessera::Error, pipe.save(old.string(), failing));
    QCOMPARE(relative_files(root), (std::set<std::string>{"old/keep.txt"}));
  }

  void savesOneComponent() {
    TESSERA_REQUIRE_GOLDEN(golden);
    const std::string original = (golden + QStringLiteral("/tiny-sd2/unet")).toStdString();
    auto unet = tessera::models::load_unet(original);
    QTemporaryDir tmp;
    const fs::path out = fs::path(tmp.path().toStdString()) / "unet";
    tessera::io::save_diffusers_component(out.string(), tessera::io::DiffusersComponent::UNet, *unet,
                                          tessera::io::read_json_object(original + "/config.json"));
    QCOMPARE(relative_files(out), (std::set<std::string>{"config.json", "diffusion_pytorch_model.safetensors"}));
    QCOMPARE(file_bytes(out / "config.json"), file_bytes(fs::path(original) / "config.json"));
    auto reloaded = tessera::models::load_unet(out.string());
    const auto a = unet->named_parameters();
    const auto b = reloaded->named_parameters();
    QCOMPARE(a.size(), b.size());
    for (const auto& p : a) QVERIFY2(torch::equal(p.value(), b[p.key()]), p.key().c_str());
  }

  void readerRefusesPickleWeights() {
    TESSERA_REQUIRE_GOLDEN(golden);
    QTemporaryDir tmp;
    const fs::path copy = fs::path(tmp.path().toStdString()) / "model";
    fs::copy((golden + QStringLiteral("/tiny-sd2")).toStdString(), copy, fs::copy_options::recursive);
    fs::permissions(copy, fs::perms::owner_all, fs::perm_options::add);  // the golden files are read-only
    for (const auto& e : fs::recursive_directory_iterator(copy))
      fs::permissions(e.path(), e.is_directory() ? fs::perms::owner_all : fs::perms::owner_write, fs::perm_options::add);
    fs::rename(copy / "unet" / "diffusion_pytorch_model.safetensors", copy / "unet" / "diffusion_pytorch_model.bin");
    try {
      (void)tessera::io::open_diffusers_folder(copy.string());
      QFAIL("a folder with pickle weights was accepted");
    } catch (const tessera::Error& e) {
      QVERIFY2(std::string(e.what()).find("pickle") != std::string::npos, e.what());
      QVERIFY2(e.hint().find("safetensors") != std::string::npos, e.hint().c_str());
    }
    fs::remove(copy / "unet" / "diffusion_pytorch_model.bin");
    QVERIFY_THROWS_EXCEPTION(tessera::Error, (void)tessera::io::open_diffusers_folder(copy.string()));
  }

  void configTextIsWhatPythonWrites() {
    nlohmann::json j = nlohmann::json::parse(R"({"b": [1, 2], "a": 1e-05, "_c": null, "u": "\u00e9", "e": []})");
    QCOMPARE(tessera::io::config_json_text(j),
             std::string("{\n  \"_c\": null,\n  \"a\": 1e-05,\n  \"b\": [\n    1,\n    2\n  ],\n  \"e\": [],\n"
                         "  \"u\": \"\\u00e9\"\n}\n"));
  }
};

QTEST_GUILESS_MAIN(TestDiffusersFolder)
#include "tst_diffusers_folder.moc"
