#include "pages/evaluate_page.h"
#include "dialogs/ssh_prompts.h"
#include "widgets/field_error_label.h"

#include "models/gallery_model.h"
#include "widgets/preference_chart.h"
#include "workers/local_generator.h"
#include "widgets/generation_place_fields.h"
#include "workers/remote_evaluation.h"

#include <QDateTime>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QRandomGenerator>
#include <QScrollArea>
#include <QSettings>
#include <QShortcut>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <functional>

namespace {
// Typed settings keys (one place, so a typo cannot silently create a new key).
const char* const kModelAKey = "evaluate/modelA";
const char* const kModelBKey = "evaluate/modelB";
const char* const kPromptFileKey = "evaluate/promptFile";
const char* const kFolderKey = "evaluate/folder";
const char* const kStepsKey = "evaluate/steps";
const char* const kWidthKey = "evaluate/width";
const char* const kHeightKey = "evaluate/height";
const char* const kGuidanceKey = "evaluate/guidance";
const char* const kSeedKey = "evaluate/seed";

constexpr int kImageSize = 384;

QString key(const char* k) { return QLatin1String(k); }

QLineEdit* pathField(const QString& name, QWidget* parent) {
  auto* edit = new QLineEdit(parent);
  edit->setObjectName(name);
  edit->setClearButtonEnabled(true);
  return edit;
}

// A field with its error line under it, as one form row.
QWidget* withError(QWidget* field, QLabel* error, QWidget* parent) {
  auto* box = new QWidget(parent);
  auto* layout = new QVBoxLayout(box);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(field);
  layout->addWidget(error);
  return box;
}

QString percent(double v) { return QString::number(100.0 * v, 'f', 1) + QLatin1Char('%'); }
}  // namespace

EvaluatePage::EvaluatePage(QWidget* parent) : QWidget(parent) {
  m_generator = new LocalGenerator(this);
  m_remote = new RemoteEvaluationGenerator(this);
  m_stack = new QStackedWidget(this);
  m_stack->addWidget(createSetup());
  m_stack->addWidget(createVote());
  m_stack->addWidget(createResults());
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_stack);

  // Voting keys: they work from anywhere on the page, only while a pair is shown.
  const struct {
    Qt::Key key;
    bool quality;
    EvaluationSession::Side side;
  } keys[] = {{Qt::Key_1, true, EvaluationSession::Side::Left},   {Qt::Key_2, true, EvaluationSession::Side::Right},
              {Qt::Key_3, true, EvaluationSession::Side::Tie},    {Qt::Key_Q, false, EvaluationSession::Side::Left},
              {Qt::Key_W, false, EvaluationSession::Side::Right}, {Qt::Key_E, false, EvaluationSession::Side::Tie}};
  for (const auto& k : keys) {
    auto* shortcut = new QShortcut(QKeySequence(k.key), this);
    shortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(shortcut, &QShortcut::activated, this, [this, k] {
      if (view() == View::Vote) vote(k.quality, k.side);
    });
  }
  auto* back = new QShortcut(QKeySequence(Qt::Key_Left), this);
  back->setContext(Qt::WidgetWithChildrenShortcut);
  connect(back, &QShortcut::activated, this, [this] { if (view() == View::Vote) step(-1); });
  auto* forward = new QShortcut(QKeySequence(Qt::Key_Right), this);
  forward->setContext(Qt::WidgetWithChildrenShortcut);
  connect(forward, &QShortcut::activated, this, [this] { if (view() == View::Vote) step(+1); });
  auto* esc = new QShortcut(QKeySequence(Qt::Key_Escape), this);
  esc->setContext(Qt::WidgetWithChildrenShortcut);
  connect(esc, &QShortcut::activated, this, &EvaluatePage::cancel);

  connect(m_generator, &LocalGenerator::modelLoaded, this, &EvaluatePage::handleModelLoaded);
  connect(m_generator, &LocalGenerator::jobProgressed, this,
          [this](quint64 id, int p, int pc, int s, int ss, const QImage&) { handleProgress(id, p, pc, s, ss); });
  connect(m_generator, &LocalGenerator::jobFinished, this, &EvaluatePage::handleFinished);
  connect(m_remote, &RemoteEvaluationGenerator::statusChanged, this, [this](const QString& text) {
    if (m_remoteActive) m_status->setText(text);
  });
  connect(m_remote, &RemoteEvaluationGenerator::imageReady, this, [this] { updateProgress(); });
  connect(m_remote, &RemoteEvaluationGenerator::finished, this, [this](bool ok, bool cancelled, const QString& message) {
    if (!m_remoteActive) return;  // cancelled from here: the page has already said so
    m_remoteActive = false;
    if (ok) continueGeneration();
    else stopGeneration(cancelled ? tr("Cancelled: the images made so far are kept; Resume goes on from there.")
                                  : tr("Generating on the host failed: %1").arg(message));
  });

  loadSettings();
  // A prompt CSV reads in a blink: check it as soon as the field names a file (not while a path is typed).
  connect(m_promptFile, &QLineEdit::textChanged, this, [this](const QString& path) {
    if (QFileInfo(path.trimmed()).isFile()) {
      checkPromptFile();
    } else {
      showFieldError(m_promptError, QString());
      m_promptInfo->clear();
    }
  });
  connect(m_promptFile, &QLineEdit::editingFinished, this, &EvaluatePage::checkPromptFile);
  connect(m_folder, &QLineEdit::textChanged, this, [this] {
    m_startButton->setText(EvaluationSession::exists(m_folder->text()) ? tr("Resume") : tr("Start"));
  });
  m_startButton->setText(EvaluationSession::exists(m_folder->text()) ? tr("Resume") : tr("Start"));
  setBusy(false);
  openSessionIn(m_folder->text());
}

