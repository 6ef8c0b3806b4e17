#include "pages/datasets_page.h"

#include "models/caption_edit_command.h"
#include "models/catalog_model.h"
#include "widgets/duplicate_review.h"
#include "widgets/shard_upload.h"
#include "widgets/histogram_plot.h"
#include "workers/thumbnail_loader.h"

#include "tessera/dataset.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QThread>
#include <QTimer>
#include <QUndoStack>
#include <QVBoxLayout>

namespace {
// Typed settings keys (one place, so a typo cannot silently create a new key).
const char* const kCatalogKey = "datasets/catalog";
const char* const kSourceKey = "datasets/source";
const char* const kMinSideKey = "datasets/minSide";
const char* const kMinAspectKey = "datasets/minAspect";
const char* const kMaxAspectKey = "datasets/maxAspect";
const char* const kMinAestheticKey = "datasets/minAesthetic";
const char* const kEnglishKey = "datasets/englishOnly";
const char* const kDropEmptyKey = "datasets/dropEmptyCaptions";
const char* const kDropRepeatedKey = "datasets/dropRepeatedCaptions";
const char* const kNearDuplicatesKey = "datasets/nearDuplicates";
const char* const kLiveFiltersKey = "datasets/liveFilters";
const char* const kShardsOutKey = "datasets/shardsOut";
const char* const kShardsResizeKey = "datasets/shardsResize";

QString key(const char* k) { return QLatin1String(k); }
QString fromStd(const std::string& s) { return QString::fromStdString(s); }

// Work shared between a worker thread and the GUI thread's progress timer.
struct Progress {
  std::atomic<qint64> done{0};
  std::atomic<qint64> total{0};
};
}  // namespace

DatasetsPage::DatasetsPage(QWidget* parent) : QWidget(parent) {
  m_model = new CatalogModel(this);
  m_undo = new QUndoStack(this);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(createCatalogBar());

  auto* split = new QSplitter(Qt::Horizontal, this);
  auto* left = new QSplitter(Qt::Vertical, split);
  m_grid = new QListView(left);
  m_grid->setObjectName(QStringLiteral("grid"));
  m_grid->setViewMode(QListView::IconMode);
  m_grid->setMovement(QListView::Static);
  m_grid->setResizeMode(QListView::Adjust);
  m_grid->setUniformItemSizes(true);  // one size for all: no data() call per row to lay out
  m_grid->setLayoutMode(QListView::Batched);
  m_grid->setBatchSize(2000);
  m_grid->setIconSize(QSize(CatalogModel::kThumbnailSize, CatalogModel::kThumbnailSize));
  m_grid->setGridSize(QSize(CatalogModel::kThumbnailSize + 16, CatalogModel::kThumbnailSize + 28));
  m_grid->setTextElideMode(Qt::ElideMiddle);
  m_grid->setSelectionMode(QAbstractItemView::SingleSelection);
  m_grid->setModel(m_model);
  m_problems = new QListWidget(left);
  m_problems->setObjectName(QStringLiteral("problems"));
  m_problems->setToolTip(tr("Files the last import could not use, and why"));
  m_problems->hide();
  left->addWidget(m_grid);
  left->addWidget(m_problems);
  left->setStretchFactor(0, 4);
  left->setStretchFactor(1, 1);

  auto* tabs = new QTabWidget(split);
  tabs->setObjectName(QStringLiteral("tabs"));
  tabs->addTab(createCaptionTab(), tr("Caption"));
  tabs->addTab(createFiltersTab(), tr("Filters"));
  tabs->addTab(createStatsTab(), tr("Statistics"));
  m_duplicates = new DuplicateReview(m_model->thumbnails(), tabs);
  m_duplicates->setObjectName(QStringLiteral("duplicateReview"));
  tabs->addTab(m_duplicates, tr("Duplicates"));
  // A verdict changes the counts and the grid's marks, not the list of pairs still to review.
  connect(m_duplicates, &DuplicateReview::reviewed, this, [this] { reloadStats(false, /*keepDuplicates=*/true); });
  tabs->addTab(createShardsTab(), tr("Shards"));
  split->addWidget(left);
  split->addWidget(tabs);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  layout->addWidget(split, 1);

  connect(m_grid->selectionModel(), &QItemSelectionModel::currentChanged, this, &DatasetsPage::handleSelection);
  connect(m_model, &CatalogModel::pageLoaded, this, [this] {
    if (m_selectedRow >= 0 && m_selectedId == 0) handleSelection();
  });
  connect(m_model, &CatalogModel::readFailed, this, [this](const QString& message) {
    m_status->setText(tr("Cannot read the catalog: %1").arg(message));
  });

  loadSettings();
  setBusy(false, QString());
  if (!m_catalogPath->text().isEmpty() && QFileInfo::exists(m_catalogPath->text())) openCatalog();
}

DatasetsPage::~DatasetsPage() {
  saveSettings();
  if (m_cancel) m_cancel->store(true);
  for (QThread* worker : findChildren<QThread*>(QString(), Qt::FindDirectChildrenOnly)) worker->wait();
}

