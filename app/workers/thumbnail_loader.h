#pragma once
// Thumbnails for the Datasets grid, decoded on a thread pool of their own and never on the GUI
// thread. A thumbnail is asked for with a key that changes when the file does (the catalog's
// SHA-256), kept in a QCache bounded in pixels, and announced by thumbnailReady() when it lands.
// Requests are served newest first and the queue is bounded, so scrolling fast through 100,000
// images decodes what is on screen now, not everything that flew past.

#include <QCache>
#include <QHash>
#include <QImage>
#include <QList>
#include <QMutex>
#include <QObject>
#include <QString>
#include <QThreadPool>

#include <atomic>

class ThumbnailLoader : public QObject {
  Q_OBJECT

 public:
  static constexpr int kMaxQueued = 512;  // older requests are dropped beyond this

  explicit ThumbnailLoader(int size, QObject* parent = nullptr);
  ~ThumbnailLoader() override;  // drops queued work and waits for decodes in flight

  int size() const { return m_size; }
  // The cached thumbnail for (path, key); a null image (and a queued decode, once) when not
  // there yet. A file that cannot be decoded gets a grey "broken" tile, cached like the others.
  QImage thumbnail(const QString& path, const QString& key);
  bool isCached(const QString& path, const QString& key) const;

  int cachedCount() const { return m_cache.count(); }
  int queuedCount() const;
  int decodedCount() const { return m_decoded.load(); }
  void clear();  // forgets the cache and the queue (another catalog)

  // Decodes one thumbnail of at most `size` on its longer side; thread-safe.
  static QImage decode(const QString& path, int size);

 Q_SIGNALS:
  void thumbnailReady(const QString& path);

 private:
  struct Request {
    QString path;
    QString cacheKey;
  };
  void decodeNext();
  void store(const QString& path, const QString& cacheKey, const QImage& image);

  const int m_size;
  QThreadPool m_pool;
  QCache<QString, QImage> m_cache;  // GUI thread only
  QHash<QString, bool> m_requested;  // cache keys queued or decoding; GUI thread only
  mutable QMutex m_mutex;            // guards m_queue
  QList<Request> m_queue;            // newest at the back
  std::atomic_int m_decoded{0};
};
