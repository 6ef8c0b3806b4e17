#include "widgets/loss_plot.h"

#include <qcustomplot.h>

#include <QTimer>
#include <QVBoxLayout>

#include <cmath>

QColor LossPlot::colorFor(int index) {
  static const QColor palette[] = {QColor(31, 119, 180), QColor(255, 127, 14), QColor(44, 160, 44),
                                   QColor(214, 39, 40),  QColor(148, 103, 189), QColor(140, 86, 75)};
  return palette[index % 6];
}

LossPlot::LossPlot(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  m_plot = new QCustomPlot(this);
  m_plot->setObjectName(QStringLiteral("lossPlot"));
  m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  m_plot->xAxis->setLabel(tr("step"));
  m_plot->yAxis->setLabel(tr("loss"));
  m_plot->legend->setVisible(true);
  m_plot->setNoAntialiasingOnDrag(true);
  layout->addWidget(m_plot);
  m_replotTimer = new QTimer(this);
  m_replotTimer->setSingleShot(true);
  m_replotTimer->setInterval(100);
  connect(m_replotTimer, &QTimer::timeout, this, [this] {
    if (m_followData) rescale();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
  });
  // Once the user zooms or pans, new points no longer move the view.
  connect(m_plot, &QCustomPlot::mousePress, this, [this] { m_followData = false; });
  connect(m_plot, &QCustomPlot::mouseWheel, this, [this] { m_followData = false; });
  connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] {
    m_followData = true;
    rescale();
    m_plot->replot();
  });
}

LossPlot::Series& LossPlot::series(const QString& run) {
  auto it = m_series.find(run);
  if (it != m_series.end()) return *it;
  Series s;
  s.color = colorFor(int(m_series.size()));
  s.raw = m_plot->addGraph();
  QColor faint = s.color;
  faint.setAlpha(70);
  s.raw->setPen(QPen(faint));
  s.raw->setName(run + tr(" (raw)"));
  s.raw->setAdaptiveSampling(true);
  s.smooth = m_plot->addGraph();
  s.smooth->setPen(QPen(s.color, 2));
  s.smooth->setName(run);
  s.smooth->setAdaptiveSampling(true);
  return *m_series.insert(run, s);
}

void LossPlot::addPoints(const QString& run, const QVector<double>& steps, const QVector<double>& losses) {
  if (steps.isEmpty() || steps.size() != losses.size()) return;
  Series& s = series(run);
  QVector<double> smooth(losses.size());
  for (int i = 0; i < losses.size(); ++i) {
    const double v = losses[i];
    if (!std::isfinite(v)) {
      smooth[i] = s.ema;  // a NaN step is shown by its marker, not by breaking the curve
      continue;
    }
    s.ema = s.count == 0 ? v : m_smoothing * s.ema + (1.0 - m_smoothing) * v;
    ++s.count;
    smooth[i] = s.ema;
  }
  s.raw->addData(steps, losses, true);
  s.smooth->addData(steps, smooth, true);
  scheduleReplot();
}

void LossPlot::addMarker(const QString& run, double step, const QString& label) {
  const Series& s = series(run);
  auto* line = new QCPItemStraightLine(m_plot);
  line->point1->setCoords(step, 0);
  line->point2->setCoords(step, 1);
  line->setPen(QPen(s.color, 1, Qt::DashLine));
  auto* text = new QCPItemText(m_plot);
  text->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
  text->position->setCoords(step, 0.02);
  text->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
  text->setText(label);
  text->setColor(s.color);
  ++m_markers;
  scheduleReplot();
}

void LossPlot::rebuildSmoothed(Series& s) {
  s.ema = 0;
  s.count = 0;
  QVector<double> keys, values;
  keys.reserve(s.raw->dataCount());
  values.reserve(s.raw->dataCount());
  for (auto it = s.raw->data()->constBegin(); it != s.raw->data()->constEnd(); ++it) {
    if (std::isfinite(it->value)) {
      s.ema = s.count == 0 ? it->value : m_smoothing * s.ema + (1.0 - m_smoothing) * it->value;
      ++s.count;
    }
    keys << it->key;
    values << s.ema;
  }
  s.smooth->setData(keys, values, true);
}

void LossPlot::setSmoothing(double weight) {
  m_smoothing = std::clamp(weight, 0.0, 0.999);
  for (auto& s : m_series) rebuildSmoothed(s);
  scheduleReplot();
}

void LossPlot::setLogScale(bool on) {
  m_logScale = on;
  m_plot->yAxis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
  if (on) {
    QSharedPointer<QCPAxisTickerLog> ticker(new QCPAxisTickerLog);
    m_plot->yAxis->setTicker(ticker);
  } else {
    m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
  }
  rescale();
  m_plot->replot();
}

void LossPlot::removeRun(const QString& run) {
  auto it = m_series.find(run);
  if (it == m_series.end()) return;
  m_plot->removeGraph(it->raw);
  m_plot->removeGraph(it->smooth);
  m_series.erase(it);
  scheduleReplot();
}

void LossPlot::clear() {
  m_plot->clearGraphs();
  m_plot->clearItems();
  m_series.clear();
  m_markers = 0;
  m_followData = true;
  m_plot->replot();
}

void LossPlot::rescale() {
  bool any = false;
  for (const auto& s : m_series) any = any || s.count > 0;
  if (!any) return;
  m_plot->rescaleAxes(true);
}

int LossPlot::pointCount(const QString& run) const {
  auto it = m_series.find(run);
  return it == m_series.end() ? 0 : it->raw->dataCount();
}

int LossPlot::markerCount() const { return m_markers; }

void LossPlot::scheduleReplot() {
  if (!m_replotTimer->isActive()) m_replotTimer->start();
}
