// `tessera latents`: image shards -> latent shards (VAE posterior mean x scaling factor, text
// encoder last_hidden_state, caption), chunked so that every output file has a fixed name and a
// rerun after a kill continues where the last one stopped. See tessera/latents.h.
//
// Choice of latent: the posterior mean, as MosaicML's SD2 reproduction precomputes it (diffusers'
// online training draws a sample instead). The mean is deterministic, so a resumed or distributed
// run writes the same bytes as one uninterrupted run; the index records it as
// latent_distribution "mean", and training uses the stored latents as they are.

#include "tessera/latents.h"

#include "core/atomic_file.h"
#include "image/image_decode.h"
#include "image/resize.h"
#include "io/diffusers_folder.h"
#include "models/autoencoder_kl.h"
#include "models/clip_text_model.h"
#include "shards/latent_shard_info.h"
#include "shards/mds_encoding.h"
#include "shards/mds_format.h"
#include "shards/mds_hash.h"
#include "shards/mds_reader.h"
#include "shards/python_json.h"
#include "text/clip_tokenizer.h"
#include "training/distributed.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <thread>

namespace tessera {
namespace {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

constexpr const char* kJobFile = "latents_job.json";
constexpr const char* kHash = "xxh3_64";  // fast enough that verifying it never limits training reads

std::string chunk_name(size_t chunk, const char* suffix) {
  char name[48];
  std::snprintf(name, sizeof name, "shard.%05zu.%s", chunk, suffix);
  return name;
}

// Writes `text` so that the file appears whole or not at all. The temporary name carries the
// rank as well as the pid: ranks on different hosts of a shared folder may have equal pids.
void write_small_file(const std::string& path, const std::string& text, int rank) {
  const std::string temp = path + ".tmp.r" + std::to_string(rank) + "." + std::to_string(::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error("cannot create " + temp + " (" + std::strerror(errno) + ")", "check that the folder is writable");
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  if (::close(fd) != 0 || !ok || ::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(temp.c_str());
    throw Error("cannot write " + path + " (" + why + ")", "check the disk");
  }
}

struct Encoders {
  std::optional<CLIPTokenizer> tokenizer;
  models::CLIPTextModel text_encoder{nullptr};
  models::AutoencoderKL vae{nullptr};
  torch::Device device{torch::kCPU};
  int max_length = 77;
};

torch::Device choose_device(const std::string& name, int local_rank) {
  const bool cuda = torch::cuda::is_available();
  if (name == "cpu" || (name == "auto" && !cuda)) return torch::Device(torch::kCPU);
  if (name != "auto" && name != "cuda") throw Error("unknown device '" + name + "'", "use auto, cpu or cuda");
  if (!cuda) throw Error("--device cuda asked for, but no CUDA device is available", "use --device cpu");
  const int count = static_cast<int>(torch::cuda::device_count());
  return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(count > 0 ? local_rank % count : 0));
}

// The settings that decide the output bytes; a rerun must match them to continue.
ojson job_json(const LatentPrecomputeOptions& o, const models::VAEConfig& vae, const models::CLIPTextConfig& text,
               int resolution, int max_length, uint64_t source_samples) {
  const int64_t side = resolution / vae.spatial_factor();
  ojson j = ojson::object();
  j["format"] = 1;
  j["latents_are_scaled"] = true;
  j["scaling_factor"] = vae.scaling_factor;
  j["shift_factor"] = vae.shift_factor;
  j["latent_distribution"] = "mean";
  j["resolution"] = resolution;
  j["latent_shape"] = {vae.latent_channels, side, side};
  j["text_shape"] = {max_length, text.hidden_size};
  j["text_encoder_output"] = "last_hidden_state";
  j["image_preprocessing"] =
      "decode (JPEG at a DCT scale keeping the short side >= resolution), centre square crop, Lanczos3 resize, x/127.5-1";
  j["dtype"] = "float16";
  j["model"] = fs::absolute(o.model_dir).lexically_normal().string();
  j["source"] = fs::absolute(o.shards_dir).lexically_normal().string();
  j["source_samples"] = source_samples;
  j["samples_per_shard"] = o.shard_samples;
  return j;
}

// The shard config shared by every output shard.
shards::MdsShardInfo shard_config(const ojson& job) {
  const auto& l = job["latent_shape"];
  const auto& t = job["text_shape"];
  const std::vector<std::pair<std::string, std::string>> columns = {
      {"caption", "str"},
      {"encoder_hidden_states", "ndarray:float16:" + std::to_string(t[0].get<int64_t>()) + "," +
                                    std::to_string(t[1].get<int64_t>())},
      {"latents", "ndarray:float16:" + std::to_string(l[0].get<int64_t>()) + "," + std::to_string(l[1].get<int64_t>()) +
                      "," + std::to_string(l[2].get<int64_t>())},
  };
  shards::MdsShardInfo info;
  for (const auto& [name, encoding] : columns) {
    shards::MdsEncoding e = shards::parse_mds_encoding(encoding);
    info.column_names.push_back(name);
    info.column_encodings.push_back(encoding);
    info.column_sizes.push_back(e.size);
    info.encodings.push_back(std::move(e));
  }
  info.hashes = {kHash};
  info.size_limit = uint64_t{1} << 26;  // informational: chunks decide the shard boundaries
  return info;
}

struct Loaded {
  std::optional<image::Image> image;  // resized square, RGB
  std::string caption;
  std::string error;
};

class Precompute {
 public:
  Precompute(const LatentPrecomputeOptions& o, LatentPrecomputeSummary& s) : o_(o), s_(s) {}

