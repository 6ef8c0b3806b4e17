// The Generate page against the real tiny SD2 model in ../shared/golden: the model loads off the
// GUI thread, Generate (button and Ctrl+Return) writes PNGs that land in the gallery with their
// parameters, Esc cancels without a partial file, img2img starts from an image, wrong input is
// refused at the field without starting a job, and the fields are remembered.

#include "test_support.h"

#include "models/gallery_model.h"
#include "pages/generate_page.h"
#include "workers/local_generator.h"

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFile>
#include <QGroupBox>
#include <QImageReader>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>

class TestGeneratePage : public QObject {
  Q_OBJECT

  QTemporaryDir m_tmp;
  QString m_model;
  GeneratePage* m_page = nullptr;  // one page (one model load) for the generation tests

  template <typename T>
  T* child(const char* name) const {
    T* w = m_page->findChild<T*>(QLatin1String(name));
    if (w == nullptr) qFatal("no child %s", name);
    return w;
  }
  QStringList pngs(const QString& dir) const {
    return QDir(dir).entryList({QStringLiteral("*.png")}, QDir::Files, QDir::Name);
  }
  // The fields of a small, quick job.
  void fillSmallJob(const QString& prompt, int steps, const QString& seed, const QString& outDir) {
    child<QPlainTextEdit>("prompt")->setPlainText(prompt);
    child<QSpinBox>("steps")->setValue(steps);
    child<QCheckBox>("randomSeed")->setChecked(false);
    child<QLineEdit>("seed")->setText(seed);
    child<QSpinBox>("width")->setValue(32);
    child<QSpinBox>("height")->setValue(32);
    child<QSpinBox>("batch")->setValue(1);
    child<QGroupBox>("img2img")->setChecked(false);
    child<QLineEdit>("outputFolder")->setText(outDir);
  }

 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // settings and caches go to a test location
    QCoreApplication::setOrganizationName(QStringLiteral("TesseraTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_generate_page"));
    QSettings().clear();
    QVERIFY(m_tmp.isValid());
    TESSERA_REQUIRE_GOLDEN(golden);
    m_model = golden + QStringLiteral("/tiny-sd2");
    QVERIFY(QDir(m_model).exists(QStringLiteral("model_index.json")));

