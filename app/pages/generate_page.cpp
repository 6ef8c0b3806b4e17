#include "pages/generate_page.h"
#include "widgets/field_error_label.h"

#include "models/gallery_model.h"
#include "workers/local_generator.h"

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRandomGenerator>
#include <QScrollArea>
#include <QSettings>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QThread>
#include <QUrl>
#include <QVBoxLayout>

#include <limits>

namespace {
// Typed settings keys (one place, so a typo cannot silently create a new key).
const char* const kModelKey = "generate/model";
const char* const kSizeModelKey = "generate/sizeModel";  // the model the remembered size belongs to
const char* const kPromptKey = "generate/prompt";
const char* const kNegativeKey = "generate/negativePrompt";
const char* const kSamplerKey = "generate/sampler";
const char* const kStepsKey = "generate/steps";
const char* const kGuidanceKey = "generate/guidance";
const char* const kSeedKey = "generate/seed";
const char* const kRandomSeedKey = "generate/randomSeed";
const char* const kWidthKey = "generate/width";
const char* const kHeightKey = "generate/height";
const char* const kBatchKey = "generate/batch";
const char* const kImg2ImgKey = "generate/img2img";
const char* const kInitImageKey = "generate/initImage";
const char* const kStrengthKey = "generate/strength";
const char* const kOutputKey = "generate/outputFolder";

constexpr int kPreviewSize = 320;
constexpr int kGalleryScanLimit = 200;  // images shown from an output folder at start

QString key(const char* k) { return QLatin1String(k); }
}  // namespace

GeneratePage::GeneratePage(QWidget* parent) : QWidget(parent), m_jobTimer(new QElapsedTimer) {
  m_generator = new LocalGenerator(this);
  m_gallery = new GalleryModel(this);

  auto* split = new QSplitter(Qt::Horizontal, this);
  // The form scrolls; Generate and Cancel stay in sight below it.
  auto* left = new QWidget(split);
  auto* leftLayout = new QVBoxLayout(left);
  leftLayout->setContentsMargins(0, 0, 0, 0);
  auto* scroll = new QScrollArea(left);
  scroll->setWidget(createForm());
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  auto* buttons = new QHBoxLayout;
  buttons->setContentsMargins(9, 0, 9, 9);
  m_generateButton = new QPushButton(tr("Generate"), left);
  m_generateButton->setObjectName(QStringLiteral("generateButton"));
  m_generateButton->setToolTip(tr("Generate (Ctrl+Return)"));
  m_generateButton->setDefault(true);
  m_cancelButton = new QPushButton(tr("Cancel"), left);
  m_cancelButton->setObjectName(QStringLiteral("cancelButton"));
  m_cancelButton->setToolTip(tr("Stop after the current step (Esc); nothing of the unfinished image is written."));
  buttons->addWidget(m_generateButton, 1);
  buttons->addWidget(m_cancelButton);
  connect(m_generateButton, &QPushButton::clicked, this, &GeneratePage::generate);
  connect(m_cancelButton, &QPushButton::clicked, this, &GeneratePage::cancel);
  leftLayout->addWidget(scroll, 1);
  leftLayout->addLayout(buttons);
  split->addWidget(left);
  split->addWidget(createResults());
  split->setStretchFactor(0, 2);
  split->setStretchFactor(1, 3);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(split);

  // The page's own shortcuts: they work from any field on it (Ctrl+Return inside the prompt too).
  auto* generateShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
  generateShortcut->setContext(Qt::WidgetWithChildrenShortcut);
  connect(generateShortcut, &QShortcut::activated, this, [this] {
    if (m_generateButton->isEnabled()) generate();
  });
  auto* generateShortcut2 = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Enter), this);
  generateShortcut2->setContext(Qt::WidgetWithChildrenShortcut);
  connect(generateShortcut2, &QShortcut::activated, generateShortcut, &QShortcut::activated);
  auto* cancelShortcut = new QShortcut(QKeySequence(Qt::Key_Escape), this);
  cancelShortcut->setContext(Qt::WidgetWithChildrenShortcut);
  connect(cancelShortcut, &QShortcut::activated, this, &GeneratePage::cancel);

  connect(m_generator, &LocalGenerator::modelLoaded, this, &GeneratePage::handleModelLoaded);
  connect(m_generator, &LocalGenerator::jobStarted, this, &GeneratePage::handleStarted);
  connect(m_generator, &LocalGenerator::jobProgressed, this, &GeneratePage::handleProgress);
  connect(m_generator, &LocalGenerator::jobFinished, this, &GeneratePage::handleFinished);
  connect(m_galleryView->selectionModel(), &QItemSelectionModel::currentChanged, this, &GeneratePage::handleGallerySelection);

  loadSettings();
  // After a refused Generate, every edit re-checks the fields, so a message goes as soon as it is fixed.
  const auto recheck = [this] {
    if (m_checkedOnce) validate();
  };
  connect(m_prompt, &QPlainTextEdit::textChanged, this, recheck);
  connect(m_seed, &QLineEdit::textChanged, this, recheck);
  connect(m_randomSeed, &QCheckBox::toggled, this, recheck);
  connect(m_width, &QSpinBox::valueChanged, this, recheck);
  connect(m_height, &QSpinBox::valueChanged, this, recheck);
  connect(m_img2img, &QGroupBox::toggled, this, recheck);
  connect(m_initImage, &QLineEdit::textChanged, this, recheck);
  connect(m_outputFolder, &QLineEdit::textChanged, this, recheck);
  connect(m_outputFolder, &QLineEdit::editingFinished, this, &GeneratePage::scanOutputFolder);
  updateState();
  scanOutputFolder();
}

