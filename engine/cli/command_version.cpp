// tessera version: what this binary is and what it runs on.

#include "commands.h"

#include "tessera/runtime.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace tessera::cli {

Command make_version_command() {
  Command c;
  c.name = "version";
  c.usage = "tessera version [--json] [--threads N]";
  c.summary = "print the version, LibTorch, CUDA devices, CPU threads and BLAS";
  c.flags = {{"json", "", "print one JSON object instead of text"}};
  c.run = [](const ParsedArgs& args) {
    const RuntimeInfo info = runtime_info();
    if (args.has("json")) {
      nlohmann::json j = {
          {"tessera", info.tessera_version},  {"libtorch", info.torch_version},
          {"cuda", info.cuda_available},      {"cuda_devices", info.cuda_devices},
          {"nccl", info.nccl_available},      {"gloo", info.gloo_available},
          {"threads", info.intra_op_threads}, {"cpus", info.hardware_threads},
          {"blas", info.blas},                {"blas_is_reference", info.blas_is_reference},
      };
      if (info.cuda_available) j["nvrtc"] = info.nvrtc;
      std::cout << j.dump() << "\n";
      return 0;
    }
    std::cout << "tessera   " << info.tessera_version << "\n"
              << "libtorch  " << info.torch_version << "\n"
              << "cuda      " << (info.cuda_available ? "available" : "not available") << "\n";
    for (size_t i = 0; i < info.cuda_devices.size(); ++i) {
      std::cout << "  cuda:" << i << "  " << info.cuda_devices[i] << "\n";
    }
    std::cout << "c10d      " << (info.nccl_available ? "nccl " : "") << (info.gloo_available ? "gloo" : "")
              << ((info.nccl_available || info.gloo_available) ? "" : "none") << "\n"
              << "threads   " << info.intra_op_threads << " intra-op (of " << info.hardware_threads
              << " CPUs)\n"
              << "blas      " << info.blas << "\n";
    if (info.cuda_available) std::cout << "nvrtc     " << info.nvrtc << "\n";
    if (info.blas_is_reference) {
      std::cerr << "tessera: warning: matrix products use the reference BLAS (~40x slower); "
                   "install libopenblas0-pthread\n";
    }
    return 0;
  };
  return c;
}

}  // namespace tessera::cli
