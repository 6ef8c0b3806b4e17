#include "catalog/manifest.h"

#include "tessera/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

namespace fs = std::filesystem;

namespace tessera::catalog {

const char* const kPathKeys[] = {"path", "file", "file_name", "filename", "image", "image_path", nullptr};
const char* const kCaptionKeys[] = {"caption", "text", "prompt", nullptr};

namespace {

constexpr size_t kMaxField = 1u << 20;            // one CSV field / caption
constexpr uintmax_t kMaxManifestBytes = 4ull << 30;  // read into memory whole
constexpr uintmax_t kMaxSidecarBytes = 1u << 20;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool is_one_of(const std::string& name, const char* const* keys) {
  const std::string l = lower(name);
  for (const char* const* k = keys; *k != nullptr; ++k)
    if (l == *k) return true;
  return false;
}

std::string read_text_file(const fs::path& path, uintmax_t limit) {
  std::error_code ec;
  const uintmax_t size = fs::file_size(path, ec);
  if (ec) throw Error("cannot read " + path.string() + ": " + ec.message());
  if (size > limit) throw Error(path.string() + " is " + std::to_string(size) + " bytes, over the limit of " + std::to_string(limit));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot open " + path.string());
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  const size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::string absolute_from(const fs::path& base_dir, const std::string& p) {
  fs::path path(p);
  if (path.is_relative()) path = base_dir / path;
  return path.lexically_normal().string();
}

// A CSV cell as JSON: a number when all of it parses as one, else the string.
nlohmann::json cell_value(const std::string& cell) {
  const std::string t = trim(cell);
  if (!t.empty()) {
    char* end = nullptr;
    const double v = std::strtod(t.c_str(), &end);
    if (end == t.c_str() + t.size() && std::isfinite(v)) return v;
  }
  return cell;
}

}  // namespace

std::vector<CsvRecord> parse_csv(const std::string& input) {
  size_t i = input.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  std::vector<CsvRecord> records;
  CsvRecord record;
  std::string field;
  int64_t line = 1;
  record.line = 1;
  bool quoted = false;
  bool field_started = false;  // something (even "") was in this field
  auto end_field = [&] {
    record.fields.push_back(std::move(field));
    field.clear();
    field_started = false;
  };
  auto end_record = [&] {
    end_field();
    const bool blank = record.fields.size() == 1 && record.fields[0].empty();
    if (!blank) records.push_back(std::move(record));
    record = CsvRecord{};
    record.line = line;
  };
  int64_t quote_line = 0;
  for (; i < input.size(); ++i) {
    const char c = input[i];
    if (field.size() > kMaxField) throw Error("CSV line " + std::to_string(record.line) + ": a field is over 1 MiB");
    if (quoted) {
      if (c == '"') {
        if (i + 1 < input.size() && input[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && !field_started) {
      quoted = true;
      field_started = true;
      quote_line = line;
    } else if (c == ',') {
      end_field();
    } else if (c == '\r' && i + 1 < input.size() && input[i + 1] == '\n') {
      // CRLF: the LF ends the record
    } else if (c == '\n') {
      ++line;
      end_record();
    } else {
      field += c;
      field_started = true;
    }
  }
  if (quoted) throw Error("CSV: the quote opened on line " + std::to_string(quote_line) + " is never closed");
  if (field_started || !record.fields.empty()) end_record();
  return records;
}

Manifest scan_folder(const std::string& folder) {
  Manifest m;
  const fs::path root = fs::absolute(folder).lexically_normal();
  m.source = root.string();
  std::vector<fs::path> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  if (ec) throw Error("cannot read folder " + folder + ": " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) {
      m.problems.push_back({it->path().string(), "cannot read: " + ec.message()});
      ec.clear();
      continue;
    }
    const std::string name = it->path().filename().string();
    if (!name.empty() && name[0] == '.') {  // hidden files and folders
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec)) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  std::set<fs::path> stems;  // of the non-.txt files, for sidecars without an image
  for (const auto& f : files) {
    if (lower(f.extension().string()) != ".txt") stems.insert(fs::path(f).replace_extension());
  }
  for (const auto& f : files) {
    if (lower(f.extension().string()) == ".txt") {
      if (stems.count(fs::path(f).replace_extension()) == 0) {
        m.problems.push_back({f.string(), "caption sidecar without an image (no file with the same name)"});
      }
      continue;
    }
    ImportItem item;
    item.path = f.string();
    for (const char* ext : {".txt", ".TXT"}) {
      const fs::path sidecar = fs::path(f).replace_extension(ext);
      if (!fs::exists(sidecar, ec)) continue;
      try {
        item.caption = trim(read_text_file(sidecar, kMaxSidecarBytes));
      } catch (const Error& e) {
        m.problems.push_back({sidecar.string(), std::string("caption not read: ") + e.what()});
      }
      break;
    }
    m.items.push_back(std::move(item));
  }
  return m;
}

Manifest read_csv_manifest(const std::string& path) {
  Manifest m;
  const fs::path file = fs::absolute(path).lexically_normal();
  m.source = file.string();
  const std::vector<CsvRecord> records = parse_csv(read_text_file(file, kMaxManifestBytes));
  if (records.empty()) throw Error("CSV manifest " + path + " is empty", "the first line must name the columns");
  const std::vector<std::string>& header = records[0].fields;
  int path_col = -1;
  int caption_col = -1;
  for (size_t c = 0; c < header.size(); ++c) {
    if (path_col < 0 && is_one_of(trim(header[c]), kPathKeys)) path_col = static_cast<int>(c);
    else if (caption_col < 0 && is_one_of(trim(header[c]), kCaptionKeys)) caption_col = static_cast<int>(c);
  }
  if (path_col < 0) {
    throw Error("CSV manifest " + path + " has no path column", "name one column path, file, file_name or image");
  }
  const fs::path base = file.parent_path();
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& rec = records[r];
    const std::string where = m.source + ":" + std::to_string(rec.line);
    if (rec.fields.size() != header.size()) {
      m.problems.push_back({where, "expected " + std::to_string(header.size()) + " fields, found " + std::to_string(rec.fields.size())});
      continue;
    }
    const std::string p = trim(rec.fields[path_col]);
    if (p.empty()) {
      m.problems.push_back({where, "empty path"});
      continue;
    }
    ImportItem item;
    item.path = absolute_from(base, p);
    if (caption_col >= 0) item.caption = trim(rec.fields[caption_col]);
    nlohmann::json meta = nlohmann::json::object();
    for (size_t c = 0; c < header.size(); ++c) {
      if (static_cast<int>(c) == path_col || static_cast<int>(c) == caption_col) continue;
      if (trim(rec.fields[c]).empty()) continue;
      meta[trim(header[c])] = cell_value(rec.fields[c]);
    }
    item.metadata_json = meta.dump();
    m.items.push_back(std::move(item));
  }
  return m;
}

Manifest read_jsonl_manifest(const std::string& path) {
  Manifest m;
  const fs::path file = fs::absolute(path).lexically_normal();
  m.source = file.string();
  const std::string text = read_text_file(file, kMaxManifestBytes);
  const fs::path base = file.parent_path();
  size_t start = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  int64_t line_no = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = trim(text.substr(start, end - start));
    start = end + 1;
    ++line_no;
    if (line.empty()) continue;
    const std::string where = m.source + ":" + std::to_string(line_no);
    const nlohmann::json row = nlohmann::json::parse(line, nullptr, false);
    if (row.is_discarded() || !row.is_object()) {
      m.problems.push_back({where, "not a JSON object"});
      continue;
    }
    ImportItem item;
    bool have_path = false;
    bool have_caption = false;
    nlohmann::json meta = nlohmann::json::object();
    for (const auto& [key, value] : row.items()) {
      if (!have_path && is_one_of(key, kPathKeys) && value.is_string()) {
        item.path = absolute_from(base, trim(value.get<std::string>()));
        have_path = !trim(value.get<std::string>()).empty();
      } else if (!have_caption && is_one_of(key, kCaptionKeys) && value.is_string()) {
        item.caption = trim(value.get<std::string>());
        have_caption = true;
      } else {
        meta[key] = value;
      }
    }
    if (!have_path) {
      m.problems.push_back({where, "no \"path\" (or \"file\", \"file_name\", \"image\") string"});
      continue;
    }
    item.metadata_json = meta.dump();
    m.items.push_back(std::move(item));
  }
  return m;
}

Manifest read_import_source(const std::string& from) {
  std::error_code ec;
  const fs::file_status st = fs::status(from, ec);
  if (ec || !fs::exists(st)) throw Error("import source " + from + " does not exist", "give a folder, a .csv or a .jsonl file");
  if (fs::is_directory(st)) return scan_folder(from);
  const std::string ext = lower(fs::path(from).extension().string());
  if (ext == ".csv") return read_csv_manifest(from);
  if (ext == ".jsonl" || ext == ".json" || ext == ".ndjson") return read_jsonl_manifest(from);
  throw Error("cannot import from " + from + ": not a folder, .csv or .jsonl", "give a folder, a .csv or a .jsonl file");
}

}  // namespace tessera::catalog
