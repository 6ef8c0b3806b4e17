// JPEG through libjpeg-turbo's libjpeg API: header probe (with the EXIF orientation), decoding
// to RGB (CMYK/YCCK converted), and encoding. libjpeg reports errors by longjmp, so as in
// png_io.cpp the library calls live in noinline functions below the setjmp frame, and the
// message is turned into an exception only after the jump.

#include "image/image_decode.h"

#include "tessera/error.h"

#include <jpeglib.h>
#include <jerror.h>

#include <algorithm>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace tessera::image {
namespace {

constexpr int kMaxScans = 1000;  // progressive files with endless scans (message below)
constexpr long kMaxDecoderMemory = 1024L << 20;     // libjpeg's own allocations (coefficients)

// Nothing with a destructor may be alive in a frame that longjmp skips, so the message is a
// plain array and the failing paths format into it with snprintf.
struct ErrorManager {
  jpeg_error_mgr pub;  // first: libjpeg casts the pointer
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX + 96];
};

[[noreturn]] void fail_with(j_common_ptr cinfo, const char* message) {
  auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
  std::snprintf(err->message, sizeof err->message, "%s", message);
  std::longjmp(err->jump, 1);
}

void on_error_exit(j_common_ptr cinfo) {
  char buffer[JMSG_LENGTH_MAX];
  (*cinfo->err->format_message)(cinfo, buffer);
  fail_with(cinfo, buffer);
}

// Warnings are errors for us except the harmless "extraneous bytes before marker": libjpeg
// would otherwise hand back a grey-filled image for a truncated file.
void on_emit_message(j_common_ptr cinfo, int level) {
  if (level >= 0) return;  // trace messages
  const int code = cinfo->err->msg_code;
  if (code == JWRN_EXTRANEOUS_DATA) return;
  if (code == JWRN_JPEG_EOF) fail_with(cinfo, "file is truncated (premature end of JPEG data)");
  char buffer[JMSG_LENGTH_MAX];
  (*cinfo->err->format_message)(cinfo, buffer);
  fail_with(cinfo, buffer);
}

void on_progress(j_common_ptr cinfo) {
  if (cinfo->is_decompressor && reinterpret_cast<j_decompress_ptr>(cinfo)->input_scan_number > kMaxScans) {
    fail_with(cinfo, "too many progressive scans (more than 1000)");
  }
}

void install_handlers(ErrorManager* err, jpeg_progress_mgr* progress, j_decompress_ptr cinfo) {
  cinfo->err = jpeg_std_error(&err->pub);
  err->pub.error_exit = on_error_exit;
  err->pub.emit_message = on_emit_message;
  progress->progress_monitor = on_progress;
}

uint16_t read16(const uint8_t* p, bool little) {
  return little ? static_cast<uint16_t>(p[0] | (p[1] << 8)) : static_cast<uint16_t>((p[0] << 8) | p[1]);
}
uint32_t read32(const uint8_t* p, bool little) {
  return little ? (uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24))
                : ((uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]});
}

int orientation_from_markers(j_decompress_ptr cinfo) {
  for (jpeg_saved_marker_ptr m = cinfo->marker_list; m != nullptr; m = m->next) {
    if (m->marker != JPEG_APP0 + 1) continue;
    const int o = detail::exif_orientation(m->data, m->data_length);
    if (o != 1) return o;
  }
  return 1;
}

[[gnu::noinline]] void read_header_body(j_decompress_ptr cinfo, jpeg_progress_mgr* progress, const uint8_t* data,
                                        size_t size) {
  jpeg_create_decompress(cinfo);
  cinfo->progress = progress;
  cinfo->mem->max_memory_to_use = kMaxDecoderMemory;
  jpeg_mem_src(cinfo, data, static_cast<unsigned long>(size));
  jpeg_save_markers(cinfo, JPEG_APP0 + 1, 0xFFFF);
  jpeg_read_header(cinfo, TRUE);
}

