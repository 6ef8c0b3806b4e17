// MDS shards (engine/src/shards): Python-compatible number and JSON text, float16 rounding,
// encoding names, shard sets written by mosaicml-streaming's own MDSWriter read sample-exact
// (tests/data/mds, see its README), the same samples re-written byte for byte, and damaged or
// crafted sets refused with an error naming the file.

#include "shards/half_convert.h"
#include "shards/mds_encoding.h"
#include "shards/mds_format.h"
#include "shards/mds_hash.h"
#include "shards/mds_reader.h"
#include "shards/mds_writer.h"
#include "shards/python_json.h"
#include "tessera/error.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <numeric>
#include <random>

using namespace tessera::shards;
namespace fs = std::filesystem;

namespace {

std::string data_dir() {
  const QString src = qEnvironmentVariable("TESSERA_SOURCE_DIR", QStringLiteral(TESSERA_TEST_SOURCE_DIR));
  return (src + QStringLiteral("/tests/data/mds")).toStdString();
}

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

void spit(const std::string& path, const std::string& data) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(data.data(), static_cast<std::streamsize>(data.size()));
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    const size_t nl = text.find('\n', start);
    out.push_back(text.substr(start, nl - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

// Canonical text of a JSON line (sorted keys, nlohmann's number printing).
std::string canonical(const std::string& line) { return nlohmann::json::parse(line).dump(); }

// The message of the tessera::Error `fn` throws ("" when it throws none).
std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const tessera::Error& e) {
    return e.what();
  }
  return {};
}

// Copies a fixture set into `to`.
void copy_set(const std::string& name, const std::string& to) {
  fs::copy(data_dir() + "/" + name, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

// The sample rebuilt from its decoded values through the typed setters (what an importer does).
MdsSample rebuild(const MdsSampleView& view, const MdsShardInfo& info) {
  MdsSample s;
  using K = MdsEncoding::Kind;
  for (size_t c = 0; c < info.column_names.size(); ++c) {
    const std::string& name = info.column_names[c];
    const MdsEncoding& e = info.encodings[c];
    const MdsSpan& p = view.payload(c);
    const nlohmann::ordered_json v = mds_payload_to_json(e, p.data, p.size);
    switch (e.kind) {
      case K::kBytes: case K::kJpeg: case K::kPng: case K::kPil: case K::kImageSequence: s.set_bytes(name, view.bytes(name)); break;
      case K::kStr: case K::kStrDecimal: s.set_str(name, view.str(name)); break;
      case K::kJson: s.set_json(name, view.str(name)); break;
      case K::kInt: case K::kSigned: s.set_int(name, v.get<int64_t>()); break;
      case K::kUnsigned: s.set_uint(name, v.get<uint64_t>()); break;
      case K::kFloat: case K::kStrFloat: s.set_float(name, v.get<double>()); break;
      case K::kStrInt:
        if (v.is_string()) s.set_str(name, v.get<std::string>());  // beyond 64 bits: no setter can carry it
        else if (v.is_number_unsigned()) s.set_uint(name, v.get<uint64_t>());
        else s.set_int(name, v.get<int64_t>());
        break;
      case K::kNdArray: s.set_ndarray(name, view.ndarray(name)); break;
    }
  }
  return s;
}

}  // namespace

class TestMds : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void pythonFloatRepr_data() {
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("text");
    QTest::newRow("0.1") << 0.1 << "0.1";
    QTest::newRow("1e-05") << 1e-05 << "1e-05";
    QTest::newRow("0.0001") << 0.0001 << "0.0001";
    QTest::newRow("1e16") << 1e16 << "1e+16";
    QTest::newRow("1e15") << 1e15 << "1000000000000000.0";
    QTest::newRow("123456.789") << 123456.789 << "123456.789";
    QTest::newRow("-2.5e-07") << -2.5e-07 << "-2.5e-07";
    QTest::newRow("1.5e300") << 1.5e300 << "1.5e+300";
    QTest::newRow("denormal") << 5e-324 << "5e-324";
    QTest::newRow("3.0") << 3.0 << "3.0";
    QTest::newRow("-0.0") << -0.0 << "-0.0";
    QTest::newRow("third") << 1.0 / 3.0 << "0.3333333333333333";
    QTest::newRow("2^-20") << std::ldexp(1.0, -20) << "9.5367431640625e-07";
    QTest::newRow("inf") << std::numeric_limits<double>::infinity() << "inf";
    QTest::newRow("nan") << std::numeric_limits<double>::quiet_NaN() << "nan";
  }
  void pythonFloatRepr() {
    QFETCH(double, value);
    QFETCH(QString, text);
    QCOMPARE(QString::fromStdString(python_float_repr(value)), text);
  }

  void pythonJsonDumps() {
    const auto j = nlohmann::ordered_json::parse("{\"z\": [1, 2.5, null, true], \"a\": \"é\\n\\\"\", \"m\": {\"k\": 1e-07}}");
    QCOMPARE(QString::fromStdString(python_json_dumps(j, false)),
             QStringLiteral("{\"z\": [1, 2.5, null, true], \"a\": \"\\u00e9\\n\\\"\", \"m\": {\"k\": 1e-07}}"));
    QCOMPARE(QString::fromStdString(python_json_dumps(j, true)),
             QStringLiteral("{\"a\": \"\\u00e9\\n\\\"\", \"m\": {\"k\": 1e-07}, \"z\": [1, 2.5, null, true]}"));
    QCOMPARE(QString::fromStdString(python_json_dumps(nlohmann::ordered_json("😀"), false)), QStringLiteral("\"\\ud83d\\ude00\""));
  }

  void halfRounding() {
    QCOMPARE(double_to_half(0.1), uint16_t{0x2E66});
    QCOMPARE(double_to_half(1.0), uint16_t{0x3C00});
    QCOMPARE(double_to_half(-2.0), uint16_t{0xC000});
    QCOMPARE(double_to_half(65504.0), uint16_t{0x7BFF});
    QCOMPARE(double_to_half(65519.99), uint16_t{0x7BFF});
    QCOMPARE(double_to_half(65520.0), uint16_t{0x7C00});  // halfway to the next: even -> inf
    QCOMPARE(double_to_half(std::ldexp(1.0, -24)), uint16_t{0x0001});
    QCOMPARE(double_to_half(std::ldexp(1.0, -25)), uint16_t{0x0000});     // tie -> even (0)
    QCOMPARE(double_to_half(std::ldexp(3.0, -25)), uint16_t{0x0002});     // 1.5 units: tie -> even (2)
    QCOMPARE(double_to_half(std::ldexp(1.0, -14) * (1 - 1.0 / 2048)), uint16_t{0x0400});  // rounds up to the smallest normal
    QCOMPARE(double_to_half(1e300), uint16_t{0x7C00});
    QCOMPARE(double_to_half(-1e-300), uint16_t{0x8000});
    // Every finite half survives half -> double -> half.
    for (uint32_t h = 0; h < 0x10000; ++h) {
      if ((h & 0x7C00) == 0x7C00 && (h & 0x3FF)) continue;  // NaN
      QCOMPARE(double_to_half(half_to_double(static_cast<uint16_t>(h))), static_cast<uint16_t>(h));
    }
  }

  void encodingNames() {
    QCOMPARE(parse_mds_encoding("int").size.value(), uint64_t{8});
    QCOMPARE(parse_mds_encoding("float16").size.value(), uint64_t{2});
    QVERIFY(!parse_mds_encoding("str").size);
    QVERIFY(!parse_mds_encoding("ndarray").size);
    QVERIFY(!parse_mds_encoding("ndarray:float32").size);
    QCOMPARE(parse_mds_encoding("ndarray:float16:4,32,32").size.value(), uint64_t{8192});
    QVERIFY(parse_mds_encoding("jpeg:90").kind == MdsEncoding::Kind::kJpeg);
    // streaming 0.11's multi-image encodings: variable-size binary payloads, carried whole.
    for (const char* name : {"jpeg_array", "jpegarray", "list[pil]", "list[jpeg]", "list[png]"}) {
      const MdsEncoding e = parse_mds_encoding(name);
      QVERIFY2(e.kind == MdsEncoding::Kind::kImageSequence && e.is_binary() && !e.size, name);
    }
    QVERIFY(error_of([] { (void)parse_mds_encoding("pkl"); }).find("refused") != std::string::npos);
    for (const char* bad : {"foo", "int:3", "ndarray:float8", "ndarray:float32:0", "ndarray:float32:2,,3", "jpeg:101",
                            "ndarray:uint8:4294967296,4294967296", "str:x", "", "list[str]", "list[jpeg:90]", "jpeg_array:1"}) {
      QVERIFY2(!error_of([bad] { (void)parse_mds_encoding(bad); }).empty(), bad);
    }
  }

  void hashesAsPythonPrintsThem() {
    const uint8_t* abc = reinterpret_cast<const uint8_t*>("abc");
    QCOMPARE(QString::fromStdString(hash_hex("sha1", abc, 3)), QStringLiteral("a9993e364706816aba3e25717850c26c9cd0d89d"));
    QCOMPARE(QString::fromStdString(hash_hex("md5", abc, 3)), QStringLiteral("900150983cd24fb0d6963f7d28e17f72"));
    // python3 -c "import xxhash; print(xxhash.xxh3_64(b'abc').hexdigest(), xxhash.xxh64(b'abc').hexdigest(), xxhash.xxh32(b'abc').hexdigest(), xxhash.xxh128(b'abc').hexdigest())"
    QCOMPARE(QString::fromStdString(hash_hex("xxh3_64", abc, 3)), QStringLiteral("78af5f94892f3950"));
    QCOMPARE(QString::fromStdString(hash_hex("xxh64", abc, 3)), QStringLiteral("44bc2cf5ad770999"));
    QCOMPARE(QString::fromStdString(hash_hex("xxh32", abc, 3)), QStringLiteral("32d153ff"));
    QCOMPARE(QString::fromStdString(hash_hex("xxh128", abc, 3)), QStringLiteral("06b05ab6733a618578af5f94892f3950"));
    // Streamed in uneven chunks: the same digests as in one piece.
    std::string data(300001, '\0');
    std::mt19937 rng(7);
    for (char& c : data) c = static_cast<char>(rng());
    const auto* p = reinterpret_cast<const uint8_t*>(data.data());
    for (const auto& algo : supported_hashes()) {
      HashStream h(algo);
      for (size_t pos = 0, step = 1; pos < data.size(); pos += step, step = step * 3 + 1) {
        h.update(p + pos, std::min(step, data.size() - pos));
      }
      QCOMPARE(QString::fromStdString(h.hex()), QString::fromStdString(hash_hex(algo, p, data.size())));
    }
    QVERIFY(error_of([] { HashStream h("crc32"); }).find("unsupported") != std::string::npos);
  }

  // Every fp16 bit pattern converts exactly (as half_to_double, the reference numpy agrees
  // with), at odd alignments and lengths (the F16C path's 8-value blocks and the scalar tail),
  // and the finite check flags exactly the infinities and NaNs.
  void halfToFloatIsExact() {
    std::string src(2 * 65536 + 1, '\0');
    for (uint32_t h = 0; h < 65536; ++h) {
      src[1 + 2 * h] = static_cast<char>(h & 0xFF);
      src[2 + 2 * h] = static_cast<char>(h >> 8);
    }
    const auto* bytes = reinterpret_cast<const uint8_t*>(src.data()) + 1;  // unaligned
    std::vector<float> out(65536), scalar(65536);
    QVERIFY(!half_to_float_finite(bytes, 65536, out.data()));
    QVERIFY(!half_to_float_finite_scalar(bytes, 65536, scalar.data()));
    QCOMPARE(std::memcmp(out.data(), scalar.data(), 4 * 65536), 0);  // F16C and the scalar loop agree bit for bit
    for (uint32_t h = 0; h < 65536; ++h) {
      const double want = half_to_double(static_cast<uint16_t>(h));
      if (std::isnan(want)) {
        QVERIFY2(std::isnan(out[h]), std::to_string(h).c_str());
      } else {
        QVERIFY2(out[h] == static_cast<float>(want) && std::signbit(out[h]) == std::signbit(want), std::to_string(h).c_str());
      }
    }
    // Finite runs pass; one infinity or NaN anywhere (block or tail) fails the run.
    QVERIFY(half_to_float_finite(bytes, 0x7C00, out.data()));                  // +0 .. 65504
    QVERIFY(half_to_float_finite(bytes + 2 * 0x8000, 0x7C00, out.data()));     // -0 .. -65504
    for (const size_t len : {size_t{1}, size_t{7}, size_t{8}, size_t{9}, size_t{23}}) {
      for (size_t at = 0; at < len; ++at) {
        std::vector<uint16_t> v(len, 0x3C00);  // 1.0
        v[at] = at % 2 ? 0x7C00 : 0xFE01;      // +inf, a negative NaN
        std::vector<float> f(len);
        QVERIFY(!half_to_float_finite(reinterpret_cast<const uint8_t*>(v.data()), len, f.data()));
        v[at] = 0x7BFF;  // 65504
        QVERIFY(half_to_float_finite(reinterpret_cast<const uint8_t*>(v.data()), len, f.data()));
        QCOMPARE(f[at], 65504.0f);
      }
    }
    const float good[3] = {1.0f, -0.0f, 3.4e38f};
    float copy[3];
    QVERIFY(float_copy_finite(reinterpret_cast<const uint8_t*>(good), 3, copy));
    QCOMPARE(std::memcmp(good, copy, sizeof good), 0);
    const float bad[2] = {1.0f, std::numeric_limits<float>::infinity()};
    QVERIFY(!float_copy_finite(reinterpret_cast<const uint8_t*>(bad), 2, copy));
    qInfo("F16C: %s", half_convert_uses_f16c() ? "yes" : "no");
  }

  void readsStreamingShardsSampleExact_data() {
    QTest::addColumn<QString>("set");
    QTest::newRow("plain (24 encodings, 4 shards)") << "plain";
    QTest::newRow("zstd:7 (5 shards)") << "zstd";
  }
  void readsStreamingShardsSampleExact() {
    QFETCH(QString, set);
    const std::string name = set.toStdString();
    const auto expected = lines(slurp(data_dir() + "/" + name + ".expected.jsonl"));
    MdsDataset ds(data_dir() + "/" + name);
    QCOMPARE(ds.num_samples(), uint64_t{expected.size()});
    QVERIFY(ds.num_shards() > 1);
    size_t k = 0;
    for (size_t i = 0; i < ds.num_shards(); ++i) {
      auto shard = ds.load_shard(i);
      for (size_t j = 0; j < shard->size(); ++j, ++k) {
        const std::string mine = shard->sample(j).to_json().dump();
        QCOMPARE(QString::fromStdString(canonical(mine)), QString::fromStdString(canonical(expected[k])));
      }
    }
    QCOMPARE(k, expected.size());
    QCOMPARE(ds.locate(k - 1).first, ds.num_shards() - 1);
  }

  // Samples read by offset with one shard open at a time, the shards visited out of order (each
  // reopened several times), equal those of the whole-shard reading that the fixture checks.
  void readsByOffsetWithFewOpenShards_data() { readsStreamingShardsSampleExact_data(); }
  void readsByOffsetWithFewOpenShards() {
    QFETCH(QString, set);
    const std::string name = set.toStdString();
    const auto expected = lines(slurp(data_dir() + "/" + name + ".expected.jsonl"));
    MdsReadOptions o;
    o.open_shards = 1;
    o.decompressed_cache_bytes = 1;  // only the shard in use
    MdsDataset ds(data_dir() + "/" + name, o);
    std::vector<uint64_t> order(ds.num_samples());
    for (size_t i = 0; i < order.size(); ++i) order[i] = (i * 7 + 3) % order.size();
    QVERIFY(std::gcd(size_t{7}, order.size()) == 1);
    std::string scratch;
    for (int round = 0; round < 2; ++round) {
      for (const uint64_t g : order) {
        const auto [shard, index] = ds.locate(g);
        const auto s = ds.load_shard(shard);
        QCOMPARE(s->in_memory(), name == "zstd");
        const std::string owned = s->sample(index).to_json().dump();
        const std::string scratched = s->sample(index, scratch).to_json().dump();
        QCOMPARE(QString::fromStdString(canonical(owned)), QString::fromStdString(canonical(expected[g])));
        QCOMPARE(scratched, owned);
      }
    }
    QVERIFY(!error_of([&] { (void)ds.load_shard(0)->sample(1000000); }).empty());
  }

  // jpeg_array and list[...] columns (several images in one value): written from bytes, read back
  // byte for byte, dumped as the SHA-1 of the payload like every binary column.
  void multiImageColumnsAreCarriedWhole() {
    QTemporaryDir tmp;
    const std::string dir = tmp.path().toStdString() + "/multi";
    const std::string frames = std::string("\x02\0\0\0\x03\0\0\0\x02\0\0\0", 12) + "abcde";
    const std::string views = "opaque list payload";
    {
      MdsWriter w(dir, {{"frames", "jpeg_array"}, {"id", "int"}, {"views", "list[png]"}});
      w.write(MdsSample().set_bytes("frames", frames).set_int("id", 7).set_bytes("views", views));
      QVERIFY(!error_of([&] { w.write(MdsSample().set_str("frames", "x").set_int("id", 1).set_bytes("views", "")); }).empty());
      (void)w.finish();
    }
    MdsDataset ds(dir);
    QCOMPARE(ds.index().shards[0].column_encodings, (std::vector<std::string>{"jpeg_array", "int", "list[png]"}));
    QVERIFY(!ds.index().shards[0].column_sizes[0]);
    const MdsSampleView s = ds.load_shard(0)->sample(0);
    QCOMPARE(s.bytes("frames"), frames);
    QCOMPARE(s.bytes("views"), views);
    const auto j = s.to_json();
    QCOMPARE(j.at("frames").get<std::string>(), tessera::shards::hash_hex("sha1", reinterpret_cast<const uint8_t*>(frames.data()), frames.size()));
    QCOMPARE(j.at("id").get<int64_t>(), int64_t{7});
  }

  void typedAccessors() {
    MdsDataset ds(data_dir() + "/plain");
    auto shard = ds.load_shard(0);
    const MdsSampleView s = shard->sample(1);
    QCOMPARE(QString::fromStdString(s.str("s")), QString::fromUtf8("Ünïcödé ✓ caption"));
    QCOMPARE(s.int64("i"), std::numeric_limits<int64_t>::max());
    QCOMPARE(s.int64("u8"), int64_t{21});
    QCOMPARE(s.number("sf"), 65504.0);
    const NdArray a = s.ndarray("nd_i32");
    QCOMPARE(QString::fromStdString(a.dtype), QStringLiteral("int32"));
    QCOMPARE(a.shape, std::vector<uint64_t>{2});
    int32_t v[2];
    std::memcpy(v, a.data.data(), 8);
    QCOMPARE(v[0], -5);
    QCOMPARE(v[1], -4);
    QVERIFY(error_of([&] { (void)s.str("i"); }).find("not text") != std::string::npos);
    QVERIFY(error_of([&] { (void)s.bytes("nope"); }).find("no column") != std::string::npos);
  }

  void writesTheSameBytesAsStreaming_data() { readsStreamingShardsSampleExact_data(); }
  void writesTheSameBytesAsStreaming() {
    QFETCH(QString, set);
    const std::string src = data_dir() + "/" + set.toStdString();
    QTemporaryDir tmp;
    const std::string out = tmp.path().toStdString() + "/out";
    MdsDataset ds(src);
    const MdsShardInfo& first = ds.index().shards.front();
    std::vector<MdsColumn> columns;
    for (size_t c = 0; c < first.column_names.size(); ++c) columns.push_back({first.column_names[c], first.column_encodings[c]});
    std::reverse(columns.begin(), columns.end());  // the writer sorts them
    MdsWriterOptions options;
    options.compression = first.compression;
    options.hashes = first.hashes;
    options.size_limit = first.size_limit.value_or(0);
    MdsWriter writer(out, columns, options);
    for (size_t i = 0; i < ds.num_shards(); ++i) {
      auto shard = ds.load_shard(i);
      for (size_t j = 0; j < shard->size(); ++j) writer.write(rebuild(shard->sample(j), shard->info()));
    }
    const MdsWriteSummary done = writer.finish();
    QCOMPARE(done.samples, ds.num_samples());
    QCOMPARE(done.shards, ds.num_shards());
    size_t files = 0;
    for (const auto& entry : fs::directory_iterator(src)) {
      const std::string base = entry.path().filename().string();
      const std::string theirs = slurp(entry.path().string());
      const std::string ours = slurp(out + "/" + base);
      QVERIFY2(ours == theirs, ("differs: " + base).c_str());
      ++files;
    }
    QCOMPARE(static_cast<size_t>(std::distance(fs::directory_iterator(out), fs::directory_iterator())), files);
  }

  void rolloverRule() {
    // streaming: a new shard starts when size_limit < shard_bytes + sample_bytes + 4, where
    // shard_bytes starts at 4 + 4 + len(config). Samples of one fixed 8-byte column.
    QTemporaryDir tmp;
    MdsShardInfo probe;
    probe.column_names = {"x"};
    probe.column_encodings = {"int64"};
    probe.column_sizes = {8};
    probe.size_limit = 1000;
    const uint64_t base = 8 + mds_shard_config_json(probe).size();
    const uint64_t per = 8 + 4;
    const uint64_t fit = (1000 - base) / per;  // samples that fit one shard
    MdsWriterOptions o;
    o.size_limit = 1000;
    MdsWriter w(tmp.path().toStdString(), {{"x", "int64"}}, o);
    for (uint64_t i = 0; i < 2 * fit + 1; ++i) w.write(MdsSample().set_int("x", static_cast<int64_t>(i)));
    QCOMPARE(w.finish().shards, size_t{3});
    MdsDataset ds(tmp.path().toStdString());
    QCOMPARE(ds.index().shards[0].samples, fit);
    QCOMPARE(ds.index().shards[1].samples, fit);
    QCOMPARE(ds.index().shards[2].samples, uint64_t{1});
    QVERIFY(ds.index().shards[0].raw_data.bytes <= 1000);
    QCOMPARE(ds.load_shard(2)->sample(0).int64("x"), static_cast<int64_t>(2 * fit));
  }

  void writerRefusesBadSamples() {
    QTemporaryDir tmp;
    const std::string dir = tmp.path().toStdString() + "/w";
    MdsWriter w(dir, {{"a", "uint8"}, {"s", "str"}, {"n", "ndarray:float32:2"}});
    NdArray good{"float32", {2}, std::string(8, '\0')};
    auto sample = [&] { return MdsSample().set_uint("a", 1).set_str("s", "x").set_ndarray("n", good); };
    w.write(sample());
    QVERIFY(error_of([&] { w.write(sample().set_uint("a", 256)); }).find("does not fit") != std::string::npos);
    QVERIFY(error_of([&] { w.write(sample().set_int("s", 1)); }).find("column 's'") != std::string::npos);
    QVERIFY(error_of([&] { w.write(sample().set_str("zz", "")); }).find("unknown column") != std::string::npos);
    QVERIFY(error_of([&] { w.write(MdsSample().set_uint("a", 1)); }).find("lacks column") != std::string::npos);
    QVERIFY(error_of([&] { w.write(sample().set_str("s", "\xff")); }).find("UTF-8") != std::string::npos);
    QVERIFY(error_of([&] { w.write(sample().set_ndarray("n", NdArray{"float32", {3}, std::string(12, '\0')})); })
                .find("shape") != std::string::npos);
    QVERIFY(error_of([&] { w.write(sample().set_ndarray("n", NdArray{"float64", {2}, std::string(16, '\0')})); })
                .find("dtype") != std::string::npos);
    QCOMPARE(w.samples_written(), uint64_t{1});
    (void)w.finish();
    // A folder that already holds a shard set is refused.
    QVERIFY(error_of([&] { MdsWriter again(dir, {{"a", "int"}}); }).find("already holds") != std::string::npos);
    QVERIFY(!error_of([&] { MdsWriter bad(dir + "2", {{"a", "pkl"}}); }).empty());
    MdsWriterOptions o;
    o.hashes = {"xxh3_64", "sha1"};
    QVERIFY(error_of([&] { MdsWriter bad(dir + "3", {{"a", "int"}}, o); }).find("sorted") != std::string::npos);
    o.hashes = {};
    o.compression = "gz:9";
    QVERIFY(error_of([&] { MdsWriter bad(dir + "4", {{"a", "int"}}, o); }).find("not supported") != std::string::npos);
  }

  void damagedShardsNameTheFile() {
    QTemporaryDir tmp;
    const std::string d = tmp.path().toStdString();
    // A flipped byte: same size, hash mismatch.
    copy_set("plain", d + "/flip");
    std::string shard = slurp(d + "/flip/shard.00002.mds");
    shard[shard.size() / 2] ^= 0x40;
    spit(d + "/flip/shard.00002.mds", shard);
    MdsDataset flipped(d + "/flip");
    std::string e = error_of([&] { (void)flipped.load_shard(2); });
    QVERIFY2(e.find("shard.00002.mds") != std::string::npos && e.find("hash mismatch") != std::string::npos, e.c_str());
    QVERIFY(error_of([&] { (void)flipped.load_shard(1); }).empty());
    // Hashes are checked once per shard that passes, but a shard that failed fails every time.
    e = error_of([&] { (void)flipped.load_shard(2); });
    QVERIFY2(e.find("shard.00002.mds") != std::string::npos && e.find("hash mismatch") != std::string::npos, e.c_str());
    // A shard cut short after the set was opened: its size is checked on every open.
    {
      MdsReadOptions one;
      one.open_shards = 1;
      copy_set("plain", d + "/later");
      MdsDataset later(d + "/later", one);
      QVERIFY(error_of([&] { (void)later.load_shard(3)->sample(0); }).empty());
      (void)later.load_shard(0);  // closes shard 3
      const std::string whole = slurp(d + "/later/shard.00003.mds");
      spit(d + "/later/shard.00003.mds", whole.substr(0, whole.size() - 5));
      e = error_of([&] { (void)later.load_shard(3); });
      QVERIFY2(e.find("shard.00003.mds") != std::string::npos && e.find("truncated") != std::string::npos, e.c_str());
    }
    // Truncated: found when the set is opened.
    copy_set("plain", d + "/cut");
    shard = slurp(d + "/cut/shard.00003.mds");
    spit(d + "/cut/shard.00003.mds", shard.substr(0, shard.size() - 1));
    e = error_of([&] { MdsDataset ds(d + "/cut"); });
    QVERIFY2(e.find("shard.00003.mds") != std::string::npos && e.find("truncated") != std::string::npos, e.c_str());
    // Missing.
    copy_set("zstd", d + "/gone");
    fs::remove(d + "/gone/shard.00001.mds.zstd");
    e = error_of([&] { MdsDataset ds(d + "/gone"); });
    QVERIFY2(e.find("shard.00001.mds.zstd") != std::string::npos && e.find("missing") != std::string::npos, e.c_str());
    // Damaged zstd with the hashes dropped from the index: the decoder notices.
    copy_set("zstd", d + "/zip");
    {
      std::string index = slurp(d + "/zip/index.json");
      MdsIndex parsed = parse_mds_index(reinterpret_cast<const uint8_t*>(index.data()), index.size(), "index");
      for (auto& s : parsed.shards) {
        s.hashes.clear();
        s.raw_data.hashes.clear();
        s.zip_data->hashes.clear();
      }
      spit(d + "/zip/index.json", mds_index_json(parsed));
      std::string z = slurp(d + "/zip/shard.00000.mds.zstd");
      for (size_t i = 20; i < 60; ++i) z[i] = static_cast<char>(0xA5);
      spit(d + "/zip/shard.00000.mds.zstd", z);
    }
    MdsDataset zip(d + "/zip");
    e = error_of([&] { (void)zip.load_shard(0); });
    QVERIFY2(e.find("shard.00000.mds.zstd") != std::string::npos, e.c_str());
    // Offsets out of order (no hashes to catch it first).
    copy_set("plain", d + "/offs");
    {
      std::string index = slurp(d + "/offs/index.json");
      MdsIndex parsed = parse_mds_index(reinterpret_cast<const uint8_t*>(index.data()), index.size(), "index");
      for (auto& s : parsed.shards) {
        s.hashes.clear();
        s.raw_data.hashes.clear();
      }
      spit(d + "/offs/index.json", mds_index_json(parsed));
      std::string raw = slurp(d + "/offs/shard.00000.mds");
      const uint32_t bogus = 0xFFFFFF00u;
      std::memcpy(&raw[8], &bogus, 4);  // offsets[1]
      spit(d + "/offs/shard.00000.mds", raw);
    }
    MdsDataset offs(d + "/offs");
    e = error_of([&] { (void)offs.load_shard(0); });
    QVERIFY2(e.find("shard.00000.mds") != std::string::npos && e.find("not in order") != std::string::npos, e.c_str());
  }

  void craftedIndexesAreRefused_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("reason");
    const QString ok = "{\"column_encodings\": [\"int\"], \"column_names\": [\"a\"], \"column_sizes\": [8], \"compression\": null, \"format\": \"mds\", \"hashes\": [], \"raw_data\": {\"basename\": \"shard.00000.mds\", \"bytes\": 100, \"hashes\": {}}, \"samples\": 2, \"size_limit\": 1000, \"version\": 2, \"zip_data\": null}";
    auto with = [&](const QString& from, const QString& to) {
      QString s = ok;
      s.replace(from, to);
      return QStringLiteral("{\"shards\": [%1], \"version\": 2}").arg(s);
    };
    QTest::newRow("not json") << "{\"shards\": [" << "not valid JSON";
    QTest::newRow("version 1") << "{\"shards\": [], \"version\": 1}" << "version";
    QTest::newRow("deep") << QString(5000, '[') << "nests";
    QTest::newRow("format json") << with("\"format\": \"mds\"", "\"format\": \"json\"") << "format";
    QTest::newRow("path escape") << with("\"shard.00000.mds\"", "\"../../etc/passwd\"") << "basename";
    QTest::newRow("too many samples") << with("\"samples\": 2", "\"samples\": 1000000") << "more samples";
    QTest::newRow("negative") << with("\"samples\": 2", "\"samples\": -2") << "non-negative";
    QTest::newRow("size mismatch") << with("\"column_sizes\": [8]", "\"column_sizes\": [4]") << "size";
    QTest::newRow("lengths") << with("\"column_names\": [\"a\"]", "\"column_names\": [\"a\", \"b\"]") << "length";
    QTest::newRow("pkl") << with("[\"int\"]", "[\"pkl\"]").replace("[8]", "[null]") << "refused";
    QTest::newRow("zip missing") << with("\"compression\": null", "\"compression\": \"zstd:3\"") << "zip_data";
    QTest::newRow("brotli") << with("\"compression\": null", "\"compression\": \"br:11\"") << "not supported";
    QTest::newRow("hash missing") << with("\"hashes\": []", "\"hashes\": [\"sha1\"]") << "lacks";
    QTest::newRow("huge file") << with("\"bytes\": 100", "\"bytes\": 5000000000") << "4 GiB";
  }
  void craftedIndexesAreRefused() {
    QFETCH(QString, text);
    QFETCH(QString, reason);
    const std::string t = text.toStdString();
    const std::string e = error_of([&] { (void)parse_mds_index(reinterpret_cast<const uint8_t*>(t.data()), t.size(), "idx"); });
    QVERIFY2(!e.empty(), "accepted");
    QVERIFY2(e.find(reason.toStdString()) != std::string::npos, e.c_str());
  }

  void zstdDecompressionIsCapped() {
    const std::string big(1 << 20, 'a');
    const std::string z = zstd_compress(reinterpret_cast<const uint8_t*>(big.data()), big.size(), 3);
    QVERIFY(z.size() < 1000);
    QCOMPARE(zstd_decompress(reinterpret_cast<const uint8_t*>(z.data()), z.size(), big.size(), "z").size(), big.size());
    QVERIFY(error_of([&] { (void)zstd_decompress(reinterpret_cast<const uint8_t*>(z.data()), z.size(), 4096, "z"); })
                .find("more than 4096") != std::string::npos);
    QVERIFY(error_of([&] { (void)zstd_decompress(reinterpret_cast<const uint8_t*>(z.data()), z.size() - 3, 1 << 21, "z"); })
                .find("truncated") != std::string::npos);
  }
};

QTEST_GUILESS_MAIN(TestMds)
#include "tst_mds.moc"
