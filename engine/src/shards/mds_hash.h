#pragma once
// The file hashes mosaicml-streaming records in index.json (hashlib and xxhash names, hex
// digests as Python's hexdigest() prints them), and zstd compression with a size cap.
// Torch-free.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tessera::shards {

// The hash names supported: md5, sha1, sha224, sha256, sha384, sha512, sha3_224, sha3_256,
// sha3_384, sha3_512, blake2b, blake2s, xxh32, xxh64, xxh3_64, xxh3_128, xxh128.
bool is_supported_hash(const std::string& algo);
const std::vector<std::string>& supported_hashes();

// Lowercase hex digest of `algo` over the data. Throws tessera::Error for an unknown name.
std::string hash_hex(const std::string& algo, const uint8_t* data, size_t size);
std::string sha1_hex(const uint8_t* data, size_t size);

// The same digests computed incrementally, for hashing a file in chunks without holding it in
// memory: feed update() the data in order, then hex() gives what hash_hex() gives for the whole.
class HashStream {
 public:
  explicit HashStream(const std::string& algo);  // throws tessera::Error for an unknown name
  ~HashStream();
  HashStream(const HashStream&) = delete;
  HashStream& operator=(const HashStream&) = delete;
  void update(const uint8_t* data, size_t size);
  std::string hex();  // once, after the last update()

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Compression names streaming writes: "zstd" or "zstd:L" (L 1..22); other families
// (br, bz2, gz, snappy) are recognised and refused with a clear message.
// Returns the zstd level; throws tessera::Error when not supported.
int parse_compression(const std::string& compression);

// The file extension for a compression ("zstd").
std::string compression_extension(const std::string& compression);

// ZSTD-compresses `data` at `level` (a single frame with the content size, no checksum: what
// streaming's zstd.compress writes).
std::string zstd_compress(const uint8_t* data, size_t size, int level);

// Decompresses a zstd stream of one or more frames; throws tessera::Error (naming `origin`)
// when the data is damaged or would decompress to more than `max_bytes`.
std::string zstd_decompress(const uint8_t* data, size_t size, uint64_t max_bytes, const std::string& origin);

}  // namespace tessera::shards
