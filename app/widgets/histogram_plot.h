#pragma once
// A bar chart of a catalog histogram (smaller side, aspect ratio): all images and the kept ones
// side by side, one pair of bars per bin, the bin labels on the x axis. QCustomPlot stays in the
// .cpp, so nothing that includes this header sees it.

#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>

class QCustomPlot;
class QCPBars;

class HistogramPlot : public QWidget {
  Q_OBJECT

 public:
  explicit HistogramPlot(const QString& title, QWidget* parent = nullptr);

  void setBins(const QStringList& labels, const QVector<double>& all, const QVector<double>& kept);
  void clear();

  QStringList labels() const { return m_labels; }
  QVector<double> allCounts() const;   // as drawn
  QVector<double> keptCounts() const;  // as drawn
  QCustomPlot* plot() const { return m_plot; }

 private:
  QCustomPlot* m_plot = nullptr;
  QCPBars* m_all = nullptr;
  QCPBars* m_kept = nullptr;
  QStringList m_labels;
};