GeneratePage::~GeneratePage() {
  saveSettings();
  if (m_stopScan) m_stopScan->store(true);
  // Folder scans are children of this page: each must be done before it goes.
  for (QThread* scanner : findChildren<QThread*>(QString(), Qt::FindDirectChildrenOnly)) scanner->wait();
  delete m_jobTimer;
}

QString GeneratePage::defaultOutputFolder() {
  QString pictures = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
  if (pictures.isEmpty()) pictures = QDir::homePath();
  return QDir(pictures).filePath(QStringLiteral("Tessera"));
}

QWidget* GeneratePage::createForm() {
  auto* form = new QWidget;
  auto* layout = new QVBoxLayout(form);

  auto* modelBox = new QGroupBox(tr("Model"), form);
  auto* modelLayout = new QVBoxLayout(modelBox);
  auto* modelRow = new QHBoxLayout;
  m_modelPath = new QLineEdit(modelBox);
  m_modelPath->setObjectName(QStringLiteral("modelPath"));
  m_modelPath->setPlaceholderText(tr("A diffusers folder or a Tessera checkpoint folder"));
  m_modelPath->setToolTip(tr("A diffusers model folder (model_index.json, unet/, vae/, …) or a training checkpoint "
                             "(RUN_DIR/checkpoints/step-N), which is exported to a model folder first."));
  m_modelBrowse = new QPushButton(tr("Browse…"), modelBox);
  m_loadButton = new QPushButton(tr("Load"), modelBox);
  m_loadButton->setObjectName(QStringLiteral("loadButton"));
  modelRow->addWidget(m_modelPath, 1);
  modelRow->addWidget(m_modelBrowse);
  modelRow->addWidget(m_loadButton);
  m_loadBusy = new QProgressBar(modelBox);
  m_loadBusy->setObjectName(QStringLiteral("loadBusy"));
  m_loadBusy->setRange(0, 0);  // busy: a load has no steps to count
  m_loadBusy->setMaximumHeight(8);
  m_loadBusy->setTextVisible(false);
  m_loadBusy->hide();
  m_modelStatus = new QLabel(tr("No model loaded."), modelBox);
  m_modelStatus->setObjectName(QStringLiteral("modelStatus"));
  m_modelStatus->setWordWrap(true);
  m_modelStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
  modelLayout->addLayout(modelRow);
  modelLayout->addWidget(m_loadBusy);
  modelLayout->addWidget(m_modelStatus);
  connect(m_modelBrowse, &QPushButton::clicked, this, &GeneratePage::browseModel);
  connect(m_loadButton, &QPushButton::clicked, this, &GeneratePage::loadModel);
  connect(m_modelPath, &QLineEdit::returnPressed, this, &GeneratePage::loadModel);

  auto* promptBox = new QGroupBox(tr("Prompt"), form);
  auto* promptLayout = new QVBoxLayout(promptBox);
  m_prompt = new QPlainTextEdit(promptBox);
  m_prompt->setObjectName(QStringLiteral("prompt"));
  m_prompt->setPlaceholderText(tr("What to draw, e.g. a lighthouse on a cliff at dawn, oil painting"));
  m_prompt->setTabChangesFocus(true);
  m_prompt->setMinimumHeight(70);
  m_prompt->setMaximumHeight(120);
  m_promptError = errorLabel(QStringLiteral("promptError"), promptBox);
  m_negative = new QPlainTextEdit(promptBox);
  m_negative->setObjectName(QStringLiteral("negativePrompt"));
  m_negative->setPlaceholderText(tr("Negative prompt: what to avoid, e.g. blurry, text, watermark"));
  m_negative->setTabChangesFocus(true);
  m_negative->setMaximumHeight(60);
  promptLayout->addWidget(m_prompt);
  promptLayout->addWidget(m_promptError);
  promptLayout->addWidget(m_negative);

  auto* samplingBox = new QGroupBox(tr("Sampling"), form);
  auto* sampling = new QFormLayout(samplingBox);
  m_sampler = new QComboBox(samplingBox);
  m_sampler->setObjectName(QStringLiteral("sampler"));
  m_sampler->addItem(tr("Model default"), QString());
  for (const QString& name : LocalGenerator::samplerNames()) m_sampler->addItem(name, name);
  m_steps = new QSpinBox(samplingBox);
  m_steps->setObjectName(QStringLiteral("steps"));
  m_steps->setRange(1, 1000);
  m_steps->setValue(30);
  m_steps->setToolTip(tr("Denoising steps (at least 1); more is slower and usually finer."));
  m_guidance = new QDoubleSpinBox(samplingBox);
  m_guidance->setObjectName(QStringLiteral("guidance"));
  m_guidance->setRange(0.0, 30.0);
  m_guidance->setSingleStep(0.5);
  m_guidance->setDecimals(1);
  m_guidance->setValue(7.5);
  m_guidance->setToolTip(tr("Classifier-free guidance (CFG) scale: how closely to follow the prompt."));
  auto* seedRow = new QHBoxLayout;
  m_seed = new QLineEdit(samplingBox);
  m_seed->setObjectName(QStringLiteral("seed"));
  m_seed->setText(QStringLiteral("0"));
  m_randomSeed = new QCheckBox(tr("Random"), samplingBox);
  m_randomSeed->setObjectName(QStringLiteral("randomSeed"));
  m_randomSeed->setToolTip(tr("A new seed for every generation; the seed used is shown and stored in each image."));
  connect(m_randomSeed, &QCheckBox::toggled, m_seed, &QLineEdit::setDisabled);
  seedRow->addWidget(m_seed, 1);
  seedRow->addWidget(m_randomSeed);
  m_seedError = errorLabel(QStringLiteral("seedError"), samplingBox);
  auto* sizeRow = new QHBoxLayout;
  m_width = new QSpinBox(samplingBox);
  m_width->setObjectName(QStringLiteral("width"));
  m_height = new QSpinBox(samplingBox);
  m_height->setObjectName(QStringLiteral("height"));
  for (QSpinBox* s : {m_width, m_height}) {
    s->setRange(8, 4096);
    s->setSingleStep(8);
    s->setValue(512);
    s->setSuffix(tr(" px"));
  }
  sizeRow->addWidget(m_width, 1);
  sizeRow->addWidget(new QLabel(QStringLiteral("×"), samplingBox));
  sizeRow->addWidget(m_height, 1);
  m_sizeError = errorLabel(QStringLiteral("sizeError"), samplingBox);
  m_batch = new QSpinBox(samplingBox);
  m_batch->setObjectName(QStringLiteral("batch"));
  m_batch->setRange(1, 64);
  m_batch->setToolTip(tr("Images per generation, each with its own noise."));
  sampling->addRow(tr("Sampler"), m_sampler);
  sampling->addRow(tr("Steps"), m_steps);
  sampling->addRow(tr("Guidance (CFG)"), m_guidance);
  sampling->addRow(tr("Seed"), seedRow);
  sampling->addRow(QString(), m_seedError);
  sampling->addRow(tr("Size"), sizeRow);
  sampling->addRow(QString(), m_sizeError);
  sampling->addRow(tr("Batch"), m_batch);

  m_img2img = new QGroupBox(tr("Start from an image (img2img)"), form);
  m_img2img->setObjectName(QStringLiteral("img2img"));
  m_img2img->setCheckable(true);
  m_img2img->setChecked(false);
  auto* img2img = new QFormLayout(m_img2img);
  auto* initRow = new QHBoxLayout;
  m_initImage = new QLineEdit(m_img2img);
  m_initImage->setObjectName(QStringLiteral("initImage"));
  m_initImage->setPlaceholderText(tr("A PNG image"));
  auto* initBrowse = new QPushButton(tr("Browse…"), m_img2img);
  connect(initBrowse, &QPushButton::clicked, this, &GeneratePage::browseInitImage);
  initRow->addWidget(m_initImage, 1);
  initRow->addWidget(initBrowse);
  m_strength = new QDoubleSpinBox(m_img2img);
  m_strength->setObjectName(QStringLiteral("strength"));
  m_strength->setRange(0.01, 1.0);
  m_strength->setSingleStep(0.05);
  m_strength->setValue(0.8);
  m_strength->setToolTip(tr("How much to change the image: 0 keeps it, 1 ignores it."));
  m_initError = errorLabel(QStringLiteral("initError"), m_img2img);
  img2img->addRow(tr("Image"), initRow);
  img2img->addRow(QString(), m_initError);
  img2img->addRow(tr("Strength"), m_strength);

  auto* outputBox = new QGroupBox(tr("Output folder"), form);
  auto* outputLayout = new QVBoxLayout(outputBox);
  auto* outputRow = new QHBoxLayout;
  m_outputFolder = new QLineEdit(outputBox);
  m_outputFolder->setObjectName(QStringLiteral("outputFolder"));
  auto* outputBrowse = new QPushButton(tr("Browse…"), outputBox);
  connect(outputBrowse, &QPushButton::clicked, this, &GeneratePage::browseOutputFolder);
  outputRow->addWidget(m_outputFolder, 1);
  outputRow->addWidget(outputBrowse);
  m_outputError = errorLabel(QStringLiteral("outputError"), outputBox);
  outputLayout->addLayout(outputRow);
  outputLayout->addWidget(m_outputError);

  layout->addWidget(modelBox);
  layout->addWidget(promptBox);
  layout->addWidget(samplingBox);
  layout->addWidget(m_img2img);
  layout->addWidget(outputBox);
  layout->addStretch(1);
  return form;
}

