// Preloaded into `tessera bench` by tst_cli_bench: a benchmark child process (the one with
// --child among its arguments) jumps to a null function pointer while it exits, after main()
// has returned. The parent is left alone.
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstring>

namespace {

using Callback = void (*)();
Callback volatile null_callback = nullptr;

bool is_benchmark_child() {
  char buf[4096];
  const int fd = open("/proc/self/cmdline", O_RDONLY);
  if (fd < 0) return false;
  const ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return false;
  buf[n] = '\0';
  for (ssize_t i = 0; i < n;) {
    if (std::strcmp(buf + i, "--child") == 0) return true;
    i += static_cast<ssize_t>(std::strlen(buf + i)) + 1;
  }
  return false;
}

int volatile calls_returned = 0;

// Not a tail call: the return address into this library is on the stack when the jump faults.
__attribute__((noinline)) void call_null_callback() {
  null_callback();
  calls_returned = calls_returned + 1;
}

__attribute__((destructor)) void crash_while_exiting() {
  if (!is_benchmark_child()) return;
  const struct rlimit no_core {0, 0};  // no core file of a LibTorch process per test run
  setrlimit(RLIMIT_CORE, &no_core);
  call_null_callback();
}

}  // namespace
