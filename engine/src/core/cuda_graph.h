#pragma once
// A CUDA graph of work launched by a function: captured once on a stream of its own, replayed on
// the current stream. Shared by the training step's passes (training/step_graph.h) and the
// generation's UNet calls (pipeline/unet_graph.h). Built where LibTorch (2.2 or newer) comes with
// CUDA's headers; elsewhere built() is false and capture() throws. Internal header (torch).

#include <torch/torch.h>

#include <functional>
#include <memory>

namespace tessera {

class CudaGraph {
 public:
  // Whether this build can capture CUDA graphs.
  static bool built();

  CudaGraph();
  ~CudaGraph();
  CudaGraph(const CudaGraph&) = delete;
  CudaGraph& operator=(const CudaGraph&) = delete;

  // Runs `work` op by op on the stream a capture on `device` uses, ordered after the work queued
  // on the current stream and before what is queued there next. Libraries that set up state per
  // stream on first use (cuBLAS's workspace) do it here rather than inside the capture. On the
  // CPU (or without CUDA graphs) it just runs `work`.
  void run_on_capture_stream(const torch::Device& device, const std::function<void()>& work);
  // A tensor `work` made there and now used on the current stream: its memory is not reused
  // before the current stream's work queued so far has run.
  static void used_on_current_stream(const torch::Tensor& t);

  // Captures what `work` launches on `device` (nothing runs: replay() does): on the capture
  // stream, after waiting for the device, with autocast's cast cache off in this thread and the
  // memory from a pool of the graph's own. Throws tessera::Error with CUDA's reason when the
  // capture fails; the pool is handed back, but what else LibTorch set up for the capture cannot
  // all be undone, so the process should not capture again. `other_threads` true: CUDA calls of
  // other threads during the capture are not checked (CUDA's thread-local capture mode; NCCL's
  // watchdog thread queries its events at any time), only this thread's; false: calls that could
  // disturb the capture are refused in every thread (the global mode, the stricter check).
  void capture(const torch::Device& device, const std::function<void()>& work, bool other_threads = false);

  // Launches the captured work on the current stream.
  void replay();

  bool captured() const;
  void reset();                    // drops the graph and its memory
  double capture_seconds() const;  // how long the last capture took

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tessera
