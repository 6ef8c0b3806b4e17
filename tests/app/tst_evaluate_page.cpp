// The Evaluate page (blind A/B human evaluation): the prompt-set CSV reader (RFC 4180 and its
// errors), the preference statistics against hand-computed Wilson intervals, the session folder
// (sides drawn from a recorded seed, votes stored by model), and the page end to end with the
// golden tiny models: generate both, vote with the keyboard while the models stay hidden, survive
// the page being destroyed mid-vote and mid-generation, reveal, chart and export CSV.

#include "test_support.h"

#include "models/evaluation_session.h"
#include "models/preference_stats.h"
#include "models/prompt_set.h"
#include "pages/evaluate_page.h"
#include "widgets/preference_chart.h"
#include "workers/local_generator.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <cmath>
#include <memory>

Q_DECLARE_METATYPE(QList<PromptEntry>)

namespace {
QList<PromptEntry> entries(std::initializer_list<std::pair<const char*, const char*>> list) {
  QList<PromptEntry> out;
  for (const auto& [p, c] : list) out << PromptEntry{QString::fromUtf8(p), QString::fromUtf8(c)};
  return out;
}
}  // namespace

class TestEvaluatePage : public QObject {
  Q_OBJECT

  QTemporaryDir m_tmp;
  QString m_golden;
  QString m_promptFile;

