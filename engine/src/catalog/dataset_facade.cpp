// tessera/dataset.h on top of the catalog internals: exceptions stop here.

#include "tessera/dataset.h"

#include "catalog/catalog.h"
#include "catalog/filters.h"
#include "catalog/importer.h"
#include "catalog/manifest.h"
#include "catalog/stats.h"

namespace tessera {
namespace {

std::vector<DatasetHistogramBin> convert(const std::vector<catalog::HistogramBin>& bins) {
  std::vector<DatasetHistogramBin> out;
  for (const auto& b : bins) out.push_back({b.label, b.all, b.kept});
  return out;
}

}  // namespace

Status import_dataset(const DatasetImportOptions& options,
                      const std::function<bool(const DatasetImportProgress&)>& progress,
                      DatasetImportSummary* summary) {
  bool cancelled = false;
  Status status = guarded([&] {
    if (options.catalog.empty()) throw Error("no catalog file given");
    const catalog::Manifest manifest = catalog::read_import_source(options.from);
    catalog::Catalog cat = catalog::Catalog::open(options.catalog, true);
    catalog::ImportOptions o;
    o.threads = options.threads;
    o.batch_size = options.batch_size;
    catalog::ImportProgressFn fn;
    if (progress) {
      fn = [&](const catalog::ImportProgress& p) { return progress(DatasetImportProgress{p.done, p.total, p.path}); };
    }
    const catalog::ImportReport r = catalog::import_manifest(cat, manifest, o, fn);
    if (summary != nullptr) {
      *summary = DatasetImportSummary{r.candidates, r.added, r.replaced, r.unchanged, r.updated, r.failed, {}};
      for (const auto& p : r.problems) summary->problems.push_back({p.where, p.reason});
    }
    cancelled = r.cancelled;
  });
  if (status.ok() && cancelled) return Status::cancelled_by_user();
  return status;
}

Status filter_dataset(const DatasetFilterOptions& options, DatasetFilterSummary* summary) {
  return guarded([&] {
    catalog::Catalog cat = catalog::Catalog::open(options.catalog, false);
    catalog::FilterSettings s;
    s.min_side = options.min_side;
    s.min_aspect = options.min_aspect;
    s.max_aspect = options.max_aspect;
    s.metadata_min = options.metadata_min;
    s.english_only = options.english_only;
    s.drop_empty_captions = options.drop_empty_captions;
    s.drop_repeated_captions = options.drop_repeated_captions;
    s.near_duplicate_distance = options.near_duplicate_distance;
    s.reset = options.reset;
    const catalog::FilterReport r = catalog::apply_filters(cat, s);
    if (summary != nullptr) *summary = DatasetFilterSummary{r.total, r.kept, r.dropped_by_filter};
  });
}

Status dataset_stats(const std::string& catalog_path, DatasetStats* stats) {
  return guarded([&] {
    catalog::Catalog cat = catalog::Catalog::open_read_only(catalog_path);
    const catalog::CatalogStats s = catalog::compute_stats(cat);
    if (stats == nullptr) return;
    stats->total = s.total;
    stats->kept = s.kept;
    stats->dropped = s.dropped;
    stats->dropped_by_filter = s.dropped_by_filter;
    stats->formats = s.formats;
    stats->import_errors = s.import_errors;
    stats->min_side = convert(s.min_side);
    stats->aspect = convert(s.aspect);
    stats->text = catalog::format_stats(s);
  });
}

namespace {

// The facade's view of catalog rows: their decisions and a person's verdict added.
std::vector<DatasetImage> with_decisions(catalog::Catalog& cat, const std::vector<catalog::ImageRecord>& rows) {
  std::vector<DatasetImage> images;
  const std::map<int64_t, std::string> reviews = cat.reviews();
  for (const catalog::ImageRecord& r : rows) {
    DatasetImage im{r.id,      r.path,    r.sha256,           r.byte_size, r.width,         r.height,
                    r.format,  r.phash,   r.caption_original, r.caption,   r.tags_json,     r.metadata_json,
                    r.source,  r.imported_at, {}};
    for (const auto& d : cat.decisions_for(r.id)) im.decisions.push_back({d.filter, d.reason, d.duplicate_of});
    if (const auto it = reviews.find(r.id); it != reviews.end()) im.review = it->second;
    images.push_back(std::move(im));
  }
  return images;
}

}  // namespace

Status list_dataset_images(const std::string& catalog_path, int64_t offset, int64_t limit,
                           std::vector<DatasetImage>* images) {
  return guarded([&] {
    catalog::Catalog cat = catalog::Catalog::open_read_only(catalog_path);
    *images = with_decisions(cat, cat.images(offset, limit));
  });
}

Status list_dataset_images_after(const std::string& catalog_path, int64_t after_id, int64_t limit,
                                 std::vector<DatasetImage>* images) {
  return guarded([&] {
    catalog::Catalog cat = catalog::Catalog::open_read_only(catalog_path);
    *images = with_decisions(cat, cat.images_after(after_id, limit));
  });
}

Status review_dataset_image(const std::string& catalog_path, int64_t image_id, const std::string& verdict) {
  return guarded([&] {
    catalog::Catalog cat = catalog::Catalog::open(catalog_path, false);
    if (!cat.image(image_id)) throw Error("catalog has no image " + std::to_string(image_id));
    catalog::Transaction tx(cat.db());
    cat.set_review(image_id, verdict);
    // The decisions follow at once (the next filter run reaches the same state).
    cat.remove_decision(image_id, catalog::kReviewFilter);
    if (verdict == catalog::kReviewKeep) {
      for (const char* filter : {"near_duplicate", "repeated_caption"}) cat.remove_decision(image_id, filter);
    } else if (verdict == catalog::kReviewDrop) {
      cat.add_decision({image_id, catalog::kReviewFilter, "dropped by a reviewer", 0});
    }
    tx.commit();
  });
}

Status set_dataset_caption(const std::string& catalog_path, int64_t image_id, const std::string& caption) {
  return guarded([&] {
    catalog::Catalog cat = catalog::Catalog::open(catalog_path, false);
    if (!cat.image(image_id)) throw Error("catalog has no image " + std::to_string(image_id));
    cat.set_caption(image_id, caption);
  });
}

}  // namespace tessera
