#include "pages/train_page.h"
#include "widgets/field_error_label.h"

#include "dialogs/launch_dialog.h"
#include "widgets/cost_estimator.h"

#include "tessera/train.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSettings>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>
#include <memory>

// Outside any namespace: the resource initialiser of the static UI library must be called by
// name (the linker drops it otherwise).
static void initPresetResources() { Q_INIT_RESOURCE(presets); }

namespace {
// Typed settings keys (one place, so a typo cannot silently create a new key).
const char* const kConfigKey = "train/configPath";
const char* const kPresetKey = "train/preset";
const char* const kFolderKey = "train/folder";
const char* const kDefaultPreset = "sd2-base-256";

QString key(const char* k) { return QLatin1String(k); }

QSpinBox* stepsSpin(const QString& name, QWidget* parent, int minimum) {
  auto* spin = new QSpinBox(parent);
  spin->setObjectName(name);
  spin->setRange(minimum, 2000000000);
  spin->setGroupSeparatorShown(true);
  spin->setSuffix(QCoreApplication::translate("TrainPage", " steps"));
  return spin;
}

QComboBox* choices(const QString& name, const QStringList& values, QWidget* parent) {
  auto* combo = new QComboBox(parent);
  combo->setObjectName(name);
  for (const QString& v : values) combo->addItem(v, v);
  return combo;
}

bool parseNumber(const QString& text, double* value) {
  bool ok = false;
  *value = text.trimmed().toDouble(&ok);
  return ok;
}
}  // namespace

TrainPage::TrainPage(QWidget* parent) : QWidget(parent) {
  initPresetResources();
  auto* split = new QSplitter(Qt::Horizontal, this);
  auto* left = new QWidget(split);
  auto* leftLayout = new QVBoxLayout(left);
  leftLayout->setContentsMargins(0, 0, 0, 0);
  auto* scroll = new QScrollArea(left);
  scroll->setWidget(createForm());
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  leftLayout->addWidget(scroll, 1);
  split->addWidget(left);

  auto* right = new QWidget(split);
  auto* rightLayout = new QVBoxLayout(right);
  auto* estimateBox = new QGroupBox(tr("Cost and time"), right);
  auto* estimateLayout = new QVBoxLayout(estimateBox);
  m_estimator = new CostEstimator(estimateBox);
  m_estimator->setObjectName(QStringLiteral("costEstimator"));
  estimateLayout->addWidget(m_estimator);
  auto* checkBox = new QGroupBox(tr("Engine check"), right);
  auto* checkLayout = new QVBoxLayout(checkBox);
  m_checkResult = new QLabel(tr("Check asks the engine whether it can train this config (Ctrl+K)."), checkBox);
  m_checkResult->setObjectName(QStringLiteral("checkResult"));
  m_checkResult->setWordWrap(true);
  m_checkResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
  checkLayout->addWidget(m_checkResult);
  auto* buttons = new QHBoxLayout;
  m_checkButton = new QPushButton(tr("Check"), right);
  m_checkButton->setObjectName(QStringLiteral("checkButton"));
  m_checkButton->setToolTip(tr("Have the engine read the config and build its UNet (Ctrl+K)."));
  m_saveButton = new QPushButton(tr("Save"), right);
  m_saveButton->setObjectName(QStringLiteral("saveButton"));
  m_saveButton->setToolTip(tr("Save the config (Ctrl+S; Save as: Ctrl+Shift+S)."));
  m_launchButton = new QPushButton(tr("Launch…"), right);
  m_launchButton->setObjectName(QStringLiteral("launchButton"));
  m_launchButton->setToolTip(tr("Save and launch the run here, on SSH hosts or through Slurm (Ctrl+Return)."));
  m_launchButton->setDefault(true);
  buttons->addWidget(m_checkButton);
  buttons->addWidget(m_saveButton);
  buttons->addWidget(m_launchButton, 1);
  rightLayout->addWidget(estimateBox);
  rightLayout->addWidget(checkBox);
  rightLayout->addStretch(1);
  rightLayout->addLayout(buttons);
  split->addWidget(right);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(split);

  connect(m_checkButton, &QPushButton::clicked, this, &TrainPage::checkWithEngine);
  connect(m_saveButton, &QPushButton::clicked, this, &TrainPage::save);
  connect(m_launchButton, &QPushButton::clicked, this, &TrainPage::launch);
  const auto shortcut = [this](const QKeySequence& keys, auto slot) {
    auto* s = new QShortcut(keys, this);
    s->setContext(Qt::WidgetWithChildrenShortcut);
    connect(s, &QShortcut::activated, this, slot);
  };
  shortcut(QKeySequence::Open, &TrainPage::openDialog);
  shortcut(QKeySequence::Save, &TrainPage::save);
  shortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), &TrainPage::saveAs);
  shortcut(QKeySequence(Qt::CTRL | Qt::Key_K), &TrainPage::checkWithEngine);
  shortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), &TrainPage::launch);
  shortcut(QKeySequence(Qt::CTRL | Qt::Key_Enter), &TrainPage::launch);

  // The last config, else the last preset, else SD2-base stage 1.
  QSettings settings;
  const QString last = settings.value(key(kConfigKey)).toString();
  if (last.isEmpty() || !QFileInfo(last).isFile() || !openConfig(last)) {
    const QString preset = settings.value(key(kPresetKey), QLatin1String(kDefaultPreset)).toString();
    if (!loadPreset(preset)) (void)loadPreset(QLatin1String(kDefaultPreset));
  }
}

