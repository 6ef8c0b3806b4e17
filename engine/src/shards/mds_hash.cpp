#include "shards/mds_hash.h"

#include "tessera/error.h"

#include <openssl/evp.h>
#include <xxhash.h>
#if defined(TESSERA_XXHASH_DISPATCH) && __has_include(<xxh_x86dispatch.h>)
#include <xxh_x86dispatch.h>  // XXH3 calls go to libxxhash's run-time dispatcher (AVX2/AVX-512)
#endif
#include <zstd.h>

#include <cstdio>
#include <memory>

namespace tessera::shards {
namespace {

std::string to_hex(const unsigned char* p, size_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string s(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    s[2 * i] = kDigits[p[i] >> 4];
    s[2 * i + 1] = kDigits[p[i] & 15];
  }
  return s;
}

std::string u64_hex(uint64_t v, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*llx", digits, static_cast<unsigned long long>(v));
  return buf;
}

const EVP_MD* evp_for(const std::string& algo) {
  if (algo == "md5") return EVP_md5();
  if (algo == "sha1") return EVP_sha1();
  if (algo == "sha224") return EVP_sha224();
  if (algo == "sha256") return EVP_sha256();
  if (algo == "sha384") return EVP_sha384();
  if (algo == "sha512") return EVP_sha512();
  if (algo == "sha3_224") return EVP_sha3_224();
  if (algo == "sha3_256") return EVP_sha3_256();
  if (algo == "sha3_384") return EVP_sha3_384();
  if (algo == "sha3_512") return EVP_sha3_512();
  if (algo == "blake2b") return EVP_blake2b512();
  if (algo == "blake2s") return EVP_blake2s256();
  return nullptr;
}

}  // namespace

const std::vector<std::string>& supported_hashes() {
  static const std::vector<std::string> kNames = {
      "blake2b", "blake2s", "md5", "sha1", "sha224", "sha256", "sha384", "sha3_224", "sha3_256",
      "sha3_384", "sha3_512", "sha512", "xxh128", "xxh32", "xxh3_128", "xxh3_64", "xxh64"};
  return kNames;
}

bool is_supported_hash(const std::string& algo) {
  for (const auto& n : supported_hashes())
    if (n == algo) return true;
  return false;
}

std::string hash_hex(const std::string& algo, const uint8_t* data, size_t size) {
  if (const EVP_MD* md = evp_for(algo)) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_Digest(data, size, out, &n, md, nullptr) != 1)
      throw Error("hashing with " + algo + " failed (OpenSSL)", "check the OpenSSL installation");
    return to_hex(out, n);
  }
  if (algo == "xxh32") return u64_hex(XXH32(data, size, 0), 8);
  if (algo == "xxh64") return u64_hex(XXH64(data, size, 0), 16);
  if (algo == "xxh3_64") return u64_hex(XXH3_64bits(data, size), 16);
  if (algo == "xxh3_128" || algo == "xxh128") {
    const XXH128_hash_t h = XXH3_128bits(data, size);
    return u64_hex(h.high64, 16) + u64_hex(h.low64, 16);
  }
  throw Error("unsupported hash '" + algo + "'", "use sha1, xxh3_64, xxh64, md5, sha256 or another hashlib/xxhash name");
}

std::string sha1_hex(const uint8_t* data, size_t size) { return hash_hex("sha1", data, size); }

struct HashStream::State {
  std::string algo;
  EVP_MD_CTX* evp = nullptr;
  XXH32_state_t* x32 = nullptr;
  XXH64_state_t* x64 = nullptr;
  XXH3_state_t* x3 = nullptr;
  ~State() {
    if (evp) EVP_MD_CTX_free(evp);
    if (x32) XXH32_freeState(x32);
    if (x64) XXH64_freeState(x64);
    if (x3) XXH3_freeState(x3);
  }
};

HashStream::HashStream(const std::string& algo) : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.algo = algo;
  bool ok = false;
  if (const EVP_MD* md = evp_for(algo)) {
    s.evp = EVP_MD_CTX_new();
    ok = s.evp && EVP_DigestInit_ex(s.evp, md, nullptr) == 1;
  } else if (algo == "xxh32") {
    s.x32 = XXH32_createState();
    ok = s.x32 && XXH32_reset(s.x32, 0) == XXH_OK;
  } else if (algo == "xxh64") {
    s.x64 = XXH64_createState();
    ok = s.x64 && XXH64_reset(s.x64, 0) == XXH_OK;
  } else if (algo == "xxh3_64") {
    s.x3 = XXH3_createState();
    ok = s.x3 && XXH3_64bits_reset(s.x3) == XXH_OK;
  } else if (algo == "xxh3_128" || algo == "xxh128") {
    s.x3 = XXH3_createState();
    ok = s.x3 && XXH3_128bits_reset(s.x3) == XXH_OK;
  } else {
    throw Error("unsupported hash '" + algo + "'", "use sha1, xxh3_64, xxh64, md5, sha256 or another hashlib/xxhash name");
  }
  if (!ok) throw Error("cannot start a " + algo + " hash", "check the OpenSSL installation");
}