// LocalGenerator and RemoteEvaluationGenerator cancel and join; votes are already saved. A host
// question left open is answered "no" first, or the remote worker would wait for it forever.
EvaluatePage::~EvaluatePage() {
  if (m_prompts != nullptr) m_prompts->cancel();
}

EvaluatePage::View EvaluatePage::view() const { return static_cast<View>(m_stack->currentIndex()); }

QWidget* EvaluatePage::createSetup() {
  auto* page = new QWidget;
  auto* outer = new QVBoxLayout(page);
  auto* intro = new QLabel(tr("Compare two models blind: both generate every prompt of a prompt set with the same "
                              "seed, you vote on each pair without knowing which model made which image, and the "
                              "models are revealed with their preference rates at the end."),
                           page);
  intro->setWordWrap(true);
  outer->addWidget(intro);
  auto* form = new QFormLayout;
  const auto browseRow = [page](QLineEdit* edit, QLabel* error, const std::function<void()>& browse) {
    auto* box = new QWidget(page);
    auto* v = new QVBoxLayout(box);
    v->setContentsMargins(0, 0, 0, 0);
    auto* h = new QHBoxLayout;
    h->addWidget(edit, 1);
    auto* button = new QPushButton(EvaluatePage::tr("Browse…"), box);
    QObject::connect(button, &QPushButton::clicked, box, browse);
    h->addWidget(button);
    v->addLayout(h);
    v->addWidget(error);
    return box;
  };
  m_modelA = pathField(QStringLiteral("modelA"), page);
  m_modelA->setPlaceholderText(tr("a diffusers model folder (with model_index.json)"));
  m_modelAError = errorLabel(QStringLiteral("modelAError"), page);
  m_modelB = pathField(QStringLiteral("modelB"), page);
  m_modelB->setPlaceholderText(m_modelA->placeholderText());
  m_modelBError = errorLabel(QStringLiteral("modelBError"), page);
  const auto browseModel = [this](QLineEdit* edit) {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Choose a model folder"), edit->text());
    if (!dir.isEmpty()) edit->setText(dir);
  };
  form->addRow(tr("Model &A:"), browseRow(m_modelA, m_modelAError, [=] { browseModel(m_modelA); }));
  form->addRow(tr("Model &B:"), browseRow(m_modelB, m_modelBError, [=] { browseModel(m_modelB); }));
  m_place = new GenerationPlaceFields(form, 0, page);  // above the models, whose paths it qualifies
  const auto placeModels = [this](const GenerationPlace& place) {
    m_modelA->setPlaceholderText(place.remote() ? tr("a diffusers model folder on the host")
                                                : tr("a diffusers model folder (with model_index.json)"));
    m_modelB->setPlaceholderText(m_modelA->placeholderText());
  };
  connect(m_place, &GenerationPlaceFields::placeChanged, this, placeModels);
  m_promptFile = pathField(QStringLiteral("promptFile"), page);
  m_promptFile->setPlaceholderText(tr("CSV with Prompt and Category columns, e.g. DrawBench"));
  m_promptError = errorLabel(QStringLiteral("promptError"), page);
  form->addRow(tr("&Prompt set:"), browseRow(m_promptFile, m_promptError, [this] {
                 const QString file = QFileDialog::getOpenFileName(this, tr("Choose a prompt set"), m_promptFile->text(),
                                                                   tr("CSV files (*.csv);;All files (*)"));
                 if (file.isEmpty()) return;
                 m_promptFile->setText(file);
                 checkPromptFile();
               }));
  m_promptInfo = new QLabel(page);
  m_promptInfo->setObjectName(QStringLiteral("promptInfo"));
  form->addRow(QString(), m_promptInfo);
  m_folder = pathField(QStringLiteral("evaluationFolder"), page);
  m_folder->setPlaceholderText(tr("where images and votes are kept (an existing evaluation is resumed)"));
  m_folderError = errorLabel(QStringLiteral("folderError"), page);
  form->addRow(tr("Evaluation &folder:"), browseRow(m_folder, m_folderError, [this] {
                 const QString dir = QFileDialog::getExistingDirectory(this, tr("Choose an evaluation folder"), m_folder->text());
                 if (!dir.isEmpty()) m_folder->setText(dir);
               }));
  m_steps = new QSpinBox(page);
  m_steps->setObjectName(QStringLiteral("steps"));
  m_steps->setRange(1, 1000);
  m_steps->setValue(30);
  form->addRow(tr("&Steps:"), m_steps);
  m_guidance = new QDoubleSpinBox(page);
  m_guidance->setObjectName(QStringLiteral("guidance"));
  m_guidance->setRange(0.0, 30.0);
  m_guidance->setSingleStep(0.5);
  m_guidance->setValue(7.5);
  form->addRow(tr("&Guidance:"), m_guidance);
  auto* size = new QHBoxLayout;
  m_width = new QSpinBox(page);
  m_width->setObjectName(QStringLiteral("width"));
  m_height = new QSpinBox(page);
  m_height->setObjectName(QStringLiteral("height"));
  for (QSpinBox* s : {m_width, m_height}) {
    s->setRange(8, 2048);
    s->setSingleStep(8);
    s->setValue(512);
    s->setSuffix(tr(" px"));
    size->addWidget(s);
  }
  form->addRow(tr("Si&ze (w × h):"), size);
  // A row of two fields gets no buddy: without one the label shows its '&' instead of a shortcut.
  if (auto* label = qobject_cast<QLabel*>(form->labelForField(size))) label->setBuddy(m_width);
  m_seed = new QLineEdit(QStringLiteral("0"), page);
  m_seed->setObjectName(QStringLiteral("seed"));
  m_seed->setToolTip(tr("Prompt i uses this seed + i, the same for both models."));
  m_seedError = errorLabel(QStringLiteral("seedError"), page);
  QWidget* seedBox = withError(m_seed, m_seedError, page);
  form->addRow(tr("S&eed:"), seedBox);
  if (auto* label = qobject_cast<QLabel*>(form->labelForField(seedBox))) label->setBuddy(m_seed);  // focus the field itself
  outer->addLayout(form);

  auto* buttons = new QHBoxLayout;
  m_startButton = new QPushButton(tr("Start"), page);
  m_startButton->setObjectName(QStringLiteral("startButton"));
  m_startButton->setDefault(true);
  m_startButton->setToolTip(tr("Generate the missing images of both models, then vote."));
  m_cancelButton = new QPushButton(tr("Cancel"), page);
  m_cancelButton->setObjectName(QStringLiteral("cancelButton"));
  m_cancelButton->setToolTip(tr("Stop generating (Esc); images already made are kept and Resume goes on from there."));
  connect(m_startButton, &QPushButton::clicked, this, &EvaluatePage::start);
  connect(m_cancelButton, &QPushButton::clicked, this, &EvaluatePage::cancel);
  buttons->addWidget(m_startButton, 1);
  buttons->addWidget(m_cancelButton);
  outer->addLayout(buttons);
  m_progress = new QProgressBar(page);
  m_progress->setObjectName(QStringLiteral("progress"));
  m_progress->setFormat(tr("%v of %m images"));
  outer->addWidget(m_progress);
  m_status = new QLabel(page);
  m_status->setObjectName(QStringLiteral("statusLabel"));
  m_status->setWordWrap(true);
  outer->addWidget(m_status);
  outer->addStretch(1);
  auto* scroll = new QScrollArea;
  scroll->setWidget(page);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  return scroll;
}

