#include "widgets/cost_estimator.h"

#include "tessera/remote/run_registry.h"
#include "tessera/remote/run_watcher.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>

#include <algorithm>
#include <vector>

namespace {
// Typed settings keys (one place, so a typo cannot silently create a new key).
const char* const kGpusKey = "train/estimate/gpus";
const char* const kPriceKey = "train/estimate/pricePerGpuHour";
const char* const kSourceKey = "train/estimate/source";
const char* const kThroughputKey = "train/estimate/imagesPerSecondPerGpu";
const char* const kOverheadKey = "train/estimate/overheadPercent";
const char* const kExtraKey = "train/estimate/extraGpuHours";

QString key(const char* k) { return QLatin1String(k); }
}  // namespace

CostEstimator::CostEstimator(QWidget* parent) : QWidget(parent) {
  auto* form = new QFormLayout(this);
  form->setContentsMargins(0, 0, 0, 0);
  m_gpus = new QSpinBox(this);
  m_gpus->setObjectName(QStringLiteral("estimateGpus"));
  m_gpus->setRange(1, 100000);
  m_gpus->setToolTip(tr("GPUs the run uses in all (nodes × GPUs per node)."));
  m_price = new QDoubleSpinBox(this);
  m_price->setObjectName(QStringLiteral("estimatePrice"));
  m_price->setRange(0.0, 1000.0);
  m_price->setDecimals(2);
  m_price->setSingleStep(0.25);
  m_price->setPrefix(QStringLiteral("$"));
  m_price->setToolTip(tr("What one GPU costs per hour (the reference run: $2 per A100-hour)."));
  auto* throughputRow = new QHBoxLayout;
  m_source = new QComboBox(this);
  m_source->setObjectName(QStringLiteral("estimateSource"));
  m_source->addItem(tr("Reference A100"), int(Source::Reference));
  m_source->addItem(tr("Typed in"), int(Source::Typed));
  m_source->addItem(tr("Measured by a run"), int(Source::Measured));
  m_source->setToolTip(tr("Reference: mosaicml/diffusion's A100 figures (137.5 images/s per GPU at 256 px and 36 at "
                          "512 px on 8 GPUs; 90.6 and 35.9 on 128), for the config's image size and these GPUs."));
  m_throughput = new QDoubleSpinBox(this);
  m_throughput->setObjectName(QStringLiteral("estimateThroughput"));
  m_throughput->setRange(0.0, 1e6);
  m_throughput->setDecimals(2);
  m_throughput->setSuffix(tr(" images/s per GPU"));
  m_fromRun = new QPushButton(tr("From a run…"), this);
  m_fromRun->setObjectName(QStringLiteral("estimateFromRun"));
  m_fromRun->setToolTip(tr("Take the throughput an earlier run on this machine measured (its metrics.jsonl)."));
  throughputRow->addWidget(m_source);
  throughputRow->addWidget(m_throughput, 1);
  throughputRow->addWidget(m_fromRun);
  m_overhead = new QDoubleSpinBox(this);
  m_overhead->setObjectName(QStringLiteral("estimateOverhead"));
  m_overhead->setRange(0.0, 1000.0);
  m_overhead->setDecimals(1);
  m_overhead->setSuffix(QStringLiteral(" %"));
  m_overhead->setToolTip(tr("Time that is not training steps: evaluation, checkpoints, restarts. The reference run "
                            "spent about 18 % more than its throughput alone gives."));
  m_extraHours = new QDoubleSpinBox(this);
  m_extraHours->setObjectName(QStringLiteral("estimateExtraHours"));
  m_extraHours->setRange(0.0, 1e9);
  m_extraHours->setDecimals(0);
  m_extraHours->setSuffix(tr(" GPU-hours"));
  m_extraHours->setToolTip(tr("Work billed on top, such as precomputing the latents (the reference: 3,784 A100-hours)."));
  m_result = new QLabel(this);
  m_result->setObjectName(QStringLiteral("estimateResult"));
  m_result->setWordWrap(true);
  m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
  form->addRow(tr("GPUs"), m_gpus);
  form->addRow(tr("Price per GPU-hour"), m_price);
  form->addRow(tr("Throughput"), throughputRow);
  form->addRow(tr("Overhead"), m_overhead);
  form->addRow(tr("Extra GPU-hours"), m_extraHours);
  form->addRow(m_result);

  QSettings s;
  m_gpus->setValue(s.value(key(kGpusKey), 8).toInt());
  m_price->setValue(s.value(key(kPriceKey), 2.0).toDouble());
  m_source->setCurrentIndex(std::max(0, m_source->findData(s.value(key(kSourceKey), int(Source::Reference)).toInt())));
  if (m_source->currentData().toInt() == int(Source::Measured)) m_source->setCurrentIndex(1);  // the run is not remembered
  m_throughput->setValue(s.value(key(kThroughputKey), 0.0).toDouble());
  m_overhead->setValue(s.value(key(kOverheadKey), kReferenceOverheadPercent).toDouble());
  m_extraHours->setValue(s.value(key(kExtraKey), 0.0).toDouble());

  connect(m_gpus, &QSpinBox::valueChanged, this, &CostEstimator::update);
  connect(m_price, &QDoubleSpinBox::valueChanged, this, &CostEstimator::update);
  connect(m_source, &QComboBox::currentIndexChanged, this, &CostEstimator::update);
  connect(m_throughput, &QDoubleSpinBox::valueChanged, this, &CostEstimator::update);
  connect(m_overhead, &QDoubleSpinBox::valueChanged, this, &CostEstimator::update);
  connect(m_extraHours, &QDoubleSpinBox::valueChanged, this, &CostEstimator::update);
  connect(m_fromRun, &QPushButton::clicked, this, &CostEstimator::chooseRun);
  // Typing a throughput makes it the source.
  connect(m_throughput, &QDoubleSpinBox::editingFinished, this, [this] {
    if (m_source->currentData().toInt() == int(Source::Reference) && m_throughput->hasFocus()) m_source->setCurrentIndex(1);
  });
  update();
}

