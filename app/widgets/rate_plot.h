#pragma once
// The Runs page's second plot: learning rate (left axis) and throughput in images/s (right
// axis, dashed) against the step, for every run followed, in the same colours as the loss curve.
// Redraws are coalesced like the loss plot's.

#include <QHash>
#include <QString>
#include <QVector>
#include <QWidget>

class QCustomPlot;
class QCPGraph;
class QTimer;

class RatePlot : public QWidget {
  Q_OBJECT

 public:
  explicit RatePlot(QWidget* parent = nullptr);

  // Points of one run; NaN values (a metric the line lacks) are left out of that curve.
  void addPoints(const QString& run, const QVector<double>& steps, const QVector<double>& lrs,
                 const QVector<double>& imagesPerSecond);
  void removeRun(const QString& run);
  int pointCount(const QString& run) const;  // learning-rate points
  QCustomPlot* plot() const { return m_plot; }

 private:
  struct Series {
    QCPGraph* lr = nullptr;
    QCPGraph* throughput = nullptr;
  };
  Series& series(const QString& run);

  QCustomPlot* m_plot = nullptr;
  QTimer* m_replotTimer = nullptr;
  QHash<QString, Series> m_series;
};
