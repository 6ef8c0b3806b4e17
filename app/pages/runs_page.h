#pragma once
// The Runs page: every run in the registry with its state; select one or several to follow them
// live — loss curves (raw and smoothed, several runs overlaid, restarts and faults marked), the
// learning rate and throughput curves, rank 0's log, the sample images as they are written — and
// cancel a run, fetch its checkpoints and export one as a diffusers folder. Each followed run has a
// RunWatcher on a thread of its own (SSH never blocks the GUI); it reattaches to runs launched
// earlier, from the studio or from `tessera-remote`, by their registry record.

#include "tessera/remote/run_registry.h"
#include "tessera/remote/run_watcher.h"

#include <QHash>
#include <QJsonObject>
#include <QWidget>

class LossPlot;
class QCheckBox;
class QListWidget;
class QTabWidget;
class RatePlot;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSlider;
class QTableView;
class QThread;
class SshPrompts;
class RunListModel;

class RunsPage : public QWidget {
  Q_OBJECT

 public:
  explicit RunsPage(QString registryFolder, QWidget* parent = nullptr);
  ~RunsPage() override;

  LossPlot* lossPlot() const { return m_plot; }
  RatePlot* ratePlot() const { return m_rates; }
  QListWidget* sampleStrip() const { return m_samples; }
  RunListModel* model() const { return m_model; }
  // Follows exactly these runs (the selection of the list does the same).
  void watchRuns(const QStringList& ids);
  QStringList watchedRuns() const { return m_watches.keys(); }
  // Follows the runs of another registry (a project's): the runs followed so far are let go
  // (they keep running) and the list is read from `folder`.
  void setRegistryFolder(const QString& folder);
  QString registryFolder() const { return m_registry.folder(); }
  // Seconds between polls of a followed run (default 2).
  void setPollInterval(int milliseconds) { m_pollMs = milliseconds; }

 public Q_SLOTS:
  void reload();
  void cancelCurrentRun();     // asks first
  void cancelRun(const QString& id);  // no questions (the button asked)
  // Brings a followed run's checkpoints/ to localDir/checkpoints (checkpointsFetched follows).
  bool fetchCheckpoints(const QString& id, const QString& localDir);
  // Writes checkpoint `checkpointDir` as a diffusers folder at `outDir` on a worker thread, with
  // the VAE, text encoder and tokenizer of `componentsDir` (empty: the run config's);
  // checkpointExported follows.
  bool exportCheckpoint(const QString& checkpointDir, const QString& outDir, const QString& componentsDir);

 Q_SIGNALS:
  void runStateChanged(const QString& id, tessera::remote::RunState state);
  void samplesArrived(const QString& id, const QStringList& localPaths);
  void checkpointsFetched(bool ok, const QString& localFolder, const QString& message);
  void checkpointExported(bool ok, const QString& message);

 private:
  struct Watch {
    QThread* thread = nullptr;
    tessera::remote::RunWatcher* watcher = nullptr;
    SshPrompts* prompts = nullptr;  // its connection's questions; cancelled when the watch stops
    tessera::remote::RunRecord record;
    double lastStep = 0;
  };
  void startWatch(const tessera::remote::RunRecord& record);
  void stopWatch(const QString& id, bool wait);
  void handleMetrics(const QString& id, const QList<QJsonObject>& lines);
  void handleState(const QString& id, tessera::remote::RunState state, const QString& message);
  void handleSelection();
  void showStatus(const QString& id);
  QString currentRun() const;
  void askFetchCheckpoints();
  void askExportCheckpoint();
  void addSamples(const QString& id, const QStringList& localPaths);

  tessera::remote::RunRegistry m_registry;
  RunListModel* m_model = nullptr;
  QTableView* m_table = nullptr;
  LossPlot* m_plot = nullptr;
  RatePlot* m_rates = nullptr;
  QListWidget* m_samples = nullptr;
  QPushButton* m_fetch = nullptr;
  QPushButton* m_export = nullptr;
  QThread* m_exporting = nullptr;
  QString m_lastCheckpoints;  // where checkpoints were fetched to last
  QLabel* m_status = nullptr;
  QLabel* m_throughput = nullptr;
  QPlainTextEdit* m_log = nullptr;
  QPushButton* m_cancel = nullptr;
  QCheckBox* m_logScale = nullptr;
  QSlider* m_smoothing = nullptr;
  QHash<QString, Watch> m_watches;
  QList<QThread*> m_stopping;  // threads finishing their last poll
  QHash<QString, QJsonObject> m_lastMetrics;
  int m_pollMs = 2000;
};
