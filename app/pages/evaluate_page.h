#pragma once
// The Evaluate page: a blind human A/B comparison of two models on a prompt set (a CSV with
// Prompt and Category columns, such as DrawBench). Both models generate every prompt with the
// same seed (one model loaded at a time, on LocalGenerator's worker thread, with progress and
// cancel); the pairs are then shown side by side, sides drawn at random per prompt, without model
// names; the user votes on image quality (1 / 2 / 3 = left / right / tie) and prompt alignment
// (Q / W / E). Everything lives in an evaluation folder (EvaluationSession) saved after every
// vote, so closing the app loses nothing and the page resumes where it stopped. At the end the
// models are revealed with each one's preference rate and 95% Wilson interval, overall and per
// category, as bars with error bars, exportable as CSV.

#include "models/evaluation_session.h"

#include <QHash>
#include <QWidget>

class LocalGenerator;
class GenerationPlaceFields;
class RemoteEvaluationGenerator;
class SshPrompts;
class PreferenceChart;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QTableWidget;
struct GeneratedEntry;

class EvaluatePage : public QWidget {
  Q_OBJECT

 public:
  enum class View { Setup, Vote, Results };

  explicit EvaluatePage(QWidget* parent = nullptr);
  ~EvaluatePage() override;

  View view() const;
  const EvaluationSession& session() const { return m_session; }
  bool hasSession() const { return !m_session.folder().isEmpty(); }
  bool isGenerating() const { return m_generating; }
  int currentIndex() const { return m_current; }
  LocalGenerator* generator() const { return m_generator; }
  RemoteEvaluationGenerator* remoteGenerator() const { return m_remote; }

 public Q_SLOTS:
  // Starts a new evaluation from the fields, or resumes the one in the evaluation folder. False
  // (nothing started) when a field is wrong; the reason is shown next to it.
  bool start();
  void cancel();
  // Writes votes.csv and summary.csv into `folder`.
  bool exportResults(const QString& folder);
  void newEvaluation();  // back to the form (the finished evaluation stays in its folder)

 Q_SIGNALS:
  void generationFinished(bool ok);
  void voteCast(int index);
  void evaluationCompleted();

 private:
  QWidget* createSetup();
  QWidget* createVote();
  QWidget* createResults();
  bool validate();
  void showFieldError(QLabel* label, const QString& message);
  void checkPromptFile();
  void openSessionIn(const QString& folder);  // at start-up: resume what the folder holds
  void showSessionSettings();
  void continueGeneration();
  void handleModelLoaded(bool ok, const QString& message);
  void handleProgress(quint64 id, int promptIndex, int promptCount, int step, int steps);
  void handleFinished(quint64 id, bool ok, bool cancelled, const QString& message, const QList<GeneratedEntry>& images);
  void stopGeneration(const QString& message);
  void updateProgress();
  void showVoting(int index);
  void vote(bool quality, EvaluationSession::Side side);
  void step(int delta);
  void showResults();
  void setBusy(bool busy);
  void loadSettings();
  void saveSettings() const;

  LocalGenerator* m_generator = nullptr;
  RemoteEvaluationGenerator* m_remote = nullptr;
  SshPrompts* m_prompts = nullptr;  // host-key and passphrase questions of remote generation
  EvaluationSession m_session;
  QStackedWidget* m_stack = nullptr;

  // Setup.
  GenerationPlaceFields* m_place = nullptr;  // this computer, or a host (then the model paths are there)
  QLineEdit* m_modelA = nullptr;
  QLineEdit* m_modelB = nullptr;
  QLineEdit* m_promptFile = nullptr;
  QLineEdit* m_folder = nullptr;
  QLabel* m_modelAError = nullptr;
  QLabel* m_modelBError = nullptr;
  QLabel* m_promptError = nullptr;
  QLabel* m_promptInfo = nullptr;
  QLabel* m_folderError = nullptr;
  QSpinBox* m_steps = nullptr;
  QSpinBox* m_width = nullptr;
  QSpinBox* m_height = nullptr;
  QDoubleSpinBox* m_guidance = nullptr;
  QLineEdit* m_seed = nullptr;
  QLabel* m_seedError = nullptr;
  QPushButton* m_startButton = nullptr;
  QPushButton* m_cancelButton = nullptr;
  QProgressBar* m_progress = nullptr;
  QLabel* m_status = nullptr;

  // Voting.
  QLabel* m_votePrompt = nullptr;
  QLabel* m_voteCounter = nullptr;
  QLabel* m_leftImage = nullptr;
  QLabel* m_rightImage = nullptr;
  QPushButton* m_quality[3] = {};    // left, right, tie
  QPushButton* m_alignment[3] = {};
  QLabel* m_voteError = nullptr;

  // Results.
  QLabel* m_reveal = nullptr;
  PreferenceChart* m_qualityChart = nullptr;
  PreferenceChart* m_alignmentChart = nullptr;
  QTableWidget* m_table = nullptr;
  QLabel* m_exportStatus = nullptr;

  bool m_generating = false;
  bool m_remoteActive = false;         // a remote generation of this page's is running (its signals count)
  int m_genModel = -1;                 // 0 = A, 1 = B, while generating
  QHash<quint64, int> m_jobs;          // job id -> prompt index
  int m_current = 0;                   // the prompt being voted on
};
