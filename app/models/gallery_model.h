#pragma once
// The Generate page's gallery: every image written this session, newest first, with a thumbnail
// (made on the generation worker thread, never on the GUI thread) and the AUTOMATIC1111
// parameters text stored in its PNG.

#include <QAbstractListModel>
#include <QImage>
#include <QList>
#include <QString>

#include <atomic>

// One image a generation job wrote, ready for the gallery.
struct GeneratedEntry {
  QString path;
  QString prompt;
  quint64 seed = 0;
  int index = 0;        // within its batch
  QString parameters;   // the A1111 text in the PNG's `parameters` chunk
  QImage thumbnail;
};

class GalleryModel : public QAbstractListModel {
  Q_OBJECT

 public:
  enum Role { PathRole = Qt::UserRole + 1, ParametersRole, SeedRole, PromptRole };
  static constexpr int kThumbnailSize = 128;

  explicit GalleryModel(QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role) const override;

  // Adds a job's images in front (the newest first), keeping their order within the job.
  void prependImages(const QList<GeneratedEntry>& images);
  // Adds images at the end, skipping any already shown (a folder scan racing a new job).
  void appendImages(const QList<GeneratedEntry>& images);
  int rowOf(const QString& path) const;
  const GeneratedEntry& entry(int row) const { return m_entries.at(row); }
  void clear();

  // A thumbnail of at most kThumbnailSize on its longer side; thread-safe (QImage only).
  static QImage makeThumbnail(const QString& path);
  // The `parameters` text of a PNG exactly as stored (tEXt, or uncompressed iTXt), lines kept
  // (QImageReader folds them into one); empty when there is none. Thread-safe.
  static QString readParameters(const QString& path);
  // The newest `limit` PNGs in `folder`, newest first, with thumbnails and parameters, for the
  // gallery at start-up. Slow for big folders: call it off the GUI thread.
  // Stops early (with what it has) once *stop is true.
  static QList<GeneratedEntry> scanFolder(const QString& folder, int limit, const std::atomic_bool* stop = nullptr);

 private:
  QList<GeneratedEntry> m_entries;
};
