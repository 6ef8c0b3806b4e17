#include "workers/local_generator.h"

#include "tessera/train.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QThread>

namespace {

QString toQString(const std::string& s) { return QString::fromStdString(s); }

// Where a checkpoint is exported for generation: one folder per checkpoint path and version, so
// loading it again is instant and a newer save of the same path is exported afresh.
QString exportFolderFor(const QString& checkpoint) {
  const QFileInfo unet(QDir(checkpoint).filePath(QStringLiteral("unet.safetensors")));
  const QByteArray key = QFileInfo(checkpoint).absoluteFilePath().toUtf8() + '@' +
                         QByteArray::number(unet.lastModified().toMSecsSinceEpoch()) + '@' + QByteArray::number(unet.size());
  const QString hash = QString::fromLatin1(QCryptographicHash::hash(key, QCryptographicHash::Sha1).toHex().left(16));
  QString cache = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
  if (cache.isEmpty()) cache = QDir::tempPath() + QStringLiteral("/tessera-studio");
  return cache + QStringLiteral("/exported-models/") + hash;
}

}  // namespace

struct LocalGenerator::LoadResult {
  std::shared_ptr<tessera::ImageGenerator> generator;
  QString message;  // empty when it worked
};

LocalGenerator::LocalGenerator(QObject* parent) : QObject(parent) {}

LocalGenerator::~LocalGenerator() {
  m_queue.reset();  // cancels and joins; callbacks posted meanwhile die with this object
  if (m_loader != nullptr) m_loader->wait();  // a load cannot be interrupted
}

bool LocalGenerator::isTesseraCheckpoint(const QString& path) {
  const QDir dir(path);
  return dir.exists(QStringLiteral("unet.safetensors")) && dir.exists(QStringLiteral("config.yaml")) &&
         !dir.exists(QStringLiteral("model_index.json"));
}

bool LocalGenerator::loadModel(const QString& path) {
  if (m_loader != nullptr || pending() > 0) return false;
  m_modelPath = path;
  // Free the previous model first: two SD-sized models at once may not fit in memory.
  m_queue.reset();
  m_generator.reset();
  const bool checkpoint = isTesseraCheckpoint(path);
  const QString exportDir = checkpoint ? exportFolderFor(path) : QString();
  auto result = std::make_shared<LoadResult>();
  // Nothing in here touches this object: the thread only fills `result`.
  m_loader = QThread::create([result, path, checkpoint, exportDir] {
    std::string modelDir = path.toStdString();
    if (checkpoint) {
      if (!QFileInfo::exists(exportDir + QStringLiteral("/model_index.json"))) {
        tessera::ExportOptions options;
        options.checkpoint_dir = modelDir;
        options.out_dir = exportDir.toStdString();
        options.overwrite = true;
        const tessera::Status s = tessera::export_checkpoint(options);
        if (!s.ok()) {
          result->message = LocalGenerator::tr("Cannot turn the checkpoint into a model folder: %1").arg(toQString(s.to_string()));
          return;
        }
      }
      modelDir = exportDir.toStdString();
    }
    std::unique_ptr<tessera::ImageGenerator> generator;
    const tessera::Status s = tessera::ImageGenerator::open(modelDir, &generator);
    if (!s.ok()) {
      result->message = toQString(s.to_string());
      return;
    }
    result->generator = std::move(generator);
  });
  m_loader->setObjectName(QStringLiteral("tessera-model-loader"));
  m_loader->setParent(this);  // deleted with this object at the latest (after the wait below)
  connect(m_loader, &QThread::finished, this, [this, result] {
    m_loader->deleteLater();
    m_loader = nullptr;
    if (result->generator) installGenerator(std::move(result->generator));
    Q_EMIT modelLoaded(result->message.isEmpty(), result->message);
  });
  m_loader->start();
  return true;
}

void LocalGenerator::installGenerator(std::shared_ptr<tessera::ImageGenerator> generator) {
  m_queue.reset();
  m_generator = std::move(generator);
  tessera::GenerationQueue::Callbacks callbacks;
  // These run on the queue's worker thread: convert there, then hand over to this object's thread.
  callbacks.started = [this](quint64 id) {
    QMetaObject::invokeMethod(this, [this, id] { Q_EMIT jobStarted(id); }, Qt::QueuedConnection);
  };
  callbacks.progress = [this](quint64 id, const tessera::GenerateProgress& p) {
    QImage preview;
    if (p.preview && p.preview->width > 0 && p.preview->height > 0) {
      preview = QImage(p.preview->rgb.data(), p.preview->width, p.preview->height, p.preview->width * 3,
                       QImage::Format_RGB888)
                    .copy();
    }
    QMetaObject::invokeMethod(
        this, [this, id, p, preview] { Q_EMIT jobProgressed(id, p.prompt_index, p.prompt_count, p.step, p.steps, preview); },
        Qt::QueuedConnection);
  };
  callbacks.finished = [this](quint64 id, const tessera::Status& s, const std::vector<tessera::GeneratedImage>& images) {
    QList<GeneratedEntry> entries;
    for (const tessera::GeneratedImage& image : images) {
      GeneratedEntry e;
      e.path = toQString(image.path);
      e.prompt = toQString(image.prompt);
      e.seed = image.seed;
      e.index = image.index;
      e.parameters = toQString(image.parameters);
      e.thumbnail = GalleryModel::makeThumbnail(e.path);
      entries.append(e);
    }
    const bool ok = s.ok();
    const bool cancelled = s.cancelled();
    const QString message = ok ? QString() : toQString(s.to_string());
    QMetaObject::invokeMethod(
        this, [this, id, ok, cancelled, message, entries] { Q_EMIT jobFinished(id, ok, cancelled, message, entries); },
        Qt::QueuedConnection);
  };
  m_queue = std::make_unique<tessera::GenerationQueue>(m_generator, std::move(callbacks));
}

QString LocalGenerator::defaultSampler() const { return m_generator ? toQString(m_generator->default_sampler()) : QString(); }
int LocalGenerator::defaultWidth() const { return m_generator ? m_generator->default_width() : 512; }
int LocalGenerator::defaultHeight() const { return m_generator ? m_generator->default_height() : 512; }
int LocalGenerator::sizeMultiple() const { return m_generator ? std::max(1, m_generator->size_multiple()) : 8; }

QStringList LocalGenerator::samplerNames() {
  QStringList names;
  for (const std::string& name : tessera::ImageGenerator::sampler_names()) names << toQString(name);
  return names;
}

quint64 LocalGenerator::submit(const tessera::GenerateOptions& options) {
  if (!m_queue) return 0;
  return m_queue->submit(options);
}

bool LocalGenerator::cancel(quint64 id) { return m_queue && m_queue->cancel(id); }

int LocalGenerator::pending() const { return m_queue ? int(m_queue->pending()) : 0; }