QWidget* EvaluatePage::createVote() {
  auto* page = new QWidget;
  auto* layout = new QVBoxLayout(page);
  m_voteCounter = new QLabel(page);
  m_voteCounter->setObjectName(QStringLiteral("voteCounter"));
  layout->addWidget(m_voteCounter);
  m_votePrompt = new QLabel(page);
  m_votePrompt->setObjectName(QStringLiteral("votePrompt"));
  m_votePrompt->setWordWrap(true);
  m_votePrompt->setTextInteractionFlags(Qt::TextSelectableByMouse);
  QFont big = m_votePrompt->font();
  big.setPointSizeF(big.pointSizeF() * 1.3);
  m_votePrompt->setFont(big);
  layout->addWidget(m_votePrompt);
  auto* images = new QGridLayout;
  m_leftImage = new QLabel(page);
  m_leftImage->setObjectName(QStringLiteral("leftImage"));
  m_rightImage = new QLabel(page);
  m_rightImage->setObjectName(QStringLiteral("rightImage"));
  for (QLabel* l : {m_leftImage, m_rightImage}) {
    l->setMinimumSize(kImageSize, kImageSize);
    l->setAlignment(Qt::AlignCenter);
    l->setFrameShape(QFrame::StyledPanel);
  }
  images->addWidget(new QLabel(tr("Left"), page), 0, 0, Qt::AlignHCenter);
  images->addWidget(new QLabel(tr("Right"), page), 0, 1, Qt::AlignHCenter);
  images->addWidget(m_leftImage, 1, 0);
  images->addWidget(m_rightImage, 1, 1);
  layout->addLayout(images, 1);

  const auto voteRow = [this, page](const QString& title, bool quality, QPushButton** buttons, const QString& keys) {
    auto* box = new QGroupBox(title, page);
    auto* h = new QHBoxLayout(box);
    const QString names[3] = {tr("Left is better"), tr("Right is better"), tr("Tie")};
    const char* ids[3] = {"Left", "Right", "Tie"};
    const EvaluationSession::Side sides[3] = {EvaluationSession::Side::Left, EvaluationSession::Side::Right,
                                              EvaluationSession::Side::Tie};
    for (int i = 0; i < 3; ++i) {
      buttons[i] = new QPushButton(QStringLiteral("%1  [%2]").arg(names[i], keys.at(i)), box);
      buttons[i]->setObjectName(QLatin1String(quality ? "quality" : "alignment") + QLatin1String(ids[i]));
      buttons[i]->setCheckable(true);
      buttons[i]->setAutoExclusive(false);
      buttons[i]->setFocusPolicy(Qt::NoFocus);  // keys vote; Space must not re-click a button
      buttons[i]->setToolTip(tr("%1 (key %2)").arg(names[i], keys.at(i)));
      const EvaluationSession::Side side = sides[i];
      connect(buttons[i], &QPushButton::clicked, this, [this, quality, side] { vote(quality, side); });
      h->addWidget(buttons[i]);
    }
    return box;
  };
  layout->addWidget(voteRow(tr("Image quality: which image looks better?"), true, m_quality, QStringLiteral("123")));
  layout->addWidget(voteRow(tr("Prompt alignment: which image matches the prompt better?"), false, m_alignment,
                            QStringLiteral("QWE")));
  m_voteError = errorLabel(QStringLiteral("voteError"), page);
  layout->addWidget(m_voteError);
  auto* nav = new QHBoxLayout;
  auto* previous = new QPushButton(tr("← Previous"), page);
  previous->setObjectName(QStringLiteral("previousButton"));
  previous->setToolTip(tr("Back to the previous pair to change a vote (Left arrow)."));
  previous->setFocusPolicy(Qt::NoFocus);
  auto* next = new QPushButton(tr("Next →"), page);
  next->setObjectName(QStringLiteral("nextButton"));
  next->setToolTip(tr("The next pair (Right arrow). A pair is done once both questions have a vote."));
  next->setFocusPolicy(Qt::NoFocus);
  connect(previous, &QPushButton::clicked, this, [this] { step(-1); });
  connect(next, &QPushButton::clicked, this, [this] { step(+1); });
  auto* hint = new QLabel(tr("Which model made which image stays hidden until every pair has its votes. "
                             "Votes are saved as you cast them."),
                          page);
  hint->setWordWrap(true);
  nav->addWidget(previous);
  nav->addWidget(hint, 1);
  nav->addWidget(next);
  layout->addLayout(nav);
  page->setFocusPolicy(Qt::StrongFocus);
  return page;
}

