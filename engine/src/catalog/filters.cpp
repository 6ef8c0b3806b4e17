#include "catalog/filters.h"

#include "catalog/fingerprint.h"
#include "tessera/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace tessera::catalog {
namespace {

const std::unordered_set<std::string>& english_words() {
  static const std::unordered_set<std::string> words = {
      "the", "a", "an", "of", "and", "or", "in", "on", "at", "to", "with", "for", "from", "by", "is", "are",
      "was", "were", "be", "been", "this", "that", "these", "those", "it", "its", "his", "her", "their", "my",
      "your", "our", "as", "into", "over", "under", "near", "next", "behind", "front", "while", "has", "have",
      "man", "woman", "people", "two", "three", "some", "there", "who", "which", "sitting", "standing",
      "holding", "wearing", "white", "black", "red", "blue", "green", "small", "large", "big", "old", "young",
      "photo", "image", "picture", "view", "close", "up", "no", "do", "so", "not", "but", "on", "out", "down",
      "background", "during", "around", "top", "side", "street", "water", "house", "light", "dark"};
  return words;
}

// Function words of other Latin-script languages, minus those English shares.
const std::unordered_set<std::string>& foreign_words() {
  static const std::unordered_set<std::string> words = [] {
    std::unordered_set<std::string> w = {
        // French
        "le", "la", "les", "des", "du", "de", "un", "une", "et", "est", "sur", "dans", "avec", "pour", "au", "aux",
        "ce", "cette", "qui", "que", "sont", "pas", "plus", "par",
        // German
        "der", "das", "und", "ist", "ein", "eine", "mit", "auf", "im", "von", "zu", "den", "dem", "nicht", "sich",
        "bei", "auch", "oder", "einem", "einer",
        // Spanish
        "el", "los", "las", "y", "con", "por", "para", "una", "del", "es", "en", "su", "al", "muy", "sobre",
        // Italian
        "il", "lo", "gli", "di", "della", "per", "sul", "nel", "e", "delle", "degli", "che",
        // Portuguese
        "o", "os", "um", "uma", "com", "da", "dos", "das", "na", "nos", "em", "mais",
        // Dutch
        "het", "een", "van", "op", "met", "voor", "niet", "zijn", "ook"};
    for (const auto& e : english_words()) w.erase(e);
    return w;
  }();
  return words;
}

// Decodes one UTF-8 code point at `i` (advancing it); invalid bytes come back as U+FFFD.
uint32_t next_code_point(const std::string& s, size_t& i) {
  const auto c = static_cast<unsigned char>(s[i++]);
  if (c < 0x80) return c;
  int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : -1;
  if (extra < 0) return 0xFFFD;
  uint32_t cp = c & (0x3F >> extra);
  for (int k = 0; k < extra; ++k) {
    if (i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) return 0xFFFD;
    cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3F);
  }
  return cp;
}

bool is_symbol_code_point(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0xBF) || (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
         (cp >= 0xFE00 && cp <= 0xFE0F) || cp >= 0x1F000 || cp == 0xFFFD || cp == 0xD7 || cp == 0xF7;
}

double metadata_number(const nlohmann::json& meta, const std::string& key, bool* found) {
  *found = false;
  if (!meta.is_object()) return 0.0;
  const auto it = meta.find(key);
  if (it == meta.end()) return 0.0;
  if (it->is_number()) {
    *found = true;
    return it->get<double>();
  }
  if (it->is_string()) {
    const std::string s = it->get<std::string>();
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (!s.empty() && end == s.c_str() + s.size() && std::isfinite(v)) {
      *found = true;
      return v;
    }
  }
  return 0.0;
}

std::string fixed(double v, int digits = 2) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, v);
  return buffer;
}

struct Row {
  int64_t id;
  int width;
  int height;
  uint64_t phash;
  std::string caption;
  std::string metadata;
};

}  // namespace

std::string normalize_caption(const std::string& caption) {
  std::string out;
  bool space = false;
  for (const char ch : caption) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isspace(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(c < 0x80 ? std::tolower(c) : c);
  }
  return out;
}

