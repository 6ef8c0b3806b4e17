#include "io/safetensors.h"

#include "core/atomic_file.h"

#include "io/pickle_guard.h"
#include "tessera/error.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace tessera::io {

// A read-only private mapping of the whole file; unmapped with the last SafetensorsFile copy.
struct SafetensorsFile::Mapping {
  const uint8_t* data = nullptr;
  size_t size = 0;
  Mapping() = default;
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  ~Mapping() {
    if (data != nullptr) munmap(const_cast<uint8_t*>(data), size);
  }
};

namespace {

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

std::string errno_text() { return std::strerror(errno); }

// Hands the whole pages inside [begin, end) of a private read-only file mapping back to the
// kernel after they were copied: they stay in the page cache, but stop counting in our RSS.
void release_pages(const uint8_t* base, uint64_t begin, uint64_t end) {
  static const uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  const uint64_t first = (begin + page - 1) / page * page;
  const uint64_t last = end / page * page;
  if (last > first) madvise(const_cast<uint8_t*>(base) + first, last - first, MADV_DONTNEED);
}

}  // namespace

std::string safetensors_dtype(torch::ScalarType type) {
  switch (type) {
    case torch::kFloat64: return "F64";
    case torch::kFloat32: return "F32";
    case torch::kFloat16: return "F16";
    case torch::kBFloat16: return "BF16";
    case torch::kInt64: return "I64";
    case torch::kInt32: return "I32";
    case torch::kInt16: return "I16";
    case torch::kInt8: return "I8";
    case torch::kUInt8: return "U8";
    case torch::kBool: return "BOOL";
    default:
      throw Error(std::string("safetensors has no dtype for LibTorch's ") + c10::toString(type),
                  "convert the tensor to a supported dtype (F64/F32/F16/BF16/I64/I32/I16/I8/U8/BOOL) first");
  }
}

torch::ScalarType torch_dtype(const std::string& dtype) {
  if (dtype == "F64") return torch::kFloat64;
  if (dtype == "F32") return torch::kFloat32;
  if (dtype == "F16") return torch::kFloat16;
  if (dtype == "BF16") return torch::kBFloat16;
  if (dtype == "I64") return torch::kInt64;
  if (dtype == "I32") return torch::kInt32;
  if (dtype == "I16") return torch::kInt16;
  if (dtype == "I8") return torch::kInt8;
  if (dtype == "U8") return torch::kUInt8;
  if (dtype == "BOOL") return torch::kBool;
  throw Error("safetensors dtype '" + dtype + "' has no LibTorch equivalent",
              "convert the tensor to F32/F16/BF16/I64/I32/I16/I8/U8/BOOL when exporting");
}

SafetensorsFile::SafetensorsFile(const std::string& path) : path_(path) {
  refuse_pickle(path);
  Fd file;
  file.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (file.fd < 0) {
    throw Error(path + ": cannot open (" + errno_text() + ")", "check the path and its permissions");
  }
  struct stat st {};
  if (::fstat(file.fd, &st) != 0) throw Error(path + ": cannot stat (" + errno_text() + ")");
  if (S_ISDIR(st.st_mode)) {
    throw Error(path + ": is a folder, not a .safetensors file", "name the weight file inside it");
  }
  if (!S_ISREG(st.st_mode)) throw Error(path + ": not a regular file");
  const auto size = static_cast<uint64_t>(st.st_size);
  if (size < 8) {
    throw Error(path + ": file is " + std::to_string(size) + " bytes, too small for a safetensors header",
                "the file is damaged or not a safetensors file; re-download or re-export it");
  }
  void* addr = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, file.fd, 0);
  if (addr == MAP_FAILED) throw Error(path + ": cannot map the file (" + errno_text() + ")");
  auto mapping = std::make_shared<Mapping>();
  mapping->data = static_cast<const uint8_t*>(addr);
  mapping->size = size;
  map_ = std::move(mapping);
  header_ = parse_safetensors(map_->data, map_->size, path);
  // Release the header pages too: SafetensorsFile keeps only the parsed header.
  release_pages(map_->data, 0, header_.data_offset);
}