TrainPage::~TrainPage() {
  if (m_checker != nullptr) m_checker->wait();  // the engine check cannot be interrupted; it is short
}

QStringList TrainPage::presetNames() {
  initPresetResources();
  QStringList names;
  for (const QString& f : QDir(QStringLiteral(":/presets")).entryList({QStringLiteral("*.yaml")}, QDir::Files, QDir::Name))
    names << QFileInfo(f).completeBaseName();
  return names;
}

QString TrainPage::presetPath(const QString& name) { return QStringLiteral(":/presets/%1.yaml").arg(name); }

// ---- the form -------------------------------------------------------------------------------

QWidget* TrainPage::createForm() {
  auto* form = new QWidget;
  auto* layout = new QVBoxLayout(form);

  auto* fileBox = new QGroupBox(tr("Configuration"), form);
  auto* fileLayout = new QVBoxLayout(fileBox);
  auto* presetRow = new QHBoxLayout;
  m_preset = new QComboBox(fileBox);
  m_preset->setObjectName(QStringLiteral("preset"));
  m_preset->addItem(tr("Choose a preset…"), QString());
  m_preset->setItemData(0, 0, Qt::UserRole - 1);  // a heading, not a choice
  for (const QString& name : presetNames()) m_preset->addItem(name, name);
  m_preset->setToolTip(tr("Start from a preset: SD2-base stage 1 (256 px), stage 2 (512 px), or a tiny demo that "
                          "trains in seconds on a CPU."));
  auto* open = new QPushButton(tr("Open…"), fileBox);
  open->setToolTip(tr("Open a run config (YAML) (Ctrl+O)."));
  auto* saveAs = new QPushButton(tr("Save as…"), fileBox);
  presetRow->addWidget(m_preset, 1);
  presetRow->addWidget(open);
  presetRow->addWidget(saveAs);
  m_source = new QLabel(fileBox);
  m_source->setObjectName(QStringLiteral("configSource"));
  m_source->setWordWrap(true);
  m_source->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_generalError = errorLabel(QStringLiteral("generalError"), fileBox);
  fileLayout->addLayout(presetRow);
  fileLayout->addWidget(m_source);
  fileLayout->addWidget(m_generalError);
  connect(m_preset, &QComboBox::activated, this, &TrainPage::choosePreset);
  connect(open, &QPushButton::clicked, this, &TrainPage::openDialog);
  connect(saveAs, &QPushButton::clicked, this, &TrainPage::saveAs);

  auto* runBox = new QGroupBox(tr("Run"), form);
  auto* run = new QFormLayout(runBox);
  m_name = new QLineEdit(runBox);
  m_name->setObjectName(QStringLiteral("name"));
  m_name->setToolTip(tr("The run's name: shown on the Runs page and in the run's files."));
  m_nameError = errorLabel(QStringLiteral("nameError"), runBox);
  m_seed = new QSpinBox(runBox);
  m_seed->setObjectName(QStringLiteral("seed"));
  m_seed->setRange(0, std::numeric_limits<int>::max());
  m_imageSize = new QSpinBox(runBox);
  m_imageSize->setObjectName(QStringLiteral("imageSize"));
  m_imageSize->setRange(8, 16384);
  m_imageSize->setSingleStep(64);
  m_imageSize->setSuffix(tr(" px"));
  m_imageSizeError = errorLabel(QStringLiteral("imageSizeError"), runBox);
  m_batch = new QSpinBox(runBox);
  m_batch->setObjectName(QStringLiteral("batchSize"));
  m_batch->setRange(1, 1 << 24);
  m_batch->setToolTip(tr("Global batch: images per optimizer step over all GPUs (microbatch × accumulation × GPUs)."));
  m_microbatch = new QSpinBox(runBox);
  m_microbatch->setObjectName(QStringLiteral("microbatch"));
  m_microbatch->setRange(1, 1 << 20);
  m_microbatch->setToolTip(tr("Images per GPU per forward/backward pass; lower it when memory runs out."));
  m_batchError = errorLabel(QStringLiteral("batchError"), runBox);
  m_steps = stepsSpin(QStringLiteral("steps"), runBox, 1);
  m_steps->setToolTip(tr("Optimizer steps (max_duration); the reference: 550,000 at 256 px, then 850,000 at 512 px."));
  run->addRow(tr("Name"), m_name);
  run->addRow(QString(), m_nameError);
  run->addRow(tr("Seed"), m_seed);
  run->addRow(tr("Image size"), m_imageSize);
  run->addRow(QString(), m_imageSizeError);
  run->addRow(tr("Global batch"), m_batch);
  run->addRow(tr("Microbatch per GPU"), m_microbatch);
  run->addRow(QString(), m_batchError);
  run->addRow(tr("Steps"), m_steps);

  auto* optBox = new QGroupBox(tr("Optimizer"), form);
  auto* opt = new QFormLayout(optBox);
  m_lr = new QLineEdit(optBox);
  m_lr->setObjectName(QStringLiteral("lr"));
  m_lr->setToolTip(tr("AdamW learning rate, e.g. 1e-4."));
  m_lrError = errorLabel(QStringLiteral("lrError"), optBox);
  m_weightDecay = new QLineEdit(optBox);
  m_weightDecay->setObjectName(QStringLiteral("weightDecay"));
  m_weightDecayError = errorLabel(QStringLiteral("weightDecayError"), optBox);
  m_scheduler = choices(QStringLiteral("scheduler"), {QStringLiteral("linear_warmup_constant"), QStringLiteral("cosine_with_warmup")}, optBox);
  m_warmup = stepsSpin(QStringLiteral("warmup"), optBox, 0);
  m_warmupError = errorLabel(QStringLiteral("warmupError"), optBox);
  opt->addRow(tr("Learning rate"), m_lr);
  opt->addRow(QString(), m_lrError);
  opt->addRow(tr("Weight decay"), m_weightDecay);
  opt->addRow(QString(), m_weightDecayError);
  opt->addRow(tr("Schedule"), m_scheduler);
  opt->addRow(tr("Warm-up"), m_warmup);
  opt->addRow(QString(), m_warmupError);

  m_ema = new QGroupBox(tr("EMA of the weights"), form);
  m_ema->setObjectName(QStringLiteral("ema"));
  m_ema->setCheckable(true);
  auto* ema = new QFormLayout(m_ema);
  m_emaSmoothing = new QLineEdit(m_ema);
  m_emaSmoothing->setObjectName(QStringLiteral("emaSmoothing"));
  m_emaStart = stepsSpin(QStringLiteral("emaStart"), m_ema, 0);
  m_emaStart->setToolTip(tr("The first step that updates the EMA (the reference: 800,000, the last 50k of stage 2)."));
  m_emaError = errorLabel(QStringLiteral("emaError"), m_ema);
  ema->addRow(tr("Smoothing"), m_emaSmoothing);
  ema->addRow(tr("Start"), m_emaStart);
  ema->addRow(QString(), m_emaError);

  auto* modelBox = new QGroupBox(tr("Model"), form);
  auto* model = new QFormLayout(modelBox);
  m_prediction = choices(QStringLiteral("prediction"), {QStringLiteral("epsilon"), QStringLiteral("v_prediction"), QStringLiteral("sample")}, modelBox);
  m_precision = choices(QStringLiteral("precision"), {QStringLiteral("fp32"), QStringLiteral("amp_bf16"), QStringLiteral("amp_fp16")}, modelBox);
  m_precision->setToolTip(tr("amp_bf16 and amp_fp16 need CUDA; fp32 works everywhere."));
  m_device = choices(QStringLiteral("device"), {QStringLiteral("auto"), QStringLiteral("cpu"), QStringLiteral("cuda")}, modelBox);
  const auto pathRow = [this, modelBox](QLineEdit*& edit, const QString& name, const QString& placeholder, const QString& title) {
    auto* row = new QHBoxLayout;
    edit = new QLineEdit(modelBox);
    edit->setObjectName(name);
    edit->setPlaceholderText(placeholder);
    auto* browse = new QPushButton(tr("Browse…"), modelBox);
    QLineEdit* target = edit;
    connect(browse, &QPushButton::clicked, this, [this, target, title] { browseInto(target, true, title); });
    row->addWidget(edit, 1);
    row->addWidget(browse);
    return row;
  };
  model->addRow(tr("Prediction"), m_prediction);
  model->addRow(tr("Precision"), m_precision);
  model->addRow(tr("Device"), m_device);
  model->addRow(tr("Start from"), pathRow(m_initFrom, QStringLiteral("initFrom"), tr("Nothing: train from scratch"),
                                          tr("Choose weights to start from")));
  model->addRow(tr("VAE and text encoder"), pathRow(m_components, QStringLiteral("pretrainedComponents"),
                                                    tr("A diffusers folder (vae/, text_encoder/, tokenizer/)"),
                                                    tr("Choose the diffusers folder with the VAE and text encoder")));

  auto* dataBox = new QGroupBox(tr("Data"), form);
  auto* data = new QFormLayout(dataBox);
  m_datasetKind = choices(QStringLiteral("datasetKind"),
                          {QStringLiteral("latents_safetensors"), QStringLiteral("mds_latents"), QStringLiteral("synthetic_latents")}, dataBox);
  m_datasetKind->setToolTip(tr("mds_latents: latent shards (MDS); latents_safetensors: one .safetensors file; "
                               "synthetic_latents: random data for smoke tests."));
  auto* dataRow = new QHBoxLayout;
  m_datasetPath = new QLineEdit(dataBox);
  m_datasetPath->setObjectName(QStringLiteral("datasetPath"));
  m_datasetPath->setPlaceholderText(tr("The shards folder or file, as the training machines see it"));
  auto* dataBrowse = new QPushButton(tr("Browse…"), dataBox);
  connect(dataBrowse, &QPushButton::clicked, this, [this] { browseInto(m_datasetPath, true, tr("Choose the dataset")); });
  dataRow->addWidget(m_datasetPath, 1);
  dataRow->addWidget(dataBrowse);
  m_datasetError = errorLabel(QStringLiteral("datasetError"), dataBox);
  data->addRow(tr("Kind"), m_datasetKind);
  data->addRow(tr("Path"), dataRow);
  data->addRow(QString(), m_datasetError);

  auto* saveBox = new QGroupBox(tr("Checkpoints"), form);
  auto* saving = new QFormLayout(saveBox);
  m_saveInterval = stepsSpin(QStringLiteral("saveInterval"), saveBox, 0);
  m_saveInterval->setSpecialValueText(tr("Only at the end"));
  m_keep = new QSpinBox(saveBox);
  m_keep->setObjectName(QStringLiteral("keepCheckpoints"));
  m_keep->setRange(1, 1000000);
  saving->addRow(tr("Save every"), m_saveInterval);
  saving->addRow(tr("Keep the last"), m_keep);

  layout->addWidget(fileBox);
  layout->addWidget(runBox);
  layout->addWidget(optBox);
  layout->addWidget(m_ema);
  layout->addWidget(modelBox);
  layout->addWidget(dataBox);
  layout->addWidget(saveBox);
  layout->addStretch(1);

  // Keys and widgets; the defaults are the engine's (training/run_config.h) for keys a file leaves out.
  bind(QStringLiteral("name"), [this] { return m_name->text().trimmed(); },
       [this](const QString& t) { m_name->setText(t.isEmpty() ? QStringLiteral("run") : t); });
  bindSpin(QStringLiteral("seed"), m_seed, false);
  bindSpin(QStringLiteral("image_size"), m_imageSize, false);
  bindSpin(QStringLiteral("batch_size"), m_batch, false);
  bindSpin(QStringLiteral("trainer.device_train_microbatch_size"), m_microbatch, false);
  bindSpin(QStringLiteral("trainer.max_duration"), m_steps, true);
  bindLine(QStringLiteral("optimizer.lr"), m_lr);
  bindLine(QStringLiteral("optimizer.weight_decay"), m_weightDecay);
  bindCombo(QStringLiteral("scheduler.name"), m_scheduler);
  bindSpin(QStringLiteral("scheduler.t_warmup"), m_warmup, true);
  bind(QStringLiteral("ema.enabled"), [this] { return m_ema->isChecked() ? QStringLiteral("true") : QStringLiteral("false"); },
       [this](const QString& t) { m_ema->setChecked(t.isEmpty() ? m_doc.has(QStringLiteral("ema")) : t == QLatin1String("true")); });
  bindLine(QStringLiteral("ema.smoothing"), m_emaSmoothing);
  bindSpin(QStringLiteral("ema.start"), m_emaStart, true);
  bindCombo(QStringLiteral("model.prediction_type"), m_prediction);
  bindCombo(QStringLiteral("trainer.precision"), m_precision);
  bindCombo(QStringLiteral("trainer.device"), m_device);
  bindLine(QStringLiteral("model.init_from"), m_initFrom);
  bindLine(QStringLiteral("model.pretrained_components"), m_components);
  bindCombo(QStringLiteral("dataset.kind"), m_datasetKind);
  bindLine(QStringLiteral("dataset.path"), m_datasetPath);
  bindSpin(QStringLiteral("trainer.save_interval"), m_saveInterval, true);
  bindSpin(QStringLiteral("trainer.save_num_checkpoints_to_keep"), m_keep, false);
  m_errorFor = {{QStringLiteral("name"), m_nameError},
                {QStringLiteral("image_size"), m_imageSizeError},
                {QStringLiteral("batch_size"), m_batchError},
                {QStringLiteral("trainer.device_train_microbatch_size"), m_batchError},
                {QStringLiteral("optimizer.lr"), m_lrError},
                {QStringLiteral("optimizer.weight_decay"), m_weightDecayError},
                {QStringLiteral("scheduler.t_warmup"), m_warmupError},
                {QStringLiteral("ema.smoothing"), m_emaError},
                {QStringLiteral("ema.start"), m_emaError},
                {QStringLiteral("dataset.path"), m_datasetError},
                {QStringLiteral("dataset.kind"), m_datasetError}};

  // Every edit marks the config modified, moves the estimate, and (after a refused save) re-checks.
  const auto edited = [this] { markModified(); };
  for (QSpinBox* s : form->findChildren<QSpinBox*>()) connect(s, &QSpinBox::valueChanged, this, edited);
  for (QLineEdit* e : form->findChildren<QLineEdit*>()) connect(e, &QLineEdit::textEdited, this, edited);
  for (QComboBox* c : form->findChildren<QComboBox*>())
    if (c != m_preset) connect(c, &QComboBox::currentIndexChanged, this, edited);
  connect(m_ema, &QGroupBox::toggled, this, edited);
  return form;
}

