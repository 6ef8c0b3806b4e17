#include "tessera/remote/run_launch.h"

#include "tessera/remote/command_runner.h"
#include "tessera/remote/process_launcher.h"
#include "tessera/remote/sftp_client.h"
#include "tessera/remote/slurm_launcher.h"
#include "tessera/remote/ssh_session.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <memory>
#include <vector>

namespace tessera::remote {
namespace {

struct Hosts {
  std::vector<std::unique_ptr<SshSession>> sessions;
  std::vector<std::unique_ptr<CommandRunner>> runners;
  std::vector<CommandRunner*> raw() const {
    std::vector<CommandRunner*> out;
    for (const auto& r : runners) out.push_back(r.get());
    return out;
  }
};

}  // namespace

QString checkLaunchRequest(const RunLaunchRequest& r) {
  if (r.launcher != QLatin1String("local") && r.launcher != QLatin1String("ssh") && r.launcher != QLatin1String("slurm"))
    return QStringLiteral("the launcher must be local, ssh or slurm");
  if (r.spec.runDir.isEmpty()) return QStringLiteral("no run directory given");
  if (r.configPath.isEmpty()) return QStringLiteral("no config file given");
  if (r.launcher == QLatin1String("ssh") && r.hosts.isEmpty()) return QStringLiteral("an SSH launch needs at least one host");
  if (r.launcher == QLatin1String("local") && !r.hosts.isEmpty()) return QStringLiteral("a local launch takes no hosts");
  if (r.launcher == QLatin1String("slurm") && r.hosts.size() > 1)
    return QStringLiteral("a Slurm launch takes one host (the login node)");
  for (const QString& host : r.hosts) {
    SshParameters p;
    if (!p.setDestination(host)) return QStringLiteral("invalid host '%1'").arg(host);
  }
  return {};
}

RunLaunchResult launchRun(RunLaunchRequest request, RunRegistry& registry, const RunLaunchObserver& observer) {
  RunLaunchResult result;
  const auto stage = [&](RunLaunchStage s, const QString& host = {}) {
    if (observer.stage) observer.stage(s, host);
  };
  const auto cancelled = [&] {
    result.cancelled = observer.cancelled && observer.cancelled();
    if (result.cancelled) result.error = QStringLiteral("cancelled before the run started");
    return result.cancelled;
  };
  const auto fail = [&](const QString& why) {
    result.error = why;
    return result;
  };
  if (const QString problem = checkLaunchRequest(request); !problem.isEmpty()) return fail(problem);

  QFile configFile(request.configPath);
  if (!configFile.open(QIODevice::ReadOnly))
    return fail(QStringLiteral("cannot read %1: %2").arg(request.configPath, configFile.errorString()));
  LaunchSpec& spec = request.spec;
  spec.configHash = QString::fromLatin1(QCryptographicHash::hash(configFile.readAll(), QCryptographicHash::Sha256).toHex());
  configFile.close();
  const QString runDir = spec.runDir;
  const QString remoteConfig = runDir + QStringLiteral("/config.yaml");
  spec.arguments = trainArguments(remoteConfig, runDir);

  Hosts hosts;
  if (request.hosts.isEmpty()) {
    stage(RunLaunchStage::CopyingConfig);
    hosts.runners.push_back(std::make_unique<LocalRunner>(request.connect.localEnvironment));
    if (!QDir().mkpath(runDir)) return fail(QStringLiteral("cannot create %1").arg(runDir));
    const QString target = QDir(runDir).filePath(QStringLiteral("config.yaml"));
    if (QFileInfo(target).canonicalFilePath() != QFileInfo(request.configPath).canonicalFilePath()) {
      QFile::remove(target);
      if (!QFile::copy(request.configPath, target))
        return fail(QStringLiteral("cannot copy %1 to %2").arg(request.configPath, target));
    }
  } else {
    for (const QString& dest : request.hosts) {
      if (cancelled()) return result;
      stage(RunLaunchStage::Connecting, dest);
      QString error;
      auto session = openSession(dest, request.connect, &error);
      if (!session) return fail(error);
      hosts.runners.push_back(std::make_unique<SshRunner>(*session));
      hosts.sessions.push_back(std::move(session));
    }
    for (size_t i = 0; i < hosts.sessions.size(); ++i) {
      if (cancelled()) return result;
      const QString dest = request.hosts.value(int(i));
      stage(RunLaunchStage::UploadingConfig, dest);
      SftpClient sftp(*hosts.sessions[i]);
      if (!sftp.open()) return fail(QStringLiteral("%1: %2").arg(dest, sftp.errorString()));
      const int slash = remoteConfig.lastIndexOf(QLatin1Char('/'));
      if (slash > 0 && !sftp.makePath(remoteConfig.left(slash))) return fail(sftp.errorString());
      const auto r = sftp.upload(request.configPath, remoteConfig);
      if (!r.ok) return fail(QStringLiteral("cannot upload the config to %1: %2").arg(dest, r.error));
    }
  }

  if (request.preflight) {
    if (cancelled()) return result;
    stage(RunLaunchStage::Checking);
    PreflightOptions p;
    p.tesseraPath = spec.tesseraPath;
    p.runDir = runDir;
    // Slurm picks the nodes later: only the login host's tessera and disk can be checked now.
    p.gpusPerHost = request.cpu || request.launcher == QLatin1String("slurm") ? 0 : spec.gpusPerHost;
    p.minFreeBytes = request.minFreeBytes;
    p.rendezvousPort = spec.masterPort;
    p.masterAddr = spec.masterAddr;
    const PreflightReport report = runPreflight(hosts.raw(), p);
    if (observer.preflight) observer.preflight(report);
    if (!report.ok()) {
      result.preflightFailed = true;
      return fail(QStringLiteral("preflight failed"));
    }
  }

  if (cancelled()) return result;
  stage(RunLaunchStage::Starting);
  std::unique_ptr<Launcher> launcher;
  if (request.launcher == QLatin1String("slurm"))
    launcher = std::make_unique<SlurmLauncher>(*hosts.runners.front());
  else
    launcher = std::make_unique<ProcessLauncher>(request.launcher, hosts.raw());
  RunRecord record;
  QString error;
  if (!launcher->launch(spec, &record, &error)) return fail(error);
  if (!request.hosts.isEmpty()) record.hosts = request.hosts;  // as typed: how to reach them again

  // From here on the run is going: no more cancelling, it must be recorded.
  stage(RunLaunchStage::Recording);
  if (!registry.save(record, &error)) return fail(QStringLiteral("the run started but cannot be recorded: %1").arg(error));
  const auto saved = registry.find(record.id);
  result.record = saved ? *saved : record;
  result.ok = true;
  return result;
}

}  // namespace tessera::remote
