#include "pages/runs_page.h"

#include "dialogs/ssh_prompts.h"

#include "models/run_list_model.h"
#include "widgets/loss_plot.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
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
  bar->addWidget(refresh);
  bar->addWidget(m_cancel);
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
  auto* vsplit = new QSplitter(Qt::Vertical, right);
  vsplit->addWidget(m_plot);
  vsplit->addWidget(m_log);
  vsplit->setStretchFactor(0, 3);
  vsplit->setStretchFactor(1, 1);
  rightLayout->addWidget(m_status);
  rightLayout->addWidget(m_throughput);
  rightLayout->addWidget(vsplit, 1);
  split->addWidget(m_table);
  split->addWidget(right);
  split->setStretchFactor(1, 2);
  layout->addWidget(split, 1);

  connect(refresh, &QPushButton::clicked, this, &RunsPage::reload);
  connect(m_cancel, &QPushButton::clicked, this, &RunsPage::cancelCurrentRun);
  connect(m_logScale, &QCheckBox::toggled, m_plot, &LossPlot::setLogScale);
  connect(m_smoothing, &QSlider::valueChanged, this, [this](int v) { m_plot->setSmoothing(v / 100.0); });
  connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RunsPage::handleSelection);
  reload();
}

RunsPage::~RunsPage() {
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
  showStatus(currentRun());
}


void RunsPage::startWatch(const RunRecord& record) {
  Watch w;
  w.record = record;
  w.thread = new QThread(this);
  w.watcher = new RunWatcher(record, SshPrompts::connectOptions(this));
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
  m_watches.insert(id, w);
  w.thread->start();
}

void RunsPage::stopWatch(const QString& id, bool wait) {
  auto it = m_watches.find(id);
  if (it == m_watches.end()) return;
  QThread* thread = it->thread;
  const QString name = it->record.name.isEmpty() ? id : it->record.name;
  m_watches.erase(it);
  m_plot->removeRun(name);
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
  QVector<double> steps, losses;
  for (const QJsonObject& line : lines) {
    const double step = line.value(QStringLiteral("step")).toDouble(it->lastStep);
    if (line.contains(QStringLiteral("event"))) {
      const QString event = line.value(QStringLiteral("event")).toString();
      if (event != QLatin1String("checkpoint") && event != QLatin1String("start"))
        m_plot->addMarker(it->record.name.isEmpty() ? id : it->record.name, step, RunListModel::eventText(event));
      continue;
    }
    if (!line.contains(QStringLiteral("loss"))) continue;
    steps << step;
    // NaN is written as null (JSON has no NaN): keep the point, shown as a gap by its marker.
    losses << (line.value(QStringLiteral("loss")).isDouble() ? line.value(QStringLiteral("loss")).toDouble()
                                                              : std::numeric_limits<double>::quiet_NaN());
    it->lastStep = step;
    m_lastMetrics[id] = line;
  }
  if (!steps.isEmpty()) m_plot->addPoints(it->record.name.isEmpty() ? id : it->record.name, steps, losses);
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
