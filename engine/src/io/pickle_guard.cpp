#include "io/pickle_guard.h"

#include "tessera/error.h"

#include <fstream>

namespace tessera::io {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool has_pickle_extension(const std::string& path) {
  std::string lower;
  lower.reserve(path.size());
  for (char c : path) lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  for (const char* ext : {".bin", ".ckpt", ".pt", ".pth"})
    if (ends_with(lower, ext)) return true;
  return false;
}

bool has_pickle_magic(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char head[4] = {0, 0, 0, 0};
  if (!in.read(reinterpret_cast<char*>(head), sizeof head)) return false;
  if (head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return true;  // torch.save zip
  return head[0] == 0x80 && head[1] >= 2 && head[1] <= 5;                              // legacy pickle
}

}  // namespace

bool looks_like_pickle(const std::string& path) { return has_pickle_extension(path) || has_pickle_magic(path); }

void refuse_pickle(const std::string& path) {
  if (!looks_like_pickle(path)) return;
  throw Error(path + ": PyTorch pickle files are not loaded, because unpickling can run arbitrary code",
              "convert it to safetensors once with: python -c \"import torch; from safetensors.torch import "
              "save_file; save_file(torch.load('" +
                  path + "', map_location='cpu'), '" + path +
                  ".safetensors')\" (for a diffusers folder: pipe.save_pretrained(dir, safe_serialization=True))");
}

}  // namespace tessera::io
