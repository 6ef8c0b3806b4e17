#pragma once
// One model's missing images of a blind evaluation, generated on a GPU host through
// tessera-remote's generation jobs (`tessera generate` over SSH or Slurm, images fetched back and
// verified), so full-size checkpoints can be compared without a local GPU. Prompt i keeps the
// seed settings.seed + i: the missing prompts are grouped into runs of consecutive indices and
// each run is one job whose first seed is that of its first prompt. Images land in the
// session's folder under the names the session expects, one by one as each job ends. Runs on a
// worker thread of its own; the signals arrive on the object's thread.

#include "models/evaluation_session.h"
#include "tessera/remote/run_watcher.h"

#include <QObject>
#include <QString>

#include <atomic>

class QThread;

class RemoteEvaluationGenerator : public QObject {
  Q_OBJECT

 public:
  explicit RemoteEvaluationGenerator(QObject* parent = nullptr);
  ~RemoteEvaluationGenerator() override;  // cancels a running job and waits for it

  bool isRunning() const { return m_thread != nullptr; }
  // Starts generating model `model` (0 = A, 1 = B) of `session` where its settings say
  // (generateOn ssh or slurm, host, tesseraPath). False when a generation is already running or
  // nothing is missing.
  bool start(const EvaluationSession& session, int model, tessera::remote::ConnectOptions options);
  // Asks the running job to stop (it is cancelled on its host); finished() follows.
  void cancel() { m_cancel = true; }

  // Consecutive runs [first, first + count) of the indices in `missing` (sorted).
  static QList<QPair<int, int>> consecutiveRuns(const QList<int>& missing);

 Q_SIGNALS:
  void statusChanged(const QString& text);
  void imageReady(int index);
  void finished(bool ok, bool cancelled, const QString& message);

 private:
  struct Outcome {
    bool ok = false;
    bool cancelled = false;
    QString message;
  };
  QThread* m_thread = nullptr;
  std::atomic<bool> m_cancel{false};
  Outcome m_outcome;  // written by the worker thread, read after it has finished
};
