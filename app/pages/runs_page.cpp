#include "pages/runs_page.h"

#include "dialogs/ssh_prompts.h"

#include "models/run_list_model.h"
#include "tessera/train.h"
#include "widgets/loss_plot.h"
#include "widgets/rate_plot.h"

#include <QCheckBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonArray>
#include <QListWidget>
#include <QStandardPaths>
#include <QTabWidget>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QImage>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSlider>
#include <QSplitter>
#include <QTableView>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

#include <limits>
#include <memory>

using tessera::remote::RunRecord;
using tessera::remote::RunState;
using tessera::remote::RunWatcher;

RunsPage::RunsPage(QString registryFolder, QWidget* parent) : QWidget(parent), m_registry(std::move(registryFolder)) {
  auto* layout = new QVBoxLayout(this);
  auto* bar = new QHBoxLayout();
  auto* refresh = new QPushButton(tr("Refresh"), this);
  refresh->setObjectName(QStringLiteral("refreshButton"));
  m_cancel = new QPushButton(tr("Cancel run"), this);
  m_cancel->setObjectName(QStringLiteral("cancelButton"));
  m_cancel->setEnabled(false);
  m_logScale = new QCheckBox(tr("Log scale"), this);
  m_logScale->setObjectName(QStringLiteral("logScale"));
  m_smoothing = new QSlider(Qt::Horizontal, this);
  m_smoothing->setObjectName(QStringLiteral("smoothing"));
  m_smoothing->setRange(0, 99);
  m_smoothing->setValue(90);
  m_smoothing->setMaximumWidth(160);
  m_smoothing->setToolTip(tr("Smoothing of the loss curve"));
  m_fetch = new QPushButton(tr("Fetch checkpoints…"), this);
  m_fetch->setObjectName(QStringLiteral("fetchCheckpoints"));
  m_fetch->setToolTip(tr("Copy the followed run's checkpoints to a folder here (only what changed)"));
  m_fetch->setEnabled(false);
  m_export = new QPushButton(tr("Export checkpoint…"), this);
  m_export->setObjectName(QStringLiteral("exportCheckpoint"));
  m_export->setToolTip(tr("Write a checkpoint here as a diffusers folder, for the Generate and Evaluate pages"));
  bar->addWidget(refresh);
  bar->addWidget(m_cancel);
  bar->addWidget(m_fetch);
  bar->addWidget(m_export);
  bar->addStretch(1);
  bar->addWidget(new QLabel(tr("Smoothing"), this));
  bar->addWidget(m_smoothing);
  bar->addWidget(m_logScale);
  layout->addLayout(bar);

  auto* split = new QSplitter(Qt::Horizontal, this);
  m_model = new RunListModel(this);
  m_table = new QTableView(split);
  m_table->setObjectName(QStringLiteral("runTable"));
  m_table->setModel(m_model);
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
  m_table->horizontalHeader()->setStretchLastSection(true);
  m_table->verticalHeader()->hide();
  auto* right = new QWidget(split);
  auto* rightLayout = new QVBoxLayout(right);
  rightLayout->setContentsMargins(0, 0, 0, 0);
  m_status = new QLabel(tr("Select a run to follow it (Ctrl+click to overlay several)."), right);
  m_status->setObjectName(QStringLiteral("runStatus"));
  m_status->setWordWrap(true);
  m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_throughput = new QLabel(right);
  m_throughput->setObjectName(QStringLiteral("throughput"));
  m_plot = new LossPlot(right);
  m_log = new QPlainTextEdit(right);
  m_log->setObjectName(QStringLiteral("runLog"));
  m_log->setReadOnly(true);
  m_log->setMaximumBlockCount(20000);
  m_log->setFont(QFont(QStringLiteral("monospace")));
  m_rates = new RatePlot(right);
  m_samples = new QListWidget(right);
  m_samples->setObjectName(QStringLiteral("sampleStrip"));
  m_samples->setViewMode(QListView::IconMode);
  m_samples->setIconSize(QSize(128, 128));
  m_samples->setResizeMode(QListView::Adjust);
  m_samples->setMovement(QListView::Static);
  auto* bottom = new QTabWidget(right);
  bottom->addTab(m_log, tr("Log"));
  bottom->addTab(m_samples, tr("Samples"));
  auto* vsplit = new QSplitter(Qt::Vertical, right);
  vsplit->addWidget(m_plot);
  vsplit->addWidget(m_rates);
  vsplit->addWidget(bottom);
  vsplit->setStretchFactor(0, 3);
  vsplit->setStretchFactor(1, 2);
  vsplit->setStretchFactor(2, 2);
  vsplit->setSizes({3000, 2000, 2000});  // the proportions, before the first layout
  rightLayout->addWidget(m_status);
  rightLayout->addWidget(m_throughput);
  rightLayout->addWidget(vsplit, 1);
  split->addWidget(m_table);
  split->addWidget(right);
  split->setStretchFactor(1, 2);
  layout->addWidget(split, 1);

  connect(refresh, &QPushButton::clicked, this, &RunsPage::reload);
  connect(m_cancel, &QPushButton::clicked, this, &RunsPage::cancelCurrentRun);
  connect(m_fetch, &QPushButton::clicked, this, &RunsPage::askFetchCheckpoints);
  connect(m_export, &QPushButton::clicked, this, &RunsPage::askExportCheckpoint);
  connect(m_logScale, &QCheckBox::toggled, m_plot, &LossPlot::setLogScale);
  connect(m_smoothing, &QSlider::valueChanged, this, [this](int v) { m_plot->setSmoothing(v / 100.0); });
  connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RunsPage::handleSelection);
  reload();
}