QWidget* DatasetsPage::createCatalogBar() {
  auto* bar = new QWidget(this);
  auto* form = new QFormLayout(bar);
  form->setContentsMargins(0, 0, 0, 0);

  auto* catalogRow = new QHBoxLayout;
  m_catalogPath = new QLineEdit(bar);
  m_catalogPath->setObjectName(QStringLiteral("catalogPath"));
  m_catalogPath->setPlaceholderText(tr("A catalog file, e.g. ~/datasets/cats.db (created by the first import)"));
  auto* browse = new QPushButton(tr("Browse…"), bar);
  m_openButton = new QPushButton(tr("Open"), bar);
  m_openButton->setObjectName(QStringLiteral("openButton"));
  catalogRow->addWidget(m_catalogPath, 1);
  catalogRow->addWidget(browse);
  catalogRow->addWidget(m_openButton);
  form->addRow(tr("Catalog:"), catalogRow);
  connect(browse, &QPushButton::clicked, this, &DatasetsPage::browseCatalog);
  connect(m_openButton, &QPushButton::clicked, this, &DatasetsPage::openCatalog);
  connect(m_catalogPath, &QLineEdit::returnPressed, this, &DatasetsPage::openCatalog);

  auto* importRow = new QHBoxLayout;
  m_source = new QLineEdit(bar);
  m_source->setObjectName(QStringLiteral("importSource"));
  m_source->setPlaceholderText(tr("An image folder (captions from .txt sidecars), or a .csv or .jsonl manifest"));
  auto* folder = new QPushButton(tr("Folder…"), bar);
  auto* manifest = new QPushButton(tr("Manifest…"), bar);
  m_importButton = new QPushButton(tr("Import"), bar);
  m_importButton->setObjectName(QStringLiteral("importButton"));
  m_cancelButton = new QPushButton(tr("Cancel"), bar);
  m_cancelButton->setObjectName(QStringLiteral("cancelButton"));
  m_cancelButton->setToolTip(tr("Stop the import; what was imported so far is kept, and importing again resumes."));
  importRow->addWidget(m_source, 1);
  importRow->addWidget(folder);
  importRow->addWidget(manifest);
  importRow->addWidget(m_importButton);
  importRow->addWidget(m_cancelButton);
  form->addRow(tr("Import:"), importRow);
  connect(folder, &QPushButton::clicked, this, [this] { browseSource(true); });
  connect(manifest, &QPushButton::clicked, this, [this] { browseSource(false); });
  connect(m_importButton, &QPushButton::clicked, this, &DatasetsPage::startImport);
  connect(m_cancelButton, &QPushButton::clicked, this, &DatasetsPage::cancelImport);

  auto* statusRow = new QHBoxLayout;
  m_progress = new QProgressBar(bar);
  m_progress->setObjectName(QStringLiteral("progress"));
  m_progress->setMaximumWidth(260);
  m_status = new QLabel(bar);
  m_status->setObjectName(QStringLiteral("status"));
  m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
  statusRow->addWidget(m_progress);
  statusRow->addWidget(m_status, 1);
  form->addRow(statusRow);
  return bar;
}

QWidget* DatasetsPage::createCaptionTab() {
  auto* tab = new QWidget;
  auto* layout = new QVBoxLayout(tab);
  m_preview = new QLabel(tab);
  m_preview->setObjectName(QStringLiteral("preview"));
  m_preview->setAlignment(Qt::AlignCenter);
  m_preview->setMinimumHeight(CatalogModel::kThumbnailSize * 2);
  m_imageInfo = new QLabel(tr("Select an image in the grid."), tab);
  m_imageInfo->setObjectName(QStringLiteral("imageInfo"));
  m_imageInfo->setWordWrap(true);
  m_imageInfo->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_caption = new QPlainTextEdit(tab);
  m_caption->setObjectName(QStringLiteral("captionEdit"));
  m_caption->setPlaceholderText(tr("The caption used for training"));
  m_originalCaption = new QLabel(tab);
  m_originalCaption->setObjectName(QStringLiteral("originalCaption"));
  m_originalCaption->setWordWrap(true);
  m_originalCaption->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* buttons = new QHBoxLayout;
  m_saveCaption = new QPushButton(tr("Save caption"), tab);
  m_saveCaption->setObjectName(QStringLiteral("saveCaption"));
  m_saveCaption->setToolTip(tr("Write the caption to the catalog (the original stays there too)"));
  m_undoButton = new QPushButton(tr("Undo"), tab);
  m_undoButton->setObjectName(QStringLiteral("undoCaption"));
  m_redoButton = new QPushButton(tr("Redo"), tab);
  m_redoButton->setObjectName(QStringLiteral("redoCaption"));
  buttons->addWidget(m_saveCaption, 1);
  buttons->addWidget(m_undoButton);
  buttons->addWidget(m_redoButton);
  layout->addWidget(m_preview);
  layout->addWidget(m_imageInfo);
  layout->addWidget(m_caption, 1);
  layout->addWidget(m_originalCaption);
  layout->addLayout(buttons);
  connect(m_saveCaption, &QPushButton::clicked, this, &DatasetsPage::saveCaption);
  connect(m_undoButton, &QPushButton::clicked, m_undo, &QUndoStack::undo);
  connect(m_redoButton, &QPushButton::clicked, m_undo, &QUndoStack::redo);
  connect(m_undo, &QUndoStack::canUndoChanged, this, [this] { setBusy(m_busy, m_status->text()); });
  connect(m_undo, &QUndoStack::canRedoChanged, this, [this] { setBusy(m_busy, m_status->text()); });
  connect(m_undo, &QUndoStack::undoTextChanged, this,
          [this](const QString& text) { m_undoButton->setToolTip(tr("Undo %1").arg(text)); });
  connect(m_undo, &QUndoStack::redoTextChanged, this,
          [this](const QString& text) { m_redoButton->setToolTip(tr("Redo %1").arg(text)); });
  return tab;
}