void TrainPage::bind(const QString& key, std::function<QString()> get, std::function<void(const QString&)> set) {
  m_fields.append(Field{key, std::move(get), std::move(set), QString()});
}

void TrainPage::bindSpin(const QString& key, QSpinBox* spin, bool steps) {
  // The engine's defaults for keys a file leaves out.
  static const QHash<QString, int> defaults{{QStringLiteral("seed"), 17},
                                            {QStringLiteral("image_size"), 256},
                                            {QStringLiteral("batch_size"), 2048},
                                            {QStringLiteral("trainer.device_train_microbatch_size"), 16},
                                            {QStringLiteral("trainer.max_duration"), 1000},
                                            {QStringLiteral("scheduler.t_warmup"), 0},
                                            {QStringLiteral("ema.start"), 0},
                                            {QStringLiteral("trainer.save_interval"), 10000},
                                            {QStringLiteral("trainer.save_num_checkpoints_to_keep"), 3}};
  bind(key,
       [spin, steps] { return QString::number(spin->value()) + (steps ? QStringLiteral("ba") : QString()); },
       [spin, key](const QString& t) {
         const qint64 v = t.isEmpty() ? defaults.value(key) : RunConfigDocument::parseSteps(t);
         spin->setValue(int(std::clamp<qint64>(v < 0 ? defaults.value(key) : v, spin->minimum(), spin->maximum())));
       });
}