bool looks_english(const std::string& caption, std::string* why) {
  int64_t ascii_letters = 0;
  int64_t other_letters = 0;
  std::vector<std::string> words;
  std::string word;
  for (size_t i = 0; i < caption.size();) {
    const uint32_t cp = next_code_point(caption, i);
    const bool ascii_letter = cp < 0x80 && std::isalpha(static_cast<int>(cp));
    if (ascii_letter) {
      ++ascii_letters;
      word += static_cast<char>(std::tolower(static_cast<int>(cp)));
      continue;
    }
    if (cp >= 0x80 && !is_symbol_code_point(cp)) {
      ++other_letters;
      word += '\x01';  // marks the word as non-ASCII: it matches no list
      continue;
    }
    if (cp == 0x27) continue;  // "don't" -> "dont"
    if (!word.empty()) words.push_back(std::move(word));
    word.clear();
  }
  if (!word.empty()) words.push_back(std::move(word));
  const int64_t letters = ascii_letters + other_letters;
  if (letters == 0) {
    if (why != nullptr) *why = "no letters";
    return false;
  }
  const double ratio = static_cast<double>(ascii_letters) / static_cast<double>(letters);
  if (ratio < 0.9) {
    if (why != nullptr) *why = "only " + std::to_string(static_cast<int>(ratio * 100)) + "% of letters are ASCII";
    return false;
  }
  if (words.size() >= 4) {
    int english = 0;
    int foreign = 0;
    for (const auto& w : words) {
      if (english_words().count(w) != 0) ++english;
      else if (foreign_words().count(w) != 0) ++foreign;
    }
    if (foreign > english) {
      if (why != nullptr) {
        *why = std::to_string(foreign) + " non-English function words against " + std::to_string(english) + " English";
      }
      return false;
    }
  }
  return true;
}

