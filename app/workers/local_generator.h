#pragma once
// Local generation for the studio, in-process. A model is loaded on a thread of its own (a
// diffusers folder, or a Tessera training checkpoint that is first exported to one in the cache
// folder); jobs then run in order on tessera::GenerationQueue's worker thread. Every engine
// callback is forwarded to the GUI thread as a queued invocation, so the signals below arrive on
// the thread that owns this object and never block it.

#include "models/gallery_model.h"

#include "tessera/generate.h"

#include <QImage>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

class QThread;

class LocalGenerator : public QObject {
  Q_OBJECT

 public:
  explicit LocalGenerator(QObject* parent = nullptr);
  // Stops the running job after its current step, drops queued ones, and waits for a model load
  // in flight (a load cannot be interrupted).
  ~LocalGenerator() override;

  // Starts loading the model at `path`; modelLoaded() follows. False (nothing started) while a
  // load or a job is in progress.
  bool loadModel(const QString& path);
  bool isLoading() const { return m_loader != nullptr; }
  bool hasModel() const { return m_generator != nullptr; }
  QString modelPath() const { return m_modelPath; }  // as the user gave it
  QString defaultSampler() const;
  int defaultWidth() const;
  int defaultHeight() const;
  int sizeMultiple() const;  // 8 until a model is loaded
  static QStringList samplerNames();

  // A training checkpoint folder (unet.safetensors + config.yaml, no model_index.json).
  static bool isTesseraCheckpoint(const QString& path);

  // Queues a job and returns its id; 0 when no model is loaded.
  quint64 submit(const tessera::GenerateOptions& options);
  bool cancel(quint64 id);
  int pending() const;

 Q_SIGNALS:
  void modelLoaded(bool ok, const QString& message);
  void jobStarted(quint64 id);
  // `preview` is null on steps without one.
  void jobProgressed(quint64 id, int promptIndex, int promptCount, int step, int steps, const QImage& preview);
  // `images`: what the job wrote (for a cancelled job, only prompts finished before the cancel).
  void jobFinished(quint64 id, bool ok, bool cancelled, const QString& message, const QList<GeneratedEntry>& images);

 private:
  struct LoadResult;
  void installGenerator(std::shared_ptr<tessera::ImageGenerator> generator);

  std::shared_ptr<tessera::ImageGenerator> m_generator;
  std::unique_ptr<tessera::GenerationQueue> m_queue;
  QThread* m_loader = nullptr;
  QString m_modelPath;
};
