#include "widgets/rate_plot.h"

#include "widgets/loss_plot.h"

#include <qcustomplot.h>

#include <QTimer>
#include <QVBoxLayout>

#include <cmath>

RatePlot::RatePlot(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  m_plot = new QCustomPlot(this);
  m_plot->setObjectName(QStringLiteral("ratePlot"));
  m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  m_plot->xAxis->setLabel(tr("step"));
  m_plot->yAxis->setLabel(tr("learning rate"));
  m_plot->yAxis2->setVisible(true);
  m_plot->yAxis2->setLabel(tr("images/s (dashed)"));
  m_plot->setNoAntialiasingOnDrag(true);
  layout->addWidget(m_plot);
  m_replotTimer = new QTimer(this);
  m_replotTimer->setSingleShot(true);
  m_replotTimer->setInterval(150);
  connect(m_replotTimer, &QTimer::timeout, this, [this] {
    m_plot->xAxis->rescale();
    for (auto it = m_series.begin(); it != m_series.end(); ++it) {
      it->lr->rescaleValueAxis(it != m_series.begin(), true);
      it->throughput->rescaleValueAxis(it != m_series.begin(), true);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
  });
}

RatePlot::Series& RatePlot::series(const QString& run) {
  auto it = m_series.find(run);
  if (it != m_series.end()) return *it;
  const QColor color = LossPlot::colorFor(int(m_series.size()));  // as the loss plot picks it
  Series s;
  s.lr = m_plot->addGraph(m_plot->xAxis, m_plot->yAxis);
  s.lr->setPen(QPen(color, 2));
  s.lr->setName(run);
  s.throughput = m_plot->addGraph(m_plot->xAxis, m_plot->yAxis2);
  s.throughput->setPen(QPen(color, 1, Qt::DashLine));
  s.throughput->setAdaptiveSampling(true);
  return *m_series.insert(run, s);
}

void RatePlot::addPoints(const QString& run, const QVector<double>& steps, const QVector<double>& lrs,
                         const QVector<double>& imagesPerSecond) {
  Series& s = series(run);
  for (int i = 0; i < steps.size(); ++i) {
    if (i < lrs.size() && std::isfinite(lrs[i])) s.lr->addData(steps[i], lrs[i]);
    if (i < imagesPerSecond.size() && std::isfinite(imagesPerSecond[i])) s.throughput->addData(steps[i], imagesPerSecond[i]);
  }
  m_replotTimer->start();
}

void RatePlot::removeRun(const QString& run) {
  auto it = m_series.find(run);
  if (it == m_series.end()) return;
  m_plot->removeGraph(it->lr);
  m_plot->removeGraph(it->throughput);
  m_series.erase(it);
  m_replotTimer->start();
}

int RatePlot::pointCount(const QString& run) const {
  const auto it = m_series.constFind(run);
  return it == m_series.constEnd() ? 0 : it->lr->dataCount();
}
