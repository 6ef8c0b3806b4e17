#include "core/remove_tree.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace tessera {
namespace {

std::error_code last_error() { return {errno, std::generic_category()}; }

// Removes everything inside the directory open as `fd` (which it takes over and closes), counting
// into `removed`. Returns false with `ec` set on the first error.
bool clear_directory(int fd, std::uintmax_t& removed, std::error_code& ec) {
  DIR* dir = fdopendir(fd);
  if (dir == nullptr) {
    ec = last_error();
    close(fd);
    return false;
  }
  const int at = dirfd(dir);
  bool ok = true;
  for (;;) {
    errno = 0;
    const dirent* entry = readdir(dir);
    if (entry == nullptr) {
      if (errno != 0) {
        ec = last_error();
        ok = false;
      }
      break;
    }
    const char* name = entry->d_name;
    if (std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0) continue;
    struct stat st {};
    if (fstatat(at, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) continue;  // gone meanwhile
      ec = last_error();
      ok = false;
      break;
    }
    int flags = 0;
    if (S_ISDIR(st.st_mode)) {
      const int sub = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub < 0) {
        if (errno == ENOENT) continue;  // gone meanwhile
        ec = last_error();
        ok = false;
        break;
      }
      if (!clear_directory(sub, removed, ec)) {
        ok = false;
        break;
      }
      flags = AT_REMOVEDIR;
    }
    if (unlinkat(at, name, flags) != 0) {
      if (errno == ENOENT) continue;
      ec = last_error();
      ok = false;
      break;
    }
    ++removed;
  }
  closedir(dir);
  return ok;
}

}  // namespace

std::uintmax_t remove_tree(const std::filesystem::path& path, std::error_code& ec) noexcept {
  ec.clear();
  // "dir/" names the folder a link called "dir" points to; the link itself is meant.
  std::string name = path.native();
  while (name.size() > 1 && name.back() == '/') name.pop_back();
  const char* p = name.c_str();
  struct stat st {};
  if (lstat(p, &st) != 0) {
    if (errno != ENOENT) ec = last_error();
    return 0;
  }
  std::uintmax_t removed = 0;
  if (S_ISDIR(st.st_mode)) {
    const int fd = open(p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
      ec = last_error();
      return 0;
    }
    if (!clear_directory(fd, removed, ec)) return removed;
    if (rmdir(p) != 0) {
      if (errno != ENOENT) ec = last_error();
      return removed;
    }
  } else if (unlink(p) != 0) {
    if (errno != ENOENT) ec = last_error();
    return 0;
  }
  return removed + 1;
}

std::uintmax_t remove_tree(const std::filesystem::path& path) {
  std::error_code ec;
  const std::uintmax_t removed = remove_tree(path, ec);
  if (ec) throw std::filesystem::filesystem_error("cannot remove", path, ec);
  return removed;
}

}  // namespace tessera
