#pragma once
// The checks before a launch (the reference platform's "node doctor"), run on every host: the
// `tessera` binary and its version, GPUs visible and free, disk space in the run directory, and
// that every host reaches the first one on the rendezvous port. Each failure names the host and
// says what to do.

#include "tessera/remote/command_runner.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace tessera::remote {

struct PreflightOptions {
  QString tesseraPath = QStringLiteral("tessera");
  QString runDir;                    // created if missing; disk space is measured there
  int gpusPerHost = 1;               // 0: a CPU run (no GPU check)
  qint64 minFreeBytes = qint64(20) << 30;
  int rendezvousPort = 29500;        // checked between hosts when there are several
  QString masterAddr;                // empty: the first host's address
  qint64 busyGpuMemoryMiB = 1024;    // a GPU using more than this is reported as busy
};

struct PreflightCheck {
  QString host;
  QString what;       // "tessera", "gpus", "disk", "rendezvous"
  bool ok = false;
  QString detail;     // what was found ("tessera 0.3.0", "8 × NVIDIA H100, free", "812 GiB free")
  QString fix;        // for failures: what to do
};

struct PreflightReport {
  std::vector<PreflightCheck> checks;
  bool ok() const;
  QString toText() const;  // one line per check
};

// `hosts` in rank order; the first is the rendezvous host.
PreflightReport runPreflight(const std::vector<CommandRunner*>& hosts, const PreflightOptions& options);

}  // namespace tessera::remote
