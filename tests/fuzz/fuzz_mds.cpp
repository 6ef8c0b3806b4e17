// libFuzzer target for the MDS readers (engine/src/shards/mds_format.cpp, mds_encoding.cpp,
// mds_hash.cpp): index.json parsing, shard layout parsing (whole, and from the head alone as
// reading by offset does), sample splitting, column decoding and zstd decompression with its size
// cap. Any input must either be accepted or rejected with
// tessera::Error: no crash, no sanitizer report, no other exception. What is accepted must satisfy
// the format's invariants, and an accepted index must survive writing and re-reading.
//
// Input: the first byte picks the mode.
//   0: u32 n, n bytes of index.json, then a raw shard read against the index's first shard
//   1: a raw shard read against a fixed 24-column index (every encoding)
//   2: a zstd stream, decompressed (cap 1 MiB) and read as a shard against the fixed index

#include "shards/mds_encoding.h"
#include "shards/mds_format.h"
#include "shards/mds_hash.h"
#include "tessera/error.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

using namespace tessera::shards;

void check(bool ok) {
  if (!ok) std::abort();
}

const char kFixedIndex[] =
    "{\"shards\": [{\"column_encodings\": [\"bytes\", \"float16\", \"float32\", \"float64\", \"int\", \"int16\", "
    "\"int32\", \"int64\", \"int8\", \"json\", \"jpeg\", \"ndarray\", \"ndarray:float16:2,3\", \"ndarray:int32\", "
    "\"pil\", \"png\", \"str\", \"str_decimal\", \"str_float\", \"str_int\", \"uint16\", \"uint32\", \"uint64\", "
    "\"uint8\"], \"column_names\": [\"b\", \"f16\", \"f32\", \"f64\", \"i\", \"i16\", \"i32\", \"i64\", \"i8\", "
    "\"j\", \"jpg\", \"nd\", \"nd_f16\", \"nd_i32\", \"pil\", \"png\", \"s\", \"sd\", \"sf\", \"si\", \"u16\", "
    "\"u32\", \"u64\", \"u8\"], \"column_sizes\": [null, 2, 4, 8, 8, 2, 4, 8, 1, null, null, null, 12, null, "
    "null, null, null, null, null, null, 2, 4, 8, 1], \"compression\": null, \"format\": \"mds\", \"hashes\": [], "
    "\"raw_data\": {\"basename\": \"shard.00000.mds\", \"bytes\": 4413, \"hashes\": {}}, \"samples\": 3, "
    "\"size_limit\": 8000, \"version\": 2, \"zip_data\": null}], \"version\": 2}";

const MdsShardInfo& fixed_info() {
  static const MdsIndex index =
      parse_mds_index(reinterpret_cast<const uint8_t*>(kFixedIndex), sizeof kFixedIndex - 1, "fixed");
  return index.shards.front();
}

// Reads a raw shard against `info` (its sample count taken from the data) and decodes every column.
void read_shard(const uint8_t* data, size_t size, MdsShardInfo info) {
  if (size >= 4) {
    uint32_t n = 0;
    std::memcpy(&n, data, 4);
    info.samples = n;
  }
  MdsShardLayout layout;
  try {
    layout = parse_mds_shard(data, size, info, "fuzz");
  } catch (const tessera::Error&) {
    return;
  }
  check(layout.offsets.size() == size_t{layout.samples} + 1);
  check(layout.offsets.back() == size);
  check(layout.offsets.front() >= 4 + 4 * (uint64_t{layout.samples} + 1));
  // Reading by offset parses only the head (up to offsets[0]): same layout; a shorter head is
  // refused with tessera::Error, never read past.
  const MdsShardLayout head = parse_mds_shard_head(data, layout.offsets.front(), size, info, "fuzz-head");
  check(head.offsets == layout.offsets && head.config_json == layout.config_json);
  if (layout.offsets.front() > 8) {
    const size_t cut = 8 + (size % (layout.offsets.front() - 8));
    try {
      check(parse_mds_shard_head(data, cut, size, info, "fuzz-cut").offsets == layout.offsets);
    } catch (const tessera::Error&) {
    }
  }
  for (uint32_t i = 0; i < layout.samples; ++i) {
    check(layout.offsets[i] <= layout.offsets[i + 1]);
    const uint8_t* s = data + layout.offsets[i];
    const size_t n = layout.offsets[i + 1] - layout.offsets[i];
    std::vector<MdsSpan> spans;
    try {
      spans = split_mds_sample(s, n, info, "fuzz");
    } catch (const tessera::Error&) {
      continue;
    }
    check(spans.size() == info.column_names.size());
    for (size_t c = 0; c < spans.size(); ++c) {
      check(spans[c].data >= s && spans[c].data + spans[c].size <= s + n);
      try {
        (void)mds_payload_to_json(info.encodings[c], spans[c].data, spans[c].size);
      } catch (const tessera::Error&) {
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t mode = data[0] % 3;
  ++data;
  --size;
  if (mode == 0) {
    if (size < 4) return 0;
    uint32_t n = 0;
    std::memcpy(&n, data, 4);
    data += 4;
    size -= 4;
    if (n > size) n = static_cast<uint32_t>(size);
    MdsIndex index;
    try {
      index = parse_mds_index(data, n, "fuzz");
    } catch (const tessera::Error&) {
      return 0;
    }
    // Round trip: writing the index and reading it back gives the same index text.
    const std::string text = mds_index_json(index);
    const MdsIndex again = parse_mds_index(reinterpret_cast<const uint8_t*>(text.data()), text.size(), "fuzz-rewritten");
    check(mds_index_json(again) == text);
    check(again.total_samples() == index.total_samples());
    for (const auto& s : index.shards) {
      check(s.column_names.size() == s.encodings.size() && s.column_names.size() == s.column_sizes.size());
      check(s.compression.empty() != s.zip_data.has_value());
    }
    if (!index.shards.empty()) read_shard(data + n, size - n, index.shards.front());
    return 0;
  }
  if (mode == 1) {
    read_shard(data, size, fixed_info());
    return 0;
  }
  std::string raw;
  try {
    raw = zstd_decompress(data, size, 1 << 20, "fuzz");
  } catch (const tessera::Error&) {
    return 0;
  }
  check(raw.size() <= (1u << 20));
  read_shard(reinterpret_cast<const uint8_t*>(raw.data()), raw.size(), fixed_info());
  return 0;
}