void TrainPage::bindLine(const QString& key, QLineEdit* edit) {
  static const QHash<QString, QString> defaults{{QStringLiteral("optimizer.lr"), QStringLiteral("1.0e-4")},
                                                {QStringLiteral("optimizer.weight_decay"), QStringLiteral("0.01")},
                                                {QStringLiteral("ema.smoothing"), QStringLiteral("0.9999")}};
  bind(key, [edit] { return edit->text().trimmed(); },
       [edit, key](const QString& t) { edit->setText(t.isEmpty() ? defaults.value(key) : t); });
}

void TrainPage::bindCombo(const QString& key, QComboBox* combo) {
  bind(key, [combo] { return combo->currentData().toString(); },
       [combo](const QString& t) {
         int i = combo->findData(t);
         if (i < 0 && !t.isEmpty()) {  // a value this studio does not list: keep it, the engine judges
           combo->addItem(t, t);
           i = combo->count() - 1;
         }
         combo->setCurrentIndex(std::max(0, i));
       });
}

// ---- loading and saving ---------------------------------------------------------------------

void TrainPage::showDocument(const QString& source) {
  m_loading = true;
  for (Field& f : m_fields) {
    f.set(m_doc.value(f.key));
    f.loaded = f.get();
  }
  m_loading = false;
  m_modified = false;
  m_checkedOnce = false;
  for (QLabel* label : findChildren<QLabel*>(QRegularExpression(QStringLiteral("Error$")))) showFieldError(label, QString());
  m_checkResult->setText(tr("Check asks the engine whether it can train this config (Ctrl+K)."));
  updateTitle();
  updateEstimate();
  Q_EMIT configLoaded(source);
}

