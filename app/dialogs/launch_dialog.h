#pragma once
// The launch dialog: where a saved run config trains — this machine (tessera as a child process
// per rank), SSH hosts (hosts, GPUs per host, run folder there), or Slurm (nodes, GPUs per node,
// time, partition, account, extra #SBATCH lines, with the batch script to preview). Connecting,
// uploading, the host checks and the start run on a worker thread through the remote library's
// launchRun (the same code as `tessera-remote launch`); the dialog shows each stage and can cancel
// until the run has started. The run lands in the run registry, so the Runs page follows it.

#include "tessera/remote/run_launch.h"

#include <QDialog>

#include <atomic>
#include <memory>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QThread;
class SshPrompts;

class LaunchDialog : public QDialog {
  Q_OBJECT

 public:
  enum Target { Local = 0, Ssh = 1, Slurm = 2 };

  LaunchDialog(QString configPath, QString runName, QWidget* parent = nullptr);
  ~LaunchDialog() override;

  // For the batch-size check: the global batch must divide into microbatch × ranks.
  void setPlannedGpus(int gpus, int globalBatch, int microbatch);
  void setRegistryFolder(const QString& folder) { m_registryFolder = folder; }
  void setTarget(Target target);
  Target target() const;
  bool isLaunching() const { return m_worker != nullptr; }
  QString launchedRunId() const { return m_runId; }

  // Checks every field of the chosen target and says what is wrong next to it.
  bool validate();
  // The request the fields describe (no checks beyond what building it needs).
  tessera::remote::RunLaunchRequest request() const;
  // The Slurm batch script for the fields, or the reason there is none.
  QString batchScriptPreview() const;

 public Q_SLOTS:
  bool launch();
  void cancelLaunch();
  void reject() override;  // while launching: cancels, and closes when the worker is done

 Q_SIGNALS:
  void runLaunched(const QString& runId);
  void launchFinished(bool ok, const QString& message);

 private:
  QWidget* createLocalTab();
  QWidget* createSshTab();
  QWidget* createSlurmTab();
  void showStage(tessera::remote::RunLaunchStage stage, const QString& host);
  void handleFinished(const tessera::remote::RunLaunchResult& result, const QString& preflight);
  void showFieldError(QLabel* label, const QString& message);
  void updateState();
  void updatePreview();
  void loadSettings();
  void saveSettings() const;
  int worldSize() const;

  QString m_configPath;
  QString m_registryFolder;
  int m_globalBatch = 0;
  int m_microbatch = 0;
  QString m_runId;
  bool m_closeWhenDone = false;
  QThread* m_worker = nullptr;
  SshPrompts* m_prompts = nullptr;  // host-key and passphrase questions of the launch
  std::shared_ptr<std::atomic_bool> m_cancel;

  QLineEdit* m_name = nullptr;
  QLabel* m_nameError = nullptr;
  QTabWidget* m_tabs = nullptr;
  // local
  QLineEdit* m_localDir = nullptr;
  QLabel* m_localDirError = nullptr;
  QSpinBox* m_localRanks = nullptr;
  QCheckBox* m_localCpu = nullptr;
  // ssh
  QPlainTextEdit* m_hosts = nullptr;
  QLabel* m_hostsError = nullptr;
  QSpinBox* m_sshGpus = nullptr;
  QLineEdit* m_sshDir = nullptr;
  QLabel* m_sshDirError = nullptr;
  QSpinBox* m_masterPort = nullptr;
  // slurm
  QLineEdit* m_login = nullptr;
  QLabel* m_loginError = nullptr;
  QSpinBox* m_nodes = nullptr;
  QSpinBox* m_slurmGpus = nullptr;
  QLineEdit* m_time = nullptr;
  QLineEdit* m_partition = nullptr;
  QLineEdit* m_account = nullptr;
  QLabel* m_slurmError = nullptr;
  QPlainTextEdit* m_sbatchLines = nullptr;
  QLineEdit* m_slurmDir = nullptr;
  QLabel* m_slurmDirError = nullptr;
  QPlainTextEdit* m_preview = nullptr;
  // common
  QLineEdit* m_tessera = nullptr;
  QCheckBox* m_preflight = nullptr;
  QSpinBox* m_minFreeGiB = nullptr;
  QLabel* m_batchWarning = nullptr;
  QProgressBar* m_busy = nullptr;
  QLabel* m_stage = nullptr;
  QPlainTextEdit* m_report = nullptr;
  QPushButton* m_launchButton = nullptr;
  QPushButton* m_cancelButton = nullptr;
};
