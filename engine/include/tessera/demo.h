#pragma once
// The demo project, the README's main job: from nothing to a model that draws what it is told,
// on a laptop-class CPU. It makes a synthetic dataset (coloured circles, squares and triangles on
// coloured backgrounds, captioned "a red circle on a blue background"), learns a tokenizer from
// the captions, trains a small VAE, then a small UNet together with its text encoder, exports a
// diffusers folder, generates a grid for caption combinations held out of training and judges
// every image for object colour, background colour and shape. Nothing is pre-trained.

#include "tessera/error.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace tessera {

struct DemoStage {
  std::string name;         // "runtime", "blas", "dataset", "tokenizer", "vae", "train", ...
  bool implemented = true;
  bool ran = false;
  double seconds = 0.0;
  std::string summary;      // one line: what happened
};

struct DemoReport {
  std::vector<DemoStage> stages;
  double matmul_gflops = 0.0;
  std::string model_dir;      // the exported diffusers folder
  std::string grid_png;       // held-out prompts (rows) x seeds (columns)
  int judged_images = 0;
  double colour_accuracy = 0;      // object colour right, over held-out prompts
  double background_accuracy = 0;
  double shape_accuracy = 0;
  double total_seconds = 0;
};

// The stages' sizes. The defaults are the tuned demo (about a quarter of an hour on 2 cores);
// tests shrink them to check the plumbing in seconds.
struct DemoSizes {
  int image_size = 32;          // pixels (the VAE makes image_size/4 latents)
  int train_images = 1500;
  double held_out_fraction = 0.15;
  int vae_steps = 600;
  int vae_batch = 16;
  int unet_steps = 1500;
  int unet_batch = 64;
  double unet_lr = 1e-3;
  int sample_steps = 25;
  double guidance = 4.0;
  int seeds_per_prompt = 2;
  uint64_t sample_seed = 1000;  // the first held-out caption's seed; caption k uses sample_seed + k
};

struct DemoOptions {
  std::string work_dir;                          // where the demo writes everything (created)
  // When set, only the held-out captions are generated with this diffusers folder and judged
  // (into work_dir/samples, grid.png, evaluation.json): to judge an earlier demo model, or another
  // model trained on the same kind of captions.
  std::string evaluate_model;
  DemoSizes sizes;
  uint64_t seed = 7;
  std::function<void(const std::string&)> log;   // one line per call; may be empty
  std::function<bool()> cancelled;               // polled often; may be empty
};

// Runs every stage in `work_dir`: dataset/ (PNGs + captions + catalog.sqlite), components/ (the
// tokenizer, trained VAE and the initial text encoder and UNet as a diffusers folder), run/ (the
// training run: config.yaml, metrics.jsonl, checkpoints), model/ (the exported diffusers
// folder), samples/, grid.png and evaluation.json. Fails on a real error or when cancelled
// (Status::cancelled_by_user()).
Status run_demo(const DemoOptions& options, DemoReport* report);

// Measures float32 matrix-product throughput (GFLOP/s) with n x n matrices, the best of
// `repeats` timed runs after one warm-up.
double measure_matmul_gflops(int n, int repeats);

}  // namespace tessera
