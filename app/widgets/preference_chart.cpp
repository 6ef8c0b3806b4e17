#include "widgets/preference_chart.h"

#include <qcustomplot.h>

#include <QVBoxLayout>

PreferenceChart::PreferenceChart(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  m_plot = new QCustomPlot(this);
  m_plot->setObjectName(QStringLiteral("preferencePlot"));
  m_plot->setMinimumHeight(220);
  layout->addWidget(m_plot);
}

void PreferenceChart::setRows(const QString& title, const QList<SummaryRow>& rows, const QString& nameA,
                              const QString& nameB) {
  m_plot->clearPlottables();
  m_plot->clearItems();
  if (m_plot->plotLayout()->rowCount() > 1) {
    m_plot->plotLayout()->removeAt(0);
    m_plot->plotLayout()->simplify();
  }
  m_plot->plotLayout()->insertRow(0);
  m_plot->plotLayout()->addElement(0, 0, new QCPTextElement(m_plot, title, QFont(font().family(), -1, QFont::Bold)));

  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  auto* group = new QCPBarsGroup(m_plot);
  const QColor colors[2] = {QColor(31, 119, 180), QColor(255, 127, 14)};
  const QString names[2] = {nameA, nameB};
  m_bars = 0;
  for (int m = 0; m < 2; ++m) {
    auto* bars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
    bars->setName(names[m]);
    bars->setPen(QPen(colors[m].darker(130)));
    bars->setBrush(colors[m]);
    bars->setWidth(0.35);
    bars->setBarsGroup(group);
    auto* errors = new QCPErrorBars(m_plot->xAxis, m_plot->yAxis);
    errors->removeFromLegend();
    errors->setDataPlottable(bars);
    errors->setPen(QPen(Qt::black, 1.5));
    QVector<double> keys, values, minus, plus;
    for (int i = 0; i < rows.size(); ++i) {
      const PreferenceRate& r = m == 0 ? rows[i].a : rows[i].b;
      keys << i + 1;
      values << r.rate;
      minus << r.rate - r.ci.low;
      plus << r.ci.high - r.rate;
      if (m == 0)
        ticker->addTick(i + 1, (rows[i].category.isEmpty() ? tr("Overall") : rows[i].category) +
                                   QStringLiteral("\n") + tr("n = %1").arg(r.n));
    }
    bars->setData(keys, values, true);
    errors->setData(minus, plus);
    m_bars += int(keys.size());
  }
  auto* half = new QCPItemStraightLine(m_plot);
  half->point1->setCoords(0, 0.5);
  half->point2->setCoords(1, 0.5);
  half->setPen(QPen(Qt::gray, 1, Qt::DashLine));
  m_plot->xAxis->setTicker(ticker);
  m_plot->xAxis->setRange(0.4, rows.size() + 0.6);
  m_plot->yAxis->setRange(0, 1);
  m_plot->yAxis->setLabel(tr("preference rate (95% CI)"));
  m_plot->legend->setVisible(true);
  m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
  m_plot->replot();
}