QWidget* GeneratePage::createResults() {
  auto* results = new QWidget;
  auto* layout = new QVBoxLayout(results);
  m_preview = new QLabel(tr("The image appears here as it forms."), results);
  m_preview->setObjectName(QStringLiteral("preview"));
  m_preview->setAlignment(Qt::AlignCenter);
  m_preview->setMinimumSize(kPreviewSize / 2, kPreviewSize / 2);
  m_preview->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  m_preview->setFrameShape(QFrame::StyledPanel);
  m_progress = new QProgressBar(results);
  m_progress->setObjectName(QStringLiteral("progress"));
  m_progress->setRange(0, 1);
  m_progress->setValue(0);
  m_status = new QLabel(results);
  m_status->setObjectName(QStringLiteral("statusLabel"));
  m_status->setWordWrap(true);
  m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

  m_galleryView = new QListView(results);
  m_galleryView->setObjectName(QStringLiteral("gallery"));
  m_galleryView->setModel(m_gallery);
  m_galleryView->setViewMode(QListView::IconMode);
  m_galleryView->setIconSize(QSize(GalleryModel::kThumbnailSize, GalleryModel::kThumbnailSize));
  m_galleryView->setResizeMode(QListView::Adjust);
  m_galleryView->setMovement(QListView::Static);
  m_galleryView->setUniformItemSizes(true);
  m_galleryView->setSpacing(6);
  m_galleryView->setSelectionMode(QAbstractItemView::SingleSelection);
  m_galleryView->setMinimumHeight(GalleryModel::kThumbnailSize + 40);

  m_parameters = new QPlainTextEdit(results);
  m_parameters->setObjectName(QStringLiteral("parameters"));
  m_parameters->setReadOnly(true);
  m_parameters->setPlaceholderText(tr("Select an image to see the parameters stored in it."));
  m_parameters->setMaximumHeight(90);
  auto* paramButtons = new QHBoxLayout;
  m_copyButton = new QPushButton(tr("Copy parameters"), results);
  m_copyButton->setObjectName(QStringLiteral("copyButton"));
  m_openFolderButton = new QPushButton(tr("Open folder"), results);
  m_openFolderButton->setObjectName(QStringLiteral("openFolderButton"));
  paramButtons->addStretch(1);
  paramButtons->addWidget(m_copyButton);
  paramButtons->addWidget(m_openFolderButton);
  connect(m_copyButton, &QPushButton::clicked, this, &GeneratePage::copyParameters);
  connect(m_openFolderButton, &QPushButton::clicked, this, &GeneratePage::openImageFolder);

  auto* vsplit = new QSplitter(Qt::Vertical, results);
  auto* top = new QWidget(vsplit);
  auto* topLayout = new QVBoxLayout(top);
  topLayout->setContentsMargins(0, 0, 0, 0);
  topLayout->addWidget(m_preview, 1);
  topLayout->addWidget(m_progress);
  topLayout->addWidget(m_status);
  auto* bottom = new QWidget(vsplit);
  auto* bottomLayout = new QVBoxLayout(bottom);
  bottomLayout->setContentsMargins(0, 0, 0, 0);
  bottomLayout->addWidget(new QLabel(tr("Gallery"), bottom));
  bottomLayout->addWidget(m_galleryView, 1);
  bottomLayout->addWidget(m_parameters);
  bottomLayout->addLayout(paramButtons);
  vsplit->addWidget(top);
  vsplit->addWidget(bottom);
  layout->addWidget(vsplit);
  return results;
}

