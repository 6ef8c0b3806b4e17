#pragma once
// LibTorch version tests, for code that builds against Debian's 1.13 and a GPU node's 2.x alike.
// A function-like macro: used without this header, `#if TESSERA_TORCH_AT_LEAST(...)` is a
// compile error, where a bare `#if TORCH_VERSION_MAJOR >= 2` without <torch/version.h> would
// quietly read 0 and drop the newer path. Internal header.

#include <torch/version.h>

#define TESSERA_TORCH_AT_LEAST(major, minor) \
  (TORCH_VERSION_MAJOR > (major) || (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))
