#include "models/gallery_model.h"

#include <QFileInfo>
#include <QImageReader>

GalleryModel::GalleryModel(QObject* parent) : QAbstractListModel(parent) {}

int GalleryModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_entries.size()); }

QVariant GalleryModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= m_entries.size()) return {};
  const GeneratedEntry& e = m_entries.at(index.row());
  switch (role) {
    case Qt::DisplayRole:
      return tr("Seed %1").arg(e.seed);
    case Qt::DecorationRole:
      return e.thumbnail;
    case Qt::ToolTipRole:
      return tr("%1\n%2").arg(e.prompt, QFileInfo(e.path).fileName());
    case PathRole:
      return e.path;
    case ParametersRole:
      return e.parameters;
    case SeedRole:
      return e.seed;
    case PromptRole:
      return e.prompt;
    default:
      return {};
  }
}

void GalleryModel::prependImages(const QList<GeneratedEntry>& images) {
  if (images.isEmpty()) return;
  beginInsertRows(QModelIndex(), 0, int(images.size()) - 1);
  m_entries = images + m_entries;
  endInsertRows();
}

void GalleryModel::clear() {
  beginResetModel();
  m_entries.clear();
  endResetModel();
}

QImage GalleryModel::makeThumbnail(const QString& path) {
  QImageReader reader(path);
  const QSize size = reader.size();
  if (size.isValid() && (size.width() > kThumbnailSize || size.height() > kThumbnailSize))
    reader.setScaledSize(size.scaled(kThumbnailSize, kThumbnailSize, Qt::KeepAspectRatio));
  QImage image = reader.read();
  if (image.isNull()) return image;
  // Small models make small images: scale those up too, so every thumbnail has the same size.
  if (image.width() < kThumbnailSize && image.height() < kThumbnailSize)
    image = image.scaled(kThumbnailSize, kThumbnailSize, Qt::KeepAspectRatio, Qt::FastTransformation);
  return image;
}