// ---- model ----------------------------------------------------------------------------------

void GeneratePage::browseModel() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Choose a model folder or checkpoint"), m_modelPath->text());
  if (dir.isEmpty()) return;
  m_modelPath->setText(QDir::toNativeSeparators(dir));
  loadModel();
}

void GeneratePage::loadModel() {
  const QString path = QDir::fromNativeSeparators(m_modelPath->text().trimmed());
  if (path.isEmpty()) {
    m_modelStatus->setText(tr("Choose a model folder first (a diffusers folder or a training checkpoint)."));
    return;
  }
  if (!QFileInfo(path).isDir()) {
    m_modelStatus->setText(tr("%1 is not a folder. Choose a diffusers model folder or a checkpoint folder.").arg(path));
    return;
  }
  if (!m_generator->loadModel(path)) {
    m_modelStatus->setText(tr("Wait for the current generation to end (or cancel it) before loading another model."));
    return;
  }
  m_modelStatus->setText(LocalGenerator::isTesseraCheckpoint(path)
                             ? tr("Exporting and loading the checkpoint %1…").arg(QFileInfo(path).fileName())
                             : tr("Loading %1…").arg(QFileInfo(path).fileName()));
  QSettings().setValue(key(kModelKey), path);
  updateState();
}

void GeneratePage::handleModelLoaded(bool ok, const QString& message) {
  if (!ok) {
    m_generateWhenLoaded = false;
    m_modelStatus->setText(tr("Cannot load the model: %1").arg(message));
    updateState();
    Q_EMIT modelReady(false);
    return;
  }
  const int multiple = m_generator->sizeMultiple();
  const QString sampler = m_generator->defaultSampler();
  m_sampler->setItemText(0, tr("Model default (%1)").arg(sampler));
  for (QSpinBox* s : {m_width, m_height}) {
    s->setSingleStep(multiple);
    s->setMinimum(multiple);
  }
  // A different model than the one the remembered size was for: start from its own size.
  QSettings settings;
  if (settings.value(key(kSizeModelKey)).toString() != m_generator->modelPath()) {
    m_width->setValue(m_generator->defaultWidth());
    m_height->setValue(m_generator->defaultHeight());
    settings.setValue(key(kSizeModelKey), m_generator->modelPath());
  }
  m_modelStatus->setText(tr("Loaded %1: %2 × %3 px by default, sizes in multiples of %4, sampler %5.")
                             .arg(QFileInfo(m_generator->modelPath()).fileName())
                             .arg(m_generator->defaultWidth())
                             .arg(m_generator->defaultHeight())
                             .arg(multiple)
                             .arg(sampler));
  updateState();
  Q_EMIT modelReady(true);
  if (m_generateWhenLoaded) {
    m_generateWhenLoaded = false;
    generate();
  }
}

