#pragma once
// Runs one `tessera` process per rank directly on hosts — this machine ("local") or N hosts over
// SSH ("ssh") with G ranks each — with torchrun's variables (RANK, WORLD_SIZE, LOCAL_RANK,
// MASTER_ADDR = the first host, MASTER_PORT). Each rank is detached in a session of its own
// (setsid), so the run outlives the studio and the SSH connection; its pid, log and exit code
// live in <run dir>/ranks/. Cancel ends each rank's whole process group.

#include "tessera/remote/command_runner.h"
#include "tessera/remote/launcher.h"

#include <vector>

namespace tessera::remote {

class ProcessLauncher final : public Launcher {
 public:
  // `hosts` in rank order (host i runs ranks i*G .. i*G+G-1); runners must outlive the launcher.
  ProcessLauncher(QString kind, std::vector<CommandRunner*> hosts);
  QString kind() const override { return m_kind; }
  bool launch(const LaunchSpec& spec, RunRecord* record, QString* error) override;
  bool refresh(RunRecord* record, QString* error) override;
  bool cancel(RunRecord* record, QString* error) override;
  // Seconds cancel waits after SIGTERM before it sends SIGKILL.
  void setCancelGraceSeconds(int seconds) { m_graceSeconds = seconds; }

 private:
  QString m_kind;
  std::vector<CommandRunner*> m_hosts;
  int m_graceSeconds = 20;
};

// The command line that starts ranks [firstRank, firstRank + count) of a run on one host.
QString rankLaunchCommand(const LaunchSpec& spec, int firstRank, int count, int worldSize, const QString& masterAddr);

}  // namespace tessera::remote
