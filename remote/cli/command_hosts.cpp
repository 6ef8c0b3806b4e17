// tessera-remote hosts check: the launch preflight on its own, for scripts and for a first setup.

#include "cli_common.h"
#include "commands.h"

#include "tessera/remote/command_runner.h"
#include "tessera/remote/preflight.h"

#include <cstdio>
#include <memory>
#include <vector>

namespace tessera::remote::cli {
namespace {

const char* const kHelp =
    "usage: tessera-remote hosts check DEST... [flags]\n"
    "\n"
    "Checks each host as a launch would: the tessera binary and its version, free GPUs, disk space\n"
    "in the run directory, and (with several hosts) that every host reaches the first one on the\n"
    "rendezvous port. Prints one line per check; exits 1 when any fails. DEST is [user@]host[:port],\n"
    "an ~/.ssh/config alias, or 'localhost' for this machine.\n"
    "\n"
    "flags:\n"
    "  --tessera PATH        the tessera binary on the hosts (default: tessera on PATH)\n"
    "  --run-dir DIR         where the run would write (default: the login folder)\n"
    "  --ranks-per-host N    GPUs needed per host (default 1)\n"
    "  --cpu                 a CPU run: no GPU check\n"
    "  --master-port N       rendezvous port (default 29500)\n"
    "  --min-free-gib N      disk space needed (default 20)\n";

}  // namespace

int runHosts(const QStringList& args) {
  const Flags f(QStringLiteral("hosts"), args,
                {{QStringLiteral("tessera"), true}, {QStringLiteral("run-dir"), true}, {QStringLiteral("ranks-per-host"), true},
                 {QStringLiteral("cpu"), false}, {QStringLiteral("master-port"), true}, {QStringLiteral("min-free-gib"), true}},
                2, -1);
  if (f.has(QStringLiteral("help"))) {
    std::fputs(kHelp, stdout);
    std::fputs(kConnectionFlagsHelp, stdout);
    return 0;
  }
  if (f.positionals().first() != QLatin1String("check"))
    throw UsageError(QStringLiteral("'hosts' knows the subcommand 'check', not '%1'").arg(f.positionals().first()));
  const ConnectOptions options = connectOptions(f);
  std::vector<std::unique_ptr<SshSession>> sessions;
  std::vector<std::unique_ptr<CommandRunner>> runners;
  for (const QString& dest : f.positionals().mid(1)) {
    if (dest == QLatin1String("localhost")) {
      runners.push_back(std::make_unique<LocalRunner>(options.localEnvironment));
      continue;
    }
    SshParameters p = options.base;
    if (!p.setDestination(dest)) throw UsageError(QStringLiteral("invalid host '%1'").arg(dest));
    if (!options.base.user.isEmpty() && !dest.contains(QLatin1Char('@'))) p.user = options.base.user;
    auto s = std::make_unique<SshSession>(p);
    s->setUnknownHostKeyHandler(options.acceptUnknownHostKey);
    if (!s->connectToHost()) throw Failure(QStringLiteral("%1: %2").arg(dest, s->errorString()));
    runners.push_back(std::make_unique<SshRunner>(*s));
    sessions.push_back(std::move(s));
  }
  PreflightOptions o;
  o.tesseraPath = f.value(QStringLiteral("tessera"), QStringLiteral("tessera"));
  o.runDir = f.value(QStringLiteral("run-dir"), QStringLiteral("."));
  o.gpusPerHost = f.has(QStringLiteral("cpu")) ? 0 : f.intValue(QStringLiteral("ranks-per-host"), 1, 1, 256);
  o.rendezvousPort = f.intValue(QStringLiteral("master-port"), 29500, 1, 65535);
  o.minFreeBytes = qint64(f.intValue(QStringLiteral("min-free-gib"), 20, 0, 1 << 20)) << 30;
  std::vector<CommandRunner*> raw;
  for (auto& r : runners) raw.push_back(r.get());
  const PreflightReport report = runPreflight(raw, o);
  printLine(report.toText());
  return report.ok() ? 0 : 1;
}

}  // namespace tessera::remote::cli
