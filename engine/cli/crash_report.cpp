#include "crash_report.h"

#include <dlfcn.h>
#include <execinfo.h>
#include <unistd.h>
#if defined(__linux__) && (defined(__x86_64__) || defined(__aarch64__))
#include <ucontext.h>
#define TESSERA_CRASH_CONTEXT 1
#endif

#include <csignal>
#include <cstdint>
#include <cstring>
#include <initializer_list>

namespace tessera::cli {
namespace {

void write_text(const char* text) {
  const ssize_t ignored = write(STDERR_FILENO, text, std::strlen(text));
  (void)ignored;
}

volatile sig_atomic_t main_returned = 0;

void write_hex(std::uint64_t v) {
  char buf[2 + 16 + 1];
  buf[0] = '0';
  buf[1] = 'x';
  for (int i = 0; i < 16; ++i) buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 0xf];
  buf[18] = '\0';
  write_text(buf);
}

// Prints the instruction pointer. A jump to a null or wild function pointer leaves the unwinder
// nothing to start from: the instruction pointer is in no loaded object, and unwinding from there
// can fault again (which would end the report). That case is reported from the registers instead,
// and the function returns true: on x86-64 the call pushed the caller's return address on top of
// the stack, and the words below it often hold the callers before; on AArch64 the return address
// is in the link register.
bool reported_jump_into_no_code(void* context) {
#if defined(TESSERA_CRASH_CONTEXT)
  if (context == nullptr) return false;
  const auto* uc = static_cast<const ucontext_t*>(context);
#if defined(__x86_64__)
  const auto pc = static_cast<std::uint64_t>(uc->uc_mcontext.gregs[REG_RIP]);
#else
  const auto pc = static_cast<std::uint64_t>(uc->uc_mcontext.pc);
#endif
  write_text("tessera: instruction pointer ");
  write_hex(pc);
  write_text("\n");
  Dl_info where{};
  if (pc >= 4096 && dladdr(reinterpret_cast<void*>(static_cast<uintptr_t>(pc)), &where) != 0) return false;
#if defined(__x86_64__)
  write_text("tessera: it is in no loaded code; the stack's top words (return addresses among them name the callers):\n");
  auto* const* sp = reinterpret_cast<void* const*>(uc->uc_mcontext.gregs[REG_RSP]);
  backtrace_symbols_fd(sp, 24, STDERR_FILENO);
#else
  write_text("tessera: it is in no loaded code; the link register (the caller):\n");
  void* lr = reinterpret_cast<void*>(static_cast<uintptr_t>(uc->uc_mcontext.regs[30]));
  backtrace_symbols_fd(&lr, 1, STDERR_FILENO);
#endif
  return true;
#else
  (void)context;
  return false;
#endif
}

void on_fatal_signal(int sig, siginfo_t* info, void* context) {
  // Only async-signal-safe calls (backtrace() was called once before, so that it does not load
  // libgcc, and so allocate, here).
  write_text("tessera: fatal signal ");
  const char* name = sig == SIGSEGV ? "SIGSEGV" : sig == SIGBUS ? "SIGBUS" : sig == SIGILL ? "SIGILL" : sig == SIGFPE ? "SIGFPE" : "SIGABRT";
  write_text(name);
  if (main_returned) write_text(" after main() returned (while the process was exiting: static destructors, library unload)");
  if ((sig == SIGSEGV || sig == SIGBUS) && info != nullptr) {
    write_text("; address ");
    write_hex(reinterpret_cast<uintptr_t>(info->si_addr));
  }
  write_text("\n");
  if (!reported_jump_into_no_code(context)) {
    write_text("tessera: backtrace of the crashing thread:\n");
    void* frames[64];
    const int n = backtrace(frames, 64);
    backtrace_symbols_fd(frames, n, STDERR_FILENO);
  }
  std::signal(sig, SIG_DFL);
  raise(sig);
}

}  // namespace

void install_crash_report() {
  void* warm[1];
  (void)backtrace(warm, 1);
  // Its own stack, so that a stack overflow on the main thread is reported too.
  static char alt_stack[1 << 16];
  stack_t ss{};
  ss.ss_sp = alt_stack;
  ss.ss_size = sizeof alt_stack;
  (void)sigaltstack(&ss, nullptr);
  struct sigaction sa {};
  sa.sa_sigaction = on_fatal_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND;
  for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) sigaction(sig, &sa, nullptr);
}

void note_main_returned() { main_returned = 1; }

}  // namespace tessera::cli