// ---- generation -----------------------------------------------------------------------------

void GeneratePage::showFieldError(QLabel* label, const QString& message) {
  label->setText(message);
  label->setVisible(!message.isEmpty());
}

bool GeneratePage::validate() {
  bool ok = true;
  const auto check = [&ok, this](QLabel* label, const QString& message) {
    showFieldError(label, message);
    ok = ok && message.isEmpty();
  };
  check(m_promptError, m_prompt->toPlainText().trimmed().isEmpty() ? tr("Enter a prompt: what the image should show.")
                                                                    : QString());

  QString seedMessage;
  if (!m_randomSeed->isChecked()) {
    bool parsed = false;
    m_seed->text().trimmed().toULongLong(&parsed);
    if (!parsed)
      seedMessage = tr("The seed must be a whole number from 0 to %1, or tick Random.").arg(std::numeric_limits<quint64>::max());
  }
  check(m_seedError, seedMessage);

  const int m = m_generator->sizeMultiple();
  QString sizeMessage;
  if (m_width->value() % m != 0 || m_height->value() % m != 0) {
    const auto nearest = [m](int v) { return std::max(m, (v + m / 2) / m * m); };
    sizeMessage = tr("Width and height must be multiples of %1 for this model: try %2 × %3.")
                      .arg(m)
                      .arg(nearest(m_width->value()))
                      .arg(nearest(m_height->value()));
  }
  check(m_sizeError, sizeMessage);

  QString initMessage;
  if (m_img2img->isChecked()) {
    const QFileInfo init(m_initImage->text().trimmed());
    if (m_initImage->text().trimmed().isEmpty())
      initMessage = tr("Choose the image to start from, or untick img2img.");
    else if (!init.isFile())
      initMessage = tr("%1 does not exist.").arg(init.filePath());
    else if (init.suffix().compare(QStringLiteral("png"), Qt::CaseInsensitive) != 0)
      initMessage = tr("The image to start from must be a PNG.");
  }
  check(m_initError, initMessage);

  const QString out = m_outputFolder->text().trimmed();
  check(m_outputError, out.isEmpty() ? tr("Choose the folder the images are written to.") : QString());
  return ok;
}

