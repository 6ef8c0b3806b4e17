#include "pipeline/generation_parameters.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <vector>

namespace tessera {
namespace {

std::string format_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", v);
  return buf;
}

std::string quote_if_needed(const std::string& v) {
  if (v.find_first_of(",:\n") == std::string::npos) return v;
  return nlohmann::json(v).dump();
}

// Splits "k: v, k: "v, with comma", ..." on commas outside double quotes.
std::vector<std::string> split_pairs(const std::string& line) {
  std::vector<std::string> out;
  std::string current;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"' && (i == 0 || line[i - 1] != '\\')) quoted = !quoted;
    if (c == ',' && !quoted) {
      out.push_back(current);
      current.clear();
      continue;
    }
    current += c;
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

}  // namespace

std::string sampler_display_name(const std::string& sampler) {
  static const std::map<std::string, std::string> names = {
      {"ddim", "DDIM"},         {"ddpm", "DDPM"},      {"pndm", "PLMS"},
      {"euler", "Euler"},       {"euler_a", "Euler a"}, {"dpmpp_2m", "DPM++ 2M"},
      {"dpmpp_2m_karras", "DPM++ 2M"}, {"unipc", "UniPC"},
  };
  const auto it = names.find(sampler);
  return it == names.end() ? sampler : it->second;
}

std::string format_a1111_parameters(const GenerationParameters& p) {
  std::string text = p.prompt;
  if (!p.negative_prompt.empty()) text += "\nNegative prompt: " + p.negative_prompt;
  std::vector<std::pair<std::string, std::string>> pairs = {
      {"Steps", std::to_string(p.steps)},
      {"Sampler", sampler_display_name(p.sampler)},
  };
  if (p.sampler == "dpmpp_2m_karras") pairs.emplace_back("Schedule type", "Karras");
  pairs.emplace_back("CFG scale", format_number(p.guidance_scale));
  if (p.guidance_rescale > 0) pairs.emplace_back("CFG Rescale", format_number(p.guidance_rescale));
  pairs.emplace_back("Seed", std::to_string(p.seed));
  pairs.emplace_back("Size", std::to_string(p.width) + "x" + std::to_string(p.height));
  if (!p.model_hash.empty()) pairs.emplace_back("Model hash", p.model_hash);
  if (!p.model_name.empty()) pairs.emplace_back("Model", p.model_name);
  if (p.denoising_strength) pairs.emplace_back("Denoising strength", format_number(*p.denoising_strength));
  if (!p.version.empty()) pairs.emplace_back("Version", p.version);
  text += "\n";
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (i > 0) text += ", ";
    text += pairs[i].first + ": " + quote_if_needed(pairs[i].second);
  }
  return text;
}

ParsedParameters parse_a1111_parameters(const std::string& text) {
  ParsedParameters out;
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t nl = text.find('\n', start);
    lines.push_back(text.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  // The last line holds the key/value pairs when it starts with "Steps:" (A1111 always writes it
  // first); everything before is prompt, then an optional "Negative prompt:" block.
  std::string last;
  if (lines.size() > 1 && lines.back().rfind("Steps: ", 0) == 0) {
    last = lines.back();
    lines.pop_back();
  }
  bool negative = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (!negative && line.rfind("Negative prompt: ", 0) == 0) {
      negative = true;
      out.negative_prompt = line.substr(17);
      continue;
    }
    std::string& target = negative ? out.negative_prompt : out.prompt;
    if (!target.empty() || (negative ? false : i > 0)) target += "\n";
    target += line;
  }
  for (const std::string& pair : split_pairs(last)) {
    const size_t colon = pair.find(':');
    if (colon == std::string::npos) continue;
    const std::string key = trim(pair.substr(0, colon));
    std::string value = trim(pair.substr(colon + 1));
    if (value.size() >= 2 && value.front() == '"') {
      const auto parsed = nlohmann::json::parse(value, nullptr, false);
      if (parsed.is_string()) value = parsed.get<std::string>();
    }
    if (!key.empty()) out.values[key] = value;
  }
  return out;
}

}  // namespace tessera
