#pragma once
// Curation filters over a catalog. Each filter records, for every image it drops, a decision
// row with a human-readable reason; an image is kept when it has no decision. Running a filter
// replaces that filter's earlier decisions and leaves the other filters' decisions alone, so
// filters can be applied one at a time.
//
// Order within one run: the per-image filters (min_side, aspect, min_<metadata key>, english,
// empty_caption), then repeated_caption among the images still kept, then near_duplicate among
// the images still kept, so a duplicate group never keeps an image another filter drops.

#include "catalog/catalog.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tessera::catalog {

struct FilterSettings {
  int min_side = 0;                       // drop when min(width, height) < min_side; 0: off
  std::optional<double> min_aspect;       // width / height
  std::optional<double> max_aspect;
  std::vector<std::pair<std::string, double>> metadata_min;  // e.g. {"aesthetic", 4.5}; missing key drops
  bool english_only = false;
  bool drop_empty_captions = false;
  bool drop_repeated_captions = false;    // the first image (lowest id) with a caption keeps it
  int near_duplicate_distance = -1;       // pHash Hamming distance; < 0: off
  bool reset = false;                     // clear every earlier decision first
};

struct FilterReport {
  int64_t total = 0;
  int64_t kept = 0;
  std::map<std::string, int64_t> dropped_by_filter;  // this run's filters (and earlier ones still in force)
};

FilterReport apply_filters(Catalog& catalog, const FilterSettings& settings);

// The English-only heuristic (no language model):
//   1. letters: ASCII letters against other letters (anything non-ASCII outside punctuation,
//      symbols and emoji); English needs at least 90 % ASCII letters and at least one letter;
//   2. with 4 or more words, stopwords: hits in a list of common English words against hits in
//      a list of French, German, Spanish, Italian, Portuguese and Dutch function words (words
//      shared with English count as English); more foreign than English hits is not English.
//      A caption without any stopword (a list of tags) passes on rule 1 alone.
// Returns true for English; otherwise `why` (when given) says which rule failed.
bool looks_english(const std::string& caption, std::string* why = nullptr);

// Lowercased ASCII, whitespace runs collapsed to one space, trimmed: captions equal under this
// are "repeated".
std::string normalize_caption(const std::string& caption);

}  // namespace tessera::catalog