QWidget* DatasetsPage::createFiltersTab() {
  auto* tab = new QWidget;
  auto* layout = new QVBoxLayout(tab);
  auto* form = new QFormLayout;
  m_minSide = new QSpinBox(tab);
  m_minSide->setObjectName(QStringLiteral("minSide"));
  m_minSide->setRange(0, 8192);
  m_minSide->setSingleStep(64);
  m_minSide->setSpecialValueText(tr("off"));
  m_minSide->setSuffix(tr(" px"));
  m_minSide->setToolTip(tr("Drop images whose smaller side is below this (the reference recipe: 256, then 512)"));
  m_minAspect = new QDoubleSpinBox(tab);
  m_minAspect->setObjectName(QStringLiteral("minAspect"));
  m_minAspect->setRange(0, 20);
  m_minAspect->setSingleStep(0.1);
  m_minAspect->setSpecialValueText(tr("off"));
  m_maxAspect = new QDoubleSpinBox(tab);
  m_maxAspect->setObjectName(QStringLiteral("maxAspect"));
  m_maxAspect->setRange(0, 20);
  m_maxAspect->setSingleStep(0.1);
  m_maxAspect->setSpecialValueText(tr("off"));
  auto* aspectRow = new QHBoxLayout;
  aspectRow->addWidget(m_minAspect);
  aspectRow->addWidget(new QLabel(tr("to"), tab));
  aspectRow->addWidget(m_maxAspect);
  m_minAesthetic = new QDoubleSpinBox(tab);
  m_minAesthetic->setObjectName(QStringLiteral("minAesthetic"));
  m_minAesthetic->setRange(0, 10);
  m_minAesthetic->setSingleStep(0.25);
  m_minAesthetic->setSpecialValueText(tr("off"));
  m_minAesthetic->setToolTip(tr("Drop images whose manifest's aesthetic score is below this, or missing"));
  m_english = new QCheckBox(tr("English captions only"), tab);
  m_english->setObjectName(QStringLiteral("englishOnly"));
  m_dropEmpty = new QCheckBox(tr("Drop empty captions"), tab);
  m_dropEmpty->setObjectName(QStringLiteral("dropEmpty"));
  m_dropRepeated = new QCheckBox(tr("Drop repeated captions"), tab);
  m_dropRepeated->setObjectName(QStringLiteral("dropRepeated"));
  m_nearDuplicates = new QSpinBox(tab);
  m_nearDuplicates->setObjectName(QStringLiteral("nearDuplicates"));
  m_nearDuplicates->setRange(-1, 16);
  m_nearDuplicates->setSpecialValueText(tr("off"));
  m_nearDuplicates->setToolTip(tr("Drop images whose perceptual hash is within this many bits of a larger kept image"));
  form->addRow(tr("Smaller side at least:"), m_minSide);
  form->addRow(tr("Aspect (width / height):"), aspectRow);
  form->addRow(tr("Aesthetic score at least:"), m_minAesthetic);
  form->addRow(m_english);
  form->addRow(m_dropEmpty);
  form->addRow(m_dropRepeated);
  form->addRow(tr("Near-duplicates (pHash distance):"), m_nearDuplicates);
  layout->addLayout(form);
  auto* row = new QHBoxLayout;
  m_liveFilters = new QCheckBox(tr("Apply as I change them"), tab);
  m_liveFilters->setObjectName(QStringLiteral("liveFilters"));
  m_liveFilters->setChecked(true);
  auto* apply = new QPushButton(tr("Apply filters"), tab);
  apply->setObjectName(QStringLiteral("applyFilters"));
  apply->setToolTip(tr("Record which images these settings drop (earlier decisions are replaced)"));
  row->addWidget(m_liveFilters, 1);
  row->addWidget(apply);
  layout->addLayout(row);
  m_filterCounts = new QLabel(tab);
  m_filterCounts->setObjectName(QStringLiteral("filterCounts"));
  m_filterCounts->setWordWrap(true);
  m_filterCounts->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(m_filterCounts);
  layout->addStretch(1);

  m_filterTimer = new QTimer(this);
  m_filterTimer->setSingleShot(true);
  m_filterTimer->setInterval(400);  // one run after a burst of spin box clicks
  connect(m_filterTimer, &QTimer::timeout, this, &DatasetsPage::applyFilters);
  connect(apply, &QPushButton::clicked, this, &DatasetsPage::applyFilters);
  const auto changed = [this] { scheduleFilters(); };
  connect(m_minSide, &QSpinBox::valueChanged, this, changed);
  connect(m_minAspect, &QDoubleSpinBox::valueChanged, this, changed);
  connect(m_maxAspect, &QDoubleSpinBox::valueChanged, this, changed);
  connect(m_minAesthetic, &QDoubleSpinBox::valueChanged, this, changed);
  connect(m_english, &QCheckBox::toggled, this, changed);
  connect(m_dropEmpty, &QCheckBox::toggled, this, changed);
  connect(m_dropRepeated, &QCheckBox::toggled, this, changed);
  connect(m_nearDuplicates, &QSpinBox::valueChanged, this, changed);
  return tab;
}

