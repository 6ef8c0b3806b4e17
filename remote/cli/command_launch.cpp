// tessera-remote launch: the flags into a RunLaunchRequest; launchRun (the same as the studio's
// launch dialog) uploads the config, checks the hosts, starts the run and records it.

#include "cli_common.h"
#include "commands.h"

#include "tessera/remote/run_launch.h"

#include <QFileInfo>

namespace tessera::remote::cli {
namespace {

const char* const kHelp =
    "usage: tessera-remote launch --launcher local|ssh|slurm [--host DEST]... --run-dir DIR --config FILE [flags]\n"
    "\n"
    "Copies FILE to DIR/config.yaml on the hosts, checks them (tessera binary, GPUs, disk, rendezvous\n"
    "port), starts `tessera train --config DIR/config.yaml --run-dir DIR --resume auto` on every rank,\n"
    "and records the run in the registry. Prints the run id.\n"
    "\n"
    "flags:\n"
    "  --launcher KIND          local (this machine), ssh (one process per rank on each --host),\n"
    "                           slurm (sbatch on the login host given by --host, or here)\n"
    "  --host DEST              [user@]host[:port] or an ~/.ssh/config alias; repeat for several hosts\n"
    "  --run-dir DIR            run directory on the hosts (absolute, or relative to the login folder)\n"
    "  --config FILE            the run config (YAML) on this machine\n"
    "  --name NAME              what to call the run (default: the config file's name)\n"
    "  --ranks-per-host N       processes per host, one per GPU (default 1)\n"
    "  --cpu                    a CPU run: no GPU check (Gloo between the ranks)\n"
    "  --tessera PATH           the tessera binary on the hosts (default: tessera on PATH)\n"
    "  --master-addr ADDR       rendezvous address (default: the first host)\n"
    "  --master-port N          rendezvous port (default 29500)\n"
    "  --env NAME=VALUE         extra environment for every rank (repeatable)\n"
    "  --nodes N, --partition P, --account A, --time [D-]HH:MM:SS, --sbatch-line '#SBATCH ...'\n"
    "                           Slurm job settings (--sbatch-line repeatable)\n"
    "  --skip-preflight         launch without checking the hosts first\n"
    "  --min-free-gib N         disk space the preflight asks for (default 20)\n";

}  // namespace

int runLaunch(const QStringList& args) {
  const Flags f(QStringLiteral("launch"), args,
                {{QStringLiteral("launcher"), true}, {QStringLiteral("host"), true, true}, {QStringLiteral("run-dir"), true},
                 {QStringLiteral("config"), true}, {QStringLiteral("name"), true}, {QStringLiteral("ranks-per-host"), true},
                 {QStringLiteral("cpu"), false}, {QStringLiteral("tessera"), true}, {QStringLiteral("master-addr"), true},
                 {QStringLiteral("master-port"), true}, {QStringLiteral("env"), true, true}, {QStringLiteral("nodes"), true},
                 {QStringLiteral("partition"), true}, {QStringLiteral("account"), true}, {QStringLiteral("time"), true},
                 {QStringLiteral("sbatch-line"), true, true}, {QStringLiteral("skip-preflight"), false},
                 {QStringLiteral("min-free-gib"), true}},
                0, 0);
  if (f.has(QStringLiteral("help"))) {
    std::fputs(kHelp, stdout);
    std::fputs(kConnectionFlagsHelp, stdout);
    return 0;
  }
  const QString kind = f.value(QStringLiteral("launcher"));
  if (kind != QLatin1String("local") && kind != QLatin1String("ssh") && kind != QLatin1String("slurm"))
    throw UsageError(QStringLiteral("--launcher must be local, ssh or slurm"));
  const QString runDir = f.value(QStringLiteral("run-dir"));
  const QString config = f.value(QStringLiteral("config"));
  if (runDir.isEmpty() || config.isEmpty()) throw UsageError(QStringLiteral("launch needs --run-dir and --config"));
  const QStringList destinations = f.values(QStringLiteral("host"));
  if (kind == QLatin1String("ssh") && destinations.isEmpty()) throw UsageError(QStringLiteral("--launcher ssh needs at least one --host"));
  if (kind == QLatin1String("local") && !destinations.isEmpty()) throw UsageError(QStringLiteral("--launcher local takes no --host"));
  if (kind == QLatin1String("slurm") && destinations.size() > 1) throw UsageError(QStringLiteral("--launcher slurm takes one --host (the login node)"));

  for (const QString& dest : destinations) {
    SshParameters p;
    if (!p.setDestination(dest)) throw UsageError(QStringLiteral("invalid host '%1'").arg(dest));
  }

  LaunchSpec spec;
  spec.runName = f.value(QStringLiteral("name"), QFileInfo(config).completeBaseName());
  spec.runDir = runDir;
  spec.tesseraPath = f.value(QStringLiteral("tessera"), QStringLiteral("tessera"));
  spec.gpusPerHost = f.intValue(QStringLiteral("ranks-per-host"), 1, 1, 256);
  spec.masterAddr = f.value(QStringLiteral("master-addr"));
  spec.masterPort = f.intValue(QStringLiteral("master-port"), 29500, 1, 65535);
  for (const QString& kv : f.values(QStringLiteral("env"))) {
    const int eq = kv.indexOf(QLatin1Char('='));
    if (eq <= 0) throw UsageError(QStringLiteral("--env expects NAME=VALUE, got '%1'").arg(kv));
    spec.environment.insert(kv.left(eq), kv.mid(eq + 1));
  }
  spec.nodes = f.intValue(QStringLiteral("nodes"), 1, 1, 100000);
  spec.partition = f.value(QStringLiteral("partition"));
  spec.account = f.value(QStringLiteral("account"));
  spec.timeLimit = f.value(QStringLiteral("time"));
  spec.extraSbatchLines = f.values(QStringLiteral("sbatch-line"));

  RunLaunchRequest request;
  request.launcher = kind;
  request.hosts = destinations;
  request.configPath = config;
  request.spec = spec;
  request.preflight = !f.has(QStringLiteral("skip-preflight"));
  request.cpu = f.has(QStringLiteral("cpu"));
  request.minFreeBytes = qint64(f.intValue(QStringLiteral("min-free-gib"), 20, 0, 1 << 20)) << 30;
  request.connect = connectOptions(f);
  RunLaunchObserver observer;
  observer.preflight = [](const PreflightReport& report) { std::fputs(qPrintable(report.toText() + QLatin1Char('\n')), stderr); };
  RunRegistry reg = registry(f);
  const RunLaunchResult result = launchRun(request, reg, observer);
  if (result.preflightFailed) throw Failure(QStringLiteral("preflight failed; fix the above or pass --skip-preflight"));
  if (!result.ok) throw Failure(result.error);
  const RunRecord& record = result.record;
  printLine(record.id);
  return 0;
}

}  // namespace tessera::remote::cli
