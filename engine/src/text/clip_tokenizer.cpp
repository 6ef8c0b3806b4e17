#include "text/clip_tokenizer.h"

#include "tessera/error.h"

#include <nlohmann/json.hpp>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <array>
#include <climits>
#include <fstream>
#include <sstream>

namespace tessera {
namespace {

// ---- UTF-8 / UTF-32 -----------------------------------------------------------------------

// Decodes UTF-8; every maximal invalid subsequence becomes U+FFFD (Python's errors="replace").
std::u32string decode_utf8(const std::string& text) {
  std::u32string out;
  if (text.empty()) return out;
  if (text.size() > static_cast<size_t>(INT32_MAX / 2)) throw Error("text too long to tokenize");
  std::vector<UChar> utf16(text.size() + 1);
  int32_t len = 0;
  UErrorCode status = U_ZERO_ERROR;
  u_strFromUTF8WithSub(utf16.data(), static_cast<int32_t>(utf16.size()), &len, text.data(),
                       static_cast<int32_t>(text.size()), 0xFFFD, nullptr, &status);
  if (U_FAILURE(status)) throw Error(std::string("cannot decode text as UTF-8: ") + u_errorName(status));
  out.reserve(static_cast<size_t>(len));
  for (int32_t i = 0; i < len;) {
    UChar32 c;
    U16_NEXT(utf16.data(), i, len, c);
    out.push_back(static_cast<char32_t>(c));
  }
  return out;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

std::string encode_utf8(const std::u32string& text, size_t begin = 0, size_t end = std::u32string::npos) {
  std::string out;
  end = std::min(end, text.size());
  for (size_t i = begin; i < end; ++i) append_utf8(out, text[i]);
  return out;
}

icu::UnicodeString to_icu(const std::u32string& s) {
  return icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(s.data()), static_cast<int32_t>(s.size()));
}

std::u32string from_icu(const icu::UnicodeString& s) {
  std::u32string out;
  out.reserve(static_cast<size_t>(s.length()));
  for (int32_t i = 0; i < s.length();) {
    const UChar32 c = s.char32At(i);
    out.push_back(static_cast<char32_t>(c));
    i += U16_LENGTH(c);
  }
  return out;
}

// ---- character classes (Python unicodedata / regex semantics, via ICU properties) ----------

bool is_category_c(char32_t c) {
  switch (u_charType(static_cast<UChar32>(c))) {
    case U_CONTROL_CHAR:
    case U_FORMAT_CHAR:
    case U_SURROGATE:
    case U_PRIVATE_USE_CHAR:
    case U_UNASSIGNED:
      return true;
    default:
      return false;
  }
}

// transformers' _is_control: category C*, except \t \n \r.
bool is_control(char32_t c) { return c != U'\t' && c != U'\n' && c != U'\r' && is_category_c(c); }

// transformers' _is_whitespace: ' ', \t, \n, \r or category Zs.
bool is_bert_whitespace(char32_t c) {
  return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' ||
         u_charType(static_cast<UChar32>(c)) == U_SPACE_SEPARATOR;
}

// Python str.isspace(): category Zs or bidirectional class WS, B or S.
bool is_python_space(char32_t c) {
  if (u_charType(static_cast<UChar32>(c)) == U_SPACE_SEPARATOR) return true;
  const UCharDirection d = u_charDirection(static_cast<UChar32>(c));
  return d == U_WHITE_SPACE_NEUTRAL || d == U_BLOCK_SEPARATOR || d == U_SEGMENT_SEPARATOR;
}

// transformers' _is_chinese_char (CJK Unified Ideographs blocks).
bool is_cjk(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF) ||
         (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

bool is_letter(char32_t c) { return (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_L_MASK) != 0; }
bool is_number(char32_t c) { return (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_N_MASK) != 0; }
bool is_regex_space(char32_t c) { return u_isUWhiteSpace(static_cast<UChar32>(c)) != 0; }
char32_t simple_fold(char32_t c) {
  return static_cast<char32_t>(u_foldCase(static_cast<UChar32>(c), U_FOLD_CASE_DEFAULT));
}

// `[^\s\p{L}\p{N}]` under the `regex` module's IGNORECASE: a character matches only when no case
// variant of it is in the set (so U+0345, whose fold is a Greek letter, matches neither this nor
// `[\p{L}]+`, exactly like the Python pattern).
bool is_other(char32_t c) {
  auto in_set = [](char32_t x) { return is_regex_space(x) || is_letter(x) || is_number(x); };
  return !in_set(c) && !in_set(simple_fold(c));
}

// ---- the BasicTokenizer clean-up (no ftfy) ----------------------------------------------

std::u32string lower_word(const std::u32string& word) {
  const icu::UnicodeString s = to_icu(word);
  // Root locale = Unicode's full, context-sensitive lower-casing, like Python's str.lower()
  // ("İ" -> "i̇", final sigma).
  std::vector<UChar> buf(static_cast<size_t>(s.length()) * 2 + 4);
  UErrorCode status = U_ZERO_ERROR;
  int32_t n = u_strToLower(buf.data(), static_cast<int32_t>(buf.size()), s.getBuffer(), s.length(), "", &status);
  if (status == U_BUFFER_OVERFLOW_ERROR) {
    buf.resize(static_cast<size_t>(n) + 1);
    status = U_ZERO_ERROR;
    n = u_strToLower(buf.data(), static_cast<int32_t>(buf.size()), s.getBuffer(), s.length(), "", &status);
  }
  if (U_FAILURE(status)) throw Error(std::string("lower-casing failed: ") + u_errorName(status));
  return from_icu(icu::UnicodeString(buf.data(), n));
}

// transformers BasicTokenizer(strip_accents=False, do_split_on_punc=False).tokenize, joined by ' '.
std::u32string basic_clean(const std::u32string& text) {
  std::u32string cleaned;
  cleaned.reserve(text.size());
  for (char32_t c : text) {
    if (c == 0 || c == 0xFFFD || is_control(c)) continue;
    if (is_bert_whitespace(c)) {
      cleaned.push_back(U' ');
    } else if (is_cjk(c)) {
      cleaned.push_back(U' ');
      cleaned.push_back(c);
      cleaned.push_back(U' ');
    } else {
      cleaned.push_back(c);
    }
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) throw Error(std::string("ICU NFC normalizer unavailable: ") + u_errorName(status));
  const icu::UnicodeString normalized = nfc->normalize(to_icu(cleaned), status);
  if (U_FAILURE(status)) throw Error(std::string("NFC normalization failed: ") + u_errorName(status));
  const std::u32string nfc_text = from_icu(normalized);

  std::u32string out;
  size_t i = 0;
  while (i < nfc_text.size()) {
    while (i < nfc_text.size() && is_python_space(nfc_text[i])) ++i;
    size_t j = i;
    while (j < nfc_text.size() && !is_python_space(nfc_text[j])) ++j;
    if (j > i) {
      if (!out.empty()) out.push_back(U' ');
      out += lower_word(nfc_text.substr(i, j - i));
    }
    i = j;
  }
  return out;
}

// ---- the CLIP pre-tokenizer regex --------------------------------------------------------
// <\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+
// (IGNORECASE), tried alternative by alternative at each position, like regex.findall.

size_t match_literal_ci(const std::u32string& s, size_t i, const char* literal) {
  size_t k = 0;
  for (; literal[k] != '\0'; ++k) {
    if (i + k >= s.size()) return 0;
    const char32_t c = s[i + k];
    const char32_t want = static_cast<char32_t>(static_cast<unsigned char>(literal[k]));
    if (c != want && simple_fold(c) != want) return 0;
  }
  return k;
}

std::vector<std::pair<size_t, size_t>> clip_pre_tokenize(const std::u32string& s) {
  static const char* const literals[] = {"<|startoftext|>", "<|endoftext|>", "'s", "'t", "'re",
                                         "'ve", "'m", "'ll", "'d"};
  std::vector<std::pair<size_t, size_t>> pieces;
  size_t i = 0;
  while (i < s.size()) {
    size_t n = 0;
    for (const char* lit : literals) {
      n = match_literal_ci(s, i, lit);
      if (n) break;
    }
    if (!n && is_letter(s[i])) {
      n = 1;
      while (i + n < s.size() && is_letter(s[i + n])) ++n;
    }
    if (!n && is_number(s[i])) n = 1;
    if (!n && is_other(s[i])) {
      n = 1;
      while (i + n < s.size() && is_other(s[i + n])) ++n;
    }
    if (n) {
      pieces.emplace_back(i, n);
      i += n;
    } else {
      ++i;
    }
  }
  return pieces;
}

// ---- bytes_to_unicode ----------------------------------------------------------------------

const std::array<std::string, 256>& byte_symbols() {
  static const std::array<std::string, 256> table = [] {
    std::array<char32_t, 256> cp{};
    std::array<bool, 256> direct{};
    for (int b = '!'; b <= '~'; ++b) direct[b] = true;
    for (int b = 0xA1; b <= 0xAC; ++b) direct[b] = true;
    for (int b = 0xAE; b <= 0xFF; ++b) direct[b] = true;
    int n = 0;
    for (int b = 0; b < 256; ++b) cp[b] = direct[b] ? static_cast<char32_t>(b) : static_cast<char32_t>(256 + n++);
    std::array<std::string, 256> out;
    for (int b = 0; b < 256; ++b) append_utf8(out[b], cp[b]);
    return out;
  }();
  return table;
}

const std::unordered_map<std::string, unsigned char>& symbol_bytes() {
  static const std::unordered_map<std::string, unsigned char> table = [] {
    std::unordered_map<std::string, unsigned char> m;
    const auto& sym = byte_symbols();
    for (int b = 0; b < 256; ++b) m.emplace(sym[b], static_cast<unsigned char>(b));
    return m;
  }();
  return table;
}

// UTF-8 string -> its code points as separate UTF-8 strings.
std::vector<std::string> split_symbols(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    const auto lead = static_cast<unsigned char>(s[i]);
    const size_t len = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    out.push_back(s.substr(i, len));
    i += len;
  }
  return out;
}

std::string read_file(const std::string& path, bool required) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (!required) return {};
    throw Error("cannot open " + path, "check that the folder is a complete diffusers tokenizer/ folder");
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

nlohmann::json parse_json_file(const std::string& path, bool required) {
  const std::string text = read_file(path, required);
  if (text.empty() && !required) return nlohmann::json::object();
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw Error("corrupt JSON in " + path + ": " + e.what(), "re-download or re-export the tokenizer folder");
  }
}

// A token entry of tokenizer_config.json / special_tokens_map.json: "text" or {"content": ...}.
bool token_content(const nlohmann::json& v, std::string& out) {
  if (v.is_string()) {
    out = v.get<std::string>();
    return true;
  }
  if (v.is_object() && v.contains("content") && v["content"].is_string()) {
    out = v["content"].get<std::string>();
    return true;
  }
  return false;
}

constexpr size_t kMaxCacheEntries = 200000;

}  // namespace

