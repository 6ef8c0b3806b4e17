// `tessera shards write`: the catalog's kept images into an MDS shard set, through the shards
// area's MdsWriter (this file never writes MDS bytes itself). Files are read, checked against
// the catalog's SHA-256, and (with a resize) decoded, centre-cropped, resized and re-encoded on
// a small thread pool; samples are written in catalog id order.

#include "tessera/dataset.h"

#include "catalog/catalog.h"
#include "catalog/fingerprint.h"
#include "image/image_decode.h"
#include "image/resize.h"
#include "shards/mds_writer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace tessera {
namespace {

struct Prepared {
  std::string error;  // empty: ok
  std::string image;  // encoded bytes
  int width = 0;
  int height = 0;
};

std::string read_file(const std::string& path, uint64_t limit) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) throw Error("cannot open the file (moved or deleted since import?)");
  std::string bytes;
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, f.get())) > 0) {
    bytes.append(buffer, n);
    if (bytes.size() > limit) throw Error("file is over the size limit");
  }
  return bytes;
}

Prepared prepare(const catalog::ImageRecord& r, const DatasetShardOptions& o) {
  Prepared p;
  try {
    std::string bytes = read_file(r.path, 512ull << 20);
    const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
    if (catalog::sha256_hex(data, bytes.size()) != r.sha256) {
      throw Error("file changed since import (SHA-256 differs); run 'tessera dataset import' again");
    }
    if (o.resize <= 0) {
      p.image = std::move(bytes);
      p.width = r.width;
      p.height = r.height;
      return p;
    }
    const image::Image rgb = image::decode_image(data, bytes.size(), {}, nullptr, o.resize);
    const image::Image square = image::center_crop_resize(rgb, o.resize);
    const std::vector<uint8_t> encoded =
        o.image_format == "png" ? image::encode_png(square) : image::encode_jpeg(square, 95);
    p.image.assign(encoded.begin(), encoded.end());
    p.width = square.width;
    p.height = square.height;
  } catch (const std::exception& e) {
    p.error = e.what();
  }
  return p;
}

std::optional<double> aesthetic_of(const std::string& metadata_json) {
  const nlohmann::json meta = nlohmann::json::parse(metadata_json, nullptr, false);
  if (!meta.is_object()) return std::nullopt;
  const auto it = meta.find("aesthetic");
  if (it == meta.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

}  // namespace

Status write_dataset_shards(const DatasetShardOptions& o, const std::function<bool(int64_t, int64_t)>& progress,
                            DatasetShardSummary* summary) {
  bool cancelled = false;
  Status status = guarded([&] {
    if (o.resize < 0 || o.resize > 16384) throw Error("resize must be 1..16384 pixels");
    if (o.image_format != "jpeg" && o.image_format != "png") throw Error("image format must be jpeg or png");
    DatasetShardSummary s;
    catalog::Catalog cat = catalog::Catalog::open_read_only(o.catalog);
    // The kept images, in id order.
    std::vector<catalog::ImageRecord> kept;
    bool any_aesthetic = false;
    for (const catalog::ImageRecord& r : cat.images()) {
      if (!cat.decisions_for(r.id).empty()) continue;
      if (o.min_side > 0 && std::min(r.width, r.height) < o.min_side) {
        ++s.skipped;
        continue;
      }
      any_aesthetic = any_aesthetic || aesthetic_of(r.metadata_json).has_value();
      kept.push_back(r);
    }
    if (kept.empty()) throw Error("the catalog has no kept image to write", "check 'tessera dataset stats'");

    std::vector<shards::MdsColumn> columns = {
        {"image", o.resize > 0 ? o.image_format : "bytes"},
        {"caption", "str"},
        {"width", "int32"},
        {"height", "int32"},
        {"id", "str"},
        {"sha256", "str"},
    };
    if (any_aesthetic) columns.push_back({"aesthetic", "float64"});
    shards::MdsWriterOptions wo;
    wo.compression = o.compression;
    wo.hashes = {"sha1"};
    wo.size_limit = o.size_limit;
    shards::MdsWriter writer(o.out_dir, columns, wo);

    // Prepare on a pool, write in order.
    const size_t n = kept.size();
    int threads = o.threads > 0 ? o.threads : static_cast<int>(std::thread::hardware_concurrency());
    threads = std::clamp(threads, 1, 16);
    const size_t window = static_cast<size_t>(threads) * 4;
    std::vector<std::optional<Prepared>> slots(n);
    std::mutex mutex;
    std::condition_variable ready, space;
    size_t next = 0, consumed = 0;
    bool stop = false;
    std::vector<std::thread> pool;
    auto stop_pool = [&] {
      {
        std::lock_guard<std::mutex> lock(mutex);
        stop = true;
      }
      space.notify_all();
      for (auto& t : pool) t.join();
      pool.clear();
    };
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&] {
        for (;;) {
          size_t i;
          {
            std::unique_lock<std::mutex> lock(mutex);
            space.wait(lock, [&] { return stop || next >= n || next < consumed + window; });
            if (stop || next >= n) return;
            i = next++;
          }
          Prepared p = prepare(kept[i], o);
          {
            std::lock_guard<std::mutex> lock(mutex);
            slots[i] = std::move(p);
          }
          ready.notify_all();
        }
      });
    }
    try {
      for (size_t i = 0; i < n; ++i) {
        Prepared p;
        {
          std::unique_lock<std::mutex> lock(mutex);
          ready.wait(lock, [&] { return slots[i].has_value(); });
          p = std::move(*slots[i]);
          slots[i].reset();
          consumed = i + 1;
        }
        space.notify_all();
        const catalog::ImageRecord& r = kept[i];
        if (!p.error.empty()) {
          ++s.skipped;
          s.problems.push_back({r.path, p.error});
        } else {
          shards::MdsSample sample;
          sample.set_bytes("image", std::move(p.image))
              .set_str("caption", r.caption)
              .set_int("width", p.width)
              .set_int("height", p.height)
              .set_str("id", std::to_string(r.id))
              .set_str("sha256", r.sha256);
          if (any_aesthetic) {
            sample.set_float("aesthetic", aesthetic_of(r.metadata_json).value_or(std::numeric_limits<double>::quiet_NaN()));
          }
          writer.write(sample);
          ++s.samples;
        }
        if (progress && !progress(static_cast<int64_t>(i + 1), static_cast<int64_t>(n))) {
          cancelled = true;
          break;
        }
      }
    } catch (...) {
      stop_pool();
      throw;
    }
    stop_pool();
    if (cancelled) return;  // no index.json: the folder is recognisably unfinished
    if (s.samples == 0) throw Error("no image could be written (see the problems above)");
    const shards::MdsWriteSummary done = writer.finish();
    s.shards = done.shards;
    s.file_bytes = done.file_bytes;
    if (summary != nullptr) *summary = std::move(s);
  });
  if (status.ok() && cancelled) return Status::cancelled_by_user();
  return status;
}

}  // namespace tessera
