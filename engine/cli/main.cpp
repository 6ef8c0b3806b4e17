// tessera: the headless engine CLI that runs on every GPU node (no Qt).

#include "commands.h"
#include "crash_report.h"

#include "tessera/error.h"
#include "tessera/runtime.h"
#include "tessera/version.h"

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

namespace {

using tessera::cli::Command;

std::vector<Command> all_commands() {
  return {tessera::cli::make_version_command(), tessera::cli::make_demo_command(),
          tessera::cli::make_inspect_command(), tessera::cli::make_shards_command(), tessera::cli::make_generate_command(), tessera::cli::make_dataset_command(), tessera::cli::make_latents_command(),
          tessera::cli::make_bench_command(), tessera::cli::make_train_command(), tessera::cli::make_export_command(), tessera::cli::make_net_check_command()};
}

void print_overview(const std::vector<Command>& commands) {
  std::cout << "tessera " TESSERA_VERSION_STRING
               " -- train and run Stable-Diffusion-class image models on your own data\n\n"
               "usage: tessera <command> [flags]\n\ncommands:\n";
  for (const auto& c : commands) {
    std::string name = "  " + c.name;
    name.resize(14, ' ');
    std::cout << name << c.summary << "\n";
  }
  std::cout << "\nflags for every command:\n"
               "  --threads N   intra-op CPU threads (default: all cores)\n"
               "  --help        help for the command\n\n"
               "'tessera <command> --help' shows a command's flags.\n";
}

}  // namespace

namespace tessera::cli {

int apply_threads(const ParsedArgs& args) {
  const int requested = static_cast<int>(args.get_int("threads", 0, 1, 4096));
  return tessera::configure_threads(requested);
}

}  // namespace tessera::cli

namespace {

int run_main(int argc, char** argv) {
  // Training and generation steps re-allocate the same activations every step: keep freed memory
  // mapped for reuse rather than faulting it in again (see runtime.h).
  (void)tessera::keep_freed_memory_for_reuse();
  const std::vector<Command> commands = all_commands();
  std::vector<std::string> words(argv + 1, argv + argc);
  try {
    if (words.empty()) {
      print_overview(commands);
      return 2;
    }
    const std::string first = words.front();
    if (first == "--help" || first == "-h" || first == "help") {
      if (first == "help" && words.size() > 1) {
        for (const auto& c : commands)
          if (c.name == words[1]) {
            std::cout << tessera::cli::command_help(c);
            return 0;
          }
        throw tessera::cli::UsageError("unknown command '" + words[1] + "' (see 'tessera --help')");
      }
      print_overview(commands);
      return 0;
    }
    if (first == "--version") words.front() = "version";
    // Common flags may also stand before the command: "tessera --threads 4 demo".
    std::vector<std::string> leading;
    while (!words.empty() && (words.front() == "--threads" || words.front().rfind("--threads=", 0) == 0)) {
      const size_t take = words.front() == "--threads" ? 2 : 1;
      if (words.size() <= take) throw tessera::cli::UsageError("--threads needs a value and a command after it");
      leading.insert(leading.end(), words.begin(), words.begin() + static_cast<long>(take));
      words.erase(words.begin(), words.begin() + static_cast<long>(take));
    }
    words.insert(words.begin() + 1, leading.begin(), leading.end());
    if (!words.front().empty() && words.front()[0] == '-') {
      throw tessera::cli::UsageError("unknown flag '" + words.front() + "' (see 'tessera --help')");
    }

    for (const auto& c : commands) {
      if (c.name != words.front()) continue;
      const std::vector<std::string> rest(words.begin() + 1, words.end());
      const auto parsed = tessera::cli::parse_flags(c.name, rest, c.flags, c.min_positionals, c.max_positionals);
      if (parsed.has("help")) {
        std::cout << tessera::cli::command_help(c);
        return 0;
      }
      tessera::cli::apply_threads(parsed);
      return c.run(parsed);
    }
    throw tessera::cli::UsageError("unknown command '" + words.front() + "' (see 'tessera --help')");
  } catch (const tessera::cli::UsageError& e) {
    std::cerr << "tessera: " << e.what() << "\n";
    return 2;
  } catch (...) {
    // Commands report their own failures; this is the last line of defence.
    std::cerr << "tessera: " << tessera::status_from_current_exception().to_string() << "\n";
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  tessera::cli::install_crash_report();
  const int rc = run_main(argc, argv);
  // Everything the command wrote reaches its pipe or file now, before the process tears down.
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  tessera::cli::note_main_returned();
  return rc;
}
