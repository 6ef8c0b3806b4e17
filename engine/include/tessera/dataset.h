#pragma once
// Dataset curation, the facade the CLI (`tessera dataset ...`) and the studio use: import
// images into a SQLite catalog, filter them with recorded reasons, and read statistics and
// rows back. Neither torch nor Qt here. Every call opens the catalog itself, so calls may come
// from any thread; a reader (list/stats) may run while an import or a filter writes.

#include "tessera/error.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tessera {

// ---- import ------------------------------------------------------------------------------

struct DatasetImportOptions {
  std::string catalog;  // the catalog file, created when missing
  std::string from;     // a folder (images + .txt sidecars, recursive), a .csv or a .jsonl manifest
  int threads = 0;      // decoding threads; 0: all cores (at most 16)
  int batch_size = 64;  // rows per commit: an interrupted import loses at most this many
};

struct DatasetImportProgress {
  int64_t done = 0;
  int64_t total = 0;
  std::string path;
};

struct DatasetProblem {
  std::string where;  // a file, or "manifest.csv:12"
  std::string reason;
};

struct DatasetImportSummary {
  int64_t candidates = 0;
  int64_t added = 0;
  int64_t replaced = 0;   // changed files, re-read
  int64_t unchanged = 0;  // same path, size and modification time: not read again
  int64_t updated = 0;    // unchanged files whose caption or metadata changed
  int64_t failed = 0;     // files reported and skipped
  std::vector<DatasetProblem> problems;
};

// Bad files never fail the import: they are listed in `summary->problems`. The status fails
// only when the catalog or the source cannot be used at all. Return false from `progress` to
// stop; the result is then Status::cancelled_by_user() and what was done is kept (the next
// import resumes).
[[nodiscard]] Status import_dataset(const DatasetImportOptions& options,
                                    const std::function<bool(const DatasetImportProgress&)>& progress,
                                    DatasetImportSummary* summary);

// ---- filters -----------------------------------------------------------------------------

struct DatasetFilterOptions {
  std::string catalog;
  int min_side = 0;                  // 0: off (the reference recipe: 256, then 512)
  std::optional<double> min_aspect;  // width / height
  std::optional<double> max_aspect;
  std::vector<std::pair<std::string, double>> metadata_min;  // e.g. {"aesthetic", 4.5}
  bool english_only = false;         // heuristic, see looks_english() in catalog/filters.h
  bool drop_empty_captions = false;
  bool drop_repeated_captions = false;
  int near_duplicate_distance = -1;  // pHash Hamming distance (e.g. 4); < 0: off
  bool reset = false;                // forget every earlier decision first
};

struct DatasetFilterSummary {
  int64_t total = 0;
  int64_t kept = 0;
  std::map<std::string, int64_t> dropped_by_filter;
};

[[nodiscard]] Status filter_dataset(const DatasetFilterOptions& options, DatasetFilterSummary* summary);

// ---- reading -----------------------------------------------------------------------------

struct DatasetHistogramBin {
  std::string label;
  int64_t all = 0;
  int64_t kept = 0;
};

struct DatasetStats {
  int64_t total = 0;
  int64_t kept = 0;
  int64_t dropped = 0;
  std::map<std::string, int64_t> dropped_by_filter;
  std::map<std::string, int64_t> formats;
  int64_t import_errors = 0;
  std::vector<DatasetHistogramBin> min_side;
  std::vector<DatasetHistogramBin> aspect;
  std::string text;  // the report `tessera dataset stats` prints
};

[[nodiscard]] Status dataset_stats(const std::string& catalog, DatasetStats* stats);

struct DatasetDecision {
  std::string filter;
  std::string reason;
  int64_t duplicate_of = 0;
};

struct DatasetImage {
  int64_t id = 0;
  std::string path;
  std::string sha256;
  int64_t byte_size = 0;
  int width = 0;
  int height = 0;
  std::string format;
  uint64_t phash = 0;
  std::string caption_original;
  std::string caption;
  std::string tags_json;
  std::string metadata_json;
  std::string source;
  std::string imported_at;
  std::vector<DatasetDecision> decisions;  // empty: kept
  std::string review;                      // a person's verdict: "keep", "drop" or "" (none)
};

// Rows in id order, `limit` < 0 for all (a studio list view pages through them).
[[nodiscard]] Status list_dataset_images(const std::string& catalog, int64_t offset, int64_t limit,
                                         std::vector<DatasetImage>* images);
// Up to `limit` rows whose id is above `after_id`, in id order: for reading a whole catalog a
// page at a time, each page as cheap as the first.
[[nodiscard]] Status list_dataset_images_after(const std::string& catalog, int64_t after_id, int64_t limit,
                                               std::vector<DatasetImage>* images);

// A person's verdict on one image, kept in the catalog apart from the filters' decisions and
// respected by every later filter run: "keep" exempts it from the duplicate filters
// (near_duplicate, repeated_caption; such decisions on it are removed now), "drop" drops it (the
// "review" filter), "" withdraws the verdict (the filters decide again at their next run).
[[nodiscard]] Status review_dataset_image(const std::string& catalog, int64_t image_id, const std::string& verdict);

// A caption edit; the original caption stays in the catalog.
[[nodiscard]] Status set_dataset_caption(const std::string& catalog, int64_t image_id, const std::string& caption);

}  // namespace tessera

namespace tessera {

// ---- shards ------------------------------------------------------------------------------

struct DatasetShardOptions {
  std::string catalog;
  std::string out_dir;          // an empty (or new) folder
  int min_side = 0;             // also skip kept images whose smaller side is below this
  int resize = 0;               // > 0: centre-crop to a square and resize to resize x resize
  std::string image_format = "jpeg";  // with resize: "jpeg" (quality 95) or "png"
  std::string compression;      // "" or "zstd" / "zstd:L"
  uint64_t size_limit = uint64_t{1} << 26;  // raw bytes per shard (mosaicml-streaming's default)
  int threads = 0;              // decode/resize threads; 0: all cores (at most 16)
};

struct DatasetShardSummary {
  int64_t samples = 0;
  int64_t skipped = 0;          // kept images not written (too small, unreadable, changed since import)
  size_t shards = 0;
  uint64_t file_bytes = 0;
  std::vector<DatasetProblem> problems;
};

// Writes the catalog's kept images as an MDS shard set (mosaicml-streaming format) with the
// columns image (jpeg/png when resized, else the original file as bytes), caption (str, the
// edited caption), width and height (int32, of the stored image), aesthetic (float64, NaN when
// an image has none; only when some image has one), id and sha256 (str). Images whose file no
// longer matches the catalog's hash are skipped and reported.
[[nodiscard]] Status write_dataset_shards(const DatasetShardOptions& options,
                                          const std::function<bool(int64_t done, int64_t total)>& progress,
                                          DatasetShardSummary* summary);

}  // namespace tessera