QWidget* DatasetsPage::createStatsTab() {
  auto* tab = new QWidget;
  auto* layout = new QVBoxLayout(tab);
  m_sideHistogram = new HistogramPlot(tr("Smaller side (px)"), tab);
  m_sideHistogram->setObjectName(QStringLiteral("sideHistogram"));
  m_aspectHistogram = new HistogramPlot(tr("Aspect ratio (width / height)"), tab);
  m_aspectHistogram->setObjectName(QStringLiteral("aspectHistogram"));
  m_statsText = new QLabel(tab);
  m_statsText->setObjectName(QStringLiteral("statsText"));
  m_statsText->setWordWrap(true);
  m_statsText->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(m_sideHistogram, 1);
  layout->addWidget(m_aspectHistogram, 1);
  layout->addWidget(m_statsText);
  return tab;
}

QWidget* DatasetsPage::createShardsTab() {
  auto* tab = new QWidget;
  auto* layout = new QVBoxLayout(tab);
  auto* form = new QFormLayout;
  auto* outRow = new QHBoxLayout;
  m_shardsOut = new QLineEdit(tab);
  m_shardsOut->setObjectName(QStringLiteral("shardsOut"));
  m_shardsOut->setPlaceholderText(tr("An empty or new folder"));
  auto* browse = new QPushButton(tr("Browse…"), tab);
  outRow->addWidget(m_shardsOut, 1);
  outRow->addWidget(browse);
  connect(browse, &QPushButton::clicked, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder for the shards"), m_shardsOut->text());
    if (!dir.isEmpty()) m_shardsOut->setText(dir);
  });
  m_shardsMinSide = new QSpinBox(tab);
  m_shardsMinSide->setObjectName(QStringLiteral("shardsMinSide"));
  m_shardsMinSide->setRange(0, 8192);
  m_shardsMinSide->setSpecialValueText(tr("any"));
  m_shardsMinSide->setSuffix(tr(" px"));
  m_shardsResize = new QSpinBox(tab);
  m_shardsResize->setObjectName(QStringLiteral("shardsResize"));
  m_shardsResize->setRange(0, 4096);
  m_shardsResize->setSingleStep(64);
  m_shardsResize->setSpecialValueText(tr("keep the original files"));
  m_shardsResize->setSuffix(tr(" px square"));
  m_shardsCompression = new QComboBox(tab);
  m_shardsCompression->setObjectName(QStringLiteral("shardsCompression"));
  m_shardsCompression->addItem(tr("none"), QString());
  m_shardsCompression->addItem(tr("zstd"), QStringLiteral("zstd"));
  m_shardsCompression->addItem(tr("zstd, level 7"), QStringLiteral("zstd:7"));
  form->addRow(tr("Output folder:"), outRow);
  form->addRow(tr("Smaller side at least:"), m_shardsMinSide);
  form->addRow(tr("Centre-crop and resize to:"), m_shardsResize);
  form->addRow(tr("Compression:"), m_shardsCompression);
  layout->addLayout(form);
  m_shardsButton = new QPushButton(tr("Write shards"), tab);
  m_shardsButton->setObjectName(QStringLiteral("writeShards"));
  m_shardsButton->setToolTip(tr("Write the kept images as an MDS shard set (mosaicml-streaming format)"));
  m_shardsStatus = new QLabel(tab);
  m_shardsStatus->setObjectName(QStringLiteral("shardsStatus"));
  m_shardsStatus->setWordWrap(true);
  m_shardsStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(m_shardsButton);
  layout->addWidget(m_shardsStatus);
  auto* upload = new QGroupBox(tr("Upload to a host"), tab);
  auto* uploadLayout = new QVBoxLayout(upload);
  m_upload = new ShardUpload(upload);
  uploadLayout->addWidget(m_upload);
  layout->addWidget(upload);
  m_upload->setSourceFolder(m_shardsOut->text().trimmed());
  connect(m_shardsOut, &QLineEdit::textChanged, m_upload, [this](const QString& t) { m_upload->setSourceFolder(t.trimmed()); });
  layout->addStretch(1);
  connect(m_shardsButton, &QPushButton::clicked, this, &DatasetsPage::writeShards);
  return tab;
}

