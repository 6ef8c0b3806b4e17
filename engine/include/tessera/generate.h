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

// A small RGB image of where a generation is heading, for a live view.
struct PreviewImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgb;  // width * height * 3 bytes, row-major, RGB8
};

enum class PreviewMode {
  None,     // no previews (the default: no cost)
  Latent,   // the predicted clean latents (x0) of the first image, mapped linearly to RGB: one
            // pixel per latent (width/8 x height/8 for SD), microseconds per step
  Decoded,  // the predicted clean latents decoded by the VAE: the full-size image, a VAE decode
            // per preview (use `every` to keep it affordable)
};

struct PreviewOptions {
  PreviewMode mode = PreviewMode::None;
  int every = 1;  // a preview every `every` steps (and always at the last step)
};

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
  PreviewOptions preview;
};

struct GenerateProgress {
  int prompt_index = 0;  // 0-based
  int prompt_count = 0;
  int step = 0;          // 1-based, after the step finished
  int steps = 0;
  // Set at the steps PreviewOptions asks for; null otherwise. Shared so that it can be handed to
  // another thread without a copy.
  std::shared_ptr<const PreviewImage> preview;
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

// Generations queued on one worker thread, run in the order submitted, each with its own job
// id. submit() returns at once (also while a job runs). Every callback is called on the worker
// thread (a GUI forwards them to its own thread, e.g. with a queued invocation), never while the
// queue's lock is held, so a callback may call submit() or cancel(). Every submitted job gets
// exactly one `finished` call: ok, failed, or cancelled (Status::cancelled()).
class GenerationQueue {
 public:
  using JobId = uint64_t;
  struct Callbacks {
    std::function<void(JobId)> started;
    std::function<void(JobId, const GenerateProgress&)> progress;
    // The images written (for a cancelled job: those of prompts finished before the cancel; an
    // unfinished batch writes nothing).
    std::function<void(JobId, const Status&, const std::vector<GeneratedImage>&)> finished;
  };

  // The queue runs its jobs on `generator`; do not call generator->generate() elsewhere while the
  // queue lives.
  GenerationQueue(std::shared_ptr<ImageGenerator> generator, Callbacks callbacks);
  // Cancels everything (the running job stops after its current step; queued jobs are reported
  // cancelled) and joins the worker.
  ~GenerationQueue();
  GenerationQueue(const GenerationQueue&) = delete;
  GenerationQueue& operator=(const GenerationQueue&) = delete;

  JobId submit(GenerateOptions options);
  // A queued job is dropped (reported cancelled promptly, before the running job ends); the
  // running job stops after its current step. False when the id is unknown or already finished.
  bool cancel(JobId id);
  void cancel_all();
  // Jobs submitted and not yet finished (queued + running).
  size_t pending() const;
  // Blocks until every submitted job has finished; false when `timeout_ms` (>= 0) ran out first.
  bool wait_idle(int timeout_ms = -1) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tessera
