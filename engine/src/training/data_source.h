#pragma once
// Where training samples come from, behind one small interface. A source is addressed by stream
// position: position p (counted from the start of training, across epochs) is sample
// order(epoch = p / N)[p % N]. What a rank reads therefore depends only on the positions it is
// given, never on how many ranks there are, and resuming needs nothing but the position.
// Internal header (torch).
//
// Sources: InMemoryDataSource (tensors in memory: tests, the synthetic demo set), and from a
// DatasetSection the latents_safetensors file, synthetic_latents, MDS latent shards
// (mds_latents) and MDS image shards (mds_images: pixels, and token ids when the run has a
// tokenizer).

#include "training/run_config.h"

#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <string>

namespace tessera::training {

// A batch in one of two forms: precomputed (latents + encoder_hidden_states) or raw (pixels +
// input_ids, encoded on the fly by the frozen VAE and text encoder).
struct TrainingBatch {
  torch::Tensor latents;                // [B, C, h, w], float, already multiplied by the latent scale
  torch::Tensor encoder_hidden_states;  // [B, T, D], float
  torch::Tensor pixels;                 // [B, 3, H, W] in [-1, 1]
  torch::Tensor input_ids;              // [B, T] int64
  bool precomputed() const { return latents.defined(); }
  int64_t size() const { return precomputed() ? latents.size(0) : pixels.size(0); }
};

class DataSource {
 public:
  virtual ~DataSource() = default;
  virtual int64_t samples_per_epoch() const = 0;
  // The samples at stream positions [begin, begin + count), on the CPU.
  virtual TrainingBatch read(int64_t begin, int64_t count) = 0;
  virtual std::string describe() const = 0;
};

// Tensors held in memory; shuffled per epoch with a generator seeded by (seed, epoch), or read in
// order when `shuffle` is false.
class InMemoryDataSource : public DataSource {
 public:
  InMemoryDataSource(TrainingBatch all, bool shuffle, uint64_t seed);
  int64_t samples_per_epoch() const override { return n_; }
  TrainingBatch read(int64_t begin, int64_t count) override;
  std::string describe() const override;
  // The sample index at stream position p.
  int64_t index_at(int64_t position);

 private:
  TrainingBatch all_;
  int64_t n_ = 0;
  bool shuffle_ = true;
  uint64_t seed_ = 0;
  int64_t order_epoch_ = -1;
  std::vector<int64_t> order_;
};

// Builds the source a config names. `latent_scale` is applied to latents that are not yet scaled.
std::unique_ptr<DataSource> make_data_source(const RunConfig& config);

// A 64-bit mix (splitmix64) for deriving per-sample seeds.
uint64_t mix_seed(uint64_t a, uint64_t b);

}  // namespace tessera::training
