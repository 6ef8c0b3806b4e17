// tessera demo: the demo project, run end to end with what exists today.

#include "commands.h"

#include "tessera/demo.h"

#include <csignal>
#include <iostream>

namespace tessera::cli {
namespace {

volatile std::sig_atomic_t g_interrupted = 0;
void on_sigint(int) { g_interrupted = 1; }

}  // namespace

Command make_demo_command() {
  Command c;
  c.name = "demo";
  c.usage = "tessera demo [--work-dir DIR] [--threads N]";
  c.summary = "run the demo project end to end (says which stages are not implemented yet)";
  c.flags = {{"work-dir", "DIR", "where the demo writes its files (default: ./tessera-demo)"}};
  c.run = [](const ParsedArgs& args) {
    std::signal(SIGINT, on_sigint);
    DemoOptions options;
    options.work_dir = args.get("work-dir", "tessera-demo");
    options.log = [](const std::string& line) { std::cout << line << std::endl; };
    options.cancelled = [] { return g_interrupted != 0; };
    DemoReport report;
    const Status status = run_demo(options, &report);
    if (!status.ok()) {
      std::cerr << "tessera: demo failed: " << status.to_string() << "\n";
      return 1;
    }
    int pending = 0;
    for (const auto& s : report.stages) pending += s.implemented ? 0 : 1;
    std::cout << "demo: " << (report.stages.size() - pending) << " stage(s) ran, " << pending
              << " not implemented yet\n";
    return 0;
  };
  return c;
}

}  // namespace tessera::cli
