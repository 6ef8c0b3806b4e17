#pragma once
// Where a training step's time goes, from what PyTorch's profiler recorded: the host's time in
// each phase of the step (the trainer marks them with "tessera." scopes), and on an accelerator
// the device's kernels — per phase (through the host call that launched each one), per kind of
// work (by kernel name), the busiest kernels, and how long the device sat idle waiting for work.
// No torch here: step_profile.cpp turns the profiler's events into ProfileEvents, and the tests
// feed synthetic ones.

#include <cstdint>
#include <string>
#include <vector>

namespace tessera::bench {

struct ProfileEvent {
  enum class Kind {
    HostOp,     // an operator on a host thread (aten::mm, autograd::engine::..., ...)
    Scope,      // a user scope (the trainer's "tessera.forward", ...)
    Launch,     // a host-side runtime/driver call (cudaLaunchKernel, ...): links to a device event
    Kernel,     // device work
    Memcpy,     // device copy
    Memset,     // device fill
  };
  Kind kind = Kind::HostOp;
  std::string name;
  int64_t start_ns = 0;
  int64_t duration_ns = 0;
  uint64_t thread = 0;        // host thread id, or the device stream
  uint64_t correlation = 0;   // Launch <-> Kernel/Memcpy/Memset
  uint64_t linked = 0;        // device events: the host operator's correlation (fallback link)
};

struct ProfilePhase {
  std::string name;            // "forward", ... ("(other)" for work outside every scope)
  double host_ms = 0;          // per step: wall time the host spent inside the scope
  double device_ms = 0;        // per step: device time of the work launched inside it
  double device_idle_ms = 0;   // per step: device idle time just before that work started
  double kernels = 0;          // per step
};

struct ProfileRow {
  std::string name;
  double ms = 0;      // per step
  double calls = 0;   // per step
};

struct ProfileSummary {
  int steps = 1;
  double host_ms = 0;           // per step: from the first to the last recorded host event
  bool device = false;          // device events were recorded
  double device_busy_ms = 0;    // per step: union of the device events' intervals
  double device_span_ms = 0;    // per step: first device event start to last end
  double device_events = 0;     // per step
  double unattributed = 0;      // per step: device events whose launch was not found
  std::vector<ProfilePhase> phases;    // in the order the steps first entered them
  std::vector<ProfileRow> categories;  // device: by kind of work; host: none
  std::vector<ProfileRow> top;         // device kernels by time, or host operators by self time
};

// `steps`: how many steps the events cover (the per-step figures divide by it). `top`: rows kept.
ProfileSummary summarize_profile(const std::vector<ProfileEvent>& events, int steps, size_t top = 25);

// The summary as an aligned text table (what `tessera bench --profile` writes).
std::string format_profile(const ProfileSummary& s, const std::string& title);

// A Chrome trace (chrome://tracing, ui.perfetto.dev) of the events, as JSON.
std::string profile_trace_json(const std::vector<ProfileEvent>& events);

// The kind of work a device kernel does, from its name: "matmul", "convolution", "attention",
// "normalization", "optimizer", "reduction", "copy / cast", "elementwise" or "other".
std::string kernel_category(const std::string& kernel_name);

}  // namespace tessera::bench
