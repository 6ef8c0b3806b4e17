#pragma once
// Near-duplicate review for the Datasets page: every image the near-duplicate (or repeated
// caption) filter dropped, next to the kept image it duplicates, so a person can check the
// filter's choices. The pairs are found on a worker thread, paging through the catalog (a
// catalog of any size is never held in memory at once; only the pairs are); thumbnails come
// from the page's ThumbnailLoader. For the selected pair the person decides: keep both (the
// dropped image is not a duplicate after all) or keep the dropped one instead of the other; the
// verdicts go into the catalog and every later filter run respects them.

#include <QList>
#include <QString>
#include <QWidget>

#include <functional>

class QLabel;
class QListWidget;
class QPushButton;
class ThumbnailLoader;

struct DuplicatePair {
  qint64 droppedId = 0;
  QString droppedPath;
  QString droppedKey;  // sha256, the thumbnail cache key
  QString filter;
  QString reason;
  qint64 keptId = 0;
  QString keptPath;
  QString keptKey;
};

class DuplicateReview : public QWidget {
  Q_OBJECT

 public:
  DuplicateReview(ThumbnailLoader* thumbnails, QWidget* parent = nullptr);
  ~DuplicateReview() override;  // waits for a search in flight

  void setCatalog(const QString& catalog);
  QList<DuplicatePair> pairs() const { return m_pairs; }
  bool isSearching() const { return m_searching; }
  static constexpr int kMaxPairs = 5000;  // shown at most

  // Reads the pairs (a worker thread; call it off the GUI thread). Thread-safe.
  static QList<DuplicatePair> findPairs(const std::string& catalog, QString* error);

  // The verdicts on the pair in `row` (false, with the reason shown, when the catalog refuses).
  bool keepBoth(int row);
  bool keepDroppedInstead(int row);
  int currentRow() const;

 public Q_SLOTS:
  void search();

 Q_SIGNALS:
  void searched(int pairs);
  void reviewed();  // the catalog's decisions changed

 private:
  void showPair(int row);
  void refreshThumbnails(const QString& path);
  bool review(int row, const QList<QPair<qint64, QString>>& verdicts);

  ThumbnailLoader* m_thumbnails = nullptr;
  QString m_catalog;
  QList<DuplicatePair> m_pairs;
  bool m_searching = false;
  QPushButton* m_searchButton = nullptr;
  QLabel* m_summary = nullptr;
  QListWidget* m_list = nullptr;
  QLabel* m_dropped = nullptr;
  QLabel* m_kept = nullptr;
  QLabel* m_droppedInfo = nullptr;
  QLabel* m_keptInfo = nullptr;
  QPushButton* m_keepBoth = nullptr;
  QPushButton* m_swap = nullptr;
};
