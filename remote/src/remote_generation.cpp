#include "tessera/remote/remote_generation.h"

#include "tessera/remote/command_runner.h"
#include "tessera/remote/process_launcher.h"
#include "tessera/remote/sftp_client.h"
#include "tessera/remote/shell_quote.h"
#include "tessera/remote/slurm_launcher.h"
#include "tessera/remote/ssh_session.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSaveFile>
#include <QSet>
#include <QTemporaryFile>
#include <QThread>

#include <cmath>
#include <limits>
#include <memory>

namespace tessera::remote {
namespace {

// Run on the host with $1 = the job folder, $2 = the model folder, both as given. Resolves both to
// absolute paths (a Slurm job starts in the job folder, a rank in the login folder: absolute paths
// mean the same to both) and prints them NUL-separated; the exit status says what is wrong.
const char* const kPrepareScript =
    "m=$(cd -- \"$2\" 2>/dev/null && pwd -P) || exit 12; "
    "[ -f \"$m/model_index.json\" ] || exit 13; "
    "mkdir -p -- \"$1\" || exit 10; cd -- \"$1\" || exit 10; "
    "[ -n \"$(ls -A images 2>/dev/null)\" ] && exit 11; mkdir -p images || exit 10; "
    "printf '%s\\0%s' \"$(pwd -P)\" \"$m\"";

// $1 = a folder: its entries, one a line (nothing when it does not exist yet).
const char* const kListScript = "cd -- \"$1\" 2>/dev/null || exit 0; ls -1A";

constexpr int kTailLines = 20;

QString errorText(const ExecResult& r) {
  return r.started && r.error.isEmpty() ? QString::fromUtf8(r.standardError).trimmed() : r.error;
}

QString lastLines(const QByteArray& text, int count) {
  QStringList lines = QString::fromUtf8(text).split(QLatin1Char('\n'));
  while (!lines.isEmpty() && lines.last().trimmed().isEmpty()) lines.removeLast();
  // A terminal progress line ("\r[prompt 1/3] step 4/50") keeps only what was drawn last.
  for (QString& l : lines) l = l.section(QLatin1Char('\r'), -1);
  return lines.mid(std::max<qsizetype>(0, lines.size() - count)).join(QLatin1Char('\n'));
}

// The host a job runs on: this machine, or an SSH connection (with SFTP once needed) that can be
// made again after it dropped.
struct JobHost {
  SshParameters parameters;  // unset for this machine
  const ConnectOptions* options = nullptr;
  std::unique_ptr<SshSession> session;
  std::unique_ptr<CommandRunner> runner;
  std::unique_ptr<SftpClient> sftp;
  bool local() const { return parameters.host.isEmpty(); }
  QString name() const { return runner ? runner->hostName() : parameters.displayName(); }
  bool connect(QString* error) {
    sftp.reset();
    runner.reset();
    session = std::make_unique<SshSession>(parameters);
    if (options->acceptUnknownHostKey) session->setUnknownHostKeyHandler(options->acceptUnknownHostKey);
    if (options->passphrase) session->setPassphraseHandler(options->passphrase);
    if (!session->connectToHost()) {
      *error = QStringLiteral("%1: %2").arg(parameters.displayName(), session->errorString());
      return false;
    }
    runner = std::make_unique<SshRunner>(*session);
    return true;
  }
  SftpClient* openSftp(QString* error) {
    if (!sftp) {
      auto client = std::make_unique<SftpClient>(*session);
      if (!client->open()) {
        *error = QStringLiteral("%1: %2").arg(name(), client->errorString());
        return nullptr;
      }
      sftp = std::move(client);
    }
    return sftp.get();
  }
};

// Copies one file on this machine through "<target>.part", so the target is never half-written.
bool copyLocal(const QString& from, const QString& to, QString* error) {
  const QString part = to + QStringLiteral(".part");
  QFile::remove(part);
  if (!QFile::copy(from, part)) {
    *error = QStringLiteral("cannot copy %1 to %2").arg(from, part);
    return false;
  }
  QFile::remove(to);
  if (!QFile::rename(part, to)) {
    *error = QStringLiteral("cannot move %1 into place").arg(to);
    return false;
  }
  return true;
}

}  // namespace

QString checkGenerationSettings(const GenerationSettings& s) {
  if (s.prompts.isEmpty()) return QStringLiteral("no prompts to generate");
  for (int k = 0; k < s.prompts.size(); ++k) {
    const QString& p = s.prompts[k];
    if (p.contains(QLatin1Char('\n')) || p.contains(QLatin1Char('\r')))
      return QStringLiteral("prompt %1 has a line break; the prompts file holds one prompt per line").arg(k + 1);
    if (p.trimmed().isEmpty()) return QStringLiteral("prompt %1 is blank").arg(k + 1);
  }
  if (s.modelPath.isEmpty()) return QStringLiteral("no model folder given");
  if (s.steps < 1 || s.steps > 1000) return QStringLiteral("steps must be 1..1000");
  if (s.seed < 0 || s.seed > std::numeric_limits<qint64>::max() - s.prompts.size())
    return QStringLiteral("the seed must be a number from 0 to 2^63 - 1 - the prompt count");
  if ((s.width != 0 && (s.width < 8 || s.width > 8192)) || (s.height != 0 && (s.height < 8 || s.height > 8192)))
    return QStringLiteral("width and height must be 8..8192 (or 0 for the model's)");
  if (s.batch < 1 || s.batch > 64) return QStringLiteral("the batch must be 1..64 images per prompt");
  if (s.threads < 0) return QStringLiteral("threads must not be negative");
  if (!std::isfinite(s.guidance)) return QStringLiteral("the guidance scale must be a number");
  return {};
}

QStringList expectedImageNames(const GenerationSettings& s) {
  QStringList names;
  for (int k = 0; k < s.prompts.size(); ++k)
    for (int i = 0; i < s.batch; ++i) names << QStringLiteral("%1-%2.png").arg(s.seed + k).arg(i);
  return names;
}

QByteArray promptsFileContents(const GenerationSettings& s) {
  QByteArray out;
  for (const QString& p : s.prompts) out += p.toUtf8() + '\n';
  return out;
}

QStringList generateArguments(const GenerationSettings& s, const QString& modelPath, const QString& promptsFile,
                              const QString& outDir) {
  QStringList a{QStringLiteral("generate"), QStringLiteral("--model"), modelPath, QStringLiteral("--prompts-file"), promptsFile,
                QStringLiteral("--out"), outDir, QStringLiteral("--seed"), QString::number(s.seed),
                QStringLiteral("--steps"), QString::number(s.steps), QStringLiteral("--guidance"),
                QString::number(s.guidance, 'g', 17), QStringLiteral("--batch"), QString::number(s.batch)};
  if (!s.negativePrompt.isEmpty()) a << QStringLiteral("--negative-prompt") << s.negativePrompt;
  if (!s.sampler.isEmpty()) a << QStringLiteral("--sampler") << s.sampler;
  if (s.width > 0) a << QStringLiteral("--width") << QString::number(s.width);
  if (s.height > 0) a << QStringLiteral("--height") << QString::number(s.height);
  if (s.threads > 0) a << QStringLiteral("--threads") << QString::number(s.threads);
  return a;
}

RemoteGenerationResult runRemoteGeneration(RemoteGenerationRequest request, const RemoteGenerationObserver& observer) {
  RemoteGenerationResult result;
  const auto stage = [&](GenerationStage s, const QString& host) {
    if (observer.stage) observer.stage(s, host);
  };
  const auto fail = [&](const QString& why) {
    result.error = why;
    return result;
  };
  const auto cancelledBeforeStart = [&] {
    result.cancelled = observer.cancelled && observer.cancelled();
    if (result.cancelled) result.error = QStringLiteral("cancelled before the generation started");
    return result.cancelled;
  };

  const QString& kind = request.launcher;
  if (kind != QLatin1String("local") && kind != QLatin1String("ssh") && kind != QLatin1String("slurm"))
    return fail(QStringLiteral("the launcher must be local, ssh or slurm"));
  if (kind == QLatin1String("ssh") && request.host.isEmpty()) return fail(QStringLiteral("an SSH generation needs a host"));
  if (kind == QLatin1String("local") && !request.host.isEmpty()) return fail(QStringLiteral("a local generation takes no host"));
  if (request.jobDir.isEmpty()) return fail(QStringLiteral("no job folder given"));
  if (request.outDir.isEmpty()) return fail(QStringLiteral("no folder given for the images"));
  if (const QString problem = checkGenerationSettings(request.generation); !problem.isEmpty()) return fail(problem);
  const GenerationSettings& settings = request.generation;
  const QStringList expected = expectedImageNames(settings);
  if (!QDir().mkpath(request.outDir)) return fail(QStringLiteral("cannot create %1").arg(request.outDir));

  // 1. The host.
  JobHost host;
  QString error;
  host.options = &request.connect;
  if (request.host.isEmpty()) {
    host.runner = std::make_unique<LocalRunner>(request.connect.localEnvironment);
  } else {
    if (cancelledBeforeStart()) return result;
    stage(GenerationStage::Connecting, request.host);
    host.parameters = request.connect.base;
    if (!host.parameters.setDestination(request.host)) return fail(QStringLiteral("invalid host '%1'").arg(request.host));
    if (!request.connect.base.user.isEmpty() && !request.host.contains(QLatin1Char('@'))) host.parameters.user = request.connect.base.user;
    if (!host.connect(&error)) return fail(error);
  }
  result.host = host.name();

  // 2. The job folder and the model, resolved on the host.
  if (cancelledBeforeStart()) return result;
  stage(GenerationStage::Preparing, host.name());
  const ExecResult prepared = host.runner->run(shellJoin({QStringLiteral("sh"), QStringLiteral("-c"), QString::fromLatin1(kPrepareScript),
                                                          QStringLiteral("tessera-prepare"), request.jobDir, settings.modelPath}));
  if (!prepared.ok()) {
    switch (prepared.started && prepared.error.isEmpty() ? prepared.exitStatus : -1) {
      case 12: return fail(QStringLiteral("%1: model folder '%2' not found").arg(host.name(), settings.modelPath));
      case 13:
        return fail(QStringLiteral("%1: '%2' is not a diffusers model folder (no model_index.json)").arg(host.name(), settings.modelPath));
      case 11:
        return fail(QStringLiteral("%1: job folder '%2' already holds images from an earlier generation; choose a new job folder")
                        .arg(host.name(), request.jobDir));
      default:
        return fail(QStringLiteral("%1: cannot create the job folder '%2': %3").arg(host.name(), request.jobDir, errorText(prepared)));
    }
  }
  const QList<QByteArray> paths = prepared.standardOutput.split('\0');
  if (paths.size() != 2 || paths[0].isEmpty() || paths[1].isEmpty())
    return fail(QStringLiteral("%1: unexpected answer while preparing the job folder: '%2'")
                    .arg(host.name(), QString::fromUtf8(prepared.standardOutput)));
  const QString jobDir = QString::fromUtf8(paths[0]);
  const QString modelDir = QString::fromUtf8(paths[1]);
  const QString imagesDir = jobDir + QStringLiteral("/images");
  const QString promptsFile = jobDir + QStringLiteral("/prompts.txt");

  LaunchSpec spec = request.spec;
  spec.runDir = jobDir;
  spec.gpusPerHost = 1;
  spec.nodes = 1;
  if (spec.runName.isEmpty()) spec.runName = QStringLiteral("generate");
  spec.arguments = generateArguments(settings, modelDir, promptsFile, imagesDir);
  result.command = shellJoin(QStringList{spec.tesseraPath} + spec.arguments);

  // 3. Checks.
  if (request.preflight) {
    if (cancelledBeforeStart()) return result;
    stage(GenerationStage::Checking, host.name());
    PreflightOptions p;
    p.tesseraPath = spec.tesseraPath;
    p.runDir = jobDir;
    // Slurm picks the node later: only the login host's tessera and disk can be checked now.
    p.gpusPerHost = request.cpu || kind == QLatin1String("slurm") ? 0 : 1;
    p.minFreeBytes = request.minFreeBytes;
    const PreflightReport report = runPreflight({host.runner.get()}, p);
    if (observer.preflight) observer.preflight(report);
    if (!report.ok()) {
      result.preflightFailed = true;
      return fail(QStringLiteral("preflight failed on %1").arg(host.name()));
    }
  }

  // 4. The prompts: a file, never a command line.
  if (cancelledBeforeStart()) return result;
  stage(GenerationStage::UploadingPrompts, host.name());
  const QByteArray prompts = promptsFileContents(settings);
  if (host.local()) {
    QSaveFile f(promptsFile);
    if (!f.open(QIODevice::WriteOnly) || f.write(prompts) != prompts.size() || !f.commit())
      return fail(QStringLiteral("cannot write %1: %2").arg(promptsFile, f.errorString()));
  } else {
    QTemporaryFile local;
    if (!local.open() || local.write(prompts) != prompts.size() || !local.flush())
      return fail(QStringLiteral("cannot write a temporary prompts file: %1").arg(local.errorString()));
    SftpClient* sftp = host.openSftp(&error);
    if (!sftp) return fail(error);
    const TransferResult up = sftp->upload(local.fileName(), promptsFile);
    if (!up.ok) return fail(QStringLiteral("cannot upload the prompts to %1: %2").arg(host.name(), up.error));
  }

  // 5. Start.
  if (cancelledBeforeStart()) return result;
  stage(GenerationStage::Starting, host.name());
  // Made again with the runner after a reconnection (launchers keep no state but their hosts).
  const auto makeLauncher = [&]() -> std::unique_ptr<Launcher> {
    if (kind == QLatin1String("slurm")) return std::make_unique<SlurmLauncher>(*host.runner);
    return std::make_unique<ProcessLauncher>(kind, std::vector<CommandRunner*>{host.runner.get()});
  };
  std::unique_ptr<Launcher> launcher = makeLauncher();
  RunRecord& record = result.record;
  if (!launcher->launch(spec, &record, &error)) return fail(error);
  if (!request.host.isEmpty()) record.hosts = QStringList{request.host};

  // 6. Watch it to its end, fetching each image once it is there.
  stage(GenerationStage::Generating, host.name());
  QSet<QString> fetched;
  int lastDone = -1;
  const QSet<QString> wanted(expected.cbegin(), expected.cend());
  const auto collect = [&](QString* why) -> bool {
    const ExecResult listing = host.runner->run(
        shellJoin({QStringLiteral("sh"), QStringLiteral("-c"), QString::fromLatin1(kListScript), QStringLiteral("tessera-list"), imagesDir}));
    if (!listing.ok()) {
      *why = QStringLiteral("cannot list %1 on %2: %3").arg(imagesDir, host.name(), errorText(listing));
      return false;
    }
    QSet<QString> present;
    for (const QByteArray& line : listing.standardOutput.split('\n'))
      if (const QString name = QString::fromUtf8(line); wanted.contains(name)) present.insert(name);
    if (present.size() != lastDone) {
      lastDone = static_cast<int>(present.size());
      if (observer.generated) observer.generated(lastDone, static_cast<int>(expected.size()));
    }
    for (const QString& name : expected) {  // prompt order
      if (fetched.contains(name) || !present.contains(name)) continue;
      const QString target = QDir(request.outDir).filePath(name);
      const QString source = imagesDir + QLatin1Char('/') + name;
      if (host.local()) {
        if (!copyLocal(source, target, why)) return false;
      } else {
        SftpClient* sftp = host.openSftp(why);
        if (!sftp) return false;
        const TransferResult down = sftp->download(source, target);
        if (!down.ok) {
          *why = QStringLiteral("cannot fetch %1 from %2: %3").arg(source, host.name(), down.error);
          return false;
        }
      }
      fetched.insert(name);
      if (observer.fetched) observer.fetched(target, static_cast<int>(fetched.size()), static_cast<int>(expected.size()));
    }
    return true;
  };
  const auto imagesHere = [&] {
    QStringList out;
    for (const QString& name : expected)
      if (fetched.contains(name)) out << QDir(request.outDir).filePath(name);
    return out;
  };
  const auto outputTail = [&] {
    const ExecResult t = host.runner->run(shellJoin({QStringLiteral("tail"), QStringLiteral("-n"), QString::number(kTailLines * 4),
                                                     QStringLiteral("--"), runLogPath(record)}));
    return t.ok() ? lastLines(t.standardOutput, kTailLines) : QString();
  };
  const auto stopJob = [&](const QString& why) {
    QString cancelError = QStringLiteral("no connection to %1 (the job may still be running in %2)").arg(host.name(), jobDir);
    const bool stopped = launcher && launcher->cancel(&record, &cancelError);
    result.images = imagesHere();
    result.error = stopped ? why : QStringLiteral("%1; stopping the job failed: %2").arg(why, cancelError);
    return result;
  };

  QElapsedTimer clock, lostFor;
  clock.start();
  const auto pause = [&] { QThread::msleep(static_cast<unsigned long>(std::max(50, request.pollIntervalMs))); };
  for (;;) {
    if (observer.cancelled && observer.cancelled()) {
      result.cancelled = true;
      return stopJob(QStringLiteral("cancelled; the job on %1 was stopped").arg(host.name()));
    }
    if (request.timeoutSecs > 0 && clock.elapsed() > qint64(request.timeoutSecs) * 1000)
      return stopJob(QStringLiteral("the generation on %1 took longer than %2 s and was stopped").arg(host.name()).arg(request.timeoutSecs));
    // State first: images written before the job ended are then still collected in this round.
    if (!lostFor.isValid() && launcher->refresh(&record, &error) && collect(&error)) {
      if (record.state != RunState::Running && record.state != RunState::Pending) break;
      pause();
      continue;
    }
    result.images = imagesHere();
    if (host.local()) return fail(error);
    // A dropped connection: the job goes on detached; connect again and carry on where we were.
    if (!lostFor.isValid()) {
      lostFor.start();
      if (observer.connection) observer.connection(false, error);
    } else if (lostFor.elapsed() > qint64(request.reconnectSecs) * 1000) {
      return fail(QStringLiteral("lost the connection to %1 for more than %2 s: %3 (the job may still be running in %4)")
                      .arg(host.name()).arg(request.reconnectSecs).arg(error, jobDir));
    }
    launcher.reset();  // it refers to the runner that connect() replaces
    pause();
    if (host.connect(&error)) {
      launcher = makeLauncher();
      lostFor.invalidate();
      if (observer.connection) observer.connection(true, QString());
    }
  }

  stage(GenerationStage::Finishing, host.name());
  result.images = imagesHere();
  result.exitCode = record.exitCode;
  if (record.state == RunState::Succeeded && fetched.size() == expected.size()) {
    result.ok = true;
    return result;
  }
  result.outputTail = outputTail();
  QString what;
  if (record.state == RunState::Succeeded)
    what = QStringLiteral("finished, but %1 of %2 images are missing").arg(expected.size() - fetched.size()).arg(expected.size());
  else if (record.state == RunState::Failed)
    what = QStringLiteral("failed with exit status %1").arg(record.exitCode);
  else
    what = QStringLiteral("ended %1 (%2)").arg(runStateName(record.state), record.message);
  result.error = QStringLiteral("tessera generate on %1 %2\ncommand: %3\n%4")
                     .arg(host.name(), what, result.command,
                          result.outputTail.isEmpty() ? QStringLiteral("(it printed nothing; see %1)").arg(runLogPath(record))
                                                      : result.outputTail);
  return result;
}

RemoteGenerationJob::RemoteGenerationJob(RemoteGenerationRequest request, QObject* parent)
    : QObject(parent), m_request(std::move(request)) {
  qRegisterMetaType<tessera::remote::GenerationStage>();  // for queued connections across threads
}

void RemoteGenerationJob::start() {
  RemoteGenerationObserver observer;
  observer.stage = [this](GenerationStage s, const QString& host) { Q_EMIT stageChanged(s, host); };
  observer.preflight = [this](const PreflightReport& report) { Q_EMIT preflightReported(report.ok(), report.toText()); };
  observer.generated = [this](int done, int total) { Q_EMIT imagesGenerated(done, total); };
  observer.fetched = [this](const QString& path, int done, int total) { Q_EMIT imageFetched(path, done, total); };
  observer.connection = [this](bool restored, const QString& error) {
    if (restored)
      Q_EMIT connectionRestored();
    else
      Q_EMIT connectionLost(error);
  };
  observer.cancelled = [this] { return m_cancelled.load(); };
  m_result = runRemoteGeneration(m_request, observer);
  Q_EMIT finished(m_result.ok, m_result.error, m_result.images);
}

}  // namespace tessera::remote