QWidget* EvaluatePage::createResults() {
  auto* page = new QWidget;
  auto* layout = new QVBoxLayout(page);
  m_reveal = new QLabel(page);
  m_reveal->setObjectName(QStringLiteral("revealLabel"));
  m_reveal->setWordWrap(true);
  m_reveal->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(m_reveal);
  auto* note = new QLabel(tr("Preference rate = (wins + ties / 2) / votes: a tie counts as half a win for each model. "
                             "Error bars: 95% Wilson score interval. The dashed line is 50% (no preference)."),
                          page);
  note->setObjectName(QStringLiteral("methodNote"));
  note->setWordWrap(true);
  layout->addWidget(note);
  auto* charts = new QHBoxLayout;
  m_qualityChart = new PreferenceChart(page);
  m_qualityChart->setObjectName(QStringLiteral("qualityChart"));
  m_alignmentChart = new PreferenceChart(page);
  m_alignmentChart->setObjectName(QStringLiteral("alignmentChart"));
  charts->addWidget(m_qualityChart);
  charts->addWidget(m_alignmentChart);
  layout->addLayout(charts, 2);
  m_table = new QTableWidget(page);
  m_table->setObjectName(QStringLiteral("summaryTable"));
  m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_table->setColumnCount(7);
  m_table->setHorizontalHeaderLabels({tr("Criterion"), tr("Category"), tr("Votes"), tr("A wins / ties / B wins"),
                                      tr("Model A"), tr("Model B"), tr("95% CI (A)")});
  m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  m_table->verticalHeader()->hide();
  layout->addWidget(m_table, 1);
  auto* buttons = new QHBoxLayout;
  auto* exportButton = new QPushButton(tr("Export CSV…"), page);
  exportButton->setObjectName(QStringLiteral("exportButton"));
  exportButton->setToolTip(tr("Write votes.csv (every vote) and summary.csv (rates and intervals) into a folder."));
  connect(exportButton, &QPushButton::clicked, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Export into folder"), m_session.folder());
    if (!dir.isEmpty()) exportResults(dir);
  });
  auto* again = new QPushButton(tr("New evaluation"), page);
  again->setObjectName(QStringLiteral("newButton"));
  connect(again, &QPushButton::clicked, this, &EvaluatePage::newEvaluation);
  m_exportStatus = new QLabel(page);
  m_exportStatus->setObjectName(QStringLiteral("exportStatus"));
  buttons->addWidget(exportButton);
  buttons->addWidget(m_exportStatus, 1);
  buttons->addWidget(again);
  layout->addLayout(buttons);
  return page;
}

