#pragma once
// `tessera bench train-step --device cuda --cuda-graph`: how much of a training step the host's
// launching of kernels costs. The step's device work — the trainer's own pieces: FlatParameters,
// DiffusionObjective's loss under autocast, backward, the global gradient norm, AdamW — runs on
// one fixed batch, first launched op by op (as the trainer does) and then captured once into a
// CUDA graph and replayed. Internal header (torch).

#include "tessera/bench.h"

namespace tessera::bench {

// Fills `r` with the graphed steps' times and a note with the op-by-op ones. Throws
// tessera::Error where LibTorch lacks CUDA graphs (no CUDA headers, or older than 2.2).
void bench_graphed_train_step(const BenchOptions& o, BenchResult* r);

// Whether this build can capture CUDA graphs.
bool cuda_graphs_built();

}  // namespace tessera::bench