bool TrainPage::loadPreset(const QString& name) {
  QString error;
  RunConfigDocument doc;
  if (!doc.load(presetPath(name), &error)) {
    showFieldError(m_generalError, tr("Cannot read the preset %1: %2").arg(name, error));
    return false;
  }
  m_doc = doc;
  m_path.clear();
  m_preset->setCurrentIndex(std::max(0, m_preset->findData(name)));
  QSettings settings;
  settings.setValue(key(kPresetKey), name);
  settings.remove(key(kConfigKey));
  showDocument(presetPath(name));
  return true;
}

bool TrainPage::openConfig(const QString& path) {
  QString error;
  RunConfigDocument doc;
  if (!doc.load(path, &error)) {
    showFieldError(m_generalError, tr("Cannot read %1: %2").arg(QDir::toNativeSeparators(path), error));
    return false;
  }
  m_doc = doc;
  m_path = QFileInfo(path).absoluteFilePath();
  m_preset->setCurrentIndex(0);
  QSettings settings;
  settings.setValue(key(kConfigKey), m_path);
  settings.setValue(key(kFolderKey), QFileInfo(m_path).absolutePath());
  showDocument(m_path);
  return true;
}

RunConfigDocument TrainPage::document() const {
  RunConfigDocument doc = m_doc;
  for (const Field& f : m_fields) {
    const QString text = f.get();
    // Only what was edited is written: an untouched key keeps its own text (a seed beyond the
    // spin box's range, "1.0e-4", a duration without "ba"), and a key the file left out stays out.
    if (text != f.loaded) doc.setValue(f.key, text);
  }
  return doc;
}

