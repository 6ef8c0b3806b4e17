#include "tessera/remote/process_launcher.h"

#include "tessera/remote/shell_quote.h"

#include <QDateTime>
#include <QRegularExpression>

#include <map>

namespace tessera::remote {
namespace {

// Run by `sh -c` for each rank, with $1 = the ranks folder, $2 = rank, and the program + arguments
// after them. It records its own pid (it is the leader of the session that setsid gave it, so the
// pid is also the process group to signal), then the program's output and exit code. The rank
// keeps the login folder as its working folder, so relative paths mean the same as at launch.
const char* const kRankScript =
    "d=$1; r=$2; shift 2; echo $$ > \"$d/rank-$r.pid\"; \"$@\" > \"$d/rank-$r.log\" 2>&1; echo $? > \"$d/rank-$r.exit\"";

// Shell functions shared by the scripts below: is a process / a process group still running
// (zombies do not count: an orphaned rank may wait a while for init to reap it)?
#define TESSERA_ALIVE_FUNCTIONS                                                                          \
  "alive_pid() { if command -v ps >/dev/null 2>&1; then s=$(ps -o stat= -p \"$1\" 2>/dev/null) || return 1; " \
  "case \"$s\" in ''|Z*) return 1;; esac; else kill -0 \"$1\" 2>/dev/null; fi; }; "                          \
  "alive_group() { if command -v ps >/dev/null 2>&1; then ps -e -o pgid=,stat= | "                       \
  "awk -v g=\"$1\" '$1 == g && $2 !~ /^Z/ { f = 1 } END { exit !f }'; "                                   \
  "else kill -0 -\"$1\" 2>/dev/null; fi; }; "

// $1 = run dir, then this host's ranks. Prints one line per rank: "<rank> starting" (no pid
// yet), "<rank> running", "<rank> exit <code>" or "<rank> lost" — only this host's ranks: on a
// shared file system the other hosts' pid files are visible too, and their pids mean nothing here.
const char* const kStatusScript = TESSERA_ALIVE_FUNCTIONS
    "cd -- \"$1\"/ranks 2>/dev/null || { echo nodir; exit 0; }; shift; "
    "for r in \"$@\"; do "
    "if [ -e rank-$r.exit ]; then echo \"$r exit $(cat rank-$r.exit)\"; "
    "elif [ ! -s rank-$r.pid ]; then echo \"$r starting\"; "
    "elif alive_pid \"$(cat rank-$r.pid)\"; then echo \"$r running\"; "
    "elif [ -e rank-$r.exit ]; then echo \"$r exit $(cat rank-$r.exit)\"; "
    "else echo \"$r lost\"; fi; done";

// $1 = run dir, $2 = grace seconds, then this host's ranks: SIGTERM to each rank's process
// group, up to $2 seconds for them to end, then SIGKILL. (`kill -TERM -PGID`, not `kill -TERM --
// -PGID`: dash, /bin/sh on Debian, rejects the `--`.)
const char* const kCancelScript = TESSERA_ALIVE_FUNCTIONS
    "cd -- \"$1\"/ranks 2>/dev/null || exit 0; grace=$2; shift 2; "
    "for r in \"$@\"; do [ -s rank-$r.pid ] && kill -TERM -\"$(cat rank-$r.pid)\" 2>/dev/null; done; "
    "i=0; while [ $i -lt $((grace * 5)) ]; do alive=0; "
    "for r in \"$@\"; do [ -s rank-$r.pid ] && alive_group \"$(cat rank-$r.pid)\" && alive=1; done; "
    "[ $alive = 0 ] && break; sleep 0.2; i=$((i + 1)); done; "
    "for r in \"$@\"; do [ -s rank-$r.pid ] && kill -KILL -\"$(cat rank-$r.pid)\" 2>/dev/null; done; true";

QStringList rankNumbers(int first, int count) {
  QStringList out;
  for (int r = first; r < first + count; ++r) out << QString::number(r);
  return out;
}

bool validEnvName(const QString& name) {
  static const QRegularExpression re(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
  return re.match(name).hasMatch();
}

}  // namespace

QString rankLaunchCommand(const LaunchSpec& spec, int firstRank, int count, int worldSize, const QString& masterAddr) {
  const QString ranks = spec.runDir + QStringLiteral("/ranks");
  QStringList rm{QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("--")};
  for (int i = 0; i < count; ++i)
    rm << ranks + QStringLiteral("/rank-%1.pid").arg(firstRank + i) << ranks + QStringLiteral("/rank-%1.exit").arg(firstRank + i);
  QStringList parts;
  parts << shellJoin({QStringLiteral("mkdir"), QStringLiteral("-p"), QStringLiteral("--"), ranks}) << QStringLiteral("&&")
        << shellJoin(rm) << QStringLiteral("&& {");
  for (int i = 0; i < count; ++i) {
    const int rank = firstRank + i;
    QStringList argv{QStringLiteral("env"),
                     QStringLiteral("RANK=%1").arg(rank),
                     QStringLiteral("WORLD_SIZE=%1").arg(worldSize),
                     QStringLiteral("LOCAL_RANK=%1").arg(i),
                     QStringLiteral("LOCAL_WORLD_SIZE=%1").arg(count),
                     QStringLiteral("MASTER_ADDR=") + masterAddr,
                     QStringLiteral("MASTER_PORT=%1").arg(spec.masterPort)};
    for (auto it = spec.environment.cbegin(); it != spec.environment.cend(); ++it)
      argv << it.key() + QLatin1Char('=') + it.value();
    argv << QStringLiteral("setsid") << QStringLiteral("sh") << QStringLiteral("-c") << QString::fromLatin1(kRankScript)
         << QStringLiteral("tessera-rank") << ranks << QString::number(rank) << spec.tesseraPath << spec.arguments;
    parts << shellJoin(argv) + QStringLiteral(" </dev/null >/dev/null 2>&1 &");
  }
  parts << QStringLiteral("true; }");  // braces: '&' binds looser than '&&'
  return parts.join(QLatin1Char(' '));
}

ProcessLauncher::ProcessLauncher(QString kind, std::vector<CommandRunner*> hosts)
    : m_kind(std::move(kind)), m_hosts(std::move(hosts)) {}

bool ProcessLauncher::launch(const LaunchSpec& spec, RunRecord* record, QString* error) {
  auto fail = [&](const QString& why) {
    if (error) *error = why;
    return false;
  };
  if (m_hosts.empty()) return fail(QStringLiteral("no hosts to launch on"));
  if (spec.runDir.isEmpty()) return fail(QStringLiteral("no run directory given"));
  if (spec.gpusPerHost < 1 || spec.gpusPerHost > 256) return fail(QStringLiteral("ranks per host must be 1..256"));
  if (spec.masterPort < 1 || spec.masterPort > 65535) return fail(QStringLiteral("the rendezvous port must be 1..65535"));
  for (auto it = spec.environment.cbegin(); it != spec.environment.cend(); ++it)
    if (!validEnvName(it.key())) return fail(QStringLiteral("'%1' is not a valid environment variable name").arg(it.key()));
  const int world = static_cast<int>(m_hosts.size()) * spec.gpusPerHost;
  const QString master = spec.masterAddr.isEmpty() ? m_hosts.front()->address() : spec.masterAddr;

  RunRecord r;
  r.id = RunRegistry::newRunId(spec.runName);
  r.name = spec.runName;
  r.launcher = m_kind;
  for (auto* h : m_hosts) r.hosts << h->hostName();
  r.gpusPerHost = spec.gpusPerHost;
  r.runDir = spec.runDir;
  r.configHash = spec.configHash;
  r.tesseraPath = spec.tesseraPath;
  for (size_t i = 0; i < m_hosts.size(); ++i) {
    const int first = static_cast<int>(i) * spec.gpusPerHost;
    const ExecResult res = m_hosts[i]->run(rankLaunchCommand(spec, first, spec.gpusPerHost, world, master));
    if (!res.ok()) {
      // Ranks already started elsewhere would wait for the missing ones until their timeout.
      r.state = RunState::Failed;
      QString ignored;
      (void)cancel(&r, &ignored);
      return fail(QStringLiteral("cannot start ranks on %1: %2")
                      .arg(m_hosts[i]->hostName(),
                           res.started ? QString::fromUtf8(res.standardError).trimmed() : res.error));
    }
  }
  r.state = RunState::Running;
  r.created = QDateTime::currentDateTimeUtc();
  *record = r;
  return true;
}

bool ProcessLauncher::refresh(RunRecord* record, QString* error) {
  if (record->state == RunState::Cancelled) return true;
  if (static_cast<size_t>(record->hosts.size()) != m_hosts.size()) {
    if (error) *error = QStringLiteral("the run was launched on %1 hosts, this launcher has %2").arg(record->hosts.size()).arg(m_hosts.size());
    return false;
  }
  const int world = static_cast<int>(m_hosts.size()) * record->gpusPerHost;
  int running = 0, starting = 0, succeeded = 0, lost = 0;
  QString failure;
  int failureCode = 0;
  for (size_t i = 0; i < m_hosts.size(); ++i) {
    const ExecResult res = m_hosts[i]->run(shellJoin(QStringList{QStringLiteral("sh"), QStringLiteral("-c"), QString::fromLatin1(kStatusScript),
                                                      QStringLiteral("tessera-status"), record->runDir} +
                                                     rankNumbers(static_cast<int>(i) * record->gpusPerHost, record->gpusPerHost)));
    if (!res.ok()) {
      if (error) *error = QStringLiteral("cannot read the state of %1 on %2: %3")
                              .arg(record->name, m_hosts[i]->hostName(),
                                   res.started ? QString::fromUtf8(res.standardError).trimmed() : res.error);
      return false;
    }
    std::map<int, QString> ranks;
    for (const QByteArray& line : res.standardOutput.split('\n')) {
      const QStringList f = QString::fromUtf8(line).split(QLatin1Char(' '), Qt::SkipEmptyParts);
      if (f.size() < 2) continue;
      bool ok = false;
      const int rank = f[0].toInt(&ok);
      if (!ok) continue;
      ranks[rank] = f.mid(1).join(QLatin1Char(' '));
    }
    const int first = static_cast<int>(i) * record->gpusPerHost;
    for (int rank = first; rank < first + record->gpusPerHost; ++rank) {
      auto it = ranks.find(rank);
      if (it == ranks.end()) {
        ++lost;
        continue;
      }
      if (it->second == QLatin1String("running")) {
        ++running;
      } else if (it->second == QLatin1String("starting")) {
        // Launched but not yet recorded its pid: give it a minute before calling it lost.
        if (record->created.isValid() && record->created.secsTo(QDateTime::currentDateTimeUtc()) > 60)
          ++lost;
        else
          ++starting;
      } else if (it->second.startsWith(QLatin1String("exit "))) {
        const int code = it->second.mid(5).trimmed().toInt();
        if (code == 0) {
          ++succeeded;
        } else if (failure.isEmpty()) {
          failureCode = code;
          failure = QStringLiteral("rank %1 on %2 exited with status %3 (see %4/ranks/rank-%1.log)")
                        .arg(rank).arg(m_hosts[i]->hostName()).arg(code).arg(record->runDir);
        }
      } else {
        ++lost;
      }
    }
  }
  if (!failure.isEmpty()) {
    record->state = RunState::Failed;
    record->exitCode = failureCode;
    record->message = failure;
  } else if (succeeded == world) {
    record->state = RunState::Succeeded;
    record->exitCode = 0;
    record->message.clear();
  } else if (running > 0 || starting > 0) {
    record->state = RunState::Running;
    if (lost > 0) record->message = QStringLiteral("%1 of %2 ranks are gone without an exit status").arg(lost).arg(world);
  } else {
    record->state = RunState::Lost;
    record->message = QStringLiteral("%1 of %2 ranks ended without an exit status (killed, or the host restarted)").arg(lost).arg(world);
  }
  return true;
}

bool ProcessLauncher::cancel(RunRecord* record, QString* error) {
  QStringList problems;
  for (size_t i = 0; i < m_hosts.size(); ++i) {
    const ExecResult res = m_hosts[i]->run(
        shellJoin(QStringList{QStringLiteral("sh"), QStringLiteral("-c"), QString::fromLatin1(kCancelScript), QStringLiteral("tessera-cancel"),
                   record->runDir, QString::number(m_graceSeconds)} +
                  rankNumbers(static_cast<int>(i) * record->gpusPerHost, record->gpusPerHost)),
        m_graceSeconds + 60);
    if (!res.ok())
      problems << QStringLiteral("%1: %2").arg(m_hosts[i]->hostName(),
                                               res.started ? QString::fromUtf8(res.standardError).trimmed() : res.error);
  }
  if (!problems.isEmpty()) {
    if (error) *error = QStringLiteral("cannot cancel on ") + problems.join(QStringLiteral("; "));
    return false;
  }
  record->state = RunState::Cancelled;
  record->message = QStringLiteral("cancelled");
  return true;
}

}  // namespace tessera::remote
