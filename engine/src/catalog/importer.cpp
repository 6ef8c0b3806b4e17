#include "catalog/importer.h"

#include "catalog/fingerprint.h"
#include "tessera/error.h"

#include <sys/stat.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace tessera::catalog {
namespace {

struct FileStat {
  bool ok = false;
  std::string error;
  int64_t size = 0;
  int64_t mtime_ns = 0;
};

FileStat stat_file(const std::string& path) {
  struct stat st {};
  FileStat out;
  if (::stat(path.c_str(), &st) != 0) {
    out.error = "cannot read: file not found or not accessible";
    return out;
  }
  if (!S_ISREG(st.st_mode)) {
    out.error = "not a regular file";
    return out;
  }
  out.ok = true;
  out.size = static_cast<int64_t>(st.st_size);
  out.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  return out;
}

struct Decoded {
  std::string error;  // empty: `record` is good
  ImageRecord record;
};

Decoded decode_one(const ImportItem& item, const FileStat& st, const ImportOptions& options) {
  Decoded d;
  try {
    if (st.size == 0) throw Error("empty file");
    if (static_cast<uint64_t>(st.size) > options.max_file_bytes) {
      throw Error("file is " + std::to_string(st.size) + " bytes, over the import limit");
    }
    std::vector<uint8_t> bytes(static_cast<size_t>(st.size));
    std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(item.path.c_str(), "rb"), &std::fclose);
    if (!f) throw Error("cannot open the file");
    const size_t got = std::fread(bytes.data(), 1, bytes.size(), f.get());
    if (got != bytes.size()) throw Error("file shrank while it was read");
    image::ImageInfo info;
    const image::Image rgb = image::decode_image(bytes.data(), bytes.size(), options.limits, &info);
    ImageRecord& r = d.record;
    r.path = item.path;
    r.sha256 = sha256_hex(bytes.data(), bytes.size());
    r.byte_size = st.size;
    r.mtime_ns = st.mtime_ns;
    r.width = rgb.width;
    r.height = rgb.height;
    r.format = image::format_name(info.format);
    r.phash = perceptual_hash(rgb);
    r.caption_original = item.caption;
    r.caption = item.caption;
    r.metadata_json = item.metadata_json;
  } catch (const std::bad_alloc&) {
    d.error = "out of memory while decoding";
  } catch (const std::exception& e) {
    d.error = e.what();
  }
  return d;
}

// Commits every `batch` writes; what is pending is committed by finish() (or rolled back when
// an exception unwinds).
class BatchWriter {
 public:
  BatchWriter(Database& db, int batch) : db_(db), batch_(std::max(1, batch)) {}
  void wrote() {
    if (!tx_) return;
    if (++pending_ >= batch_) finish();
  }
  void begin() {
    if (!tx_) tx_.emplace(db_);
  }
  void finish() {
    if (tx_) tx_->commit();
    tx_.reset();
    pending_ = 0;
  }

 private:
  Database& db_;
  int batch_;
  int pending_ = 0;
  std::optional<Transaction> tx_;
};

}  // namespace

ImportReport import_manifest(Catalog& catalog, const Manifest& manifest, const ImportOptions& options,
                             const ImportProgressFn& progress) {
  ImportReport report;
  report.candidates = static_cast<int64_t>(manifest.items.size());
  report.problems = manifest.problems;
  ImportProgress p;
  p.total = report.candidates;
  auto tick = [&](const std::string& path) {
    ++p.done;
    p.path = path;
    return !progress || progress(p);
  };
  BatchWriter writer(catalog.db(), options.batch_size);
  const std::string now = utc_now();
  for (const auto& problem : manifest.problems) {
    writer.begin();
    catalog.record_import_error(problem.where, problem.reason);
    writer.wrote();
  }

  // Pass 1 (this thread): what is new or changed; unchanged files are not read again.
  std::vector<size_t> work;
  std::vector<FileStat> stats(manifest.items.size());
  for (size_t i = 0; i < manifest.items.size(); ++i) {
    const ImportItem& item = manifest.items[i];
    stats[i] = stat_file(item.path);
    if (!stats[i].ok) {
      ++report.failed;
      report.problems.push_back({item.path, stats[i].error});
      writer.begin();
      catalog.record_import_error(item.path, stats[i].error);
      writer.wrote();
      if (!tick(item.path)) {
        report.cancelled = true;
        break;
      }
      continue;
    }
    const std::optional<KnownFile> known = catalog.find_by_path(item.path);
    if (!known || known->byte_size != stats[i].size || known->mtime_ns != stats[i].mtime_ns) {
      work.push_back(i);
      continue;
    }
    ++report.unchanged;
    if (known->caption_original != item.caption || known->metadata_json != item.metadata_json) {
      writer.begin();
      catalog.update_caption_and_metadata(known->id, item.caption, item.metadata_json);
      writer.wrote();
      ++report.updated;
    }
    if (!tick(item.path)) {
      report.cancelled = true;
      break;
    }
  }
  writer.finish();
  if (report.cancelled) return report;

  // Pass 2: decode on the pool, write here in manifest order (ids follow the manifest).
  const size_t n = work.size();
  int threads = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::clamp(threads, 1, 16);
  threads = static_cast<int>(std::min<size_t>(static_cast<size_t>(threads), std::max<size_t>(n, 1)));
  const size_t window = static_cast<size_t>(threads) * 4;  // decoded images waiting for the writer
  std::vector<std::optional<Decoded>> slots(n);
  std::mutex mutex;
  std::condition_variable ready;
  std::condition_variable space;
  size_t next = 0;
  size_t consumed = 0;
  bool stop = false;
  auto worker = [&] {
    for (;;) {
      size_t i;
      {
        std::unique_lock<std::mutex> lock(mutex);
        space.wait(lock, [&] { return stop || next >= n || next < consumed + window; });
        if (stop || next >= n) return;
        i = next++;
      }
      Decoded d = decode_one(manifest.items[work[i]], stats[work[i]], options);
      {
        std::lock_guard<std::mutex> lock(mutex);
        slots[i] = std::move(d);
      }
      ready.notify_all();
    }
  };
  std::vector<std::thread> pool;
  auto stop_pool = [&] {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stop = true;
    }
    space.notify_all();
    for (auto& t : pool)
      if (t.joinable()) t.join();
  };
  for (int t = 0; t < threads && n > 0; ++t) pool.emplace_back(worker);
  try {
    for (size_t i = 0; i < n; ++i) {
      Decoded d;
      {
        std::unique_lock<std::mutex> lock(mutex);
        ready.wait(lock, [&] { return slots[i].has_value(); });
        d = std::move(*slots[i]);
        slots[i].reset();
        consumed = i + 1;
      }
      space.notify_all();
      const ImportItem& item = manifest.items[work[i]];
      writer.begin();
      if (!d.error.empty()) {
        ++report.failed;
        report.problems.push_back({item.path, d.error});
        catalog.record_import_error(item.path, d.error);
      } else {
        d.record.source = manifest.source;
        d.record.imported_at = now;
        const bool known = catalog.find_by_path(item.path).has_value();
        catalog.upsert_image(d.record);
        catalog.clear_import_error(item.path);
        ++(known ? report.replaced : report.added);
      }
      writer.wrote();
      if (!tick(item.path)) {
        report.cancelled = true;
        break;
      }
    }
    writer.finish();
  } catch (...) {
    stop_pool();
    throw;
  }
  stop_pool();
  return report;
}

}  // namespace tessera::catalog