// ---- construction --------------------------------------------------------------------------

CLIPTokenizer::CLIPTokenizer(std::unordered_map<std::string, int64_t> vocab,
                             std::vector<std::pair<std::string, std::string>> merges, std::string bos_token,
                             std::string eos_token, std::string unk_token, std::string pad_token,
                             int model_max_length)
    : vocab_(std::move(vocab)),
      bos_token_(std::move(bos_token)),
      eos_token_(std::move(eos_token)),
      unk_token_(std::move(unk_token)),
      pad_token_(std::move(pad_token)),
      model_max_length_(model_max_length),
      cache_mutex_(std::make_unique<std::mutex>()) {
  if (vocab_.empty()) throw Error("CLIP tokenizer vocabulary is empty", "check vocab.json");
  if (model_max_length_ < 2) throw Error("CLIP tokenizer model_max_length must be at least 2");
  for (size_t r = 0; r < merges.size(); ++r) ranks_.emplace(merges[r].first + " " + merges[r].second, static_cast<int>(r));

  // Special tokens missing from the vocabulary get the next free ids, as transformers' _add_tokens.
  int64_t next_id = 0;
  for (const auto& [tok, id] : vocab_) next_id = std::max(next_id, id + 1);
  for (const std::string* t : {&bos_token_, &eos_token_, &unk_token_, &pad_token_}) {
    if (t->empty()) continue;
    if (!vocab_.count(*t)) vocab_.emplace(*t, next_id++);
    if (std::find(special_tokens_.begin(), special_tokens_.end(), *t) == special_tokens_.end())
      special_tokens_.push_back(*t);
  }
  std::stable_sort(special_tokens_.begin(), special_tokens_.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const auto& [tok, id] : vocab_) id_to_token_.emplace(id, tok);
  bos_id_ = bos_token_.empty() ? -1 : vocab_.at(bos_token_);
  eos_id_ = eos_token_.empty() ? -1 : vocab_.at(eos_token_);
  unk_id_ = unk_token_.empty() ? -1 : vocab_.at(unk_token_);
  pad_id_ = pad_token_.empty() ? eos_id_ : vocab_.at(pad_token_);
  if (bos_id_ < 0 || eos_id_ < 0) throw Error("CLIP tokenizer needs bos and eos tokens");
  // CLIP's BPE knows its two markers as whole words.
  cache_.emplace("<|startoftext|>", "<|startoftext|>");
  cache_.emplace("<|endoftext|>", "<|endoftext|>");
}