bool GeneratePage::generate() {
  if (m_job != 0 || m_generator->isLoading()) return false;
  m_checkedOnce = true;
  if (!m_generator->hasModel()) {
    // Load the model named in the field, then generate (the fields are checked then).
    m_generateWhenLoaded = !m_modelPath->text().trimmed().isEmpty();
    if (!m_generateWhenLoaded) {
      m_modelStatus->setText(tr("Choose a model folder first (a diffusers folder or a training checkpoint)."));
      m_status->setText(tr("No model loaded."));
      return false;
    }
    loadModel();
    return false;
  }
  if (!validate()) {
    m_status->setText(tr("Nothing started: correct the fields marked in red."));
    return false;
  }
  const QString out = QDir::fromNativeSeparators(m_outputFolder->text().trimmed());
  if (!QDir().mkpath(out) || !QFileInfo(out).isWritable()) {
    showFieldError(m_outputError, tr("Cannot write to %1: choose another folder.").arg(out));
    m_status->setText(tr("Nothing started: correct the fields marked in red."));
    return false;
  }
  scanOutputFolder();  // the gallery shows the folder the images go to

  if (m_randomSeed->isChecked()) m_seed->setText(QString::number(QRandomGenerator::global()->generate()));
  tessera::GenerateOptions options;
  options.prompts = {m_prompt->toPlainText().trimmed().toStdString()};
  options.negative_prompt = m_negative->toPlainText().trimmed().toStdString();
  options.sampler = m_sampler->currentData().toString().toStdString();
  options.steps = m_steps->value();
  options.guidance = m_guidance->value();
  options.seed = m_seed->text().trimmed().toULongLong();
  options.width = m_width->value();
  options.height = m_height->value();
  options.batch = m_batch->value();
  if (m_img2img->isChecked()) {
    options.init_image = m_initImage->text().trimmed().toStdString();
    options.strength = m_strength->value();
  }
  options.out_dir = out.toStdString();
  options.preview.mode = tessera::PreviewMode::Latent;
  options.preview.every = 1;

  m_job = m_generator->submit(options);
  if (m_job == 0) {
    m_status->setText(tr("The model is not ready."));
    return false;
  }
  m_cancelling = false;
  m_jobTimer->start();
  m_progress->setRange(0, options.steps);
  m_progress->setValue(0);
  m_status->setText(tr("Starting…"));
  saveSettings();
  updateState();
  Q_EMIT generationStarted(m_job);
  return true;
}