RunsPage::~RunsPage() {
  if (m_exporting != nullptr) m_exporting->wait();  // a child of this page: it must be done
  for (const QString& id : m_watches.keys()) stopWatch(id, false);
  for (QThread* t : m_stopping) t->wait();  // they are children of this page: they must be done
}

void RunsPage::reload() {
  const QStringList watched = m_watches.keys();
  const QStringList problems = m_model->reload(m_registry);
  if (!problems.isEmpty()) m_status->setText(tr("Some run records cannot be read: %1").arg(problems.join(QStringLiteral("; "))));
  // Keep the watched runs selected (a reload must not stop following them).
  QItemSelection selection;
  for (const QString& id : watched) {
    const int row = m_model->rowOf(id);
    if (row >= 0) selection.select(m_model->index(row, 0), m_model->index(row, RunListModel::ColumnCount - 1));
  }
  m_table->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
}

void RunsPage::setRegistryFolder(const QString& folder) {
  if (folder == m_registry.folder()) return;
  for (const QString& id : m_watches.keys()) stopWatch(id, false);
  m_registry = tessera::remote::RunRegistry(folder);
  m_log->clear();
  m_status->setText(tr("Select a run to follow it (Ctrl+click to overlay several)."));
  reload();
}

QString RunsPage::currentRun() const {
  const QModelIndex current = m_table->selectionModel()->currentIndex();
  if (current.isValid() && m_watches.contains(m_model->data(current, Qt::UserRole).toString()))
    return m_model->data(current, Qt::UserRole).toString();
  return m_watches.isEmpty() ? QString() : m_watches.keys().first();
}

void RunsPage::handleSelection() {
  QStringList ids;
  for (const QModelIndex& row : m_table->selectionModel()->selectedRows()) ids << m_model->data(row, Qt::UserRole).toString();
  watchRuns(ids);
}

void RunsPage::watchRuns(const QStringList& ids) {
  for (const QString& id : m_watches.keys())
    if (!ids.contains(id)) stopWatch(id, false);
  for (const QString& id : ids) {
    if (m_watches.contains(id)) continue;
    const int row = m_model->rowOf(id);
    if (const RunRecord* r = m_model->record(row)) startWatch(*r);
  }
  m_cancel->setEnabled(!m_watches.isEmpty());
  m_fetch->setEnabled(!m_watches.isEmpty());
  showStatus(currentRun());
}


