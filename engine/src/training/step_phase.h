#pragma once
// A named phase of a training step ("tessera.forward", "tessera.optimizer", ...), visible to
// PyTorch's profiler as a user scope: `tessera bench --profile` splits the host's and the
// device's time by these. Without a profiler running it costs a thread-local check.
// Internal header (torch). A phase is a scope (`const StepPhase phase("tessera.optimizer");`) or
// one expression: `(StepPhase("tessera.wait"), read())` — the temporary lives until the end of
// the full expression, so it spans the call.

#include <ATen/record_function.h>

namespace tessera::training {

class StepPhase {
 public:
  explicit StepPhase(const char* name) : guard_(at::RecordScope::USER_SCOPE) {
    if (guard_.isActive()) ::at::detail::record_function_with_scope(guard_, name, c10::ArrayRef<const c10::IValue>{});
  }
  StepPhase(const StepPhase&) = delete;
  StepPhase& operator=(const StepPhase&) = delete;

 private:
  at::RecordFunction guard_;
};

}  // namespace tessera::training