void EvaluatePage::showFieldError(QLabel* label, const QString& message) {
  label->setText(message);
  label->setVisible(!message.isEmpty());
}

void EvaluatePage::checkPromptFile() {
  const QString path = m_promptFile->text().trimmed();
  if (path.isEmpty()) {
    showFieldError(m_promptError, QString());
    m_promptInfo->clear();
    return;
  }
  const PromptSet set = PromptCsv::load(path);
  showFieldError(m_promptError, set.error);
  const int prompts = int(set.prompts.size());
  const int categories = int(set.categories().size());
  m_promptInfo->setText(!set.ok() ? QString()
                                  : (prompts == 1 ? tr("1 prompt") : tr("%1 prompts").arg(prompts)) + QStringLiteral(" · ") +
                                        (categories == 1 ? tr("1 category") : tr("%1 categories").arg(categories)));
}

bool EvaluatePage::validate() {
  bool ok = true;
  const bool remote = m_place->value().remote();
  // A host's folders are checked there, when the job starts.
  for (auto [edit, label] : {std::pair{m_modelA, m_modelAError}, std::pair{m_modelB, m_modelBError}}) {
    const QString path = edit->text().trimmed();
    QString error;
    if (path.isEmpty()) error = tr("Choose a model folder.");
    else if (remote) error.clear();
    else if (!QFileInfo(path).isDir()) error = tr("%1 is not a folder.").arg(path);
    else if (!QDir(path).exists(QStringLiteral("model_index.json")))
      error = tr("%1 has no model_index.json: choose a diffusers model folder.").arg(path);
    showFieldError(label, error);
    ok = ok && error.isEmpty();
  }
  if (m_promptFile->text().trimmed().isEmpty()) {
    showFieldError(m_promptError, tr("Choose a CSV file with Prompt and Category columns."));
    ok = false;
  } else {
    checkPromptFile();
    ok = ok && m_promptError->isHidden();
  }
  ok = m_place->validate() && ok;
  bool seedOk = false;
  m_seed->text().trimmed().toULongLong(&seedOk);
  showFieldError(m_seedError, seedOk ? QString() : tr("The seed must be a whole number from 0 to 18446744073709551615."));
  // tessera generate takes seeds as signed 64-bit numbers.
  if (seedOk && m_place->value().remote() && m_seed->text().trimmed().toULongLong() > quint64(INT64_MAX) - 1000000) {
    showFieldError(m_seedError, tr("On a host the seed must be below 9223372036853775807."));
    seedOk = false;
  }
  ok = ok && seedOk;
  const QString folder = m_folder->text().trimmed();
  QString folderError;
  if (folder.isEmpty()) folderError = tr("Choose a folder for the images and votes.");
  else if (QFileInfo(folder).exists() && !QFileInfo(folder).isDir()) folderError = tr("%1 is a file, not a folder.").arg(folder);
  else if (QDir(folder).exists() && !QDir(folder).isEmpty() && !EvaluationSession::exists(folder))
    folderError = tr("%1 already holds other files: choose an empty or new folder.").arg(folder);
  showFieldError(m_folderError, folderError);
  return ok && folderError.isEmpty();
}