void GeneratePage::cancel() {
  if (m_job == 0 || m_cancelling) return;
  if (m_generator->cancel(m_job)) {
    m_cancelling = true;
    m_status->setText(tr("Cancelling after the current step…"));
    updateState();
  }
}

void GeneratePage::handleStarted(quint64 id) {
  if (id == m_job && !m_cancelling) m_status->setText(tr("Encoding the prompt…"));
}

void GeneratePage::handleProgress(quint64 id, int promptIndex, int promptCount, int step, int steps,
                                  const QImage& preview) {
  if (id != m_job) return;
  const int total = std::max(1, promptCount) * steps;
  m_progress->setRange(0, total);
  m_progress->setValue(promptIndex * steps + step);
  if (!m_cancelling) m_status->setText(tr("Step %1 of %2").arg(step).arg(steps));
  if (!preview.isNull()) showPreview(preview, false);
}

void GeneratePage::showPreview(const QImage& image, bool smooth) {
  const QSize box = m_preview->size().boundedTo(QSize(1024, 1024)).expandedTo(QSize(64, 64));
  m_preview->setPixmap(QPixmap::fromImage(
      image.scaled(box, Qt::KeepAspectRatio, smooth ? Qt::SmoothTransformation : Qt::FastTransformation)));
}

void GeneratePage::handleFinished(quint64 id, bool ok, bool cancelled, const QString& message,
                                  const QList<GeneratedEntry>& images) {
  if (id != m_job) return;
  m_job = 0;
  m_cancelling = false;
  const double seconds = m_jobTimer->elapsed() / 1000.0;
  if (!images.isEmpty()) {
    m_gallery->prependImages(images);
    m_galleryView->setCurrentIndex(m_gallery->index(0, 0));
    showPreview(QImage(images.first().path), true);
  }
  if (ok) {
    m_progress->setValue(m_progress->maximum());
    m_status->setText(tr("%n image(s) written to %1 in %2 s.", nullptr, int(images.size()))
                          .arg(QDir::toNativeSeparators(QFileInfo(images.value(0).path).absolutePath()))
                          .arg(seconds, 0, 'f', 1));
  } else if (cancelled) {
    m_progress->setValue(0);
    m_status->setText(tr("Cancelled; nothing of the unfinished image was written."));
  } else {
    m_progress->setValue(0);
    m_status->setText(tr("Generation failed: %1").arg(message));
  }
  updateState();
  Q_EMIT generationFinished(id, ok, cancelled);
}

// ---- gallery --------------------------------------------------------------------------------

void GeneratePage::handleGallerySelection() {
  const QModelIndex current = m_galleryView->currentIndex();
  m_parameters->setPlainText(current.isValid() ? current.data(GalleryModel::ParametersRole).toString() : QString());
  updateState();
}

void GeneratePage::copyParameters() {
  const QModelIndex current = m_galleryView->currentIndex();
  if (!current.isValid()) return;
  QGuiApplication::clipboard()->setText(current.data(GalleryModel::ParametersRole).toString());
  m_status->setText(tr("Parameters copied."));
}

void GeneratePage::openImageFolder() {
  const QModelIndex current = m_galleryView->currentIndex();
  const QString folder = current.isValid() ? QFileInfo(current.data(GalleryModel::PathRole).toString()).absolutePath()
                                           : m_outputFolder->text().trimmed();
  if (!folder.isEmpty()) QDesktopServices::openUrl(QUrl::fromLocalFile(folder));
}

// ---- state and settings ---------------------------------------------------------------------

void GeneratePage::updateState() {
  const bool loading = m_generator->isLoading();
  const bool running = m_job != 0;
  m_loadBusy->setVisible(loading);
  m_modelPath->setEnabled(!loading && !running);
  m_modelBrowse->setEnabled(!loading && !running);
  m_loadButton->setEnabled(!loading && !running);
  m_generateButton->setEnabled(!loading && !running);
  m_cancelButton->setEnabled(running && !m_cancelling);
  const bool selected = m_galleryView->currentIndex().isValid();
  m_copyButton->setEnabled(selected);
  m_openFolderButton->setEnabled(selected || !m_outputFolder->text().trimmed().isEmpty());
}