bool TrainPage::saveConfig(const QString& path) {
  m_checkedOnce = true;
  if (!validate()) {
    showFieldError(m_generalError, tr("Not saved: correct the fields marked in red."));
    return false;
  }
  QString error;
  const RunConfigDocument doc = document();
  if (!doc.save(path, &error)) {
    showFieldError(m_generalError, tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), error));
    return false;
  }
  m_doc = doc;
  for (Field& f : m_fields) f.loaded = f.get();
  m_path = QFileInfo(path).absoluteFilePath();
  m_modified = false;
  m_preset->setCurrentIndex(0);
  QSettings settings;
  settings.setValue(key(kConfigKey), m_path);
  settings.setValue(key(kFolderKey), QFileInfo(m_path).absolutePath());
  showFieldError(m_generalError, QString());
  updateTitle();
  return true;
}

bool TrainPage::save() { return m_path.isEmpty() ? saveAs() : saveConfig(m_path); }

bool TrainPage::saveAs() {
  QString folder = QSettings().value(key(kFolderKey)).toString();
  if (folder.isEmpty()) folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
  const QString suggested = QDir(folder).filePath(m_name->text().trimmed().isEmpty() ? QStringLiteral("run.yaml")
                                                                                      : m_name->text().trimmed() + QStringLiteral(".yaml"));
  const QString path = QFileDialog::getSaveFileName(this, tr("Save the run config"), suggested, tr("Run configs (*.yaml *.yml)"));
  return !path.isEmpty() && saveConfig(path);
}

