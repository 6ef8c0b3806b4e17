#pragma once
// Strict reading of diffusers config.json files into plain config structs: every key must be
// consumed (read, checked or explicitly ignored), so an unknown key that could change the math
// is reported by name instead of silently ignored.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace tessera::models {

// The whole file as text; throws tessera::Error naming the path when it cannot be read.
std::string read_text_file(const std::string& path);

class ConfigReader {
 public:
  // `what` names the file in messages, e.g. "unet/config.json".
  ConfigReader(nlohmann::json json, std::string what);
  static ConfigReader from_text(const std::string& text, const std::string& what);
  static ConfigReader from_file(const std::string& path);

  // Present and not null.
  bool has(const std::string& key) const;
  // Present with the value null.
  bool is_null(const std::string& key) const;

  int64_t get_int(const std::string& key, int64_t fallback);
  double get_double(const std::string& key, double fallback);
  bool get_bool(const std::string& key, bool fallback);
  std::string get_string(const std::string& key, const std::string& fallback);
  std::vector<std::string> get_string_list(const std::string& key, const std::vector<std::string>& fallback);
  std::vector<int64_t> get_int_list(const std::string& key, const std::vector<int64_t>& fallback);
  // An int (repeated `count` times) or a list of exactly `count` ints.
  std::vector<int64_t> get_int_or_list(const std::string& key, int64_t fallback, size_t count);

  // The key must be absent, null, or equal to one of `allowed` (numbers compare by value).
  void expect(const std::string& key, const std::vector<nlohmann::json>& allowed, const std::string& why);
  // The key must be absent or null.
  void expect_null(const std::string& key, const std::string& why);
  // The key has no effect on the computation Tessera does (informational or pipeline-level).
  void ignore(const std::string& key);

  // The raw value (nullptr when absent or null), marked as consumed; for keys of unusual type.
  const nlohmann::json* raw(const std::string& key) { return find(key); }

  // Throws tessera::Error naming every key that was not consumed.
  void finish() const;

  [[noreturn]] void fail(const std::string& key, const std::string& problem, const std::string& hint = {}) const;
  const std::string& what() const { return what_; }

 private:
  const nlohmann::json* find(const std::string& key);
  std::string value_text(const std::string& key) const;

  nlohmann::json json_;
  std::string what_;
  std::set<std::string> consumed_;
};

}  // namespace tessera::models
