#pragma once
// Data-path benchmarks (torch-free facade): decoding + centre-crop + resizing images the way
// shard writing and latent precomputation do, and reading latent shards the way training does.
// Per-core numbers come from running single-threaded (`tessera --threads 1 bench ...`); the
// image benchmark never uses more than the calling thread.

#include "tessera/error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tessera::bench {

struct DataBenchResult {
  std::string name;         // "decode-resize-256", "latent-read", ...
  std::string description;
  uint64_t items = 0;       // images or samples per measured pass
  std::vector<double> seconds;  // one per measured pass
  double median_seconds = 0.0;
  double items_per_second = 0.0;  // items / median_seconds
  double cpu_seconds = 0.0;       // process CPU time of the median pass
  std::string note;
};

// Every regular file of `dir` (sorted by name) read into memory, then each pass decodes every
// file (JPEG at the DCT scale that keeps the short side >= side, as shard writing does), crops
// the centred square and resizes it to side x side with the Lanczos3 filter. Undecodable files
// fail the benchmark (naming the file).
Status bench_decode_resize(const std::string& dir, int side, int repeat, int warmup, DataBenchResult* out);

// Latent-shard reading as training does it: the mds_latents DataSource (index, shards opened
// with their hashes checked the first time in the process, samples read by offset, fp16 -> fp32
// into one batch tensor with the finite check) over `dir`, in batches of
// `batch`, shuffled as in training or in stored order. When `dir` has no index.json, writes
// `samples` synthetic SD2-sized latent samples there first (latents 4 x res/8 x res/8 and text
// states 77 x 1024, fp16, xxh3_64-hashed shards of 64 MiB, as `tessera latents` writes them).
Status bench_latent_read(const std::string& dir, int samples, int resolution, int batch, bool shuffle, int repeat,
                         int warmup, DataBenchResult* out);

// The same shards through shards::StreamingReader (one loader thread reading samples by offset,
// hash checks once per shard, its prefetch), each sample's fp16 columns converted into a
// preallocated float32 batch of `batch` with the finite check: what a reader-based training
// source would cost. Hashes are checked once per reader, so a warm-up pass moves them out of the
// measured passes; run with --repeat 1 --warmup 0 to include them.
Status bench_latent_stream(const std::string& dir, int batch, bool shuffle, int repeat, int warmup, DataBenchResult* out);

std::string to_json(const DataBenchResult& result);

}  // namespace tessera::bench
