#include "widgets/duplicate_review.h"

#include "workers/thumbnail_loader.h"

#include "tessera/dataset.h"

#include <QFileInfo>
#include <QGridLayout>
#include <QHash>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSet>
#include <QThread>
#include <QVBoxLayout>

#include <memory>

namespace {
QString fromStd(const std::string& s) { return QString::fromStdString(s); }
constexpr int kPage = 4096;
}  // namespace

DuplicateReview::DuplicateReview(ThumbnailLoader* thumbnails, QWidget* parent)
    : QWidget(parent), m_thumbnails(thumbnails) {
  auto* layout = new QVBoxLayout(this);
  auto* top = new QHBoxLayout;
  m_searchButton = new QPushButton(tr("Find dropped duplicates"), this);
  m_searchButton->setObjectName(QStringLiteral("findDuplicates"));
  m_searchButton->setToolTip(tr("List every image the near-duplicate or repeated-caption filter dropped, with the image it "
                                "duplicates (run the filters first)"));
  m_summary = new QLabel(this);
  m_summary->setObjectName(QStringLiteral("duplicateSummary"));
  m_summary->setWordWrap(true);
  top->addWidget(m_searchButton);
  top->addWidget(m_summary, 1);
  m_list = new QListWidget(this);
  m_list->setObjectName(QStringLiteral("duplicatePairs"));
  auto* sides = new QGridLayout;
  m_dropped = new QLabel(this);
  m_kept = new QLabel(this);
  for (QLabel* l : {m_dropped, m_kept}) {
    l->setAlignment(Qt::AlignCenter);
    l->setMinimumSize(140, 140);
  }
  m_droppedInfo = new QLabel(this);
  m_keptInfo = new QLabel(this);
  for (QLabel* l : {m_droppedInfo, m_keptInfo}) {
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
  }
  sides->addWidget(new QLabel(tr("Dropped"), this), 0, 0, Qt::AlignCenter);
  sides->addWidget(new QLabel(tr("Kept"), this), 0, 1, Qt::AlignCenter);
  sides->addWidget(m_dropped, 1, 0);
  sides->addWidget(m_kept, 1, 1);
  sides->addWidget(m_droppedInfo, 2, 0);
  sides->addWidget(m_keptInfo, 2, 1);
  auto* verdicts = new QHBoxLayout;
  m_keepBoth = new QPushButton(tr("Keep both"), this);
  m_keepBoth->setObjectName(QStringLiteral("keepBoth"));
  m_keepBoth->setToolTip(tr("Not a duplicate: keep the dropped image too (the filters will not drop it again)"));
  m_swap = new QPushButton(tr("Keep the dropped one instead"), this);
  m_swap->setObjectName(QStringLiteral("keepDroppedInstead"));
  m_swap->setToolTip(tr("Keep the dropped image and drop the one it duplicates"));
  verdicts->addStretch(1);
  verdicts->addWidget(m_keepBoth);
  verdicts->addWidget(m_swap);
  layout->addLayout(top);
  layout->addWidget(m_list, 1);
  layout->addLayout(sides);
  layout->addLayout(verdicts);
  connect(m_keepBoth, &QPushButton::clicked, this, [this] { (void)keepBoth(currentRow()); });
  connect(m_swap, &QPushButton::clicked, this, [this] { (void)keepDroppedInstead(currentRow()); });
  connect(m_searchButton, &QPushButton::clicked, this, &DuplicateReview::search);
  connect(m_list, &QListWidget::currentRowChanged, this, &DuplicateReview::showPair);
  connect(m_thumbnails, &ThumbnailLoader::thumbnailReady, this, &DuplicateReview::refreshThumbnails);
  m_searchButton->setEnabled(false);
}

DuplicateReview::~DuplicateReview() {
  for (QThread* worker : findChildren<QThread*>(QString(), Qt::FindDirectChildrenOnly)) worker->wait();
}

void DuplicateReview::setCatalog(const QString& catalog) {
  m_catalog = catalog;
  m_pairs.clear();
  m_list->clear();
  m_summary->clear();
  showPair(-1);
  m_searchButton->setEnabled(!m_searching && !catalog.isEmpty());
}

QList<DuplicatePair> DuplicateReview::findPairs(const std::string& catalog, QString* error) {
  // Pass 1: the dropped images that name the image they duplicate.
  QList<DuplicatePair> pairs;
  QSet<qint64> wanted;
  std::vector<tessera::DatasetImage> page;
  for (int64_t offset = 0;; offset += kPage) {
    const tessera::Status s = tessera::list_dataset_images(catalog, offset, kPage, &page);
    if (!s.ok()) {
      *error = fromStd(s.to_string());
      return {};
    }
    for (const auto& im : page) {
      for (const auto& d : im.decisions) {
        if (d.duplicate_of <= 0 || pairs.size() >= kMaxPairs) continue;
        pairs.append({im.id, fromStd(im.path), fromStd(im.sha256), fromStd(d.filter), fromStd(d.reason), d.duplicate_of,
                      QString(), QString()});
        wanted.insert(d.duplicate_of);
      }
    }
    if (int64_t(page.size()) < kPage) break;
  }
  if (pairs.isEmpty()) return pairs;
  // Pass 2: the kept images they duplicate.
  QHash<qint64, std::pair<QString, QString>> kept;
  for (int64_t offset = 0;; offset += kPage) {
    const tessera::Status s = tessera::list_dataset_images(catalog, offset, kPage, &page);
    if (!s.ok()) {
      *error = fromStd(s.to_string());
      return {};
    }
    for (const auto& im : page)
      if (wanted.contains(im.id)) kept.insert(im.id, {fromStd(im.path), fromStd(im.sha256)});
    if (int64_t(page.size()) < kPage) break;
  }
  for (DuplicatePair& p : pairs) {
    const auto it = kept.constFind(p.keptId);
    if (it == kept.constEnd()) continue;
    p.keptPath = it->first;
    p.keptKey = it->second;
  }
  return pairs;
}

