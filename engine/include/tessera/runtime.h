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
};

RuntimeInfo runtime_info();

// Sets LibTorch's intra-op thread count. `requested` <= 0 means "all cores". Returns the count
// in effect. LibTorch starts with one thread on some builds, so every entry point calls this.
int configure_threads(int requested);

// Number of logical CPUs this process may run on (affinity mask aware).
int available_cpus();

}  // namespace tessera
