#pragma once
// The import: reads each file of a manifest, hashes it (SHA-256), decodes it to check it and to
// compute its perceptual hash, and writes one catalog row per good image. Bad files are
// reported by name with the reason and skipped. Files whose path, size and modification time
// are already in the catalog are not read again (only a changed caption or metadata is
// updated), and rows are committed in batches, so an interrupted import resumes where it
// stopped. Decoding runs on a small pool of threads; one thread writes.

#include "catalog/catalog.h"
#include "catalog/manifest.h"
#include "image/image_decode.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace tessera::catalog {

struct ImportOptions {
  int threads = 0;       // decoding threads; 0: hardware concurrency (at most 16)
  int batch_size = 64;   // rows per transaction
  image::DecodeLimits limits;
  uint64_t max_file_bytes = 512ull << 20;
};

struct ImportProgress {
  int64_t done = 0;   // items handled (added, unchanged or failed)
  int64_t total = 0;
  std::string path;   // the item just handled
};
// Return false to stop: what was written so far is committed.
using ImportProgressFn = std::function<bool(const ImportProgress&)>;

struct ImportReport {
  int64_t candidates = 0;  // items in the manifest
  int64_t added = 0;       // new rows
  int64_t replaced = 0;    // known path, changed file: row refreshed
  int64_t unchanged = 0;   // known path, same size and mtime: not read
  int64_t updated = 0;     // unchanged file whose caption or metadata changed in the manifest
  int64_t failed = 0;      // unreadable, corrupt, truncated or unsupported files
  std::vector<ManifestProblem> problems;  // manifest problems and failed files, with reasons
  bool cancelled = false;
};

ImportReport import_manifest(Catalog& catalog, const Manifest& manifest, const ImportOptions& options = {},
                             const ImportProgressFn& progress = {});

}  // namespace tessera::catalog
