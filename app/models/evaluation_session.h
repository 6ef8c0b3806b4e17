#pragma once
// One blind evaluation, kept in a folder of its own so that it survives the app closing:
// session.json (the two models, the prompts with their seeds, which side each model is shown on,
// and every vote), written atomically after every change, and images/a-NNNN.png, b-NNNN.png.
// Both models get the same seed for a prompt. Which model is on the left is drawn per prompt from
// a recorded order seed, so the presentation can be reproduced and audited afterwards.

#include "models/preference_stats.h"
#include "models/prompt_set.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

struct EvaluationItem {
  PromptEntry entry;
  quint64 seed = 0;
  bool aOnLeft = true;
  Vote quality = Vote::None;    // relative to the models (A/B), not to the sides
  Vote alignment = Vote::None;
};

struct EvaluationSettings {
  QString modelA;
  QString modelB;
  QString promptFile;
  int steps = 30;
  int width = 512;
  int height = 512;
  double guidance = 7.5;
  quint64 seed = 0;        // prompt i uses seed + i, for both models
  quint64 orderSeed = 0;   // draws the left/right sides
  // Where the images are generated: "local" (in this process), or "ssh" / "slurm" through
  // tessera-remote's generation jobs; then modelA/modelB are paths on that host.
  QString generateOn = QStringLiteral("local");
  QString host;            // ssh: [user@]host[:port]; slurm: the login host (empty: this machine)
  QString tesseraPath = QStringLiteral("tessera");  // the binary on that host
  bool hostCpu = false;    // generate on the host's CPU (no GPU asked for or checked)
};

// One row of the summary: a criterion ("quality" or "alignment"), a category ("" = overall).
struct SummaryRow {
  QString criterion;
  QString category;
  PreferenceRate a;
  PreferenceRate b;
};

class EvaluationSession {
  Q_DECLARE_TR_FUNCTIONS(EvaluationSession)

 public:
  static QString sessionFile(const QString& folder);
  static bool exists(const QString& folder);

  // A new session over `prompts`; sides drawn from settings.orderSeed. Writes session.json.
  bool create(const QString& folder, const EvaluationSettings& settings, const QList<PromptEntry>& prompts, QString* error);
  bool open(const QString& folder, QString* error);
  bool save(QString* error = nullptr) const;

  QString folder() const { return m_folder; }
  const EvaluationSettings& settings() const { return m_settings; }
  const QList<EvaluationItem>& items() const { return m_items; }
  int count() const { return int(m_items.size()); }

  // Where model `model` (0 = A, 1 = B) puts the image of prompt `index`.
  QString imagePath(int model, int index) const;
  bool hasImage(int model, int index) const;
  int missingImages(int model) const;
  bool imagesComplete() const { return missingImages(0) == 0 && missingImages(1) == 0; }

  // Votes by side (left/right/tie), stored by model; saved at once.
  enum class Side { Left, Right, Tie };
  bool voteQuality(int index, Side side, QString* error = nullptr);
  bool voteAlignment(int index, Side side, QString* error = nullptr);
  bool isVoted(int index) const;
  int votedCount() const;
  int firstUnvoted() const;  // -1 when every prompt is voted
  bool isComplete() const { return imagesComplete() && firstUnvoted() < 0; }

  QList<SummaryRow> summary() const;  // overall then each category, for quality then alignment
  bool exportVotes(const QString& path, QString* error) const;
  bool exportSummary(const QString& path, QString* error) const;

  static QString voteName(Vote v);  // "A", "B", "tie", ""
  static Vote voteFromName(const QString& s);

 private:
  Vote toVote(int index, Side side) const;

  QString m_folder;
  EvaluationSettings m_settings;
  QList<EvaluationItem> m_items;
};