[[gnu::noinline]] void decode_body(j_decompress_ptr cinfo, const DecodeLimits& limits, int min_side_hint,
                                   Image* image) {
  const uint64_t w = cinfo->image_width;
  const uint64_t h = cinfo->image_height;
  if (w == 0 || h == 0) fail_with(reinterpret_cast<j_common_ptr>(cinfo), "image has no pixels");
  if (w > static_cast<uint64_t>(limits.max_side) || h > static_cast<uint64_t>(limits.max_side) ||
      w * h > limits.max_pixels) {
    char message[128];
    std::snprintf(message, sizeof message, "image is %llux%llu, over the decoding limit", static_cast<unsigned long long>(w),
                  static_cast<unsigned long long>(h));
    fail_with(reinterpret_cast<j_common_ptr>(cinfo), message);
  }
  // DCT-domain downscaling: the largest of 1/8, 1/4, 1/2 that keeps the smaller side >= the
  // hint (libjpeg rounds scaled sizes up).
  if (min_side_hint > 0) {
    const uint64_t side = std::min(w, h);
    for (unsigned denom : {8u, 4u, 2u}) {
      if ((side + denom - 1) / denom >= static_cast<uint64_t>(min_side_hint)) {
        cinfo->scale_num = 1;
        cinfo->scale_denom = denom;
        break;
      }
    }
  }
  const bool cmyk = cinfo->jpeg_color_space == JCS_CMYK || cinfo->jpeg_color_space == JCS_YCCK;
  cinfo->out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
  jpeg_start_decompress(cinfo);
  const int in_channels = cinfo->output_components;
  if ((cmyk && in_channels != 4) || (!cmyk && in_channels != 3)) {
    fail_with(reinterpret_cast<j_common_ptr>(cinfo), "unexpected JPEG component count");
  }
  image->width = static_cast<int>(cinfo->output_width);
  image->height = static_cast<int>(cinfo->output_height);
  image->channels = 3;
  image->pixels.resize(static_cast<size_t>(image->width) * image->height * 3);
  // libjpeg's pool owns the CMYK row: a vector here would leak when an error longjmps out.
  JSAMPARRAY row = (*cinfo->mem->alloc_sarray)(reinterpret_cast<j_common_ptr>(cinfo), JPOOL_IMAGE,
                                               static_cast<JDIMENSION>(image->width * in_channels), 1);
  const bool inverted = cinfo->saw_Adobe_marker != 0;  // Adobe stores CMYK inverted
  while (cinfo->output_scanline < cinfo->output_height) {
    const size_t y = cinfo->output_scanline;
    uint8_t* out = image->pixels.data() + y * image->width * 3;
    if (!cmyk) {
      JSAMPROW rows[1] = {out};
      jpeg_read_scanlines(cinfo, rows, 1);
      continue;
    }
    jpeg_read_scanlines(cinfo, row, 1);
    for (int x = 0; x < image->width; ++x) {
      const uint8_t* p = row[0] + x * 4;
      const int k = inverted ? p[3] : 255 - p[3];
      for (int c = 0; c < 3; ++c) {
        const int v = inverted ? p[c] : 255 - p[c];
        out[x * 3 + c] = static_cast<uint8_t>((v * k + 127) / 255);
      }
    }
  }
  jpeg_finish_decompress(cinfo);
}

[[gnu::noinline]] void encode_body(j_compress_ptr cinfo, const Image& rgb, int quality, unsigned char** buffer,
                                   unsigned long* size) {
  jpeg_create_compress(cinfo);
  jpeg_mem_dest(cinfo, buffer, size);
  cinfo->image_width = static_cast<JDIMENSION>(rgb.width);
  cinfo->image_height = static_cast<JDIMENSION>(rgb.height);
  cinfo->input_components = 3;
  cinfo->in_color_space = JCS_RGB;
  jpeg_set_defaults(cinfo);
  jpeg_set_quality(cinfo, quality, TRUE);
  if (quality >= 90) {
    for (int c = 0; c < cinfo->num_components; ++c) {
      cinfo->comp_info[c].h_samp_factor = 1;
      cinfo->comp_info[c].v_samp_factor = 1;
    }
  }
  jpeg_start_compress(cinfo, TRUE);
  const size_t stride = static_cast<size_t>(rgb.width) * 3;
  while (cinfo->next_scanline < cinfo->image_height) {
    JSAMPROW rows[1] = {const_cast<JSAMPLE*>(rgb.pixels.data() + cinfo->next_scanline * stride)};
    jpeg_write_scanlines(cinfo, rows, 1);
  }
  jpeg_finish_compress(cinfo);
}

}  // namespace