bool EvaluatePage::start() {
  if (m_generating || m_generator->isLoading()) return false;
  const QString folder = m_folder->text().trimmed();
  QString error;
  if (EvaluationSession::exists(folder)) {
    showFieldError(m_folderError, QString());
    if (!m_session.open(folder, &error)) {
      showFieldError(m_folderError, error);
      return false;
    }
  } else {
    if (!validate()) return false;
    EvaluationSettings s;
    s.modelA = QDir::cleanPath(m_modelA->text().trimmed());
    s.modelB = QDir::cleanPath(m_modelB->text().trimmed());
    const GenerationPlace place = m_place->value();
    s.generateOn = place.on;
    s.host = place.host;
    s.tesseraPath = place.tesseraPath;
    s.hostCpu = place.hostCpu;
    s.promptFile = m_promptFile->text().trimmed();
    s.steps = m_steps->value();
    s.width = m_width->value();
    s.height = m_height->value();
    s.guidance = m_guidance->value();
    s.seed = m_seed->text().trimmed().toULongLong();
    s.orderSeed = QRandomGenerator::global()->generate64();
    if (!m_session.create(folder, s, PromptCsv::load(s.promptFile).prompts, &error)) {
      showFieldError(m_folderError, error);
      return false;
    }
  }
  showSessionSettings();
  saveSettings();
  m_startButton->setText(tr("Resume"));
  continueGeneration();
  return true;
}

void EvaluatePage::openSessionIn(const QString& folder) {
  if (!EvaluationSession::exists(folder)) return;
  QString error;
  if (!m_session.open(folder, &error)) {
    m_status->setText(error);
    return;
  }
  showSessionSettings();
  updateProgress();
  if (m_session.isComplete()) showResults();
  else if (m_session.imagesComplete()) showVoting(m_session.firstUnvoted());
  else m_status->setText(tr("An unfinished evaluation is in this folder: Resume generates the images still missing."));
}

void EvaluatePage::showSessionSettings() {
  // A resumed evaluation runs with its own models and settings: the form shows those, not what was typed.
  const EvaluationSettings& s = m_session.settings();
  m_place->setValue({s.generateOn, s.host, s.tesseraPath, s.hostCpu});
  m_modelA->setText(s.modelA);
  m_modelB->setText(s.modelB);
  m_promptFile->setText(s.promptFile);
  m_steps->setValue(s.steps);
  m_width->setValue(s.width);
  m_height->setValue(s.height);
  m_guidance->setValue(s.guidance);
  m_seed->setText(QString::number(s.seed));
}

void EvaluatePage::continueGeneration() {
  updateProgress();
  for (int model = 0; model < 2; ++model) {
    if (m_session.missingImages(model) == 0) continue;
    const QString path = model == 0 ? m_session.settings().modelA : m_session.settings().modelB;
    m_genModel = model;
    m_generating = true;
    setBusy(true);
    if (m_session.settings().generateOn != QLatin1String("local")) {
      m_status->setText(tr("Model %1: starting on the host…").arg(model == 0 ? QStringLiteral("A") : QStringLiteral("B")));
      if (m_prompts == nullptr) m_prompts = new SshPrompts(this);
      m_remoteActive = m_remote->start(m_session, model, m_prompts->connectOptions());
      if (!m_remoteActive) stopGeneration(tr("A generation is still running."));
      return;
    }
    // Which model is generating is not a secret yet: no image has been shown.
    if (m_generator->hasModel() && m_generator->modelPath() == path) {
      handleModelLoaded(true, QString());
    } else {
      m_status->setText(tr("Loading model %1…").arg(model == 0 ? QStringLiteral("A") : QStringLiteral("B")));
      m_generator->loadModel(path);
    }
    return;
  }
  m_generating = false;
  m_genModel = -1;
  setBusy(false);
  QDir(QDir(m_session.folder()).filePath(QStringLiteral("pending"))).removeRecursively();
  m_status->setText(tr("Every image is ready."));
  Q_EMIT generationFinished(true);
  if (m_session.isComplete()) showResults();
  else showVoting(m_session.firstUnvoted());
}

void EvaluatePage::handleModelLoaded(bool ok, const QString& message) {
  if (!m_generating) return;
  if (!ok) {
    stopGeneration(tr("Cannot load model %1: %2").arg(m_genModel == 0 ? QStringLiteral("A") : QStringLiteral("B"), message));
    return;
  }
  const EvaluationSettings& s = m_session.settings();
  const QString tmp = QDir(m_session.folder()).filePath(QStringLiteral("pending"));
  QDir(tmp).removeRecursively();  // the half-written leftovers of an earlier run
  m_jobs.clear();
  for (int i = 0; i < m_session.count(); ++i) {
    if (m_session.hasImage(m_genModel, i)) continue;
    tessera::GenerateOptions options;
    options.prompts = {m_session.items()[i].entry.prompt.toStdString()};
    options.seed = m_session.items()[i].seed;
    options.steps = s.steps;
    options.guidance = s.guidance;
    options.width = s.width;
    options.height = s.height;
    options.out_dir = QDir(tmp).filePath(QString::number(i)).toStdString();
    const quint64 id = m_generator->submit(options);
    if (id == 0) {
      stopGeneration(tr("The model is not loaded."));
      return;
    }
    m_jobs.insert(id, i);
  }
  m_status->setText(tr("Generating the images of model %1…").arg(m_genModel == 0 ? QStringLiteral("A") : QStringLiteral("B")));
}

