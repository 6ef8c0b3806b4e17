#pragma once
// Runs a training job through Slurm: writes a batch script (nodes, GPUs per node, time,
// partition, account, extra #SBATCH lines) that `srun`s one `tessera` per task with Slurm's
// variables (the engine reads SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID, SLURM_JOB_NODELIST),
// asks for a requeue after a node failure (the engine resumes from its last checkpoint), submits
// it with sbatch, and follows the job with squeue, scontrol and the job completion log.

#include "tessera/remote/command_runner.h"
#include "tessera/remote/launcher.h"

namespace tessera::remote {

class SlurmLauncher final : public Launcher {
 public:
  // `login` runs sbatch/squeue/scancel (the login node over SSH, or this machine).
  explicit SlurmLauncher(CommandRunner& login);
  QString kind() const override { return QStringLiteral("slurm"); }
  bool launch(const LaunchSpec& spec, RunRecord* record, QString* error) override;
  bool refresh(RunRecord* record, QString* error) override;
  bool cancel(RunRecord* record, QString* error) override;

  // The batch script for `spec` (exposed for tests and for the launch dialog's preview).
  static bool batchScript(const LaunchSpec& spec, QString* script, QString* error);
  // Slurm job state name (PENDING, RUNNING, COMPLETED, NODE_FAIL, ...) to a run state.
  static RunState stateFromSlurm(const QString& slurmState);

 private:
  CommandRunner& m_login;
};

}  // namespace tessera::remote
