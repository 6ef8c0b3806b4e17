#pragma once
// The engine's environment knobs (TESSERA_SDPA=0, TESSERA_FUSED_ADAMW=0, ...): each is a switch
// with one value that flips it, so a knob reads `env_is("NAME", "0")` and nothing else counts.

#include <cstdlib>
#include <cstring>

namespace tessera {

// True when the environment variable `name` is set to exactly `value`.
inline bool env_is(const char* name, const char* value) {
  const char* v = std::getenv(name);
  return v != nullptr && std::strcmp(v, value) == 0;
}

}  // namespace tessera
