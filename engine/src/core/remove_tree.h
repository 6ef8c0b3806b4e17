#pragma once
// Deletes a file or a whole directory tree, as std::filesystem::remove_all does, but through the
// POSIX calls (openat, fdopendir, unlinkat) instead of the C++ library.
//
// Why not std::filesystem::remove_all: PyTorch's 2.x wheels export copies of parts of libstdc++
// (pytorch/pytorch#133437), and on the CUDA machine of issue 9 the engine's calls bound to the
// wheel's copy of remove_all, which jumps to a null address; every `tessera bench train-step`
// died in its clean-up there, although libstdc++ is named first on the link line
// (TESSERA_STDCXX_FIRST). A symbol the engine does not use cannot be served by anyone else.
//
// Symbolic links are removed, never followed; what they point to is left alone.

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
