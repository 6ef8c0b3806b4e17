#include "workers/thumbnail_loader.h"

#include <QImageReader>
#include <QMutexLocker>
#include <QPainter>
#include <QThread>

ThumbnailLoader::ThumbnailLoader(int size, QObject* parent) : QObject(parent), m_size(size) {
  // Bounded in pixels: ~4,000 thumbnails of 128 x 128 (about 256 MiB as ARGB32 at most).
  m_cache.setMaxCost(4000 * size * size);
  m_pool.setMaxThreadCount(qBound(1, QThread::idealThreadCount() - 1, 4));
  m_pool.setObjectName(QStringLiteral("tessera-thumbnails"));
}

ThumbnailLoader::~ThumbnailLoader() {
  {
    QMutexLocker lock(&m_mutex);
    m_queue.clear();
  }
  m_pool.clear();
  m_pool.waitForDone();  // queued store() calls die with this object
}

QImage ThumbnailLoader::decode(const QString& path, int size) {
  QImageReader reader(path);
  reader.setAutoTransform(true);
  const QSize full = reader.size();
  if (full.isValid() && (full.width() > size || full.height() > size))
    reader.setScaledSize(full.scaled(size, size, Qt::KeepAspectRatio));
  QImage image = reader.read();
  if (image.isNull()) {
    image = QImage(size, size, QImage::Format_RGB32);
    image.fill(QColor(200, 200, 200));
    QPainter p(&image);
    p.setPen(QPen(QColor(150, 60, 60), 3));
    p.drawLine(size / 4, size / 4, 3 * size / 4, 3 * size / 4);
    p.drawLine(3 * size / 4, size / 4, size / 4, 3 * size / 4);
  }
  return image;
}

bool ThumbnailLoader::isCached(const QString& path, const QString& key) const {
  return m_cache.contains(path + QLatin1Char('@') + key);
}

QImage ThumbnailLoader::thumbnail(const QString& path, const QString& key) {
  const QString cacheKey = path + QLatin1Char('@') + key;
  if (const QImage* hit = m_cache.object(cacheKey)) return *hit;
  if (m_requested.contains(cacheKey)) return {};
  m_requested.insert(cacheKey, true);
  {
    QMutexLocker lock(&m_mutex);
    m_queue.append({path, cacheKey});
    while (m_queue.size() > kMaxQueued) {
      // The oldest request scrolled out of sight long ago; it is asked for again if it returns.
      const Request dropped = m_queue.takeFirst();
      QMetaObject::invokeMethod(this, [this, k = dropped.cacheKey] { m_requested.remove(k); }, Qt::QueuedConnection);
    }
  }
  m_pool.start([this] { decodeNext(); });
  return {};
}

void ThumbnailLoader::decodeNext() {
  Request request;
  {
    QMutexLocker lock(&m_mutex);
    if (m_queue.isEmpty()) return;  // its request was dropped or cleared
    request = m_queue.takeLast();   // newest first: what is on screen now
  }
  const QImage image = decode(request.path, m_size);
  ++m_decoded;
  QMetaObject::invokeMethod(
      this, [this, request, image] { store(request.path, request.cacheKey, image); }, Qt::QueuedConnection);
}

void ThumbnailLoader::store(const QString& path, const QString& cacheKey, const QImage& image) {
  if (!m_requested.remove(cacheKey)) return;  // cleared meanwhile
  m_cache.insert(cacheKey, new QImage(image), qMax<qsizetype>(1, qsizetype(image.width()) * image.height()));
  Q_EMIT thumbnailReady(path);
}

int ThumbnailLoader::queuedCount() const {
  QMutexLocker lock(&m_mutex);
  return int(m_queue.size());
}

void ThumbnailLoader::clear() {
  {
    QMutexLocker lock(&m_mutex);
    m_queue.clear();
  }
  m_requested.clear();
  m_cache.clear();
}