FilterReport apply_filters(Catalog& catalog, const FilterSettings& s) {
  if (s.min_aspect && s.max_aspect && *s.min_aspect > *s.max_aspect) throw Error("aspect range: minimum above maximum");
  std::vector<std::string> names;  // the filters this run recomputes
  if (s.min_side > 0) names.push_back("min_side");
  if (s.min_aspect || s.max_aspect) names.push_back("aspect");
  for (const auto& m : s.metadata_min) names.push_back("min_" + m.first);
  if (s.english_only) names.push_back("english");
  if (s.drop_empty_captions) names.push_back("empty_caption");
  if (s.drop_repeated_captions) names.push_back("repeated_caption");
  if (s.near_duplicate_distance >= 0) names.push_back("near_duplicate");
  if (s.near_duplicate_distance > 64) throw Error("near-duplicate distance must be 0..64");

  Transaction tx(catalog.db());
  if (s.reset) catalog.clear_decisions({});
  if (!names.empty()) catalog.clear_decisions(names);

  std::vector<Row> rows;
  catalog.for_each_image([&](const ImageRecord& r) {
    rows.push_back({r.id, r.width, r.height, r.phash, r.caption, r.metadata_json});
  });
  std::unordered_set<int64_t> dropped;  // by an earlier run's filter or by one of this run's
  for (const Decision& d : catalog.decisions()) dropped.insert(d.image_id);
  // A person's verdicts win over the duplicate filters: a kept image is nobody's duplicate, a
  // dropped one stays dropped (by the "review" filter) whatever the filters say.
  const std::map<int64_t, std::string> reviews = catalog.reviews();
  const auto reviewed_keep = [&](int64_t id) {
    const auto it = reviews.find(id);
    return it != reviews.end() && it->second == kReviewKeep;
  };
  auto drop = [&](int64_t id, const std::string& filter, const std::string& reason, int64_t duplicate_of = 0) {
    if (duplicate_of != 0 && reviewed_keep(id)) return;
    catalog.add_decision({id, filter, reason, duplicate_of});
    dropped.insert(id);
  };
  for (const auto& [id, verdict] : reviews)
    if (verdict == kReviewDrop) drop(id, kReviewFilter, "dropped by a reviewer");

  // Per-image filters: every image gets every decision that applies (not only the first).
  for (const Row& r : rows) {
    const int side = std::min(r.width, r.height);
    if (s.min_side > 0 && side < s.min_side) {
      drop(r.id, "min_side", "smaller side " + std::to_string(side) + " < " + std::to_string(s.min_side));
    }
    if (s.min_aspect || s.max_aspect) {
      const double aspect = r.height > 0 ? static_cast<double>(r.width) / r.height : 0.0;
      const double lo = s.min_aspect.value_or(0.0);
      const double hi = s.max_aspect.value_or(1e300);
      if (aspect < lo || aspect > hi) {
        drop(r.id, "aspect", "aspect " + fixed(aspect) + " outside [" + fixed(lo) + ", " +
                                 (s.max_aspect ? fixed(hi) : std::string("inf")) + "]");
      }
    }
    if (!s.metadata_min.empty()) {
      const nlohmann::json meta = nlohmann::json::parse(r.metadata, nullptr, false);
      for (const auto& [key, min] : s.metadata_min) {
        bool found = false;
        const double v = metadata_number(meta, key, &found);
        if (!found) drop(r.id, "min_" + key, "no numeric '" + key + "' in metadata");
        else if (v < min) drop(r.id, "min_" + key, key + " " + fixed(v, 3) + " < " + fixed(min, 3));
      }
    }
    if (s.english_only) {
      std::string why;
      if (!looks_english(r.caption, &why)) drop(r.id, "english", "caption not English: " + why);
    }
    if (s.drop_empty_captions && normalize_caption(r.caption).empty()) drop(r.id, "empty_caption", "empty caption");
  }

  if (s.drop_repeated_captions) {
    std::unordered_map<std::string, int64_t> first;  // normalised caption -> kept id
    for (const Row& r : rows) {
      if (dropped.count(r.id) != 0) continue;
      const std::string key = normalize_caption(r.caption);
      if (key.empty()) continue;
      const auto [it, inserted] = first.emplace(key, r.id);
      if (!inserted) drop(r.id, "repeated_caption", "same caption as image " + std::to_string(it->second), it->second);
    }
  }

  if (s.near_duplicate_distance >= 0) {
    // Greedy clustering: the largest image (then the lowest id) of each group is kept and the
    // others within the distance point to it. Candidates come from exact matches on one of
    // (distance + 1) bit chunks: two hashes within the distance must agree on at least one
    // chunk (pigeonhole), so no pair is missed.
    std::vector<const Row*> live;
    for (const Row& r : rows)
      if (dropped.count(r.id) == 0) live.push_back(&r);
    std::sort(live.begin(), live.end(), [](const Row* a, const Row* b) {
      const int64_t pa = int64_t{a->width} * a->height;
      const int64_t pb = int64_t{b->width} * b->height;
      return pa != pb ? pa > pb : a->id < b->id;
    });
    const int d = s.near_duplicate_distance;
    const int chunks = std::min(d + 1, 64);
    std::vector<int> bounds(static_cast<size_t>(chunks) + 1);
    for (int c = 0; c <= chunks; ++c) bounds[c] = c * 64 / chunks;
    auto chunk_of = [&](uint64_t h, int c) {
      const int width = bounds[c + 1] - bounds[c];
      const uint64_t mask = width >= 64 ? ~0ull : ((1ull << width) - 1);
      return (h >> bounds[c]) & mask;
    };
    std::vector<std::unordered_map<uint64_t, std::vector<size_t>>> buckets(static_cast<size_t>(chunks));
    for (size_t i = 0; i < live.size(); ++i)
      for (int c = 0; c < chunks; ++c) buckets[c][chunk_of(live[i]->phash, c)].push_back(i);
    std::vector<bool> marked(live.size(), false);
    for (size_t i = 0; i < live.size(); ++i) {
      if (marked[i]) continue;
      for (int c = 0; c < chunks; ++c) {
        for (const size_t j : buckets[c][chunk_of(live[i]->phash, c)]) {
          // An earlier image is marked or a leader itself (were it in range, i would be marked),
          // except one a reviewer kept, which a later leader must not drop either.
          if (j <= i || marked[j] || reviewed_keep(live[j]->id)) continue;
          const int distance = hamming_distance(live[i]->phash, live[j]->phash);
          if (distance > d) continue;
          marked[j] = true;
          drop(live[j]->id, "near_duplicate",
               "near-duplicate of image " + std::to_string(live[i]->id) + " (pHash distance " + std::to_string(distance) + ")",
               live[i]->id);
        }
      }
    }
  }
  tx.commit();

  FilterReport report;
  report.total = static_cast<int64_t>(rows.size());
  report.kept = report.total - static_cast<int64_t>(dropped.size());
  for (const Decision& d : catalog.decisions()) ++report.dropped_by_filter[d.filter];
  return report;
}

}  // namespace tessera::catalog
