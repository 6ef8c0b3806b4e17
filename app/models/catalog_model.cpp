#include "models/catalog_model.h"

#include "workers/thumbnail_loader.h"

#include <QFileInfo>
#include <QPainter>

namespace {
QString fromStd(const std::string& s) { return QString::fromStdString(s); }
}  // namespace

CatalogModel::CatalogModel(QObject* parent) : QAbstractListModel(parent) {
  m_pages.setMaxCost(kMaxPages);
  m_readers.setMaxThreadCount(1);  // one reader connection at a time is plenty for SQLite
  m_thumbnails = new ThumbnailLoader(kThumbnailSize, this);
  connect(m_thumbnails, &ThumbnailLoader::thumbnailReady, this, &CatalogModel::handleThumbnail);
  m_placeholder = QImage(kThumbnailSize, kThumbnailSize, QImage::Format_RGB32);
  m_placeholder.fill(QColor(235, 235, 235));
}

CatalogModel::~CatalogModel() {
  m_readers.clear();
  m_readers.waitForDone();
}

void CatalogModel::setCatalog(const QString& path, qint64 rows) {
  beginResetModel();
  m_catalog = path;
  m_rows = path.isEmpty() ? 0 : qMax<qint64>(0, rows);
  ++m_generation;
  m_pages.clear();
  m_reading.clear();
  m_rowOfPath.clear();
  m_thumbnails->clear();
  endResetModel();
}

void CatalogModel::refresh() {
  ++m_generation;
  m_pages.clear();
  m_reading.clear();
  if (m_rows > 0) Q_EMIT dataChanged(index(0), index(int(m_rows) - 1));
}

int CatalogModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(qMin<qint64>(m_rows, std::numeric_limits<int>::max()));
}

const tessera::DatasetImage* CatalogModel::image(int row) const {
  if (row < 0 || row >= m_rows) return nullptr;
  const int page = row / kPageSize;
  const Page* rows = m_pages.object(page);
  if (rows == nullptr) {
    requestPage(page);
    return nullptr;
  }
  const int i = row % kPageSize;
  return i < rows->size() ? &rows->at(i) : nullptr;
}

void CatalogModel::requestPage(int page) const {
  if (m_reading.contains(page) || m_catalog.isEmpty()) return;
  m_reading.insert(page);
  ++m_pageReads;
  const std::string catalog = m_catalog.toStdString();
  const quint64 generation = m_generation;
  auto* self = const_cast<CatalogModel*>(this);
  m_readers.start([self, catalog, generation, page] {
    std::vector<tessera::DatasetImage> images;
    const tessera::Status s =
        tessera::list_dataset_images(catalog, int64_t(page) * kPageSize, kPageSize, &images);
    Page rows(images.begin(), images.end());
    const QString error = s.ok() ? QString() : fromStd(s.to_string());
    QMetaObject::invokeMethod(
        self, [self, generation, page, rows, error] { self->handlePage(generation, page, rows, error); },
        Qt::QueuedConnection);
  });
}

void CatalogModel::handlePage(quint64 generation, int page, const Page& rows, const QString& error) {
  if (generation != m_generation) return;  // another catalog, or refreshed meanwhile
  m_reading.remove(page);
  if (!error.isEmpty()) {
    Q_EMIT readFailed(error);
    return;
  }
  m_pages.insert(page, new Page(rows));
  const int first = page * kPageSize;
  const int last = int(qMin<qint64>(m_rows, qint64(first) + kPageSize)) - 1;
  if (last >= first) Q_EMIT dataChanged(index(first), index(last));
  Q_EMIT pageLoaded(page);
}

void CatalogModel::handleThumbnail(const QString& path) {
  const auto it = m_rowOfPath.constFind(path);
  if (it == m_rowOfPath.constEnd()) return;
  const QModelIndex i = index(*it);
  m_rowOfPath.erase(it);
  Q_EMIT dataChanged(i, i, {Qt::DecorationRole});
}

void CatalogModel::updateCaption(int row, qint64 id, const QString& caption) {
  const int page = row / kPageSize;
  Page* rows = m_pages.object(page);
  if (rows == nullptr || row % kPageSize >= rows->size()) return;  // read afresh when it is shown again
  tessera::DatasetImage& image = (*rows)[row % kPageSize];
  if (image.id != id) return;
  image.caption = caption.toStdString();
  Q_EMIT dataChanged(index(row), index(row));
}

QVariant CatalogModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= m_rows) return {};
  const tessera::DatasetImage* im = image(index.row());
  if (role == LoadedRole) return im != nullptr;
  if (im == nullptr) {
    if (role == Qt::DecorationRole) return m_placeholder;
    if (role == Qt::DisplayRole) return tr("…");
    return {};
  }
  const bool kept = im->decisions.empty();
  switch (role) {
    case Qt::DisplayRole:
      return QFileInfo(fromStd(im->path)).fileName();
    case Qt::DecorationRole: {
      const QString path = fromStd(im->path);
      QImage thumb = m_thumbnails->thumbnail(path, fromStd(im->sha256));
      if (thumb.isNull()) {
        m_rowOfPath.insert(path, index.row());
        return m_placeholder;
      }
      if (!kept) {  // dropped by a filter: faded
        QPainter p(&thumb);
        p.fillRect(thumb.rect(), QColor(255, 255, 255, 150));
      }
      return thumb;
    }
    case Qt::ToolTipRole: {
      QString tip = tr("%1\n%2 × %3 px\n%4").arg(fromStd(im->path)).arg(im->width).arg(im->height).arg(fromStd(im->caption));
      for (const auto& d : im->decisions) tip += tr("\ndropped by %1: %2").arg(fromStd(d.filter), fromStd(d.reason));
      return tip;
    }
    case IdRole:
      return qint64(im->id);
    case PathRole:
      return fromStd(im->path);
    case CaptionRole:
      return fromStd(im->caption);
    case OriginalCaptionRole:
      return fromStd(im->caption_original);
    case WidthRole:
      return im->width;
    case HeightRole:
      return im->height;
    case KeptRole:
      return kept;
    case DecisionsRole: {
      QStringList lines;
      for (const auto& d : im->decisions) lines << tr("%1: %2").arg(fromStd(d.filter), fromStd(d.reason));
      return lines;
    }
    default:
      return {};
  }
}
