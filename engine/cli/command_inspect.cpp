// tessera inspect: what a .safetensors file or a diffusers folder holds (headers and configs only).

#include "commands.h"

#include "tessera/inspect.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace tessera::cli {
namespace {

// 792964 -> "792,964"
std::string grouped(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string human_bytes(uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024.0 && u < 4) {
    v /= 1024.0;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  return buf;
}

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

std::string padded(std::string s, size_t width) {
  if (s.size() < width) s.resize(width, ' ');
  return s + " ";
}

void print_weights(std::ostream& os, const WeightsSummary& w, const std::string& indent) {
  os << indent << padded("files", 11);
  for (size_t i = 0; i < w.files.size(); ++i) os << (i ? ", " : "") << w.files[i];
  os << " (" << human_bytes(w.file_bytes) << ")\n";
  os << indent << padded("tensors", 11) << grouped(w.tensors) << "\n";
  os << indent << padded("parameters", 11) << grouped(w.parameters) << "\n";
  for (const auto& d : w.dtypes) {
    os << indent << padded("dtype", 11) << padded(d.dtype, 5) << grouped(d.tensors) << " tensors, "
       << grouped(d.parameters) << " params, " << human_bytes(d.bytes) << "\n";
  }
  for (const auto& [k, v] : w.metadata) os << indent << padded("metadata", 11) << k << " = " << v << "\n";
  for (const auto& t : w.largest) {
    os << indent << padded("largest", 11) << t.name << "  " << t.dtype << " " << shape_text(t.shape) << "  "
       << grouped(t.parameters) << " params\n";
  }
}

void print_text(const InspectReport& r) {
  std::ostream& os = std::cout;
  if (r.kind == InspectKind::WeightsFile) {
    print_weights(os, r.weights, "");
    return;
  }
  if (r.kind == InspectKind::Pipeline) {
    os << "pipeline    " << (r.pipeline_class.empty() ? "(unnamed)" : r.pipeline_class);
    if (!r.diffusers_version.empty()) os << " (diffusers " << r.diffusers_version << ")";
    os << "  " << r.path << "\n";
  }
  for (const auto& c : r.components) {
    if (r.kind == InspectKind::Pipeline) os << "\n";
    os << padded(c.name, 11) << (c.library.empty() ? "" : c.library + " ") << c.class_name;
    if (!c.config_file.empty()) os << "  (" << c.config_file << ")";
    os << "\n";
    for (const auto& [k, v] : c.config) os << "  " << padded(k, 24) << v << "\n";
    if (c.has_weights) {
      WeightsSummary w = c.weights;
      if (r.kind == InspectKind::Pipeline) w.largest.resize(std::min<size_t>(w.largest.size(), 1));
      print_weights(os, w, "  ");
    }
  }
}

nlohmann::json weights_json(const WeightsSummary& w) {
  nlohmann::json dtypes = nlohmann::json::array();
  for (const auto& d : w.dtypes) {
    dtypes.push_back({{"dtype", d.dtype}, {"tensors", d.tensors}, {"parameters", d.parameters}, {"bytes", d.bytes}});
  }
  nlohmann::json largest = nlohmann::json::array();
  for (const auto& t : w.largest) {
    largest.push_back({{"name", t.name}, {"dtype", t.dtype}, {"shape", t.shape}, {"parameters", t.parameters},
                       {"bytes", t.bytes}});
  }
  return {{"files", w.files},           {"file_bytes", w.file_bytes}, {"tensors", w.tensors},
          {"parameters", w.parameters}, {"data_bytes", w.data_bytes}, {"dtypes", dtypes},
          {"metadata", w.metadata},     {"largest", largest}};
}

nlohmann::json report_json(const InspectReport& r) {
  const char* kind = r.kind == InspectKind::WeightsFile ? "file" : r.kind == InspectKind::Pipeline ? "pipeline"
                                                                                                  : "component";
  nlohmann::json j = {{"kind", kind}, {"path", r.path}};
  if (r.kind == InspectKind::WeightsFile) {
    j["weights"] = weights_json(r.weights);
    return j;
  }
  if (r.kind == InspectKind::Pipeline) {
    j["pipeline_class"] = r.pipeline_class;
    j["diffusers_version"] = r.diffusers_version;
  }
  nlohmann::json components = nlohmann::json::array();
  for (const auto& c : r.components) {
    nlohmann::json config = nlohmann::json::object();
    for (const auto& [k, v] : c.config) config[k] = nlohmann::json::parse(v, nullptr, false);
    components.push_back({{"name", c.name},
                          {"library", c.library},
                          {"class_name", c.class_name},
                          {"config_file", c.config_file},
                          {"config", config},
                          {"weights", c.has_weights ? weights_json(c.weights) : nlohmann::json()}});
  }
  j["components"] = components;
  return j;
}

}  // namespace

Command make_inspect_command() {
  Command c;
  c.name = "inspect";
  c.usage = "tessera inspect PATH [--json] [--largest N]";
  c.summary = "show what a .safetensors file or a diffusers folder holds (tensors, dtypes, configs)";
  c.flags = {{"json", "", "print one JSON object instead of text"},
             {"largest", "N", "how many of the largest tensors to list (default 5)"}};
  c.min_positionals = 1;
  c.max_positionals = 1;
  c.run = [](const ParsedArgs& args) {
    InspectOptions options;
    options.largest = static_cast<size_t>(args.get_int("largest", 5, 0, 1000000));
    InspectReport report;
    const Status status = inspect_weights(args.positionals().front(), &report, options);
    if (!status.ok()) {
      std::cerr << "tessera: " << status.to_string() << "\n";
      return 1;
    }
    if (args.has("json")) {
      std::cout << report_json(report).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    } else {
      print_text(report);
    }
    return 0;
  };
  return c;
}

}  // namespace tessera::cli
