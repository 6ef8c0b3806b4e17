#pragma once
// The Train page's cost and time estimate: GPUs × hours × price per GPU-hour, where the hours come
// from the run's steps × global batch and a throughput per GPU — the reference A100 figures for
// the image size, a number typed in, or one measured by an earlier run (its metrics.jsonl).
// Everything typed is remembered.

#include "models/cost_estimate.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;

class CostEstimator : public QWidget {
  Q_OBJECT

 public:
  enum class Source { Reference, Typed, Measured };

  explicit CostEstimator(QWidget* parent = nullptr);
  ~CostEstimator() override;

  // The run being estimated (from the form).
  void setRun(qint64 steps, qint64 globalBatch, int imageSize);
  CostInput input() const;
  CostEstimate estimate() const;
  QString summary() const;  // the text shown under the fields
  // Uses the throughput measured by a run: the median images/s of the last logged steps in its
  // metrics.jsonl, divided by its ranks. Returns false (and says why in the summary) when there is none.
  bool useMeasuredThroughput(const QString& metricsPath, int ranks, const QString& runName);
  // images/s (whole run) from the tail of a metrics.jsonl; 0 when there is none.
  static double measuredImagesPerSecond(const QString& metricsPath);

 Q_SIGNALS:
  void estimateChanged();

 private:
  void update();
  void chooseRun();
  void saveSettings() const;

  QSpinBox* m_gpus = nullptr;
  QDoubleSpinBox* m_price = nullptr;
  QComboBox* m_source = nullptr;
  QDoubleSpinBox* m_throughput = nullptr;
  QPushButton* m_fromRun = nullptr;
  QDoubleSpinBox* m_overhead = nullptr;
  QDoubleSpinBox* m_extraHours = nullptr;
  QLabel* m_result = nullptr;
  qint64 m_steps = 0;
  qint64 m_batch = 0;
  int m_imageSize = 0;
  QString m_measuredFrom;
};