void EvaluatePage::handleProgress(quint64 id, int, int, int step, int steps) {
  if (!m_jobs.contains(id)) return;
  m_status->setText(tr("Model %1, prompt %2 of %3: step %4 of %5")
                        .arg(m_genModel == 0 ? QStringLiteral("A") : QStringLiteral("B"))
                        .arg(m_jobs.value(id) + 1)
                        .arg(m_session.count())
                        .arg(step)
                        .arg(steps));
}

void EvaluatePage::handleFinished(quint64 id, bool ok, bool cancelled, const QString& message,
                                  const QList<GeneratedEntry>& images) {
  if (!m_jobs.contains(id)) return;
  const int index = m_jobs.take(id);
  if (ok && !images.isEmpty()) {
    const QString target = m_session.imagePath(m_genModel, index);
    QFile::remove(target);
    if (!QFile::rename(images.first().path, target)) {
      stopGeneration(tr("Cannot move %1 to %2.").arg(images.first().path, target));
      return;
    }
  } else if (!cancelled && m_generating) {
    stopGeneration(tr("Generating prompt %1 failed: %2").arg(index + 1).arg(message));
    return;
  }
  updateProgress();
  if (m_jobs.isEmpty() && m_generating) continueGeneration();
}

void EvaluatePage::stopGeneration(const QString& message) {
  for (auto it = m_jobs.constBegin(); it != m_jobs.constEnd(); ++it) m_generator->cancel(it.key());
  m_jobs.clear();
  m_remote->cancel();
  m_remoteActive = false;
  m_generating = false;
  m_genModel = -1;
  setBusy(false);
  m_status->setText(message);
  Q_EMIT generationFinished(false);
}

void EvaluatePage::cancel() {
  if (!m_generating) return;
  stopGeneration(tr("Cancelled: the images made so far are kept; Resume goes on from there."));
}

void EvaluatePage::updateProgress() {
  const int total = 2 * m_session.count();
  m_progress->setRange(0, std::max(1, total));
  m_progress->setValue(total - m_session.missingImages(0) - m_session.missingImages(1));
}

void EvaluatePage::setBusy(bool busy) {
  m_startButton->setEnabled(!busy);
  m_cancelButton->setEnabled(busy);
  m_place->setEnabled(!busy);
  for (QWidget* w : std::initializer_list<QWidget*>{m_modelA, m_modelB, m_promptFile, m_folder, m_steps, m_width,
                                                    m_height, m_guidance, m_seed})
    w->setEnabled(!busy);
}

void EvaluatePage::showVoting(int index) {
  if (index < 0 || index >= m_session.count()) return;
  m_current = index;
  const EvaluationItem& item = m_session.items()[index];
  m_voteCounter->setText(tr("Pair %1 of %2 · %3 voted").arg(index + 1).arg(m_session.count()).arg(m_session.votedCount()));
  m_votePrompt->setText(tr("“%1”  (%2)").arg(item.entry.prompt, item.entry.category));
  const int leftModel = item.aOnLeft ? 0 : 1;
  for (int side = 0; side < 2; ++side) {
    QLabel* label = side == 0 ? m_leftImage : m_rightImage;
    const QPixmap pixmap(m_session.imagePath(side == 0 ? leftModel : 1 - leftModel, index));
    label->setPixmap(pixmap.scaled(kImageSize, kImageSize, Qt::KeepAspectRatio,
                                   pixmap.width() < kImageSize / 2 ? Qt::FastTransformation : Qt::SmoothTransformation));
  }
  // The buttons show this pair's votes by side.
  const auto sideOf = [&item](Vote v) {
    if (v == Vote::Tie) return 2;
    if (v == Vote::None) return -1;
    return (v == Vote::A) == item.aOnLeft ? 0 : 1;
  };
  for (int i = 0; i < 3; ++i) {
    m_quality[i]->setChecked(sideOf(item.quality) == i);
    m_alignment[i]->setChecked(sideOf(item.alignment) == i);
  }
  m_stack->setCurrentIndex(int(View::Vote));
  m_stack->currentWidget()->setFocus();
}

