#pragma once
// The forward and backward passes of a training step, replayed from a CUDA graph
// (trainer.cuda_graph). Internal header (torch).
//
// A UNet step launches thousands of kernels: op by op, the host's launching alone can take longer
// than the GPU needs to run them, and the GPU then idles between kernels. Captured once into a CUDA
// graph, the same kernels are launched by one call. A graph replays fixed memory, so the step's
// inputs are first copied into buffers the graph owns (stage()), and its gradients accumulate into
// the parameters' existing .grad tensors, as an eager backward does. What stays outside the graph,
// op by op: reading and uploading the batch, the text encoder and VAE, zeroing the gradients, the
// norm, clipping, AdamW and the EMA (a handful of kernels over the flat buffers, with the step's
// learning rate), so that the graph holds no number that changes from step to step.

#include "training/diffusion_objective.h"
#include "training/run_config.h"

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace tessera::training {

// One microbatch's inputs, on the training device.
struct StepInputs {
  torch::Tensor x0;    // [B, C, h, w] clean latents (scaled)
  torch::Tensor text;  // [B, T, D] text states, caption dropout applied
  SampleDraws draws;   // timesteps, noise and loss weights (the dropout mask is not used)
};

class StepGraph {
 public:
  // Whether this build can capture CUDA graphs (LibTorch 2.2 or newer, built with CUDA's headers).
  static bool built();

  // `per_sample_loss`: one microbatch's forward pass, per-sample losses [B] with autograd.
  // `microbatches`: how many are staged per step; each one's summed losses are divided by
  // `loss_divisor` (the samples of the optimizer step on this rank) before its backward pass.
  // `capture_after`: runs op by op before the graph is captured (cuDNN picks its algorithms and
  // autograd its gradient layouts in them); -1: never captured, every run op by op, on any device.
  StepGraph(std::function<torch::Tensor(const StepInputs&)> per_sample_loss, int64_t microbatches, double loss_divisor,
            int capture_after);
  ~StepGraph();
  StepGraph(const StepGraph&) = delete;
  StepGraph& operator=(const StepGraph&) = delete;

  // Copies microbatch `k`'s inputs into the graph's buffers (queued on the device). Inputs of
  // another shape or dtype than the buffers' replace them and drop the captured graph, which is
  // captured anew after `capture_after` more runs.
  void stage(int64_t k, const StepInputs& in);

  // The parameters the passes train: a replay reads them and accumulates into their .grad, at the
  // addresses the capture saw. Should one of them or its gradient get new memory, the graph is
  // dropped and captured anew after `capture_after` runs op by op.
  void watch(std::vector<torch::Tensor> parameters);

  // Other threads make CUDA calls while the step runs (NCCL's watchdog in a process group): the
  // capture then checks only this thread's calls (core/cuda_graph.h).
  void tolerate_other_threads() { other_threads_ = true; }

  // Forward and backward passes of the staged microbatches: op by op, or the graph captured (on
  // the first run after the warm-up ones, the last of which runs on the capture's stream) and
  // replayed. Gradients accumulate into the parameters' .grad: they must exist (zeroed) before the
  // first run, for a replay accumulates into the memory the capture saw. Returns the sum of all
  // per-sample losses, a float64 scalar on the device, overwritten by the next run. Throws
  // tessera::Error when the capture fails (the step's work has not run then), and on every run
  // after that: what a failed capture leaves behind in LibTorch is not all reachable, so the
  // process should not go on capturing.
  const torch::Tensor& run();

  bool captured() const;
  // Whether a capture was tried and failed.
  bool capture_failed() const;
  double capture_seconds() const;  // how long the capture took (0 before)
  int64_t replays() const;         // runs replayed from the graph

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  bool other_threads_ = false;
};

// The trainer's StepGraph for `config` (trainer.cuda_graph): refuses with tessera::Error what a
// graph cannot replay (a config built in code has not been through parse_run_config's check), a
// device other than CUDA, a build without CUDA graphs. Two steps run op by op before the capture
// (cuDNN benchmarks its algorithms in the first); `params` are watched; `process_group`: other
// threads (NCCL's watchdog) use CUDA during the capture.
std::unique_ptr<StepGraph> make_step_graph(const RunConfig& config, const torch::Device& device, int world_size,
                                           bool process_group,
                                           std::function<torch::Tensor(const StepInputs&)> per_sample_loss,
                                           std::vector<torch::Tensor> params);

}  // namespace tessera::training
