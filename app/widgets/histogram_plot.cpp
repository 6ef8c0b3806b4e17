#include "widgets/histogram_plot.h"

#include <qcustomplot.h>

#include <QVBoxLayout>

#include <algorithm>

namespace {
QVector<double> values(const QCPBars* bars) {
  QVector<double> out;
  for (auto it = bars->data()->constBegin(); it != bars->data()->constEnd(); ++it) out << it->value;
  return out;
}
}  // namespace

HistogramPlot::HistogramPlot(const QString& title, QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  m_plot = new QCustomPlot(this);
  m_plot->setMinimumHeight(180);
  m_plot->plotLayout()->insertRow(0);
  m_plot->plotLayout()->addElement(0, 0, new QCPTextElement(m_plot, title));
  m_all = new QCPBars(m_plot->xAxis, m_plot->yAxis);
  m_all->setName(tr("all"));
  m_all->setPen(QPen(QColor(120, 120, 120)));
  m_all->setBrush(QColor(180, 180, 180));
  m_all->setWidth(0.4);
  m_kept = new QCPBars(m_plot->xAxis, m_plot->yAxis);
  m_kept->setName(tr("kept"));
  m_kept->setPen(QPen(QColor(31, 119, 180)));
  m_kept->setBrush(QColor(31, 119, 180, 170));
  m_kept->setWidth(0.4);
  m_plot->yAxis->setLabel(tr("images"));
  m_plot->legend->setVisible(true);
  m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
  layout->addWidget(m_plot);
}

void HistogramPlot::setBins(const QStringList& labels, const QVector<double>& all, const QVector<double>& kept) {
  m_labels = labels;
  QVector<double> ticks, allX, keptX;
  for (int i = 0; i < labels.size(); ++i) {
    ticks << i + 1;
    allX << i + 1 - 0.2;
    keptX << i + 1 + 0.2;
  }
  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  ticker->addTicks(ticks, labels.toVector());
  m_plot->xAxis->setTicker(ticker);
  m_plot->xAxis->setTickLabelRotation(labels.size() > 6 ? 30 : 0);
  m_plot->xAxis->setRange(0.3, labels.size() + 0.7);
  m_all->setData(allX, all, true);
  m_kept->setData(keptX, kept, true);
  const double peak = all.isEmpty() ? 1.0 : *std::max_element(all.begin(), all.end());
  m_plot->yAxis->setRange(0, std::max(1.0, peak * 1.1));
  m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void HistogramPlot::clear() { setBins({}, {}, {}); }

QVector<double> HistogramPlot::allCounts() const { return values(m_all); }
QVector<double> HistogramPlot::keptCounts() const { return values(m_kept); }
