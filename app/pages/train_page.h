#pragma once
// The Train page: a run config as a form. Start from a preset (SD2-base at 256 px and 512 px, the
// tiny demo) or a YAML file, edit the main settings — each checked where it is typed — and keep
// every other key of the file as it was. Save writes YAML that `tessera train --check` accepts;
// Check asks the engine itself (off the GUI thread: it builds the UNet); the cost and time
// estimate follows the form; Launch… opens the launch dialog (local, SSH hosts, Slurm).

#include "models/run_config_document.h"

#include <QHash>
#include <QWidget>

#include <functional>

class CostEstimator;
class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QThread;

class TrainPage : public QWidget {
  Q_OBJECT

 public:
  explicit TrainPage(QWidget* parent = nullptr);
  ~TrainPage() override;

  // The built-in presets (":/presets/<name>.yaml"), by name.
  static QStringList presetNames();
  static QString presetPath(const QString& name);

  CostEstimator* estimator() const { return m_estimator; }
  const QString& configPath() const { return m_path; }  // empty until saved or opened from a file
  bool isModified() const { return m_modified; }
  bool isChecking() const { return m_checker != nullptr; }
  // The document with the form's values written into it.
  RunConfigDocument document() const;

 public Q_SLOTS:
  bool loadPreset(const QString& name);
  bool openConfig(const QString& path);
  // Checks the fields, then writes the config (false when a field is wrong or the file cannot be written).
  bool saveConfig(const QString& path);
  bool save();    // to configPath(), or asks for a file
  bool saveAs();  // asks for a file
  // Checks every field; when one is wrong, says so next to it (false).
  bool validate();
  // Has the engine check the config (tessera::check_run_config) on a worker thread.
  bool checkWithEngine();
  void launch();  // saves, then opens the launch dialog
  // Where Open… and Save as… start (a project's configs/).
  void setConfigFolder(const QString& folder);
  // Where launched runs are recorded (a project's registry); empty: the per-user one.
  void setRegistryFolder(const QString& folder) { m_registryFolder = folder; }

 Q_SIGNALS:
  void configLoaded(const QString& source);
  void engineCheckFinished(bool ok, const QString& message);
  void runLaunched(const QString& runId);

 private:
  struct Field {
    QString key;
    std::function<QString()> get;           // the YAML text of the widget's value
    std::function<void(const QString&)> set;  // from YAML text (empty: the engine's default)
    QString loaded;                         // the text shown after the last load
  };
  QWidget* createForm();
  void bind(const QString& key, std::function<QString()> get, std::function<void(const QString&)> set);
  void bindSpin(const QString& key, QSpinBox* spin, bool steps);
  void bindLine(const QString& key, QLineEdit* edit);
  void bindCombo(const QString& key, QComboBox* combo);
  void showDocument(const QString& source);
  void showFieldError(QLabel* label, const QString& message);
  void showEngineError(const QString& message);
  void markModified();
  void updateEstimate();
  void browseInto(QLineEdit* edit, bool folder, const QString& title);
  void openDialog();
  void choosePreset(int index);
  void updateTitle();

  RunConfigDocument m_doc;
  QList<Field> m_fields;
  QHash<QString, QLabel*> m_errorFor;  // config key → the error label of its field
  QString m_path;
  QString m_registryFolder;
  bool m_modified = false;
  bool m_loading = false;
  bool m_checkedOnce = false;
  QThread* m_checker = nullptr;

  QComboBox* m_preset = nullptr;
  QLabel* m_source = nullptr;
  QLineEdit* m_name = nullptr;
  QLabel* m_nameError = nullptr;
  QSpinBox* m_seed = nullptr;
  QSpinBox* m_imageSize = nullptr;
  QLabel* m_imageSizeError = nullptr;
  QSpinBox* m_batch = nullptr;
  QSpinBox* m_microbatch = nullptr;
  QLabel* m_batchError = nullptr;
  QSpinBox* m_steps = nullptr;
  QLineEdit* m_lr = nullptr;
  QLabel* m_lrError = nullptr;
  QLineEdit* m_weightDecay = nullptr;
  QLabel* m_weightDecayError = nullptr;
  QComboBox* m_scheduler = nullptr;
  QSpinBox* m_warmup = nullptr;
  QLabel* m_warmupError = nullptr;
  QGroupBox* m_ema = nullptr;
  QLineEdit* m_emaSmoothing = nullptr;
  QSpinBox* m_emaStart = nullptr;
  QLabel* m_emaError = nullptr;
  QComboBox* m_prediction = nullptr;
  QComboBox* m_precision = nullptr;
  QComboBox* m_device = nullptr;
  QLineEdit* m_initFrom = nullptr;
  QLineEdit* m_components = nullptr;
  QComboBox* m_datasetKind = nullptr;
  QLineEdit* m_datasetPath = nullptr;
  QLabel* m_datasetError = nullptr;
  QSpinBox* m_saveInterval = nullptr;
  QSpinBox* m_keep = nullptr;
  QLabel* m_generalError = nullptr;

  CostEstimator* m_estimator = nullptr;
  QLabel* m_checkResult = nullptr;
  QPushButton* m_checkButton = nullptr;
  QPushButton* m_saveButton = nullptr;
  QPushButton* m_launchButton = nullptr;
};
