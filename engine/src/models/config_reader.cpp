#include "models/config_reader.h"

#include "tessera/error.h"

#include <cmath>
#include <fstream>
#include <sstream>

namespace tessera::models {

ConfigReader::ConfigReader(nlohmann::json json, std::string what) : json_(std::move(json)), what_(std::move(what)) {
  if (!json_.is_object())
    throw Error(what_ + ": expected a JSON object at the top level", "check that the file is a diffusers config.json");
}

ConfigReader ConfigReader::from_text(const std::string& text, const std::string& what) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw Error(what + ": not valid JSON (" + e.what() + ")", "check or re-download the config file");
  }
  return ConfigReader(std::move(j), what);
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot open " + path, "check that the model folder has this file (diffusers layout)");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

ConfigReader ConfigReader::from_file(const std::string& path) { return from_text(read_text_file(path), path); }

bool ConfigReader::has(const std::string& key) const {
  auto it = json_.find(key);
  return it != json_.end() && !it->is_null();
}

bool ConfigReader::is_null(const std::string& key) const {
  auto it = json_.find(key);
  return it != json_.end() && it->is_null();
}

const nlohmann::json* ConfigReader::find(const std::string& key) {
  consumed_.insert(key);
  auto it = json_.find(key);
  if (it == json_.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string ConfigReader::value_text(const std::string& key) const {
  auto it = json_.find(key);
  return it == json_.end() ? std::string("<absent>") : it->dump();
}

void ConfigReader::fail(const std::string& key, const std::string& problem, const std::string& hint) const {
  throw Error(what_ + ": key \"" + key + "\" = " + value_text(key) + ": " + problem,
              hint.empty() ? "fix the value in the config file or use a supported model" : hint);
}

int64_t ConfigReader::get_int(const std::string& key, int64_t fallback) {
  const auto* v = find(key);
  if (!v) return fallback;
  if (v->is_number_integer()) return v->get<int64_t>();
  if (v->is_number_float()) {
    const double d = v->get<double>();
    if (std::floor(d) == d) return static_cast<int64_t>(d);
  }
  fail(key, "expected an integer");
}

double ConfigReader::get_double(const std::string& key, double fallback) {
  const auto* v = find(key);
  if (!v) return fallback;
  if (!v->is_number()) fail(key, "expected a number");
  return v->get<double>();
}

bool ConfigReader::get_bool(const std::string& key, bool fallback) {
  const auto* v = find(key);
  if (!v) return fallback;
  if (!v->is_boolean()) fail(key, "expected true or false");
  return v->get<bool>();
}

std::string ConfigReader::get_string(const std::string& key, const std::string& fallback) {
  const auto* v = find(key);
  if (!v) return fallback;
  if (!v->is_string()) fail(key, "expected a string");
  return v->get<std::string>();
}

std::vector<std::string> ConfigReader::get_string_list(const std::string& key,
                                                       const std::vector<std::string>& fallback) {
  const auto* v = find(key);
  if (!v) return fallback;
  if (!v->is_array()) fail(key, "expected a list of strings");
  std::vector<std::string> out;
  for (const auto& e : *v) {
    if (!e.is_string()) fail(key, "expected a list of strings");
    out.push_back(e.get<std::string>());
  }
  return out;
}

std::vector<int64_t> ConfigReader::get_int_list(const std::string& key, const std::vector<int64_t>& fallback) {
  const auto* v = find(key);
  if (!v) return fallback;
  if (!v->is_array()) fail(key, "expected a list of integers");
  std::vector<int64_t> out;
  for (const auto& e : *v) {
    if (!e.is_number_integer()) fail(key, "expected a list of integers");
    out.push_back(e.get<int64_t>());
  }
  return out;
}

std::vector<int64_t> ConfigReader::get_int_or_list(const std::string& key, int64_t fallback, size_t count) {
  const auto* v = find(key);
  if (!v) return std::vector<int64_t>(count, fallback);
  if (v->is_number_integer()) return std::vector<int64_t>(count, v->get<int64_t>());
  if (!v->is_array()) fail(key, "expected an integer or a list of integers");
  std::vector<int64_t> out;
  for (const auto& e : *v) {
    if (!e.is_number_integer()) fail(key, "expected an integer or a list of integers");
    out.push_back(e.get<int64_t>());
  }
  if (out.size() != count)
    fail(key, "expected " + std::to_string(count) + " values (one per block), got " + std::to_string(out.size()));
  return out;
}

void ConfigReader::expect(const std::string& key, const std::vector<nlohmann::json>& allowed, const std::string& why) {
  const auto* v = find(key);
  if (!v) return;
  for (const auto& a : allowed) {
    if (*v == a) return;
    if (v->is_number() && a.is_number() && v->get<double>() == a.get<double>()) return;
  }
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a.dump();
  fail(key, "not supported by Tessera (supported: " + (list.empty() ? std::string("null") : list) + ")" +
                (why.empty() ? "" : "; " + why));
}

void ConfigReader::expect_null(const std::string& key, const std::string& why) { expect(key, {}, why); }

void ConfigReader::ignore(const std::string& key) { consumed_.insert(key); }

void ConfigReader::finish() const {
  std::string unknown;
  for (auto it = json_.begin(); it != json_.end(); ++it) {
    if (consumed_.count(it.key())) continue;
    unknown += (unknown.empty() ? "" : ", ") + std::string("\"") + it.key() + "\" = " + it.value().dump();
  }
  if (!unknown.empty())
    throw Error(what_ + ": unknown key(s) " + unknown,
                "this key may change the model's math; remove it if it is known to be harmless, or use a model "
                "architecture Tessera supports");
}

}  // namespace tessera::models