CostEstimator::~CostEstimator() { saveSettings(); }

void CostEstimator::setRun(qint64 steps, qint64 globalBatch, int imageSize) {
  m_steps = steps;
  m_batch = globalBatch;
  m_imageSize = imageSize;
  update();
}

CostInput CostEstimator::input() const {
  CostInput in;
  in.steps = m_steps;
  in.globalBatch = m_batch;
  in.gpus = m_gpus->value();
  in.imagesPerSecondPerGpu = m_throughput->value();
  in.pricePerGpuHour = m_price->value();
  in.overheadPercent = m_overhead->value();
  in.extraGpuHours = m_extraHours->value();
  return in;
}

CostEstimate CostEstimator::estimate() const { return estimateCost(input()); }

QString CostEstimator::summary() const { return m_result->text(); }

void CostEstimator::update() {
  const auto source = Source(m_source->currentData().toInt());
  m_throughput->setReadOnly(source != Source::Typed);
  if (source == Source::Reference) {
    const QSignalBlocker block(m_throughput);
    m_throughput->setValue(referenceImagesPerSecondPerGpu(m_imageSize, m_gpus->value()));
  }
  const CostEstimate e = estimate();
  const QLocale locale;
  QString text;
  if (!e.valid) {
    text = m_throughput->value() <= 0 ? tr("Enter a throughput (images/s per GPU) to estimate time and cost.")
                                      : tr("Fill in steps and global batch to estimate time and cost.");
  } else {
    text = tr("%1 images · %2 h (%3 days) on %n GPU(s) · %4 GPU-hours · %5", nullptr, m_gpus->value())
               .arg(locale.toString(e.images, 'f', 0), locale.toString(e.hours, 'f', 1), locale.toString(e.hours / 24.0, 'f', 2),
                    locale.toString(e.gpuHours, 'f', 0), locale.toCurrencyString(e.cost, QStringLiteral("$"), 0));
    if (source == Source::Measured && !m_measuredFrom.isEmpty()) text += QLatin1Char('\n') + tr("Throughput measured by %1.").arg(m_measuredFrom);
  }
  m_result->setText(text);
  Q_EMIT estimateChanged();
}

double CostEstimator::measuredImagesPerSecond(const QString& metricsPath) {
  QFile file(metricsPath);
  if (!file.open(QIODevice::ReadOnly)) return 0;
  const qint64 tail = 64 * 1024;  // the last lines are enough, and a long run's log is large
  if (file.size() > tail) file.seek(file.size() - tail);
  std::vector<double> values;
  const QList<QByteArray> lines = file.readAll().split('\n');
  for (const QByteArray& line : lines) {
    const QJsonObject o = QJsonDocument::fromJson(line).object();
    const double v = o.value(QLatin1String("images_per_s")).toDouble();
    if (v > 0) values.push_back(v);
  }
  if (values.empty()) return 0;
  // The first steps of a process are slow (warm-up, allocation): skip them when there are many.
  if (values.size() > 10) values.erase(values.begin(), values.begin() + qsizetype(values.size() / 5));
  std::nth_element(values.begin(), values.begin() + qsizetype(values.size() / 2), values.end());
  return values[values.size() / 2];
}

bool CostEstimator::useMeasuredThroughput(const QString& metricsPath, int ranks, const QString& runName) {
  const double total = measuredImagesPerSecond(metricsPath);
  if (total <= 0) {
    m_result->setText(tr("%1 has no measured throughput yet (no images_per_s in %2).").arg(runName, metricsPath));
    return false;
  }
  m_measuredFrom = runName;
  {
    const QSignalBlocker block(m_source);
    m_source->setCurrentIndex(m_source->findData(int(Source::Measured)));
  }
  {
    const QSignalBlocker block(m_throughput);
    m_throughput->setValue(total / std::max(1, ranks));
  }
  update();
  return true;
}

void CostEstimator::chooseRun() {
  QMenu menu(this);
  const tessera::remote::RunRegistry registry;
  for (const auto& record : registry.list()) {
    if (record.launcher != QLatin1String("local")) continue;  // remote metrics are on the Runs page
    const QString metrics = tessera::remote::runMetricsPath(record);
    if (!QFileInfo::exists(metrics)) continue;
    const int ranks = std::max(1, int(record.hosts.size()) * record.gpusPerHost);
    QAction* a = menu.addAction(tr("%1 (%n rank(s))", nullptr, ranks).arg(record.name));
    connect(a, &QAction::triggered, this, [this, metrics, ranks, name = record.name] { useMeasuredThroughput(metrics, ranks, name); });
  }
  if (menu.isEmpty()) menu.addAction(tr("No local run with metrics yet"))->setEnabled(false);
  menu.exec(m_fromRun->mapToGlobal(QPoint(0, m_fromRun->height())));
}

void CostEstimator::saveSettings() const {
  QSettings s;
  s.setValue(key(kGpusKey), m_gpus->value());
  s.setValue(key(kPriceKey), m_price->value());
  s.setValue(key(kSourceKey), m_source->currentData().toInt());
  if (m_source->currentData().toInt() == int(Source::Typed)) s.setValue(key(kThroughputKey), m_throughput->value());
  s.setValue(key(kOverheadKey), m_overhead->value());
  s.setValue(key(kExtraKey), m_extraHours->value());
}