  void run(const std::function<bool(int64_t, int64_t)>& progress) {
    validate_options();
    training::DistributedEnv env = training::DistributedEnv::from_environment();
    if (o_.rank >= 0 || o_.world_size >= 0) {
      env.rank = std::max(o_.rank, 0);
      env.world_size = std::max(o_.world_size, 1);
      if (env.rank >= env.world_size) throw Error("rank must be below the world size");
    }
    s_.rank = env.rank;
    s_.world_size = env.world_size;

    input_ = std::make_unique<shards::MdsDataset>(o_.shards_dir);
    check_input_columns();
    s_.input_samples = input_->num_samples();
    if (s_.input_samples == 0) throw Error(o_.shards_dir + " holds no samples", "write the image shards first");

    const io::DiffusersFolder folder = io::open_diffusers_folder(o_.model_dir);
    const models::VAEConfig vae_config = models::load_vae_config(folder.vae_dir() + "/config.json");
    const models::CLIPTextConfig text_config = models::load_clip_text_config(folder.text_encoder_dir() + "/config.json");
    int resolution = o_.resolution;
    if (resolution == 0) {
      const auto it = folder.unet_config.find("sample_size");
      if (it == folder.unet_config.end() || !it->is_number_integer() || it->get<int64_t>() < 1) {
        throw Error(folder.unet_dir() + "/config.json has no sample_size", "pass --resolution N");
      }
      resolution = static_cast<int>(it->get<int64_t>() * vae_config.spatial_factor());
    }
    if (resolution % vae_config.spatial_factor() != 0) {
      throw Error("resolution " + std::to_string(resolution) + " is not a multiple of the VAE factor " +
                      std::to_string(vae_config.spatial_factor()),
                  "choose a multiple, e.g. 256 or 512 for SD2");
    }
    s_.resolution = resolution_ = resolution;
    s_.scaling_factor = vae_config.scaling_factor;
    tokenizer_dir_ = folder.tokenizer_dir();
    const int max_length = CLIPTokenizer::from_folder(tokenizer_dir_).model_max_length();
    if (max_length < 2 || max_length > text_config.max_position_embeddings) {
      throw Error("the tokenizer's model_max_length " + std::to_string(max_length) + " does not fit the text encoder",
                  "check tokenizer/tokenizer_config.json");
    }
    job_ = job_json(o_, vae_config, text_config, resolution, max_length, s_.input_samples);
    config_ = shard_config(job_);
    config_json_ = shards::mds_shard_config_json(config_);

    fs::create_directories(o_.out_dir);
    remove_own_temporaries(env.rank);
    if (check_job_file()) {
      s_.already_complete = true;
      s_.index_samples = shards::MdsDataset(o_.out_dir).num_samples();
      return;
    }

    const size_t chunks = static_cast<size_t>((s_.input_samples + o_.shard_samples - 1) / o_.shard_samples);
    s_.chunks_total = chunks;
    std::vector<size_t> todo;
    int64_t total = 0;
    for (size_t c = static_cast<size_t>(env.rank); c < chunks; c += static_cast<size_t>(env.world_size)) {
      ++s_.chunks_mine;
      remove_stale_temporaries(c);
      if (chunk_done(c)) {
        ++s_.chunks_kept;
        continue;
      }
      todo.push_back(c);
      total += static_cast<int64_t>(chunk_end(c) - chunk_begin(c));
    }
    if (!todo.empty()) {
      load_models(folder, env.local_rank);
      int64_t done = 0;
      for (size_t c : todo) {
        compute_chunk(c, [&](int64_t n) {
          done += n;
          if (progress && !progress(done, total)) throw Cancelled();
        });
        ++s_.chunks_written;
      }
    }
    if (env.rank == 0) {
      wait_for_chunks(chunks);
      write_index(chunks);
    }
  }

