#include "args.h"

#include <cerrno>
#include <cstdlib>
#include <sstream>

namespace tessera::cli {

std::string ParsedArgs::get(const std::string& name, const std::string& fallback) const {
  auto it = values_.find(name);
  return it == values_.end() || it->second.empty() ? fallback : it->second.back();
}

std::vector<std::string> ParsedArgs::get_all(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

long long ParsedArgs::get_int(const std::string& name, long long fallback, long long min,
                              long long max) const {
  if (!has(name)) return fallback;
  const std::string text = get(name);
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || end == nullptr || *end != '\0' || errno == ERANGE) {
    throw UsageError("--" + name + " expects a whole number, got '" + text + "'");
  }
  if (v < min || v > max) {
    throw UsageError("--" + name + " must be between " + std::to_string(min) + " and " +
                     std::to_string(max) + ", got " + text);
  }
  return v;
}

double ParsedArgs::get_double(const std::string& name, double fallback) const {
  if (!has(name)) return fallback;
  const std::string text = get(name);
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end == nullptr || *end != '\0' || errno == ERANGE) {
    throw UsageError("--" + name + " expects a number, got '" + text + "'");
  }
  return v;
}

const std::vector<FlagSpec>& common_flags() {
  static const std::vector<FlagSpec> flags = {
      {"threads", "N", "intra-op CPU threads (default: all cores)"},
      {"help", "", "show this help"},
  };
  return flags;
}

ParsedArgs parse_flags(const std::string& command, const std::vector<std::string>& args,
                       const std::vector<FlagSpec>& specs, size_t min_positionals,
                       size_t max_positionals) {
  auto find = [&](const std::string& name) -> const FlagSpec* {
    for (const auto& s : specs)
      if (s.name == name) return &s;
    for (const auto& s : common_flags())
      if (s.name == name) return &s;
    return nullptr;
  };
  const std::string see = " (see 'tessera " + command + " --help')";
  ParsedArgs out;
  bool flags_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (flags_done || word.size() < 2 || word[0] != '-') {
      out.positionals_.push_back(word);
      continue;
    }
    if (word == "--") {
      flags_done = true;
      continue;
    }
    if (word == "-h") {
      out.values_["help"].push_back("");
      continue;
    }
    if (word.rfind("--", 0) != 0) {
      throw UsageError("unknown flag '" + word + "' for '" + command + "'" + see);
    }
    std::string name = word.substr(2);
    std::string value;
    bool inline_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inline_value = true;
    }
    const FlagSpec* spec = find(name);
    if (spec == nullptr) throw UsageError("unknown flag '--" + name + "' for '" + command + "'" + see);
    if (spec->value_name.empty()) {
      if (inline_value) throw UsageError("--" + name + " takes no value");
    } else if (!inline_value) {
      if (i + 1 >= args.size()) {
        throw UsageError("--" + name + " needs a value (" + spec->value_name + ")");
      }
      value = args[++i];
    }
    auto& slot = out.values_[name];
    if (!slot.empty() && !spec->repeatable) throw UsageError("--" + name + " given more than once");
    slot.push_back(value);
  }
  if (out.has("help")) return out;  // help wins over argument-count checks
  if (out.positionals_.size() > max_positionals) {
    throw UsageError("unexpected argument '" + out.positionals_[max_positionals] + "' for '" +
                     command + "'" + see);
  }
  if (out.positionals_.size() < min_positionals) {
    throw UsageError("'" + command + "' needs " + std::to_string(min_positionals) + " argument(s)" + see);
  }
  return out;
}

std::string command_help(const Command& command) {
  std::ostringstream os;
  os << "usage: " << command.usage << "\n\n" << command.summary << "\n\nflags:\n";
  auto print = [&](const FlagSpec& f) {
    std::string left = "  --" + f.name + (f.value_name.empty() ? "" : " " + f.value_name);
    if (left.size() < 28) {
      left.resize(28, ' ');
    } else {
      left += "  ";
    }
    os << left << f.help << "\n";
  };
  for (const auto& f : command.flags) print(f);
  for (const auto& f : common_flags()) print(f);
  return os.str();
}

}  // namespace tessera::cli