void TrainPage::setConfigFolder(const QString& folder) { QSettings().setValue(key(kFolderKey), folder); }

void TrainPage::openDialog() {
  const QString folder = QSettings().value(key(kFolderKey)).toString();
  const QString path = QFileDialog::getOpenFileName(this, tr("Open a run config"), folder, tr("Run configs (*.yaml *.yml)"));
  if (!path.isEmpty()) (void)openConfig(path);
}

void TrainPage::choosePreset(int index) {
  const QString name = m_preset->itemData(index).toString();
  if (name.isEmpty()) return;
  if (m_modified &&
      QMessageBox::question(this, tr("Discard the changes?"),
                            tr("The config has unsaved changes. Load the preset %1 instead?").arg(name)) != QMessageBox::Yes)
    return;
  (void)loadPreset(name);
}

void TrainPage::browseInto(QLineEdit* edit, bool folder, const QString& title) {
  const QString start = edit->text().trimmed();
  const QString chosen = folder ? QFileDialog::getExistingDirectory(this, title, start)
                                : QFileDialog::getOpenFileName(this, title, start);
  if (chosen.isEmpty()) return;
  edit->setText(QDir::toNativeSeparators(chosen));
  markModified();
}

void TrainPage::markModified() {
  if (m_loading) return;
  m_modified = true;
  updateTitle();
  updateEstimate();
  if (m_checkedOnce) validate();
}

void TrainPage::updateTitle() {
  const QString where = m_path.isEmpty() ? tr("Preset %1, not saved yet").arg(m_preset->currentData().toString())
                                         : QDir::toNativeSeparators(m_path);
  m_source->setText(m_modified ? tr("%1 (modified)").arg(where) : where);
}

void TrainPage::updateEstimate() { m_estimator->setRun(m_steps->value(), m_batch->value(), m_imageSize->value()); }

// ---- checks ---------------------------------------------------------------------------------

void TrainPage::showFieldError(QLabel* label, const QString& message) {
  label->setText(message);
  label->setVisible(!message.isEmpty());
}

