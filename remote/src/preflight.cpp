#include "tessera/remote/preflight.h"

#include "tessera/remote/shell_quote.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace tessera::remote {
namespace {

QString output(const ExecResult& r) { return QString::fromUtf8(r.standardOutput).trimmed(); }
QString problem(const ExecResult& r) {
  if (!r.started || !r.error.isEmpty()) return r.error;
  // The last line of stderr; tools that report on stdout (nvidia-smi) have theirs shown instead.
  const QString err = QString::fromUtf8(r.standardError).trimmed();
  if (!err.isEmpty()) return err.section(QLatin1Char('\n'), -1);
  const QString out = output(r).section(QLatin1Char('\n'), -1);
  return out.isEmpty() ? QStringLiteral("exit status %1").arg(r.exitStatus)
                       : QStringLiteral("exit status %1: %2").arg(r.exitStatus).arg(out);
}

PreflightCheck checkTessera(CommandRunner& host, const PreflightOptions& o) {
  PreflightCheck c{host.hostName(), QStringLiteral("tessera"), false, {}, {}};
  const ExecResult r = host.run(shellJoin({o.tesseraPath, QStringLiteral("version"), QStringLiteral("--json"),
                                           QStringLiteral("--threads"), QStringLiteral("1")}), 60);
  if (!r.ok()) {
    const bool missing = r.exitStatus == 127;
    c.detail = missing ? QStringLiteral("'%1' not found").arg(o.tesseraPath) : problem(r);
    c.fix = missing ? QStringLiteral("install Tessera on %1 or give the binary's full path (--tessera PATH)").arg(host.hostName())
                    : QStringLiteral("run '%1 version' on %2 and fix what it reports (missing libraries?)").arg(o.tesseraPath, host.hostName());
    return c;
  }
  const QJsonObject info = QJsonDocument::fromJson(r.standardOutput).object();
  const QString version = info.value(QStringLiteral("tessera")).toString();
  if (version.isEmpty()) {
    c.detail = QStringLiteral("'%1 version --json' printed no version").arg(o.tesseraPath);
    c.fix = QStringLiteral("check that %1 is Tessera's binary").arg(o.tesseraPath);
    return c;
  }
  c.ok = true;
  c.detail = QStringLiteral("tessera %1, LibTorch %2").arg(version, info.value(QStringLiteral("libtorch")).toString());
  return c;
}

PreflightCheck checkGpus(CommandRunner& host, const PreflightOptions& o) {
  PreflightCheck c{host.hostName(), QStringLiteral("gpus"), false, {}, {}};
  const ExecResult r = host.run(QStringLiteral(
      "nvidia-smi --query-gpu=index,name,memory.used,memory.total --format=csv,noheader,nounits"), 60);
  if (!r.ok()) {
    c.detail = r.exitStatus == 127 ? QStringLiteral("nvidia-smi not found (no NVIDIA driver)") : problem(r);
    c.fix = QStringLiteral("install the NVIDIA driver on %1, or launch a CPU run (0 GPUs per host)").arg(host.hostName());
    return c;
  }
  int total = 0;
  QStringList busy;
  QString name;
  for (const QString& line : output(r).split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
    const QStringList f = line.split(QLatin1Char(','));
    if (f.size() < 4) continue;
    ++total;
    name = f[1].trimmed();
    if (f[2].trimmed().toLongLong() > o.busyGpuMemoryMiB) busy << f[0].trimmed();
  }
  const int freeGpus = total - static_cast<int>(busy.size());
  c.detail = QStringLiteral("%1 × %2, %3 free").arg(total).arg(name.isEmpty() ? QStringLiteral("GPU") : name).arg(freeGpus);
  if (!busy.isEmpty()) c.detail += QStringLiteral(" (busy: %1)").arg(busy.join(QLatin1Char(',')));
  if (freeGpus < o.gpusPerHost) {
    c.fix = total < o.gpusPerHost ? QStringLiteral("ask for at most %1 GPUs per host").arg(total)
                                  : QStringLiteral("wait for the busy GPUs on %1 or stop what runs there (nvidia-smi)").arg(host.hostName());
    return c;
  }
  c.ok = true;
  return c;
}

PreflightCheck checkDisk(CommandRunner& host, const PreflightOptions& o) {
  PreflightCheck c{host.hostName(), QStringLiteral("disk"), false, {}, {}};
  const ExecResult r = host.run(shellJoin({QStringLiteral("sh"), QStringLiteral("-c"),
                                           QStringLiteral("mkdir -p -- \"$1\" && df -Pk -- \"$1\" | tail -n 1"),
                                           QStringLiteral("tessera-preflight"), o.runDir}), 60);
  if (!r.ok()) {
    c.detail = problem(r);
    c.fix = QStringLiteral("choose a run directory on %1 that you may write to").arg(host.hostName());
    return c;
  }
  const QStringList f = output(r).split(QLatin1Char(' '), Qt::SkipEmptyParts);
  bool ok = false;
  const qint64 freeBytes = f.size() >= 4 ? f[3].toLongLong(&ok) * 1024 : -1;
  if (!ok) {
    c.detail = QStringLiteral("cannot read the free space (df printed '%1')").arg(output(r));
    c.fix = QStringLiteral("check that df works on %1").arg(host.hostName());
    return c;
  }
  c.detail = QStringLiteral("%1 GiB free in %2").arg(double(freeBytes) / double(1LL << 30), 0, 'f', 1).arg(o.runDir);
  if (freeBytes < o.minFreeBytes) {
    c.fix = QStringLiteral("free space on %1 (needs %2 GiB) or choose another run directory")
                .arg(host.hostName()).arg(double(o.minFreeBytes) / double(1LL << 30), 0, 'f', 1);
    return c;
  }
  c.ok = true;
  return c;
}

}  // namespace