std::vector<std::string> SafetensorsFile::names() const {
  std::vector<std::string> out;
  out.reserve(header_.tensors.size());
  for (const auto& e : header_.tensors) out.push_back(e.name);
  return out;
}

bool SafetensorsFile::contains(const std::string& name) const {
  auto it = std::lower_bound(header_.tensors.begin(), header_.tensors.end(), name,
                             [](const TensorEntry& e, const std::string& n) { return e.name < n; });
  return it != header_.tensors.end() && it->name == name;
}

const TensorEntry& SafetensorsFile::entry(const std::string& name) const {
  auto it = std::lower_bound(header_.tensors.begin(), header_.tensors.end(), name,
                             [](const TensorEntry& e, const std::string& n) { return e.name < n; });
  if (it == header_.tensors.end() || it->name != name) {
    throw Error(path_ + ": no tensor named '" + name + "'",
                "run 'tessera inspect " + path_ + "' to list the tensors it holds");
  }
  return *it;
}

std::vector<int64_t> SafetensorsFile::shape(const std::string& name) const { return entry(name).shape; }

std::string SafetensorsFile::dtype(const std::string& name) const { return entry(name).dtype; }

torch::Tensor SafetensorsFile::get(const std::string& name) const {
  const TensorEntry& e = entry(name);
  torch::ScalarType type;
  try {
    type = torch_dtype(e.dtype);
  } catch (const Error& err) {
    throw Error(path_ + ": tensor '" + name + "': " + err.what(), err.hint());
  }
  torch::Tensor t = torch::empty(e.shape, torch::TensorOptions().dtype(type).device(torch::kCPU));
  const uint8_t* src = map_->data + header_.data_offset + e.begin;
  if (e.nbytes() > 0) std::memcpy(t.data_ptr(), src, static_cast<size_t>(e.nbytes()));
  if (type == torch::kBool) {
    // A bool byte other than 0/1 is undefined behaviour in LibTorch's kernels.
    if (std::any_of(src, src + e.nbytes(), [](uint8_t b) { return b > 1; })) {
      throw Error(path_ + ": tensor '" + name + "' holds BOOL bytes other than 0 and 1",
                  "the file is damaged; re-download or re-export it");
    }
  }
  release_pages(map_->data, header_.data_offset + e.begin, header_.data_offset + e.end);
  return t;
}

void save_safetensors(const std::string& path, const std::vector<std::pair<std::string, torch::Tensor>>& tensors,
                      const std::map<std::string, std::string>& metadata) {
  std::vector<torch::Tensor> cpu;
  std::vector<TensorSpec> specs;
  cpu.reserve(tensors.size());
  specs.reserve(tensors.size());
  for (const auto& [name, tensor] : tensors) {
    if (!tensor.defined()) throw Error("cannot save tensor '" + name + "': it is undefined");
    if (tensor.layout() != torch::kStrided) throw Error("cannot save tensor '" + name + "': it is not a dense tensor");
    torch::Tensor t = tensor.detach().to(torch::kCPU).contiguous();
    TensorSpec s;
    s.name = name;
    s.dtype = safetensors_dtype(t.scalar_type());
    s.shape = t.sizes().vec();
    s.nbytes = static_cast<uint64_t>(t.numel()) * t.element_size();
    specs.push_back(std::move(s));
    cpu.push_back(std::move(t));
  }
  std::vector<size_t> order;
  const std::string header = build_safetensors_header(specs, metadata, &order);

  // Written to a temporary file, flushed and renamed: a file appears complete or not at all.
  AtomicFileWriter file(path);
  file.write(header.data(), header.size());
  for (size_t i : order) {
    if (specs[i].nbytes > 0) file.write(cpu[i].data_ptr(), static_cast<size_t>(specs[i].nbytes));
  }
  file.commit();
}

}  // namespace tessera::io