void DatasetsPage::runInBackground(std::function<void()> work, std::function<void()> done) {
  QThread* worker = QThread::create(std::move(work));
  worker->setParent(this);  // waited for in the destructor
  connect(worker, &QThread::finished, this, [worker, done = std::move(done)] {
    worker->deleteLater();
    done();
  });
  worker->start();
}

void DatasetsPage::setBusy(bool busy, const QString& status) {
  m_busy = busy;
  m_status->setText(status);
  const bool open = !m_catalog.isEmpty();
  m_openButton->setEnabled(!busy);
  m_catalogPath->setEnabled(!busy);
  m_importButton->setEnabled(!busy && open);
  m_cancelButton->setEnabled(busy && m_cancel != nullptr);
  m_progress->setVisible(busy);
  m_saveCaption->setEnabled(!busy && m_selectedId > 0);
  m_undoButton->setEnabled(!busy && m_undo->canUndo());
  m_redoButton->setEnabled(!busy && m_undo->canRedo());
  m_shardsButton->setEnabled(!busy && open);
  m_duplicates->setEnabled(!busy);  // a verdict writes to the catalog
}

void DatasetsPage::openCatalog() {
  if (m_busy) return;
  const QString path = m_catalogPath->text().trimmed();
  m_undo->clear();  // edits of another catalog cannot be undone here
  m_selectedId = 0;
  m_selectedRow = -1;
  m_problems->clear();
  m_problems->hide();
  if (path.isEmpty()) {
    m_catalog.clear();
    m_model->setCatalog(QString(), 0);
    m_duplicates->setCatalog(QString());
    setBusy(false, tr("Give a catalog file to open, or a new one to create."));
    return;
  }
  m_catalog = QFileInfo(path).absoluteFilePath();
  if (!QFileInfo::exists(m_catalog)) {
    m_model->setCatalog(QString(), 0);
    m_duplicates->setCatalog(QString());
    m_sideHistogram->clear();
    m_aspectHistogram->clear();
    m_statsText->clear();
    setBusy(false, tr("New catalog: the first import creates %1.").arg(QFileInfo(m_catalog).fileName()));
    Q_EMIT catalogOpened(0);
    return;
  }
  reloadStats(true);
}

void DatasetsPage::reloadStats(bool resetModel, bool keepDuplicates) {
  const std::string catalog = m_catalog.toStdString();
  auto stats = std::make_shared<tessera::DatasetStats>();
  auto status = std::make_shared<tessera::Status>();
  setBusy(true, tr("Reading the catalog…"));
  m_progress->setRange(0, 0);
  runInBackground([catalog, stats, status] { *status = tessera::dataset_stats(catalog, stats.get()); },
                  [this, stats, status, resetModel, keepDuplicates] {
                    if (!status->ok()) {
                      m_afterStats.clear();
                      if (resetModel) m_model->setCatalog(QString(), 0);
                      setBusy(false, tr("Cannot open the catalog: %1").arg(fromStd(status->to_string())));
                      return;
                    }
                    if (resetModel || m_model->rowCount() != stats->total)
                      m_model->setCatalog(m_catalog, stats->total);
                    else
                      m_model->refresh();  // captions or decisions changed
                    if (!keepDuplicates) m_duplicates->setCatalog(m_catalog);  // decisions may have changed: search again
                    QStringList labels;
                    QVector<double> all, kept;
                    for (const auto& b : stats->min_side) labels << fromStd(b.label), all << b.all, kept << b.kept;
                    m_sideHistogram->setBins(labels, all, kept);
                    labels.clear(), all.clear(), kept.clear();
                    for (const auto& b : stats->aspect) labels << fromStd(b.label), all << b.all, kept << b.kept;
                    m_aspectHistogram->setBins(labels, all, kept);
                    QStringList formats;
                    for (const auto& [format, count] : stats->formats) formats << tr("%1 %2").arg(fromStd(format)).arg(count);
                    m_statsText->setText(tr("%1 images, %2 kept, %3 dropped; %4 files could not be imported.\nFormats: %5")
                                             .arg(stats->total)
                                             .arg(stats->kept)
                                             .arg(stats->dropped)
                                             .arg(stats->import_errors)
                                             .arg(formats.join(tr(", "))));
                    setBusy(false, !m_afterStats.isEmpty()
                                       ? m_afterStats
                                       : tr("%1: %n image(s), %2 kept.", nullptr, int(stats->total))
                                             .arg(QFileInfo(m_catalog).fileName())
                                             .arg(stats->kept));
                    m_afterStats.clear();
                    if (resetModel) Q_EMIT catalogOpened(stats->total);
                    Q_EMIT statsUpdated();
                    if (m_filtersPending) {
                      m_filtersPending = false;
                      applyFilters();
                    }
                  });
}

