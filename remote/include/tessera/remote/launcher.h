#pragma once
// Launchers start `tessera` on one or more machines, find out later how the run is doing, and
// cancel it — behind one interface, so the studio and `tessera-remote` treat a local process, N
// SSH hosts and a Slurm job alike. A launch fills a RunRecord that the RunRegistry keeps, and
// every later call works from that record alone (so runs are found again after a restart).

#include "tessera/remote/run_registry.h"

#include <QMap>
#include <QString>
#include <QStringList>

namespace tessera::remote {

struct LaunchSpec {
  QString runName;                 // shown to the user; any text
  QString runDir;                  // on the hosts: absolute, or relative to the login folder
  QString tesseraPath = QStringLiteral("tessera");
  QStringList arguments;           // after the binary, e.g. trainArguments(...)
  int gpusPerHost = 1;             // ranks per host
  QString masterAddr;              // empty: the first host's address
  int masterPort = 29500;
  QMap<QString, QString> environment;  // extra variables for every rank (NCCL_DEBUG=INFO, ...)
  QString configHash;              // recorded in the registry

  // Slurm only.
  int nodes = 1;
  QString partition;
  QString account;
  QString timeLimit;               // "HH:MM:SS" or "D-HH:MM:SS"
  QStringList extraSbatchLines;    // each a whole "#SBATCH ..." line
};

// `train --config <config> --run-dir <runDir> --resume auto`
QStringList trainArguments(const QString& configPath, const QString& runDir);

class Launcher {
 public:
  virtual ~Launcher() = default;
  virtual QString kind() const = 0;  // "local", "ssh", "slurm"
  // Starts the run; on success fills *record (id, launcher, hosts, run dir, job id, state).
  [[nodiscard]] virtual bool launch(const LaunchSpec& spec, RunRecord* record, QString* error) = 0;
  // Updates record->state (and exitCode, message) from what the hosts report.
  [[nodiscard]] virtual bool refresh(RunRecord* record, QString* error) = 0;
  // Stops every process of the run on every host; record->state becomes Cancelled.
  [[nodiscard]] virtual bool cancel(RunRecord* record, QString* error) = 0;
};

}  // namespace tessera::remote
