#pragma once
// Files that appear complete or not at all: data goes to a temporary file in the same folder,
// is flushed to disk, and is renamed over the target only on commit(). Used for every file a
// user keeps (images, weights, checkpoints), so an interrupted write never leaves half a file.

#include <cstddef>
#include <string>

namespace tessera {

class AtomicFileWriter {
 public:
  // Creates the temporary file next to `path`; throws tessera::Error when it cannot.
  explicit AtomicFileWriter(std::string path);
  // Without commit(), the temporary file is removed and `path` is left as it was.
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  void write(const void* data, size_t size);
  // fsync, then rename into place. Throws on failure (the target is then untouched).
  void commit();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::string temp_path_;
  int fd_ = -1;
  bool committed_ = false;
};

void write_file_atomically(const std::string& path, const void* data, size_t size);

}  // namespace tessera