void EvaluatePage::vote(bool quality, EvaluationSession::Side side) {
  if (view() != View::Vote) return;
  QString error;
  const bool saved = quality ? m_session.voteQuality(m_current, side, &error) : m_session.voteAlignment(m_current, side, &error);
  showFieldError(m_voteError, saved ? QString() : error);
  if (!saved) return;
  Q_EMIT voteCast(m_current);
  if (!m_session.isVoted(m_current)) {
    showVoting(m_current);
    return;
  }
  if (m_session.isComplete()) {
    showResults();
    return;
  }
  // On to the next pair without a vote, after this one if there is one.
  int next = -1;
  for (int i = m_current + 1; i < m_session.count() && next < 0; ++i)
    if (!m_session.isVoted(i)) next = i;
  showVoting(next >= 0 ? next : m_session.firstUnvoted());
}

void EvaluatePage::step(int delta) {
  const int index = m_current + delta;
  if (index >= 0 && index < m_session.count()) showVoting(index);
}

void EvaluatePage::showResults() {
  const EvaluationSettings& s = m_session.settings();
  const QString nameA = tr("A: %1").arg(QFileInfo(s.modelA).fileName());
  const QString nameB = tr("B: %1").arg(QFileInfo(s.modelB).fileName());
  m_reveal->setText(tr("Every pair has its votes. Model A was %1; model B was %2.").arg(s.modelA, s.modelB));
  const QList<SummaryRow> rows = m_session.summary();
  QList<SummaryRow> quality, alignment;
  for (const SummaryRow& r : rows) (r.criterion == QLatin1String("quality") ? quality : alignment) << r;
  m_qualityChart->setRows(tr("Image quality"), quality, nameA, nameB);
  m_alignmentChart->setRows(tr("Prompt alignment"), alignment, nameA, nameB);
  m_table->setRowCount(int(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    const SummaryRow& r = rows[i];
    const QStringList cells = {r.criterion == QLatin1String("quality") ? tr("Image quality") : tr("Prompt alignment"),
                               r.category.isEmpty() ? tr("Overall") : r.category,
                               QString::number(r.a.n),
                               QStringLiteral("%1 / %2 / %3").arg(r.a.wins).arg(r.a.ties).arg(r.a.losses),
                               percent(r.a.rate),
                               percent(r.b.rate),
                               QStringLiteral("%1 – %2").arg(percent(r.a.ci.low), percent(r.a.ci.high))};
    for (int c = 0; c < cells.size(); ++c) m_table->setItem(i, c, new QTableWidgetItem(cells[c]));
  }
  m_stack->setCurrentIndex(int(View::Results));
  Q_EMIT evaluationCompleted();
}

bool EvaluatePage::exportResults(const QString& folder) {
  QString error;
  const bool ok = QDir().mkpath(folder) &&
                  m_session.exportVotes(QDir(folder).filePath(QStringLiteral("votes.csv")), &error) &&
                  m_session.exportSummary(QDir(folder).filePath(QStringLiteral("summary.csv")), &error);
  m_exportStatus->setText(ok ? tr("Wrote votes.csv and summary.csv to %1.").arg(folder)
                             : (error.isEmpty() ? tr("Cannot create %1.").arg(folder) : error));
  return ok;
}

void EvaluatePage::newEvaluation() {
  if (m_generating) return;
  m_session = EvaluationSession();
  m_folder->clear();
  QSettings().setValue(key(kFolderKey), QString());  // the finished one is not reopened at the next start
  m_status->clear();
  m_progress->setValue(0);
  m_stack->setCurrentIndex(int(View::Setup));
}

void EvaluatePage::loadSettings() {
  QSettings s;
  m_modelA->setText(s.value(key(kModelAKey)).toString());
  m_modelB->setText(s.value(key(kModelBKey)).toString());
  m_promptFile->setText(s.value(key(kPromptFileKey)).toString());
  m_folder->setText(s.value(key(kFolderKey)).toString());
  m_steps->setValue(s.value(key(kStepsKey), 30).toInt());
  m_width->setValue(s.value(key(kWidthKey), 512).toInt());
  m_height->setValue(s.value(key(kHeightKey), 512).toInt());
  m_guidance->setValue(s.value(key(kGuidanceKey), 7.5).toDouble());
  m_seed->setText(s.value(key(kSeedKey), QStringLiteral("0")).toString());
  m_place->load(s, QStringLiteral("evaluate/"));
  if (!m_promptFile->text().isEmpty()) checkPromptFile();
}

void EvaluatePage::saveSettings() const {
  QSettings s;
  s.setValue(key(kModelAKey), m_modelA->text());
  s.setValue(key(kModelBKey), m_modelB->text());
  s.setValue(key(kPromptFileKey), m_promptFile->text());
  s.setValue(key(kFolderKey), m_folder->text());
  s.setValue(key(kStepsKey), m_steps->value());
  s.setValue(key(kWidthKey), m_width->value());
  s.setValue(key(kHeightKey), m_height->value());
  s.setValue(key(kGuidanceKey), m_guidance->value());
  s.setValue(key(kSeedKey), m_seed->text());
  m_place->save(s, QStringLiteral("evaluate/"));
}