void DatasetsPage::startImport() {
  if (m_busy || m_catalog.isEmpty()) return;
  const QString source = m_source->text().trimmed();
  if (source.isEmpty() || !QFileInfo::exists(source)) {
    m_status->setText(source.isEmpty() ? tr("Choose a folder or a manifest to import.")
                                       : tr("%1 does not exist.").arg(source));
    return;
  }
  tessera::DatasetImportOptions options;
  options.catalog = m_catalog.toStdString();
  options.from = QFileInfo(source).absoluteFilePath().toStdString();
  m_cancel = std::make_shared<std::atomic_bool>(false);
  auto progress = std::make_shared<Progress>();
  auto summary = std::make_shared<tessera::DatasetImportSummary>();
  auto status = std::make_shared<tessera::Status>();
  auto cancel = m_cancel;
  m_problems->clear();
  m_problems->hide();
  setBusy(true, tr("Importing %1…").arg(QFileInfo(source).fileName()));
  m_progress->setRange(0, 0);
  auto* timer = new QTimer(this);  // progress comes from atomics, so the worker never floods the GUI
  timer->setInterval(100);
  connect(timer, &QTimer::timeout, this, [this, progress] {
    const qint64 total = progress->total.load();
    if (total <= 0) return;
    m_progress->setRange(0, int(qMin<qint64>(total, INT_MAX)));
    m_progress->setValue(int(qMin<qint64>(progress->done.load(), INT_MAX)));
  });
  timer->start();
  runInBackground(
      [options, progress, summary, status, cancel] {
        *status = tessera::import_dataset(
            options,
            [progress, cancel](const tessera::DatasetImportProgress& p) {
              progress->done = p.done;
              progress->total = p.total;
              return !cancel->load();
            },
            summary.get());
      },
      [this, timer, progress, summary, status] {
        timer->deleteLater();
        m_cancel.reset();
        const bool cancelled = status->cancelled();
        for (const auto& p : summary->problems) {
          auto* item = new QListWidgetItem(tr("%1 — %2").arg(fromStd(p.where), fromStd(p.reason)), m_problems);
          item->setData(Qt::UserRole, fromStd(p.where));
        }
        m_problems->setVisible(m_problems->count() > 0);
        QString text;
        if (status->ok() || cancelled) {
          text = tr("%1 added, %2 re-read, %3 unchanged, %4 updated, %5 could not be imported.")
                     .arg(summary->added)
                     .arg(summary->replaced)
                     .arg(summary->unchanged)
                     .arg(summary->updated)
                     .arg(summary->failed);
          if (cancelled) text = tr("Import cancelled: %1 Import again to resume.").arg(text);
        } else {
          text = tr("Import failed: %1").arg(fromStd(status->to_string()));
        }
        m_progress->setRange(0, 1);
        Q_EMIT importFinished(status->ok(), cancelled);
        if (QFileInfo::exists(m_catalog)) {
          m_afterStats = text;  // shown once the grid shows the new images
          reloadStats(true);
        } else {
          setBusy(false, text);
        }
      });
}

void DatasetsPage::cancelImport() {
  if (m_cancel) m_cancel->store(true);
  m_cancelButton->setEnabled(false);
  m_status->setText(tr("Cancelling after the current image…"));
}

void DatasetsPage::scheduleFilters() {
  if (m_liveFilters->isChecked() && !m_catalog.isEmpty()) m_filterTimer->start();
}

void DatasetsPage::applyFilters() {
  m_filterTimer->stop();
  if (m_catalog.isEmpty() || !QFileInfo::exists(m_catalog)) return;
  if (m_busy) {
    m_filtersPending = true;  // run once the current work is done
    return;
  }
  tessera::DatasetFilterOptions options;
  options.catalog = m_catalog.toStdString();
  options.reset = true;  // the panel is the whole truth: earlier decisions go
  options.min_side = m_minSide->value();
  if (m_minAspect->value() > 0) options.min_aspect = m_minAspect->value();
  if (m_maxAspect->value() > 0) options.max_aspect = m_maxAspect->value();
  if (m_minAesthetic->value() > 0) options.metadata_min.emplace_back("aesthetic", m_minAesthetic->value());
  options.english_only = m_english->isChecked();
  options.drop_empty_captions = m_dropEmpty->isChecked();
  options.drop_repeated_captions = m_dropRepeated->isChecked();
  options.near_duplicate_distance = m_nearDuplicates->value();
  auto summary = std::make_shared<tessera::DatasetFilterSummary>();
  auto status = std::make_shared<tessera::Status>();
  setBusy(true, tr("Applying the filters…"));
  m_progress->setRange(0, 0);
  runInBackground([options, summary, status] { *status = tessera::filter_dataset(options, summary.get()); },
                  [this, summary, status] {
                    if (!status->ok()) {
                      setBusy(false, tr("Cannot apply the filters: %1").arg(fromStd(status->to_string())));
                      return;
                    }
                    const QHash<QString, QString> names = {
                        {QStringLiteral("min_side"), tr("smaller side")},
                        {QStringLiteral("aspect"), tr("aspect ratio")},
                        {QStringLiteral("min_aesthetic"), tr("aesthetic score")},
                        {QStringLiteral("english"), tr("not English")},
                        {QStringLiteral("empty_caption"), tr("empty caption")},
                        {QStringLiteral("repeated_caption"), tr("repeated caption")},
                        {QStringLiteral("near_duplicate"), tr("near-duplicate")},
                        {QStringLiteral("review"), tr("a reviewer's verdict")}};
                    QStringList lines;
                    lines << tr("%1 of %2 images kept.").arg(summary->kept).arg(summary->total);
                    for (const auto& [filter, count] : summary->dropped_by_filter) {
                      const QString name = fromStd(filter);
                      lines << tr("%1: %2 dropped").arg(names.value(name, name)).arg(count);
                    }
                    m_filterCounts->setText(lines.join(QLatin1Char('\n')));
                    m_busy = false;
                    Q_EMIT filtersApplied(summary->kept, summary->total);
                    reloadStats(false);  // histograms' kept bars and the grid's faded tiles
                  });
}

