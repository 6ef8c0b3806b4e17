#include "catalog/catalog.h"

#include "tessera/error.h"

#include <ctime>

namespace tessera::catalog {
namespace {

// Migrations, applied in order: entry i takes a catalog from user_version i to i + 1. A new
// schema version appends an entry; existing entries never change.
const char* const kMigrations[] = {
    // 0 -> 1: the first schema.
    R"sql(
CREATE TABLE images (
  id               INTEGER PRIMARY KEY,
  path             TEXT    NOT NULL UNIQUE,
  sha256           TEXT    NOT NULL,
  byte_size        INTEGER NOT NULL,
  mtime_ns         INTEGER NOT NULL,
  width            INTEGER NOT NULL,
  height           INTEGER NOT NULL,
  format           TEXT    NOT NULL,
  phash            INTEGER NOT NULL,
  caption_original TEXT    NOT NULL DEFAULT '',
  caption          TEXT    NOT NULL DEFAULT '',
  tags             TEXT    NOT NULL DEFAULT '[]',
  metadata         TEXT    NOT NULL DEFAULT '{}',
  source           TEXT    NOT NULL DEFAULT '',
  imported_at      TEXT    NOT NULL
);
CREATE INDEX images_sha256 ON images(sha256);
CREATE TABLE decisions (
  image_id     INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  filter       TEXT    NOT NULL,
  reason       TEXT    NOT NULL,
  duplicate_of INTEGER,
  decided_at   TEXT    NOT NULL,
  PRIMARY KEY (image_id, filter)
);
CREATE TABLE import_errors (
  path    TEXT PRIMARY KEY,
  reason  TEXT NOT NULL,
  seen_at TEXT NOT NULL
);
)sql",
    // 1 -> 2: a person's verdict on an image, which the duplicate filters respect.
    R"sql(
CREATE TABLE reviews (
  image_id    INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
  verdict     TEXT    NOT NULL CHECK (verdict IN ('keep', 'drop')),
  reviewed_at TEXT    NOT NULL
);
)sql",
};
constexpr int kSchemaVersion = static_cast<int>(sizeof(kMigrations) / sizeof(kMigrations[0]));

const char* const kImageColumns =
    "id, path, sha256, byte_size, mtime_ns, width, height, format, phash, caption_original, caption, tags, metadata, "
    "source, imported_at";

ImageRecord read_record(const Statement& s) {
  ImageRecord r;
  r.id = s.column_int(0);
  r.path = s.column_text(1);
  r.sha256 = s.column_text(2);
  r.byte_size = s.column_int(3);
  r.mtime_ns = s.column_int(4);
  r.width = static_cast<int>(s.column_int(5));
  r.height = static_cast<int>(s.column_int(6));
  r.format = s.column_text(7);
  r.phash = static_cast<uint64_t>(s.column_int(8));
  r.caption_original = s.column_text(9);
  r.caption = s.column_text(10);
  r.tags_json = s.column_text(11);
  r.metadata_json = s.column_text(12);
  r.source = s.column_text(13);
  r.imported_at = s.column_text(14);
  return r;
}

}  // namespace

int current_schema_version() { return kSchemaVersion; }

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

Catalog Catalog::open(const std::string& path, bool create) {
  Catalog catalog(Database::open(path, create));
  catalog.db_.exec("PRAGMA foreign_keys = ON");
  // WAL: readers see the last commit while a writer appends; NORMAL sync is durable at each
  // checkpoint and never corrupts the file.
  {
    Statement mode = catalog.db_.prepare("PRAGMA journal_mode = WAL");
    if (!mode.step() || mode.column_text(0) != "wal") {
      throw Error("catalog " + path + ": cannot switch to WAL mode", "keep the catalog on a local disk, not a network share");
    }
  }  // finalised here: an unfinished statement would block the migrations' COMMIT
  catalog.db_.exec("PRAGMA synchronous = NORMAL");
  catalog.migrate();
  return catalog;
}

Catalog Catalog::open_read_only(const std::string& path) {
  Catalog catalog(Database::open(path, false, true));
  int version = catalog.db_.user_version();
  if (version < kSchemaVersion) {
    // A catalog of an older Tessera: migrated by a read-write opening first, when allowed.
    try {
      (void)Catalog::open(path, false);
    } catch (const Error&) {
    }
    catalog = Catalog(Database::open(path, false, true));
    version = catalog.db_.user_version();
  }
  if (version != kSchemaVersion) {
    throw Error("catalog " + path + " has schema version " + std::to_string(version) + ", this Tessera reads " +
                    std::to_string(kSchemaVersion),
                version < kSchemaVersion ? "open it read-write once (e.g. 'tessera dataset stats') to migrate it"
                                         : "use a newer Tessera");
  }
  return catalog;
}

