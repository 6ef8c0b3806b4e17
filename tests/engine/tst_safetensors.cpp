// safetensors reading and writing: round trips of every dtype, byte-exact layout against the
// golden Python writer, a corpus of crafted bad files, and the loader's memory use.

#include "io/safetensors.h"
#include "io/safetensors_format.h"
#include "tessera/error.h"

#include "test_support.h"

#include <torch/torch.h>

#include <QFile>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <string>

namespace {

using tessera::io::SafetensorsFile;

QByteArray read_file(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  return f.readAll();
}

bool write_file(const QString& path, const QByteArray& bytes) {
  QFile f(path);
  return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

// A file from raw header text and data bytes, with the length prefix set to `declared`
// (default: the text's real length).
QByteArray craft(const std::string& header, const QByteArray& data = {}, int64_t declared = -1) {
  const uint64_t n = declared < 0 ? header.size() : static_cast<uint64_t>(declared);
  QByteArray out(8, '\0');
  std::memcpy(out.data(), &n, 8);
  out += QByteArray::fromStdString(header);
  out += data;
  return out;
}

// What SafetensorsFile says about `bytes`, or "" when it accepts them.
std::string open_error(const QString& path, const QByteArray& bytes) {
  if (!write_file(path, bytes)) return "cannot write test file";
  try {
    SafetensorsFile f(path.toStdString());
    return {};
  } catch (const tessera::Error& e) {
    return e.what();
  }
}

long status_kb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string prefix = std::string(field) + ":";
  while (std::getline(in, line))
    if (line.rfind(prefix, 0) == 0) return std::stol(line.substr(prefix.size()));
  return -1;
}

}  // namespace