void GeneratePage::browseInitImage() {
  const QString file = QFileDialog::getOpenFileName(this, tr("Choose the image to start from"), m_initImage->text(),
                                                    tr("PNG images (*.png)"));
  if (!file.isEmpty()) m_initImage->setText(QDir::toNativeSeparators(file));
}

void GeneratePage::browseOutputFolder() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Choose the output folder"), m_outputFolder->text());
  if (dir.isEmpty()) return;
  m_outputFolder->setText(QDir::toNativeSeparators(dir));
  scanOutputFolder();
}

void GeneratePage::setOutputFolder(const QString& folder) {
  m_outputFolder->setText(QDir::toNativeSeparators(folder));
  scanOutputFolder();
}

void GeneratePage::scanOutputFolder() {
  const QString folder = QDir::fromNativeSeparators(m_outputFolder->text().trimmed());
  if (folder == m_scannedFolder) return;
  m_scannedFolder = folder;
  if (m_scanner != nullptr) m_stopScan->store(true);  // its result is dropped below
  m_gallery->clear();
  m_parameters->clear();
  if (folder.isEmpty() || !QFileInfo(folder).isDir()) return;
  auto stop = std::make_shared<std::atomic_bool>(false);
  auto found = std::make_shared<QList<GeneratedEntry>>();
  auto* scanner = QThread::create([folder, stop, found] { *found = GalleryModel::scanFolder(folder, kGalleryScanLimit, stop.get()); });
  connect(scanner, &QThread::finished, this, [this, scanner, stop, found] {
    scanner->deleteLater();
    if (m_scanner == scanner) m_scanner = nullptr;
    if (!stop->load()) m_gallery->appendImages(*found);
  });
  scanner->setParent(this);
  m_scanner = scanner;
  m_stopScan = stop;
  scanner->start();
}

void GeneratePage::loadSettings() {
  QSettings s;
  m_modelPath->setText(s.value(key(kModelKey)).toString());
  m_prompt->setPlainText(s.value(key(kPromptKey)).toString());
  m_negative->setPlainText(s.value(key(kNegativeKey)).toString());
  const int sampler = m_sampler->findData(s.value(key(kSamplerKey)).toString());
  m_sampler->setCurrentIndex(std::max(0, sampler));
  m_steps->setValue(s.value(key(kStepsKey), 30).toInt());
  m_guidance->setValue(s.value(key(kGuidanceKey), 7.5).toDouble());
  m_seed->setText(s.value(key(kSeedKey), QStringLiteral("0")).toString());
  m_randomSeed->setChecked(s.value(key(kRandomSeedKey), true).toBool());
  m_seed->setDisabled(m_randomSeed->isChecked());
  m_width->setValue(s.value(key(kWidthKey), 512).toInt());
  m_height->setValue(s.value(key(kHeightKey), 512).toInt());
  m_batch->setValue(s.value(key(kBatchKey), 1).toInt());
  m_img2img->setChecked(s.value(key(kImg2ImgKey), false).toBool());
  m_initImage->setText(s.value(key(kInitImageKey)).toString());
  m_strength->setValue(s.value(key(kStrengthKey), 0.8).toDouble());
  m_outputFolder->setText(s.value(key(kOutputKey), QDir::toNativeSeparators(defaultOutputFolder())).toString());
}

void GeneratePage::saveSettings() const {
  QSettings s;
  s.setValue(key(kModelKey), m_modelPath->text().trimmed());
  s.setValue(key(kPromptKey), m_prompt->toPlainText());
  s.setValue(key(kNegativeKey), m_negative->toPlainText());
  s.setValue(key(kSamplerKey), m_sampler->currentData().toString());
  s.setValue(key(kStepsKey), m_steps->value());
  s.setValue(key(kGuidanceKey), m_guidance->value());
  s.setValue(key(kSeedKey), m_seed->text().trimmed());
  s.setValue(key(kRandomSeedKey), m_randomSeed->isChecked());
  s.setValue(key(kWidthKey), m_width->value());
  s.setValue(key(kHeightKey), m_height->value());
  s.setValue(key(kBatchKey), m_batch->value());
  s.setValue(key(kImg2ImgKey), m_img2img->isChecked());
  s.setValue(key(kInitImageKey), m_initImage->text().trimmed());
  s.setValue(key(kStrengthKey), m_strength->value());
  s.setValue(key(kOutputKey), m_outputFolder->text().trimmed());
}