CLIPTokenizer::CLIPTokenizer(const CLIPTokenizer& other)
    : vocab_(other.vocab_),
      id_to_token_(other.id_to_token_),
      ranks_(other.ranks_),
      special_tokens_(other.special_tokens_),
      bos_token_(other.bos_token_),
      eos_token_(other.eos_token_),
      unk_token_(other.unk_token_),
      pad_token_(other.pad_token_),
      bos_id_(other.bos_id_),
      eos_id_(other.eos_id_),
      unk_id_(other.unk_id_),
      pad_id_(other.pad_id_),
      model_max_length_(other.model_max_length_),
      cache_mutex_(std::make_unique<std::mutex>()) {
  std::lock_guard<std::mutex> lock(*other.cache_mutex_);
  cache_ = other.cache_;
}

CLIPTokenizer& CLIPTokenizer::operator=(const CLIPTokenizer& other) {
  if (this != &other) {
    CLIPTokenizer copy(other);
    *this = std::move(copy);
  }
  return *this;
}

CLIPTokenizer::CLIPTokenizer(CLIPTokenizer&&) noexcept = default;
CLIPTokenizer& CLIPTokenizer::operator=(CLIPTokenizer&&) noexcept = default;
CLIPTokenizer::~CLIPTokenizer() = default;

