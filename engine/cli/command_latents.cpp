// tessera latents: image shards -> latent shards (VAE + text encoder of a diffusers model), split
// across ranks when launched distributed, resumable by rerunning the same command.

#include "commands.h"

#include "tessera/latents.h"

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>

namespace tessera::cli {
namespace {

volatile std::sig_atomic_t g_latents_interrupted = 0;
void on_latents_sigint(int) { g_latents_interrupted = 1; }

}  // namespace

Command make_latents_command() {
  Command c;
  c.name = "latents";
  c.usage =
      "tessera latents --model DIR --shards DIR --out DIR [--resolution N] [--batch N] [--shard-samples N]\n"
      "                [--device auto|cpu|cuda]";
  c.summary = "precompute VAE latents and text-encoder states of an image shard set into latent shards";
  c.flags = {
      {"model", "DIR", "diffusers model folder (tokenizer/, text_encoder/, vae/, unet/config.json)"},
      {"shards", "DIR", "image shard set with 'image' and 'caption' columns ('tessera shards write')"},
      {"out", "DIR", "latent shard folder (new, or one this command started: it continues there)"},
      {"resolution", "N", "square image side in pixels (default: the UNet's sample_size x the VAE factor)"},
      {"batch", "N", "images per encoder call (default 16)"},
      {"shard-samples", "N", "input samples per output shard (default 256; keep it when rerunning)"},
      {"device", "NAME", "auto (CUDA when present, GPU = LOCAL_RANK), cpu or cuda (default auto)"},
  };
  c.run = [](const ParsedArgs& args) {
    if (!args.has("model")) throw UsageError("latents needs --model DIR (a diffusers folder)");
    if (!args.has("shards")) throw UsageError("latents needs --shards DIR (image shards)");
    if (!args.has("out")) throw UsageError("latents needs --out DIR");
    LatentPrecomputeOptions o;
    o.model_dir = args.get("model");
    o.shards_dir = args.get("shards");
    o.out_dir = args.get("out");
    o.resolution = static_cast<int>(args.get_int("resolution", 0, 8, 8192));
    o.batch_size = static_cast<int>(args.get_int("batch", 16, 1, 4096));
    o.shard_samples = static_cast<int>(args.get_int("shard-samples", 256, 1, 1000000));
    o.device = args.get("device", "auto");
    if (o.device != "auto" && o.device != "cpu" && o.device != "cuda") throw UsageError("--device must be auto, cpu or cuda");
    std::signal(SIGINT, on_latents_sigint);
    const bool terminal = isatty(STDERR_FILENO) != 0;
    auto last = std::chrono::steady_clock::now();
    LatentPrecomputeSummary s;
    const Status status = precompute_latents(o, [&](int64_t done, int64_t total) {
      const auto now = std::chrono::steady_clock::now();
      if (terminal && (now - last > std::chrono::milliseconds(200) || done == total)) {
        last = now;
        std::fprintf(stderr, "\r[%lld/%lld] samples\033[K", static_cast<long long>(done), static_cast<long long>(total));
        std::fflush(stderr);
      }
      return g_latents_interrupted == 0;
    }, &s);
    if (terminal) std::fprintf(stderr, "\r\033[K");
    for (const auto& p : s.problems) std::cerr << "tessera: skipped " << p.first << ": " << p.second << "\n";
    if (status.cancelled()) {
      std::cerr << "tessera: interrupted; finished shards are kept, rerun the same command to continue\n";
      return 130;
    }
    if (!status.ok()) {
      std::cerr << "tessera: " << status.to_string() << "\n";
      return 1;
    }
    if (s.already_complete) {
      std::cout << o.out_dir << " is already complete (" << s.index_samples << " samples)\n";
      return 0;
    }
    std::cout << "rank " << s.rank << "/" << s.world_size << ": " << s.chunks_written << " shard(s) written ("
              << s.samples_written << " samples), " << s.chunks_kept << " kept from an earlier run, at " << s.resolution
              << " px on " << (s.device.empty() ? "no device (nothing to do)" : s.device) << "\n";
    if (s.index_written) {
      std::cout << "wrote " << o.out_dir << "/index.json: " << s.index_samples << " samples in " << s.chunks_total
                << " chunk(s), latents scaled by " << s.scaling_factor << "\n";
    } else if (s.rank != 0) {
      std::cout << "rank 0 writes index.json once every rank's shards are there\n";
    }
    return 0;
  };
  return c;
}

}  // namespace tessera::cli
