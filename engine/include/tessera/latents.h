#pragma once
// Latent precomputation (`tessera latents`): runs a diffusers model's VAE encoder and text
// encoder over an image shard set (as `tessera shards write` makes) and writes latent shards that
// training reads directly (dataset kind mds_latents). Torch-free facade.
//
// Output (an MDS shard set, readable by mosaicml-streaming too):
//   columns  caption                str
//            encoder_hidden_states  ndarray:float16:T,D   text encoder last_hidden_state
//            latents                ndarray:float16:C,h,w (posterior mean - shift) * scaling_factor
//   index.json carries "tessera_latents" {scaling_factor, latents_are_scaled: true,
//   latent_distribution: "mean", resolution, ...}; latents_job.json records the settings.
//
// Work is cut into fixed chunks of `shard_samples` input samples; chunk i becomes
// shard.<i:05>.mds (written atomically), whichever rank computes it, so the output never depends
// on the number of ranks. Rank r computes the chunks i with i % world == r; rank 0 then waits for
// every chunk's file (ranks must share the output folder) and writes index.json last. A rerun of
// the same command keeps the finished shards and computes only the missing ones.

#include "tessera/error.h"

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace tessera {

struct LatentPrecomputeOptions {
  std::string model_dir;   // diffusers folder: tokenizer/, text_encoder/, vae/ (+ unet/config.json)
  std::string shards_dir;  // image shards: "image" (bytes/jpeg/png) and "caption" (str) columns
  std::string out_dir;
  int resolution = 0;      // square side in pixels; 0 = unet sample_size x VAE factor
  int batch_size = 16;     // images per encoder call
  int shard_samples = 256; // input samples per output shard (fixes the file names: keep it on rerun)
  std::string device = "auto";  // auto (CUDA when present), cpu, cuda
  int rank = -1;           // < 0: from RANK/WORLD_SIZE or SLURM_PROCID/SLURM_NTASKS
  int world_size = -1;
  double wait_seconds = 7 * 86400.0;  // rank 0: how long to wait for the other ranks' shards
};

struct LatentPrecomputeSummary {
  int rank = 0;
  int world_size = 1;
  int resolution = 0;
  double scaling_factor = 0.0;
  std::string device;
  uint64_t input_samples = 0;    // in the image shard set
  size_t chunks_total = 0;       // output shards of the whole set
  size_t chunks_mine = 0;        // this rank's
  size_t chunks_written = 0;     // computed by this run
  size_t chunks_kept = 0;        // found finished from an earlier run
  uint64_t samples_written = 0;  // by this run
  bool already_complete = false; // index.json was there with the same settings
  bool index_written = false;    // this process wrote index.json (rank 0)
  uint64_t index_samples = 0;    // samples in the final index
  std::vector<std::pair<std::string, std::string>> problems;  // skipped samples: where, why
};

// Runs this rank's share. `progress(done, total)` is called after each batch with this rank's
// input samples; returning false stops between batches (finished shards stay; rerun to go on).
Status precompute_latents(const LatentPrecomputeOptions& options,
                          const std::function<bool(int64_t done, int64_t total)>& progress,
                          LatentPrecomputeSummary* summary);

}  // namespace tessera