CLIPTokenizer CLIPTokenizer::from_folder(const std::string& dir) {
  const std::string vocab_path = dir + "/vocab.json";
  const std::string merges_path = dir + "/merges.txt";

  const nlohmann::json vocab_json = parse_json_file(vocab_path, true);
  if (!vocab_json.is_object() || vocab_json.empty())
    throw Error(vocab_path + " is not a JSON object of token -> id", "re-download the tokenizer folder");
  std::unordered_map<std::string, int64_t> vocab;
  vocab.reserve(vocab_json.size());
  for (auto it = vocab_json.begin(); it != vocab_json.end(); ++it) {
    if (!it.value().is_number_integer())
      throw Error(vocab_path + ": id of token \"" + it.key() + "\" is not an integer", "re-download the tokenizer folder");
    vocab.emplace(it.key(), it.value().get<int64_t>());
  }

  // transformers: merges.txt.read().strip().split("\n")[1 : 49152 - 256 - 2 + 1]; line 1 is the
  // "#version" header. A file without a header keeps its first merge here (transformers drops it).
  const std::string merges_text = read_file(merges_path, true);
  std::vector<std::pair<std::string, std::string>> merges;
  {
    std::istringstream lines(merges_text);
    std::string line;
    bool first = true;
    constexpr size_t kMaxMerges = 49152 - 256 - 2;
    while (std::getline(lines, line) && merges.size() < kMaxMerges) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (first) {
        first = false;
        if (line.rfind("#", 0) == 0) continue;
      }
      std::istringstream parts(line);
      std::string a, b, extra;
      parts >> a >> b;
      if (a.empty() && b.empty()) continue;  // blank line (trailing newline)
      if (b.empty() || (parts >> extra))
        throw Error(merges_path + ": malformed merge line \"" + line + "\"", "expected two symbols separated by a space");
      merges.emplace_back(std::move(a), std::move(b));
    }
  }

  // Special tokens: tokenizer_config.json, overridden by special_tokens_map.json.
  const nlohmann::json config = parse_json_file(dir + "/tokenizer_config.json", false);
  const nlohmann::json special_map = parse_json_file(dir + "/special_tokens_map.json", false);
  std::string bos = "<|startoftext|>", eos = "<|endoftext|>", unk = "<|endoftext|>", pad = "<|endoftext|>";
  auto resolve = [&](const char* key, std::string& value) {
    std::string v;
    if (config.is_object() && config.contains(key) && token_content(config[key], v)) value = v;
    if (special_map.is_object() && special_map.contains(key) && token_content(special_map[key], v)) value = v;
  };
  resolve("bos_token", bos);
  resolve("eos_token", eos);
  resolve("unk_token", unk);
  resolve("pad_token", pad);
  int max_len = 77;
  if (config.is_object() && config.contains("model_max_length") && config["model_max_length"].is_number()) {
    const double v = config["model_max_length"].get<double>();
    // transformers writes a huge sentinel (1e30) when unknown; CLIP's context is 77.
    if (v >= 2 && v <= 1e6) max_len = static_cast<int>(v);
  }
  for (const std::string* t : {&bos, &eos}) {
    if (!vocab.count(*t))
      throw Error(vocab_path + " has no entry for special token \"" + *t + "\"",
                  "the tokenizer folder does not match CLIP's vocabulary");
  }
  return CLIPTokenizer(std::move(vocab), std::move(merges), bos, eos, unk, pad, max_len);
}

