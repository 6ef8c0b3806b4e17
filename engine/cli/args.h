#pragma once
// A small, strict command-line parser for the `tessera` CLI: every flag a command accepts is
// declared, anything else is a usage error with one clear line.

#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace tessera::cli {

// Bad command line: printed as "tessera: <message>" with exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct FlagSpec {
  std::string name;        // without the leading "--"
  std::string value_name;  // empty: a switch that takes no value
  std::string help;
  bool repeatable = false;
};

class ParsedArgs {
 public:
  bool has(const std::string& name) const { return values_.count(name) != 0; }
  std::string get(const std::string& name, const std::string& fallback = {}) const;
  std::vector<std::string> get_all(const std::string& name) const;
  long long get_int(const std::string& name, long long fallback, long long min, long long max) const;
  double get_double(const std::string& name, double fallback) const;
  const std::vector<std::string>& positionals() const { return positionals_; }

 private:
  friend ParsedArgs parse_flags(const std::string&, const std::vector<std::string>&,
                                const std::vector<FlagSpec>&, size_t, size_t);
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positionals_;
};

// Parses `args` (the words after the command name) against `specs` plus common_flags().
// Accepts "--name value" and "--name=value"; "--" ends the flags. Throws UsageError naming the
// offending word.
ParsedArgs parse_flags(const std::string& command, const std::vector<std::string>& args,
                       const std::vector<FlagSpec>& specs, size_t min_positionals,
                       size_t max_positionals);

// Flags every command accepts (--threads, --help).
const std::vector<FlagSpec>& common_flags();

struct Command {
  std::string name;
  std::string usage;    // e.g. "tessera version [--json]"
  std::string summary;  // one line for `tessera --help`
  std::vector<FlagSpec> flags;
  size_t min_positionals = 0;
  size_t max_positionals = 0;
  std::function<int(const ParsedArgs&)> run;  // returns the exit code
};

// Formats "usage + flags" help for one command.
std::string command_help(const Command& command);

}  // namespace tessera::cli
