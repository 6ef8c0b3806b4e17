#pragma once
// Writes a shard set in mosaicml-streaming's MDS format (index.json version 2 plus
// shard.NNNNN.mds[.zstd]), byte for byte as streaming's MDSWriter would for the same samples and
// settings. Torch-free; errors are tessera::Error.
//
//   using namespace tessera::shards;
//   MdsWriterOptions opt;
//   opt.compression = "zstd:7";            // or "" for raw shards
//   opt.hashes = {"sha1", "xxh3_64"};      // sorted, unique
//   opt.size_limit = 1 << 26;              // bytes per raw shard before rollover; 0 = one shard
//   MdsWriter writer("/data/out", {{"caption", "str"}, {"image", "jpeg"}, {"score", "float32"}}, opt);
//   writer.write(MdsSample().set_str("caption", "a cat").set_bytes("image", jpeg_file_bytes)
//                           .set_float("score", 5.1));
//   MdsWriteSummary done = writer.finish();   // last shard + index.json (written last, atomically)
//
// Columns are stored sorted by name (as streaming does), whatever order they are given in. Every
// sample must set every column; a value whose kind does not fit the column's encoding is refused
// with an error naming the column. Encodings (see mds_encoding.h for the byte layouts):
//   bytes, jpeg, png, pil ........... set_bytes (jpeg/png: the encoded file; pil: the raw layout)
//   str, str_decimal ................ set_str (UTF-8)
//   int, int8..int64, uint8..uint64 . set_int / set_uint (range-checked)
//   float16, float32, float64 ....... set_float (rounded to nearest even, as numpy does)
//   str_int ......................... set_int / set_uint (stored as decimal digits), or set_str
//                                     with the digits of an integer beyond 64 bits
//   str_float ....................... set_float (Python's repr of the float: "0.5", "1e-05")
//   json ............................ set_json (JSON text; re-serialised as Python's json.dumps)
//   ndarray[:dtype[:d0,d1,..]] ...... set_ndarray
// pkl (pickle) is refused: it runs code when read.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tessera::shards {

// streaming's default shard size limit (64 MiB of raw shard).
inline constexpr uint64_t kDefaultSizeLimit = uint64_t{1} << 26;

struct MdsColumn {
  std::string name;
  std::string encoding;  // e.g. "str", "jpeg", "float32", "ndarray:float16:4,32,32"
};

struct MdsWriterOptions {
  // "" (none), "zstd" (level 3) or "zstd:L" with L in 1..22.
  std::string compression;
  // Hash algorithms recorded in the index for each raw and compressed file, sorted and unique:
  // any of "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "xxh32", "xxh64", "xxh3_64",
  // "xxh128" (the names streaming uses).
  std::vector<std::string> hashes;
  // A shard is closed when adding the next sample would make it exceed this many raw bytes
  // (streaming's rule: size_limit < shard_bytes + sample_bytes + 4). 0 = no limit.
  uint64_t size_limit = kDefaultSizeLimit;
};

// An n-dimensional array for the ndarray encoding: little-endian values, C order.
struct NdArray {
  std::string dtype;            // uint8 int8 uint16 int16 float16 uint32 int32 float32 uint64 int64 float64
  std::vector<uint64_t> shape;  // at least one axis, every extent >= 1, at most 63 axes
  std::string data;             // product(shape) * itemsize bytes
};

// One column value of a sample, before encoding.
struct MdsValue {
  enum class Kind { kBytes, kStr, kInt, kUInt, kFloat, kJson, kNdArray };
  Kind kind = Kind::kBytes;
  std::string text;  // kBytes, kStr, kJson
  int64_t i = 0;     // kInt
  uint64_t u = 0;    // kUInt
  double f = 0.0;    // kFloat
  NdArray array;     // kNdArray
};

// A sample: a value per column name. Setters return *this for chaining; setting a column twice
// keeps the last value.
class MdsSample {
 public:
  MdsSample& set_bytes(const std::string& column, std::string data);
  MdsSample& set_str(const std::string& column, std::string utf8);
  MdsSample& set_int(const std::string& column, int64_t value);
  MdsSample& set_uint(const std::string& column, uint64_t value);
  MdsSample& set_float(const std::string& column, double value);
  MdsSample& set_json(const std::string& column, std::string json_text);
  MdsSample& set_ndarray(const std::string& column, NdArray array);

  const std::map<std::string, MdsValue>& values() const { return values_; }

 private:
  std::map<std::string, MdsValue> values_;
};

// What finish() reports.
struct MdsWriteSummary {
  uint64_t samples = 0;
  size_t shards = 0;
  uint64_t raw_bytes = 0;  // sum of raw shard sizes
  uint64_t file_bytes = 0; // sum of the files written (compressed where compression is on)
  std::string index_path;
};

class MdsWriter {
 public:
  // Validates the columns (names unique and non-empty, encodings known and safe), the
  // compression and the hashes; creates `out_dir` when missing. Refuses a folder that already
  // holds an index.json or shard files (choose an empty folder). Throws tessera::Error.
  MdsWriter(std::string out_dir, std::vector<MdsColumn> columns, MdsWriterOptions options = {});
  // Without finish(), the shards written so far stay but no index.json is written, so the
  // folder is recognisably unfinished.
  ~MdsWriter();
  MdsWriter(const MdsWriter&) = delete;
  MdsWriter& operator=(const MdsWriter&) = delete;

  // Encodes and appends one sample, closing the current shard first when the size limit says
  // so. Throws tessera::Error (missing/unknown column, wrong kind, value out of range, a
  // sample too large for the format's 32-bit offsets, or an IO failure).
  void write(const MdsSample& sample);

  // Writes the last shard and then index.json (atomically). The writer cannot be used after.
  MdsWriteSummary finish();

  // The columns in stored order (sorted by name).
  const std::vector<MdsColumn>& columns() const;
  uint64_t samples_written() const;
  size_t shards_written() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace tessera::shards