// ---- tokenization --------------------------------------------------------------------------

std::vector<std::string> CLIPTokenizer::split_special(const std::string& text) const {
  // Leftmost, then longest, match of the special tokens (transformers' added-tokens trie).
  std::vector<std::string> out;
  size_t start = 0, i = 0;
  while (i < text.size()) {
    const std::string* hit = nullptr;
    for (const auto& tok : special_tokens_) {
      if (text.compare(i, tok.size(), tok) == 0) {
        hit = &tok;
        break;  // sorted longest first
      }
    }
    if (hit) {
      if (i > start) out.push_back(text.substr(start, i - start));
      out.push_back(*hit);
      i += hit->size();
      start = i;
    } else {
      ++i;
    }
  }
  if (start < text.size()) out.push_back(text.substr(start));
  return out;
}

// CLIP's bpe(): symbols of the byte-encoded word with `</w>` on the last one, merged by rank
// until no ranked pair is left. Returns the pieces joined by ' '.
std::string CLIPTokenizer::bpe(const std::string& word) const {
  {
    std::lock_guard<std::mutex> lock(*cache_mutex_);
    const auto it = cache_.find(word);
    if (it != cache_.end()) return it->second;
  }
  std::vector<std::string> symbols = split_symbols(word);
  if (symbols.empty()) return {};
  symbols.back() += "</w>";
  while (symbols.size() > 1) {
    int best_rank = INT_MAX;
    std::string best_first, best_second;
    for (size_t i = 0; i + 1 < symbols.size(); ++i) {
      const auto it = ranks_.find(symbols[i] + " " + symbols[i + 1]);
      if (it != ranks_.end() && it->second < best_rank) {
        best_rank = it->second;
        best_first = symbols[i];
        best_second = symbols[i + 1];
      }
    }
    if (best_rank == INT_MAX) break;
    std::vector<std::string> merged;
    merged.reserve(symbols.size());
    for (size_t i = 0; i < symbols.size();) {
      if (i + 1 < symbols.size() && symbols[i] == best_first && symbols[i + 1] == best_second) {
        merged.push_back(best_first + best_second);
        i += 2;
      } else {
        merged.push_back(symbols[i]);
        i += 1;
      }
    }
    symbols = std::move(merged);
  }
  std::string joined;
  for (size_t i = 0; i < symbols.size(); ++i) {
    if (i) joined.push_back(' ');
    joined += symbols[i];
  }
  std::lock_guard<std::mutex> lock(*cache_mutex_);
  if (cache_.size() >= kMaxCacheEntries) {
    cache_.clear();
    cache_.emplace("<|startoftext|>", "<|startoftext|>");
    cache_.emplace("<|endoftext|>", "<|endoftext|>");
  }
  cache_.emplace(word, joined);
  return joined;
}

// CLIPTokenizer._tokenize on one segment that holds no special token.
std::vector<std::string> CLIPTokenizer::tokenize_segment(const std::string& segment) const {
  const std::u32string text = basic_clean(decode_utf8(segment));
  const auto& sym = byte_symbols();
  std::vector<std::string> out;
  for (const auto& [begin, length] : clip_pre_tokenize(text)) {
    const std::string bytes = encode_utf8(text, begin, begin + length);
    std::string encoded;
    for (unsigned char b : bytes) encoded += sym[b];
    const std::string pieces = bpe(encoded);
    size_t start = 0;
    while (start <= pieces.size()) {
      size_t end = pieces.find(' ', start);
      if (end == std::string::npos) end = pieces.size();
      if (end > start) out.push_back(pieces.substr(start, end - start));
      start = end + 1;
    }
  }
  return out;
}

