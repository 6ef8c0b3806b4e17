// The Train page: presets load and save back to YAML the engine reads the same (every key the form
// does not show kept), edits land in the file, wrong fields are refused where they are typed, the
// engine's own check runs off the GUI thread, the estimate reproduces the reference recipe's cost
// (~$48k on 128 A100s at $2/h), and the launch dialog starts a tiny run on this machine through the
// remote library (the run lands in the registry and finishes) and quotes hostile SSH/Slurm input.

#include "test_support.h"

#include "dialogs/launch_dialog.h"
#include "models/cost_estimate.h"
#include "models/run_config_document.h"
#include "pages/train_page.h"
#include "widgets/cost_estimator.h"

#include "tessera/remote/command_runner.h"
#include "tessera/remote/process_launcher.h"
#include "tessera/remote/run_registry.h"
#include "tessera/remote/shell_quote.h"
#include "tessera/train.h"
#include "training/run_config.h"  // the engine's own reader and writer, to compare configs

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>

using namespace tessera::remote;

class TestTrainPage : public QObject {
  Q_OBJECT

  QTemporaryDir m_tmp;

  template <typename T>
  static T* child(QWidget* w, const char* name) {
    T* c = w->findChild<T*>(QLatin1String(name));
    if (c == nullptr) qFatal("no child %s", name);
    return c;
  }
  // The engine's resolved view of a config file (every key, defaults filled in).
  static std::string engineView(const QString& path) {
    return tessera::training::to_yaml(tessera::training::load_run_config(path.toStdString()));
  }
  QString presetCopy(const QString& name) {
    const QString path = m_tmp.filePath(QStringLiteral("preset-%1.yaml").arg(name));
    QFile::remove(path);
    if (!QFile::copy(TrainPage::presetPath(name), path)) qFatal("cannot copy the preset %s", qPrintable(name));
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    return path;
  }
  // The tiny demo cut to a few steps on the CPU, saved through the page.
  QString tinyConfig(TrainPage& page, const QString& file, int steps) {
    if (!page.loadPreset(QStringLiteral("tiny-demo"))) qFatal("no tiny-demo preset");
    child<QSpinBox>(&page, "steps")->setValue(steps);
    child<QSpinBox>(&page, "saveInterval")->setValue(2);
    child<QSpinBox>(&page, "emaStart")->setValue(1);
    child<QSpinBox>(&page, "warmup")->setValue(1);
    const QString path = m_tmp.filePath(file);
    if (!page.saveConfig(path)) qFatal("cannot save %s", qPrintable(path));
    return path;
  }

 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("TesseraTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_train_page"));
    QSettings().clear();
    QVERIFY(m_tmp.isValid());
  }

  void presetsRoundTrip_data() {
    QTest::addColumn<QString>("preset");
    const QStringList names = TrainPage::presetNames();
    QVERIFY(names.contains(QStringLiteral("sd2-base-256")) && names.contains(QStringLiteral("sd2-base-512")) &&
            names.contains(QStringLiteral("tiny-demo")));
    for (const QString& n : names) QTest::newRow(qPrintable(n)) << n;
  }

  // Load → save untouched → the engine reads exactly the same config (UNet, sampling prompts,
  // noise schedule and every other key the form does not show included).
  void presetsRoundTrip() {
    QFETCH(QString, preset);
    TrainPage page;
    QVERIFY(page.loadPreset(preset));
    QVERIFY(!page.isModified());
    const QString saved = m_tmp.filePath(QStringLiteral("saved-%1.yaml").arg(preset));
    QVERIFY(page.saveConfig(saved));
    QCOMPARE(QString::fromStdString(engineView(saved)), QString::fromStdString(engineView(presetCopy(preset))));
    // And the page reads its own file back to the same fields.
    TrainPage again;
    QVERIFY(again.openConfig(saved));
    QCOMPARE(child<QSpinBox>(&again, "steps")->value(), child<QSpinBox>(&page, "steps")->value());
    QCOMPARE(child<QLineEdit>(&again, "lr")->text(), child<QLineEdit>(&page, "lr")->text());
  }

  void editsLandInTheFile() {
    TrainPage page;
    QVERIFY(page.loadPreset(QStringLiteral("sd2-base-256")));
    child<QLineEdit>(&page, "name")->setText(QStringLiteral("my \"run\": $(whoami)"));
    child<QSpinBox>(&page, "steps")->setValue(1234);
    child<QLineEdit>(&page, "lr")->setText(QStringLiteral("2e-4"));
    child<QSpinBox>(&page, "warmup")->setValue(100);
    child<QGroupBox>(&page, "ema")->setChecked(true);
    child<QSpinBox>(&page, "emaStart")->setValue(1000);
    auto* prediction = child<QComboBox>(&page, "prediction");
    prediction->setCurrentIndex(prediction->findData(QStringLiteral("v_prediction")));
    child<QLineEdit>(&page, "datasetPath")->setText(QStringLiteral("/data/my shards"));
    child<QLineEdit>(&page, "initFrom")->setText(QStringLiteral("/ckpt/step-10"));
    QVERIFY(page.isModified());
    const QString path = m_tmp.filePath(QStringLiteral("edited.yaml"));
    QVERIFY(page.saveConfig(path));
    const auto c = tessera::training::load_run_config(path.toStdString());
    const auto ref = tessera::training::load_run_config(presetCopy(QStringLiteral("sd2-base-256")).toStdString());
    QCOMPARE(QString::fromStdString(c.name), QStringLiteral("my \"run\": $(whoami)"));
    QCOMPARE(c.trainer.max_duration, 1234);
    QCOMPARE(c.optimizer.lr, 2e-4);
    QCOMPARE(c.scheduler.t_warmup, 100);
    QVERIFY(c.ema.enabled);
    QCOMPARE(c.ema.start, 1000);
    QCOMPARE(QString::fromStdString(c.model.prediction_type), QStringLiteral("v_prediction"));
    QCOMPARE(QString::fromStdString(c.dataset.path), QStringLiteral("/data/my shards"));
    QCOMPARE(QString::fromStdString(c.model.init_from), QStringLiteral("/ckpt/step-10"));
    QCOMPARE(c.model.unet_config.dump(), ref.model.unet_config.dump());  // the untouched architecture
    QCOMPARE(c.sampling.prompts, ref.sampling.prompts);
    QVERIFY(!page.isModified());
  }

  // A value the form cannot show exactly (a seed beyond its spin box) survives an untouched save.
  void untouchedKeysKeepTheirOwnText() {
    const QString path = m_tmp.filePath(QStringLiteral("big-seed.yaml"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QFile preset(TrainPage::presetPath(QStringLiteral("tiny-demo")));
    QVERIFY(preset.open(QIODevice::ReadOnly));
    file.write(preset.readAll().replace("seed: 17", "seed: 5000000000"));
    file.close();
    TrainPage page;
    QVERIFY(page.openConfig(path));
    child<QSpinBox>(&page, "steps")->setValue(25);
    QVERIFY(page.saveConfig(path));
    const auto c = tessera::training::load_run_config(path.toStdString());
    QCOMPARE(c.seed, int64_t(5000000000));
    QCOMPARE(c.trainer.max_duration, 25);
  }

  void wrongFieldsAreRefusedWhereTheyAreTyped() {
    TrainPage page;
    QVERIFY(page.loadPreset(QStringLiteral("sd2-base-256")));
    child<QSpinBox>(&page, "imageSize")->setValue(250);
    child<QSpinBox>(&page, "batchSize")->setValue(2000);
    child<QSpinBox>(&page, "microbatch")->setValue(16 * 3);
    child<QLineEdit>(&page, "lr")->setText(QStringLiteral("fast"));
    child<QSpinBox>(&page, "steps")->setValue(50);
    child<QSpinBox>(&page, "warmup")->setValue(100);
    child<QLineEdit>(&page, "datasetPath")->clear();
    const QString path = m_tmp.filePath(QStringLiteral("refused.yaml"));
    QVERIFY(!page.saveConfig(path));
    QVERIFY(!QFile::exists(path));
    QVERIFY(child<QLabel>(&page, "imageSizeError")->text().contains(QStringLiteral("multiple of 8")));
    QVERIFY(child<QLabel>(&page, "batchError")->text().contains(QStringLiteral("2000")));
    QVERIFY(child<QLabel>(&page, "lrError")->isVisibleTo(&page));
    QVERIFY(child<QLabel>(&page, "warmupError")->text().contains(QStringLiteral("longer than the run")));
    QVERIFY(child<QLabel>(&page, "datasetError")->isVisibleTo(&page));
    QVERIFY(!child<QLabel>(&page, "nameError")->isVisibleTo(&page));
    // Fixing a field takes its message away as it is typed.
    child<QSpinBox>(&page, "imageSize")->setValue(256);
    QVERIFY(!child<QLabel>(&page, "imageSizeError")->isVisibleTo(&page));
    child<QLineEdit>(&page, "lr")->setText(QStringLiteral("1e-4"));
    QTest::keyClick(child<QLineEdit>(&page, "lr"), Qt::Key_End);  // an edit, as typed
    QTest::keyClick(child<QLineEdit>(&page, "lr"), Qt::Key_0);
    QVERIFY(!child<QLabel>(&page, "lrError")->isVisibleTo(&page));
  }

  void theEngineChecksTheConfigOffTheGuiThread() {
    TrainPage page;
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&page));
    const QString path = tinyConfig(page, QStringLiteral("check.yaml"), 3);
    QSignalSpy done(&page, &TrainPage::engineCheckFinished);
    QTest::keyClick(&page, Qt::Key_K, Qt::ControlModifier);  // Check
    QVERIFY(page.isChecking());
    QVERIFY(done.wait(60000));
    QVERIFY2(done.first().at(0).toBool(), qPrintable(done.first().at(1).toString()));
    QVERIFY(child<QLabel>(&page, "checkResult")->text().contains(QStringLiteral("accepts")));
    // The CLI agrees about the saved file.
    const auto cli = tessera::test::run(tessera::test::binary(QStringLiteral("tessera")),
                                        {QStringLiteral("train"), QStringLiteral("--config"), path, QStringLiteral("--check")}, 60000);
    QVERIFY2(cli.exitCode == 0, cli.err.constData());

    // A key the engine does not know is reported by the engine, not lost by the studio.
    QFile file(path);
    QVERIFY(file.open(QIODevice::Append));
    file.write("trainer_typo: 3\n");
    file.close();
    QVERIFY(page.openConfig(path));
    done.clear();
    QVERIFY(page.checkWithEngine());
    QVERIFY(done.wait(60000));
    QVERIFY(!done.first().at(0).toBool());
    QVERIFY2(done.first().at(1).toString().contains(QStringLiteral("trainer_typo")), qPrintable(done.first().at(1).toString()));
    QVERIFY(child<QLabel>(&page, "generalError")->text().contains(QStringLiteral("trainer_typo")));
  }

  // mosaicml/diffusion's recipe: 550k steps at 256 px, then 850k at 512 px, batch 2048, on 128
  // A100s at $2/h, plus 3,784 A100-hours of latent precomputation: about $47.7k.
  void referenceRecipeCostsAbout48k() {
    double cost = 0, gpuHours = 0;
    for (const QString& preset : {QStringLiteral("sd2-base-256"), QStringLiteral("sd2-base-512")}) {
      TrainPage page;
      QVERIFY(page.loadPreset(preset));
      child<QSpinBox>(page.estimator(), "estimateGpus")->setValue(128);
      child<QDoubleSpinBox>(page.estimator(), "estimatePrice")->setValue(2.0);
      auto* source = child<QComboBox>(page.estimator(), "estimateSource");
      source->setCurrentIndex(source->findData(int(CostEstimator::Source::Reference)));
      child<QDoubleSpinBox>(page.estimator(), "estimateOverhead")->setValue(kReferenceOverheadPercent);
      child<QDoubleSpinBox>(page.estimator(), "estimateExtraHours")->setValue(0);
      const CostEstimate e = page.estimator()->estimate();
      QVERIFY(e.valid);
      QVERIFY(page.estimator()->summary().contains(QStringLiteral("$")));
      cost += e.cost;
      gpuHours += e.gpuHours;
    }
    gpuHours += kReferenceLatentGpuHours;
    cost += kReferenceLatentGpuHours * 2.0;
    QVERIFY2(std::abs(gpuHours - 23835) < 0.03 * 23835, qPrintable(QString::number(gpuHours)));  // 20,051 + 3,784
    QVERIFY2(std::abs(cost - 47700) < 0.03 * 47700, qPrintable(QString::number(cost)));

    // The arithmetic itself: 1000 steps × 100 images at 10 images/s on 10 GPUs = 1000 s.
    const CostEstimate plain = estimateCost({1000, 100, 10, 10.0, 3.6, 0, 0});
    QCOMPARE(plain.images, 100000.0);
    QVERIFY(qFuzzyCompare(plain.hours, 1000.0 / 3600.0));
    QVERIFY(qFuzzyCompare(plain.cost, 10.0));
    QVERIFY(!estimateCost({1000, 100, 10, 0.0, 2, 0, 0}).valid);
    QCOMPARE(referenceImagesPerSecondPerGpu(256, 8), 137.5);
    QCOMPARE(referenceImagesPerSecondPerGpu(512, 128), 4590.0 / 128.0);
  }

  void throughputFromARunsMetrics() {
    const QString metrics = m_tmp.filePath(QStringLiteral("metrics.jsonl"));
    QFile file(metrics);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"event\": \"start\"}\n");
    for (int i = 0; i < 30; ++i) file.write(QByteArray("{\"step\": ") + QByteArray::number(i) + ", \"images_per_s\": " + (i < 3 ? "5" : "400") + "}\n");
    file.close();
    CostEstimator estimator;
    estimator.setRun(1000, 64, 256);
    QVERIFY(estimator.useMeasuredThroughput(metrics, 4, QStringLiteral("bench")));
    QCOMPARE(estimator.input().imagesPerSecondPerGpu, 100.0);  // the median over 4 ranks; warm-up steps dropped
    QVERIFY(estimator.summary().contains(QStringLiteral("bench")));
    QVERIFY(!estimator.useMeasuredThroughput(m_tmp.filePath(QStringLiteral("none.jsonl")), 1, QStringLiteral("x")));
  }

  // The whole way: the page's config, the dialog, launchRun, `tessera train` as child processes,
  // the registry, and the run finishing.
  void localLaunchRunsToTheEnd() {
    TrainPage page;
    const QString config = tinyConfig(page, QStringLiteral("local.yaml"), 4);
    const QString registryFolder = m_tmp.filePath(QStringLiteral("registry"));
    const QString runDir = m_tmp.filePath(QStringLiteral("runs/tiny local"));
    LaunchDialog dialog(config, QStringLiteral("tiny local"));
    dialog.setRegistryFolder(registryFolder);
    dialog.setTarget(LaunchDialog::Local);
    child<QLineEdit>(&dialog, "localRunDir")->setText(runDir);
    child<QSpinBox>(&dialog, "localRanks")->setValue(1);
    child<QCheckBox>(&dialog, "localCpu")->setChecked(true);
    child<QLineEdit>(&dialog, "tesseraPath")->setText(tessera::test::binary(QStringLiteral("tessera")));
    child<QCheckBox>(&dialog, "preflight")->setChecked(true);
    child<QSpinBox>(&dialog, "minFreeGiB")->setValue(0);
    QSignalSpy finished(&dialog, &LaunchDialog::launchFinished);
    QSignalSpy launched(&dialog, &LaunchDialog::runLaunched);
    QVERIFY(dialog.launch());
    QVERIFY(dialog.isLaunching());  // the GUI thread is free meanwhile
    QVERIFY(finished.wait(60000));
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString() + QLatin1Char('\n') +
                                                          child<QPlainTextEdit>(&dialog, "preflightReport")->toPlainText()));
    QCOMPARE(launched.size(), 1);
    const QString id = launched.first().at(0).toString();

    RunRegistry registry(registryFolder);
    auto record = registry.find(id);
    QVERIFY(record.has_value());
    QCOMPARE(record->launcher, QStringLiteral("local"));
    QCOMPARE(record->name, QStringLiteral("tiny local"));
    QVERIFY(QFile::exists(runDir + QStringLiteral("/config.yaml")));
    LocalRunner runner;
    ProcessLauncher launcher(QStringLiteral("local"), {&runner});
    QString error;
    QElapsedTimer clock;
    clock.start();
    while (!isFinished(record->state) && clock.elapsed() < 240000) {
      QVERIFY2(launcher.refresh(&*record, &error), qPrintable(error));
      if (!isFinished(record->state)) QTest::qWait(500);
    }
    QFile log(runDir + QStringLiteral("/ranks/rank-0.log"));
    (void)log.open(QIODevice::ReadOnly);
    QVERIFY2(record->state == RunState::Succeeded, qPrintable(record->message + QLatin1Char('\n') + QString::fromUtf8(log.readAll())));
    QFile metrics(runDir + QStringLiteral("/metrics.jsonl"));
    QVERIFY(metrics.open(QIODevice::ReadOnly));
    QVERIFY(metrics.readAll().contains("\"step\":4"));
  }

  // Cancel right after Launch: the host checks are still running, so nothing starts or is recorded,
  // and Esc (reject) while launching closes the dialog only once the worker is done.
  void cancelBeforeTheRunStarts() {
    TrainPage page;
    const QString config = tinyConfig(page, QStringLiteral("cancel.yaml"), 4);
    const QString registryFolder = m_tmp.filePath(QStringLiteral("registry-cancel"));
    LaunchDialog dialog(config, QStringLiteral("cancelled"));
    dialog.setRegistryFolder(registryFolder);
    dialog.setTarget(LaunchDialog::Local);
    child<QLineEdit>(&dialog, "localRunDir")->setText(m_tmp.filePath(QStringLiteral("runs/cancelled")));
    child<QCheckBox>(&dialog, "localCpu")->setChecked(true);
    child<QLineEdit>(&dialog, "tesseraPath")->setText(tessera::test::binary(QStringLiteral("tessera")));
    child<QCheckBox>(&dialog, "preflight")->setChecked(true);
    child<QSpinBox>(&dialog, "minFreeGiB")->setValue(0);
    dialog.show();
    QSignalSpy finished(&dialog, &LaunchDialog::launchFinished);
    QVERIFY(dialog.launch());
    dialog.reject();  // Esc while launching: cancel, close when done
    QVERIFY(dialog.isVisible());
    QVERIFY(finished.wait(60000));
    QVERIFY(!finished.first().at(0).toBool());
    QVERIFY2(finished.first().at(1).toString().contains(QStringLiteral("Cancelled")), qPrintable(finished.first().at(1).toString()));
    QVERIFY(!dialog.isVisible());
    QVERIFY(RunRegistry(registryFolder).list().empty());
    QVERIFY(!QFile::exists(m_tmp.filePath(QStringLiteral("runs/cancelled/ranks"))));
  }

  void sshAndSlurmFieldsAreCheckedAndQuoted() {
    QSettings().clear();
    const QString config = presetCopy(QStringLiteral("tiny-demo"));
    LaunchDialog dialog(config, QStringLiteral("it's \"hostile\""));
    dialog.setTarget(LaunchDialog::Ssh);
    child<QPlainTextEdit>(&dialog, "sshHosts")->setPlainText(QString());
    QVERIFY(!dialog.launch());
    QVERIFY(child<QLabel>(&dialog, "sshHostsError")->isVisibleTo(&dialog));
    child<QPlainTextEdit>(&dialog, "sshHosts")->setPlainText(QStringLiteral("alice@node1:2222\nnode two"));
    QVERIFY(!dialog.validate());
    QVERIFY(child<QLabel>(&dialog, "sshHostsError")->text().contains(QStringLiteral("node two")));
    const QString hostile = QStringLiteral("runs/it's $(touch pwned) `touch pwned2` \"a b\" ;x");
    child<QPlainTextEdit>(&dialog, "sshHosts")->setPlainText(QStringLiteral("alice@node1:2222\n  node2  \n"));
    child<QLineEdit>(&dialog, "sshRunDir")->setText(hostile);
    child<QSpinBox>(&dialog, "sshGpusPerHost")->setValue(4);
    QVERIFY(dialog.validate());
    RunLaunchRequest r = dialog.request();
    QCOMPARE(r.launcher, QStringLiteral("ssh"));
    QCOMPARE(r.hosts, (QStringList{QStringLiteral("alice@node1:2222"), QStringLiteral("node2")}));
    QCOMPARE(r.spec.runDir, hostile);
    QCOMPARE(r.spec.gpusPerHost, 4);
    QCOMPARE(r.spec.arguments, trainArguments(hostile + QStringLiteral("/config.yaml"), hostile));
    QVERIFY(checkLaunchRequest(r).isEmpty());

    // The start command of a rank, run by a shell: every argument arrives whole, nothing is executed.
    QTemporaryDir cwd;
    LaunchSpec spec = r.spec;
    spec.tesseraPath = QStringLiteral("printf");
    const QString line = rankLaunchCommand(spec, 0, 1, 8, QStringLiteral("node1"));
    QVERIFY(line.contains(shellQuote(hostile + QStringLiteral("/config.yaml"))));

    // Slurm: the batch script quotes the same input; its srun line, run by bash, passes it whole.
    dialog.setTarget(LaunchDialog::Slurm);
    child<QLineEdit>(&dialog, "slurmRunDir")->setText(hostile);
    child<QLineEdit>(&dialog, "slurmTime")->setText(QStringLiteral("tomorrow"));
    QVERIFY(!dialog.validate());
    QVERIFY(child<QLabel>(&dialog, "slurmError")->text().contains(QStringLiteral("HH:MM:SS")));
    child<QLineEdit>(&dialog, "slurmTime")->setText(QStringLiteral("2-00:00:00"));
    child<QLineEdit>(&dialog, "slurmPartition")->setText(QStringLiteral("gpu;rm -rf ~"));
    QVERIFY(!dialog.validate());
    child<QLineEdit>(&dialog, "slurmPartition")->setText(QStringLiteral("gpu"));
    child<QPlainTextEdit>(&dialog, "slurmExtraLines")->setPlainText(QStringLiteral("#SBATCH --exclusive\nrm -rf ~"));
    QVERIFY(!dialog.validate());
    child<QPlainTextEdit>(&dialog, "slurmExtraLines")->setPlainText(QStringLiteral("#SBATCH --exclusive\n#SBATCH --mem=0"));
    child<QSpinBox>(&dialog, "slurmNodes")->setValue(16);
    child<QSpinBox>(&dialog, "slurmGpusPerNode")->setValue(8);
    QVERIFY(dialog.validate());
    r = dialog.request();
    QCOMPARE(r.launcher, QStringLiteral("slurm"));
    QCOMPARE(r.spec.nodes, 16);
    const QString script = dialog.batchScriptPreview();
    QCOMPARE(child<QPlainTextEdit>(&dialog, "slurmPreview")->toPlainText(), script);
    for (const char* expected : {"#SBATCH --nodes=16", "#SBATCH --ntasks-per-node=8", "#SBATCH --gres=gpu:8", "#SBATCH --time=2-00:00:00",
                                 "#SBATCH --partition=gpu", "#SBATCH --exclusive", "#SBATCH --mem=0", "#SBATCH --job-name=it_s__hostile_"})
      QVERIFY2(script.contains(QLatin1String(expected)), qPrintable(script));
    QString srun;
    for (const QString& l : script.split(QLatin1Char('\n')))
      if (l.startsWith(QLatin1String("srun "))) srun = l;
    QVERIFY(srun.startsWith(QStringLiteral("srun --kill-on-bad-exit=1 ")));
    const QString echo = QStringLiteral("printf '%s\\n' ") + srun.mid(QStringLiteral("srun --kill-on-bad-exit=1 ").size());
    QProcess bash;
    bash.setWorkingDirectory(cwd.path());
    bash.start(QStringLiteral("bash"), {QStringLiteral("-c"), echo});
    QVERIFY(bash.waitForFinished(10000));
    const QStringList words = QString::fromUtf8(bash.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(words, QStringList{r.spec.tesseraPath} + trainArguments(hostile + QStringLiteral("/config.yaml"), hostile));
    QVERIFY(!QFile::exists(cwd.filePath(QStringLiteral("pwned"))) && !QFile::exists(cwd.filePath(QStringLiteral("pwned2"))));
    // The whole script is valid bash.
    QProcess syntax;
    syntax.start(QStringLiteral("bash"), {QStringLiteral("-n"), QStringLiteral("-c"), script});
    QVERIFY(syntax.waitForFinished(10000));
    QCOMPARE(syntax.exitCode(), 0);
  }

  void settingsAreRemembered() {
    const QString path = m_tmp.filePath(QStringLiteral("remembered.yaml"));
    {
      TrainPage page;
      (void)tinyConfig(page, QStringLiteral("remembered.yaml"), 7);
      child<QSpinBox>(page.estimator(), "estimateGpus")->setValue(96);
    }
    TrainPage page;
    QCOMPARE(page.configPath(), QFileInfo(path).absoluteFilePath());
    QCOMPARE(child<QSpinBox>(&page, "steps")->value(), 7);
    QCOMPARE(page.estimator()->input().gpus, 96);
    {
      LaunchDialog dialog(path, QStringLiteral("r"));
      dialog.setTarget(LaunchDialog::Slurm);
      child<QLineEdit>(&dialog, "slurmPartition")->setText(QStringLiteral("a100"));
      child<QLineEdit>(&dialog, "slurmRunDir")->setText(QStringLiteral("/scratch/runs/r"));
      QVERIFY(dialog.validate());
      // Remembered when a launch starts; here the config has no registry to reach, so stop after the save.
      dialog.setRegistryFolder(m_tmp.filePath(QStringLiteral("registry2")));
      child<QLineEdit>(&dialog, "slurmLogin")->setText(QStringLiteral("nosuchhost.invalid"));
      QSignalSpy finished(&dialog, &LaunchDialog::launchFinished);
      QVERIFY(dialog.launch());
      QVERIFY(finished.wait(60000));
      QVERIFY(!finished.first().at(0).toBool());
    }
    LaunchDialog dialog(path, QStringLiteral("next"));
    QCOMPARE(dialog.target(), LaunchDialog::Slurm);
    QCOMPARE(child<QLineEdit>(&dialog, "slurmPartition")->text(), QStringLiteral("a100"));
    QCOMPARE(child<QLineEdit>(&dialog, "slurmRunDir")->text(), QStringLiteral("/scratch/runs/next"));
  }
};

QTEST_MAIN(TestTrainPage)
#include "tst_train_page.moc"