bool PreflightReport::ok() const {
  for (const auto& c : checks)
    if (!c.ok) return false;
  return !checks.empty();
}

QString PreflightReport::toText() const {
  QStringList lines;
  for (const auto& c : checks) {
    QString line = QStringLiteral("%1  %2  %3: %4").arg(c.ok ? QStringLiteral("ok  ") : QStringLiteral("FAIL"), c.host, c.what, c.detail);
    if (!c.ok && !c.fix.isEmpty()) line += QStringLiteral(" -> ") + c.fix;
    lines << line;
  }
  return lines.join(QLatin1Char('\n'));
}

PreflightReport runPreflight(const std::vector<CommandRunner*>& hosts, const PreflightOptions& o) {
  PreflightReport report;
  for (CommandRunner* h : hosts) {
    report.checks.push_back(checkTessera(*h, o));
    if (o.gpusPerHost > 0) report.checks.push_back(checkGpus(*h, o));
    if (!o.runDir.isEmpty()) report.checks.push_back(checkDisk(*h, o));
  }
  // Rendezvous: the first host listens (tessera net-check listen), every other host connects.
  if (hosts.size() > 1) {
    const QString master = o.masterAddr.isEmpty() ? hosts.front()->address() : o.masterAddr;
    const QString port = QString::number(o.rendezvousPort);
    const QString listen = shellJoin({o.tesseraPath, QStringLiteral("net-check"), QStringLiteral("listen"), port,
                                      QString::number(static_cast<int>(hosts.size()) - 1), QStringLiteral("30")});
    // Started detached; it exits after the expected connections or its timeout.
    const ExecResult started = hosts.front()->run(listen + QStringLiteral(" </dev/null >/dev/null 2>&1 &"), 30);
    for (size_t i = 1; i < hosts.size(); ++i) {
      PreflightCheck c{hosts[i]->hostName(), QStringLiteral("rendezvous"), false, {}, {}};
      if (!started.ok()) {
        c.detail = QStringLiteral("cannot start a listener on %1: %2").arg(hosts.front()->hostName(), problem(started));
        c.fix = QStringLiteral("check the tessera binary on %1").arg(hosts.front()->hostName());
        report.checks.push_back(c);
        continue;
      }
      const ExecResult r = hosts[i]->run(shellJoin({o.tesseraPath, QStringLiteral("net-check"), QStringLiteral("connect"), master, port,
                                                    QStringLiteral("20")}), 60);
      c.ok = r.ok();
      c.detail = c.ok ? QStringLiteral("reaches %1:%2").arg(master, port)
                      : QStringLiteral("cannot reach %1:%2 (%3)").arg(master, port, problem(r));
      if (!c.ok)
        c.fix = QStringLiteral("open TCP port %1 (and the ports above it that c10d uses) from %2 to %3, or set the "
                               "rendezvous address (MASTER_ADDR) to an interface both hosts share")
                    .arg(port, hosts[i]->hostName(), master);
      report.checks.push_back(c);
    }
  }
  return report;
}

}  // namespace tessera::remote