  template <typename T>
  static T* child(QWidget* page, const char* name) {
    T* w = page->findChild<T*>(QLatin1String(name));
    if (w == nullptr) qFatal("no child %s", name);
    return w;
  }
  // Every label text the user can see on the page right now.
  static QString visibleText(QWidget* page) {
    QString all;
    for (QLabel* l : page->findChildren<QLabel*>())
      if (l->isVisibleTo(page)) all += l->text() + QLatin1Char('\n');
    for (QPushButton* b : page->findChildren<QPushButton*>())
      if (b->isVisibleTo(page)) all += b->text() + QLatin1Char('\n');
    return all;
  }
  std::unique_ptr<EvaluatePage> makePage() {
    auto page = std::make_unique<EvaluatePage>();
    page->resize(1000, 800);
    page->show();
    if (!QTest::qWaitForWindowExposed(page.get())) qFatal("page not exposed");
    page->activateWindow();
    if (!QTest::qWaitForWindowActive(page.get())) qFatal("page not active");  // shortcuts need it
    return page;
  }
  void fill(EvaluatePage* page, const QString& a, const QString& b, const QString& folder) {
    child<QLineEdit>(page, "modelA")->setText(a);
    child<QLineEdit>(page, "modelB")->setText(b);
    child<QLineEdit>(page, "promptFile")->setText(m_promptFile);
    child<QLineEdit>(page, "evaluationFolder")->setText(folder);
    child<QSpinBox>(page, "steps")->setValue(2);
    child<QSpinBox>(page, "width")->setValue(32);
    child<QSpinBox>(page, "height")->setValue(32);
    child<QLineEdit>(page, "seed")->setText(QStringLiteral("42"));
  }
  static void key(EvaluatePage* page, Qt::Key k) {
    QWidget* target = QApplication::focusWidget() != nullptr ? QApplication::focusWidget() : page;
    QTest::keyClick(target, k);
  }

 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("TesseraTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_evaluate_page"));
    QSettings().clear();
    QVERIFY(m_tmp.isValid());
    m_golden = tessera::test::goldenDir();
    m_promptFile = m_tmp.filePath(QStringLiteral("prompts.csv"));
    QFile f(m_promptFile);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("Category,Prompt,Note\r\n"
            "Colors,\"A red cube, on a blue sphere\",x\r\n"
            "Counting,Three apples,\r\n"
            "Colors,\"A \"\"green\"\" bird\",y\r\n");
  }
  void cleanupTestCase() { QSettings().clear(); }

  // --- the prompt-set CSV -------------------------------------------------------------------
  void parsesCsv_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QList<PromptEntry>>("expected");
    QTest::newRow("plain") << QByteArray("Prompt,Category\nA cat,Animals\nA dog,Animals\n")
                           << entries({{"A cat", "Animals"}, {"A dog", "Animals"}});
    QTest::newRow("columns in any order, extra ones ignored")
        << QByteArray("Id,Category,Prompt\n1,Text,A sign\n2,Colors,A red car")
        << entries({{"A sign", "Text"}, {"A red car", "Colors"}});
    QTest::newRow("quoted commas") << QByteArray("Prompt,Category\n\"A cat, a dog, a bird\",\"Counting, hard\"\n")
                                   << entries({{"A cat, a dog, a bird", "Counting, hard"}});
    QTest::newRow("doubled quotes") << QByteArray("Prompt,Category\n\"A sign that says \"\"Hello\"\"\",Text\n")
                                    << entries({{"A sign that says \"Hello\"", "Text"}});
    QTest::newRow("CRLF and a BOM") << QByteArray("\xEF\xBB\xBFPrompt,Category\r\nA cat,Animals\r\nA dog,Misc\r\n")
                                    << entries({{"A cat", "Animals"}, {"A dog", "Misc"}});
    QTest::newRow("line break inside quotes") << QByteArray("Prompt,Category\n\"two\nlines\",Misc\n")
                                              << entries({{"two\nlines", "Misc"}});
    QTest::newRow("blank lines skipped, header case-insensitive")
        << QByteArray("prompt,CATEGORY\n\nA cat,Animals\n\n") << entries({{"A cat", "Animals"}});
    QTest::newRow("UTF-8") << QByteArray("Prompt,Category\nEin Bär im Schnee,Tiere\n") << entries({{"Ein Bär im Schnee", "Tiere"}});
  }
  void parsesCsv() {
    QFETCH(QByteArray, text);
    QFETCH(QList<PromptEntry>, expected);
    const PromptSet set = PromptCsv::parse(text);
    QVERIFY2(set.ok(), qPrintable(set.error));
    QCOMPARE(set.prompts.size(), expected.size());
    for (int i = 0; i < expected.size(); ++i) {
      QCOMPARE(set.prompts[i].prompt, expected[i].prompt);
      QCOMPARE(set.prompts[i].category, expected[i].category);
    }
  }

  void refusesBadCsv_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("message");  // a part of the error
    QTest::newRow("empty") << QByteArray("") << QStringLiteral("empty");
    QTest::newRow("no Category column") << QByteArray("Prompt,Tag\nA cat,x\n") << QStringLiteral("Line 1: the header row");
    QTest::newRow("header only") << QByteArray("Prompt,Category\n") << QStringLiteral("no prompts");
    QTest::newRow("field count") << QByteArray("Prompt,Category\nA cat,Animals\nA dog,Animals,extra\n")
                                 << QStringLiteral("Line 3: 3 fields where the header has 2");
    QTest::newRow("unclosed quote") << QByteArray("Prompt,Category\nA cat,Animals\n\"A dog,Animals\n")
                                    << QStringLiteral("Line 3: a quoted field is never closed");
    QTest::newRow("stray quote") << QByteArray("Prompt,Category\nA \"cat\",Animals\n") << QStringLiteral("Line 2: a quote inside");
    QTest::newRow("text after quote") << QByteArray("Prompt,Category\n\"A cat\" x,Animals\n")
                                      << QStringLiteral("Line 2: text after a closing quote");
    QTest::newRow("line count past a quoted line break")
        << QByteArray("Prompt,Category\n\"two\nlines\",Misc\n,Misc\n") << QStringLiteral("Line 4: the prompt is empty");
  }
  void refusesBadCsv() {
    QFETCH(QByteArray, text);
    QFETCH(QString, message);
    const PromptSet set = PromptCsv::parse(text);
    QVERIFY(!set.ok());
    QVERIFY2(set.error.contains(message), qPrintable(set.error));
    QVERIFY(set.prompts.isEmpty());  // never a partial set
  }

  void quotesExportFields() {
    QCOMPARE(PromptCsv::quote(QStringLiteral("plain")), QStringLiteral("plain"));
    QCOMPARE(PromptCsv::quote(QStringLiteral("a, \"b\"")), QStringLiteral("\"a, \"\"b\"\"\""));
  }

  // --- statistics -----------------------------------------------------------------------------
  void preferenceRateCountsTiesAsHalf() {
    QList<Vote> votes;
    for (int i = 0; i < 7; ++i) votes << Vote::A;
    votes << Vote::Tie << Vote::Tie << Vote::B << Vote::None;  // None: not voted, not counted
    const PreferenceRate a = PreferenceStats::rateForA(votes);
    QCOMPARE(a.n, 10);
    QCOMPARE(a.wins, 7);
    QCOMPARE(a.ties, 2);
    QCOMPARE(a.losses, 1);
    QCOMPARE(a.rate, 0.8);
    // The Wilson score interval, worked out here from its textbook form, and its value computed
    // by hand (Python): [0.490162, 0.943318].
    const double z = 1.96, n = 10, p = 0.8;
    const double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
    const double half = z / (1 + z * z / n) * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n));
    QVERIFY(std::abs(a.ci.low - (centre - half)) < 1e-4);
    QVERIFY(std::abs(a.ci.high - (centre + half)) < 1e-4);
    QVERIFY(std::abs(a.ci.low - 0.490162) < 1e-5);
    QVERIFY(std::abs(a.ci.high - 0.943318) < 1e-5);
    const PreferenceRate b = PreferenceStats::mirrored(a);
    QCOMPARE(b.wins, 1);
    QCOMPARE(b.losses, 7);
    QVERIFY(std::abs(b.rate - 0.2) < 1e-12);
    QVERIFY(std::abs(b.ci.low - (1 - 0.943318)) < 1e-5);  // the interval mirrors too
    QVERIFY(std::abs(b.ci.high - (1 - 0.490162)) < 1e-5);
  }

  void wilsonAtTheEdges() {
    const Interval all = PreferenceStats::wilson(1.0, 5);  // 5 of 5: [0.565518, 1]
    QVERIFY(std::abs(all.low - 0.565518) < 1e-5);
    QCOMPARE(all.high, 1.0);
    const PreferenceRate none = PreferenceStats::rateForA({});
    QCOMPARE(none.n, 0);
    QCOMPARE(none.rate, 0.5);
    QCOMPARE(none.ci.low, 0.0);
    QCOMPARE(none.ci.high, 1.0);
  }

  // --- the session folder ---------------------------------------------------------------------
  void sessionDrawsSidesFromItsSeedAndStoresVotesByModel() {
    const QList<PromptEntry> prompts = PromptCsv::load(m_promptFile).prompts;
    QCOMPARE(prompts.size(), 3);
    EvaluationSettings s;
    s.modelA = QStringLiteral("/models/a");
    s.modelB = QStringLiteral("/models/b");
    s.seed = 100;
    s.orderSeed = 12345;
    EvaluationSession one, two;
    QString error;
    QVERIFY2(one.create(m_tmp.filePath(QStringLiteral("s1")), s, prompts, &error), qPrintable(error));
    QVERIFY(two.create(m_tmp.filePath(QStringLiteral("s2")), s, prompts, &error));
    for (int i = 0; i < 3; ++i) {
      QCOMPARE(one.items()[i].aOnLeft, two.items()[i].aOnLeft);  // reproducible from the recorded seed
      QCOMPARE(one.items()[i].seed, quint64(100 + i));
    }
    // A vote for the left image goes to whichever model is on the left.
    QVERIFY(one.voteQuality(0, EvaluationSession::Side::Left));
    QCOMPARE(one.items()[0].quality, one.items()[0].aOnLeft ? Vote::A : Vote::B);
    QVERIFY(one.voteAlignment(0, EvaluationSession::Side::Tie));
    QVERIFY(one.isVoted(0));
    QCOMPARE(one.firstUnvoted(), 1);
    // Saved at once: a fresh reader sees the votes.
    EvaluationSession again;
    QVERIFY(again.open(one.folder(), &error));
    QCOMPARE(again.items()[0].quality, one.items()[0].quality);
    QCOMPARE(again.items()[0].alignment, Vote::Tie);
    QCOMPARE(again.settings().orderSeed, quint64(12345));
    QCOMPARE(again.items()[2].entry.prompt, QStringLiteral("A \"green\" bird"));
  }

  // --- the page -------------------------------------------------------------------------------
  void refusesWrongFieldsWithoutStarting() {
    auto page = makePage();
    child<QLineEdit>(page.get(), "modelA")->setText(m_tmp.filePath(QStringLiteral("nothing-here")));
    child<QLineEdit>(page.get(), "modelB")->setText(m_tmp.path());  // a folder, but not a model
    const QString bad = m_tmp.filePath(QStringLiteral("bad.csv"));
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("Prompt,Category\nA cat,Animals\n\"oops,Animals\n");
    f.close();
    child<QLineEdit>(page.get(), "promptFile")->setText(bad);
    child<QLineEdit>(page.get(), "seed")->setText(QStringLiteral("-3"));
    const QString folder = m_tmp.filePath(QStringLiteral("refused"));
    child<QLineEdit>(page.get(), "evaluationFolder")->setText(folder);
    QVERIFY(!page->start());
    QVERIFY(child<QLabel>(page.get(), "modelAError")->text().contains(QStringLiteral("not a folder")));
    QVERIFY(child<QLabel>(page.get(), "modelBError")->text().contains(QStringLiteral("model_index.json")));
    QVERIFY2(child<QLabel>(page.get(), "promptError")->text().contains(QStringLiteral("Line 3")),
             qPrintable(child<QLabel>(page.get(), "promptError")->text()));
    QVERIFY(child<QLabel>(page.get(), "seedError")->isVisibleTo(page.get()));
    QVERIFY(!QFileInfo::exists(folder));  // nothing started, nothing written
    QVERIFY(!page->isGenerating());
    QCOMPARE(page->view(), EvaluatePage::View::Setup);
  }

  void blindEvaluationEndToEnd() {
    if (m_golden.isEmpty()) QSKIP("golden reference data not found: set TESSERA_GOLDEN_DIR");
    const QString a = m_golden + QStringLiteral("/tiny-sd2");
    const QString b = m_golden + QStringLiteral("/tiny-sd2-v");
    const QString folder = m_tmp.filePath(QStringLiteral("eval-ab"));
    auto page = makePage();
    fill(page.get(), a, b, folder);
    QCOMPARE(child<QLabel>(page.get(), "promptInfo")->text(), QStringLiteral("3 prompts · 2 categories"));
    QSignalSpy generated(page.get(), &EvaluatePage::generationFinished);
    QTest::mouseClick(child<QPushButton>(page.get(), "startButton"), Qt::LeftButton);
    QVERIFY(page->isGenerating());
    QTRY_COMPARE_WITH_TIMEOUT(generated.count(), 1, 120000);
    QVERIFY2(generated.first().first().toBool(), qPrintable(child<QLabel>(page.get(), "statusLabel")->text()));
    QCOMPARE(child<QProgressBar>(page.get(), "progress")->value(), 6);
    for (int i = 0; i < 3; ++i) {
      QCOMPARE(QImage(page->session().imagePath(0, i)).size(), QSize(32, 32));
      QCOMPARE(QImage(page->session().imagePath(1, i)).size(), QSize(32, 32));
    }

    // Voting: no model name anywhere on screen.
    QCOMPARE(page->view(), EvaluatePage::View::Vote);
    QCOMPARE(page->currentIndex(), 0);
    QVERIFY(!visibleText(page.get()).contains(QStringLiteral("tiny-sd2")));
    QVERIFY(child<QLabel>(page.get(), "votePrompt")->text().contains(QStringLiteral("A red cube, on a blue sphere")));
    QVERIFY(!child<QLabel>(page.get(), "leftImage")->pixmap().isNull());
    QVERIFY(child<QPushButton>(page.get(), "qualityLeft")->toolTip().contains(QStringLiteral("key 1")));
    QVERIFY(child<QPushButton>(page.get(), "alignmentTie")->toolTip().contains(QStringLiteral("key E")));
    const bool aLeft0 = page->session().items()[0].aOnLeft;
    key(page.get(), Qt::Key_1);  // quality: left
    QCOMPARE(page->currentIndex(), 0);  // still one question to answer
    QVERIFY(child<QPushButton>(page.get(), "qualityLeft")->isChecked());
    key(page.get(), Qt::Key_Q);  // alignment: left
    QCOMPARE(page->currentIndex(), 1);
    QCOMPARE(page->session().items()[0].quality, aLeft0 ? Vote::A : Vote::B);
    QCOMPARE(page->session().items()[0].alignment, aLeft0 ? Vote::A : Vote::B);

    // The app closes mid-vote: a new page resumes at the next pair with the vote kept.
    QSettings().sync();
    page.reset();
    page = makePage();
    QCOMPARE(page->view(), EvaluatePage::View::Vote);
    QCOMPARE(page->currentIndex(), 1);
    QCOMPARE(page->session().items()[0].quality, aLeft0 ? Vote::A : Vote::B);
    QVERIFY(!visibleText(page.get()).contains(QStringLiteral("tiny-sd2")));

    const bool aLeft1 = page->session().items()[1].aOnLeft;
    const bool aLeft2 = page->session().items()[2].aOnLeft;
    QSignalSpy completed(page.get(), &EvaluatePage::evaluationCompleted);
    key(page.get(), Qt::Key_2);  // pair 2: quality right, alignment tie
    key(page.get(), Qt::Key_E);
    QCOMPARE(page->currentIndex(), 2);
    QCOMPARE(page->view(), EvaluatePage::View::Vote);
    key(page.get(), Qt::Key_3);  // pair 3: quality tie, alignment right
    key(page.get(), Qt::Key_W);
    QCOMPARE(completed.count(), 1);

    // Revealed.
    QCOMPARE(page->view(), EvaluatePage::View::Results);
    const QString reveal = child<QLabel>(page.get(), "revealLabel")->text();
    QVERIFY2(reveal.contains(a) && reveal.contains(b), qPrintable(reveal));
    QVERIFY(child<QLabel>(page.get(), "methodNote")->text().contains(QStringLiteral("half a win")));
    QVERIFY(child<QLabel>(page.get(), "methodNote")->text().contains(QStringLiteral("Wilson")));
    QCOMPARE(child<PreferenceChart>(page.get(), "qualityChart")->barCount(), 6);  // 2 models x (overall + 2 categories)
    QCOMPARE(child<PreferenceChart>(page.get(), "alignmentChart")->barCount(), 6);

    // Expected quality votes for A: pair 1 left, pair 2 right, pair 3 tie.
    const Vote q[3] = {aLeft0 ? Vote::A : Vote::B, aLeft1 ? Vote::B : Vote::A, Vote::Tie};
    double aQualityWins = 0;
    for (Vote v : q) aQualityWins += v == Vote::A ? 1.0 : v == Vote::Tie ? 0.5 : 0.0;
    Q_UNUSED(aLeft2);

    const QString out = m_tmp.filePath(QStringLiteral("export"));
    QVERIFY(page->exportResults(out));
    QFile votesFile(out + QStringLiteral("/votes.csv"));
    QVERIFY(votesFile.open(QIODevice::ReadOnly));
    QList<QStringList> rows;
    QList<int> lines;
    QString error;
    QVERIFY2(PromptCsv::parseRecords(votesFile.readAll(), &rows, &lines, &error), qPrintable(error));
    QCOMPARE(rows.size(), 4);
    QCOMPARE(rows[0].mid(0, 7), (QStringList{QStringLiteral("index"), QStringLiteral("prompt"), QStringLiteral("category"),
                                             QStringLiteral("seed"), QStringLiteral("left_model"), QStringLiteral("quality"),
                                             QStringLiteral("alignment")}));
    QCOMPARE(rows[1][1], QStringLiteral("A red cube, on a blue sphere"));
    QCOMPARE(rows[3][1], QStringLiteral("A \"green\" bird"));
    QCOMPARE(rows[1][3], QStringLiteral("42"));
    QCOMPARE(rows[2][3], QStringLiteral("43"));
    for (int i = 0; i < 3; ++i) QCOMPARE(rows[i + 1][5], EvaluationSession::voteName(q[i]));
    QCOMPARE(rows[2][6], QStringLiteral("tie"));

    QFile summaryFile(out + QStringLiteral("/summary.csv"));
    QVERIFY(summaryFile.open(QIODevice::ReadOnly));
    QVERIFY(PromptCsv::parseRecords(summaryFile.readAll(), &rows, &lines, &error));
    QCOMPARE(rows.size(), 1 + 2 * 3 * 2);  // header + 2 criteria x (overall + 2 categories) x 2 models
    QCOMPARE(rows[1].mid(0, 5), (QStringList{QStringLiteral("quality"), QStringLiteral("overall"), QStringLiteral("A"),
                                             QDir::cleanPath(a), QStringLiteral("3")}));
    const double rateA = rows[1][8].toDouble();
    QVERIFY(std::abs(rateA - aQualityWins / 3.0) < 1e-6);
    const Interval ci = PreferenceStats::wilson(aQualityWins / 3.0, 3);
    QVERIFY(std::abs(rows[1][9].toDouble() - ci.low) < 1e-6);
    QVERIFY(std::abs(rows[1][10].toDouble() - ci.high) < 1e-6);
    QVERIFY(std::abs(rows[2][8].toDouble() - (1.0 - rateA)) < 1e-6);  // model B's row mirrors A's
  }

  void resumesAnInterruptedGenerationWithTheSameSeeds() {
    if (m_golden.isEmpty()) QSKIP("golden reference data not found: set TESSERA_GOLDEN_DIR");
    const QString model = m_golden + QStringLiteral("/tiny-sd2");
    const QString folder = m_tmp.filePath(QStringLiteral("eval-resume"));
    auto page = makePage();
    fill(page.get(), model, model, folder);  // the same model twice: same seeds must give the same images
    QSignalSpy generated(page.get(), &EvaluatePage::generationFinished);
    // Cancel as soon as the first image is in (tiny models are quick enough to finish otherwise).
    auto* cancelButton = child<QPushButton>(page.get(), "cancelButton");
    connect(child<QProgressBar>(page.get(), "progress"), &QProgressBar::valueChanged, cancelButton, [cancelButton](int v) {
      if (v >= 1 && cancelButton->isEnabled()) QTest::mouseClick(cancelButton, Qt::LeftButton);
    });
    QVERIFY(page->start());
    QTRY_COMPARE_WITH_TIMEOUT(generated.count(), 1, 60000);
    QCOMPARE(generated.first().first().toBool(), false);
    QVERIFY(!page->isGenerating());
    QVERIFY(child<QLabel>(page.get(), "statusLabel")->text().contains(QStringLiteral("Cancelled")));
    const QString first = page->session().imagePath(0, 0);
    QVERIFY(QFileInfo::exists(first));
    const QDateTime firstWritten = QFileInfo(first).lastModified();
    QVERIFY(page->session().missingImages(0) + page->session().missingImages(1) > 0);

    page.reset();
    page = makePage();
    QCOMPARE(page->view(), EvaluatePage::View::Setup);
    QCOMPARE(child<QPushButton>(page.get(), "startButton")->text(), QStringLiteral("Resume"));
    // The form shows the evaluation's own settings, whatever was typed since.
    QCOMPARE(child<QLineEdit>(page.get(), "modelA")->text(), QDir::cleanPath(model));
    QCOMPARE(child<QSpinBox>(page.get(), "steps")->value(), 2);
    child<QSpinBox>(page.get(), "steps")->setValue(7);
    QVERIFY(child<QLabel>(page.get(), "statusLabel")->text().contains(QStringLiteral("unfinished")));
    QSignalSpy resumed(page.get(), &EvaluatePage::generationFinished);
    QTest::mouseClick(child<QPushButton>(page.get(), "startButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(resumed.count(), 1, 120000);
    QVERIFY(resumed.first().first().toBool());
    QCOMPARE(page->view(), EvaluatePage::View::Vote);
    QCOMPARE(QFileInfo(first).lastModified(), firstWritten);  // kept, not generated again
    QCOMPARE(page->session().settings().steps, 2);  // the typed 7 did not change a running evaluation
    QCOMPARE(child<QSpinBox>(page.get(), "steps")->value(), 2);
    for (int i = 0; i < 3; ++i) {
      const QImage ia(page->session().imagePath(0, i));
      const QImage ib(page->session().imagePath(1, i));
      QVERIFY(!ia.isNull());
      QCOMPARE(ia.convertToFormat(QImage::Format_RGB888), ib.convertToFormat(QImage::Format_RGB888));
    }

    // Votes by mouse, and going back to change one.
    const bool aLeft0 = page->session().items()[0].aOnLeft;
    QTest::mouseClick(child<QPushButton>(page.get(), "qualityRight"), Qt::LeftButton);
    QTest::mouseClick(child<QPushButton>(page.get(), "alignmentTie"), Qt::LeftButton);
    QCOMPARE(page->currentIndex(), 1);
    QCOMPARE(page->session().items()[0].quality, aLeft0 ? Vote::B : Vote::A);
    QTest::mouseClick(child<QPushButton>(page.get(), "previousButton"), Qt::LeftButton);
    QCOMPARE(page->currentIndex(), 0);
    QVERIFY(child<QPushButton>(page.get(), "qualityRight")->isChecked());  // the buttons show the votes cast
    QVERIFY(child<QPushButton>(page.get(), "alignmentTie")->isChecked());
    QVERIFY(!child<QPushButton>(page.get(), "qualityLeft")->isChecked());
    key(page.get(), Qt::Key_1);
    QCOMPARE(page->session().items()[0].quality, aLeft0 ? Vote::A : Vote::B);
    QCOMPARE(page->session().items()[0].alignment, Vote::Tie);
    QCOMPARE(page->currentIndex(), 1);  // on to the next pair without votes
    QCOMPARE(page->session().votedCount(), 1);
    QVERIFY(!QFileInfo::exists(folder + QStringLiteral("/pending")));  // no leftovers once every image is in
  }

  // Generate on a GPU host over SSH (the test sshd on 127.0.0.1): the same evaluation, its images
  // made by `tessera generate` on the host and fetched back into the folder, then the voting view.
  // The pixels match this machine's in-process generation (same seeds, same engine).
  void generatesOnAnSshHost() {
    if (m_golden.isEmpty()) QSKIP("golden reference data not found: set TESSERA_GOLDEN_DIR");
    const QString infra = qEnvironmentVariable("TESSERA_INFRA_DIR");
    if (infra.isEmpty()) QSKIP("TESSERA_INFRA_DIR not set: run through ctest, which starts the test sshd");
    const QString user = tessera::test::readText(infra + QStringLiteral("/ssh/user"));
    const QString port = tessera::test::readText(infra + QStringLiteral("/ssh/port"));
    QVERIFY2(!user.isEmpty() && !port.isEmpty(), "test sshd not set up");
    QSettings().setValue(QStringLiteral("ssh/identityFile"), infra + QStringLiteral("/ssh/id_ed25519"));
    QSettings().setValue(QStringLiteral("ssh/knownHostsFile"), infra + QStringLiteral("/ssh/known_hosts"));
    // The host sees the model folders by their absolute, symlink-free paths.
    const QString a = QFileInfo(m_golden + QStringLiteral("/tiny-sd2")).canonicalFilePath();
    const QString b = QFileInfo(m_golden + QStringLiteral("/tiny-sd2-v")).canonicalFilePath();
    const QString folder = m_tmp.filePath(QStringLiteral("eval-remote"));
    auto page = makePage();
    if (page->view() != EvaluatePage::View::Setup) page->newEvaluation();  // the last test's evaluation reopened
    auto* where = child<QComboBox>(page.get(), "generateOn");
    where->setCurrentIndex(where->findData(QStringLiteral("ssh")));
    QVERIFY(child<QLineEdit>(page.get(), "generateHost")->isVisibleTo(page.get()));
    fill(page.get(), a, b, folder);
    QVERIFY(!page->start());  // no host yet
    QVERIFY(child<QLabel>(page.get(), "generateHostError")->isVisibleTo(page.get()));
    child<QLineEdit>(page.get(), "generateHost")->setText(user + QStringLiteral("@127.0.0.1:") + port);
    child<QLineEdit>(page.get(), "generateTessera")->setText(tessera::test::binary(QStringLiteral("tessera")));
    child<QCheckBox>(page.get(), "generateHostCpu")->setChecked(true);  // the test host has no GPU
    QSignalSpy generated(page.get(), &EvaluatePage::generationFinished);
    QVERIFY(page->start());
    QVERIFY(page->isGenerating());
    QTRY_COMPARE_WITH_TIMEOUT(generated.count(), 1, 240000);
    QVERIFY2(generated.first().first().toBool(), qPrintable(child<QLabel>(page.get(), "statusLabel")->text()));
    QCOMPARE(page->view(), EvaluatePage::View::Vote);
    QCOMPARE(page->session().settings().generateOn, QStringLiteral("ssh"));

    // The same prompts and seeds generated here, in process, for comparison.
    LocalGenerator local;
    for (int model = 0; model < 2; ++model) {
      QSignalSpy loaded(&local, &LocalGenerator::modelLoaded);
      local.loadModel(model == 0 ? a : b);
      QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 60000);
      for (int i = 0; i < 3; ++i) {
        QSignalSpy done(&local, &LocalGenerator::jobFinished);
        tessera::GenerateOptions o;
        o.prompts = {page->session().items()[i].entry.prompt.toStdString()};
        o.seed = page->session().items()[i].seed;
        o.steps = 2;
        o.width = 32;
        o.height = 32;
        o.out_dir = m_tmp.filePath(QStringLiteral("local-%1-%2").arg(model).arg(i)).toStdString();
        QVERIFY(local.submit(o) != 0);
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 60000);
        const auto images = done.first().at(4).value<QList<GeneratedEntry>>();
        QCOMPARE(images.size(), 1);
        const QImage here = QImage(images.first().path).convertToFormat(QImage::Format_RGB888);
        const QImage there = QImage(page->session().imagePath(model, i)).convertToFormat(QImage::Format_RGB888);
        QCOMPARE(there.size(), QSize(32, 32));
        int worst = 0;
        for (int y = 0; y < 32; ++y)
          for (int x = 0; x < 32 * 3; ++x)
            worst = std::max(worst, std::abs(int(here.constScanLine(y)[x]) - int(there.constScanLine(y)[x])));
        QVERIFY2(worst <= 2, qPrintable(QStringLiteral("model %1 prompt %2 differs by %3").arg(model).arg(i).arg(worst)));
      }
    }
    QSettings().remove(QStringLiteral("ssh"));
  }
};

QTEST_MAIN(TestEvaluatePage)
#include "tst_evaluate_page.moc"
