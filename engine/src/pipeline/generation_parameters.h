#pragma once
// The settings that produced an image, and their AUTOMATIC1111 "parameters" text, which A1111,
// ComfyUI, InvokeAI and image hosts read from a PNG's tEXt/iTXt chunk:
//
//   a red cube on a table
//   Negative prompt: blurry
//   Steps: 20, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: 1, Size: 512x512, ...
//
// Torch-free.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace tessera {

struct GenerationParameters {
  std::string prompt;
  std::string negative_prompt;
  std::string sampler = "ddim";       // Tessera's sampler name (see sampler_display_name)
  int steps = 50;
  double guidance_scale = 7.5;
  double guidance_rescale = 0.0;
  uint64_t seed = 0;
  int width = 512;
  int height = 512;
  std::optional<double> denoising_strength;  // img2img only
  std::string model_name;                    // folder or file name
  std::string model_hash;                    // short hash, when known
  std::string version;                       // "Tessera 0.1.0"
};

// "DPM++ 2M" for dpmpp_2m and dpmpp_2m_karras (the Karras part goes to "Schedule type"),
// "Euler a", "PLMS", ...; unknown names are returned unchanged.
std::string sampler_display_name(const std::string& sampler);

// The A1111 text. The negative-prompt line is left out when empty; values containing ',', ':'
// or a newline are JSON-quoted, as A1111 does.
std::string format_a1111_parameters(const GenerationParameters& p);

// Parses A1111 text back into prompt, negative prompt and the key/value pairs of the last line
// (values unquoted). Lenient: unknown keys are kept, malformed pairs are skipped.
struct ParsedParameters {
  std::string prompt;
  std::string negative_prompt;
  std::map<std::string, std::string> values;
};
ParsedParameters parse_a1111_parameters(const std::string& text);

}  // namespace tessera
