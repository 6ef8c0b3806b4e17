// tessera-remote status | tail | cancel | fetch: work on a recorded run, from its registry entry.

#include "cli_common.h"
#include "commands.h"

#include "tessera/remote/command_runner.h"
#include "tessera/remote/file_tail.h"
#include "tessera/remote/sftp_client.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QThread>

#include <cstdio>

namespace tessera::remote::cli {
namespace {

const char* const kStatusHelp =
    "usage: tessera-remote status [RUN_ID] [--json]\n"
    "\n"
    "Without RUN_ID: the recorded runs, newest first, as last seen. With RUN_ID: asks the hosts\n"
    "(or Slurm) for the run's state now, records it, and prints it.\n";
const char* const kTailHelp =
    "usage: tessera-remote tail RUN_ID [--follow] [--log] [--interval SECONDS]\n"
    "\n"
    "Prints the run's metrics (RUN_DIR/metrics.jsonl, one JSON object per line) or with --log the\n"
    "log of rank 0. --follow keeps printing new lines until the run ends, reconnecting when the\n"
    "connection drops (no line is lost or printed twice).\n";
const char* const kCancelHelp =
    "usage: tessera-remote cancel RUN_ID\n"
    "\n"
    "Stops every process of the run on every host (or scancels the Slurm job).\n";
const char* const kFetchHelp =
    "usage: tessera-remote fetch RUN_ID --out DIR [--samples] [--checkpoints] [--metrics]\n"
    "\n"
    "Copies the run's sample images, checkpoints and/or metrics into DIR (verified, resumable; files\n"
    "already there unchanged are skipped). Default: samples and metrics.\n";

bool helpRequested(const Flags& f, const char* help) {
  if (!f.has(QStringLiteral("help"))) return false;
  std::fputs(help, stdout);
  std::fputs(kConnectionFlagsHelp, stdout);
  return true;
}

std::unique_ptr<RunConnection> connectRun(const RunRecord& record, const Flags& f) {
  QString error;
  auto c = RunConnection::open(record, connectOptions(f), &error);
  if (!c) throw Failure(QStringLiteral("cannot reach run %1: %2").arg(record.id, error));
  return c;
}

QString describe(const RunRecord& r) {
  QString line = QStringLiteral("%1  %2  %3  %4").arg(r.id, runStateName(r.state), r.launcher, r.hosts.join(QLatin1Char(',')));
  if (!r.jobId.isEmpty()) line += QStringLiteral("  job %1").arg(r.jobId);
  if (!r.message.isEmpty()) line += QStringLiteral("  (%1)").arg(r.message);
  return line;
}

}  // namespace

int runStatus(const QStringList& args) {
  const Flags f(QStringLiteral("status"), args, {{QStringLiteral("json"), false}}, 0, 1);
  if (helpRequested(f, kStatusHelp)) return 0;
  RunRegistry reg = registry(f);
  if (f.positionals().isEmpty()) {
    QStringList problems;
    const auto runs = reg.list(&problems);
    for (const QString& p : problems) printError(p);
    if (f.has(QStringLiteral("json"))) {
      QJsonArray all;
      for (const auto& r : runs) all.append(r.toJson());
      printLine(QString::fromUtf8(QJsonDocument(all).toJson(QJsonDocument::Compact)));
    } else {
      for (const auto& r : runs) printLine(describe(r));
      if (runs.empty()) printLine(QStringLiteral("no runs recorded in %1").arg(reg.folder()));
    }
    return 0;
  }
  RunRecord record = findRun(reg, f.positionals().first());
  auto c = connectRun(record, f);
  QString error;
  if (!c->launcher().refresh(&record, &error)) throw Failure(error);
  if (!reg.save(record, &error)) printError(error);
  printLine(f.has(QStringLiteral("json")) ? QString::fromUtf8(QJsonDocument(record.toJson()).toJson(QJsonDocument::Compact))
                                          : describe(record));
  return 0;
}

int runTail(const QStringList& args) {
  const Flags f(QStringLiteral("tail"), args,
                {{QStringLiteral("follow"), false}, {QStringLiteral("log"), false}, {QStringLiteral("interval"), true}}, 1, 1);
  if (helpRequested(f, kTailHelp)) return 0;
  RunRegistry reg = registry(f);
  RunRecord record = findRun(reg, f.positionals().first());
  const bool log = f.has(QStringLiteral("log"));
  const int intervalMs = f.intValue(QStringLiteral("interval"), 2, 1, 3600) * 1000;
  FileTail tail(log ? runLogPath(record) : runMetricsPath(record));
  std::unique_ptr<RunConnection> c;
  int failures = 0;
  for (;;) {
    QString error;
    if (!c) c = RunConnection::open(record, connectOptions(f), &error);
    bool ended = false;
    if (c) {
      // State before reading, so that the lines written before the end are still printed.
      RunRecord now = record;
      const bool refreshed = f.has(QStringLiteral("follow")) ? c->launcher().refresh(&now, &error) : true;
      QList<QByteArray> lines;
      if (refreshed && tail.poll(c->primary(), &lines, &error) != FileTail::Result::Error) {
        for (const QByteArray& l : lines) {
          std::fwrite(l.constData(), 1, size_t(l.size()), stdout);
          std::fputc('\n', stdout);
        }
        std::fflush(stdout);
        failures = 0;
        record = now;
        ended = isFinished(record.state) || record.state == RunState::Lost;
      } else {
        c.reset();
      }
    }
    if (!c) {
      printError(QStringLiteral("%1 (retrying)").arg(error));
      if (!f.has(QStringLiteral("follow")) || ++failures > 30) throw Failure(error);
    }
    if (!f.has(QStringLiteral("follow")) || ended) break;
    QThread::msleep(static_cast<unsigned long>(intervalMs));
  }
  if (f.has(QStringLiteral("follow"))) {
    QString error;
    if (!reg.save(record, &error)) printError(error);
    printError(QStringLiteral("run %1 %2").arg(record.id, runStateName(record.state)));
    return record.state == RunState::Succeeded ? 0 : 1;
  }
  return 0;
}

int runCancel(const QStringList& args) {
  const Flags f(QStringLiteral("cancel"), args, {}, 1, 1);
  if (helpRequested(f, kCancelHelp)) return 0;
  RunRegistry reg = registry(f);
  RunRecord record = findRun(reg, f.positionals().first());
  auto c = connectRun(record, f);
  QString error;
  if (!c->launcher().cancel(&record, &error)) throw Failure(error);
  if (!reg.save(record, &error)) printError(error);
  printLine(describe(record));
  return 0;
}

int runFetch(const QStringList& args) {
  const Flags f(QStringLiteral("fetch"), args,
                {{QStringLiteral("out"), true}, {QStringLiteral("samples"), false}, {QStringLiteral("checkpoints"), false},
                 {QStringLiteral("metrics"), false}},
                1, 1);
  if (helpRequested(f, kFetchHelp)) return 0;
  const QString out = f.value(QStringLiteral("out"));
  if (out.isEmpty()) throw UsageError(QStringLiteral("fetch needs --out DIR"));
  RunRegistry reg = registry(f);
  const RunRecord record = findRun(reg, f.positionals().first());
  bool samples = f.has(QStringLiteral("samples")), checkpoints = f.has(QStringLiteral("checkpoints")),
       metrics = f.has(QStringLiteral("metrics"));
  if (!samples && !checkpoints && !metrics) samples = metrics = true;
  if (record.launcher == QLatin1String("local") ||
      (record.launcher == QLatin1String("slurm") && record.hosts.value(0) == QLatin1String("localhost")))
    throw Failure(QStringLiteral("run %1 ran on this machine: its files are in %2").arg(record.id, record.runDir));

  if (record.hosts.isEmpty()) throw Failure(QStringLiteral("run %1 has no host to fetch from").arg(record.id));
  QString error;
  const auto session = openSession(record.hosts.value(0), connectOptions(f), &error);
  if (!session) throw Failure(error);
  SftpClient sftp(*session);
  if (!sftp.open()) throw Failure(sftp.errorString());
  auto progress = [](const TransferProgress& t) {
    std::fprintf(stderr, "\r%s  %d/%d  %lld/%lld bytes   ", qPrintable(t.path.section(QLatin1Char('/'), -1)), t.fileIndex + 1,
                 t.fileCount, static_cast<long long>(t.bytesDone), static_cast<long long>(t.bytesTotal));
    return true;
  };
  auto syncFolder = [&](const QString& name) {
    std::vector<RemoteEntry> entries;
    if (!sftp.list(record.runDir + QLatin1Char('/') + name, &entries)) {
      printLine(QStringLiteral("%1: none yet").arg(name));
      return;
    }
    const SyncResult r = sftp.syncDown(record.runDir + QLatin1Char('/') + name, QDir(out).filePath(name), progress);
    std::fputc('\n', stderr);
    if (!r.ok) throw Failure(r.error);
    printLine(QStringLiteral("%1: %2 fetched, %3 already here").arg(name).arg(r.filesTransferred).arg(r.filesUpToDate));
  };
  if (samples) syncFolder(QStringLiteral("samples"));
  if (checkpoints) syncFolder(QStringLiteral("checkpoints"));
  if (metrics) {
    if (!QDir().mkpath(out)) throw Failure(QStringLiteral("cannot create %1").arg(out));
    const auto r = sftp.download(runMetricsPath(record), QDir(out).filePath(QStringLiteral("metrics.jsonl")));
    if (!r.ok) throw Failure(r.error);
    printLine(QStringLiteral("metrics.jsonl: %1 bytes").arg(r.bytes));
  }
  return 0;
}

}  // namespace tessera::remote::cli
