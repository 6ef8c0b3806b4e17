#pragma once
// The live loss curve of the Runs page: raw and smoothed loss per run (several runs overlaid),
// log-y, zoom and pan with the mouse, and markers for stage changes, restarts and faults. Points
// arrive in batches from the metrics stream; redraws are coalesced so that a million points stay
// fluid (QCustomPlot samples what it draws).

#include <QColor>
#include <QHash>
#include <QString>
#include <QVector>
#include <QWidget>

class QCustomPlot;
class QCPGraph;
class QTimer;

class LossPlot : public QWidget {
  Q_OBJECT

 public:
  explicit LossPlot(QWidget* parent = nullptr);

  // Appends points of one run (steps ascending within a run). The smoothed curve is an
  // exponential moving average with the given weight (0 = raw, 0.99 = very smooth).
  void addPoints(const QString& run, const QVector<double>& steps, const QVector<double>& losses);
  // A vertical line at `step` with a short label (e.g. "resume", "nan", "stage 2").
  void addMarker(const QString& run, double step, const QString& label);
  void removeRun(const QString& run);
  void clear();

  void setSmoothing(double weight);
  double smoothing() const { return m_smoothing; }
  void setLogScale(bool on);
  bool logScale() const { return m_logScale; }

  int pointCount(const QString& run) const;
  int markerCount() const;
  QStringList runs() const { return m_series.keys(); }
  QCustomPlot* plot() const { return m_plot; }
  // The colour of the index-th run's curves (the rate plot uses the same).
  static QColor colorFor(int index);

 public Q_SLOTS:
  void rescale();  // fit every curve

 private:
  struct Series {
    QCPGraph* raw = nullptr;
    QCPGraph* smooth = nullptr;
    double ema = 0;
    int count = 0;
    QColor color;
  };
  Series& series(const QString& run);
  void scheduleReplot();
  void rebuildSmoothed(Series& s);

  QCustomPlot* m_plot = nullptr;
  QTimer* m_replotTimer = nullptr;
  QHash<QString, Series> m_series;
  int m_markers = 0;
  double m_smoothing = 0.9;
  bool m_logScale = false;
  bool m_followData = true;  // keep fitting until the user zooms or pans
};
