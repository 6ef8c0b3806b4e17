// Image decoding for import and shard writing: JPEG/PNG/WebP to RGB through the real libraries,
// header probes, EXIF orientation, limits, corrupt and truncated files, resizing and pHash.

#include "catalog_test_images.h"

#include "catalog/fingerprint.h"
#include "image/image_decode.h"
#include "image/resize.h"
#include "tessera/error.h"

#include <QtTest/QtTest>

using tessera::image::Image;
using tessera::image::ImageFormat;
namespace img = tessera::image;

namespace {

double mean_abs_diff(const Image& a, const Image& b) {
  if (a.pixels.size() != b.pixels.size()) return 1e9;
  double sum = 0;
  for (size_t i = 0; i < a.pixels.size(); ++i) sum += std::abs(int(a.pixels[i]) - int(b.pixels[i]));
  return sum / a.pixels.size();
}

QString error_of(const std::vector<uint8_t>& bytes, const img::DecodeLimits& limits = {}) {
  try {
    img::decode_image(bytes.data(), bytes.size(), limits);
  } catch (const tessera::Error& e) {
    return QString::fromStdString(e.what());
  }
  return {};
}

}  // namespace

class TestImageDecode : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void decodesEachFormatToRgb_data() {
    QTest::addColumn<QString>("format");
    QTest::addColumn<double>("tolerance");
    QTest::newRow("jpeg") << "jpeg" << 4.0;
    QTest::newRow("png") << "png" << 0.0;
    QTest::newRow("webp-lossy") << "webp" << 4.0;
    QTest::newRow("webp-lossless") << "webp-lossless" << 0.0;
  }
  void decodesEachFormatToRgb() {
    QFETCH(QString, format);
    QFETCH(double, tolerance);
    const Image src = tessera::test::pattern(67, 41, 7);
    std::vector<uint8_t> bytes;
    if (format == "jpeg") bytes = img::encode_jpeg(src, 95);
    if (format == "png") bytes = img::encode_png(src);
    if (format == "webp") bytes = tessera::test::encode_webp(src);
    if (format == "webp-lossless") bytes = tessera::test::encode_webp(src, true);
    img::ImageInfo info;
    const Image out = img::decode_image(bytes.data(), bytes.size(), {}, &info);
    QCOMPARE(out.width, 67);
    QCOMPARE(out.height, 41);
    QCOMPARE(out.channels, 3);
    QCOMPARE(QString(img::format_name(info.format)), format.split('-').front());
    const double diff = mean_abs_diff(out, src);
    QVERIFY2(diff <= tolerance, qPrintable(QString::number(diff)));
    const img::ImageInfo probed = img::probe_image(bytes.data(), bytes.size());
    QCOMPARE(probed.width, 67);
    QCOMPARE(probed.height, 41);
  }

  void greyAndAlphaPngsBecomeRgb() {
    Image grey{3, 2, 1, {0, 50, 100, 150, 200, 250}};
    const auto g = img::encode_png(grey);
    const Image gout = img::decode_image(g.data(), g.size());
    QCOMPARE(gout.channels, 3);
    QCOMPARE(int(gout.pixels[3 * 4 + 0]), 200);
    QCOMPARE(int(gout.pixels[3 * 4 + 2]), 200);
    Image rgba{2, 1, 4, {255, 0, 0, 255, 0, 0, 0, 0}};  // opaque red, transparent black
    const auto a = img::encode_png(rgba);
    const Image aout = img::decode_image(a.data(), a.size());
    QCOMPARE(std::vector<int>(aout.pixels.begin(), aout.pixels.end()), (std::vector<int>{255, 0, 0, 255, 255, 255}));
  }

  void exifOrientationIsApplied() {
    // 4x2 image: left half dark, right half bright. Orientation 6 = rotate 90 clockwise, so
    // the result is 2x4 with the dark half on top.
    Image src{4, 2, 3, std::vector<uint8_t>(4 * 2 * 3)};
    for (int y = 0; y < 2; ++y)
      for (int x = 0; x < 4; ++x)
        for (int c = 0; c < 3; ++c) src.pixels[(y * 4 + x) * 3 + c] = x < 2 ? 20 : 230;
    const auto jpeg = tessera::test::with_exif_orientation(img::encode_jpeg(src, 100), 6);
    const img::ImageInfo info = img::probe_image(jpeg.data(), jpeg.size());
    QCOMPARE(info.exif_orientation, 6);
    QCOMPARE(info.width, 2);
    QCOMPARE(info.height, 4);
    const Image out = img::decode_image(jpeg.data(), jpeg.size());
    QCOMPARE(out.width, 2);
    QCOMPARE(out.height, 4);
    QVERIFY(out.pixels[0] < 60);                    // top-left dark
    QVERIFY(out.pixels[(3 * 2 + 1) * 3] > 190);     // bottom-right bright
  }

  void orientationsMapPixels_data() {
    QTest::addColumn<int>("orientation");
    QTest::addColumn<QString>("expected");  // pixel values row-major
    // source 3x2:  1 2 3 / 4 5 6
    QTest::newRow("1") << 1 << "1 2 3 4 5 6";
    QTest::newRow("2 mirror") << 2 << "3 2 1 6 5 4";
    QTest::newRow("3 rotate 180") << 3 << "6 5 4 3 2 1";
    QTest::newRow("4 flip") << 4 << "4 5 6 1 2 3";
    QTest::newRow("5 transpose") << 5 << "1 4 2 5 3 6";
    QTest::newRow("6 rotate cw") << 6 << "4 1 5 2 6 3";
    QTest::newRow("7 transverse") << 7 << "6 3 5 2 4 1";
    QTest::newRow("8 rotate ccw") << 8 << "3 6 2 5 1 4";
  }
  void orientationsMapPixels() {
    QFETCH(int, orientation);
    QFETCH(QString, expected);
    const Image src{3, 2, 1, {1, 2, 3, 4, 5, 6}};
    const Image out = img::apply_orientation(src, orientation);
    QStringList values;
    for (auto v : out.pixels) values << QString::number(v);
    QCOMPARE(values.join(' '), expected);
    QCOMPARE(out.width * out.height, 6);
  }

  void jpegDecodesAtReducedScaleForASmallTarget() {
    const Image src = tessera::test::pattern(200, 100, 5);
    const auto jpeg = img::encode_jpeg(src, 90);
    img::ImageInfo info;
    const Image half = img::decode_image(jpeg.data(), jpeg.size(), {}, &info, 50);  // 1/2 keeps 50 px
    QCOMPARE(half.width, 100);
    QCOMPARE(half.height, 50);
    QCOMPARE(info.width, 200);  // the full size, from the header
    const Image eighth = img::decode_image(jpeg.data(), jpeg.size(), {}, nullptr, 10);
    QCOMPARE(eighth.width, 25);
    QCOMPARE(eighth.height, 13);
    const Image full = img::decode_image(jpeg.data(), jpeg.size(), {}, nullptr, 60);  // 1/2 would be 50 < 60
    QCOMPARE(full.width, 200);
    // the reduced decode is a faithful downscale
    QVERIFY(mean_abs_diff(half, img::resize(src, 100, 50)) < 4.0);
  }

  void truncatedAndCorruptFilesFailWithAReason_data() {
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("damage");
    QTest::addColumn<QString>("reason");
    for (const char* f : {"jpeg", "png", "webp"}) {
      QTest::newRow(qPrintable(QString(f) + "-truncated")) << f << "truncate" << "truncated";
      QTest::newRow(qPrintable(QString(f) + "-header")) << f << "header" << "";
    }
  }
  void truncatedAndCorruptFilesFailWithAReason() {
    QFETCH(QString, format);
    QFETCH(QString, damage);
    QFETCH(QString, reason);
    const Image src = tessera::test::pattern(64, 64, 3);
    std::vector<uint8_t> bytes = format == "jpeg" ? img::encode_jpeg(src, 90)
                                 : format == "png" ? img::encode_png(src)
                                                   : tessera::test::encode_webp(src);
    if (damage == "truncate") {
      bytes.resize(bytes.size() * 2 / 3);
    } else {
      // keep the magic (and PNG's IHDR size, WebP's RIFF header), destroy what follows
      for (size_t i = 16; i < std::min<size_t>(bytes.size(), 48); ++i) bytes[i] = static_cast<uint8_t>(0xA5 ^ i);
    }
    const QString error = error_of(bytes);
    QVERIFY2(!error.isEmpty(), "damaged file decoded without an error");
    QVERIFY2(error.contains("corrupt") || error.contains("truncated"), qPrintable(error));
    if (!reason.isEmpty()) QVERIFY2(error.contains(reason), qPrintable(error));
  }

  void unsupportedFormatsAreNamed() {
    const std::vector<uint8_t> gif = {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0, 0, 0};
    QVERIFY(error_of(gif).contains("unsupported image format: gif"));
    const std::vector<uint8_t> text = {'h', 'e', 'l', 'l', 'o'};
    QVERIFY(error_of(text).contains("unsupported file format"));
    QVERIFY(error_of({}).contains("empty"));
  }

  void limitsStopDecompressionBombs() {
    const Image src = tessera::test::pattern(200, 100, 1);
    img::DecodeLimits limits;
    limits.max_pixels = 10000;
    for (const auto& bytes : {img::encode_jpeg(src), img::encode_png(src), tessera::test::encode_webp(src)}) {
      QVERIFY2(error_of(bytes, limits).contains("over the decoding limit"), qPrintable(error_of(bytes, limits)));
    }
    limits = {};
    limits.max_side = 150;
    QVERIFY(error_of(img::encode_png(src), limits).contains("over the decoding limit"));
    // A PNG header claiming 100000 x 100000 is refused before any allocation.
    std::vector<uint8_t> bomb = img::encode_png(Image{1, 1, 3, {1, 2, 3}});
    for (int i : {16, 20}) {
      bomb[i] = 0; bomb[i + 1] = 0x01; bomb[i + 2] = 0x86; bomb[i + 3] = 0xA0;
    }
    QVERIFY(error_of(bomb).contains("over the decoding limit"));
  }

  void resizeKeepsFlatColourAndAntialiases() {
    Image flat{50, 30, 3, std::vector<uint8_t>(50 * 30 * 3, 77)};
    for (auto filter : {img::ResizeFilter::Box, img::ResizeFilter::Lanczos3}) {
      const Image small = img::resize(flat, 17, 9, filter);
      QCOMPARE(small.width, 17);
      QCOMPARE(small.height, 9);
      for (auto v : small.pixels) QCOMPARE(int(v), 77);
      const Image big = img::resize(flat, 120, 80, filter);
      for (auto v : big.pixels) QCOMPARE(int(v), 77);
    }
    // A 1-pixel checkerboard shrunk 8x must come out grey, not aliased black/white.
    Image checker{64, 64, 1, std::vector<uint8_t>(64 * 64)};
    for (int y = 0; y < 64; ++y)
      for (int x = 0; x < 64; ++x) checker.pixels[y * 64 + x] = ((x + y) & 1) ? 255 : 0;
    const Image grey = img::resize(checker, 8, 8, img::ResizeFilter::Lanczos3);
    for (auto v : grey.pixels) QVERIFY2(std::abs(int(v) - 128) <= 3, qPrintable(QString::number(v)));
  }

  void centerCropResizeTakesTheMiddle() {
    Image wide{30, 10, 3, std::vector<uint8_t>(30 * 10 * 3, 0)};
    for (int y = 0; y < 10; ++y)
      for (int x = 10; x < 20; ++x)
        for (int c = 0; c < 3; ++c) wide.pixels[(y * 30 + x) * 3 + c] = 200;
    const Image out = img::center_crop_resize(wide, 5);
    QCOMPARE(out.width, 5);
    QCOMPARE(out.height, 5);
    for (auto v : out.pixels) QCOMPARE(int(v), 200);
  }

  void perceptualHashFindsResizedCopiesOnly() {
    const Image a = tessera::test::pattern(320, 240, 11);
    const Image a_small = img::resize(a, 160, 120);
    const auto a_jpeg = img::encode_jpeg(a_small, 80);
    const Image a_small_decoded = img::decode_image(a_jpeg.data(), a_jpeg.size());
    const uint64_t ha = tessera::catalog::perceptual_hash(a);
    const int copy = tessera::catalog::hamming_distance(ha, tessera::catalog::perceptual_hash(a_small_decoded));
    QVERIFY2(copy <= 4, qPrintable(QString::number(copy)));
    int closest = 64;
    for (uint32_t seed = 100; seed < 110; ++seed) {
      const int d = tessera::catalog::hamming_distance(ha, tessera::catalog::perceptual_hash(tessera::test::pattern(320, 240, seed)));
      closest = std::min(closest, d);
    }
    QVERIFY2(closest > 10, qPrintable(QString::number(closest)));
  }

  void sha256MatchesAKnownDigest() {
    const std::string abc = "abc";
    QCOMPARE(QString::fromStdString(tessera::catalog::sha256_hex(reinterpret_cast<const uint8_t*>(abc.data()), abc.size())),
             QStringLiteral("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
  }
};

QTEST_APPLESS_MAIN(TestImageDecode)
#include "tst_image_decode.moc"