HashStream::~HashStream() = default;

void HashStream::update(const uint8_t* data, size_t size) {
  State& s = *state_;
  if (s.evp) {
    if (EVP_DigestUpdate(s.evp, data, size) != 1) throw Error("hashing with " + s.algo + " failed (OpenSSL)", "");
  } else if (s.x32) {
    (void)XXH32_update(s.x32, data, size);
  } else if (s.x64) {
    (void)XXH64_update(s.x64, data, size);
  } else if (s.algo == "xxh3_64") {
    (void)XXH3_64bits_update(s.x3, data, size);
  } else {
    (void)XXH3_128bits_update(s.x3, data, size);
  }
}

std::string HashStream::hex() {
  State& s = *state_;
  if (s.evp) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_DigestFinal_ex(s.evp, out, &n) != 1) throw Error("hashing with " + s.algo + " failed (OpenSSL)", "");
    return to_hex(out, n);
  }
  if (s.x32) return u64_hex(XXH32_digest(s.x32), 8);
  if (s.x64) return u64_hex(XXH64_digest(s.x64), 16);
  if (s.algo == "xxh3_64") return u64_hex(XXH3_64bits_digest(s.x3), 16);
  const XXH128_hash_t h = XXH3_128bits_digest(s.x3);
  return u64_hex(h.high64, 16) + u64_hex(h.low64, 16);
}

int parse_compression(const std::string& c) {
  const size_t colon = c.find(':');
  const std::string family = c.substr(0, colon);
  if (family == "br" || family == "bz2" || family == "gz" || family == "snappy")
    throw Error("compression '" + c + "' is not supported by Tessera", "re-write the shards with zstd (zstd:L) or none");
  if (family != "zstd") throw Error("unknown compression '" + c + "'", "use zstd or zstd:L with L in 1..22");
  if (colon == std::string::npos) return 3;
  const std::string level = c.substr(colon + 1);
  if (level.empty() || level.size() > 2 || level.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(level) < 1 || std::stoi(level) > 22)
    throw Error("bad zstd level in '" + c + "'", "use zstd:L with L in 1..22");
  return std::stoi(level);
}

std::string compression_extension(const std::string& c) {
  (void)parse_compression(c);
  return "zstd";
}

std::string zstd_compress(const uint8_t* data, size_t size, int level) {
  std::string out(ZSTD_compressBound(size), '\0');
  const size_t n = ZSTD_compress(out.data(), out.size(), data, size, level);
  if (ZSTD_isError(n)) throw Error(std::string("zstd compression failed: ") + ZSTD_getErrorName(n), "");
  out.resize(n);
  return out;
}

std::string zstd_decompress(const uint8_t* data, size_t size, uint64_t max_bytes, const std::string& origin) {
  std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> ctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
  if (!ctx) throw Error("out of memory creating a zstd context", "");
  // Bound the window so a crafted frame cannot make the decoder allocate gigabytes.
  ZSTD_DCtx_setParameter(ctx.get(), ZSTD_d_windowLogMax, 27);
  std::string out;
  ZSTD_inBuffer in{data, size, 0};
  std::string chunk(ZSTD_DStreamOutSize(), '\0');
  size_t last = 1;
  while (in.pos < in.size) {
    ZSTD_outBuffer ob{chunk.data(), chunk.size(), 0};
    last = ZSTD_decompressStream(ctx.get(), &ob, &in);
    if (ZSTD_isError(last))
      throw Error(origin + ": zstd data is damaged (" + ZSTD_getErrorName(last) + ")", "re-download or re-write the shard");
    if (out.size() + ob.pos > max_bytes)
      throw Error(origin + ": decompresses to more than " + std::to_string(max_bytes) + " bytes",
                  "the index or the shard is damaged; re-write the shard set");
    out.append(chunk.data(), ob.pos);
    if (ob.pos == 0 && in.pos == in.size) break;
  }
  // Flush what the decoder still holds.
  while (last != 0) {
    ZSTD_outBuffer ob{chunk.data(), chunk.size(), 0};
    last = ZSTD_decompressStream(ctx.get(), &ob, &in);
    if (ZSTD_isError(last))
      throw Error(origin + ": zstd data is damaged (" + ZSTD_getErrorName(last) + ")", "re-download or re-write the shard");
    if (out.size() + ob.pos > max_bytes)
      throw Error(origin + ": decompresses to more than " + std::to_string(max_bytes) + " bytes",
                  "the index or the shard is damaged; re-write the shard set");
    out.append(chunk.data(), ob.pos);
    if (ob.pos == 0) break;
  }
  if (last != 0) throw Error(origin + ": zstd data is truncated", "re-download or re-write the shard");
  return out;
}

}  // namespace tessera::shards
