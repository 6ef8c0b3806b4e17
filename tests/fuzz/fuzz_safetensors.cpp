// libFuzzer target for the safetensors header parser (engine/src/io/safetensors_format.cpp).
// Any input must either parse or throw tessera::Error: no crash, no sanitizer report, no other
// exception. What parses must also satisfy the format's invariants, and re-writing its header
// with the writer must give a file that parses back to the same entries.

#include "io/safetensors_format.h"
#include "tessera/error.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tessera::io;
  SafetensorsHeader h;
  bool accepted = false;
  try {
    h = parse_safetensors(data, size, "fuzz");
    accepted = true;
  } catch (const tessera::Error&) {
    // rejected with a message: the expected outcome for most inputs
  }
  // Reading only the header, as `tessera inspect` does, must reach the same verdict.
  if (size >= 8) {
    uint64_t n = 0;
    std::memcpy(&n, data, sizeof n);
    const uint64_t available = std::min<uint64_t>(size, 8 + std::min<uint64_t>(n, kMaxHeaderBytes));
    bool header_accepted = false;
    try {
      (void)parse_safetensors_header(data, static_cast<size_t>(available), size, "fuzz");
      header_accepted = true;
    } catch (const tessera::Error&) {
    }
    check(header_accepted == accepted);
  }
  if (!accepted) return 0;

  // Invariants of an accepted file.
  check(h.data_offset == 8 + h.header_bytes && h.data_offset + h.data_bytes == size);
  uint64_t covered = 0;
  for (size_t i = 0; i < h.tensors.size(); ++i) {
    const TensorEntry& t = h.tensors[i];
    if (i > 0) check(h.tensors[i - 1].name < t.name);
    check(t.begin <= t.end && t.end <= h.data_bytes);
    check(static_cast<uint64_t>(t.numel()) * dtype_size(t.dtype) == t.nbytes());
    covered += t.nbytes();
  }
  check(covered == h.data_bytes);

  // Writer round trip: same entries, same metadata.
  std::vector<TensorSpec> specs;
  for (const auto& t : h.tensors) specs.push_back({t.name, t.dtype, t.shape, t.nbytes()});
  std::vector<size_t> order;
  std::string file = build_safetensors_header(specs, h.metadata, &order);
  check(order.size() == specs.size());
  check((file.size() - 8) % 8 == 0);
  file.append(static_cast<size_t>(h.data_bytes), '\0');
  const SafetensorsHeader again =
      parse_safetensors(reinterpret_cast<const uint8_t*>(file.data()), file.size(), "fuzz-rewritten");
  check(again.metadata == h.metadata && again.tensors.size() == h.tensors.size());
  for (size_t i = 0; i < h.tensors.size(); ++i) {
    check(again.tensors[i].name == h.tensors[i].name && again.tensors[i].dtype == h.tensors[i].dtype &&
          again.tensors[i].shape == h.tensors[i].shape && again.tensors[i].nbytes() == h.tensors[i].nbytes());
  }
  return 0;
}
