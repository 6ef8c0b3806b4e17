// tessera-remote launch: upload the config, check the hosts, start the run, record it.

#include "cli_common.h"
#include "commands.h"

#include "tessera/remote/command_runner.h"
#include "tessera/remote/preflight.h"
#include "tessera/remote/process_launcher.h"
#include "tessera/remote/sftp_client.h"
#include "tessera/remote/slurm_launcher.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <memory>
#include <vector>

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

struct Hosts {
  std::vector<std::unique_ptr<SshSession>> sessions;
  std::vector<std::unique_ptr<CommandRunner>> runners;
  std::vector<CommandRunner*> raw() const {
    std::vector<CommandRunner*> out;
    for (auto& r : runners) out.push_back(r.get());
    return out;
  }
};

void connectHosts(const QStringList& destinations, const ConnectOptions& options, Hosts* hosts) {
  for (const QString& dest : destinations) {
    SshParameters p = options.base;
    if (!p.setDestination(dest)) throw UsageError(QStringLiteral("invalid host '%1'").arg(dest));
    if (!options.base.user.isEmpty() && !dest.contains(QLatin1Char('@'))) p.user = options.base.user;
    auto session = std::make_unique<SshSession>(p);
    session->setUnknownHostKeyHandler(options.acceptUnknownHostKey);
    if (!session->connectToHost()) throw Failure(QStringLiteral("%1: %2").arg(dest, session->errorString()));
    hosts->runners.push_back(std::make_unique<SshRunner>(*session));
    hosts->sessions.push_back(std::move(session));
  }
}

void uploadConfig(const QString& local, const QString& remote, Hosts& hosts, const QStringList& destinations) {
  for (size_t i = 0; i < hosts.sessions.size(); ++i) {
    SftpClient sftp(*hosts.sessions[i]);
    if (!sftp.open()) throw Failure(QStringLiteral("%1: %2").arg(destinations.value(int(i)), sftp.errorString()));
    const int slash = remote.lastIndexOf(QLatin1Char('/'));
    if (slash > 0 && !sftp.makePath(remote.left(slash))) throw Failure(sftp.errorString());
    const auto r = sftp.upload(local, remote);
    if (!r.ok) throw Failure(QStringLiteral("cannot upload the config to %1: %2").arg(destinations.value(int(i)), r.error));
  }
}

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
  QFile configFile(config);
  if (!configFile.open(QIODevice::ReadOnly)) throw Failure(QStringLiteral("cannot read %1: %2").arg(config, configFile.errorString()));
  const QString configHash = QString::fromLatin1(QCryptographicHash::hash(configFile.readAll(), QCryptographicHash::Sha256).toHex());
  const QStringList destinations = f.values(QStringLiteral("host"));
  if (kind == QLatin1String("ssh") && destinations.isEmpty()) throw UsageError(QStringLiteral("--launcher ssh needs at least one --host"));
  if (kind == QLatin1String("local") && !destinations.isEmpty()) throw UsageError(QStringLiteral("--launcher local takes no --host"));
  if (kind == QLatin1String("slurm") && destinations.size() > 1) throw UsageError(QStringLiteral("--launcher slurm takes one --host (the login node)"));

  LaunchSpec spec;
  spec.runName = f.value(QStringLiteral("name"), QFileInfo(config).completeBaseName());
  spec.runDir = runDir;
  spec.tesseraPath = f.value(QStringLiteral("tessera"), QStringLiteral("tessera"));
  spec.gpusPerHost = f.intValue(QStringLiteral("ranks-per-host"), 1, 1, 256);
  spec.masterAddr = f.value(QStringLiteral("master-addr"));
  spec.masterPort = f.intValue(QStringLiteral("master-port"), 29500, 1, 65535);
  spec.configHash = configHash;
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
  const QString remoteConfig = runDir + QStringLiteral("/config.yaml");
  spec.arguments = trainArguments(remoteConfig, runDir);

  const ConnectOptions options = connectOptions(f);
  Hosts hosts;
  if (destinations.isEmpty()) {
    hosts.runners.push_back(std::make_unique<LocalRunner>(options.localEnvironment));
    if (!QDir().mkpath(runDir)) throw Failure(QStringLiteral("cannot create %1").arg(runDir));
    const QString target = QDir(runDir).filePath(QStringLiteral("config.yaml"));
    if (QFileInfo(target).canonicalFilePath() != QFileInfo(config).canonicalFilePath()) {
      QFile::remove(target);
      if (!QFile::copy(config, target)) throw Failure(QStringLiteral("cannot copy %1 to %2").arg(config, target));
    }
  } else {
    connectHosts(destinations, options, &hosts);
    uploadConfig(config, remoteConfig, hosts, destinations);
  }

  if (!f.has(QStringLiteral("skip-preflight"))) {
    PreflightOptions p;
    p.tesseraPath = spec.tesseraPath;
    p.runDir = runDir;
    p.gpusPerHost = f.has(QStringLiteral("cpu")) ? 0 : spec.gpusPerHost;
    p.minFreeBytes = qint64(f.intValue(QStringLiteral("min-free-gib"), 20, 0, 1 << 20)) << 30;
    p.rendezvousPort = spec.masterPort;
    p.masterAddr = spec.masterAddr;
    // Slurm picks the nodes later: only the login host's tessera and disk can be checked now.
    if (kind == QLatin1String("slurm")) p.gpusPerHost = 0;
    const PreflightReport report = runPreflight(hosts.raw(), p);
    std::fputs(qPrintable(report.toText() + QLatin1Char('\n')), stderr);
    if (!report.ok()) throw Failure(QStringLiteral("preflight failed; fix the above or pass --skip-preflight"));
  }

  std::unique_ptr<Launcher> launcher;
  if (kind == QLatin1String("slurm"))
    launcher = std::make_unique<SlurmLauncher>(*hosts.runners.front());
  else
    launcher = std::make_unique<ProcessLauncher>(kind, hosts.raw());
  RunRecord record;
  QString error;
  if (!launcher->launch(spec, &record, &error)) throw Failure(error);
  if (!destinations.isEmpty()) record.hosts = destinations;  // as typed: how to reach them again
  RunRegistry reg = registry(f);
  if (!reg.save(record, &error)) throw Failure(QStringLiteral("the run started but cannot be recorded: %1").arg(error));
  printLine(record.id);
  return 0;
}

}  // namespace tessera::remote::cli
