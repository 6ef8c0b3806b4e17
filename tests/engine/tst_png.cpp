// PNG reading and writing: round trips, text chunks other tools read, defensive decoding.

#include "test_support.h"

#include "image/png_io.h"
#include "io/safetensors.h"
#include "tessera/error.h"

#include <torch/torch.h>

#include <QTemporaryDir>

#include <fstream>
#include <iterator>

using tessera::image::Image;

namespace {

Image gradient(int w, int h, int c) {
  Image im{w, h, c, std::vector<uint8_t>(static_cast<size_t>(w) * h * c)};
  for (size_t i = 0; i < im.pixels.size(); ++i) im.pixels[i] = static_cast<uint8_t>((i * 37) ^ (i >> 3));
  return im;
}

std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

class TestPng : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void roundTripsPixels_data() {
    QTest::addColumn<int>("channels");
    QTest::newRow("grey") << 1;
    QTest::newRow("rgb") << 3;
    QTest::newRow("rgba") << 4;
  }
  void roundTripsPixels() {
    QFETCH(int, channels);
    const Image in = gradient(17, 9, channels);
    const auto bytes = tessera::image::encode_png(in);
    const Image out = tessera::image::decode_png(bytes.data(), bytes.size());
    QCOMPARE(out.width, 17);
    QCOMPARE(out.height, 9);
    QCOMPARE(out.channels, channels);
    QVERIFY(out.pixels == in.pixels);
  }

  void textChunksRoundTripInUtf8() {
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("a.png")).toStdString();
    const std::string latin = "a red cube, on a table\nNegative prompt: blurry\nSteps: 20, Sampler: DDIM, Seed: 1";
    const std::string unicode = "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E prompt \xF0\x9F\x9A\x80";  // 日本語 + emoji
    const std::string accented = "caf\xC3\xA9";                                               // Latin-1 range
    tessera::image::write_png(path, gradient(4, 4, 3), {{"parameters", latin}, {"comment", unicode}, {"title", accented}});
    std::map<std::string, std::string> text;
    tessera::image::read_png(path, &text);
    QCOMPARE(text.at("parameters"), latin);
    QCOMPARE(text.at("comment"), unicode);
    QCOMPARE(text.at("title"), accented);
    // Latin-1 text goes to tEXt (what A1111 readers expect), other text to iTXt.
    const auto bytes = read_bytes(path);
    const std::string raw(bytes.begin(), bytes.end());
    QVERIFY(raw.find("tEXtparameters") != std::string::npos);
    QVERIFY(raw.find("iTXtcomment") != std::string::npos);
    QVERIFY(raw.find("tEXttitle") != std::string::npos);
  }

  void writesAtomically() {
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("b.png")).toStdString();
    tessera::image::write_png(path, gradient(8, 8, 3));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("b.png")});
    QVERIFY_THROWS_EXCEPTION(tessera::Error, tessera::image::write_png(dir.filePath(QStringLiteral("missing/c.png")).toStdString(), gradient(2, 2, 3)));
    QVERIFY_THROWS_EXCEPTION(tessera::Error, tessera::image::encode_png(Image{2, 2, 2, std::vector<uint8_t>(8)}));
    QVERIFY_THROWS_EXCEPTION(tessera::Error, tessera::image::encode_png(Image{2, 2, 3, std::vector<uint8_t>(5)}));
  }

  void badFilesAreErrorsNotCrashes() {
    const auto good = tessera::image::encode_png(gradient(32, 32, 3), {{"parameters", "x"}});
    std::vector<std::vector<uint8_t>> bad;
    bad.push_back({});                                                          // empty
    bad.push_back(std::vector<uint8_t>(good.begin(), good.begin() + 8));        // signature only
    bad.push_back(std::vector<uint8_t>(good.begin(), good.begin() + good.size() / 2));  // truncated
    auto crc = good;
    crc[40] ^= 0xFF;  // inside IHDR/first chunk: CRC mismatch
    bad.push_back(crc);
    auto huge = good;  // IHDR width = 0x7fffffff
    huge[16] = 0x7f; huge[17] = 0xff; huge[18] = 0xff; huge[19] = 0xff;
    bad.push_back(huge);
    auto junk = good;
    for (size_t i = 60; i < junk.size(); i += 7) junk[i] ^= 0x5A;  // corrupt compressed data
    bad.push_back(junk);
    for (size_t i = 0; i < bad.size(); ++i) {
      bool threw = false;
      try {
        tessera::image::decode_png(bad[i].data(), bad[i].size());
      } catch (const tessera::Error&) {
        threw = true;
      }
      QVERIFY2(threw, qPrintable(QStringLiteral("case %1 decoded").arg(i)));
    }
    tessera::image::PngReadLimits small;
    small.max_side = 16;
    QVERIFY_THROWS_EXCEPTION(tessera::Error, tessera::image::decode_png(good.data(), good.size(), nullptr, small));
  }

  void decodesTheDiffusersPipelineImageExactly() {
    TESSERA_REQUIRE_GOLDEN(golden);
    const std::string ref = (golden + QStringLiteral("/reference")).toStdString();
    const Image im = tessera::image::read_png(ref + "/pipeline_image.png");
    tessera::io::SafetensorsFile file(ref + "/pipeline.safetensors");
    const torch::Tensor expected = file.get("image_uint8_hwc").to(torch::kUInt8).contiguous();
    QCOMPARE(im.height, static_cast<int>(expected.size(-3)));
    QCOMPARE(im.width, static_cast<int>(expected.size(-2)));
    QCOMPARE(im.channels, 3);
    QVERIFY(std::equal(im.pixels.begin(), im.pixels.end(), expected.data_ptr<uint8_t>()));
  }
};

QTEST_GUILESS_MAIN(TestPng)
#include "tst_png.moc"
