#include "catalog/stats.h"

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <unordered_set>

namespace tessera::catalog {
namespace {

const int kSideEdges[] = {128, 256, 384, 512, 768, 1024, 2048};
const double kAspectEdges[] = {0.5, 0.75, 0.95, 1.05, 1.34, 2.0};

std::vector<HistogramBin> side_bins() {
  std::vector<HistogramBin> bins;
  bins.push_back({"< 128"});
  for (size_t i = 0; i + 1 < std::size(kSideEdges); ++i) {
    bins.push_back({std::to_string(kSideEdges[i]) + "-" + std::to_string(kSideEdges[i + 1] - 1)});
  }
  bins.push_back({">= 2048"});
  return bins;
}

std::vector<HistogramBin> aspect_bins() {
  return {{"< 0.50 (tall)"},  {"0.50-0.75"}, {"0.75-0.95"},        {"0.95-1.05 (square)"},
          {"1.05-1.34"},      {"1.34-2.00"}, {">= 2.00 (wide)"}};
}

size_t side_bin(int side) {
  size_t b = 0;
  while (b < std::size(kSideEdges) && side >= kSideEdges[b]) ++b;
  return b;
}

size_t aspect_bin(double aspect) {
  size_t b = 0;
  while (b < std::size(kAspectEdges) && aspect >= kAspectEdges[b]) ++b;
  return b;
}

void print_histogram(std::ostringstream& out, const std::string& title, const std::vector<HistogramBin>& bins) {
  out << title << "\n";
  int64_t peak = 1;
  for (const auto& b : bins) peak = std::max(peak, b.all);
  for (const auto& b : bins) {
    char line[160];
    const int bar = static_cast<int>((b.all * 40 + peak - 1) / peak);
    std::snprintf(line, sizeof line, "  %-20s %9lld %9lld  ", b.label.c_str(), static_cast<long long>(b.all),
                  static_cast<long long>(b.kept));
    out << line << std::string(static_cast<size_t>(bar), '#') << "\n";
  }
}

}  // namespace

CatalogStats compute_stats(Catalog& catalog) {
  CatalogStats s;
  s.min_side = side_bins();
  s.aspect = aspect_bins();
  std::unordered_set<int64_t> dropped;
  for (const Decision& d : catalog.decisions()) {
    dropped.insert(d.image_id);
    ++s.dropped_by_filter[d.filter];
  }
  Statement q = catalog.db().prepare("SELECT id, width, height, format, byte_size FROM images");
  while (q.step()) {
    const int64_t id = q.column_int(0);
    const int w = static_cast<int>(q.column_int(1));
    const int h = static_cast<int>(q.column_int(2));
    const bool kept = dropped.count(id) == 0;
    ++s.total;
    ++s.formats[q.column_text(3)];
    s.bytes += q.column_int(4);
    HistogramBin& side = s.min_side[side_bin(std::min(w, h))];
    HistogramBin& aspect = s.aspect[aspect_bin(h > 0 ? static_cast<double>(w) / h : 0.0)];
    ++side.all;
    ++aspect.all;
    if (kept) {
      ++side.kept;
      ++aspect.kept;
    }
  }
  s.dropped = static_cast<int64_t>(dropped.size());
  s.kept = s.total - s.dropped;
  Statement e = catalog.db().prepare("SELECT COUNT(*) FROM import_errors");
  s.import_errors = e.step() ? e.column_int(0) : 0;
  return s;
}

std::string format_stats(const CatalogStats& s) {
  std::ostringstream out;
  out << "images:        " << s.total << " (" << s.bytes / (1024 * 1024) << " MiB)\n";
  out << "kept:          " << s.kept << "\n";
  out << "dropped:       " << s.dropped << "\n";
  for (const auto& [filter, count] : s.dropped_by_filter) {
    char line[128];
    std::snprintf(line, sizeof line, "  %-20s %9lld\n", filter.c_str(), static_cast<long long>(count));
    out << line;
  }
  out << "import errors: " << s.import_errors << "\n";
  out << "formats:      ";
  for (const auto& [format, count] : s.formats) out << " " << format << " " << count;
  out << "\n\n";
  char header[128];
  std::snprintf(header, sizeof header, "  %-20s %9s %9s\n", "", "all", "kept");
  out << header;
  print_histogram(out, "smaller side (px)", s.min_side);
  out << "\n";
  print_histogram(out, "aspect ratio (width / height)", s.aspect);
  return out.str();
}

}  // namespace tessera::catalog
