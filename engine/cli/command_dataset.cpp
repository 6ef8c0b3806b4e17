// tessera dataset import|filter|stats|list|review|caption: the curation catalog from the command
// line, everything the studio's Datasets page does with it.

#include "commands.h"

#include "tessera/dataset.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <set>
#include <string>
#include <vector>

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

int64_t parse_id(const std::string& text, const std::string& flag) {
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || v <= 0 || errno == ERANGE) throw UsageError("--" + flag + " expects an image id (a positive integer), got '" + text + "'");
  return v;
}

// What the filters and a reviewer decided, in one short phrase.
std::string status_text(const DatasetImage& im) {
  if (im.decisions.empty()) return im.review == "keep" ? "kept (reviewer)" : "kept";
  std::string text = "dropped:";
  for (size_t i = 0; i < im.decisions.size(); ++i) {
    const DatasetDecision& d = im.decisions[i];
    text += (i == 0 ? " " : "; ") + d.filter;
    if (!d.reason.empty()) text += " (" + d.reason + ")";
    if (d.duplicate_of > 0) text += " duplicate of " + std::to_string(d.duplicate_of);
  }
  return text;
}

nlohmann::json image_json(const DatasetImage& im) {
  nlohmann::json decisions = nlohmann::json::array();
  for (const auto& d : im.decisions) {
    nlohmann::json j{{"filter", d.filter}, {"reason", d.reason}};
    if (d.duplicate_of > 0) j["duplicate_of"] = d.duplicate_of;
    decisions.push_back(j);
  }
  return {{"id", im.id},           {"path", im.path},       {"width", im.width},   {"height", im.height},
          {"format", im.format},   {"bytes", im.byte_size}, {"sha256", im.sha256}, {"caption", im.caption},
          {"kept", im.decisions.empty()}, {"decisions", decisions}, {"review", im.review}};
}

// The catalog's images a page at a time (a catalog may hold millions), with their decisions.
int run_list(const ParsedArgs& args) {
  const std::string which = args.get("show", "all");
  if (which != "all" && which != "kept" && which != "dropped" && which != "reviewed") {
    throw UsageError("--show expects all, kept, dropped or reviewed, got '" + which + "'");
  }
  const std::string only_filter = args.get("filter");
  const bool jsonl = args.has("jsonl");
  const int64_t limit = args.get_int("limit", -1, 1, int64_t{1} << 40);
  constexpr int64_t kPage = 10000;
  int64_t printed = 0;
  std::vector<DatasetImage> page;
  for (int64_t after = 0;; after = page.back().id) {
    if (const Status s = list_dataset_images_after(args.get("catalog"), after, kPage, &page); !s.ok()) {
      std::cerr << "tessera: " << s.to_string() << "\n";
      return 1;
    }
    for (const DatasetImage& im : page) {
      if (limit >= 0 && printed >= limit) return 0;
      const bool kept = im.decisions.empty();
      if ((which == "kept" && !kept) || (which == "dropped" && kept) || (which == "reviewed" && im.review.empty())) continue;
      if (!only_filter.empty()) {
        bool match = false;
        for (const auto& d : im.decisions) match = match || d.filter == only_filter;
        if (!match) continue;
      }
      if (jsonl) {
        // Scraped captions and paths may hold invalid UTF-8: replaced, not fatal halfway through.
        std::cout << image_json(im).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
      } else {
        std::cout << im.id << "\t" << im.width << "x" << im.height << "\t" << status_text(im)
                  << (im.review.empty() ? "" : "\treview: " + im.review) << "\t" << im.path << "\n";
      }
      ++printed;
    }
    if (static_cast<int64_t>(page.size()) < kPage) break;  // also when empty: page.back() is not read
  }
  return 0;
}

// A person's verdicts, as the studio's duplicate review records them: --keep exempts an image
// from the duplicate filters, --drop drops it, --clear hands it back to the filters.
int run_review(const ParsedArgs& args) {
  std::vector<std::pair<int64_t, std::string>> verdicts;
  std::set<int64_t> seen;
  for (const auto& [flag, verdict] : {std::pair<std::string, std::string>{"keep", "keep"}, {"drop", "drop"}, {"clear", ""}}) {
    for (const auto& text : args.get_all(flag)) {
      const int64_t id = parse_id(text, flag);
      // The flags are applied by kind, not in command-line order: one verdict per image.
      if (!seen.insert(id).second) throw UsageError("image " + std::to_string(id) + " is named more than once");
      verdicts.emplace_back(id, verdict);
    }
  }
  if (verdicts.empty()) throw UsageError("dataset review needs at least one of --keep ID, --drop ID, --clear ID");
  for (const auto& [id, verdict] : verdicts) {
    if (const Status s = review_dataset_image(args.get("catalog"), id, verdict); !s.ok()) {
      std::cerr << "tessera: image " << id << ": " << s.to_string() << " (the verdicts printed before this were recorded)\n";
      return 1;
    }
    std::cout << "image " << id << ": " << (verdict.empty() ? "verdict withdrawn" : verdict) << "\n";
  }
  return 0;
}

// A caption edit; the imported caption stays in the catalog.
int run_caption(const ParsedArgs& args) {
  if (!args.has("id") || !args.has("text")) throw UsageError("dataset caption needs --id ID and --text TEXT");
  const int64_t id = parse_id(args.get("id"), "id");
  if (const Status s = set_dataset_caption(args.get("catalog"), id, args.get("text")); !s.ok()) {
    std::cerr << "tessera: " << s.to_string() << "\n";
    return 1;
  }
  std::cout << "image " << id << ": caption set\n";
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
      "tessera dataset stats --catalog FILE\n"
      "tessera dataset list --catalog FILE [--show all|kept|dropped|reviewed] [--filter NAME] [--limit N] [--jsonl]\n"
      "tessera dataset review --catalog FILE [--keep ID]... [--drop ID]... [--clear ID]...\n"
      "tessera dataset caption --catalog FILE --id ID --text TEXT";
  c.summary = "curate images: import into a catalog, filter, list, review, caption, print statistics";
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
      {"show", "WHICH", "list: all (default), kept, dropped, or reviewed (those with a person's verdict)"},
      {"filter", "NAME", "list: only images that filter dropped (min_side, aspect, near_duplicate, review, ...)"},
      {"limit", "N", "list: print at most N images"},
      {"jsonl", "", "list: one JSON object per image instead of tab-separated columns"},
      {"keep", "ID", "review: keep this image whatever the duplicate filters say", true},
      {"drop", "ID", "review: drop this image", true},
      {"clear", "ID", "review: withdraw the verdict; the filters decide again", true},
      {"id", "ID", "caption: the image"},
      {"text", "TEXT", "caption: its new caption (the imported one is kept too)"},
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
    if (sub == "list") {
      allow_only(args, sub, {"catalog", "show", "filter", "limit", "jsonl"}, flags);
      return run_list(args);
    }
    if (sub == "review") {
      allow_only(args, sub, {"catalog", "keep", "drop", "clear"}, flags);
      return run_review(args);
    }
    if (sub == "caption") {
      allow_only(args, sub, {"catalog", "id", "text"}, flags);
      return run_caption(args);
    }
    throw UsageError("unknown dataset subcommand '" + sub + "' (import, filter, stats, list, review or caption)");
  };
  return c;
}

}  // namespace tessera::cli
