#pragma once
// The Datasets page's grid model over a catalog of any size: rowCount() is the catalog's image
// count, but rows are read in pages of kPageSize on a worker thread (tessera::list_dataset_images)
// and only the last kMaxPages pages are kept, so 100,000 images never sit in memory at once.
// A row whose page is not there yet shows a placeholder and is filled in by dataChanged();
// thumbnails come from a ThumbnailLoader, likewise.

#include "tessera/dataset.h"

#include <QAbstractListModel>
#include <QCache>
#include <QHash>
#include <QImage>
#include <QSet>
#include <QString>
#include <QThreadPool>
#include <QVector>

class ThumbnailLoader;

class CatalogModel : public QAbstractListModel {
  Q_OBJECT

 public:
  enum Role {
    IdRole = Qt::UserRole + 1,
    PathRole,
    CaptionRole,
    OriginalCaptionRole,
    WidthRole,
    HeightRole,
    KeptRole,
    DecisionsRole,  // "filter: reason" lines; empty when kept
    LoadedRole,     // false while the row's page is being read
  };
  static constexpr int kPageSize = 256;
  static constexpr int kMaxPages = 24;
  static constexpr int kThumbnailSize = 128;

  explicit CatalogModel(QObject* parent = nullptr);
  ~CatalogModel() override;

  // Shows `rows` images of the catalog at `path` (an empty path: nothing).
  void setCatalog(const QString& path, qint64 rows);
  // Forgets the pages read (captions or filter decisions changed), keeping the row count.
  void refresh();
  QString catalog() const { return m_catalog; }

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role) const override;

  // The row's image when its page is in memory, else null (and the page is asked for).
  const tessera::DatasetImage* image(int row) const;
  // A saved caption edit, shown at once without reading the page again.
  void updateCaption(int row, qint64 id, const QString& caption);

  ThumbnailLoader* thumbnails() const { return m_thumbnails; }
  int cachedPages() const { return m_pages.count(); }
  int pageReads() const { return m_pageReads; }  // pages read from the catalog so far
  bool isReading() const { return !m_reading.isEmpty(); }

 Q_SIGNALS:
  void pageLoaded(int page);
  void readFailed(const QString& message);

 private:
  using Page = QVector<tessera::DatasetImage>;
  void requestPage(int page) const;
  void handlePage(quint64 generation, int page, const Page& rows, const QString& error);
  void handleThumbnail(const QString& path);

  QString m_catalog;
  qint64 m_rows = 0;
  quint64 m_generation = 0;  // a new catalog or refresh(): answers to older reads are dropped
  mutable QCache<int, Page> m_pages;
  mutable QSet<int> m_reading;
  mutable QThreadPool m_readers;
  mutable int m_pageReads = 0;
  mutable QHash<QString, int> m_rowOfPath;  // rows waiting for a thumbnail
  ThumbnailLoader* m_thumbnails = nullptr;
  QImage m_placeholder;
};
