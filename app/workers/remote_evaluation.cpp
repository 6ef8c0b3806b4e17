#include "workers/remote_evaluation.h"

#include "tessera/remote/remote_generation.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QThread>

namespace {

struct Job {
  tessera::remote::RemoteGenerationRequest request;
  int first = 0;
  QStringList targets;  // the session's image paths for prompts first, first + 1, ...
};

}  // namespace

RemoteEvaluationGenerator::RemoteEvaluationGenerator(QObject* parent) : QObject(parent) {}

RemoteEvaluationGenerator::~RemoteEvaluationGenerator() {
  if (m_thread == nullptr) return;
  m_cancel = true;
  m_thread->wait();
  delete m_thread;
}

QList<QPair<int, int>> RemoteEvaluationGenerator::consecutiveRuns(const QList<int>& missing) {
  QList<QPair<int, int>> runs;
  for (int index : missing) {
    if (!runs.isEmpty() && runs.last().first + runs.last().second == index) ++runs.last().second;
    else runs.append({index, 1});
  }
  return runs;
}

bool RemoteEvaluationGenerator::start(const EvaluationSession& session, int model, tessera::remote::ConnectOptions options) {
  if (m_thread != nullptr) return false;
  const EvaluationSettings& s = session.settings();
  QList<int> missing;
  for (int i = 0; i < session.count(); ++i)
    if (!session.hasImage(model, i)) missing << i;
  if (missing.isEmpty()) return false;
  const QString side = model == 0 ? QStringLiteral("A") : QStringLiteral("B");
  const QString stamp = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-hhmmss-zzz"));
  QList<Job> jobs;
  for (const auto& [first, count] : consecutiveRuns(missing)) {
    Job job;
    job.first = first;
    tessera::remote::RemoteGenerationRequest& r = job.request;
    r.launcher = s.generateOn;
    r.host = s.host;
    // A fresh folder per job on the host: a job refuses one that holds an earlier job's images.
    r.jobDir = QStringLiteral("tessera-evaluations/%1-%2-%3-%4").arg(QFileInfo(session.folder()).fileName(), side).arg(first).arg(stamp);
    r.spec.runName = QStringLiteral("evaluate %1").arg(side);
    r.spec.tesseraPath = s.tesseraPath;
    r.generation.modelPath = model == 0 ? s.modelA : s.modelB;
    for (int i = first; i < first + count; ++i) {
      r.generation.prompts << session.items()[i].entry.prompt;
      job.targets << session.imagePath(model, i);
    }
    r.generation.steps = s.steps;
    r.generation.guidance = s.guidance;
    r.generation.seed = qint64(session.items()[first].seed);
    r.generation.width = s.width;
    r.generation.height = s.height;
    r.outDir = QDir(session.folder()).filePath(QStringLiteral("pending/remote-%1-%2").arg(side).arg(first));
    r.connect = options;
    r.cpu = s.hostCpu;
    jobs << job;
  }
  m_cancel = false;
  const int total = int(missing.size());
  m_thread = QThread::create([this, jobs, side, total] {
    int done = 0;
    for (const Job& job : jobs) {
      tessera::remote::RemoteGenerationObserver observer;
      observer.cancelled = [this] { return m_cancel.load(); };
      observer.stage = [this, side](tessera::remote::GenerationStage stage, const QString& host) {
        using G = tessera::remote::GenerationStage;
        const QString what = stage == G::Connecting  ? tr("connecting to %1").arg(host)
                             : stage == G::Checking  ? tr("checking %1").arg(host)
                             : stage == G::Starting  ? tr("starting on %1").arg(host)
                             : stage == G::Generating ? tr("generating on %1").arg(host)
                                                      : tr("preparing on %1").arg(host);
        Q_EMIT statusChanged(tr("Model %1: %2…").arg(side, what));
      };
      observer.generated = [this, side, done, total](int n, int) {
        Q_EMIT statusChanged(tr("Model %1: %2 of %3 images made on the host").arg(side).arg(done + n).arg(total));
      };
      QString failedChecks;
      observer.preflight = [&failedChecks](const tessera::remote::PreflightReport& report) {
        for (const auto& c : report.checks)
          if (!c.ok) failedChecks += QStringLiteral("\n%1: %2 (%3)").arg(c.what, c.detail, c.fix);
      };
      observer.connection = [this](bool restored, const QString& error) {
        Q_EMIT statusChanged(restored ? tr("Connection restored.") : tr("Connection lost (%1); trying again…").arg(error));
      };
      const tessera::remote::RemoteGenerationResult result = tessera::remote::runRemoteGeneration(job.request, observer);
      // What came back is kept, also from a job that failed or was cancelled; each image goes to
      // its prompt by the name tessera generate gave it ("<seed + k>-0.png").
      const QStringList names = tessera::remote::expectedImageNames(job.request.generation);
      for (const QString& image : result.images) {
        const int k = int(names.indexOf(QFileInfo(image).fileName()));
        if (k < 0 || k >= int(job.targets.size())) continue;
        QFile::remove(job.targets[k]);
        if (!QFile::rename(image, job.targets[k]) && !(QFile::copy(image, job.targets[k]) && QFile::remove(image))) {
          m_outcome = {false, false, tr("Cannot move %1 to %2.").arg(image, job.targets[k])};
          return;
        }
        Q_EMIT imageReady(job.first + k);
      }
      done += int(job.targets.size());
      if (!result.ok) {
        m_outcome = {false, result.cancelled, result.cancelled ? QString() : result.error + failedChecks};
        return;
      }
    }
    m_outcome = {true, false, QString()};
  });
  // finished() only once the thread is over, so that a receiver may start the next model at once.
  connect(m_thread, &QThread::finished, this, [this] {
    m_thread->deleteLater();
    m_thread = nullptr;
    Q_EMIT finished(m_outcome.ok, m_outcome.cancelled, m_outcome.message);
  });
  m_thread->start();
  return true;
}
