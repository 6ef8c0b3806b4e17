#include "text/clip_bpe_trainer.h"

#include "core/atomic_file.h"
#include "tessera/error.h"
#include "text/clip_tokenizer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <map>

namespace tessera {
namespace {

constexpr const char* kBos = "<|startoftext|>";
constexpr const char* kEos = "<|endoftext|>";

using Word = std::vector<std::string>;

void write_text_file(const std::filesystem::path& path, const std::string& text) {
  write_file_atomically(path.string(), text.data(), text.size());
}

}  // namespace

ClipBpeVocabulary train_clip_bpe(const std::vector<std::string>& corpus, const ClipBpeTrainingOptions& options) {
  if (options.model_max_length < 2) throw Error("a tokenizer's model_max_length must be at least 2");
  ClipBpeVocabulary out;
  out.model_max_length = options.model_max_length;
  int64_t next_id = 0;
  const std::vector<std::string> alphabet = CLIPTokenizer::byte_alphabet();
  for (const auto& s : alphabet) out.vocab.emplace(s, next_id++);
  for (const auto& s : alphabet) out.vocab.emplace(s + "</w>", next_id++);

  // Pre-tokenise with CLIPTokenizer itself (no merges yet): every symbol is one token and a word
  // ends with the symbol that carries "</w>".
  std::unordered_map<std::string, int64_t> base = out.vocab;
  base.emplace(kBos, next_id);
  base.emplace(kEos, next_id + 1);
  const CLIPTokenizer splitter(base, {}, kBos, kEos, kEos, kEos, options.model_max_length);
  std::map<Word, int64_t> words;
  for (const auto& text : corpus) {
    Word w;
    for (auto& t : splitter.tokenize(text)) {
      const bool end = t.size() >= 4 && t.compare(t.size() - 4, 4, "</w>") == 0;
      w.push_back(std::move(t));
      if (end) {
        ++words[w];
        w.clear();
      }
    }
  }

  while (static_cast<int>(out.merges.size()) < options.max_merges) {
    std::map<std::pair<std::string, std::string>, int64_t> pairs;
    for (const auto& [w, n] : words)
      for (size_t i = 0; i + 1 < w.size(); ++i) pairs[{w[i], w[i + 1]}] += n;
    const std::pair<std::string, std::string>* best = nullptr;
    int64_t best_count = 0;
    for (const auto& [p, n] : pairs) {
      if (n > best_count) best = &p, best_count = n;  // map order breaks ties by text
    }
    if (best == nullptr || best_count < options.min_pair_count) break;
    const auto merge = *best;
    const std::string joined = merge.first + merge.second;
    out.merges.push_back(merge);
    if (!out.vocab.count(joined)) out.vocab.emplace(joined, next_id++);
    std::map<Word, int64_t> merged;
    for (const auto& [w, n] : words) {
      Word m;
      for (size_t i = 0; i < w.size(); ++i) {
        if (i + 1 < w.size() && w[i] == merge.first && w[i + 1] == merge.second) {
          m.push_back(joined);
          ++i;
        } else {
          m.push_back(w[i]);
        }
      }
      merged[m] += n;
    }
    words = std::move(merged);
  }
  out.vocab.emplace(kBos, next_id++);
  out.vocab.emplace(kEos, next_id++);
  return out;
}

void write_clip_tokenizer_folder(const std::string& dir, const ClipBpeVocabulary& bpe) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error("cannot create " + dir + ": " + ec.message());
  // vocab.json in id order, as transformers writes it.
  std::vector<std::pair<int64_t, std::string>> by_id;
  for (const auto& [t, id] : bpe.vocab) by_id.emplace_back(id, t);
  std::sort(by_id.begin(), by_id.end());
  nlohmann::ordered_json vocab = nlohmann::ordered_json::object();
  for (const auto& [id, t] : by_id) vocab[t] = id;
  write_text_file(fs::path(dir) / "vocab.json", vocab.dump() + "\n");
  std::string merges = "#version: 0.2\n";
  for (const auto& [a, b] : bpe.merges) merges += a + " " + b + "\n";
  write_text_file(fs::path(dir) / "merges.txt", merges);
  auto token = [](const char* content) {
    return nlohmann::ordered_json{{"content", content}, {"lstrip", false}, {"normalized", true},
                                  {"rstrip", false}, {"single_word", false}};
  };
  nlohmann::ordered_json special = {{"bos_token", token(kBos)}, {"eos_token", token(kEos)},
                                    {"pad_token", token(kEos)}, {"unk_token", token(kEos)}};
  write_text_file(fs::path(dir) / "special_tokens_map.json", special.dump(2) + "\n");
  nlohmann::ordered_json config = {{"add_prefix_space", false},
                                   {"bos_token", kBos},
                                   {"clean_up_tokenization_spaces", true},
                                   {"do_lower_case", true},
                                   {"eos_token", kEos},
                                   {"errors", "replace"},
                                   {"model_max_length", bpe.model_max_length},
                                   {"pad_token", kEos},
                                   {"tokenizer_class", "CLIPTokenizer"},
                                   {"unk_token", kEos}};
  write_text_file(fs::path(dir) / "tokenizer_config.json", config.dump(2) + "\n");
}

}  // namespace tessera