namespace detail {

int exif_orientation(const uint8_t* data, size_t size) {
  if (size < 14 || std::memcmp(data, "Exif\0\0", 6) != 0) return 1;
  const uint8_t* tiff = data + 6;
  const size_t n = size - 6;
  bool little;
  if (std::memcmp(tiff, "II*\0", 4) == 0) {
    little = true;
  } else if (std::memcmp(tiff, "MM\0*", 4) == 0) {
    little = false;
  } else {
    return 1;
  }
  const uint32_t ifd = read32(tiff + 4, little);
  if (ifd > n || n - ifd < 2) return 1;
  const uint16_t entries = read16(tiff + ifd, little);
  for (uint32_t i = 0; i < entries; ++i) {
    const uint64_t at = uint64_t{ifd} + 2 + uint64_t{i} * 12;
    if (at + 12 > n) return 1;
    const uint8_t* e = tiff + at;
    if (read16(e, little) != 0x0112) continue;
    if (read16(e + 2, little) != 3 || read32(e + 4, little) != 1) return 1;  // SHORT, count 1
    const int o = read16(e + 8, little);
    return o >= 1 && o <= 8 ? o : 1;
  }
  return 1;
}

ImageInfo probe_jpeg(const uint8_t* data, size_t size) {
  jpeg_decompress_struct cinfo;
  ErrorManager err;
  jpeg_progress_mgr progress{};
  install_handlers(&err, &progress, &cinfo);
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&cinfo);
    throw Error(std::string("corrupt JPEG: ") + err.message);
  }
  read_header_body(&cinfo, &progress, data, size);
  ImageInfo info;
  info.format = ImageFormat::Jpeg;
  info.exif_orientation = orientation_from_markers(&cinfo);
  const bool swap = info.exif_orientation >= 5;
  info.width = static_cast<int>(swap ? cinfo.image_height : cinfo.image_width);
  info.height = static_cast<int>(swap ? cinfo.image_width : cinfo.image_height);
  jpeg_destroy_decompress(&cinfo);
  return info;
}

Image decode_jpeg(const uint8_t* data, size_t size, const DecodeLimits& limits, int* orientation, int min_side_hint) {
  jpeg_decompress_struct cinfo;
  ErrorManager err;
  jpeg_progress_mgr progress{};
  install_handlers(&err, &progress, &cinfo);
  Image image;
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&cinfo);
    throw Error(std::string("corrupt JPEG: ") + err.message);
  }
  read_header_body(&cinfo, &progress, data, size);
  *orientation = orientation_from_markers(&cinfo);
  decode_body(&cinfo, limits, min_side_hint, &image);
  jpeg_destroy_decompress(&cinfo);
  return image;
}

}  // namespace detail

std::vector<uint8_t> encode_jpeg(const Image& rgb, int quality) {
  if (rgb.channels != 3 || rgb.width <= 0 || rgb.height <= 0 ||
      rgb.pixels.size() != static_cast<size_t>(rgb.width) * rgb.height * 3) {
    throw Error("encode_jpeg needs a non-empty RGB image");
  }
  if (quality < 1 || quality > 100) throw Error("JPEG quality must be 1..100, got " + std::to_string(quality));
  jpeg_compress_struct cinfo;
  ErrorManager err;
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = on_error_exit;
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  if (setjmp(err.jump)) {
    jpeg_destroy_compress(&cinfo);
    std::free(buffer);
    throw Error(std::string("cannot encode JPEG: ") + err.message);
  }
  encode_body(&cinfo, rgb, quality, &buffer, &size);
  std::vector<uint8_t> out(buffer, buffer + size);
  jpeg_destroy_compress(&cinfo);
  std::free(buffer);
  return out;
}

}  // namespace tessera::image