void RunsPage::startWatch(const RunRecord& record) {
  Watch w;
  w.record = record;
  w.thread = new QThread(this);
  w.prompts = new SshPrompts(this);
  w.watcher = new RunWatcher(record, w.prompts->connectOptions());
  w.watcher->moveToThread(w.thread);
  auto* timer = new QTimer();
  timer->setInterval(m_pollMs);
  timer->moveToThread(w.thread);
  const QString id = record.id;
  connect(w.thread, &QThread::started, w.watcher, &RunWatcher::poll);
  connect(w.thread, &QThread::started, timer, qOverload<>(&QTimer::start));
  connect(timer, &QTimer::timeout, w.watcher, &RunWatcher::poll);
  connect(w.watcher, &RunWatcher::finished, timer, &QTimer::stop);
  connect(w.thread, &QThread::finished, w.watcher, &QObject::deleteLater);
  connect(w.thread, &QThread::finished, timer, &QObject::deleteLater);
  connect(w.watcher, &RunWatcher::metricsArrived, this, [this, id](const QList<QJsonObject>& l) { handleMetrics(id, l); });
  connect(w.watcher, &RunWatcher::stateChanged, this,
          [this, id](RunState s, const QString& message) { handleState(id, s, message); });
  connect(w.watcher, &RunWatcher::logArrived, this, [this, id](const QString& text) {
    if (id == currentRun()) m_log->appendPlainText(text.chopped(text.endsWith(QLatin1Char('\n')) ? 1 : 0));
  });
  connect(w.watcher, &RunWatcher::connectionLost, this, [this, id](const QString& error) {
    if (id == currentRun()) m_status->setText(tr("%1: connection lost (%2); retrying").arg(m_watches.value(id).record.name, error));
  });
  connect(w.watcher, &RunWatcher::connectionRestored, this, [this, id] { showStatus(id); });
  connect(w.watcher, &RunWatcher::actionFailed, this, [this](const QString& error) { m_status->setText(error); });
  connect(w.watcher, &RunWatcher::filesFetched, this, [this, id](const QStringList& paths, const QString& error) {
    if (!error.isEmpty()) m_status->setText(tr("Some sample images could not be fetched: %1").arg(error));
    addSamples(id, paths);
  });
  connect(w.watcher, &RunWatcher::transferProgress, this, [this](const QString& file, int i, int n) {
    m_status->setText(tr("Fetching %1 (file %2 of %3)…").arg(file).arg(i + 1).arg(n));
  });
  connect(w.watcher, &RunWatcher::folderFetched, this, [this](bool ok, const QString& folder, const QString& message) {
    if (ok) m_lastCheckpoints = folder;
    m_status->setText(ok ? tr("Checkpoints in %1: %2").arg(QDir::toNativeSeparators(folder), message)
                         : tr("Fetching the checkpoints failed: %1").arg(message));
    Q_EMIT checkpointsFetched(ok, folder, message);
  });
  m_watches.insert(id, w);
  w.thread->start();
}

void RunsPage::stopWatch(const QString& id, bool wait) {
  auto it = m_watches.find(id);
  if (it == m_watches.end()) return;
  QThread* thread = it->thread;
  // A question still open for this run is answered "no": its watcher must be free to end.
  it->prompts->cancel();
  it->prompts->deleteLater();
  const QString name = it->record.name.isEmpty() ? id : it->record.name;
  m_watches.erase(it);
  m_plot->removeRun(name);
  m_rates->removeRun(name);
  for (int i = m_samples->count() - 1; i >= 0; --i)
    if (m_samples->item(i)->data(Qt::UserRole).toString() == id) delete m_samples->takeItem(i);
  m_lastMetrics.remove(id);
  thread->quit();
  // A poll in progress finishes its SSH round trip first; the thread object goes when it does.
  m_stopping << thread;
  connect(thread, &QThread::finished, this, [this, thread] {
    m_stopping.removeAll(thread);
    thread->deleteLater();
  });
  if (wait) thread->wait();
}

