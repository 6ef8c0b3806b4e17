#pragma once
// Learns a CLIP-format byte-level BPE vocabulary from a corpus of captions, so that a model
// trained from scratch (the demo) owns its tokenizer too. The result is an ordinary diffusers
// tokenizer/ folder (vocab.json, merges.txt, tokenizer_config.json, special_tokens_map.json)
// that CLIPTokenizer, transformers and diffusers load. Torch-free.
//
// Training is classic BPE (Sennrich et al.) over the words CLIPTokenizer's own pre-tokenisation
// produces (so words are split, cleaned and lower-cased exactly as when encoding later): count
// adjacent symbol pairs weighted by word frequency, merge the most frequent (ties broken by the
// pair's text, for determinism), repeat until no pair occurs `min_pair_count` times or
// `max_merges` is reached. Applying the merges in rank order reproduces the training segmentation,
// so every word seen often enough becomes a single token.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tessera {

struct ClipBpeVocabulary {
  std::unordered_map<std::string, int64_t> vocab;              // token -> id
  std::vector<std::pair<std::string, std::string>> merges;     // in rank order
  int model_max_length = 77;
};

struct ClipBpeTrainingOptions {
  int max_merges = 10000;
  int min_pair_count = 1;      // a pair seen fewer times is not merged
  int model_max_length = 77;   // tokens per prompt, bos and eos included
};

// Vocab order as CLIP's: the 256 byte symbols, the same with "</w>", the merge results, then
// <|startoftext|> and <|endoftext|> (which is also the unknown and padding token).
ClipBpeVocabulary train_clip_bpe(const std::vector<std::string>& corpus, const ClipBpeTrainingOptions& options = {});

// Writes vocab.json, merges.txt, tokenizer_config.json and special_tokens_map.json into `dir`
// (created), each atomically.
void write_clip_tokenizer_folder(const std::string& dir, const ClipBpeVocabulary& bpe);

}  // namespace tessera
