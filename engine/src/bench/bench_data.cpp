// tessera::bench data-path benchmarks: image decode + crop + resize, and latent-shard reading
// through training's mds_latents DataSource. See tessera/bench_data.h.

#include "tessera/bench_data.h"

#include "image/image_decode.h"
#include "image/resize.h"
#include "shards/half_convert.h"
#include "shards/mds_reader.h"
#include "shards/mds_writer.h"
#include "shards/streaming_reader.h"
#include "tessera/bench.h"
#include "training/data_source.h"
#include "training/run_config.h"

#include <nlohmann/json.hpp>

#include <time.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>

namespace tessera::bench {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

double cpu_now() {
  struct timespec ts {};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Warm-up and measured passes of `pass`; fills seconds, the median and the rate.
template <typename Fn>
void time_passes(int repeat, int warmup, DataBenchResult* r, Fn&& pass) {
  if (repeat < 1 || warmup < 0) throw Error("repeat must be at least 1 and warmup at least 0");
  for (int i = 0; i < warmup; ++i) pass();
  std::vector<double> cpu;
  for (int i = 0; i < repeat; ++i) {
    const auto start = Clock::now();
    const double c0 = cpu_now();
    pass();
    r->seconds.push_back(std::chrono::duration<double>(Clock::now() - start).count());
    cpu.push_back(cpu_now() - c0);
  }
  r->median_seconds = median(r->seconds);
  r->cpu_seconds = median(cpu);
  r->items_per_second = r->median_seconds > 0 ? static_cast<double>(r->items) / r->median_seconds : 0.0;
}

// Random finite fp16 values (|x| < 4), as raw little-endian bytes.
std::string random_half_bytes(std::mt19937_64& rng, size_t count) {
  std::string bytes(count * 2, '\0');
  for (size_t i = 0; i < count; ++i) {
    // sign | exponent 0..15 (|x| < 2) | mantissa
    const uint16_t h = static_cast<uint16_t>(((rng() & 1) << 15) | ((rng() % 16) << 10) | (rng() & 0x3FF));
    bytes[2 * i] = static_cast<char>(h & 0xFF);
    bytes[2 * i + 1] = static_cast<char>(h >> 8);
  }
  return bytes;
}

void write_synthetic_latents(const std::string& dir, int samples, int resolution) {
  const uint64_t side = static_cast<uint64_t>(resolution / 8);
  const std::string latent_encoding = "ndarray:float16:4," + std::to_string(side) + "," + std::to_string(side);
  shards::MdsWriterOptions o;
  o.hashes = {"xxh3_64"};
  shards::MdsWriter writer(dir, {{"caption", "str"}, {"encoder_hidden_states", "ndarray:float16:77,1024"}, {"latents", latent_encoding}}, o);
  std::mt19937_64 rng(20240527);
  for (int i = 0; i < samples; ++i) {
    shards::NdArray text{"float16", {77, 1024}, random_half_bytes(rng, 77 * 1024)};
    shards::NdArray latents{"float16", {4, side, side}, random_half_bytes(rng, 4 * side * side)};
    writer.write(shards::MdsSample()
                     .set_str("caption", "a synthetic caption of about the usual length, number " + std::to_string(i))
                     .set_ndarray("encoder_hidden_states", std::move(text))
                     .set_ndarray("latents", std::move(latents)));
  }
  (void)writer.finish();
}

}  // namespace

Status bench_decode_resize(const std::string& dir, int side, int repeat, int warmup, DataBenchResult* out) {
  return guarded([&] {
    if (side < 8 || side > 8192) throw Error("side must be 8..8192 pixels");
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.is_regular_file()) names.push_back(e.path().string());
    }
    std::sort(names.begin(), names.end());
    if (names.empty()) throw Error(dir + " holds no image files", "generate them with scripts/bench-data.sh");
    std::vector<std::string> files;
    uint64_t bytes = 0;
    for (const auto& n : names) {
      files.push_back(shards::read_file_bytes(n, 256ull << 20));
      bytes += files.back().size();
    }
    DataBenchResult r;
    r.name = "decode-resize-" + std::to_string(side);
    r.description = "decode " + std::to_string(files.size()) + " files from memory, centre square crop, Lanczos3 resize to " +
                    std::to_string(side) + " px";
    r.items = files.size();
    uint64_t checksum = 0;
    time_passes(repeat, warmup, &r, [&] {
      for (size_t i = 0; i < files.size(); ++i) {
        try {
          const auto* data = reinterpret_cast<const uint8_t*>(files[i].data());
          const image::Image rgb = image::decode_image(data, files[i].size(), {}, nullptr, side);
          const image::Image square = image::center_crop_resize(rgb, side);
          checksum += square.pixels[square.pixels.size() / 2];
        } catch (const Error& e) {
          throw Error(names[i] + ": " + e.what());
        }
      }
    });
    r.note = std::to_string(bytes / files.size() / 1024) + " KiB per file on average (checksum " + std::to_string(checksum % 1000) + ")";
    *out = std::move(r);
  });
}

