#pragma once
// Catalog statistics for `tessera dataset stats` and the studio: counts (total, kept, dropped
// per filter, import errors) and histograms of the smaller side and the aspect ratio.

#include "catalog/catalog.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace tessera::catalog {

struct HistogramBin {
  std::string label;
  int64_t all = 0;
  int64_t kept = 0;
};

struct CatalogStats {
  int64_t total = 0;
  int64_t kept = 0;
  int64_t dropped = 0;  // images with at least one decision
  std::map<std::string, int64_t> dropped_by_filter;  // an image may count under several filters
  std::map<std::string, int64_t> formats;
  int64_t import_errors = 0;
  int64_t bytes = 0;
  std::vector<HistogramBin> min_side;  // smaller side, pixels
  std::vector<HistogramBin> aspect;    // width / height
};

CatalogStats compute_stats(Catalog& catalog);

// Plain text with '#' bars, 80 columns.
std::string format_stats(const CatalogStats& stats);

}  // namespace tessera::catalog
