#pragma once
// The engine's kernels compiled as C++ (namespace tessera::cpu_kernels), and a launch on the CPU:
// every block and thread in turn on the calling thread. The kernels keep to one rule that makes
// this exact: no thread of a launch reads what another thread of it writes (no shared memory,
// no barriers, no atomics). Include a kernel source after this header, inside the namespace.

#include <cmath>
#include <cstring>

namespace tessera::cpu_kernels {

#include "kernels/kernel_prelude.cuh"

template <typename Args>
void emulate(void (*kernel)(Args), unsigned grid_x, unsigned grid_y, unsigned threads, const Args& args) {
  for (unsigned y = 0; y < grid_y; ++y)
    for (unsigned x = 0; x < grid_x; ++x)
      for (unsigned t = 0; t < threads; ++t) {
        ts_coords = {x, y, t, threads};
        kernel(args);
      }
}

}  // namespace tessera::cpu_kernels