Status bench_latent_read(const std::string& dir, int samples, int resolution, int batch, bool shuffle, int repeat,
                         int warmup, DataBenchResult* out) {
  return guarded([&] {
    if (batch < 1 || resolution < 8 || resolution % 8 != 0) throw Error("batch must be >= 1 and resolution a multiple of 8");
    DataBenchResult r;
    if (!fs::exists(fs::path(dir) / "index.json")) {
      if (samples < 1) throw Error("samples must be at least 1");
      const auto start = Clock::now();
      write_synthetic_latents(dir, samples, resolution);
      r.note = "wrote the synthetic shards in " +
               std::to_string(std::chrono::duration<double>(Clock::now() - start).count()).substr(0, 5) + " s; ";
    }
    training::RunConfig c;
    c.dataset.kind = "mds_latents";
    c.dataset.path = dir;
    c.dataset.shuffle = shuffle;
    auto source = training::make_data_source(c);
    const int64_t n = source->samples_per_epoch();
    const shards::MdsDataset ds(dir);
    r.name = "latent-read";
    r.description = "training's mds_latents source over " + std::to_string(n) + " samples in " + std::to_string(ds.num_shards()) +
                    " shard(s), batches of " + std::to_string(batch) + (shuffle ? ", shuffled" : ", stored order");
    r.items = static_cast<uint64_t>(n);
    int64_t position = 0;
    double sum = 0;
    time_passes(repeat, warmup, &r, [&] {
      for (int64_t done = 0; done < n; done += batch) {
        const int64_t count = std::min<int64_t>(batch, n - done);
        const training::TrainingBatch b = source->read(position, count);
        position += count;
        sum += b.latents.data_ptr<float>()[0];
      }
    });
    r.note += "first batch shapes: latents [" + std::to_string(batch) + ", 4, " + std::to_string(resolution / 8) + ", " +
              std::to_string(resolution / 8) + "], text [" + std::to_string(batch) + ", 77, 1024]" +
              (sum == sum ? "" : " (NaN!)");
    *out = std::move(r);
  });
}

Status bench_latent_stream(const std::string& dir, int batch, bool shuffle, int repeat, int warmup, DataBenchResult* out) {
  return guarded([&] {
    if (batch < 1) throw Error("batch must be >= 1");
    shards::StreamingReaderOptions o;
    o.shuffle.shuffle = shuffle;
    o.threads = 1;
    shards::StreamingReader reader({shards::StreamSource{dir, {}, {}, {}}}, o);
    DataBenchResult r;
    r.name = "latent-stream";
    reader.start_epoch(0);
    r.items = reader.epoch_size();
    r.description = "shards::StreamingReader (1 loader thread) over " + std::to_string(r.items) +
                    " samples, fp16 columns converted (F16C: " + (shards::half_convert_uses_f16c() ? "yes" : "no") +
                    ") into a preallocated float32 batch of " + std::to_string(batch) +
                    (shuffle ? ", shuffled" : ", stored order");
    uint64_t epoch = 0;
    double sum = 0;
    time_passes(repeat, warmup, &r, [&] {
      reader.start_epoch(epoch++);
      torch::Tensor latents, text;
      int64_t k = 0;
      while (auto sample = reader.next()) {
        const shards::MdsSampleView view = sample->view();
        const auto& info = sample->shard->info();
        auto column = [&](const char* name) {
          const auto& names = info.column_names;
          const size_t c = static_cast<size_t>(std::find(names.begin(), names.end(), name) - names.begin());
          if (c == names.size()) throw Error(dir + ": no column " + name);
          return shards::decode_ndarray_view(info.encodings[c], view.payload(c).data, view.payload(c).size);
        };
        const shards::NdArrayView l = column("latents");
        const shards::NdArrayView t = column("encoder_hidden_states");
        if (l.dtype != "float16" || t.dtype != "float16") throw Error(dir + ": latent columns are not float16");
        if (!latents.defined()) {
          std::vector<int64_t> lb{batch}, tb{batch};
          lb.insert(lb.end(), l.shape.begin(), l.shape.end());
          tb.insert(tb.end(), t.shape.begin(), t.shape.end());
          latents = torch::empty(lb);
          text = torch::empty(tb);
        }
        const int64_t ln = latents.numel() / batch, tn = text.numel() / batch;
        if (static_cast<int64_t>(l.size) != 2 * ln || static_cast<int64_t>(t.size) != 2 * tn) {
          throw Error(dir + ": latent samples differ in shape");
        }
        const bool finite = shards::half_to_float_finite(l.data, static_cast<size_t>(ln), latents.data_ptr<float>() + k * ln) &
                            shards::half_to_float_finite(t.data, static_cast<size_t>(tn), text.data_ptr<float>() + k * tn);
        if (!finite) throw Error(dir + ": a latent sample holds NaN or infinity");
        if (++k == batch) {
          sum += latents.data_ptr<float>()[0];
          k = 0;
        }
      }
    });
    r.note = sum == sum ? "finite" : "NaN!";
    *out = std::move(r);
  });
}

std::string to_json(const DataBenchResult& r) {
  nlohmann::json j;
  j["name"] = r.name;
  j["description"] = r.description;
  j["items"] = r.items;
  j["seconds"] = r.seconds;
  j["median_seconds"] = r.median_seconds;
  j["items_per_second"] = r.items_per_second;
  j["cpu_seconds"] = r.cpu_seconds;
  j["note"] = r.note;
  return j.dump();
}

}  // namespace tessera::bench
