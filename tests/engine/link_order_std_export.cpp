// A shared library that exports its own std::filesystem::remove_all, as PyTorch's 2.x wheels'
// libtorch.so does (pytorch/pytorch#133437), for tst_link_order. Its copy removes nothing and
// reports a count no real removal gives.

#include <cstdint>
#include <filesystem>
#include <system_error>

namespace std::filesystem {

std::uintmax_t remove_all(const path&, std::error_code& ec) {
  ec.clear();
  return 424242;
}

}  // namespace std::filesystem

// Something the test calls, so that the library stays among the program's DT_NEEDED entries as
// LibTorch does.
extern "C" int tessera_link_order_marker() { return 17; }
