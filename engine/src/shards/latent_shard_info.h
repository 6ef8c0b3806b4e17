#pragma once
// What a latent shard set (written by `tessera latents`) says about its latents, stored in its
// index.json under the top-level key "tessera_latents" (mosaicml-streaming ignores keys it does
// not know, so the folder stays a plain MDS shard set). Torch-free.
//
//   "tessera_latents": {"format": 1, "latents_are_scaled": true, "scaling_factor": 0.18215,
//                       "shift_factor": 0.0, "latent_distribution": "mean", "resolution": 512,
//                       "latent_shape": [4, 64, 64], "text_shape": [77, 1024], ...}
//
// Columns of every shard: "caption" (str), "encoder_hidden_states" (ndarray:float16:T,D: the text
// encoder's last_hidden_state), "latents" (ndarray:float16:C,h,w: (posterior mean - shift) *
// scaling_factor, i.e. already scaled exactly once).

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tessera::shards {

inline constexpr const char* kLatentInfoKey = "tessera_latents";

struct LatentShardInfo {
  int format = 1;
  bool latents_are_scaled = true;
  double scaling_factor = 0.18215;
  double shift_factor = 0.0;
  std::string latent_distribution = "mean";  // "mean" (posterior mean, as the reference precomputes)
  int resolution = 0;
  std::vector<int64_t> latent_shape;  // C, h, w
  std::vector<int64_t> text_shape;    // T, D
  nlohmann::json extra;               // the whole object as stored (model, source, ...)
};

// Reads <dir>/index.json and returns its "tessera_latents" object, or nullopt when the index has
// none (a latent shard set written by another tool). Throws tessera::Error naming the file when
// the index is unreadable or the object is malformed.
std::optional<LatentShardInfo> read_latent_shard_info(const std::string& dir);

// Parses the object itself (origin names the file in errors).
LatentShardInfo parse_latent_shard_info(const nlohmann::json& object, const std::string& origin);

}  // namespace tessera::shards