void RunsPage::handleMetrics(const QString& id, const QList<QJsonObject>& lines) {
  auto it = m_watches.find(id);
  if (it == m_watches.end()) return;
  QVector<double> steps, losses, lrs, rates;
  QStringList sampleImages;  // of the batch's last "sample" event: a replay from the start fetches only the newest
  QString sampleStep;
  const auto number = [](const QJsonObject& line, const char* key) {
    const QJsonValue v = line.value(QLatin1String(key));
    return v.isDouble() ? v.toDouble() : std::numeric_limits<double>::quiet_NaN();
  };
  for (const QJsonObject& line : lines) {
    const double step = line.value(QStringLiteral("step")).toDouble(it->lastStep);
    if (line.contains(QStringLiteral("event"))) {
      const QString event = line.value(QStringLiteral("event")).toString();
      if (event == QLatin1String("sample")) {
        sampleImages.clear();
        for (const QJsonValue& v : line.value(QStringLiteral("images")).toArray()) sampleImages << v.toString();
        sampleStep = QStringLiteral("step-%1").arg(qint64(step), 8, 10, QLatin1Char('0'));
        continue;
      }
      if (event != QLatin1String("checkpoint") && event != QLatin1String("start"))
        m_plot->addMarker(it->record.name.isEmpty() ? id : it->record.name, step, RunListModel::eventText(event));
      continue;
    }
    if (!line.contains(QStringLiteral("loss"))) continue;
    steps << step;
    // NaN is written as null (JSON has no NaN): keep the point, shown as a gap by its marker.
    losses << number(line, "loss");
    lrs << number(line, "lr");
    rates << number(line, "images_per_s");
    it->lastStep = step;
    m_lastMetrics[id] = line;
  }
  const QString name = it->record.name.isEmpty() ? id : it->record.name;
  if (!steps.isEmpty()) {
    m_plot->addPoints(name, steps, losses);
    m_rates->addPoints(name, steps, lrs, rates);
  }
  if (!sampleImages.isEmpty()) {
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::CacheLocation) +
                        QStringLiteral("/samples/%1/%2").arg(id, sampleStep);
    RunWatcher* watcher = it->watcher;
    QMetaObject::invokeMethod(watcher, [watcher, sampleImages, dir] { watcher->fetchFiles(sampleImages, dir); });
  }
  if (id == currentRun() && m_lastMetrics.contains(id)) {
    const QJsonObject& m = m_lastMetrics[id];
    m_throughput->setText(tr("step %1 · loss %2 · lr %3 · %4 images/s · %5 samples seen")
                              .arg(m.value(QStringLiteral("step")).toVariant().toString(),
                                   QString::number(m.value(QStringLiteral("loss")).toDouble(), 'g', 4),
                                   QString::number(m.value(QStringLiteral("lr")).toDouble(), 'g', 3),
                                   QString::number(m.value(QStringLiteral("images_per_s")).toDouble(), 'f', 1),
                                   m.value(QStringLiteral("samples_seen")).toVariant().toString()));
  }
}

void RunsPage::handleState(const QString& id, RunState state, const QString& message) {
  auto it = m_watches.find(id);
  if (it == m_watches.end()) return;
  it->record.state = state;
  it->record.message = message;
  QString error;
  if (!m_registry.save(it->record, &error)) m_status->setText(error);
  m_model->updateRecord(it->record);
  if (id == currentRun()) showStatus(id);
  Q_EMIT runStateChanged(id, state);
}

void RunsPage::showStatus(const QString& id) {
  if (id.isEmpty() || !m_watches.contains(id)) return;
  const RunRecord& r = m_watches[id].record;
  QString text = tr("%1 — %2 on %3, %4").arg(r.name, r.launcher, r.hosts.join(QStringLiteral(", ")), RunListModel::stateText(r.state));
  if (!r.message.isEmpty()) text += QStringLiteral(" (%1)").arg(r.message);
  m_status->setText(text);
}

void RunsPage::cancelCurrentRun() {
  const QString id = currentRun();
  if (id.isEmpty()) return;
  if (QMessageBox::question(this, tr("Cancel run"), tr("Stop every process of %1 on every host?").arg(m_watches[id].record.name)) !=
      QMessageBox::Yes)
    return;
  cancelRun(id);
}

