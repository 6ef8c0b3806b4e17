// tessera dataset import|filter|stats: the curation catalog from the command line.

#include "commands.h"

#include "tessera/dataset.h"

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <set>

namespace tessera::cli {
namespace {

volatile std::sig_atomic_t g_interrupted = 0;
void on_sigint(int) { g_interrupted = 1; }

// Every flag must belong to the subcommand.
void allow_only(const ParsedArgs& args, const std::string& sub, const std::set<std::string>& allowed,
                const std::vector<FlagSpec>& all) {
  for (const auto& f : all) {
    if (args.has(f.name) && allowed.count(f.name) == 0) {
      throw UsageError("'dataset " + sub + "' does not take --" + f.name);
    }
  }
}

double parse_number(const std::string& text, const std::string& what) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0') throw UsageError(what + " expects a number, got '" + text + "'");
  return v;
}

int run_import(const ParsedArgs& args) {
  if (!args.has("from")) throw UsageError("dataset import needs --from PATH (a folder, a .csv or a .jsonl file)");
  DatasetImportOptions o;
  o.catalog = args.get("catalog");
  o.from = args.get("from");
  o.threads = static_cast<int>(args.get_int("jobs", 0, 1, 64));
  o.batch_size = static_cast<int>(args.get_int("batch", 64, 1, 100000));
  std::signal(SIGINT, on_sigint);
  const bool terminal = isatty(STDERR_FILENO) != 0;
  auto last = std::chrono::steady_clock::now();
  DatasetImportSummary summary;
  const Status status = import_dataset(o, [&](const DatasetImportProgress& p) {
    const auto now = std::chrono::steady_clock::now();
    if (terminal && (now - last > std::chrono::milliseconds(100) || p.done == p.total)) {
      last = now;
      std::fprintf(stderr, "\r[%lld/%lld] %.60s\033[K", static_cast<long long>(p.done), static_cast<long long>(p.total),
                   p.path.c_str());
      std::fflush(stderr);
    }
    return g_interrupted == 0;
  }, &summary);
  if (terminal) std::fprintf(stderr, "\r\033[K");
  if (!status.ok() && !status.cancelled()) {
    std::cerr << "tessera: " << status.to_string() << "\n";
    return 1;
  }
  for (const auto& p : summary.problems) std::cerr << "tessera: skipped " << p.where << ": " << p.reason << "\n";
  std::cout << "candidates " << summary.candidates << ", added " << summary.added << ", changed " << summary.replaced
            << ", unchanged " << summary.unchanged << " (" << summary.updated << " caption/metadata updates), skipped "
            << summary.failed << " file(s); " << summary.problems.size() << " problem(s) reported\n";
  if (status.cancelled()) {
    std::cerr << "tessera: import interrupted; run the same command again to resume\n";
    return 130;
  }
  return 0;
}

int run_filter(const ParsedArgs& args) {
  DatasetFilterOptions o;
  o.catalog = args.get("catalog");
  o.min_side = static_cast<int>(args.get_int("min-side", 0, 1, 1 << 20));
  if (args.has("aspect")) {
    const std::string a = args.get("aspect");
    const size_t colon = a.find(':');
    if (colon == std::string::npos) throw UsageError("--aspect expects MIN:MAX (width/height), e.g. 0.5:2");
    const std::string lo = a.substr(0, colon);
    const std::string hi = a.substr(colon + 1);
    if (!lo.empty()) o.min_aspect = parse_number(lo, "--aspect");
    if (!hi.empty()) o.max_aspect = parse_number(hi, "--aspect");
    if (!o.min_aspect && !o.max_aspect) throw UsageError("--aspect needs at least one of MIN and MAX");
    if (o.min_aspect && o.max_aspect && *o.min_aspect > *o.max_aspect) throw UsageError("--aspect: MIN is above MAX");
  }
  if (args.has("min-aesthetic")) o.metadata_min.emplace_back("aesthetic", args.get_double("min-aesthetic", 0.0));
  for (const auto& m : args.get_all("min-metadata")) {
    const size_t eq = m.find('=');
    if (eq == std::string::npos || eq == 0) throw UsageError("--min-metadata expects KEY=VALUE, got '" + m + "'");
    o.metadata_min.emplace_back(m.substr(0, eq), parse_number(m.substr(eq + 1), "--min-metadata " + m.substr(0, eq)));
  }
  o.english_only = args.has("english-only");
  o.drop_empty_captions = args.has("drop-empty-captions");
  o.drop_repeated_captions = args.has("drop-repeated-captions");
  o.near_duplicate_distance = static_cast<int>(args.get_int("near-duplicates", -1, 0, 64));
  o.reset = args.has("reset");
  DatasetFilterSummary summary;
  if (const Status s = filter_dataset(o, &summary); !s.ok()) {
    std::cerr << "tessera: " << s.to_string() << "\n";
    return 1;
  }
  std::cout << "kept " << summary.kept << " of " << summary.total << " images\n";
  for (const auto& [filter, count] : summary.dropped_by_filter) std::cout << "  dropped by " << filter << ": " << count << "\n";
  return 0;
}

int run_stats(const ParsedArgs& args) {
  DatasetStats stats;
  if (const Status s = dataset_stats(args.get("catalog"), &stats); !s.ok()) {
    std::cerr << "tessera: " << s.to_string() << "\n";
    return 1;
  }
  std::cout << stats.text;
  return 0;
}

}  // namespace