void DuplicateReview::search() {
  if (m_searching || m_catalog.isEmpty()) return;
  m_searching = true;
  m_searchButton->setEnabled(false);
  m_summary->setText(tr("Looking for dropped duplicates…"));
  auto result = std::make_shared<QList<DuplicatePair>>();
  auto error = std::make_shared<QString>();
  const std::string catalog = m_catalog.toStdString();
  QThread* worker = QThread::create([catalog, result, error] { *result = findPairs(catalog, error.get()); });
  worker->setParent(this);
  connect(worker, &QThread::finished, this, [this, worker, result, error] {
    worker->deleteLater();
    m_searching = false;
    m_searchButton->setEnabled(!m_catalog.isEmpty());
    m_pairs = *result;
    m_list->clear();
    for (const DuplicatePair& p : m_pairs)
      m_list->addItem(tr("%1 ≈ %2 (%3)").arg(QFileInfo(p.droppedPath).fileName(), QFileInfo(p.keptPath).fileName(), p.reason));
    if (!error->isEmpty())
      m_summary->setText(tr("Cannot read the catalog: %1").arg(*error));
    else if (m_pairs.isEmpty())
      m_summary->setText(tr("No image was dropped as a duplicate. Switch on the near-duplicate or repeated-caption filter first."));
    else
      m_summary->setText(tr("%n image(s) dropped as duplicates of a kept one.", nullptr, int(m_pairs.size())));
    if (!m_pairs.isEmpty()) m_list->setCurrentRow(0);
    Q_EMIT searched(int(m_pairs.size()));
  });
  worker->start();
}

int DuplicateReview::currentRow() const { return m_list->currentRow(); }

bool DuplicateReview::keepBoth(int row) {
  if (row < 0 || row >= m_pairs.size()) return false;
  return review(row, {{m_pairs.at(row).droppedId, QStringLiteral("keep")}});
}

bool DuplicateReview::keepDroppedInstead(int row) {
  if (row < 0 || row >= m_pairs.size()) return false;
  const DuplicatePair& p = m_pairs.at(row);
  return review(row, {{p.droppedId, QStringLiteral("keep")}, {p.keptId, QStringLiteral("drop")}});
}

// One small SQLite transaction per image: quick enough for the GUI thread.
bool DuplicateReview::review(int row, const QList<QPair<qint64, QString>>& verdicts) {
  for (int k = 0; k < verdicts.size(); ++k) {
    const tessera::Status s =
        tessera::review_dataset_image(m_catalog.toStdString(), verdicts[k].first, verdicts[k].second.toStdString());
    if (!s.ok()) {
      // All or nothing: withdraw the verdicts already recorded for this pair.
      for (int done = 0; done < k; ++done) (void)tessera::review_dataset_image(m_catalog.toStdString(), verdicts[done].first, "");
      m_summary->setText(tr("Cannot record the review: %1").arg(fromStd(s.to_string())));
      return false;
    }
  }
  m_pairs.removeAt(row);
  delete m_list->takeItem(row);
  m_summary->setText(m_pairs.isEmpty() ? tr("Every pair is reviewed.")
                                       : tr("%n pair(s) left to review.", nullptr, int(m_pairs.size())));
  showPair(m_list->currentRow());
  Q_EMIT reviewed();
  return true;
}

void DuplicateReview::showPair(int row) {
  m_keepBoth->setEnabled(row >= 0 && row < m_pairs.size());
  m_swap->setEnabled(row >= 0 && row < m_pairs.size() && m_pairs.at(row).keptId > 0);
  if (row < 0 || row >= m_pairs.size()) {
    m_dropped->clear();
    m_kept->clear();
    m_droppedInfo->clear();
    m_keptInfo->clear();
    return;
  }
  const DuplicatePair& p = m_pairs.at(row);
  const QImage dropped = m_thumbnails->thumbnail(p.droppedPath, p.droppedKey);
  const QImage kept = p.keptPath.isEmpty() ? QImage() : m_thumbnails->thumbnail(p.keptPath, p.keptKey);
  m_dropped->setPixmap(dropped.isNull() ? QPixmap() : QPixmap::fromImage(dropped));
  m_kept->setPixmap(kept.isNull() ? QPixmap() : QPixmap::fromImage(kept));
  m_droppedInfo->setText(tr("#%1 %2\n%3: %4").arg(p.droppedId).arg(p.droppedPath, p.filter, p.reason));
  m_keptInfo->setText(tr("#%1 %2").arg(p.keptId).arg(p.keptPath));
}

void DuplicateReview::refreshThumbnails(const QString& path) {
  const int row = m_list->currentRow();
  if (row < 0 || row >= m_pairs.size()) return;
  if (m_pairs.at(row).droppedPath == path || m_pairs.at(row).keptPath == path) showPair(row);
}
