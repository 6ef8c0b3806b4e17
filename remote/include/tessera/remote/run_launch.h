#pragma once
// One launch, start to finish, for the studio and `tessera-remote launch` alike: put the config
// into the run directory (a copy here, or an SFTP upload to every host), check the hosts
// (preflight), start `tessera train` through the chosen launcher, and record the run in the
// registry. Blocking: call it from a worker thread. Each stage is reported before it starts, and
// the caller can cancel between stages (a run that has started is not stopped by that).

#include "tessera/remote/launcher.h"
#include "tessera/remote/preflight.h"
#include "tessera/remote/run_registry.h"
#include "tessera/remote/run_watcher.h"

#include <QString>
#include <QStringList>

#include <functional>

namespace tessera::remote {

struct RunLaunchRequest {
  QString launcher;          // "local", "ssh" or "slurm"
  QStringList hosts;         // ssh: every host in rank order; slurm: the login host or none (here)
  QString configPath;        // the run config on this machine; becomes <runDir>/config.yaml
  LaunchSpec spec;           // runDir, runName, tesseraPath, ranks, Slurm settings; the arguments
                             // and configHash are filled in by launchRun
  bool preflight = true;
  bool cpu = false;          // a CPU run: no GPU check
  qint64 minFreeBytes = qint64(20) << 30;
  ConnectOptions connect;
};

// What launchRun is about to do (the host is empty where there is none); the caller words it.
enum class RunLaunchStage { CopyingConfig, Connecting, UploadingConfig, Checking, Starting, Recording };

struct RunLaunchObserver {
  std::function<void(RunLaunchStage stage, const QString& host)> stage;
  std::function<void(const PreflightReport& report)> preflight;  // after the checks, ok or not
  std::function<bool()> cancelled;                              // polled between stages
};

struct [[nodiscard]] RunLaunchResult {
  bool ok = false;
  bool cancelled = false;
  bool preflightFailed = false;  // error then says so; the report went to the observer
  QString error;
  RunRecord record;              // when ok: as saved in the registry
};

// Checks the request as far as it can be checked here (launcher kind, hosts, run dir, config
// file); returns an empty string when it is fine.
QString checkLaunchRequest(const RunLaunchRequest& request);

RunLaunchResult launchRun(RunLaunchRequest request, RunRegistry& registry, const RunLaunchObserver& observer = {});

}  // namespace tessera::remote
