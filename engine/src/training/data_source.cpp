#include "training/data_source.h"

#include "image/image_decode.h"
#include "image/resize.h"
#include "io/diffusers_folder.h"
#include "io/safetensors.h"
#include "shards/half_convert.h"
#include "shards/latent_shard_info.h"
#include "shards/mds_reader.h"
#include "shards/streaming_order.h"
#include "tessera/error.h"
#include "text/clip_tokenizer.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace tessera::training {

uint64_t mix_seed(uint64_t a, uint64_t b) {
  uint64_t z = a + 0x9E3779B97F4A7C15ull * (b + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

InMemoryDataSource::InMemoryDataSource(TrainingBatch all, bool shuffle, uint64_t seed)
    : all_(std::move(all)), shuffle_(shuffle), seed_(seed) {
  // Images: precomputed latents or pixels. Text: precomputed hidden states or token ids.
  const torch::Tensor& image = all_.precomputed() ? all_.latents : all_.pixels;
  const torch::Tensor& text = all_.encoder_hidden_states.defined() ? all_.encoder_hidden_states : all_.input_ids;
  if (!image.defined() || image.dim() != 4 || !text.defined() || text.dim() != (all_.encoder_hidden_states.defined() ? 3 : 2) ||
      image.size(0) != text.size(0)) {
    throw Error("in-memory dataset: give latents [N, C, h, w] or pixels [N, 3, H, W], and encoder_hidden_states [N, T, D] "
                "or input_ids [N, T], all with the same N");
  }
  n_ = all_.size();
  if (n_ == 0) throw Error("in-memory dataset is empty");
}

int64_t InMemoryDataSource::index_at(int64_t position) {
  TORCH_CHECK(position >= 0, "negative stream position");
  const int64_t epoch = position / n_;
  const int64_t within = position % n_;
  if (!shuffle_) return within;
  if (epoch != order_epoch_) {
    auto gen = at::make_generator<at::CPUGeneratorImpl>(mix_seed(seed_, static_cast<uint64_t>(epoch)));
    const torch::Tensor perm = torch::randperm(n_, gen, torch::TensorOptions().dtype(torch::kInt64));
    order_.assign(perm.data_ptr<int64_t>(), perm.data_ptr<int64_t>() + n_);
    order_epoch_ = epoch;
  }
  return order_[static_cast<size_t>(within)];
}

TrainingBatch InMemoryDataSource::read(int64_t begin, int64_t count) {
  std::vector<int64_t> idx;
  idx.reserve(static_cast<size_t>(count));
  for (int64_t p = begin; p < begin + count; ++p) idx.push_back(index_at(p));
  const torch::Tensor index = torch::tensor(idx, torch::kInt64);
  TrainingBatch b;
  auto take = [&](const torch::Tensor& t) { return t.defined() ? t.index_select(0, index) : torch::Tensor(); };
  b.latents = take(all_.latents);
  b.encoder_hidden_states = take(all_.encoder_hidden_states);
  b.pixels = take(all_.pixels);
  b.input_ids = take(all_.input_ids);
  return b;
}

std::string InMemoryDataSource::describe() const {
  return std::to_string(n_) + (all_.precomputed() ? " precomputed samples" : " image samples") +
         (shuffle_ ? ", shuffled per epoch" : ", in order");
}

namespace {

// Reads one tensor as float32 after checking its rank; a defensive reader for files from anywhere.
torch::Tensor read_float(const io::SafetensorsFile& f, const std::string& name, int64_t rank) {
  if (!f.contains(name)) {
    throw Error(f.path() + " has no tensor '" + name + "'",
                "a latents file holds 'latents' [N, C, h, w] and 'encoder_hidden_states' [N, T, D] (or 'input_ids' [N, T])");
  }
  const auto shape = f.shape(name);
  if (static_cast<int64_t>(shape.size()) != rank) {
    throw Error(f.path() + ": '" + name + "' has " + std::to_string(shape.size()) + " dimensions, expected " +
                std::to_string(rank));
  }
  const std::string dtype = f.dtype(name);
  if (dtype != "F32" && dtype != "F16" && dtype != "BF16") {
    throw Error(f.path() + ": '" + name + "' is " + dtype + ", expected a floating-point tensor");
  }
  return f.get(name).to(torch::kFloat32);
}

// One MDS stream addressed by stream position: position p is the sample at p % epoch_size of
// epoch p / epoch_size in mosaicml-streaming's deterministic order with one canonical node, so the
// order never depends on the number of ranks. Samples are read by offset (one pread into a reused
// buffer; shards stay open in the dataset's cache, hashes checked the first time a shard is
// opened).
class MdsStreamSource : public DataSource {
 public:
  MdsStreamSource(const std::string& dir, bool shuffle, uint64_t seed, const std::string& what) : dataset_(dir) {
    for (const auto& shard : dataset_.index().shards) mix_.shard_samples.push_back(shard.samples);
    options_.shuffle = shuffle;
    options_.seed = seed;
    options_.num_canonical_nodes = 1;
    if (dataset_.num_samples() == 0) throw Error(dir + " holds no samples", "write the " + what + " shards first");
    epoch_size_ = static_cast<int64_t>(shards::compute_epoch_order({mix_}, options_, 0).global.size());
  }
  int64_t samples_per_epoch() const override { return epoch_size_; }

 protected:
  // The sample at stream position p (valid until the next call).
  shards::MdsSampleView view_at(int64_t p) {
    const int64_t epoch = p / epoch_size_;
    if (epoch != order_epoch_) {
      order_ = shards::compute_epoch_order({mix_}, options_, static_cast<uint64_t>(epoch));
      order_epoch_ = epoch;
    }
    const uint64_t sample = order_.global.at(static_cast<size_t>(p % epoch_size_)).sample;
    const auto [shard_index, index] = dataset_.locate(sample);
    if (!shard_ || shard_index != shard_index_) {
      shard_ = dataset_.load_shard(shard_index);
      shard_index_ = shard_index;
    }
    return shard_->sample(index, scratch_);
  }

  // The column's index, the same in every shard, with one of the `allowed` encodings (any when
  // empty).
  size_t column_index(const char* column, std::initializer_list<shards::MdsEncoding::Kind> allowed = {}) const {
    size_t found = 0;
    for (size_t s = 0; s < dataset_.num_shards(); ++s) {
      const auto& info = dataset_.index().shards[s];
      const auto it = std::find(info.column_names.begin(), info.column_names.end(), column);
      if (it == info.column_names.end()) {
        throw Error(dataset_.dir() + ": shard " + std::to_string(s) + " has no column '" + column + "'",
                    "check the column names with `tessera shards inspect`");
      }
      const size_t c = static_cast<size_t>(it - info.column_names.begin());
      if (allowed.size() != 0 && std::find(allowed.begin(), allowed.end(), info.encodings[c].kind) == allowed.end()) {
        throw Error(dataset_.dir() + ": column '" + column + "' is " + info.column_encodings[c] +
                        ", which this dataset kind cannot read",
                    "image shards come from `tessera shards write`, latent shards from `tessera latents`");
      }
      if (s > 0 && c != found) throw Error(dataset_.dir() + ": the shards disagree on the position of column '" + column + "'");
      found = c;
    }
    return found;
  }

  shards::MdsDataset dataset_;
  std::shared_ptr<const shards::MdsShard> shard_;  // the last shard read (the dataset caches more)

 private:
  shards::StreamMix mix_;
  shards::ShuffleOptions options_;
  int64_t epoch_size_ = 0;
  int64_t order_epoch_ = -1;
  shards::EpochOrder order_;
  size_t shard_index_ = 0;
  std::string scratch_;  // the last sample's bytes, reused
};

// MDS latent shards: columns "latents" (ndarray [C, h, w]) and "encoder_hidden_states"
// (ndarray [T, D]), float16 or float32.
class MdsLatentDataSource : public MdsStreamSource {
 public:
  MdsLatentDataSource(const std::string& dir, bool shuffle, uint64_t seed, bool scale, double latent_scale)
      : MdsStreamSource(dir, shuffle, seed, "latent"), scale_(scale), latent_scale_(latent_scale) {
    latents_column_ = column_index("latents");
    text_column_ = column_index("encoder_hidden_states");
  }
  std::string describe() const override {
    return std::to_string(samples_per_epoch()) + " latent samples in MDS shards at " + dataset_.dir();
  }
  // Converts each sample's fp16 columns straight into one float32 batch tensor per column (F16C
  // where the CPU has it), with the finite check in the same pass. Same values, same order as
  // converting sample by sample.
  TrainingBatch read(int64_t begin, int64_t count) override {
    TORCH_CHECK(count > 0, "read needs at least one sample");
    TrainingBatch b;
    for (int64_t k = 0; k < count; ++k) {
      const shards::MdsSampleView view = view_at(begin + k);
      put(b.latents, k, count, column_view(view, latents_column_, "latents", 3), "latents");
      put(b.encoder_hidden_states, k, count, column_view(view, text_column_, "encoder_hidden_states", 2),
          "encoder_hidden_states");
    }
    if (!scale_) b.latents.mul_(latent_scale_);
    return b;
  }

 private:
  shards::NdArrayView column_view(const shards::MdsSampleView& view, size_t c, const char* column, size_t rank) const {
    const shards::MdsSpan& p = view.payload(c);
    shards::NdArrayView a = shards::decode_ndarray_view(shard_->info().encodings[c], p.data, p.size);
    if (a.shape.size() != rank) {
      throw Error(dataset_.dir() + ": column '" + column + "' has " + std::to_string(a.shape.size()) +
                  " dimensions, expected " + std::to_string(rank));
    }
    if (a.dtype != "float16" && a.dtype != "float32") {
      throw Error(dataset_.dir() + ": column '" + column + "' is " + a.dtype + ", expected float16 or float32");
    }
    return a;
  }

  // Converts one sample's column into row k of the batch tensor, created at the first sample
  // with that sample's shape; every later sample must have the same shape.
  void put(torch::Tensor& batch, int64_t k, int64_t count, const shards::NdArrayView& a, const char* column) const {
    std::vector<int64_t> shape{count};
    for (uint64_t d : a.shape) shape.push_back(static_cast<int64_t>(d));
    if (!batch.defined()) {
      batch = torch::empty(shape, torch::kFloat32);
    } else if (batch.sizes() != torch::IntArrayRef(shape)) {
      throw Error(dataset_.dir() + ": the samples' " + column + " differ in shape within a batch",
                  "write the shards at one resolution");
    }
    const int64_t n = batch.numel() / count;
    float* out = batch.data_ptr<float>() + k * n;
    const bool finite = a.dtype == "float16" ? shards::half_to_float_finite(a.data, static_cast<size_t>(n), out)
                                             : shards::float_copy_finite(a.data, static_cast<size_t>(n), out);
    if (!finite) throw Error(dataset_.dir() + ": a sample's " + column + " holds NaN or infinity");
  }

  bool scale_ = true;
  double latent_scale_ = 1.0;
  size_t latents_column_ = 0;
  size_t text_column_ = 0;
};

// MDS image shards (`tessera shards write`): column "image" (an encoded image file: bytes, jpeg or
// png) and, when a tokenizer is given, "caption" (str) tokenized to input_ids. Each image is
// decoded (JPEG at the smallest DCT scale that keeps the short side >= side), centre-cropped to a
// square and resized to side x side (Lanczos3), as `tessera latents` prepares images, then mapped
// to [-1, 1]. Decoding runs on the intra-op thread pool. An image that does not decode stops
// training with an error naming its position.
class MdsImageDataSource : public MdsStreamSource {
 public:
  MdsImageDataSource(const std::string& dir, bool shuffle, uint64_t seed, int64_t side, const std::string& tokenizer_dir)
      : MdsStreamSource(dir, shuffle, seed, "image"), side_(side) {
    using K = shards::MdsEncoding::Kind;
    image_column_ = column_index("image", {K::kBytes, K::kJpeg, K::kPng});
    if (!tokenizer_dir.empty()) {
      caption_column_ = column_index("caption", {K::kStr});
      tokenizer_ = std::make_unique<CLIPTokenizer>(CLIPTokenizer::from_folder(tokenizer_dir));
    }
  }
  std::string describe() const override {
    return std::to_string(samples_per_epoch()) + " images in MDS shards at " + dataset_.dir() + ", at " +
           std::to_string(side_) + " px";
  }
  TrainingBatch read(int64_t begin, int64_t count) override {
    TORCH_CHECK(count > 0, "read needs at least one sample");
    const size_t n = static_cast<size_t>(count);
    std::vector<std::string> files(n), captions(n), errors(n);
    for (size_t k = 0; k < n; ++k) {
      const shards::MdsSampleView view = view_at(begin + static_cast<int64_t>(k));
      const shards::MdsSpan& image = view.payload(image_column_);
      files[k].assign(reinterpret_cast<const char*>(image.data), image.size);
      if (tokenizer_) {
        const shards::MdsSpan& caption = view.payload(caption_column_);
        captions[k].assign(reinterpret_cast<const char*>(caption.data), caption.size);
      }
    }
    torch::Tensor rgb = torch::empty({count, side_, side_, 3}, torch::kUInt8);
    at::parallel_for(0, count, 1, [&](int64_t lo, int64_t hi) {
      for (int64_t k = lo; k < hi; ++k) {
        try {
          const std::string& f = files[static_cast<size_t>(k)];
          const image::Image decoded = image::decode_image(reinterpret_cast<const uint8_t*>(f.data()), f.size(), {},
                                                           nullptr, static_cast<int>(side_));
          const image::Image square = image::center_crop_resize(decoded, static_cast<int>(side_));
          std::memcpy(rgb[k].data_ptr(), square.pixels.data(), square.pixels.size());
        } catch (const std::exception& e) {
          errors[static_cast<size_t>(k)] = e.what();
        }
      }
    });
    for (size_t k = 0; k < n; ++k) {
      if (!errors[k].empty()) {
        throw Error(dataset_.dir() + ": the image at stream position " + std::to_string(begin + static_cast<int64_t>(k)) +
                        " does not decode: " + errors[k],
                    "filter the catalog and write the shards again");
      }
    }
    TrainingBatch b;
    b.pixels = rgb.permute({0, 3, 1, 2}).to(torch::kFloat32).div(127.5).sub(1.0).contiguous();
    if (tokenizer_) {
      const int length = tokenizer_->model_max_length();
      b.input_ids = torch::empty({count, length}, torch::kInt64);
      for (size_t k = 0; k < n; ++k) {
        const auto e = tokenizer_->encode_padded(captions[k], length);
        std::memcpy(b.input_ids[static_cast<int64_t>(k)].data_ptr(), e.input_ids.data(), sizeof(int64_t) * e.input_ids.size());
      }
    }
    return b;
  }

 private:
  int64_t side_;
  size_t image_column_ = 0;
  size_t caption_column_ = 0;
  std::unique_ptr<CLIPTokenizer> tokenizer_;
};

}  // namespace

std::unique_ptr<DataSource> make_data_source(const RunConfig& c) {
  const DatasetSection& d = c.dataset;
  const uint64_t seed = static_cast<uint64_t>(d.shuffle_seed);
  if (d.kind == "synthetic_latents") {
    auto gen = at::make_generator<at::CPUGeneratorImpl>(mix_seed(static_cast<uint64_t>(c.seed), 0x5EED));
    TrainingBatch all;
    all.latents = torch::randn({d.synthetic_samples, d.latent_channels, d.latent_size, d.latent_size}, gen);
    all.encoder_hidden_states = torch::randn({d.synthetic_samples, d.text_tokens, d.text_dim}, gen);
    return std::make_unique<InMemoryDataSource>(std::move(all), d.shuffle, seed);
  }
  if (d.kind == "latents_safetensors") {
    io::SafetensorsFile f(d.path);
    TrainingBatch all;
    all.latents = read_float(f, "latents", 4);
    // Captions as text states, or as token ids for a text encoder trained with the UNet.
    torch::Tensor text;
    if (f.contains("encoder_hidden_states") || !f.contains("input_ids")) {
      text = all.encoder_hidden_states = read_float(f, "encoder_hidden_states", 3);
    } else {
      const auto shape = f.shape("input_ids");
      const std::string dtype = f.dtype("input_ids");
      if (shape.size() != 2 || (dtype != "I64" && dtype != "I32")) {
        throw Error(d.path + ": 'input_ids' must be a [N, T] integer tensor (I64 or I32), not " + dtype);
      }
      text = all.input_ids = f.get("input_ids").to(torch::kInt64);
      if (all.input_ids.numel() > 0 && all.input_ids.min().item<int64_t>() < 0) {
        throw Error(d.path + ": 'input_ids' holds negative token ids");
      }
    }
    if (all.latents.size(0) != text.size(0)) {
      throw Error(d.path + ": " + std::to_string(all.latents.size(0)) + " latents but " + std::to_string(text.size(0)) +
                  " captions");
    }
    if (!torch::isfinite(all.latents).all().item<bool>() ||
        (text.is_floating_point() && !torch::isfinite(text).all().item<bool>())) {
      throw Error(d.path + " holds NaN or infinite values", "recompute the latents");
    }
    // Scale exactly once: files of unscaled VAE latents say so with model.latents_are_scaled: false.
    if (!c.model.latents_are_scaled) all.latents.mul_(c.model.latent_scale);
    return std::make_unique<InMemoryDataSource>(std::move(all), d.shuffle, seed);
  }
  if (d.kind == "mds_latents") {
    // Shards from `tessera latents` record in their index whether and by what factor the latents
    // are scaled; that record wins over model.latents_are_scaled, so latents are scaled exactly once.
    bool scaled = c.model.latents_are_scaled;
    if (const auto info = shards::read_latent_shard_info(d.path)) {
      if (std::abs(info->scaling_factor - c.model.latent_scale) > 1e-6 * c.model.latent_scale) {
        throw Error(d.path + " holds latents of a VAE with scaling factor " + std::to_string(info->scaling_factor) +
                        ", but model.latent_scale is " + std::to_string(c.model.latent_scale),
                    "set model.latent_scale to the VAE's scaling_factor, or recompute the latents");
      }
      scaled = info->latents_are_scaled;
    }
    return std::make_unique<MdsLatentDataSource>(d.path, d.shuffle, seed, scaled, c.model.latent_scale);
  }
  if (d.kind == "mds_images") {
    // Captions are tokenized for a UNet run (its frozen or trained text encoder encodes them).
    std::string tokenizer_dir;
    if (c.model.trains == "unet" && !c.model.pretrained_components.empty()) {
      tokenizer_dir = io::open_diffusers_folder(c.model.pretrained_components).tokenizer_dir();
    }
    return std::make_unique<MdsImageDataSource>(d.path, d.shuffle, seed, c.image_size, tokenizer_dir);
  }
  throw Error("dataset.kind " + d.kind + " is not known", "use latents_safetensors, mds_latents, mds_images or synthetic_latents");
}

}  // namespace tessera::training
