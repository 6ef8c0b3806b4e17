#include "tessera/remote/slurm_launcher.h"

#include "tessera/remote/shell_quote.h"

#include <QRegularExpression>

namespace tessera::remote {
namespace {

bool matches(const QString& text, const char* pattern) {
  return QRegularExpression(QString::fromLatin1(pattern)).match(text).hasMatch();
}

// "Key=Value" from `scontrol show job` / the job completion log.
QString field(const QString& text, const QString& key) {
  const QRegularExpression re(QStringLiteral("(?:^|\\s)%1=(\\S*)").arg(QRegularExpression::escape(key)));
  const auto m = re.match(text);
  return m.hasMatch() ? m.captured(1) : QString();
}

QString errorText(const ExecResult& r) {
  return r.started ? QString::fromUtf8(r.standardError).trimmed() : r.error;
}

}  // namespace

SlurmLauncher::SlurmLauncher(CommandRunner& login) : m_login(login) {}

RunState SlurmLauncher::stateFromSlurm(const QString& s) {
  if (s == QLatin1String("RUNNING") || s == QLatin1String("COMPLETING") || s == QLatin1String("STAGE_OUT") ||
      s == QLatin1String("SIGNALING") || s == QLatin1String("RESIZING"))
    return RunState::Running;
  if (s == QLatin1String("COMPLETED")) return RunState::Succeeded;
  if (s == QLatin1String("CANCELLED") || s.startsWith(QLatin1String("CANCELLED"))) return RunState::Cancelled;
  if (s == QLatin1String("FAILED") || s == QLatin1String("TIMEOUT") || s == QLatin1String("NODE_FAIL") ||
      s == QLatin1String("OUT_OF_MEMORY") || s == QLatin1String("BOOT_FAIL") || s == QLatin1String("DEADLINE") ||
      s == QLatin1String("PREEMPTED") || s == QLatin1String("SPECIAL_EXIT"))
    return RunState::Failed;
  return RunState::Pending;  // PENDING, CONFIGURING, REQUEUED, REQUEUE_HOLD, SUSPENDED, ...
}

bool SlurmLauncher::batchScript(const LaunchSpec& spec, QString* script, QString* error) {
  auto fail = [&](const QString& why) {
    if (error) *error = why;
    return false;
  };
  if (spec.nodes < 1 || spec.nodes > 100000) return fail(QStringLiteral("nodes must be at least 1"));
  if (spec.gpusPerHost < 1 || spec.gpusPerHost > 256) return fail(QStringLiteral("GPUs per node must be 1..256"));
  if (spec.masterPort < 1 || spec.masterPort > 65535) return fail(QStringLiteral("the rendezvous port must be 1..65535"));
  // #SBATCH lines are read by sbatch, not by a shell: values must be plain words.
  if (!spec.partition.isEmpty() && !matches(spec.partition, "^[A-Za-z0-9_.,-]+$"))
    return fail(QStringLiteral("partition '%1' has characters Slurm does not allow").arg(spec.partition));
  if (!spec.account.isEmpty() && !matches(spec.account, "^[A-Za-z0-9_.-]+$"))
    return fail(QStringLiteral("account '%1' has characters Slurm does not allow").arg(spec.account));
  if (!spec.timeLimit.isEmpty() && !matches(spec.timeLimit, "^[0-9]+(-[0-9]+)?(:[0-9]+){0,2}$"))
    return fail(QStringLiteral("time limit '%1' is not [D-]HH:MM:SS").arg(spec.timeLimit));
  for (const QString& line : spec.extraSbatchLines)
    if (!line.startsWith(QLatin1String("#SBATCH ")) || line.contains(QLatin1Char('\n')) || line.contains(QLatin1Char('\r')))
      return fail(QStringLiteral("extra line '%1' is not a single '#SBATCH ...' line").arg(line));
  for (auto it = spec.environment.cbegin(); it != spec.environment.cend(); ++it)
    if (!matches(it.key(), "^[A-Za-z_][A-Za-z0-9_]*$"))
      return fail(QStringLiteral("'%1' is not a valid environment variable name").arg(it.key()));

  QString jobName;
  for (QChar c : spec.runName.left(64))
    jobName += ((c.isLetterOrNumber() && c.unicode() < 128) || c == QLatin1Char('-') || c == QLatin1Char('_') ||
                c == QLatin1Char('.'))
                   ? c
                   : QLatin1Char('_');
  if (jobName.isEmpty()) jobName = QStringLiteral("tessera");

  QStringList s;
  s << QStringLiteral("#!/bin/bash")
    << QStringLiteral("#SBATCH --job-name=") + jobName
    << QStringLiteral("#SBATCH --nodes=%1").arg(spec.nodes)
    << QStringLiteral("#SBATCH --ntasks-per-node=%1").arg(spec.gpusPerHost)
    << QStringLiteral("#SBATCH --gres=gpu:%1").arg(spec.gpusPerHost);
  if (!spec.timeLimit.isEmpty()) s << QStringLiteral("#SBATCH --time=") + spec.timeLimit;
  if (!spec.partition.isEmpty()) s << QStringLiteral("#SBATCH --partition=") + spec.partition;
  if (!spec.account.isEmpty()) s << QStringLiteral("#SBATCH --account=") + spec.account;
  s << QStringLiteral("#SBATCH --requeue") << QStringLiteral("#SBATCH --open-mode=append");
  s << spec.extraSbatchLines;
  s << QString()
    << QStringLiteral("# Written by Tessera. After a node failure Slurm requeues the job and")
    << QStringLiteral("# `tessera train --resume auto` continues from the newest complete checkpoint.")
    << QStringLiteral("set -u")
    << QStringLiteral("MASTER_ADDR=\"${MASTER_ADDR:-$(scontrol show hostnames \"$SLURM_JOB_NODELIST\" | head -n 1)}\"")
    << QStringLiteral("export MASTER_ADDR")
    << QStringLiteral("export MASTER_PORT=%1").arg(spec.masterPort);
  for (auto it = spec.environment.cbegin(); it != spec.environment.cend(); ++it)
    s << QStringLiteral("export %1=%2").arg(it.key(), shellQuote(it.value()));
  s << QStringLiteral("echo \"tessera: job $SLURM_JOB_ID on $SLURM_JOB_NODELIST, restart ${SLURM_RESTART_COUNT:-0}\"")
    << QStringLiteral("srun --kill-on-bad-exit=1 ") + shellJoin(QStringList{spec.tesseraPath} + spec.arguments)
    << QString();
  *script = s.join(QLatin1Char('\n'));
  return true;
}

bool SlurmLauncher::launch(const LaunchSpec& spec, RunRecord* record, QString* error) {
  auto fail = [&](const QString& why) {
    if (error) *error = why;
    return false;
  };
  if (spec.runDir.isEmpty()) return fail(QStringLiteral("no run directory given"));
  QString script;
  if (!batchScript(spec, &script, error)) return false;
  const QString scriptPath = spec.runDir + QStringLiteral("/job.sbatch");
  // The script travels as one quoted argument of printf: nothing in it is interpreted here.
  const ExecResult write = m_login.run(
      shellJoin({QStringLiteral("mkdir"), QStringLiteral("-p"), QStringLiteral("--"), spec.runDir}) + QStringLiteral(" && ") +
      shellJoin({QStringLiteral("printf"), QStringLiteral("%s"), script}) + QStringLiteral(" > ") + shellQuote(scriptPath));
  if (!write.ok()) return fail(QStringLiteral("cannot write %1 on %2: %3").arg(scriptPath, m_login.hostName(), errorText(write)));
  const ExecResult submit = m_login.run(shellJoin({QStringLiteral("sbatch"), QStringLiteral("--parsable"),
                                                   QStringLiteral("--chdir=") + spec.runDir,
                                                   QStringLiteral("--output=") + spec.runDir + QStringLiteral("/slurm-%j.out"),
                                                   scriptPath}));
  if (!submit.ok()) return fail(QStringLiteral("sbatch refused the job on %1: %2").arg(m_login.hostName(), errorText(submit)));
  const QString jobId = QString::fromUtf8(submit.standardOutput).trimmed().section(QLatin1Char(';'), 0, 0);
  if (!matches(jobId, "^[0-9]+$")) return fail(QStringLiteral("sbatch printed no job id: '%1'").arg(QString::fromUtf8(submit.standardOutput)));

  RunRecord r;
  r.id = RunRegistry::newRunId(spec.runName);
  r.name = spec.runName;
  r.launcher = kind();
  r.hosts << m_login.hostName();
  r.gpusPerHost = spec.gpusPerHost;
  r.runDir = spec.runDir;
  r.jobId = jobId;
  r.configHash = spec.configHash;
  r.tesseraPath = spec.tesseraPath;
  r.state = RunState::Pending;
  *record = r;
  return true;
}

bool SlurmLauncher::refresh(RunRecord* record, QString* error) {
  if (record->jobId.isEmpty()) {
    if (error) *error = QStringLiteral("run %1 has no Slurm job id").arg(record->id);
    return false;
  }
  // 1. The queue (pending and running jobs).
  const ExecResult q = m_login.run(shellJoin({QStringLiteral("squeue"), QStringLiteral("-h"), QStringLiteral("-j"), record->jobId,
                                              QStringLiteral("-o"), QStringLiteral("%T")}));
  const QString queued = QString::fromUtf8(q.standardOutput).trimmed();
  if (q.ok() && !queued.isEmpty()) {
    record->state = stateFromSlurm(queued.section(QLatin1Char('\n'), 0, 0));
    return true;
  }
  // 2. Recently finished jobs (kept for MinJobAge).
  QString text;
  const ExecResult show = m_login.run(shellJoin({QStringLiteral("scontrol"), QStringLiteral("show"), QStringLiteral("job"), record->jobId}));
  if (show.ok()) text = QString::fromUtf8(show.standardOutput);
  // 3. Older ones: the job completion log, when the cluster keeps one as a text file.
  if (field(text, QStringLiteral("JobState")).isEmpty()) {
    const ExecResult config = m_login.run(QStringLiteral("scontrol show config"));
    const QString conf = QString::fromUtf8(config.standardOutput);
    const QRegularExpression typeRe(QStringLiteral("JobCompType\\s*=\\s*(\\S+)")), locRe(QStringLiteral("JobCompLoc\\s*=\\s*(\\S+)"));
    const auto type = typeRe.match(conf), loc = locRe.match(conf);
    if (type.hasMatch() && type.captured(1) == QLatin1String("jobcomp/filetxt") && loc.hasMatch()) {
      const ExecResult log = m_login.run(shellJoin({QStringLiteral("grep"), QStringLiteral("-F"),
                                                    QStringLiteral("JobId=") + record->jobId + QLatin1Char(' '), loc.captured(1)}));
      const QList<QByteArray> lines = log.standardOutput.trimmed().split('\n');
      if (!lines.isEmpty()) text = QString::fromUtf8(lines.last());
    }
  }
  const QString state = field(text, QStringLiteral("JobState"));
  if (state.isEmpty()) {
    if (error) *error = QStringLiteral("Slurm on %1 no longer knows job %2").arg(m_login.hostName(), record->jobId);
    return false;
  }
  record->state = stateFromSlurm(state);
  const QString exit = field(text, QStringLiteral("ExitCode"));
  if (!exit.isEmpty()) record->exitCode = exit.section(QLatin1Char(':'), 0, 0).toInt();
  if (record->state == RunState::Failed)
    record->message = QStringLiteral("Slurm job %1 ended %2 (exit %3); see %4/slurm-%1.out")
                          .arg(record->jobId, state, exit.isEmpty() ? QStringLiteral("?") : exit, record->runDir);
  return true;
}

bool SlurmLauncher::cancel(RunRecord* record, QString* error) {
  const ExecResult r = m_login.run(shellJoin({QStringLiteral("scancel"), record->jobId}));
  if (!r.ok()) {
    if (error) *error = QStringLiteral("scancel %1 failed on %2: %3").arg(record->jobId, m_login.hostName(), errorText(r));
    return false;
  }
  record->state = RunState::Cancelled;
  record->message = QStringLiteral("cancelled");
  return true;
}

}  // namespace tessera::remote
