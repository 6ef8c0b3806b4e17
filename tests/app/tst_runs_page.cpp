// The Runs page against real local runs: the registry's runs listed, a selected run followed live
// (loss points, event markers, log, final state saved back to the registry), two runs overlaid,
// cancel through the page, and a million-point curve that stays usable. The SSH questions a
// watcher puts to the GUI thread: answered, or cancelled so that closing the page never hangs.

#include "test_support.h"

#include "dialogs/ssh_prompts.h"
#include "models/run_list_model.h"
#include "pages/runs_page.h"
#include "widgets/loss_plot.h"
#include "widgets/rate_plot.h"

#include "tessera/remote/command_runner.h"
#include "tessera/remote/process_launcher.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QImage>
#include <QInputDialog>
#include <QListWidget>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>
#include <QThread>
#include <QTimer>
#include <QSignalSpy>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTableView>
#include <QTemporaryDir>
#include <qcustomplot.h>

#include <chrono>
#include <future>

using namespace tessera::remote;

class TestRunsPage : public QObject {
  Q_OBJECT

  QTemporaryDir m_tmp;
  LocalRunner m_local;

  // A local run of /bin/sh that logs `steps` steps like training does, with a resume event.
  RunRecord launch(const QString& name, int steps, double delay) {
    ProcessLauncher launcher(QStringLiteral("local"), {&m_local});
    LaunchSpec spec;
    spec.runName = name;
    spec.runDir = m_tmp.filePath(name);
    spec.tesseraPath = QStringLiteral("/bin/sh");
    spec.arguments = {QStringLiteral("-c"),
                      QStringLiteral("cd \"$0\" || exit 99; i=0; while [ $i -lt %1 ]; do "
                                     "[ $i = 10 ] && echo \"{\\\"event\\\": \\\"resume\\\", \\\"step\\\": $i}\" >> metrics.jsonl; "
                                     "echo \"{\\\"step\\\": $i, \\\"loss\\\": 1.$i, \\\"lr\\\": 0.0001, \\\"images_per_s\\\": 3.5}\" >> metrics.jsonl; "
                                     "echo \"training step $i\"; i=$((i + 1)); sleep %2; done")
                          .arg(steps)
                          .arg(delay),
                      spec.runDir};
    RunRecord record;
    QString error;
    if (!launcher.launch(spec, &record, &error)) qWarning() << error;
    RunRegistry registry(m_tmp.filePath(QStringLiteral("registry")));
    if (!registry.save(record, &error)) qWarning() << error;
    return record;
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_tmp.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("TesseraTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_runs_page"));
    QSettings().clear();
  }

  void followsARunToItsEnd() {
    const RunRecord record = launch(QStringLiteral("alpha"), 30, 0.02);
    RunsPage page(m_tmp.filePath(QStringLiteral("registry")));
    page.setPollInterval(200);
    page.show();
    auto* table = page.findChild<QTableView*>(QStringLiteral("runTable"));
    QVERIFY(table);
    QCOMPARE(page.model()->rowCount(), 1);
    table->selectRow(0);
    QCOMPARE(page.watchedRuns(), QStringList{record.id});
    QTRY_COMPARE_WITH_TIMEOUT(page.lossPlot()->pointCount(QStringLiteral("alpha")), 30, 20000);
    QCOMPARE(page.lossPlot()->markerCount(), 1);  // the resume
    auto* status = page.findChild<QLabel*>(QStringLiteral("runStatus"));
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("succeeded")), 20000);
    auto* log = page.findChild<QPlainTextEdit*>(QStringLiteral("runLog"));
    QTRY_VERIFY_WITH_TIMEOUT(log->toPlainText().contains(QStringLiteral("training step 29")), 10000);
    auto* throughput = page.findChild<QLabel*>(QStringLiteral("throughput"));
    QVERIFY2(throughput->text().contains(QStringLiteral("3.5 images/s")), qPrintable(throughput->text()));
    // The final state went back to the registry, so the next start of the studio shows it.
    RunRegistry registry(m_tmp.filePath(QStringLiteral("registry")));
    QCOMPARE(registry.find(record.id)->state, RunState::Succeeded);
  }

  void overlaysAndCancels() {
    const RunRecord a = launch(QStringLiteral("beta"), 5, 0.01);
    const RunRecord b = launch(QStringLiteral("gamma"), 100000, 0.05);
    RunsPage page(m_tmp.filePath(QStringLiteral("registry")));
    page.setPollInterval(200);
    page.watchRuns({a.id, b.id});
    QTRY_COMPARE_WITH_TIMEOUT(page.lossPlot()->pointCount(QStringLiteral("beta")), 5, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(page.lossPlot()->pointCount(QStringLiteral("gamma")) > 3, 20000);
    QCOMPARE(page.lossPlot()->runs().size(), 2);
    QSignalSpy state(&page, &RunsPage::runStateChanged);
    page.cancelRun(b.id);
    QTRY_VERIFY_WITH_TIMEOUT(!state.isEmpty() && state.last().at(1).value<RunState>() == RunState::Cancelled, 20000);
    RunRegistry registry(m_tmp.filePath(QStringLiteral("registry")));
    QCOMPARE(registry.find(b.id)->state, RunState::Cancelled);
    page.watchRuns({a.id});
    QCOMPARE(page.lossPlot()->runs(), QStringList{QStringLiteral("beta")});
  }

  // Learning rate and throughput curves; the images of a "sample" event fetched through the run's
  // connection and shown; checkpoints of a run on this machine reported in place; an export of
  // a folder that is no checkpoint fails with the engine's reason.
  void ratesSamplesAndCheckpoints() {
    const QString dir = m_tmp.filePath(QStringLiteral("delta"));
    QImage sample(24, 16, QImage::Format_RGB32);
    sample.fill(QColor(200, 40, 40));
    const QString png = m_tmp.filePath(QStringLiteral("sample.png"));
    QVERIFY(sample.save(png));
    ProcessLauncher launcher(QStringLiteral("local"), {&m_local});
    LaunchSpec spec;
    spec.runName = QStringLiteral("delta");
    spec.runDir = dir;
    spec.tesseraPath = QStringLiteral("/bin/sh");
    spec.arguments = {QStringLiteral("-c"),
                      QStringLiteral("cd \"$0\" || exit 99; mkdir -p samples/step-00000004 checkpoints/step-00000004 && "
                                     "cp \"$1\" samples/step-00000004/7-0.png && : > checkpoints/step-00000004/COMPLETE; "
                                     "for i in 1 2 3 4; do echo \"{\\\"step\\\": $i, \\\"loss\\\": 0.5, \\\"lr\\\": 0.00$i, "
                                     "\\\"images_per_s\\\": 1$i.5}\" >> metrics.jsonl; done; "
                                     "echo \"{\\\"event\\\": \\\"sample\\\", \\\"step\\\": 4, \\\"images\\\": "
                                     "[\\\"$0/samples/step-00000004/7-0.png\\\"]}\" >> metrics.jsonl"),
                      dir, png};
    RunRecord record;
    QString error;
    QVERIFY2(launcher.launch(spec, &record, &error), qPrintable(error));
    RunRegistry registry(m_tmp.filePath(QStringLiteral("registry")));
    QVERIFY2(registry.save(record, &error), qPrintable(error));

    RunsPage page(m_tmp.filePath(QStringLiteral("registry")));
    page.setPollInterval(200);
    QSignalSpy samples(&page, &RunsPage::samplesArrived);
    page.watchRuns({record.id});
    QTRY_COMPARE_WITH_TIMEOUT(page.ratePlot()->pointCount(QStringLiteral("delta")), 4, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(samples.count(), 1, 20000);
    QCOMPARE(page.sampleStrip()->count(), 1);
    QCOMPARE(QImage(samples.first().at(1).toStringList().first()).size(), QSize(24, 16));
    QCOMPARE(page.sampleStrip()->item(0)->text(), QStringLiteral("step-00000004"));

    QSignalSpy fetched(&page, &RunsPage::checkpointsFetched);
    QVERIFY(page.fetchCheckpoints(record.id, m_tmp.filePath(QStringLiteral("fetched"))));
    QTRY_COMPARE_WITH_TIMEOUT(fetched.count(), 1, 20000);
    QVERIFY(fetched.first().at(0).toBool());
    QCOMPARE(fetched.first().at(1).toString(), QFileInfo(dir + QStringLiteral("/checkpoints")).absoluteFilePath());

    QSignalSpy exported(&page, &RunsPage::checkpointExported);
    QVERIFY(page.exportCheckpoint(dir + QStringLiteral("/samples"), m_tmp.filePath(QStringLiteral("export")), QString()));
    QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, 20000);
    QVERIFY(!exported.first().at(0).toBool());
    QVERIFY2(exported.first().at(1).toString().contains(QStringLiteral("checkpoint")), qPrintable(exported.first().at(1).toString()));
  }

  // The questions of a connecting worker thread: a passphrase typed into its dialog reaches the
  // worker; cancel() answers "no" to a question nobody has seen yet, to one whose dialog is open,
  // and to every later one, without the GUI thread doing anything for it.
  void sshQuestionsAreAnsweredOrCancelled() {
    using namespace std::chrono_literals;
    QWidget owner;
    auto* prompts = new SshPrompts(&owner);
    const ConnectOptions options = prompts->connectOptions();
    bool cancelWhenShown = false;
    QTimer user;  // plays the user at whatever dialog is open
    user.setInterval(20);
    connect(&user, &QTimer::timeout, &owner, [&] {
      if (auto* input = qobject_cast<QInputDialog*>(QApplication::activeModalWidget())) {
        input->setTextValue(QStringLiteral("correct horse"));
        input->accept();
      } else if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
        if (cancelWhenShown) prompts->cancel();  // while the question is on screen
        box->button(QMessageBox::Yes)->click();
      }
    });
    user.start();
    auto typed = std::async(std::launch::async, [&] { return options.passphrase(QStringLiteral("Passphrase for key:")); });
    QTRY_VERIFY(typed.wait_for(0ms) == std::future_status::ready);
    QCOMPARE(typed.get(), QStringLiteral("correct horse"));
    HostKeyInfo key;
    key.state = HostKeyInfo::State::Unknown;
    key.keyType = QStringLiteral("ssh-ed25519");
    key.fingerprint = QStringLiteral("SHA256:test");
    auto accepted = std::async(std::launch::async, [&] { return options.acceptUnknownHostKey(key); });
    QTRY_VERIFY(accepted.wait_for(0ms) == std::future_status::ready);
    QVERIFY(accepted.get());  // "Yes" clicked
    // Cancelled while the dialog is open: the worker gets "no", whatever is clicked afterwards.
    cancelWhenShown = true;
    auto refused = std::async(std::launch::async, [&] { return options.acceptUnknownHostKey(key); });
    QTRY_VERIFY(refused.wait_for(0ms) == std::future_status::ready);
    QVERIFY(!refused.get());
    QVERIFY(!options.acceptUnknownHostKey(key));  // and later questions are not put at all
    QCOMPARE(options.passphrase(QStringLiteral("again")), QString());
    user.stop();
    // Never seen: the GUI thread processes no event, and the worker is released by the
    // destructor alone (as when a page closes and waits for its workers).
    auto* unseen = new SshPrompts(&owner);
    const ConnectOptions later = unseen->connectOptions();
    auto waiting = std::async(std::launch::async, [&] { return later.acceptUnknownHostKey(key); });
    QElapsedTimer t;
    t.start();
    while (unseen->pendingQuestions() == 0 && t.elapsed() < 10000) QThread::msleep(5);
    QCOMPARE(unseen->pendingQuestions(), 1);
    delete unseen;
    QCOMPARE(waiting.wait_for(10s), std::future_status::ready);
    QVERIFY(!waiting.get());
  }

  // Closing the page while a watcher waits for the answer to an unknown host key (the test sshd,
  // with a known_hosts file that lacks it) returns: the question is answered "no" and the
  // watcher's thread ends. Before, the page waited for the thread, which waited for the page.
  void closesWhileAHostQuestionIsOpen() {
    const QString infra = qEnvironmentVariable("TESSERA_INFRA_DIR");
    if (infra.isEmpty()) QSKIP("TESSERA_INFRA_DIR not set: run through ctest, which starts the test sshd");
    const QString user = tessera::test::readText(infra + QStringLiteral("/ssh/user"));
    const QString port = tessera::test::readText(infra + QStringLiteral("/ssh/port"));
    QVERIFY2(!user.isEmpty() && !port.isEmpty(), "test sshd not set up");
    const QString knownHosts = m_tmp.filePath(QStringLiteral("empty_known_hosts"));
    QFile empty(knownHosts);
    QVERIFY(empty.open(QIODevice::WriteOnly));
    empty.close();
    QSettings().setValue(QStringLiteral("ssh/identityFile"), infra + QStringLiteral("/ssh/id_ed25519"));
    QSettings().setValue(QStringLiteral("ssh/knownHostsFile"), knownHosts);
    RunRecord record;
    record.id = QStringLiteral("asking-20261127-120000-a5a5");
    record.name = QStringLiteral("asking");
    record.launcher = QStringLiteral("ssh");
    record.hosts = {user + QStringLiteral("@127.0.0.1:") + port};
    record.runDir = QStringLiteral("/tmp/tst_runs_page-asking");
    record.tesseraPath = QStringLiteral("tessera");
    record.state = RunState::Running;
    record.created = record.updated = QDateTime::currentDateTimeUtc();
    const QString folder = m_tmp.filePath(QStringLiteral("registry-asking"));
    QString error;
    QVERIFY2(RunRegistry(folder).save(record, &error), qPrintable(error));
    auto* page = new RunsPage(folder);
    page->watchRuns({record.id});
    auto* prompts = page->findChild<SshPrompts*>();
    QVERIFY(prompts);
    QElapsedTimer t;
    t.start();
    while (prompts->pendingQuestions() == 0 && t.elapsed() < 20000) QThread::msleep(10);  // no events: nobody answers
    QCOMPARE(prompts->pendingQuestions(), 1);
    t.restart();
    delete page;  // hung here before
    QVERIFY2(t.elapsed() < 15000, "closing the page waited for the host question");
    QVERIFY(QFileInfo(knownHosts).size() == 0);  // the refused key was not added
    QSettings().remove(QStringLiteral("ssh"));
  }

  void aMillionPointsStayUsable() {
    LossPlot plot;
    plot.resize(900, 500);
    plot.show();
    QVector<double> steps(1000000), losses(1000000);
    for (int i = 0; i < steps.size(); ++i) {
      steps[i] = i;
      losses[i] = 1.0 / (1.0 + i * 1e-4) + 0.05 * std::sin(i * 0.37);
    }
    QElapsedTimer t;
    t.start();
    for (int chunk = 0; chunk < 100; ++chunk)  // as metrics arrive: in batches
      plot.addPoints(QStringLiteral("big"), steps.mid(chunk * 10000, 10000), losses.mid(chunk * 10000, 10000));
    const qint64 addMs = t.elapsed();
    QCOMPARE(plot.pointCount(QStringLiteral("big")), 1000000);
    t.restart();
    plot.rescale();
    plot.plot()->replot(QCustomPlot::rpImmediateRefresh);
    const qint64 drawMs = t.elapsed();
    t.restart();
    plot.setLogScale(true);
    plot.setSmoothing(0.99);
    plot.plot()->replot(QCustomPlot::rpImmediateRefresh);
    const qint64 restyleMs = t.elapsed();
    qInfo("1,000,000 points: added in %lld ms, drawn in %lld ms, log scale + re-smoothed + drawn in %lld ms", addMs, drawMs,
          restyleMs);
    // Generous bounds: they catch an accidental quadratic path, not a slow machine.
    QVERIFY2(addMs < 5000 && drawMs < 5000 && restyleMs < 10000, "the curve is not fluid with a million points");
  }
};

QTEST_MAIN(TestRunsPage)
#include "tst_runs_page.moc"