 private:
  void validate_options() const {
    if (o_.model_dir.empty()) throw Error("no model folder given", "pass --model DIR (a diffusers folder)");
    if (o_.shards_dir.empty()) throw Error("no image shard folder given", "pass --shards DIR");
    if (o_.out_dir.empty()) throw Error("no output folder given", "pass --out DIR");
    if (o_.resolution < 0 || o_.resolution > 8192) throw Error("resolution must be 1..8192 pixels");
    if (o_.batch_size < 1 || o_.batch_size > 4096) throw Error("batch size must be 1..4096");
    if (o_.shard_samples < 1 || o_.shard_samples > 1000000) throw Error("samples per shard must be 1..1000000");
    if (fs::exists(o_.out_dir) && fs::exists(o_.shards_dir) && fs::equivalent(o_.out_dir, o_.shards_dir)) {
      throw Error("the output folder is the input folder", "write the latents to a folder of their own");
    }
  }

  void check_input_columns() const {
    for (size_t i = 0; i < input_->num_shards(); ++i) {
      const auto& shard = input_->index().shards[i];
      bool image = false, caption = false;
      for (size_t c = 0; c < shard.column_names.size(); ++c) {
        const auto kind = shard.encodings[c].kind;
        using K = shards::MdsEncoding::Kind;
        if (shard.column_names[c] == "image") {
          if (kind != K::kBytes && kind != K::kJpeg && kind != K::kPng) {
            throw Error(o_.shards_dir + "/index.json: column 'image' is " + shard.column_encodings[c] +
                            ", expected bytes, jpeg or png (encoded image files)",
                        "write the image shards with 'tessera shards write'");
          }
          image = true;
        }
        if (shard.column_names[c] == "caption") {
          if (kind != K::kStr) {
            throw Error(o_.shards_dir + "/index.json: column 'caption' is " + shard.column_encodings[c] + ", expected str");
          }
          caption = true;
        }
      }
      if (!image || !caption) {
        throw Error(o_.shards_dir + "/index.json: shard " + std::to_string(i) + " lacks an 'image' or 'caption' column",
                    "latents are computed from image shards as 'tessera shards write' makes them");
      }
    }
  }

