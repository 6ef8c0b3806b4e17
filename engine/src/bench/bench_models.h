#pragma once
// The models `tessera bench` runs: SD2-base (full size) or tiny, built from the configurations
// compiled in from resources/models/, with LibTorch's default random initialisation. Internal
// header (torch).

#include "models/autoencoder_kl.h"
#include "models/clip_text_model.h"
#include "models/unet_2d_condition.h"
#include "text/clip_tokenizer.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace tessera::bench {

// The configuration texts of one model (diffusers config.json contents).
struct EmbeddedModel {
  std::string name;  // "sd2-base" or "tiny"
  const char* unet = nullptr;
  const char* vae = nullptr;
  const char* text_encoder = nullptr;
  const char* scheduler = nullptr;
};

const EmbeddedModel& embedded_model(bool tiny);

models::UNetConfig unet_config(bool tiny);
models::VAEConfig vae_config(bool tiny);
models::CLIPTextConfig text_encoder_config(bool tiny);
nlohmann::json scheduler_config(bool tiny);

// Random-weight models in eval mode, fp32, on the CPU.
models::UNet2DConditionModel random_unet(bool tiny);
models::AutoencoderKL random_vae(bool tiny);
models::CLIPTextModel random_text_encoder(bool tiny);

// A byte-level CLIP tokenizer without merges: the 256 byte symbols (ids 0..255, in CLIP's
// bytes_to_unicode order) and their word-final "</w>" forms (256..511), <|startoftext|> and
// <|endoftext|> at vocab_size - 2 and - 1 (49406 and 49407 for CLIP's 49408), padding with
// id 0 as SD2 does. It runs the real tokenizer code and yields ids inside any CLIP vocabulary
// of at least 514 entries; the real vocab.json/merges.txt are not needed for a benchmark.
CLIPTokenizer byte_level_tokenizer(int64_t vocab_size);

// Bytes of every parameter and buffer of `module`.
uint64_t module_bytes(const torch::nn::Module& module);

}  // namespace tessera::bench