Command make_dataset_command() {
  Command c;
  c.name = "dataset";
  c.usage =
      "tessera dataset import --catalog FILE --from PATH [--jobs N] [--batch N]\n"
      "tessera dataset filter --catalog FILE [--min-side N] [--aspect MIN:MAX] [--min-aesthetic F]\n"
      "                       [--min-metadata KEY=F] [--english-only] [--drop-empty-captions]\n"
      "                       [--drop-repeated-captions] [--near-duplicates HAMMING] [--reset]\n"
      "tessera dataset stats --catalog FILE";
  c.summary = "curate images: import into a catalog, filter, print statistics";
  c.flags = {
      {"catalog", "FILE", "the SQLite catalog (import creates it)"},
      {"from", "PATH", "import: a folder (images + same-name .txt captions), a .csv or a .jsonl manifest"},
      {"jobs", "N", "import: decoding threads (default: all cores)"},
      {"batch", "N", "import: images per commit (default 64)"},
      {"min-side", "N", "filter: drop images whose smaller side is below N pixels"},
      {"aspect", "MIN:MAX", "filter: keep width/height within [MIN, MAX] (either may be empty)"},
      {"min-aesthetic", "F", "filter: drop images whose metadata 'aesthetic' is below F (or missing)"},
      {"min-metadata", "KEY=F", "filter: the same for any numeric metadata key", true},
      {"english-only", "", "filter: drop captions that do not look English (heuristic)"},
      {"drop-empty-captions", "", "filter: drop images without a caption"},
      {"drop-repeated-captions", "", "filter: keep only the first image of each repeated caption"},
      {"near-duplicates", "HAMMING", "filter: keep one image per group within this pHash distance (e.g. 4)"},
      {"reset", "", "filter: forget all earlier filter decisions first"},
  };
  c.min_positionals = 1;
  c.max_positionals = 1;
  c.run = [flags = c.flags](const ParsedArgs& args) {
    const std::string sub = args.positionals().front();
    if (!args.has("catalog")) throw UsageError("dataset " + sub + " needs --catalog FILE");
    if (sub == "import") {
      allow_only(args, sub, {"catalog", "from", "jobs", "batch"}, flags);
      return run_import(args);
    }
    if (sub == "filter") {
      allow_only(args, sub,
                 {"catalog", "min-side", "aspect", "min-aesthetic", "min-metadata", "english-only", "drop-empty-captions",
                  "drop-repeated-captions", "near-duplicates", "reset"},
                 flags);
      return run_filter(args);
    }
    if (sub == "stats") {
      allow_only(args, sub, {"catalog"}, flags);
      return run_stats(args);
    }
    throw UsageError("unknown dataset subcommand '" + sub + "' (import, filter or stats)");
  };
  return c;
}

}  // namespace tessera::cli
