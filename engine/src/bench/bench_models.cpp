#include "bench/bench_models.h"

#include "bench/embedded_configs.h"
#include "tessera/error.h"

#include <algorithm>
#include <vector>

namespace tessera::bench {

const EmbeddedModel& embedded_model(bool tiny) {
  static const EmbeddedModel sd2{"sd2-base", embedded::k_sd2_base_unet, embedded::k_sd2_base_vae,
                                 embedded::k_sd2_base_text_encoder, embedded::k_sd2_base_scheduler};
  static const EmbeddedModel small{"tiny", embedded::k_tiny_unet, embedded::k_tiny_vae, embedded::k_tiny_text_encoder,
                                   embedded::k_tiny_scheduler};
  return tiny ? small : sd2;
}

models::UNetConfig unet_config(bool tiny) {
  const auto& m = embedded_model(tiny);
  return models::parse_unet_config(m.unet, m.name + "/unet/config.json");
}

models::VAEConfig vae_config(bool tiny) {
  const auto& m = embedded_model(tiny);
  return models::parse_vae_config(m.vae, m.name + "/vae/config.json");
}

models::CLIPTextConfig text_encoder_config(bool tiny) {
  const auto& m = embedded_model(tiny);
  return models::parse_clip_text_config(m.text_encoder, m.name + "/text_encoder/config.json");
}

nlohmann::json scheduler_config(bool tiny) { return nlohmann::json::parse(embedded_model(tiny).scheduler); }

models::UNet2DConditionModel random_unet(bool tiny) {
  models::UNet2DConditionModel m(unet_config(tiny));
  m->eval();
  return m;
}

models::AutoencoderKL random_vae(bool tiny) {
  models::AutoencoderKL m(vae_config(tiny));
  m->eval();
  return m;
}

models::CLIPTextModel random_text_encoder(bool tiny) {
  models::CLIPTextModel m(text_encoder_config(tiny));
  m->init_weights();  // transformers' initialisation: activations of a sane size
  m->eval();
  return m;
}

namespace {

std::string utf8(uint32_t cp) {
  std::string s;
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return s;
}

// GPT-2/CLIP bytes_to_unicode: printable bytes map to themselves, the others to 256 + n, in the
// order CLIP's vocabulary lists them (the printable ones first).
std::vector<std::string> byte_symbols() {
  std::vector<int> bs;
  for (int b = '!'; b <= '~'; ++b) bs.push_back(b);
  for (int b = 0xA1; b <= 0xAC; ++b) bs.push_back(b);
  for (int b = 0xAE; b <= 0xFF; ++b) bs.push_back(b);
  std::vector<uint32_t> cs(bs.begin(), bs.end());
  uint32_t n = 0;
  for (int b = 0; b < 256; ++b) {
    if (std::find(bs.begin(), bs.end(), b) == bs.end()) {
      bs.push_back(b);
      cs.push_back(256 + n++);
    }
  }
  std::vector<std::string> out;
  for (uint32_t c : cs) out.push_back(utf8(c));
  return out;
}

}  // namespace

CLIPTokenizer byte_level_tokenizer(int64_t vocab_size) {
  if (vocab_size < 514) throw Error("a byte-level CLIP tokenizer needs a vocabulary of at least 514 entries");
  std::unordered_map<std::string, int64_t> vocab;
  const auto symbols = byte_symbols();
  for (size_t i = 0; i < symbols.size(); ++i) {
    vocab.emplace(symbols[i], static_cast<int64_t>(i));
    vocab.emplace(symbols[i] + "</w>", static_cast<int64_t>(symbols.size() + i));
  }
  vocab.emplace("<|startoftext|>", vocab_size - 2);
  vocab.emplace("<|endoftext|>", vocab_size - 1);
  return CLIPTokenizer(std::move(vocab), {}, "<|startoftext|>", "<|endoftext|>", "<|endoftext|>", "!");
}

uint64_t module_bytes(const torch::nn::Module& module) {
  uint64_t total = 0;
  for (const auto& p : module.parameters(true)) total += static_cast<uint64_t>(p.numel()) * p.element_size();
  for (const auto& b : module.buffers(true)) total += static_cast<uint64_t>(b.numel()) * b.element_size();
  return total;
}

}  // namespace tessera::bench
