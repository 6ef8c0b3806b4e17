#pragma once
// Deletes a file or a whole directory tree, as std::filesystem::remove_all does, but through the
// POSIX calls (openat, fdopendir, unlinkat) instead of the C++ library.
//
// Why not std::filesystem::remove_all: PyTorch's 2.x wheels export copies of parts of libstdc++
// (pytorch/pytorch#133437), and on the CUDA machine of issue 9 the engine's calls bound to the
// wheel's copy of remove_all, which jumps to a null address; every `tessera bench train-step`
// died in its clean-up there: that machine's compiler linked the static libstdc++, which cannot
// come before LibTorch (TESSERA_STDCXX_FIRST now names the shared one). A function the engine
// does not call cannot be served by anyone else.
//
// Symbolic links are removed, never followed; what they point to is left alone (also for a path
// that ends in a slash, which std::filesystem::remove_all would follow). Other std::filesystem
// functions the engine uses may still be LibTorch's copies where the link line cannot put the
// shared libstdc++ first; only remove_all is known to crash.

#include <cstdint>
#include <filesystem>
#include <system_error>

namespace tessera {

// Returns how many files and directories were removed (0 when `path` does not exist). On an
// error, sets `ec`, stops, and returns what was removed until then (the rest stays).
std::uintmax_t remove_tree(const std::filesystem::path& path, std::error_code& ec) noexcept;
// The same, throwing std::filesystem::filesystem_error on an error.
std::uintmax_t remove_tree(const std::filesystem::path& path);

}  // namespace tessera
