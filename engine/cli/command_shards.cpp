// tessera shards SUBCOMMAND: MDS shard sets (mosaicml-streaming's format).
//   inspect DIR [--dump] [--json]   validate a shard set and summarise it; --dump prints one JSON
//                                   line per sample (binary columns as SHA-1)
// Subcommands are listed in kSubcommands; each takes the words after its name.

#include "commands.h"

#include "tessera/shards.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace tessera::cli {

int run_shards_write(const ParsedArgs& args);  // command_shards_write.cpp

namespace {

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

int run_inspect(const ParsedArgs& args) {
  if (args.positionals().size() != 2) throw UsageError("shards inspect takes one folder: tessera shards inspect DIR [--dump]");
  const std::string dir = args.positionals()[1];
  ShardInspectOptions options;
  if (args.has("dump")) {
    options.dump = [](const std::string& line) { std::cout << line << "\n"; };
  }
  ShardSetSummary s;
  const Status status = inspect_shards(dir, &s, options);
  if (!status.ok()) {
    std::cout.flush();
    std::cerr << "tessera: " << status.to_string() << "\n";
    return 1;
  }
  if (args.has("dump")) return 0;  // stdout holds only the sample lines
  if (args.has("json")) {
    nlohmann::json columns = nlohmann::json::array();
    for (const auto& c : s.columns) columns.push_back({{"name", c.name}, {"encoding", c.encoding}});
    nlohmann::json shards = nlohmann::json::array();
    for (const auto& f : s.shards)
      shards.push_back({{"file", f.file}, {"samples", f.samples}, {"raw_bytes", f.raw_bytes}, {"file_bytes", f.file_bytes}});
    const nlohmann::json j = {{"dir", s.dir},           {"valid", true},
                              {"samples", s.samples},   {"raw_bytes", s.raw_bytes},
                              {"file_bytes", s.file_bytes}, {"compression", s.compression.empty() ? nlohmann::json() : nlohmann::json(s.compression)},
                              {"hashes", s.hashes},     {"columns", columns},
                              {"shards", shards}};
    std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  std::cout << "shard set   " << s.dir << " (valid)\n";
  std::cout << "samples     " << s.samples << " in " << s.shards.size() << " shard(s)\n";
  std::cout << "size        " << human_bytes(s.raw_bytes) << " raw, " << human_bytes(s.file_bytes) << " stored\n";
  std::cout << "compression " << (s.compression.empty() ? "none" : s.compression) << "\n";
  std::cout << "hashes      ";
  for (size_t i = 0; i < s.hashes.size(); ++i) std::cout << (i ? ", " : "") << s.hashes[i];
  std::cout << (s.hashes.empty() ? "none\n" : "\n");
  for (const auto& c : s.columns) std::cout << "column      " << c.name << " (" << c.encoding << ")\n";
  return 0;
}

struct Subcommand {
  const char* name;
  const char* usage;
  int (*run)(const ParsedArgs&);
};

// `write` (from a catalog) is added here by the catalog area.
const Subcommand kSubcommands[] = {
    {"write",
     "tessera shards write --catalog FILE --out DIR [--min-side N] [--resize N [--image-format jpeg|png]]\n"
     "                     [--compression zstd:L] [--size-limit BYTES] [--jobs N]",
     run_shards_write},  // command_shards_write.cpp
    {"inspect", "tessera shards inspect DIR [--dump] [--json]", run_inspect},
};

}  // namespace

Command make_shards_command() {
  Command c;
  c.name = "shards";
  c.usage = "tessera shards inspect DIR [--dump] [--json]\n"
            "tessera shards write --catalog FILE --out DIR [--min-side N] [--resize N] [--compression zstd:L] [--size-limit BYTES]";
  c.summary = "MDS shard sets (mosaicml-streaming format): inspect validates a set and dumps its samples";
  c.flags = {{"dump", "", "inspect: print one JSON line per sample (binary columns as SHA-1)"},
             {"json", "", "inspect: print the summary as one JSON object"},
             // write (command_shards_write.cpp)
             {"catalog", "FILE", "write: the catalog whose kept images are written"},
             {"out", "DIR", "write: output folder (empty or new)"},
             {"min-side", "N", "write: skip images whose smaller side is below N"},
             {"resize", "N", "write: centre-crop and resize to N x N, re-encoded (default: files as they are)"},
             {"image-format", "FMT", "write: jpeg (quality 95, default) or png, with --resize"},
             {"compression", "zstd:L", "write: compress shards with zstd at level L"},
             {"size-limit", "BYTES", "write: raw bytes per shard (default 67108864)"},
             {"jobs", "N", "write: decode/resize threads (default: all cores)"}};
  c.min_positionals = 1;
  c.max_positionals = 8;
  c.run = [](const ParsedArgs& args) {
    const std::string& sub = args.positionals().front();
    std::string names;
    for (const auto& s : kSubcommands) {
      if (sub == s.name) return s.run(args);
      names += names.empty() ? s.name : std::string(", ") + s.name;
    }
    throw UsageError("unknown shards subcommand '" + sub + "' (available: " + names + ")");
  };
  return c;
}

}  // namespace tessera::cli