    m_page = new GeneratePage;
    m_page->resize(1100, 800);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page));
    m_page->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_page));  // the page's shortcuts need an active window
  }

  void cleanupTestCase() {
    delete m_page;
    QSettings().clear();
    // Exported checkpoints go to the (test mode) cache folder.
    QDir(QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/exported-models")).removeRecursively();
  }

  void refusesAModelThatIsNotThere() {
    GeneratePage page;
    QSignalSpy ready(&page, &GeneratePage::modelReady);
    auto* path = page.findChild<QLineEdit*>(QStringLiteral("modelPath"));
    auto* status = page.findChild<QLabel*>(QStringLiteral("modelStatus"));
    path->setText(m_tmp.filePath(QStringLiteral("no-such-model")));
    QTest::mouseClick(page.findChild<QPushButton*>(QStringLiteral("loadButton")), Qt::LeftButton);
    QVERIFY2(status->text().contains(QStringLiteral("not a folder")), qPrintable(status->text()));
    // An empty folder loads (off the GUI thread) and fails with the engine's reason.
    QDir(m_tmp.path()).mkpath(QStringLiteral("empty-model"));
    path->setText(m_tmp.filePath(QStringLiteral("empty-model")));
    QTest::mouseClick(page.findChild<QPushButton*>(QStringLiteral("loadButton")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 30000);
    QCOMPARE(ready.first().first().toBool(), false);
    QVERIFY2(status->text().startsWith(QStringLiteral("Cannot load the model")), qPrintable(status->text()));
    QVERIFY(!page.generator()->hasModel());
    QVERIFY(page.findChild<QPushButton*>(QStringLiteral("loadButton"))->isEnabled());
  }

  void loadsTheModelOffTheGuiThread() {
    QSignalSpy ready(m_page, &GeneratePage::modelReady);
    child<QLineEdit>("modelPath")->setText(m_model);
    QElapsedTimer clicked;
    clicked.start();
    QTest::mouseClick(child<QPushButton>("loadButton"), Qt::LeftButton);
    // The click returns at once with a busy indicator; the GUI thread keeps serving events.
    QVERIFY2(clicked.elapsed() < 1000, "loading blocked the GUI thread");
    QVERIFY(m_page->generator()->isLoading());
    QVERIFY(child<QProgressBar>("loadBusy")->isVisible());
    QVERIFY(!child<QPushButton>("loadButton")->isEnabled());
    QVERIFY(!child<QPushButton>("generateButton")->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 60000);
    QVERIFY2(ready.first().first().toBool(), qPrintable(child<QLabel>("modelStatus")->text()));
    QVERIFY(!child<QProgressBar>("loadBusy")->isVisible());
    QVERIFY(child<QPushButton>("generateButton")->isEnabled());
    QVERIFY(!child<QPushButton>("cancelButton")->isEnabled());
    // The model's own size and sampler are offered.
    const int multiple = m_page->generator()->sizeMultiple();
    QVERIFY(multiple >= 1);
    QCOMPARE(child<QSpinBox>("width")->value(), m_page->generator()->defaultWidth());
    QCOMPARE(child<QSpinBox>("width")->singleStep(), multiple);
    auto* sampler = child<QComboBox>("sampler");
    QVERIFY(sampler->itemText(0).contains(m_page->generator()->defaultSampler()));
    QVERIFY(sampler->findData(QStringLiteral("euler_a")) > 0);
  }

  void generatesIntoTheGallery() {
    QVERIFY(m_page->generator()->hasModel());
    const QString out = m_tmp.filePath(QStringLiteral("out"));
    fillSmallJob(QStringLiteral("a red cube on a table"), 4, QStringLiteral("1234"), out);
    child<QPlainTextEdit>("negativePrompt")->setPlainText(QStringLiteral("blurry"));
    child<QComboBox>("sampler")->setCurrentIndex(child<QComboBox>("sampler")->findData(QStringLiteral("euler")));
    child<QDoubleSpinBox>("guidance")->setValue(5.0);
    QSignalSpy started(m_page, &GeneratePage::generationStarted);
    QSignalSpy finished(m_page, &GeneratePage::generationFinished);
    QSignalSpy progress(m_page->generator(), &LocalGenerator::jobProgressed);
    QTest::mouseClick(child<QPushButton>("generateButton"), Qt::LeftButton);
    QCOMPARE(started.count(), 1);
    QVERIFY(!child<QPushButton>("generateButton")->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QVERIFY2(finished.first().at(1).toBool(), qPrintable(child<QLabel>("statusLabel")->text()));
    QCOMPARE(progress.count(), 4);  // one per step, each with a latent preview
    QVERIFY(!progress.last().at(5).value<QImage>().isNull());
    QVERIFY(!child<QLabel>("preview")->pixmap().isNull());
    QCOMPARE(child<QProgressBar>("progress")->value(), child<QProgressBar>("progress")->maximum());

    QCOMPARE(m_page->gallery()->rowCount(), 1);
    const QString path = m_page->gallery()->index(0, 0).data(GalleryModel::PathRole).toString();
    QVERIFY2(QFileInfo(path).isFile(), qPrintable(path));
    QCOMPARE(pngs(out).size(), 1);
    QImageReader reader(path);
    QCOMPARE(reader.size(), QSize(32, 32));
    QVERIFY(!m_page->gallery()->index(0, 0).data(Qt::DecorationRole).value<QImage>().isNull());
    // The newest image is selected and its parameters (as stored in the PNG) are shown.
    auto* params = child<QPlainTextEdit>("parameters");
    const QString text = params->toPlainText();
    QVERIFY2(text.startsWith(QStringLiteral("a red cube on a table")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Negative prompt: blurry")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Seed: 1234")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Steps: 4")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Size: 32x32")), qPrintable(text));
    QCOMPARE(reader.text(QStringLiteral("parameters")), text.simplified());  // Qt's PNG reader folds the lines
    QTest::mouseClick(child<QPushButton>("copyButton"), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), text);
    QVERIFY(child<QPushButton>("generateButton")->isEnabled());
    QVERIFY(!child<QPushButton>("cancelButton")->isEnabled());
  }

  void ctrlReturnGeneratesAndEscCancels() {
    const QString out = m_tmp.filePath(QStringLiteral("cancel"));
    // Long enough that it cannot end before the cancel lands: 500 steps, 64x64, a batch of 2.
    fillSmallJob(QStringLiteral("a slow job"), 500, QStringLiteral("7"), out);
    child<QSpinBox>("width")->setValue(64);
    child<QSpinBox>("height")->setValue(64);
    child<QSpinBox>("batch")->setValue(2);
    QSignalSpy started(m_page, &GeneratePage::generationStarted);
    QSignalSpy finished(m_page, &GeneratePage::generationFinished);
    QSignalSpy progress(m_page->generator(), &LocalGenerator::jobProgressed);
    child<QPlainTextEdit>("prompt")->setFocus();
    QTest::keyClick(child<QPlainTextEdit>("prompt"), Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(started.count(), 1);
    QCOMPARE(child<QPlainTextEdit>("prompt")->toPlainText(), QStringLiteral("a slow job"));  // no newline typed
    QTRY_VERIFY_WITH_TIMEOUT(progress.count() >= 2 || !finished.isEmpty(), 60000);
    QVERIFY2(finished.isEmpty(), qPrintable(child<QLabel>("statusLabel")->text()));
    QVERIFY(child<QPushButton>("cancelButton")->isEnabled());
    QTest::keyClick(child<QPlainTextEdit>("prompt"), Qt::Key_Escape);
    QVERIFY(!child<QPushButton>("cancelButton")->isEnabled());  // pressed once, until it ends
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QCOMPARE(finished.first().at(1).toBool(), false);
    QCOMPARE(finished.first().at(2).toBool(), true);  // cancelled, not failed
    QVERIFY(progress.last().at(3).toInt() < 500);
    QCOMPARE(pngs(out), QStringList());  // nothing of the unfinished batch
    QCOMPARE(m_page->gallery()->rowCount(), 0);  // the gallery shows the (empty) output folder
    QVERIFY2(child<QLabel>("statusLabel")->text().contains(QStringLiteral("Cancelled")),
             qPrintable(child<QLabel>("statusLabel")->text()));
    QVERIFY(child<QPushButton>("generateButton")->isEnabled());
    QVERIFY(child<QPushButton>("loadButton")->isEnabled());
    QVERIFY(!child<QPushButton>("cancelButton")->isEnabled());
    QCOMPARE(m_page->generator()->pending(), 0);
  }

  void reportsWhatTheEngineRefuses() {
    // The tiny model's scheduler cannot take 1000 steps; only the engine knows: its reason is shown.
    const QString out = m_tmp.filePath(QStringLiteral("failed"));
    fillSmallJob(QStringLiteral("too many steps"), 1000, QStringLiteral("3"), out);
    QSignalSpy finished(m_page, &GeneratePage::generationFinished);
    QVERIFY(m_page->generate());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QCOMPARE(finished.first().at(1).toBool(), false);
    QCOMPARE(finished.first().at(2).toBool(), false);  // failed, not cancelled
    const QString status = child<QLabel>("statusLabel")->text();
    QVERIFY2(status.startsWith(QStringLiteral("Generation failed")) && status.contains(QStringLiteral("steps")),
             qPrintable(status));
    QCOMPARE(pngs(out), QStringList());
    QVERIFY(child<QPushButton>("generateButton")->isEnabled());
    QVERIFY(!child<QPushButton>("cancelButton")->isEnabled());
  }

  void startsFromAnImage() {
    const QString first = m_tmp.filePath(QStringLiteral("out"));
    QCOMPARE(pngs(first).size(), 1);  // from generatesIntoTheGallery
    const QString init = first + QLatin1Char('/') + pngs(first).first();
    const QString out = m_tmp.filePath(QStringLiteral("img2img"));
    fillSmallJob(QStringLiteral("the same cube, in blue"), 4, QStringLiteral("99"), out);
    child<QSpinBox>("batch")->setValue(2);
    child<QGroupBox>("img2img")->setChecked(true);
    child<QLineEdit>("initImage")->setText(init);
    child<QDoubleSpinBox>("strength")->setValue(0.5);
    QSignalSpy finished(m_page, &GeneratePage::generationFinished);
    QVERIFY(m_page->generate());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QVERIFY2(finished.first().at(1).toBool(), qPrintable(child<QLabel>("statusLabel")->text()));
    QCOMPARE(pngs(out).size(), 2);  // the batch of two
    const QString text = child<QPlainTextEdit>("parameters")->toPlainText();
    QVERIFY2(text.contains(QStringLiteral("Denoising strength: 0.5")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Seed: 99")), qPrintable(text));
  }

  void loadsATrainingCheckpoint() {
    // A one-step `tessera train` run of the tiny UNet, with the tiny model's VAE and text encoder:
    // the page exports the checkpoint to a model folder (off the GUI thread) and generates from it.
    const QString work = m_tmp.filePath(QStringLiteral("train"));
    QVERIFY(QDir().mkpath(work));
    QFile config(work + QStringLiteral("/run.yaml"));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(QStringLiteral(R"(name: studio-tiny
seed: 5
batch_size: 2
model:
  unet:
    block_out_channels: [32, 64]
    down_block_types: [CrossAttnDownBlock2D, DownBlock2D]
    up_block_types: [UpBlock2D, CrossAttnUpBlock2D]
    layers_per_block: 1
    attention_head_dim: [2, 4]
    cross_attention_dim: 32
    norm_num_groups: 8
    sample_size: 8
    use_linear_projection: true
  pretrained_components: %1
dataset:
  kind: synthetic_latents
  synthetic_samples: 4
  latent_size: 8
  text_tokens: 8
  text_dim: 32
trainer:
  max_duration: 1
  device_train_microbatch_size: 2
  save_interval: 1
  device: cpu
)")
                     .arg(m_model)
                     .toUtf8());
    config.close();
    const auto r = tessera::test::run(tessera::test::binary(QStringLiteral("tessera")),
                                      {QStringLiteral("--threads"), QStringLiteral("1"), QStringLiteral("train"),
                                       QStringLiteral("--config"), config.fileName(), QStringLiteral("--run-dir"),
                                       work + QStringLiteral("/run")});
    QVERIFY2(r.exitCode == 0 && !r.crashed, r.err.constData());
    const QStringList steps = QDir(work + QStringLiteral("/run/checkpoints")).entryList({QStringLiteral("step-*")}, QDir::Dirs);
    QVERIFY2(!steps.isEmpty(), "the run wrote no checkpoint");
    const QString checkpoint = work + QStringLiteral("/run/checkpoints/") + steps.last();
    QVERIFY(LocalGenerator::isTesseraCheckpoint(checkpoint));
    QVERIFY(!LocalGenerator::isTesseraCheckpoint(m_model));

    GeneratePage page;
    QSignalSpy ready(&page, &GeneratePage::modelReady);
    QSignalSpy finished(&page, &GeneratePage::generationFinished);
    page.findChild<QLineEdit*>(QStringLiteral("modelPath"))->setText(checkpoint);
    QTest::mouseClick(page.findChild<QPushButton*>(QStringLiteral("loadButton")), Qt::LeftButton);
    auto* status = page.findChild<QLabel*>(QStringLiteral("modelStatus"));
    QVERIFY2(status->text().contains(QStringLiteral("checkpoint")), qPrintable(status->text()));
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 120000);
    QVERIFY2(ready.first().first().toBool(), qPrintable(status->text()));
    const QString out = m_tmp.filePath(QStringLiteral("from-checkpoint"));
    page.findChild<QPlainTextEdit*>(QStringLiteral("prompt"))->setPlainText(QStringLiteral("a trained cube"));
    page.findChild<QSpinBox*>(QStringLiteral("steps"))->setValue(2);
    page.findChild<QSpinBox*>(QStringLiteral("width"))->setValue(16);
    page.findChild<QSpinBox*>(QStringLiteral("height"))->setValue(16);
    page.findChild<QSpinBox*>(QStringLiteral("batch"))->setValue(1);
    page.findChild<QGroupBox*>(QStringLiteral("img2img"))->setChecked(false);
    page.findChild<QLineEdit*>(QStringLiteral("outputFolder"))->setText(out);
    QVERIFY(page.generate());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QVERIFY2(finished.first().at(1).toBool(), qPrintable(page.findChild<QLabel*>(QStringLiteral("statusLabel"))->text()));
    QCOMPARE(pngs(out).size(), 1);
  }

  void showsTheImagesAlreadyInTheFolder() {
    // A new page lists what earlier sessions wrote to its output folder, parameters as stored.
    const QString out = m_tmp.filePath(QStringLiteral("img2img"));
    QCOMPARE(pngs(out).size(), 2);
    QSettings().setValue(QStringLiteral("generate/outputFolder"), out);
    GeneratePage page;
    QTRY_COMPARE_WITH_TIMEOUT(page.gallery()->rowCount(), 2, 20000);
    QTRY_VERIFY(!page.isScanningFolder());
    for (int row = 0; row < 2; ++row) {
      const QModelIndex index = page.gallery()->index(row, 0);
      const QString path = index.data(GalleryModel::PathRole).toString();
      const int shown = m_page->gallery()->rowOf(path);  // the same image, as the engine reported it
      QVERIFY2(shown >= 0, qPrintable(path));
      QCOMPARE(index.data(GalleryModel::ParametersRole).toString(), m_page->gallery()->entry(shown).parameters);
      QCOMPARE(index.data(GalleryModel::SeedRole).toULongLong(), m_page->gallery()->entry(shown).seed);
      QCOMPARE(index.data(GalleryModel::PromptRole).toString(), QStringLiteral("the same cube, in blue"));
      QVERIFY(!index.data(Qt::DecorationRole).value<QImage>().isNull());
    }
    // Another folder replaces the list.
    auto* folder = page.findChild<QLineEdit*>(QStringLiteral("outputFolder"));
    folder->setText(m_tmp.filePath(QStringLiteral("out")));
    Q_EMIT folder->editingFinished();
    QTRY_COMPARE_WITH_TIMEOUT(page.gallery()->rowCount(), 1, 20000);
    QVERIFY(page.gallery()->entry(0).parameters.contains(QStringLiteral("Seed: 1234")));
    QCOMPARE(GalleryModel::readParameters(m_tmp.filePath(QStringLiteral("no.png"))), QString());
  }

  void generateLoadsTheModelFirst() {
    // Generate on a page whose model is only named (as after a restart): it loads, then generates.
    const QString out = m_tmp.filePath(QStringLiteral("load-then-generate"));
    QSettings settings;
    settings.setValue(QStringLiteral("generate/model"), m_model);
    settings.setValue(QStringLiteral("generate/outputFolder"), out);
    settings.setValue(QStringLiteral("generate/prompt"), QStringLiteral("a green sphere"));
    settings.setValue(QStringLiteral("generate/steps"), 2);
    settings.setValue(QStringLiteral("generate/width"), 16);
    settings.setValue(QStringLiteral("generate/height"), 16);
    settings.setValue(QStringLiteral("generate/batch"), 1);
    settings.setValue(QStringLiteral("generate/img2img"), false);
    GeneratePage page;
    QVERIFY(!page.generator()->hasModel());
    QSignalSpy ready(&page, &GeneratePage::modelReady);
    QSignalSpy finished(&page, &GeneratePage::generationFinished);
    QVERIFY(!page.generate());  // nothing started yet: the model loads first
    QVERIFY(page.generator()->isLoading());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QCOMPARE(ready.count(), 1);
    QVERIFY2(finished.first().at(1).toBool(), qPrintable(page.findChild<QLabel*>(QStringLiteral("statusLabel"))->text()));
    QCOMPARE(pngs(out).size(), 1);
    QTRY_COMPARE(page.gallery()->rowCount(), 1);
  }

  void refusesBadInput_data() {
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<int>("width");
    QTest::addColumn<QString>("seed");
    QTest::addColumn<QString>("initImage");
    QTest::addColumn<QString>("errorLabel");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty prompt") << QString() << 32 << "1" << QString() << "promptError" << "Enter a prompt";
    QTest::newRow("blank prompt") << "  \n " << 32 << "1" << QString() << "promptError" << "Enter a prompt";
    QTest::newRow("width off the grid") << "a cat" << 33 << "1" << QString() << "sizeError" << "multiples of";
    QTest::newRow("seed not a number") << "a cat" << 32 << "abc" << QString() << "seedError" << "whole number";
    QTest::newRow("seed negative") << "a cat" << 32 << "-5" << QString() << "seedError" << "whole number";
    QTest::newRow("init image missing") << "a cat" << 32 << "1" << "/no/such/image.png" << "initError" << "does not exist";
  }

  void refusesBadInput() {
    QFETCH(QString, prompt);
    QFETCH(int, width);
    QFETCH(QString, seed);
    QFETCH(QString, initImage);
    QFETCH(QString, errorLabel);
    QFETCH(QString, message);
    if (m_page->generator()->sizeMultiple() == 1 && errorLabel == QStringLiteral("sizeError"))
      QSKIP("this model takes any size");
    const QString out = m_tmp.filePath(QStringLiteral("refused"));
    fillSmallJob(prompt, 2, seed, out);
    child<QSpinBox>("width")->setValue(width);
    child<QGroupBox>("img2img")->setChecked(!initImage.isEmpty());
    child<QLineEdit>("initImage")->setText(initImage);
    const int before = m_page->gallery()->rowCount();
    QSignalSpy started(m_page, &GeneratePage::generationStarted);
    QTest::mouseClick(child<QPushButton>("generateButton"), Qt::LeftButton);
    auto* label = m_page->findChild<QLabel*>(errorLabel);
    QVERIFY(label);
    QVERIFY2(label->isVisible() && label->text().contains(message), qPrintable(label->text()));
    QVERIFY(child<QLabel>("statusLabel")->text().contains(QStringLiteral("Nothing started")));
    QCOMPARE(started.count(), 0);
    QCOMPARE(m_page->currentJob(), quint64(0));
    QCOMPARE(m_page->generator()->pending(), 0);
    QCOMPARE(m_page->gallery()->rowCount(), before);
    QVERIFY(!QDir(out).exists() || pngs(out).isEmpty());
    // Fixing the field takes the message away as it is typed.
    fillSmallJob(QStringLiteral("a cat"), 2, QStringLiteral("1"), out);
    child<QGroupBox>("img2img")->setChecked(false);
    QVERIFY2(label->isHidden(), qPrintable(label->text()));
  }

  void remembersTheFields() {
    {
      GeneratePage writer;  // a page saves its fields when it goes away
      writer.findChild<QPlainTextEdit*>(QStringLiteral("prompt"))->setPlainText(QStringLiteral("remember me"));
      writer.findChild<QSpinBox*>(QStringLiteral("steps"))->setValue(17);
      writer.findChild<QCheckBox*>(QStringLiteral("randomSeed"))->setChecked(false);
      writer.findChild<QLineEdit*>(QStringLiteral("seed"))->setText(QStringLiteral("4242"));
      writer.findChild<QComboBox*>(QStringLiteral("sampler"))->setCurrentIndex(
          writer.findChild<QComboBox*>(QStringLiteral("sampler"))->findData(QStringLiteral("dpmpp_2m")));
      writer.findChild<QSpinBox*>(QStringLiteral("batch"))->setValue(3);
      writer.findChild<QLineEdit*>(QStringLiteral("outputFolder"))->setText(m_tmp.filePath(QStringLiteral("kept")));
      writer.findChild<QLineEdit*>(QStringLiteral("modelPath"))->setText(m_model);
    }
    GeneratePage page;
    QCOMPARE(page.findChild<QPlainTextEdit*>(QStringLiteral("prompt"))->toPlainText(), QStringLiteral("remember me"));
    QCOMPARE(page.findChild<QSpinBox*>(QStringLiteral("steps"))->value(), 17);
    QCOMPARE(page.findChild<QLineEdit*>(QStringLiteral("seed"))->text(), QStringLiteral("4242"));
    QVERIFY(!page.findChild<QCheckBox*>(QStringLiteral("randomSeed"))->isChecked());
    QCOMPARE(page.findChild<QComboBox*>(QStringLiteral("sampler"))->currentData().toString(), QStringLiteral("dpmpp_2m"));
    QCOMPARE(page.findChild<QSpinBox*>(QStringLiteral("batch"))->value(), 3);
    QCOMPARE(page.findChild<QLineEdit*>(QStringLiteral("outputFolder"))->text(), m_tmp.filePath(QStringLiteral("kept")));
    QCOMPARE(page.findChild<QLineEdit*>(QStringLiteral("modelPath"))->text(), m_model);
  }

  void defaultOutputFolderIsUnderPictures() {
    const QString dir = GeneratePage::defaultOutputFolder();
    QVERIFY(dir.endsWith(QStringLiteral("/Tessera")));
    QVERIFY(dir.startsWith(QStandardPaths::writableLocation(QStandardPaths::PicturesLocation)));
  }
};

QTEST_MAIN(TestGeneratePage)
#include "tst_generate_page.moc"