  // True when the folder holds a finished set with these settings. Refuses another job's folder.
  bool check_job_file() const {
    const fs::path job_path = fs::path(o_.out_dir) / kJobFile;
    const std::string wanted = shards::python_json_dumps(job_, true);
    if (!fs::exists(job_path)) {
      for (const auto& entry : fs::directory_iterator(o_.out_dir)) {
        const std::string name = entry.path().filename().string();
        if (name == "index.json" || name.rfind("shard.", 0) == 0) {
          throw Error("the output folder " + o_.out_dir + " holds shards of something else (" + name + ")",
                      "choose an empty folder for the latents");
        }
      }
      write_small_file(job_path.string(), wanted, s_.rank);
    } else {
      const std::string have = shards::read_file_bytes(job_path.string(), 1 << 20);
      if (have != wanted) {
        const ojson old = ojson::parse(have, nullptr, false);
        std::string which;
        if (old.is_object()) {
          for (const auto& [key, value] : job_.items()) {
            if (!old.contains(key) || old[key] != value) which += (which.empty() ? "" : ", ") + key;
          }
        }
        throw Error(job_path.string() + " was written with other settings (" + (which.empty() ? "unreadable" : which) + ")",
                    "rerun with the same flags and inputs to continue, or choose an empty folder");
      }
    }
    return fs::exists(fs::path(o_.out_dir) / "index.json");
  }

  uint64_t chunk_begin(size_t c) const { return static_cast<uint64_t>(c) * static_cast<uint64_t>(o_.shard_samples); }
  uint64_t chunk_end(size_t c) const { return std::min(s_.input_samples, chunk_begin(c + 1)); }
  fs::path out(const std::string& name) const { return fs::path(o_.out_dir) / name; }
  bool chunk_done(size_t c) const { return fs::exists(out(chunk_name(c, "mds"))) || fs::exists(out(chunk_name(c, "empty"))); }

  // Small files this rank writes carry ".tmp.r<rank>." while being written; one left by a killed
  // run of this rank is removed (no other rank writes under this rank's tag).
  void remove_own_temporaries(int rank) const {
    const std::string tag = ".tmp.r" + std::to_string(rank) + ".";
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(o_.out_dir, ec)) {
      if (entry.path().filename().string().find(tag) != std::string::npos) fs::remove(entry.path(), ec);
    }
  }

  // A kill -9 during a shard write leaves its temporary file; this rank owns the chunk now.
  void remove_stale_temporaries(size_t c) const {
    const std::string prefix = chunk_name(c, "mds") + ".tmp.";
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(o_.out_dir, ec)) {
      const std::string name = entry.path().filename().string();
      if (name.rfind(prefix, 0) == 0) fs::remove(entry.path(), ec);
    }
  }

  void load_models(const io::DiffusersFolder& folder, int local_rank) {
    enc_.device = choose_device(o_.device, local_rank);
    s_.device = enc_.device.str();
    enc_.tokenizer = CLIPTokenizer::from_folder(tokenizer_dir_);
    enc_.max_length = enc_.tokenizer->model_max_length();
    enc_.text_encoder = models::load_clip_text_model(folder.text_encoder_dir());
    enc_.vae = models::load_vae(folder.vae_dir());
    enc_.text_encoder->eval();
    enc_.vae->eval();
    enc_.text_encoder->to(enc_.device);
    enc_.vae->to(enc_.device);
  }

  std::shared_ptr<const shards::MdsShard> input_shard(size_t index) {
    auto it = shard_cache_.find(index);
    if (it != shard_cache_.end()) return it->second;
    if (shard_cache_.size() >= 2) shard_cache_.erase(shard_cache_.begin());
    return shard_cache_.emplace(index, input_->load_shard(index)).first->second;
  }

  // Reads, decodes, crops and resizes the chunk's images on the intra-op thread pool.
  std::vector<Loaded> load_chunk(size_t c) {
    const uint64_t begin = chunk_begin(c), end = chunk_end(c);
    std::vector<std::shared_ptr<const shards::MdsShard>> shard_of;
    std::vector<size_t> index_of;
    for (uint64_t g = begin; g < end; ++g) {
      const auto [shard, index] = input_->locate(g);
      shard_of.push_back(input_shard(shard));
      index_of.push_back(index);
    }
    std::vector<Loaded> loaded(static_cast<size_t>(end - begin));
    at::parallel_for(0, static_cast<int64_t>(loaded.size()), 1, [&](int64_t lo, int64_t hi) {
      for (int64_t i = lo; i < hi; ++i) {
        Loaded& l = loaded[static_cast<size_t>(i)];
        try {
          const shards::MdsSampleView view = shard_of[static_cast<size_t>(i)]->sample(index_of[static_cast<size_t>(i)]);
          l.caption = view.str("caption");
          const shards::MdsSpan image = view.payload("image");
          const image::Image rgb = image::decode_image(image.data, image.size, {}, nullptr, resolution_);
          l.image = image::center_crop_resize(rgb, resolution_);
        } catch (const std::exception& e) {
          l.error = e.what();
        }
      }
    });
    return loaded;
  }

