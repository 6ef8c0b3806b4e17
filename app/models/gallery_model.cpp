#include "models/gallery_model.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QRegularExpression>
#include <QtEndian>

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

void GalleryModel::appendImages(const QList<GeneratedEntry>& images) {
  QList<GeneratedEntry> fresh;
  for (const GeneratedEntry& e : images)
    if (rowOf(e.path) < 0) fresh.append(e);
  if (fresh.isEmpty()) return;
  beginInsertRows(QModelIndex(), int(m_entries.size()), int(m_entries.size() + fresh.size()) - 1);
  m_entries += fresh;
  endInsertRows();
}

int GalleryModel::rowOf(const QString& path) const {
  for (int i = 0; i < m_entries.size(); ++i)
    if (m_entries.at(i).path == path) return i;
  return -1;
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

QString GalleryModel::readParameters(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return {};
  static const QByteArray kSignature("\x89PNG\r\n\x1a\n", 8);
  if (file.read(8) != kSignature) return {};
  // Chunks: length (big-endian), type, data, CRC. Text chunks come before the image data.
  for (;;) {
    const QByteArray header = file.read(8);
    if (header.size() != 8) return {};
    const quint32 length = qFromBigEndian<quint32>(header.constData());
    const QByteArray type = header.mid(4, 4);
    if (type == "IDAT" || type == "IEND" || length > (16u << 20)) return {};
    if (type != "tEXt" && type != "iTXt") {
      if (!file.seek(file.pos() + length + 4)) return {};
      continue;
    }
    const QByteArray data = file.read(length);
    file.read(4);  // CRC
    if (data.size() != int(length)) return {};
    const int nul = data.indexOf('\0');
    if (nul < 0 || data.left(nul) != "parameters") continue;
    if (type == "tEXt") return QString::fromLatin1(data.mid(nul + 1));
    // iTXt: compression flag, method, language\0, translated keyword\0, UTF-8 text.
    if (data.size() < nul + 3 || data.at(nul + 1) != 0) continue;  // compressed: not written by Tessera
    const int language = data.indexOf('\0', nul + 3);
    const int translated = language < 0 ? -1 : data.indexOf('\0', language + 1);
    if (translated < 0) continue;
    return QString::fromUtf8(data.mid(translated + 1));
  }
}

QList<GeneratedEntry> GalleryModel::scanFolder(const QString& folder, int limit, const std::atomic_bool* stop) {
  QList<GeneratedEntry> entries;
  const QFileInfoList files = QDir(folder).entryInfoList({QStringLiteral("*.png")}, QDir::Files, QDir::Time);
  static const QRegularExpression seed(QStringLiteral("(?:^|, )Seed: (\\d+)"), QRegularExpression::MultilineOption);
  for (const QFileInfo& info : files) {
    if (entries.size() >= limit || (stop != nullptr && stop->load())) break;
    GeneratedEntry e;
    e.path = info.absoluteFilePath();
    e.parameters = readParameters(e.path);
    if (e.parameters.isEmpty()) continue;  // not a generated image
    e.prompt = e.parameters.section(QLatin1Char('\n'), 0, 0);
    e.seed = seed.match(e.parameters).captured(1).toULongLong();
    e.thumbnail = makeThumbnail(e.path);
    entries.append(e);
  }
  return entries;
}
