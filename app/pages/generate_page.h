#pragma once
// The Generate page: load a model on this machine (a diffusers folder or a Tessera training
// checkpoint), write a prompt, set the sampler, steps, guidance, seed, size, batch and
// optionally an image to start from, and generate. The engine runs in-process on a worker thread
// (LocalGenerator); the page shows each step's latent preview, can cancel, and keeps a gallery of
// the images written, each with its AUTOMATIC1111 parameters text to copy. Every field is checked
// where it is typed, and everything typed is remembered for the next start.

#include <QImage>
#include <QWidget>

#include <atomic>
#include <memory>

class GalleryModel;
class LocalGenerator;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QElapsedTimer;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListView;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QThread;
struct GeneratedEntry;

class GeneratePage : public QWidget {
  Q_OBJECT

 public:
  explicit GeneratePage(QWidget* parent = nullptr);
  ~GeneratePage() override;

  LocalGenerator* generator() const { return m_generator; }
  GalleryModel* gallery() const { return m_gallery; }
  quint64 currentJob() const { return m_job; }
  static QString defaultOutputFolder();
  bool isScanningFolder() const { return m_scanner != nullptr; }

 public Q_SLOTS:
  void loadModel();  // the folder in the model field
  // Images are written to (and the gallery shows) this folder from now on (a project's images/).
  void setOutputFolder(const QString& folder);
  // Checks every field; when one is wrong, says so next to it and starts nothing (false).
  bool generate();
  void cancel();

 Q_SIGNALS:
  void modelReady(bool ok);
  void generationStarted(quint64 id);
  void generationFinished(quint64 id, bool ok, bool cancelled);

 private:
  QWidget* createForm();
  QWidget* createResults();
  void browseModel();
  void browseInitImage();
  void browseOutputFolder();
  bool validate();
  void showFieldError(QLabel* label, const QString& message);
  void updateState();
  void handleModelLoaded(bool ok, const QString& message);
  void handleStarted(quint64 id);
  void handleProgress(quint64 id, int promptIndex, int promptCount, int step, int steps, const QImage& preview);
  void handleFinished(quint64 id, bool ok, bool cancelled, const QString& message, const QList<GeneratedEntry>& images);
  void handleGallerySelection();
  void showPreview(const QImage& image, bool smooth);
  void copyParameters();
  void openImageFolder();
  // Shows the images already in the output folder (newest first), read on a thread of its own.
  void scanOutputFolder();
  void loadSettings();
  void saveSettings() const;

  LocalGenerator* m_generator = nullptr;
  GalleryModel* m_gallery = nullptr;

  QLineEdit* m_modelPath = nullptr;
  QPushButton* m_modelBrowse = nullptr;
  QPushButton* m_loadButton = nullptr;
  QProgressBar* m_loadBusy = nullptr;
  QLabel* m_modelStatus = nullptr;
  QPlainTextEdit* m_prompt = nullptr;
  QLabel* m_promptError = nullptr;
  QPlainTextEdit* m_negative = nullptr;
  QComboBox* m_sampler = nullptr;
  QSpinBox* m_steps = nullptr;
  QDoubleSpinBox* m_guidance = nullptr;
  QLineEdit* m_seed = nullptr;
  QCheckBox* m_randomSeed = nullptr;
  QLabel* m_seedError = nullptr;
  QSpinBox* m_width = nullptr;
  QSpinBox* m_height = nullptr;
  QLabel* m_sizeError = nullptr;
  QSpinBox* m_batch = nullptr;
  QGroupBox* m_img2img = nullptr;
  QLineEdit* m_initImage = nullptr;
  QDoubleSpinBox* m_strength = nullptr;
  QLabel* m_initError = nullptr;
  QLineEdit* m_outputFolder = nullptr;
  QLabel* m_outputError = nullptr;
  QPushButton* m_generateButton = nullptr;
  QPushButton* m_cancelButton = nullptr;

  QLabel* m_preview = nullptr;
  QProgressBar* m_progress = nullptr;
  QLabel* m_status = nullptr;
  QListView* m_galleryView = nullptr;
  QPlainTextEdit* m_parameters = nullptr;
  QPushButton* m_copyButton = nullptr;
  QPushButton* m_openFolderButton = nullptr;

  quint64 m_job = 0;
  bool m_cancelling = false;
  bool m_checkedOnce = false;        // after a refused Generate, fields are re-checked as typed
  bool m_generateWhenLoaded = false;  // Generate pressed before the model was loaded
  QElapsedTimer* m_jobTimer = nullptr;
  QString m_scannedFolder;
  QThread* m_scanner = nullptr;
  std::shared_ptr<std::atomic_bool> m_stopScan;
};
