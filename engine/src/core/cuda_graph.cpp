// See cuda_graph.h. The CUDA parts are compiled where LibTorch (2.2 or newer) comes with CUDA's
// headers.

#include "core/cuda_graph.h"

#include "core/autocast_scope.h"
#include "core/torch_version.h"
#include "tessera/error.h"

#if TESSERA_TORCH_AT_LEAST(2, 2) && __has_include(<ATen/cuda/CUDAGraph.h>) && __has_include(<cuda_runtime_api.h>)
#define TESSERA_CUDA_GRAPHS 1
#include <ATen/cuda/CUDAEvent.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#endif

#include <chrono>
#include <iostream>
#include <optional>
#include <string>

namespace tessera {

struct CudaGraph::Impl {
  double capture_seconds = 0;
#ifdef TESSERA_CUDA_GRAPHS
  std::unique_ptr<at::cuda::CUDAGraph> graph;
  // One stream for the warm-up run and the capture.
  std::optional<c10::cuda::CUDAStream> stream;
  c10::cuda::CUDAStream capture_stream(const torch::Device& device) {
    if (!stream || stream->device_index() != device.index()) stream = c10::cuda::getStreamFromPool(false, device.index());
    return *stream;
  }
#endif
};

CudaGraph::CudaGraph() : impl_(std::make_unique<Impl>()) {}
CudaGraph::~CudaGraph() = default;

#ifdef TESSERA_CUDA_GRAPHS

bool CudaGraph::built() { return true; }

void CudaGraph::run_on_capture_stream(const torch::Device& device, const std::function<void()>& work) {
  if (!device.is_cuda()) return work();
  const c10::cuda::CUDAGuard device_guard(device);
  const c10::cuda::CUDAStream current = c10::cuda::getCurrentCUDAStream(device.index());
  const c10::cuda::CUDAStream stream = impl_->capture_stream(device);
  at::cuda::CUDAEvent ready, done;
  ready.record(current);
  ready.block(stream);
  {
    const c10::cuda::CUDAStreamGuard stream_guard(stream);
    work();
  }
  done.record(stream);
  done.block(current);
}

void CudaGraph::capture(const torch::Device& device, const std::function<void()>& work, bool other_threads) {
  if (!device.is_cuda()) throw Error("a CUDA graph needs the work on a CUDA device, not " + device.str());
  reset();
  const c10::cuda::CUDAGuard device_guard(device);
  // Nothing earlier may still run, and cached blocks go back to the device: the graph takes its
  // memory from a pool of its own.
  c10::cuda::device_synchronize();
  c10::cuda::CUDACachingAllocator::emptyCache();
  // Autocast's cache of weight casts is off while capturing (a cast cached outside the graph
  // would be read from memory the graph does not own; torch.cuda.graphs asks the same). The
  // setting is per thread: recomputations in backward (gradient checkpointing) take it from
  // their forward.
  const AutocastCacheScope no_cast_cache(false);
  const auto start = std::chrono::steady_clock::now();
  auto g = std::make_unique<at::cuda::CUDAGraph>();
  const at::cuda::MempoolId_t pool = at::cuda::graph_pool_handle();
  std::string error;
  bool begun = false, ended = false;
  {
    // The default stream cannot be captured.
    const c10::cuda::CUDAStreamGuard stream_guard(impl_->capture_stream(device));
    try {
      g->capture_begin(pool, other_threads ? cudaStreamCaptureModeThreadLocal : cudaStreamCaptureModeGlobal);
      begun = true;
      try {
        work();
      } catch (...) {
        try {
          g->capture_end();  // leaves the stream's capture mode; the first error is the one to report
          ended = true;
        } catch (...) {
        }
        throw;
      }
      g->capture_end();
      ended = true;
    } catch (const c10::Error& e) {
      error = e.what_without_backtrace();
      std::cerr << "tessera: CUDA graph capture failed:\n" << e.what() << "\n";
    } catch (const std::exception& e) {
      error = e.what();
    }
  }
  if (!error.empty()) {
    // A capture that ended (the work threw, CUDA accepted the end) belongs to the graph, whose
    // destruction hands its pool back. One that CUDA invalidated ends without LibTorch's
    // allocator hearing of it: the pool is ended and handed back here.
    g.reset();
    if (begun && !ended) {
      try {
        c10::cuda::CUDACachingAllocator::endAllocateToPool(device.index(), pool);
        c10::cuda::CUDACachingAllocator::releasePool(device.index(), pool);
      } catch (...) {
      }
    }
    try {
      c10::cuda::device_synchronize();
      c10::cuda::CUDACachingAllocator::emptyCache();
    } catch (...) {
    }
    throw Error("could not be captured in a CUDA graph: " + error.substr(0, 800),
                "TORCH_SHOW_CPP_STACKTRACES=1 shows where the operation came from");
  }
  impl_->graph = std::move(g);
  impl_->capture_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void CudaGraph::replay() {
  if (!impl_->graph) throw Error("CudaGraph::replay before a capture");
  impl_->graph->replay();
}

bool CudaGraph::captured() const { return impl_->graph != nullptr; }
void CudaGraph::reset() { impl_->graph.reset(); }

void CudaGraph::used_on_current_stream(const torch::Tensor& t) {
  if (t.defined() && t.is_cuda()) t.record_stream(c10::cuda::getCurrentCUDAStream(t.device().index()));
}

#else

bool CudaGraph::built() { return false; }

void CudaGraph::run_on_capture_stream(const torch::Device&, const std::function<void()>& work) { work(); }

void CudaGraph::capture(const torch::Device& device, const std::function<void()>&, bool) {
  if (!device.is_cuda()) throw Error("a CUDA graph needs the work on a CUDA device, not " + device.str());
  throw Error("this build cannot capture CUDA graphs (it needs LibTorch 2.2 or newer with CUDA's headers)",
              "build against a GPU machine's PyTorch (scripts/gpu-check.sh)");
}

void CudaGraph::replay() { throw Error("this build cannot replay CUDA graphs"); }
bool CudaGraph::captured() const { return false; }
void CudaGraph::reset() {}
void CudaGraph::used_on_current_stream(const torch::Tensor&) {}

#endif

double CudaGraph::capture_seconds() const { return impl_->capture_seconds; }

}  // namespace tessera