void DatasetsPage::writeShards() {
  if (m_busy || m_catalog.isEmpty() || !QFileInfo::exists(m_catalog)) return;
  const QString out = m_shardsOut->text().trimmed();
  if (out.isEmpty()) {
    m_shardsStatus->setText(tr("Choose a folder for the shards."));
    return;
  }
  tessera::DatasetShardOptions options;
  options.catalog = m_catalog.toStdString();
  options.out_dir = QFileInfo(out).absoluteFilePath().toStdString();
  options.min_side = m_shardsMinSide->value();
  options.resize = m_shardsResize->value();
  options.compression = m_shardsCompression->currentData().toString().toStdString();
  auto progress = std::make_shared<Progress>();
  auto summary = std::make_shared<tessera::DatasetShardSummary>();
  auto status = std::make_shared<tessera::Status>();
  m_cancel = std::make_shared<std::atomic_bool>(false);
  auto cancel = m_cancel;
  setBusy(true, tr("Writing shards to %1…").arg(out));
  m_progress->setRange(0, 0);
  auto* timer = new QTimer(this);
  timer->setInterval(100);
  connect(timer, &QTimer::timeout, this, [this, progress] {
    const qint64 total = progress->total.load();
    if (total <= 0) return;
    m_progress->setRange(0, int(qMin<qint64>(total, INT_MAX)));
    m_progress->setValue(int(qMin<qint64>(progress->done.load(), INT_MAX)));
  });
  timer->start();
  runInBackground(
      [options, progress, summary, status, cancel] {
        *status = tessera::write_dataset_shards(
            options,
            [progress, cancel](int64_t done, int64_t total) {
              progress->done = done;
              progress->total = total;
              return !cancel->load();
            },
            summary.get());
      },
      [this, timer, summary, status] {
        timer->deleteLater();
        m_cancel.reset();
        QString text;
        if (status->ok()) {
          text = tr("%1 images in %2 shard(s), %3 MiB; %4 skipped.")
                     .arg(summary->samples)
                     .arg(qulonglong(summary->shards))
                     .arg(double(summary->file_bytes) / (1024.0 * 1024.0), 0, 'f', 1)
                     .arg(summary->skipped);
          for (const auto& p : summary->problems) text += QLatin1Char('\n') + tr("%1 — %2").arg(fromStd(p.where), fromStd(p.reason));
        } else if (status->cancelled()) {
          text = tr("Writing the shards was cancelled.");
        } else {
          text = tr("Cannot write the shards: %1").arg(fromStd(status->to_string()));
        }
        m_shardsStatus->setText(text);
        setBusy(false, text.section(QLatin1Char('\n'), 0, 0));
        Q_EMIT shardsWritten(status->ok());
      });
}

