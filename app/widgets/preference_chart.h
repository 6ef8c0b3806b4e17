#pragma once
// Bars of each model's preference rate, overall and per category, with the 95% interval drawn
// as error bars and a dashed line at 50% (no preference). One chart per criterion.

#include "models/evaluation_session.h"

#include <QWidget>

class QCustomPlot;

class PreferenceChart : public QWidget {
  Q_OBJECT

 public:
  explicit PreferenceChart(QWidget* parent = nullptr);
  // Rows of one criterion (overall first); nameA/nameB label the legend.
  void setRows(const QString& title, const QList<SummaryRow>& rows, const QString& nameA, const QString& nameB);
  int barCount() const { return m_bars; }  // bars drawn (2 per row)
  QCustomPlot* plot() const { return m_plot; }

 private:
  QCustomPlot* m_plot = nullptr;
  int m_bars = 0;
};