bool TrainPage::validate() {
  bool ok = true;
  const auto check = [&ok, this](QLabel* label, const QString& message) {
    showFieldError(label, message);
    ok = ok && message.isEmpty();
  };
  check(m_nameError, m_name->text().trimmed().isEmpty() ? tr("Give the run a name.") : QString());
  check(m_imageSizeError, m_imageSize->value() % 8 != 0
                              ? tr("The image size must be a multiple of 8 (the VAE's factor): try %1.")
                                    .arg(std::max(8, (m_imageSize->value() + 4) / 8 * 8))
                              : QString());
  check(m_batchError, m_batch->value() % m_microbatch->value() != 0
                          ? tr("The global batch (%1) must be a multiple of the microbatch (%2): the difference is made "
                               "up by accumulation and GPUs.")
                                .arg(m_batch->value())
                                .arg(m_microbatch->value())
                          : QString());
  double lr = 0;
  check(m_lrError, !parseNumber(m_lr->text(), &lr) ? tr("Enter the learning rate as a number, e.g. 1e-4.")
                   : lr <= 0 || lr > 10            ? tr("The learning rate must be above 0 and at most 10.")
                                                   : QString());
  double wd = 0;
  check(m_weightDecayError, !parseNumber(m_weightDecay->text(), &wd) || wd < 0 || wd > 10
                                ? tr("The weight decay must be a number from 0 to 10, e.g. 0.01.")
                                : QString());
  check(m_warmupError, m_warmup->value() > m_steps->value()
                           ? tr("The warm-up (%1 steps) is longer than the run (%2 steps).").arg(m_warmup->value()).arg(m_steps->value())
                           : QString());
  QString emaMessage;
  double smoothing = 0;
  if (m_ema->isChecked()) {
    if (!parseNumber(m_emaSmoothing->text(), &smoothing) || smoothing < 0 || smoothing > 1)
      emaMessage = tr("The smoothing must be a number from 0 to 1, e.g. 0.9999.");
    else if (m_emaStart->value() >= m_steps->value())
      emaMessage = tr("The EMA starts at step %1, after the run's last step (%2): it would never be updated.")
                       .arg(m_emaStart->value())
                       .arg(m_steps->value());
  }
  check(m_emaError, emaMessage);
  const bool needsPath = m_datasetKind->currentData().toString() != QLatin1String("synthetic_latents");
  check(m_datasetError, needsPath && m_datasetPath->text().trimmed().isEmpty()
                            ? tr("Enter where the data is (as the training machines see it), or choose synthetic_latents.")
                            : QString());
  if (ok) showFieldError(m_generalError, QString());
  return ok;
}

void TrainPage::showEngineError(const QString& message) {
  // The engine names the key: "config.yaml: 'trainer.max_duration' must be ... (line 3)".
  static const QRegularExpression keyRe(QStringLiteral("'([a-z_]+(?:\\.[a-z_]+)*)'"));
  const auto m = keyRe.match(message);
  QLabel* label = m.hasMatch() ? m_errorFor.value(m.captured(1)) : nullptr;
  showFieldError(label != nullptr ? label : m_generalError, message);
}

bool TrainPage::checkWithEngine() {
  if (m_checker != nullptr) return false;
  m_checkedOnce = true;
  if (!validate()) {
    m_checkResult->setText(tr("Correct the fields marked in red first."));
    return false;
  }
  auto dir = std::make_shared<QTemporaryDir>();
  const QString file = dir->filePath(QStringLiteral("config.yaml"));
  QString error;
  if (!dir->isValid() || !document().save(file, &error)) {
    m_checkResult->setText(tr("Cannot write a temporary copy of the config: %1").arg(error));
    return false;
  }
  auto verdict = std::make_shared<std::pair<bool, QString>>();
  m_checker = QThread::create([file, verdict] {
    std::string summary;
    const tessera::Status status = tessera::check_run_config(file.toStdString(), &summary);
    *verdict = {status.ok(), QString::fromStdString(status.ok() ? summary : status.message())};
  });
  m_checker->setParent(this);
  connect(m_checker, &QThread::finished, this, [this, dir, verdict] {
    m_checker->deleteLater();
    m_checker = nullptr;
    m_checkButton->setEnabled(true);
    if (verdict->first) {
      m_checkResult->setText(tr("The engine accepts the config: %1.").arg(verdict->second));
    } else {
      m_checkResult->setText(tr("The engine refuses the config: %1").arg(verdict->second));
      showEngineError(verdict->second);
    }
    Q_EMIT engineCheckFinished(verdict->first, verdict->second);
  });
  m_checkButton->setEnabled(false);
  m_checkResult->setText(tr("Checking (the engine builds the UNet; a large one takes a few seconds)…"));
  m_checker->start();
  return true;
}

// ---- launch ---------------------------------------------------------------------------------

void TrainPage::launch() {
  m_checkedOnce = true;
  if (!validate()) {  // an opened file is checked too, not only an edited one
    showFieldError(m_generalError, tr("Nothing launched: correct the fields marked in red."));
    return;
  }
  if (m_modified || m_path.isEmpty()) {
    if (!save()) return;
  }
  auto* dialog = new LaunchDialog(m_path, m_name->text().trimmed(), this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->setPlannedGpus(m_estimator->input().gpus, m_batch->value(), m_microbatch->value());
  if (!m_registryFolder.isEmpty()) dialog->setRegistryFolder(m_registryFolder);
  connect(dialog, &LaunchDialog::runLaunched, this, &TrainPage::runLaunched);
  dialog->open();
}
