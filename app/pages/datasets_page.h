#pragma once
// The Datasets page, the studio's face of the curation journey (DESIGN.md, journey 1): open or
// create a catalog, import a folder or a CSV/JSONL manifest (progress, cancel, problems listed by
// file), browse every image in a thumbnail grid that stays fluid with 100,000+ images
// (CatalogModel pages rows in, ThumbnailLoader decodes off the GUI thread), edit captions with
// undo/redo (each edit saved to the catalog), set the filters and see at once how many images
// each one drops, review the dropped duplicates beside the images they repeat, read the size and
// aspect histograms, and write MDS shards. Everything slow runs
// on a worker thread through the torch-free facade tessera/dataset.h.

#include <QString>
#include <QWidget>

#include <atomic>
#include <functional>
#include <memory>

class CatalogModel;
class DuplicateReview;
class ShardUpload;
class HistogramPlot;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListView;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTimer;
class QUndoStack;

class DatasetsPage : public QWidget {
  Q_OBJECT

 public:
  explicit DatasetsPage(QWidget* parent = nullptr);
  ~DatasetsPage() override;  // cancels an import and waits for work in flight

  CatalogModel* model() const { return m_model; }
  QUndoStack* undoStack() const { return m_undo; }
  QString catalogPath() const { return m_catalog; }
  bool isBusy() const { return m_busy; }

 public Q_SLOTS:
  // Shows the catalog in the path field (a missing file is created by the first import).
  void openCatalog();
  void startImport();  // the source in the import field
  void cancelImport();
  void applyFilters();  // the filter settings, then the counts and histograms again
  void writeShards();
  // Saves the caption editor's text for the selected image as an undoable edit.
  bool saveCaption();

 Q_SIGNALS:
  void catalogOpened(qint64 images);
  void importFinished(bool ok, bool cancelled);
  void filtersApplied(qint64 kept, qint64 total);
  void statsUpdated();
  void shardsWritten(bool ok);

 private:
  QWidget* createCatalogBar();
  QWidget* createCaptionTab();
  QWidget* createFiltersTab();
  QWidget* createStatsTab();
  QWidget* createShardsTab();
  // Runs `work` on a thread of its own, then `done` on the GUI thread (if the page still exists).
  void runInBackground(std::function<void()> work, std::function<void()> done);
  void setBusy(bool busy, const QString& status);
  void reloadStats(bool resetModel, bool keepDuplicates = false);  // keepDuplicates: leave the review list as it is
  void handleSelection();
  bool writeCaption(qint64 id, int row, const QString& caption);  // false: the catalog refused
  void browseCatalog();
  void browseSource(bool folder);
  void scheduleFilters();
  void loadSettings();
  void saveSettings() const;

  CatalogModel* m_model = nullptr;
  QUndoStack* m_undo = nullptr;
  QString m_catalog;
  bool m_busy = false;
  QString m_afterStats;  // the import's summary, shown once the stats are read again
  bool m_filtersPending = false;  // a change arrived while a filter run was going
  std::shared_ptr<std::atomic_bool> m_cancel;

  QLineEdit* m_catalogPath = nullptr;
  QLineEdit* m_source = nullptr;
  QPushButton* m_openButton = nullptr;
  QPushButton* m_importButton = nullptr;
  QPushButton* m_cancelButton = nullptr;
  QProgressBar* m_progress = nullptr;
  QLabel* m_status = nullptr;
  QListWidget* m_problems = nullptr;
  QListView* m_grid = nullptr;

  QLabel* m_preview = nullptr;
  QLabel* m_imageInfo = nullptr;
  QPlainTextEdit* m_caption = nullptr;
  QLabel* m_originalCaption = nullptr;
  QPushButton* m_saveCaption = nullptr;
  QPushButton* m_undoButton = nullptr;
  QPushButton* m_redoButton = nullptr;
  qint64 m_selectedId = 0;
  int m_selectedRow = -1;

  QSpinBox* m_minSide = nullptr;
  QDoubleSpinBox* m_minAspect = nullptr;
  QDoubleSpinBox* m_maxAspect = nullptr;
  QDoubleSpinBox* m_minAesthetic = nullptr;
  QCheckBox* m_english = nullptr;
  QCheckBox* m_dropEmpty = nullptr;
  QCheckBox* m_dropRepeated = nullptr;
  QSpinBox* m_nearDuplicates = nullptr;
  QCheckBox* m_liveFilters = nullptr;
  QLabel* m_filterCounts = nullptr;
  QTimer* m_filterTimer = nullptr;

  DuplicateReview* m_duplicates = nullptr;
  HistogramPlot* m_sideHistogram = nullptr;
  HistogramPlot* m_aspectHistogram = nullptr;
  QLabel* m_statsText = nullptr;

  QLineEdit* m_shardsOut = nullptr;
  QSpinBox* m_shardsMinSide = nullptr;
  QSpinBox* m_shardsResize = nullptr;
  QComboBox* m_shardsCompression = nullptr;
  ShardUpload* m_upload = nullptr;
  QPushButton* m_shardsButton = nullptr;
  QLabel* m_shardsStatus = nullptr;
};
