#pragma once
// What the engine runs on: versions, devices, threads, BLAS. No torch in this header.

#include <string>
#include <vector>

namespace tessera {

struct RuntimeInfo {
  std::string tessera_version;
  std::string torch_version;            // LibTorch the engine was built against
  bool cuda_available = false;
  std::vector<std::string> cuda_devices;  // one name per visible device
  bool nccl_available = false;          // LibTorch built with the NCCL process group
  bool gloo_available = false;
  int intra_op_threads = 0;
  int hardware_threads = 0;
  std::string blas;                     // e.g. "OpenBLAS 0.3.21 ... (/usr/lib/.../libblas.so.3)"
  bool blas_is_reference = false;       // Netlib's reference BLAS: ~40x slower matrix products
  std::string nvrtc;                    // with CUDA: the NVRTC library the engine's own kernels
                                        // compile with, or why there is none
};

RuntimeInfo runtime_info();

// Sets LibTorch's intra-op thread count. `requested` <= 0 means "all cores". Returns the count
// in effect. LibTorch starts with one thread on some builds, so every entry point calls this.
int configure_threads(int requested);

// Number of logical CPUs this process may run on (affinity mask aware).
int available_cpus();

// Makes the C allocator keep freed memory for reuse instead of returning it to the system: no
// mmap for large blocks, no trimming of the heap. A training or generation step frees and
// re-allocates gigabytes of activations; with glibc's defaults every step faults them in again
// page by page (measured on the SD2 training step here: 1.5 million page faults and 18 s of
// system time per 30 s step, against none and 11 s with this). Call it once, early, in
// processes that run such steps (the `tessera` CLI does; TESSERA_MALLOC_DEFAULTS=1 skips it).
// Returns false where the C library has no such controls (then nothing changes).
bool keep_freed_memory_for_reuse();

// Returns the free memory the allocator holds to the system (after building a model, whose
// temporaries would otherwise stay resident next to the training state). Returns false where
// the C library cannot.
bool release_free_memory();

}  // namespace tessera
