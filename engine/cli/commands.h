#pragma once
// The `tessera` commands. Each lives in its own command_<name>.cpp and talks to the engine
// only through its public facade (tessera/*.h), so this folder never compiles torch headers.

#include "args.h"

namespace tessera::cli {

Command make_version_command();
Command make_demo_command();
Command make_generate_command();
Command make_inspect_command();
Command make_net_check_command();
Command make_shards_command();
Command make_dataset_command();
Command make_bench_command();
Command make_train_command();
Command make_export_command();
Command make_latents_command();

// Applies the common --threads flag; returns the thread count in effect.
int apply_threads(const ParsedArgs& args);

}  // namespace tessera::cli