void Catalog::migrate() {
  int version = db_.user_version();
  if (version > kSchemaVersion) {
    throw Error("catalog " + path() + " has schema version " + std::to_string(version) + ", newer than this Tessera's " +
                    std::to_string(kSchemaVersion),
                "use a newer Tessera");
  }
  while (version < kSchemaVersion) {
    Transaction t(db_);
    db_.exec(kMigrations[version]);
    ++version;
    db_.set_user_version(version);
    t.commit();
  }
}

std::optional<KnownFile> Catalog::find_by_path(const std::string& path) {
  Statement s = db_.prepare("SELECT id, byte_size, mtime_ns, caption_original, metadata FROM images WHERE path = ?");
  s.bind(1, path);
  if (!s.step()) return std::nullopt;
  return KnownFile{s.column_int(0), s.column_int(1), s.column_int(2), s.column_text(3), s.column_text(4)};
}

int64_t Catalog::upsert_image(const ImageRecord& r) {
  const std::optional<KnownFile> known = find_by_path(r.path);
  if (!known) {
    Statement s = db_.prepare(
        "INSERT INTO images (path, sha256, byte_size, mtime_ns, width, height, format, phash, caption_original, caption, "
        "tags, metadata, source, imported_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    s.bind(1, r.path).bind(2, r.sha256).bind(3, r.byte_size).bind(4, r.mtime_ns);
    s.bind(5, int64_t{r.width}).bind(6, int64_t{r.height}).bind(7, r.format).bind(8, static_cast<int64_t>(r.phash));
    s.bind(9, r.caption_original).bind(10, r.caption.empty() ? r.caption_original : r.caption);
    s.bind(11, r.tags_json).bind(12, r.metadata_json).bind(13, r.source).bind(14, r.imported_at);
    s.run();
    return db_.last_insert_id();
  }
  Statement s = db_.prepare(
      "UPDATE images SET sha256 = ?, byte_size = ?, mtime_ns = ?, width = ?, height = ?, format = ?, phash = ?, "
      "caption = CASE WHEN caption = caption_original THEN ? ELSE caption END, caption_original = ?, metadata = ?, "
      "source = ?, imported_at = ? WHERE id = ?");
  s.bind(1, r.sha256).bind(2, r.byte_size).bind(3, r.mtime_ns).bind(4, int64_t{r.width}).bind(5, int64_t{r.height});
  s.bind(6, r.format).bind(7, static_cast<int64_t>(r.phash)).bind(8, r.caption_original).bind(9, r.caption_original);
  s.bind(10, r.metadata_json).bind(11, r.source).bind(12, r.imported_at).bind(13, known->id);
  s.run();
  Statement d = db_.prepare("DELETE FROM decisions WHERE image_id = ?");
  d.bind(1, known->id);
  d.run();
  return known->id;
}

void Catalog::update_caption_and_metadata(int64_t id, const std::string& caption_original, const std::string& metadata_json) {
  Statement s = db_.prepare(
      "UPDATE images SET caption = CASE WHEN caption = caption_original THEN ? ELSE caption END, "
      "caption_original = ?, metadata = ? WHERE id = ?");
  s.bind(1, caption_original).bind(2, caption_original).bind(3, metadata_json).bind(4, id);
  s.run();
}

void Catalog::set_caption(int64_t id, const std::string& caption) {
  Statement s = db_.prepare("UPDATE images SET caption = ? WHERE id = ?");
  s.bind(1, caption).bind(2, id);
  s.run();
}

void Catalog::set_tags(int64_t id, const std::string& tags_json) {
  Statement s = db_.prepare("UPDATE images SET tags = ? WHERE id = ?");
  s.bind(1, tags_json).bind(2, id);
  s.run();
}

void Catalog::record_import_error(const std::string& path, const std::string& reason) {
  Statement s = db_.prepare(
      "INSERT INTO import_errors (path, reason, seen_at) VALUES (?,?,?) "
      "ON CONFLICT(path) DO UPDATE SET reason = excluded.reason, seen_at = excluded.seen_at");
  s.bind(1, path).bind(2, reason).bind(3, utc_now());
  s.run();
}

void Catalog::clear_import_error(const std::string& path) {
  Statement s = db_.prepare("DELETE FROM import_errors WHERE path = ?");
  s.bind(1, path);
  s.run();
}

std::vector<ImportError> Catalog::import_errors() {
  Statement s = db_.prepare("SELECT path, reason FROM import_errors ORDER BY path");
  std::vector<ImportError> out;
  while (s.step()) out.push_back({s.column_text(0), s.column_text(1)});
  return out;
}

int64_t Catalog::image_count() {
  Statement s = db_.prepare("SELECT COUNT(*) FROM images");
  return s.step() ? s.column_int(0) : 0;
}

std::vector<ImageRecord> Catalog::images(int64_t offset, int64_t limit) {
  return select_images("ORDER BY id LIMIT ? OFFSET ?", limit, offset);
}

std::vector<ImageRecord> Catalog::images_after(int64_t after_id, int64_t limit) {
  return select_images("WHERE id > ? ORDER BY id LIMIT ?", after_id, limit);
}

std::vector<ImageRecord> Catalog::select_images(const char* clause, int64_t first, int64_t second) {
  Statement s = db_.prepare(std::string("SELECT ") + kImageColumns + " FROM images " + clause);
  s.bind(1, first).bind(2, second);
  std::vector<ImageRecord> out;
  while (s.step()) out.push_back(read_record(s));
  return out;
}

std::optional<ImageRecord> Catalog::image(int64_t id) {
  Statement s = db_.prepare(std::string("SELECT ") + kImageColumns + " FROM images WHERE id = ?");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_record(s);
}

void Catalog::for_each_image(const std::function<void(const ImageRecord&)>& fn) {
  Statement s = db_.prepare(std::string("SELECT ") + kImageColumns + " FROM images ORDER BY id");
  while (s.step()) fn(read_record(s));
}

void Catalog::clear_decisions(const std::vector<std::string>& filters) {
  if (filters.empty()) {
    db_.exec("DELETE FROM decisions");
    return;
  }
  Statement s = db_.prepare("DELETE FROM decisions WHERE filter = ?");
  for (const auto& f : filters) {
    s.bind(1, f);
    s.run();
  }
}

void Catalog::add_decision(const Decision& d) {
  Statement s = db_.prepare(
      "INSERT OR REPLACE INTO decisions (image_id, filter, reason, duplicate_of, decided_at) VALUES (?,?,?,?,?)");
  s.bind(1, d.image_id).bind(2, d.filter).bind(3, d.reason);
  if (d.duplicate_of != 0) {
    s.bind(4, d.duplicate_of);
  } else {
    s.bind_null(4);
  }
  s.bind(5, utc_now());
  s.run();
}

namespace {
std::vector<Decision> read_decisions(Statement& s) {
  std::vector<Decision> out;
  while (s.step()) out.push_back({s.column_int(0), s.column_text(1), s.column_text(2), s.column_is_null(3) ? 0 : s.column_int(3)});
  return out;
}
}  // namespace

void Catalog::set_review(int64_t image_id, const std::string& verdict) {
  if (verdict.empty()) {
    Statement s = db_.prepare("DELETE FROM reviews WHERE image_id = ?");
    s.bind(1, image_id);
    s.run();
    return;
  }
  if (verdict != kReviewKeep && verdict != kReviewDrop) throw Error("a review verdict is keep or drop, not " + verdict);
  Statement s = db_.prepare("INSERT OR REPLACE INTO reviews (image_id, verdict, reviewed_at) VALUES (?,?,?)");
  s.bind(1, image_id).bind(2, verdict).bind(3, utc_now());
  s.run();
}

std::map<int64_t, std::string> Catalog::reviews() {
  Statement s = db_.prepare("SELECT image_id, verdict FROM reviews");
  std::map<int64_t, std::string> out;
  while (s.step()) out[s.column_int(0)] = s.column_text(1);
  return out;
}

void Catalog::remove_decision(int64_t image_id, const std::string& filter) {
  Statement s = db_.prepare("DELETE FROM decisions WHERE image_id = ? AND filter = ?");
  s.bind(1, image_id).bind(2, filter);
  s.run();
}

std::vector<Decision> Catalog::decisions() {
  Statement s = db_.prepare("SELECT image_id, filter, reason, duplicate_of FROM decisions ORDER BY image_id, filter");
  return read_decisions(s);
}

std::vector<Decision> Catalog::decisions_for(int64_t image_id) {
  Statement s = db_.prepare("SELECT image_id, filter, reason, duplicate_of FROM decisions WHERE image_id = ? ORDER BY filter");
  s.bind(1, image_id);
  return read_decisions(s);
}

}  // namespace tessera::catalog