class TestSafetensors : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void roundTripsEveryDtype() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    torch::manual_seed(7);
    std::vector<std::pair<std::string, torch::Tensor>> tensors = {
        {"f64", torch::randn({3, 2}, torch::kFloat64)},
        {"f32", torch::randn({2, 3, 4})},
        {"f16", torch::randn({5}).to(torch::kFloat16)},
        {"bf16", torch::randn({2, 2}).to(torch::kBFloat16)},
        {"i64", torch::randint(-1000000, 1000000, {4}, torch::kInt64)},
        {"i32", torch::randint(-100000, 100000, {2, 2}, torch::kInt32)},
        {"i16", torch::randint(-30000, 30000, {3}, torch::kInt16)},
        {"i8", torch::randint(-128, 127, {7}, torch::kInt8)},
        {"u8", torch::randint(0, 255, {2, 3}, torch::kUInt8)},
        {"bool", torch::rand({9}) > 0.5},
        {"scalar", torch::tensor(3.5)},
        {"empty", torch::zeros({0, 4})},
        {"strided", torch::arange(12, torch::kFloat32).reshape({3, 4}).t()},  // non-contiguous input
    };
    const std::map<std::string, std::string> metadata = {{"format", "pt"}, {"note", "caf\xC3\xA9 \"quoted\""}};
    const std::string path = dir.filePath("all.safetensors").toStdString();
    tessera::io::save_safetensors(path, tensors, metadata);

    const SafetensorsFile file(path);
    QCOMPARE(file.metadata(), metadata);
    const std::vector<std::string> names = file.names();
    QCOMPARE(names.size(), tensors.size());
    QVERIFY(std::is_sorted(names.begin(), names.end()));
    for (const auto& [name, expected] : tensors) {
      QVERIFY2(file.contains(name), name.c_str());
      const torch::Tensor got = file.get(name);
      QVERIFY2(got.scalar_type() == expected.scalar_type(), name.c_str());
      QCOMPARE(got.sizes().vec(), expected.sizes().vec());
      QCOMPARE(file.shape(name), expected.sizes().vec());
      QCOMPARE(file.dtype(name), tessera::io::safetensors_dtype(expected.scalar_type()));
      QVERIFY(got.is_contiguous());
      QVERIFY2(torch::equal(got, expected), name.c_str());
    }
    QCOMPARE(file.dtype("bf16"), std::string("BF16"));
    QCOMPARE(file.get("scalar").dim(), int64_t(0));
    QCOMPARE(file.get("scalar").item<float>(), 3.5f);
    QCOMPARE(file.get("empty").numel(), int64_t(0));
    uint64_t bytes = 0;
    for (const auto& [name, t] : tensors) bytes += t.numel() * t.element_size();
    QCOMPARE(file.data_bytes(), bytes);
    QVERIFY(!file.contains("nope"));
  }

  void headerFollowsTheRustLayout() {
    QTemporaryDir dir;
    const QString path = dir.filePath("layout.safetensors");
    tessera::io::save_safetensors(path.toStdString(),
                                  {{"b", torch::ones({2}, torch::kFloat16)},
                                   {"a", torch::ones({1}, torch::kUInt8)},
                                   {"c", torch::ones({1}, torch::kFloat64)},
                                   {"a16", torch::ones({1}, torch::kBFloat16)}},
                                  {{"format", "pt"}});
    const QByteArray bytes = read_file(path);
    uint64_t n = 0;
    std::memcpy(&n, bytes.constData(), 8);
    QCOMPARE(n % 8, uint64_t(0));
    const std::string expected =
        R"({"__metadata__":{"format":"pt"},"c":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},)"
        R"("a16":{"dtype":"BF16","shape":[1],"data_offsets":[8,10]},)"
        R"("b":{"dtype":"F16","shape":[2],"data_offsets":[10,14]},)"
        R"("a":{"dtype":"U8","shape":[1],"data_offsets":[14,15]}})";
    std::string header = bytes.mid(8, static_cast<int>(n)).toStdString();
    QCOMPARE(header.substr(0, expected.size()), expected);
    QCOMPARE(header.find_first_not_of(' ', expected.size()), std::string::npos);
    QCOMPARE(uint64_t(bytes.size()), 8 + n + 15);
    // Little-endian 1.0 as F64, then BF16 1.0 = 0x3F80.
    QCOMPARE(bytes.mid(8 + static_cast<int>(n), 8), QByteArray("\x00\x00\x00\x00\x00\x00\xF0\x3F", 8));
    QCOMPARE(bytes.mid(16 + static_cast<int>(n), 2), QByteArray("\x80\x3F", 2));
    // Nothing but the file is left in the folder (the temporary was renamed).
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("layout.safetensors")});
  }

  void resavingGoldenFilesIsByteIdentical_data() {
    QTest::addColumn<QString>("file");
    QTest::newRow("unet") << "tiny-sd2/unet/diffusion_pytorch_model.safetensors";
    QTest::newRow("vae") << "tiny-sd2/vae/diffusion_pytorch_model.safetensors";
    QTest::newRow("text_encoder") << "tiny-sd2/text_encoder/model.safetensors";
  }

  void resavingGoldenFilesIsByteIdentical() {
    TESSERA_REQUIRE_GOLDEN(golden);
    QFETCH(QString, file);
    const QString source = golden + QLatin1Char('/') + file;
    const SafetensorsFile in(source.toStdString());
    QVERIFY(in.names().size() > 10);
    std::vector<std::pair<std::string, torch::Tensor>> tensors;
    for (const auto& name : in.names()) tensors.emplace_back(name, in.get(name));
    QTemporaryDir dir;
    const QString out = dir.filePath("resaved.safetensors");
    tessera::io::save_safetensors(out.toStdString(), tensors, in.metadata());
    const QByteArray expected = read_file(source);
    const QByteArray actual = read_file(out);
    QCOMPARE(actual.size(), expected.size());
    QVERIFY2(actual == expected, "re-saved bytes differ from the golden file");
  }

  void parsesABufferWithoutAFile() {
    const std::string header = R"({"x":{"dtype":"I32","shape":[2],"data_offsets":[0,8]}})";
    const QByteArray bytes = craft(header, QByteArray(8, '\1'));
    const auto h = tessera::io::parse_safetensors(reinterpret_cast<const uint8_t*>(bytes.constData()),
                                                  static_cast<size_t>(bytes.size()));
    QCOMPARE(h.tensors.size(), size_t(1));
    QCOMPARE(h.tensors[0].name, std::string("x"));
    QCOMPARE(h.tensors[0].numel(), int64_t(2));
    QCOMPARE(h.data_bytes, uint64_t(8));
    QCOMPARE(h.data_offset, uint64_t(8 + header.size()));
    QVERIFY(h.metadata.empty());
  }

  void rejectsCraftedFiles_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("reason");
    const std::string f32x2 = R"("dtype":"F32","shape":[2])";
    QTest::newRow("empty file") << QByteArray() << "too small";
    QTest::newRow("truncated prefix") << QByteArray("\x10\x00", 2) << "too small";
    QTest::newRow("huge header length") << craft("{}", {}, int64_t(1) << 40) << "exceeds the 100000000-byte limit";
    QTest::newRow("header past end") << craft("{}", {}, 100) << "runs past the end of the file";
    QTest::newRow("truncated data") << craft(R"({"a":{)" + f32x2 + R"(,"data_offsets":[0,8]}})", QByteArray(4, 0))
                                    << "past the data region";
    QTest::newRow("offsets outside") << craft(R"({"a":{)" + f32x2 + R"(,"data_offsets":[100,108]}})", QByteArray(8, 0))
                                     << "past the data region";
    QTest::newRow("overlapping") << craft(R"({"a":{)" + f32x2 + R"(,"data_offsets":[0,8]},"b":{)" + f32x2 +
                                              R"(,"data_offsets":[4,12]}})",
                                          QByteArray(12, 0))
                                 << "overlap";
    QTest::newRow("gap") << craft(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                                  R"("b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})",
                                  QByteArray(12, 0))
                         << "gap in the data region";
    QTest::newRow("trailing bytes") << craft(R"({"a":{)" + f32x2 + R"(,"data_offsets":[0,8]}})", QByteArray(12, 0))
                                    << "trailing bytes";
    QTest::newRow("wrong byte count") << craft(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})",
                                               QByteArray(8, 0))
                                      << "8 bytes for F32 [3], expected 12";
    QTest::newRow("begin after end") << craft(R"({"a":{"dtype":"F32","shape":[0],"data_offsets":[8,4]}})",
                                              QByteArray(8, 0))
                                     << "begin 8 > end 4";
    QTest::newRow("unknown dtype") << craft(R"({"a":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}})",
                                            QByteArray(8, 0))
                                   << "unknown dtype 'F33'";
    QTest::newRow("shape overflow")
        << craft(R"({"a":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,8]}})",
                 QByteArray(8, 0))
        << "overflow";
    QTest::newRow("shape x size overflow")
        << craft(R"({"a":{"dtype":"F64","shape":[4611686018427387904],"data_offsets":[0,8]}})", QByteArray(8, 0))
        << "overflow";
    QTest::newRow("negative dim") << craft(R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})",
                                           QByteArray(8, 0))
                                  << "must be a non-negative integer";
    QTest::newRow("fractional offset") << craft(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8.0]}})",
                                                QByteArray(8, 0))
                                       << "must be a non-negative integer";
    QTest::newRow("missing offsets") << craft(R"({"a":{"dtype":"F32","shape":[2]}})", QByteArray(8, 0))
                                     << "has no \"data_offsets\"";
    QTest::newRow("bad JSON") << craft(R"({"a":{"dtype":)", {}) << "not valid JSON";
    QTest::newRow("non-object") << craft("[1,2]", {}) << "not a JSON object";
    QTest::newRow("entry not an object") << craft(R"({"a":3})", {}) << "entry must be an object";
    QTest::newRow("empty header") << craft("", {}) << "not a JSON object";
    QTest::newRow("duplicate key") << craft(R"({"a":{)" + f32x2 + R"(,"data_offsets":[0,8]},"a":{)" + f32x2 +
                                                R"(,"data_offsets":[0,8]}})",
                                            QByteArray(8, 0))
                                   << "names 'a' more than once";
    QTest::newRow("metadata not strings") << craft(R"({"__metadata__":{"n":1}})", {}) << "must be a string";
    QTest::newRow("deep nesting") << craft("{\"a\":" + std::string(200, '[') + std::string(200, ']') + "}", {})
                                  << "nests deeper";
    QTest::newRow("invalid UTF-8") << craft("{\"\xff\":{}}", {}) << "not valid JSON";
  }

  void rejectsCraftedFiles() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    const QString path = dir.filePath("bad.safetensors");
    const std::string error = open_error(path, bytes);
    QVERIFY2(!error.empty(), "a crafted file was accepted");
    QVERIFY2(error.rfind(path.toStdString() + ": ", 0) == 0, error.c_str());  // names the file
    QVERIFY2(QString::fromStdString(error).contains(reason), error.c_str());
    // The buffer parser (what the fuzzer drives) agrees.
    try {
      (void)tessera::io::parse_safetensors(reinterpret_cast<const uint8_t*>(bytes.constData()),
                                           static_cast<size_t>(bytes.size()));
      QFAIL("parse_safetensors accepted a crafted buffer");
    } catch (const tessera::Error& e) {
      QVERIFY2(QString::fromUtf8(e.what()).contains(reason), e.what());
      QVERIFY(!e.hint().empty());
    }
  }

  void fuzzSeedCorpusIsClassifiedByName() {
    // tests/fuzz/corpus/safetensors: valid-* files parse, bad-* files are refused.
    const QString source = qEnvironmentVariable("TESSERA_SOURCE_DIR");
    if (source.isEmpty()) QSKIP("TESSERA_SOURCE_DIR not set (run through ctest)");
    const QDir corpus(source + QStringLiteral("/tests/fuzz/corpus/safetensors"));
    const QStringList files = corpus.entryList(QDir::Files, QDir::Name);
    QVERIFY(files.size() >= 6);
    QTemporaryDir dir;
    for (const QString& name : files) {
      const std::string error = open_error(dir.filePath(name), read_file(corpus.filePath(name)));
      if (name.startsWith(QLatin1String("valid-"))) {
        QVERIFY2(error.empty(), error.c_str());
      } else {
        QVERIFY2(!error.empty(), qPrintable(name));
      }
    }
  }

  void getNamesAMissingKey() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("one.safetensors").toStdString();
    tessera::io::save_safetensors(path, {{"w", torch::ones({2})}});
    const SafetensorsFile file(path);
    try {
      (void)file.get("unet.missing");
      QFAIL("get() of a missing key did not throw");
    } catch (const tessera::Error& e) {
      QVERIFY2(std::string(e.what()).find("'unet.missing'") != std::string::npos, e.what());
    }
    QVERIFY_THROWS_EXCEPTION(tessera::Error, (void)file.shape("nope"));
  }

  void dtypesWithoutATorchTypeAreReadableButNotLoadable() {
    QTemporaryDir dir;
    const QString path = dir.filePath("u16.safetensors");
    QVERIFY(write_file(path, craft(R"({"u":{"dtype":"U16","shape":[2],"data_offsets":[0,4]}})", QByteArray(4, 1))));
    const SafetensorsFile file(path.toStdString());
    QCOMPARE(file.dtype("u"), std::string("U16"));
    try {
      (void)file.get("u");
      QFAIL("U16 loaded into torch");
    } catch (const tessera::Error& e) {
      QVERIFY2(std::string(e.what()).find("U16") != std::string::npos, e.what());
    }
  }

  void invalidBoolBytesAreRefused() {
    QTemporaryDir dir;
    const QString path = dir.filePath("bool.safetensors");
    QVERIFY(write_file(path, craft(R"({"b":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2]}})",
                                   QByteArray("\x01\x07", 2))));
    const SafetensorsFile file(path.toStdString());
    QVERIFY_THROWS_EXCEPTION(tessera::Error, (void)file.get("b"));
  }

  void missingFileAndFolderAreClearErrors() {
    QTemporaryDir dir;
    const std::string missing = dir.filePath("nope.safetensors").toStdString();
    try {
      SafetensorsFile f(missing);
      QFAIL("opened a missing file");
    } catch (const tessera::Error& e) {
      QVERIFY2(std::string(e.what()).find(missing + ": cannot open") == 0, e.what());
    }
    try {
      SafetensorsFile f(dir.path().toStdString());
      QFAIL("opened a folder");
    } catch (const tessera::Error& e) {
      QVERIFY2(std::string(e.what()).find("is a folder") != std::string::npos, e.what());
    }
  }

  void loadingEverythingCostsAboutTheWeightsInMemory() {
    // Peak RSS while loading all tensors of a 64 MiB file must stay near 64 MiB: the mapped
    // pages are handed back after each copy instead of being counted on top of the copies.
    const int clear = ::open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
    if (clear < 0) QSKIP("cannot reset the peak RSS (/proc/self/clear_refs)");
    QTemporaryDir dir;
    const std::string path = dir.filePath("big.safetensors").toStdString();
    constexpr int kTensors = 16;
    constexpr long kWeightKb = 64 * 1024;
    {
      std::vector<std::pair<std::string, torch::Tensor>> tensors;
      for (int i = 0; i < kTensors; ++i) tensors.emplace_back((i < 10 ? "t0" : "t") + std::to_string(i), torch::full({1024, 1024}, float(i)));
      tessera::io::save_safetensors(path, tensors);
    }
    const long before = status_kb("VmRSS");
    const bool reset = ::write(clear, "5", 1) == 1;  // resets VmHWM to the current RSS
    ::close(clear);
    if (!reset) QSKIP("cannot reset the peak RSS (/proc/self/clear_refs)");
    std::vector<torch::Tensor> loaded;
    {
      const SafetensorsFile file(path);
      for (const auto& name : file.names()) loaded.push_back(file.get(name));
    }
    const long peak = status_kb("VmHWM");
    QCOMPARE(loaded.size(), size_t(kTensors));
    QCOMPARE(loaded[3][5][7].item<float>(), 3.0f);
    const long grown = peak - before;
    const QByteArray msg = QByteArray("peak RSS grew by ") + QByteArray::number(qlonglong(grown)) + " KiB for " +
                           QByteArray::number(qlonglong(kWeightKb)) + " KiB of weights";
    qInfo("%s", msg.constData());
    QVERIFY2(grown < kWeightKb * 5 / 4, msg.constData());
  }
};

QTEST_GUILESS_MAIN(TestSafetensors)
#include "tst_safetensors.moc"