std::vector<std::string> CLIPTokenizer::tokenize(const std::string& text) const {
  std::vector<std::string> out;
  for (const auto& segment : split_special(text)) {
    if (std::find(special_tokens_.begin(), special_tokens_.end(), segment) != special_tokens_.end()) {
      out.push_back(segment);
    } else {
      auto pieces = tokenize_segment(segment);
      out.insert(out.end(), std::make_move_iterator(pieces.begin()), std::make_move_iterator(pieces.end()));
    }
  }
  return out;
}

int64_t CLIPTokenizer::token_to_id(const std::string& token) const {
  const auto it = vocab_.find(token);
  return it != vocab_.end() ? it->second : unk_id_;
}

std::vector<int64_t> CLIPTokenizer::encode(const std::string& text) const {
  std::vector<int64_t> ids;
  ids.push_back(bos_id_);
  for (const auto& tok : tokenize(text)) ids.push_back(token_to_id(tok));
  ids.push_back(eos_id_);
  return ids;
}

CLIPTokenizer::Encoded CLIPTokenizer::encode_padded(const std::string& text, int max_length) const {
  if (max_length < 2)
    throw Error("max_length " + std::to_string(max_length) + " leaves no room for the bos and eos tokens",
                "use max_length >= 2 (CLIP uses 77)");
  const size_t length = static_cast<size_t>(max_length);
  Encoded e;
  e.input_ids.reserve(length);
  e.input_ids.push_back(bos_id_);
  for (const auto& tok : tokenize(text)) {
    if (e.input_ids.size() + 1 >= length) break;  // keep room for eos
    e.input_ids.push_back(token_to_id(tok));
  }
  e.input_ids.push_back(eos_id_);
  e.attention_mask.assign(e.input_ids.size(), 1);
  e.input_ids.resize(length, pad_id_);
  e.attention_mask.resize(length, 0);
  return e;
}

std::string CLIPTokenizer::decode(const std::vector<int64_t>& ids, bool skip_special_tokens) const {
  std::string joined;
  for (int64_t id : ids) {
    const auto it = id_to_token_.find(id);
    if (it == id_to_token_.end()) continue;
    const bool special =
        std::find(special_tokens_.begin(), special_tokens_.end(), it->second) != special_tokens_.end();
    if (special && skip_special_tokens) continue;
    joined += it->second;
  }
  // Byte-decode the symbols; `</w>` marks the end of a word.
  const auto& table = symbol_bytes();
  std::string bytes;
  static const std::string end_of_word = "</w>";
  for (size_t i = 0; i < joined.size();) {
    if (joined.compare(i, end_of_word.size(), end_of_word) == 0) {
      bytes.push_back(' ');
      i += end_of_word.size();
      continue;
    }
    const auto lead = static_cast<unsigned char>(joined[i]);
    const size_t len = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    const auto it = table.find(joined.substr(i, len));
    if (it != table.end()) {
      bytes.push_back(static_cast<char>(it->second));
    } else {
      bytes += joined.substr(i, len);  // a special token's own characters
    }
    i += len;
  }
  // errors="replace", then strip.
  std::string text = encode_utf8(decode_utf8(bytes));
  const auto first = text.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(' ');
  return text.substr(first, last - first + 1);
}

std::vector<std::string> CLIPTokenizer::byte_alphabet() {
  const auto& sym = byte_symbols();
  std::vector<std::string> out(sym.begin(), sym.end());
  // Printable bytes map to themselves (code points 33..255), the others to 256 + n in byte order,
  // so sorting by code point is sorting by (remapped?, byte).
  std::vector<std::pair<int, std::string>> keyed;
  for (int b = 0; b < 256; ++b) {
    const bool direct = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
    keyed.emplace_back((direct ? 0 : 256) + b, sym[b]);
  }
  std::sort(keyed.begin(), keyed.end());
  for (size_t i = 0; i < keyed.size(); ++i) out[i] = keyed[i].second;
  return out;
}

}  // namespace tessera
