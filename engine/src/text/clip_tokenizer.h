#pragma once
// The CLIP byte-level BPE tokenizer, exactly as transformers' slow `CLIPTokenizer` runs when ftfy is
// absent (its BasicTokenizer clean-up path), loaded from a diffusers `tokenizer/` folder.
//
//   text --(split out special tokens: bos, eos, unk, pad when it is an added special token)-->
//   segments --(clean-up: drop NUL/U+FFFD/C*, whitespace -> ' ', spaces around CJK, NFC,
//   whitespace split, Python str.lower() per word)--> CLIP regex pieces --(bytes_to_unicode)-->
//   BPE with `</w>` on the last symbol --> vocab ids.
//
// Invalid UTF-8 never throws: each maximal invalid subsequence becomes U+FFFD (as Python's
// bytes.decode(errors="replace")), which the clean-up then drops, like any U+FFFD in the text.
// Torch-free; safe to call from several threads at once (the BPE cache is locked).

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tessera {

class CLIPTokenizer {
 public:
  struct Encoded {
    std::vector<int64_t> input_ids;
    std::vector<int64_t> attention_mask;
  };

  // Reads vocab.json, merges.txt, tokenizer_config.json and special_tokens_map.json (the two
  // JSON files are optional; a token named in special_tokens_map.json wins over
  // tokenizer_config.json, as in transformers). Throws tessera::Error naming the file on failure.
  static CLIPTokenizer from_folder(const std::string& dir);

  // Builds a tokenizer from in-memory parts (tests, tools). `merges` in rank order.
  CLIPTokenizer(std::unordered_map<std::string, int64_t> vocab,
                std::vector<std::pair<std::string, std::string>> merges, std::string bos_token,
                std::string eos_token, std::string unk_token, std::string pad_token,
                int model_max_length = 77);

  CLIPTokenizer(const CLIPTokenizer& other);
  CLIPTokenizer& operator=(const CLIPTokenizer& other);
  CLIPTokenizer(CLIPTokenizer&&) noexcept;
  CLIPTokenizer& operator=(CLIPTokenizer&&) noexcept;
  ~CLIPTokenizer();

  // = tokenizer.tokenize(text): BPE token strings, no bos/eos.
  std::vector<std::string> tokenize(const std::string& text) const;
  // = tokenizer(text).input_ids: [bos] + ids + [eos], not truncated.
  std::vector<int64_t> encode(const std::string& text) const;
  // = tokenizer(text, padding="max_length", max_length=max_length, truncation=True):
  // [bos] + the first max_length-2 ids + [eos], then pad_id up to max_length (mask 0 there).
  Encoded encode_padded(const std::string& text, int max_length = 77) const;
  // Token ids -> text (byte-level decode; `</w>` becomes a space; special tokens are skipped
  // when `skip_special_tokens`).
  std::string decode(const std::vector<int64_t>& ids, bool skip_special_tokens = true) const;

  // The id of a token string (special tokens included), or unk_id when it is not in the vocab.
  int64_t token_to_id(const std::string& token) const;

  // The 256 byte-level symbols in the order CLIP's vocab.json lists them (by code point: the
  // printable bytes as themselves first, then the remapped ones).
  static std::vector<std::string> byte_alphabet();

  int64_t bos_id() const { return bos_id_; }
  int64_t eos_id() const { return eos_id_; }
  int64_t pad_id() const { return pad_id_; }
  int64_t unk_id() const { return unk_id_; }
  const std::string& pad_token() const { return pad_token_; }
  int model_max_length() const { return model_max_length_; }
  size_t vocab_size() const { return vocab_.size(); }
  size_t merge_count() const { return ranks_.size(); }

 private:
  std::vector<std::string> tokenize_segment(const std::string& segment) const;
  std::string bpe(const std::string& word) const;
  std::vector<std::string> split_special(const std::string& text) const;

  std::unordered_map<std::string, int64_t> vocab_;
  std::unordered_map<int64_t, std::string> id_to_token_;
  std::unordered_map<std::string, int> ranks_;  // "first second" -> rank
  std::vector<std::string> special_tokens_;     // split out before BPE, longest first
  std::string bos_token_, eos_token_, unk_token_, pad_token_;
  int64_t bos_id_ = 0, eos_id_ = 0, unk_id_ = 0, pad_id_ = 0;
  int model_max_length_ = 77;

  mutable std::unique_ptr<std::mutex> cache_mutex_;
  mutable std::unordered_map<std::string, std::string> cache_;
};


}  // namespace tessera
