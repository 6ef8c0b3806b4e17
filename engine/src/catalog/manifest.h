#pragma once
// What an import reads: a folder of images with same-name .txt caption sidecars (recursive), a
// CSV manifest (a header naming the path and caption columns; other columns become metadata,
// numbers as numbers) or a JSON Lines manifest (one object per line, same keys). Manifests are
// untrusted: a malformed row is reported with its line and skipped, never fatal.

#include <cstdint>
#include <string>
#include <vector>

namespace tessera::catalog {

struct ImportItem {
  std::string path;  // absolute (relative manifest paths are taken from the manifest's folder)
  std::string caption;
  std::string metadata_json = "{}";  // a JSON object
};

struct ManifestProblem {
  std::string where;  // a file path, or "manifest.csv:12"
  std::string reason;
};

struct Manifest {
  std::string source;  // the folder or manifest file, absolute
  std::vector<ImportItem> items;
  std::vector<ManifestProblem> problems;
};

// Column (CSV) or key (JSONL) names, compared case-insensitively.
extern const char* const kPathKeys[];     // path, file, file_name, filename, image, image_path
extern const char* const kCaptionKeys[];  // caption, text, prompt

// A folder, a .csv or a .jsonl/.json file. Throws tessera::Error when `from` cannot be read at
// all (missing, unreadable, no header); problems inside it are listed in the result.
Manifest read_import_source(const std::string& from);

Manifest scan_folder(const std::string& folder);
Manifest read_csv_manifest(const std::string& path);
Manifest read_jsonl_manifest(const std::string& path);

// RFC 4180 CSV: fields separated by commas, double-quoted fields may hold commas, newlines and
// "" for a quote; CRLF or LF line ends; a UTF-8 BOM is ignored. Each record keeps the line it
// started on. Throws tessera::Error for an unterminated quote or a field over 1 MiB.
struct CsvRecord {
  int64_t line = 0;
  std::vector<std::string> fields;
};
std::vector<CsvRecord> parse_csv(const std::string& text);

}  // namespace tessera::catalog
