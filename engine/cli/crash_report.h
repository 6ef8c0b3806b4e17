#pragma once
// A crash (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT) prints which signal and a backtrace of the
// crashing thread on stderr before the process dies as it would have: on a cluster node the log
// is often all there is to go on.

namespace tessera::cli {

void install_crash_report();

// Called once main() has its exit code: a crash after it happened while the process was tearing
// down (static destructors, library unload), and the report says so.
void note_main_returned();

}  // namespace tessera::cli
