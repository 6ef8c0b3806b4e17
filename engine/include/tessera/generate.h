#pragma once
// Image generation through the engine's facade (torch-free): load a model once, generate many
// times with progress and cancellation, images written as PNGs that carry their parameters.

#include "tessera/error.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tessera {

struct GenerateOptions {
  std::vector<std::string> prompts;  // one batch per prompt; prompt k uses seed + k
  std::string negative_prompt;
  std::string sampler;               // empty: the scheduler the model's scheduler config names
  int steps = 50;
  double guidance = 7.5;
  double guidance_rescale = 0.0;
  uint64_t seed = 0;
  int width = 0;                     // 0: the model's default (or the init image's size)
  int height = 0;
  int batch = 1;
  std::string init_image;            // PNG for img2img; empty for text-to-image
  double strength = 0.8;
  std::string out_dir;               // images go to <out_dir>/<seed>-<index>.png
};

struct GenerateProgress {
  int prompt_index = 0;  // 0-based
  int prompt_count = 0;
  int step = 0;          // 1-based, after the step finished
  int steps = 0;
};

struct GeneratedImage {
  std::string path;
  std::string prompt;
  uint64_t seed = 0;
  int index = 0;           // within its batch
  std::string parameters;  // the A1111 text stored in the PNG
};

// Return false to cancel (checked after every step; nothing of the unfinished batch is written).
using GenerateProgressFn = std::function<bool(const GenerateProgress&)>;

class ImageGenerator {
 public:
  // Loads a diffusers folder (tokenizer, text encoder, UNet, VAE, scheduler).
  static Status open(const std::string& model_dir, std::unique_ptr<ImageGenerator>* out);
  ~ImageGenerator();

  Status generate(const GenerateOptions& options, const GenerateProgressFn& progress,
                  std::vector<GeneratedImage>* images);

  // Scheduler names the engine offers: ddim, ddpm, pndm, euler, euler_a, dpmpp_2m,
  // dpmpp_2m_karras, unipc.
  static std::vector<std::string> sampler_names();
  std::string default_sampler() const;
  int default_width() const;
  int default_height() const;
  int size_multiple() const;  // width and height must be multiples of this (the VAE factor)

 private:
  ImageGenerator();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tessera
