#pragma once
// Remote generation: `tessera generate` over a prompt set on a GPU host, through any launcher
// (this machine, an SSH host, Slurm), with its images coming back here — so that the studio can
// compare full-size checkpoints without a local GPU, and `tessera-remote generate` can script it.
//
// A job lives in a folder of its own on the host (the launcher's run directory): the prompts go
// to <job>/prompts.txt (one per line, written over SFTP, never through a command line), the images
// to <job>/images/<seed+k>-<i>.png, the launcher's pid, log and exit files beside them. The job
// runs detached like a training rank, is watched to its end by polling, and each image is fetched
// (SFTP, verified; a copy for this machine) as soon as it exists — `tessera generate` writes every
// PNG atomically, so an image that is there is whole. A job is short and is not kept in the run
// registry (the Runs page lists training runs); its folder stays on the host. Blocking: call it
// from a worker thread, or use RemoteGenerationJob, which reports the same through Qt signals.

#include "tessera/remote/launcher.h"
#include "tessera/remote/preflight.h"
#include "tessera/remote/run_registry.h"
#include "tessera/remote/run_watcher.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>

namespace tessera::remote {

// What `tessera generate` draws (its flags; engine/cli/command_generate.cpp).
struct GenerationSettings {
  QStringList prompts;      // one batch per prompt, prompt k with seed + k; neither blank nor with line breaks
  QString negativePrompt;
  QString modelPath;        // the diffusers folder on the host (absolute, or relative to the login folder)
  QString sampler;          // empty: the model's own
  int steps = 50;
  double guidance = 7.5;
  qint64 seed = 0;          // >= 0; the image names depend on it
  int width = 0;            // 0: the model's default
  int height = 0;
  int batch = 1;            // images per prompt
  int threads = 0;          // intra-op CPU threads on the host; 0: all its cores
};

// Why the settings cannot be run, or an empty string when they can.
QString checkGenerationSettings(const GenerationSettings& settings);
// The names `tessera generate` gives the images, in prompt order: "<seed + k>-<i>.png".
QStringList expectedImageNames(const GenerationSettings& settings);
// The prompts file: one prompt per line, UTF-8.
QByteArray promptsFileContents(const GenerationSettings& settings);
// The arguments after the binary: `generate --model M --prompts-file F --out O --seed N ...`.
QStringList generateArguments(const GenerationSettings& settings, const QString& modelPath, const QString& promptsFile,
                              const QString& outDir);

struct RemoteGenerationRequest {
  QString launcher;          // "local", "ssh" or "slurm"
  QString host;              // ssh: the GPU host; slurm: the login host, or empty for this machine; local: empty
  QString jobDir;            // on the host; created; must not hold images of an earlier job
  LaunchSpec spec;           // runName, tesseraPath, environment and the Slurm settings; runDir, arguments
                             // and the rank count are filled in (one process)
  GenerationSettings generation;
  QString outDir;            // here: where the images come back
  bool preflight = true;     // check the tessera binary, disk space and (unless cpu) a GPU first
  bool cpu = false;          // generate on the host's CPU: no GPU check
  qint64 minFreeBytes = qint64(1) << 30;
  int pollIntervalMs = 1000;
  int timeoutSecs = 0;       // > 0: cancel the job when it takes longer
  int reconnectSecs = 300;   // how long to keep connecting again after the connection dropped
  ConnectOptions connect;
};

enum class GenerationStage { Connecting, Preparing, Checking, UploadingPrompts, Starting, Generating, Finishing };

struct RemoteGenerationObserver {
  std::function<void(GenerationStage stage, const QString& host)> stage;
  std::function<void(const PreflightReport& report)> preflight;  // after the checks, ok or not
  std::function<void(int done, int total)> generated;             // images written on the host so far
  std::function<void(const QString& localPath, int fetched, int total)> fetched;
  // The connection to the host dropped (restored = false, with why) or is back; the job runs on
  // detached meanwhile, and no image is lost or fetched twice.
  std::function<void(bool restored, const QString& error)> connection;
  // Polled between stages and while the job runs; a job that has started is then cancelled on its host.
  std::function<bool()> cancelled;
};

struct [[nodiscard]] RemoteGenerationResult {
  bool ok = false;
  bool cancelled = false;
  bool preflightFailed = false;  // error then says so; the report went to the observer
  QString error;                 // for a failed job: host, command, exit status and the end of its output
  QString host;
  QString command;               // the `tessera generate` line as run on the host
  int exitCode = -1;
  QString outputTail;            // the last lines the job printed (stdout and stderr)
  QStringList images;            // here, in prompt order (for a failed or cancelled job: those that came back)
  RunRecord record;              // the job as launched: launcher, host, job folder, Slurm job id, state
};

RemoteGenerationResult runRemoteGeneration(RemoteGenerationRequest request, const RemoteGenerationObserver& observer = {});

// runRemoteGeneration as a QObject for the studio: move it to a worker thread, call start() there
// (it blocks until the job is over) and follow the signals.
class RemoteGenerationJob : public QObject {
  Q_OBJECT

 public:
  explicit RemoteGenerationJob(RemoteGenerationRequest request, QObject* parent = nullptr);
  const RemoteGenerationResult& result() const { return m_result; }
  // Thread-safe; call it directly, not through a queued connection: start() keeps the job's
  // thread busy until the job is over.
  void cancel() { m_cancelled = true; }

 public Q_SLOTS:
  void start();  // once per job

 Q_SIGNALS:
  void stageChanged(tessera::remote::GenerationStage stage, const QString& host);
  void preflightReported(bool ok, const QString& text);
  void imagesGenerated(int done, int total);
  void imageFetched(const QString& localPath, int fetched, int total);
  void connectionLost(const QString& error);
  void connectionRestored();
  void finished(bool ok, const QString& error, const QStringList& images);

 private:
  RemoteGenerationRequest m_request;
  RemoteGenerationResult m_result;
  std::atomic<bool> m_cancelled{false};
};

}  // namespace tessera::remote

Q_DECLARE_METATYPE(tessera::remote::GenerationStage)