void DatasetsPage::handleSelection() {
  const QModelIndex current = m_grid->currentIndex();
  m_selectedRow = current.isValid() ? current.row() : -1;
  const tessera::DatasetImage* image = m_model->image(m_selectedRow);
  m_selectedId = image != nullptr ? image->id : 0;
  if (image == nullptr) {
    m_preview->clear();
    m_caption->clear();
    m_originalCaption->clear();
    m_imageInfo->setText(m_selectedRow < 0 ? tr("Select an image in the grid.") : tr("Reading…"));
    setBusy(m_busy, m_status->text());
    return;
  }
  const QImage thumb = current.data(Qt::DecorationRole).value<QImage>();
  m_preview->setPixmap(QPixmap::fromImage(thumb.scaled(thumb.size() * 2, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
  QString info = tr("%1\n%2 × %3 px, %4, %5 KiB")
                     .arg(fromStd(image->path))
                     .arg(image->width)
                     .arg(image->height)
                     .arg(fromStd(image->format))
                     .arg(image->byte_size / 1024);
  for (const QString& line : current.data(CatalogModel::DecisionsRole).toStringList()) info += tr("\nDropped — %1").arg(line);
  m_imageInfo->setText(info);
  m_caption->setPlainText(fromStd(image->caption));
  m_originalCaption->setText(image->caption == image->caption_original
                                 ? QString()
                                 : tr("Original: %1").arg(fromStd(image->caption_original)));
  setBusy(m_busy, m_status->text());
}

bool DatasetsPage::saveCaption() {
  if (m_busy || m_selectedId <= 0) return false;
  const tessera::DatasetImage* image = m_model->image(m_selectedRow);
  if (image == nullptr || image->id != m_selectedId) return false;
  const QString before = fromStd(image->caption);
  const QString after = m_caption->toPlainText();
  if (before == after) return false;
  const auto write = [this](qint64 id, int row, const QString& caption) { return writeCaption(id, row, caption); };
  m_undo->push(new CaptionEditCommand(write, m_selectedId, m_selectedRow, before, after));
  return true;
}

bool DatasetsPage::writeCaption(qint64 id, int row, const QString& caption) {
  // One UPDATE of one row: quick enough for the GUI thread (no import or filter runs meanwhile).
  const tessera::Status s = tessera::set_dataset_caption(m_catalog.toStdString(), id, caption.toStdString());
  if (!s.ok()) {
    m_status->setText(tr("Cannot save the caption: %1").arg(fromStd(s.to_string())));
    return false;
  }
  m_model->updateCaption(row, id, caption);
  if (id == m_selectedId) {
    m_grid->setCurrentIndex(m_model->index(row));
    handleSelection();
  }
  m_status->setText(tr("Caption of image %1 saved.").arg(id));
  return true;
}

void DatasetsPage::browseCatalog() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Open or create a catalog"), m_catalogPath->text(),
                                                    tr("Catalogs (*.db *.sqlite);;All files (*)"), nullptr,
                                                    QFileDialog::DontConfirmOverwrite);
  if (path.isEmpty()) return;
  m_catalogPath->setText(path);
  openCatalog();
}

void DatasetsPage::browseSource(bool folder) {
  const QString path = folder ? QFileDialog::getExistingDirectory(this, tr("Image folder to import"), m_source->text())
                              : QFileDialog::getOpenFileName(this, tr("Manifest to import"), m_source->text(),
                                                             tr("Manifests (*.csv *.jsonl);;All files (*)"));
  if (!path.isEmpty()) m_source->setText(path);
}

void DatasetsPage::loadSettings() {
  QSettings s;
  m_catalogPath->setText(s.value(key(kCatalogKey)).toString());
  m_source->setText(s.value(key(kSourceKey)).toString());
  const QSignalBlocker b1(m_minSide), b2(m_minAspect), b3(m_maxAspect), b4(m_minAesthetic), b5(m_english),
      b6(m_dropEmpty), b7(m_dropRepeated), b8(m_nearDuplicates);
  m_minSide->setValue(s.value(key(kMinSideKey), 0).toInt());
  m_minAspect->setValue(s.value(key(kMinAspectKey), 0.0).toDouble());
  m_maxAspect->setValue(s.value(key(kMaxAspectKey), 0.0).toDouble());
  m_minAesthetic->setValue(s.value(key(kMinAestheticKey), 0.0).toDouble());
  m_english->setChecked(s.value(key(kEnglishKey), false).toBool());
  m_dropEmpty->setChecked(s.value(key(kDropEmptyKey), false).toBool());
  m_dropRepeated->setChecked(s.value(key(kDropRepeatedKey), false).toBool());
  m_nearDuplicates->setValue(s.value(key(kNearDuplicatesKey), -1).toInt());
  m_liveFilters->setChecked(s.value(key(kLiveFiltersKey), true).toBool());
  m_shardsOut->setText(s.value(key(kShardsOutKey)).toString());
  m_shardsResize->setValue(s.value(key(kShardsResizeKey), 0).toInt());
}

void DatasetsPage::saveSettings() const {
  QSettings s;
  s.setValue(key(kCatalogKey), m_catalogPath->text());
  s.setValue(key(kSourceKey), m_source->text());
  s.setValue(key(kMinSideKey), m_minSide->value());
  s.setValue(key(kMinAspectKey), m_minAspect->value());
  s.setValue(key(kMaxAspectKey), m_maxAspect->value());
  s.setValue(key(kMinAestheticKey), m_minAesthetic->value());
  s.setValue(key(kEnglishKey), m_english->isChecked());
  s.setValue(key(kDropEmptyKey), m_dropEmpty->isChecked());
  s.setValue(key(kDropRepeatedKey), m_dropRepeated->isChecked());
  s.setValue(key(kNearDuplicatesKey), m_nearDuplicates->value());
  s.setValue(key(kLiveFiltersKey), m_liveFilters->isChecked());
  s.setValue(key(kShardsOutKey), m_shardsOut->text());
  s.setValue(key(kShardsResizeKey), m_shardsResize->value());
}