void RunsPage::cancelRun(const QString& id) {
  if (!m_watches.contains(id)) return;
  QMetaObject::invokeMethod(m_watches[id].watcher, &RunWatcher::cancelRun, Qt::QueuedConnection);
}

void RunsPage::addSamples(const QString& id, const QStringList& localPaths) {
  if (!m_watches.contains(id)) return;  // no longer followed
  const QString name = m_watches.value(id).record.name;
  constexpr int kShown = 48;  // newest first; older ones stay in the cache folder
  for (const QString& path : localPaths) {
    const QImage image(path);
    if (image.isNull()) continue;
    auto* item = new QListWidgetItem(QIcon(QPixmap::fromImage(image.scaled(128, 128, Qt::KeepAspectRatio, Qt::SmoothTransformation))),
                                     QFileInfo(QFileInfo(path).path()).fileName());
    item->setData(Qt::UserRole, id);
    item->setToolTip(tr("%1 — %2").arg(name, QDir::toNativeSeparators(path)));
    m_samples->insertItem(0, item);
  }
  while (m_samples->count() > kShown) delete m_samples->takeItem(m_samples->count() - 1);
  if (!localPaths.isEmpty()) Q_EMIT samplesArrived(id, localPaths);
}

bool RunsPage::fetchCheckpoints(const QString& id, const QString& localDir) {
  const auto it = m_watches.constFind(id);
  if (it == m_watches.constEnd() || localDir.isEmpty()) return false;
  RunWatcher* watcher = it->watcher;
  m_status->setText(tr("Fetching the checkpoints of %1…").arg(it->record.name));
  QMetaObject::invokeMethod(watcher, [watcher, localDir] { watcher->fetchFolder(QStringLiteral("checkpoints"), localDir); });
  return true;
}

void RunsPage::askFetchCheckpoints() {
  const QString id = currentRun();
  if (id.isEmpty()) return;
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Fetch the checkpoints into"));
  if (!dir.isEmpty()) (void)fetchCheckpoints(id, dir);
}

bool RunsPage::exportCheckpoint(const QString& checkpointDir, const QString& outDir, const QString& componentsDir) {
  if (m_exporting != nullptr || checkpointDir.isEmpty() || outDir.isEmpty()) return false;
  m_export->setEnabled(false);
  m_status->setText(tr("Exporting %1…").arg(QDir::toNativeSeparators(checkpointDir)));
  auto status = std::make_shared<tessera::Status>();
  tessera::ExportOptions o;
  o.checkpoint_dir = checkpointDir.toStdString();
  o.out_dir = outDir.toStdString();
  o.components_dir = componentsDir.toStdString();
  m_exporting = QThread::create([o, status] { *status = tessera::export_checkpoint(o); });
  m_exporting->setParent(this);
  connect(m_exporting, &QThread::finished, this, [this, status, outDir] {
    m_exporting->deleteLater();
    m_exporting = nullptr;
    m_export->setEnabled(true);
    const QString message = status->ok() ? tr("Exported to %1: open it on the Generate page.").arg(QDir::toNativeSeparators(outDir))
                                         : tr("Export failed: %1").arg(QString::fromStdString(status->to_string()));
    m_status->setText(message);
    Q_EMIT checkpointExported(status->ok(), message);
  });
  m_exporting->start();
  return true;
}

void RunsPage::askExportCheckpoint() {
  const QString checkpoint = QFileDialog::getExistingDirectory(this, tr("Choose a checkpoint (checkpoints/step-N)"), m_lastCheckpoints);
  if (checkpoint.isEmpty()) return;
  const QString out = QFileDialog::getExistingDirectory(this, tr("Export into (an empty or new folder)"));
  if (out.isEmpty()) return;
  // The run config names its VAE, text encoder and tokenizer by a path on the training host; here
  // another copy may be needed.
  const QString components = QFileDialog::getExistingDirectory(
      this, tr("Diffusers folder with the VAE, text encoder and tokenizer (Cancel: the run config's)"));
  (void)exportCheckpoint(checkpoint, out, components);
}
