// tessera shards write: a catalog's kept images into an MDS shard set (the `write` entry of
// command_shards.cpp's subcommand table).

#include "commands.h"

#include "tessera/dataset.h"

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>

namespace tessera::cli {
namespace {

volatile std::sig_atomic_t g_write_interrupted = 0;
void on_write_sigint(int) { g_write_interrupted = 1; }

}  // namespace

int run_shards_write(const ParsedArgs& args) {
  if (args.positionals().size() != 1) throw UsageError("shards write takes no folder argument; use --out DIR");
  if (!args.has("catalog")) throw UsageError("shards write needs --catalog FILE");
  if (!args.has("out")) throw UsageError("shards write needs --out DIR (an empty or new folder)");
  if (args.has("dump") || args.has("json")) throw UsageError("--dump and --json belong to 'shards inspect'");
  DatasetShardOptions o;
  o.catalog = args.get("catalog");
  o.out_dir = args.get("out");
  o.min_side = static_cast<int>(args.get_int("min-side", 0, 1, 1 << 20));
  o.resize = static_cast<int>(args.get_int("resize", 0, 8, 16384));
  o.image_format = args.get("image-format", "jpeg");
  if (o.image_format != "jpeg" && o.image_format != "png") throw UsageError("--image-format must be jpeg or png");
  if (args.has("image-format") && o.resize == 0) throw UsageError("--image-format needs --resize (otherwise files are stored as they are)");
  o.compression = args.get("compression");
  if (!o.compression.empty() && o.compression.rfind("zstd", 0) != 0) {
    throw UsageError("--compression must be zstd or zstd:LEVEL, got '" + o.compression + "'");
  }
  o.size_limit = static_cast<uint64_t>(args.get_int("size-limit", 1ll << 26, 1024, 1ll << 32));
  o.threads = static_cast<int>(args.get_int("jobs", 0, 1, 64));
  std::signal(SIGINT, on_write_sigint);
  const bool terminal = isatty(STDERR_FILENO) != 0;
  auto last = std::chrono::steady_clock::now();
  DatasetShardSummary summary;
  const Status status = write_dataset_shards(o, [&](int64_t done, int64_t total) {
    const auto now = std::chrono::steady_clock::now();
    if (terminal && (now - last > std::chrono::milliseconds(100) || done == total)) {
      last = now;
      std::fprintf(stderr, "\r[%lld/%lld] images\033[K", static_cast<long long>(done), static_cast<long long>(total));
      std::fflush(stderr);
    }
    return g_write_interrupted == 0;
  }, &summary);
  if (terminal) std::fprintf(stderr, "\r\033[K");
  if (status.cancelled()) {
    std::cerr << "tessera: interrupted; " << o.out_dir << " has no index.json and is not a usable shard set\n";
    return 130;
  }
  if (!status.ok()) {
    std::cerr << "tessera: " << status.to_string() << "\n";
    return 1;
  }
  for (const auto& p : summary.problems) std::cerr << "tessera: skipped " << p.where << ": " << p.reason << "\n";
  std::cout << "wrote " << summary.samples << " samples in " << summary.shards << " shard(s), " << summary.file_bytes
            << " bytes, to " << o.out_dir << " (" << summary.skipped << " kept image(s) skipped)\n";
  return 0;
}

}  // namespace tessera::cli