  void compute_chunk(size_t c, const std::function<void(int64_t)>& advance) {
    std::vector<Loaded> loaded = load_chunk(c);
    std::vector<size_t> good;
    for (size_t i = 0; i < loaded.size(); ++i) {
      if (loaded[i].error.empty()) {
        good.push_back(i);
      } else {
        s_.problems.push_back({o_.shards_dir + " sample " + std::to_string(chunk_begin(c) + i), loaded[i].error});
      }
    }
    std::vector<std::string> samples;
    samples.reserve(good.size());
    const int64_t side = resolution_;
    c10::InferenceMode inference;
    for (size_t b = 0; b < good.size(); b += static_cast<size_t>(o_.batch_size)) {
      const size_t n = std::min(good.size() - b, static_cast<size_t>(o_.batch_size));
      torch::Tensor pixels = torch::empty({static_cast<int64_t>(n), side, side, 3}, torch::kUInt8);
      torch::Tensor ids = torch::empty({static_cast<int64_t>(n), enc_.max_length}, torch::kInt64);
      for (size_t k = 0; k < n; ++k) {
        const Loaded& l = loaded[good[b + k]];
        std::memcpy(pixels[static_cast<int64_t>(k)].data_ptr(), l.image->pixels.data(), l.image->pixels.size());
        const auto tokens = enc_.tokenizer->encode_padded(l.caption, enc_.max_length);
        std::memcpy(ids[static_cast<int64_t>(k)].data_ptr(), tokens.input_ids.data(), sizeof(int64_t) * tokens.input_ids.size());
      }
      const torch::Tensor x = pixels.permute({0, 3, 1, 2}).to(torch::kFloat32).div(127.5).sub(1.0).contiguous();
      const auto& vc = enc_.vae->config();
      const torch::Tensor mean = enc_.vae->encode(x.to(enc_.device)).mean();
      const torch::Tensor latents = ((mean - vc.shift_factor) * vc.scaling_factor).to(torch::kCPU, torch::kFloat16).contiguous();
      const torch::Tensor text = enc_.text_encoder->encode(ids.to(enc_.device)).to(torch::kCPU, torch::kFloat16).contiguous();
      if (!torch::isfinite(latents).all().item<bool>() || !torch::isfinite(text).all().item<bool>()) {
        throw Error("the encoders produced NaN or infinity for chunk " + std::to_string(c) + " (fp16 overflow?)",
                    "check the model weights");
      }
      for (size_t k = 0; k < n; ++k) {
        samples.push_back(encode_sample(loaded[good[b + k]].caption, latents[static_cast<int64_t>(k)],
                                        text[static_cast<int64_t>(k)]));
      }
      advance(static_cast<int64_t>(n));
    }
    if (good.size() < loaded.size()) advance(static_cast<int64_t>(loaded.size() - good.size()));
    if (samples.empty()) {
      write_small_file(out(chunk_name(c, "empty")).string(), "", s_.rank);  // nothing decodable in this chunk
      return;
    }
    const std::string raw = shards::build_mds_shard(samples, config_json_);
    AtomicFileWriter writer(out(chunk_name(c, "mds")).string());
    writer.write(raw.data(), raw.size());
    writer.commit();
    s_.samples_written += samples.size();
  }

