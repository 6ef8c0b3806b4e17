#pragma once
// PyTorch pickle checkpoints (.bin, .ckpt, .pt, .pth) are never loaded: unpickling can run
// arbitrary code. These helpers recognise them and explain how to convert them (torch-free).

#include <string>

namespace tessera::io {

// True when `path` ends in .bin/.ckpt/.pt/.pth, or the file starts with the zip ("PK\3\4") or
// pickle (0x80, protocol 2-5) magic.
bool looks_like_pickle(const std::string& path);

// Throws tessera::Error when looks_like_pickle(path): says why such files are refused and gives
// the one-line Python conversion to .safetensors (and the diffusers-folder variant).
void refuse_pickle(const std::string& path);

}  // namespace tessera::io
