#pragma once
// The curation catalog: one SQLite file, one row per image (path, content hash, size, format,
// perceptual hash, original and edited caption, tags, metadata JSON, provenance), the filter
// decisions with their reasons, and the files an import could not read. Journal in WAL mode so
// that the studio can read while an import writes. Torch-free.

#include "catalog/sqlite_db.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tessera::catalog {

// PRAGMA user_version of a catalog this build writes. Older catalogs are migrated in order on
// open; newer ones are refused.
int current_schema_version();

struct ImageRecord {
  int64_t id = 0;
  std::string path;  // absolute
  std::string sha256;  // hex, of the file's bytes
  int64_t byte_size = 0;
  int64_t mtime_ns = 0;
  int width = 0;  // as displayed (EXIF orientation applied)
  int height = 0;
  std::string format;  // "jpeg", "png", "webp"
  uint64_t phash = 0;  // 64-bit DCT perceptual hash
  std::string caption_original;
  std::string caption;  // the edited caption (equal to the original until edited)
  std::string tags_json = "[]";
  std::string metadata_json = "{}";  // e.g. {"aesthetic": 5.1}
  std::string source;  // the folder or manifest the image came from
  std::string imported_at;  // UTC, ISO 8601
};

struct Decision {
  int64_t image_id = 0;
  std::string filter;  // "min_side", "aspect", "near_duplicate", ...
  std::string reason;  // human-readable, e.g. "smaller side 200 < 256"
  int64_t duplicate_of = 0;  // near-duplicate / repeated caption: the kept image's id (0: none)
};

struct ImportError {
  std::string path;
  std::string reason;
};

// What the import needs to know to skip an unchanged file.
struct KnownFile {
  int64_t id = 0;
  int64_t byte_size = 0;
  int64_t mtime_ns = 0;
  std::string caption_original;
  std::string metadata_json;
};

inline constexpr const char* kReviewKeep = "keep";
inline constexpr const char* kReviewDrop = "drop";
inline constexpr const char* kReviewFilter = "review";  // the decision of a "drop" review

class Catalog {
 public:
  // Opens (and with `create`, creates) a catalog read-write, applying pending migrations.
  static Catalog open(const std::string& path, bool create);
  // A second connection for readers; sees the last committed state while a writer works.
  static Catalog open_read_only(const std::string& path);

  Database& db() { return db_; }
  const std::string& path() const { return db_.path(); }

  std::optional<KnownFile> find_by_path(const std::string& path);
  // Inserts, or replaces the image fields of the row with the same path (its id, an edited
  // caption and its tags stay; its filter decisions are cleared). Returns the row id.
  int64_t upsert_image(const ImageRecord& record);
  // The manifest changed but the file did not: new original caption (the edited one follows
  // unless it was edited) and metadata.
  void update_caption_and_metadata(int64_t id, const std::string& caption_original, const std::string& metadata_json);
  void set_caption(int64_t id, const std::string& caption);  // a user's edit; the original stays
  void set_tags(int64_t id, const std::string& tags_json);

  void record_import_error(const std::string& path, const std::string& reason);
  void clear_import_error(const std::string& path);
  std::vector<ImportError> import_errors();

  int64_t image_count();
  // Rows in id order; `limit` < 0 means all.
  std::vector<ImageRecord> images(int64_t offset = 0, int64_t limit = -1);
  // Up to `limit` rows with ids above `after_id`, in id order: paging that costs the same on
  // every page (an OFFSET steps over all the rows before it).
  std::vector<ImageRecord> images_after(int64_t after_id, int64_t limit);
  std::optional<ImageRecord> image(int64_t id);
  void for_each_image(const std::function<void(const ImageRecord&)>& fn);

  void clear_decisions(const std::vector<std::string>& filters);  // empty: all
  void add_decision(const Decision& decision);
  std::vector<Decision> decisions();
  std::vector<Decision> decisions_for(int64_t image_id);
  void remove_decision(int64_t image_id, const std::string& filter);

  // A person's verdict on an image ("keep" or "drop"; empty removes it). Stored apart from the
  // filters' decisions and never cleared by them: a kept image is exempt from the duplicate
  // filters (near_duplicate, repeated_caption), a dropped one is dropped by the "review" filter.
  void set_review(int64_t image_id, const std::string& verdict);
  std::map<int64_t, std::string> reviews();

 private:
  explicit Catalog(Database db) : db_(std::move(db)) {}
  void migrate();
  // SELECT of every image column with `clause` appended, its two ? bound to first and second.
  std::vector<ImageRecord> select_images(const char* clause, int64_t first, int64_t second);
  Database db_;
};

// The current UTC time as "YYYY-MM-DDTHH:MM:SSZ".
std::string utc_now();

}  // namespace tessera::catalog
