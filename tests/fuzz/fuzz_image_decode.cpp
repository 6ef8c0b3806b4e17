// libFuzzer target: image import's decode entry point (format detection, header probe, JPEG via
// libjpeg-turbo, PNG via libpng, WebP via libwebp, EXIF orientation) and the resize that follows
// it in shard writing. Any input must either decode to a consistent RGB image or throw
// tessera::Error; crashes, sanitizer reports, leaks and other exceptions are failures.

#include "image/image_decode.h"
#include "image/resize.h"
#include "tessera/error.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tessera::image;
  DecodeLimits limits;  // small: the fuzzer's memory limit is 2 GiB
  limits.max_side = 2048;
  limits.max_pixels = 1u << 20;
  ImageInfo probed;
  bool probe_ok = false;
  try {
    probed = probe_image(data, size, limits);
    probe_ok = true;
  } catch (const tessera::Error&) {
  }
  try {
    ImageInfo info;
    const Image rgb = decode_image(data, size, limits, &info);
    if (!probe_ok) std::abort();  // decoding succeeded where the header probe failed
    if (rgb.channels != 3 || rgb.width <= 0 || rgb.height <= 0) std::abort();
    if (rgb.pixels.size() != static_cast<size_t>(rgb.width) * rgb.height * 3) std::abort();
    if (rgb.width != probed.width || rgb.height != probed.height) std::abort();
    if (static_cast<uint64_t>(rgb.width) * rgb.height > limits.max_pixels) std::abort();
    const Image small = resize(rgb, 7, 5);
    if (small.pixels.size() != 7 * 5 * 3) std::abort();
    (void)gray_32x32(rgb);
    // JPEG's reduced-scale decode (shard writing): never larger than the full image.
    const Image reduced = decode_image(data, size, limits, nullptr, 1 + static_cast<int>(size % 97));
    if (reduced.channels != 3 || reduced.width <= 0 || reduced.height <= 0) std::abort();
    if (reduced.width > rgb.width || reduced.height > rgb.height) std::abort();
    if (reduced.pixels.size() != static_cast<size_t>(reduced.width) * reduced.height * 3) std::abort();
  } catch (const tessera::Error&) {
  }
  return 0;
}