  std::string encode_sample(const std::string& caption, const torch::Tensor& latents, const torch::Tensor& text) const {
    auto array = [](const torch::Tensor& t) {
      shards::MdsValue v;
      v.kind = shards::MdsValue::Kind::kNdArray;
      v.array.dtype = "float16";
      for (int64_t d : t.sizes()) v.array.shape.push_back(static_cast<uint64_t>(d));
      v.array.data.assign(static_cast<const char*>(t.data_ptr()), static_cast<size_t>(t.numel()) * 2);
      return v;
    };
    shards::MdsValue cap;
    cap.kind = shards::MdsValue::Kind::kStr;
    cap.text = caption;
    // Columns in stored (sorted) order: caption (variable: a size header), then the fixed arrays.
    const std::string c0 = shards::encode_mds_value(config_.encodings[0], cap, "caption");
    const std::string c1 = shards::encode_mds_value(config_.encodings[1], array(text), "encoder_hidden_states");
    const std::string c2 = shards::encode_mds_value(config_.encodings[2], array(latents), "latents");
    const uint32_t size = static_cast<uint32_t>(c0.size());
    std::string sample(reinterpret_cast<const char*>(&size), 4);
    sample += c0;
    sample += c1;
    sample += c2;
    return sample;
  }

  void wait_for_chunks(size_t chunks) const {
    const auto start = std::chrono::steady_clock::now();
    bool told = false;
    for (;;) {
      size_t missing = 0;
      for (size_t c = 0; c < chunks; ++c) missing += chunk_done(c) ? 0 : 1;
      if (missing == 0) return;
      const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (waited > o_.wait_seconds) {
        throw Error(std::to_string(missing) + " shard(s) from the other ranks did not appear in " + o_.out_dir,
                    "the ranks must share the output folder; rerun the failed ranks (finished shards are kept)");
      }
      if (!told) {
        std::fprintf(stderr, "tessera: rank 0 waits for %zu shard(s) from the other ranks\n", missing);
        told = true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }

  void write_index(size_t chunks) {
    shards::MdsIndex index;
    for (size_t c = 0; c < chunks; ++c) {
      const std::string name = chunk_name(c, "mds");
      const std::string path = out(name).string();
      if (!fs::exists(path)) continue;  // an .empty chunk
      const std::string raw = shards::read_file_bytes(path, shards::kMaxShardBytes);
      const auto* data = reinterpret_cast<const uint8_t*>(raw.data());
      if (raw.size() < 4) throw Error(path + " is truncated", "delete it and rerun the same command");
      shards::MdsShardInfo info = config_;
      uint32_t n = 0;
      std::memcpy(&n, data, 4);
      info.samples = n;
      info.raw_data.basename = name;
      info.raw_data.bytes = raw.size();
      info.raw_data.hashes[kHash] = shards::hash_hex(kHash, data, raw.size());
      try {
        (void)shards::parse_mds_shard(data, raw.size(), info, path);
      } catch (const Error& e) {
        throw Error(e.what(), "delete " + path + " and rerun the same command");
      }
      index.shards.push_back(std::move(info));
      s_.index_samples += n;
    }
    if (index.shards.empty()) throw Error("no image of " + o_.shards_dir + " could be encoded", "see the problems above");
    ojson root = ojson::parse(shards::mds_index_json(index));
    root[shards::kLatentInfoKey] = job_;
    write_small_file(out("index.json").string(), shards::python_json_dumps(root, true), s_.rank);
    s_.index_written = true;
  }

  const LatentPrecomputeOptions& o_;
  LatentPrecomputeSummary& s_;
  std::unique_ptr<shards::MdsDataset> input_;
  std::map<size_t, std::shared_ptr<const shards::MdsShard>> shard_cache_;
  Encoders enc_;
  std::string tokenizer_dir_;
  int resolution_ = 0;
  ojson job_;
  shards::MdsShardInfo config_;
  std::string config_json_;
};

}  // namespace

Status precompute_latents(const LatentPrecomputeOptions& options,
                          const std::function<bool(int64_t, int64_t)>& progress, LatentPrecomputeSummary* summary) {
  LatentPrecomputeSummary s;
  Status status = guarded([&] {
    Precompute p(options, s);
    p.run(progress);
  });
  if (summary != nullptr) *summary = std::move(s);
  return status;
}

}  // namespace tessera
