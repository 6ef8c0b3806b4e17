// The facade behind `tessera shards inspect` (tessera/shards.h).

#include "tessera/shards.h"

#include "shards/mds_reader.h"

#include <exception>
#include <new>

namespace tessera {

Status inspect_shards(const std::string& dir, ShardSetSummary* out, const ShardInspectOptions& options) {
  try {
    shards::MdsDataset ds(dir);
    const shards::MdsIndex& index = ds.index();
    ShardSetSummary s;
    s.dir = dir;
    s.samples = ds.num_samples();
    if (!index.shards.empty()) {
      const auto& first = index.shards.front();
      for (size_t c = 0; c < first.column_names.size(); ++c) s.columns.push_back({first.column_names[c], first.column_encodings[c]});
      s.compression = first.compression;
      s.hashes = first.hashes;
    }
    for (size_t i = 0; i < index.shards.size(); ++i) {
      const auto& info = index.shards[i];
      if (info.column_names != index.shards.front().column_names || info.column_encodings != index.shards.front().column_encodings)
        throw Error(ds.shard_path(i) + ": columns differ from the first shard's", "a shard set has one column layout; re-write it");
      ShardFileInfo f;
      f.file = info.zip_data ? info.zip_data->basename : info.raw_data.basename;
      f.samples = info.samples;
      f.raw_bytes = info.raw_data.bytes;
      f.file_bytes = info.zip_data ? info.zip_data->bytes : info.raw_data.bytes;
      s.raw_bytes += f.raw_bytes;
      s.file_bytes += f.file_bytes;
      s.shards.push_back(f);
      auto shard = ds.load_shard(i);
      for (size_t k = 0; k < shard->size(); ++k) {
        const auto sample = shard->sample(k).to_json();
        if (options.dump) options.dump(sample.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
      }
      if (options.progress) options.progress(i, index.shards.size());
    }
    *out = std::move(s);
    return Status();
  } catch (const Error& e) {
    return Status::failure(e.what(), e.hint());
  } catch (const std::bad_alloc&) {
    return Status::failure("out of memory while reading the shard set", "free memory or lower the shard size limit");
  } catch (const std::exception& e) {
    return Status::failure(e.what());
  }
}

}  // namespace tessera
