// Remote generation against the real test services (started by CTest): `tessera generate` with the
// golden tiny model run "on a GPU host" over SSH (the test sshd's user), here through the local
// launcher, and as a job of the test Slurm cluster — each time the images come back and equal, byte
// for byte, those of a plain local `tessera generate` with the same seed (the job is given this
// machine's OpenBLAS kernel choice, which a login over SSH does not inherit). Hostile prompts, negative
// prompts and job folders reach the host literally; a missing model and a failing job give one
// clear error naming the host, the command and what it printed. Also `tessera-remote generate`.

#include "hostile_corpus.h"
#include "test_support.h"

#include "tessera/remote/remote_generation.h"
#include "tessera/remote/ssh_session.h"

#include <QtEndian>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>

#include <csignal>
#include <thread>

using namespace tessera::remote;

class TestRemoteGenerate : public QObject {
  Q_OBJECT

  QString m_sshDir;
  QString m_destination;
  QString m_model;
  QString m_remoteRoot;  // in the test user's home on the "GPU host"
  QTemporaryDir m_tmp;
  QString m_referenceDir;

  int infraScript(const QString& name) const {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("INFRA_DIR"), qEnvironmentVariable("TESSERA_INFRA_DIR"));
    return tessera::test::run(QStringLiteral("bash"),
                              {qEnvironmentVariable("TESSERA_SOURCE_DIR") + QStringLiteral("/tests/infra/") + name}, 60000, env)
        .exitCode;
  }

  static QByteArray bytes(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
  }

  // The "parameters" text of a PNG (tEXt, or uncompressed iTXt) without Qt Gui: this suite is Qt Core only.
  static QString pngParameters(const QString& path) {
    const QByteArray png = bytes(path);
    for (qsizetype at = 8; at + 12 <= png.size();) {
      const auto length = static_cast<qsizetype>(qFromBigEndian<quint32>(png.constData() + at));
      const QByteArray type = png.mid(at + 4, 4), data = png.mid(at + 8, length);
      at += 12 + length;
      if (!data.startsWith("parameters\0")) continue;
      if (type == "tEXt") return QString::fromLatin1(data.mid(11));
      if (type == "iTXt" && data.size() > 12 && data[11] == 0) {
        const qsizetype language = data.indexOf('\0', 13), translated = data.indexOf('\0', language + 1);
        if (language > 0 && translated > 0) return QString::fromUtf8(data.mid(translated + 1));
      }
    }
    return {};
  }

  ConnectOptions connectOptions() const {
    ConnectOptions o;
    o.base.identityFile = m_sshDir + QStringLiteral("/id_ed25519");
    o.base.knownHostsFile = m_sshDir + QStringLiteral("/known_hosts");
    o.base.readSshConfig = false;
    o.base.useAgent = false;
    return o;
  }

  std::unique_ptr<SshSession> connectToHost() const {
    SshParameters p = connectOptions().base;
    if (!p.setDestination(m_destination)) return nullptr;
    auto s = std::make_unique<SshSession>(p);
    if (!s->connectToHost()) {
      qWarning() << s->errorString();
      return nullptr;
    }
    return s;
  }

  GenerationSettings tinySettings() const {
    GenerationSettings g;
    g.prompts = {QStringLiteral("a red cube on a table"), QStringLiteral("the moon at night")};
    g.negativePrompt = QStringLiteral("blurry");
    g.modelPath = m_model;
    g.sampler = QStringLiteral("euler");
    g.steps = 3;
    g.guidance = 5.5;
    g.seed = 4242;
    g.width = 32;
    g.height = 32;
    g.batch = 2;
    g.threads = 1;
    return g;
  }

  // The variables that choose this machine's BLAS kernels (OpenBLAS picks them by CPU unless told):
  // the "GPU host" gets the same ones, or its floating-point results differ in the last bits
  // from the local run's. A login over SSH does not inherit them.
  static QMap<QString, QString> blasEnvironment() {
    QMap<QString, QString> env;
    for (const char* name : {"OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS"})
      if (qEnvironmentVariableIsSet(name)) env.insert(QString::fromLatin1(name), qEnvironmentVariable(name));
    return env;
  }

  RemoteGenerationRequest request(const QString& launcher, const QString& jobDir, const QString& outDir) const {
    RemoteGenerationRequest r;
    r.launcher = launcher;
    r.host = launcher == QLatin1String("ssh") ? m_destination : QString();
    r.jobDir = jobDir;
    r.outDir = outDir;
    r.spec.runName = QStringLiteral("tiny generation");
    r.spec.tesseraPath = tessera::test::binary(QStringLiteral("tessera"));
    r.spec.environment = blasEnvironment();
    r.generation = tinySettings();
    r.cpu = true;
    r.pollIntervalMs = 100;
    r.timeoutSecs = 240;
    r.connect = connectOptions();
    return r;
  }

  // The images of `result` in prompt order are exactly the reference images, byte for byte.
  void compareWithReference(const RemoteGenerationResult& result, const QString& outDir) {
    const QStringList names = expectedImageNames(tinySettings());
    QCOMPARE(names, (QStringList{QStringLiteral("4242-0.png"), QStringLiteral("4242-1.png"), QStringLiteral("4243-0.png"),
                                 QStringLiteral("4243-1.png")}));
    QStringList want;
    for (const QString& n : names) want << QDir(outDir).filePath(n);
    QCOMPARE(result.images, want);
    for (const QString& n : names) {
      const QByteArray mine = bytes(QDir(outDir).filePath(n)), ref = bytes(QDir(m_referenceDir).filePath(n));
      QVERIFY2(!ref.isEmpty() && mine == ref, qPrintable(n + QStringLiteral(" differs from the local run")));
    }
  }

 private Q_SLOTS:
  void initTestCase() {
    const QString infra = qEnvironmentVariable("TESSERA_INFRA_DIR");
    QVERIFY2(!infra.isEmpty(), "TESSERA_INFRA_DIR not set: run through ctest, which starts the test sshd");
    const QString golden = tessera::test::goldenDir();
    if (golden.isEmpty()) QSKIP("golden reference data not found: set TESSERA_GOLDEN_DIR or check out ../shared/golden");
    m_model = golden + QStringLiteral("/tiny-sd2");
    m_sshDir = infra + QStringLiteral("/ssh");
    const QString user = tessera::test::readText(m_sshDir + QStringLiteral("/user"));
    const QString port = tessera::test::readText(m_sshDir + QStringLiteral("/port"));
    QVERIFY2(!user.isEmpty() && !port.isEmpty(), "test sshd not set up");
    m_destination = user + QStringLiteral("@127.0.0.1:") + port;
    m_remoteRoot = QStringLiteral("tst_remote_generate-%1").arg(QCoreApplication::applicationPid());
    QVERIFY(m_tmp.isValid());

    // The reference: a plain local `tessera generate` with the same prompts, seed and settings.
    const GenerationSettings g = tinySettings();
    const QString prompts = m_tmp.filePath(QStringLiteral("prompts.txt"));
    QFile f(prompts);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(promptsFileContents(g));
    f.close();
    m_referenceDir = m_tmp.filePath(QStringLiteral("reference"));
    const auto r = tessera::test::run(tessera::test::binary(QStringLiteral("tessera")),
                                      generateArguments(g, m_model, prompts, m_referenceDir));
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(QDir(m_referenceDir).entryList({QStringLiteral("*.png")}, QDir::Files).size(), 4);
  }

  void cleanupTestCase() {
    if (m_destination.isEmpty()) return;
    if (auto s = connectToHost()) (void)s->exec({QStringLiteral("rm"), QStringLiteral("-rf"), QStringLiteral("--"), m_remoteRoot});
  }

  void settingsAndArguments() {
    GenerationSettings g = tinySettings();
    QCOMPARE(checkGenerationSettings(g), QString());
    QCOMPARE(generateArguments(g, QStringLiteral("/m"), QStringLiteral("/j/prompts.txt"), QStringLiteral("/j/images")),
             (QStringList{QStringLiteral("generate"), QStringLiteral("--model"), QStringLiteral("/m"), QStringLiteral("--prompts-file"),
                          QStringLiteral("/j/prompts.txt"), QStringLiteral("--out"), QStringLiteral("/j/images"), QStringLiteral("--seed"),
                          QStringLiteral("4242"), QStringLiteral("--steps"), QStringLiteral("3"), QStringLiteral("--guidance"),
                          QStringLiteral("5.5"), QStringLiteral("--batch"), QStringLiteral("2"), QStringLiteral("--negative-prompt"),
                          QStringLiteral("blurry"), QStringLiteral("--sampler"), QStringLiteral("euler"), QStringLiteral("--width"),
                          QStringLiteral("32"), QStringLiteral("--height"), QStringLiteral("32"), QStringLiteral("--threads"),
                          QStringLiteral("1")}));
    QCOMPARE(promptsFileContents(g), QByteArray("a red cube on a table\nthe moon at night\n"));
    // The prompts file holds one prompt per line: a prompt that would become two, or none, is refused.
    g.prompts = {QStringLiteral("fine"), QStringLiteral("line1\nline2\n; touch /tmp/tessera-pwned")};
    QVERIFY(checkGenerationSettings(g).contains(QStringLiteral("prompt 2 has a line break")));
    g.prompts = {QStringLiteral("fine"), QStringLiteral("x\ry")};
    QVERIFY(checkGenerationSettings(g).contains(QStringLiteral("line break")));
    g.prompts = {QStringLiteral(" \t ")};
    QVERIFY(checkGenerationSettings(g).contains(QStringLiteral("prompt 1 is blank")));
    g = tinySettings();
    g.seed = -1;
    QVERIFY(!checkGenerationSettings(g).isEmpty());
    // Refused before anything reaches a host.
    RemoteGenerationRequest r = request(QStringLiteral("ssh"), QStringLiteral("x"), m_tmp.filePath(QStringLiteral("never")));
    r.generation.prompts << QString();
    const auto result = runRemoteGeneration(r);
    QVERIFY(!result.ok);
    QVERIFY2(result.error.contains(QStringLiteral("prompt 3 is blank")), qPrintable(result.error));
    QVERIFY(result.record.id.isEmpty());
  }

  void overSshImagesComeBackBitForBit() {
    const QString out = m_tmp.filePath(QStringLiteral("ssh out"));
    RemoteGenerationJob job(request(QStringLiteral("ssh"), m_remoteRoot + QStringLiteral("/first job"), out));
    QSignalSpy stages(&job, &RemoteGenerationJob::stageChanged);
    QSignalSpy generated(&job, &RemoteGenerationJob::imagesGenerated);
    QSignalSpy fetched(&job, &RemoteGenerationJob::imageFetched);
    QSignalSpy preflight(&job, &RemoteGenerationJob::preflightReported);
    QSignalSpy finished(&job, &RemoteGenerationJob::finished);
    job.start();
    const RemoteGenerationResult& result = job.result();
    QVERIFY2(result.ok, qPrintable(result.error));
    compareWithReference(result, out);

    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.first().at(0).toBool(), true);
    QCOMPARE(finished.first().at(2).toStringList(), result.images);
    QCOMPARE(preflight.size(), 1);
    QVERIFY2(preflight.first().at(0).toBool(), qPrintable(preflight.first().at(1).toString()));
    QList<GenerationStage> seen;
    for (const auto& s : stages) seen << s.at(0).value<GenerationStage>();
    QCOMPARE(seen, (QList<GenerationStage>{GenerationStage::Connecting, GenerationStage::Preparing, GenerationStage::Checking,
                                           GenerationStage::UploadingPrompts, GenerationStage::Starting, GenerationStage::Generating,
                                           GenerationStage::Finishing}));
    QVERIFY(stages.first().at(1).toString().contains(QStringLiteral("127.0.0.1")));
    QCOMPARE(fetched.size(), 4);
    for (int i = 0; i < 4; ++i) {
      QCOMPARE(fetched.at(i).at(1).toInt(), i + 1);
      QCOMPARE(fetched.at(i).at(2).toInt(), 4);
    }
    QVERIFY(!generated.isEmpty());
    QCOMPARE(generated.last().at(0).toInt(), 4);

    // The job ran detached in its folder on the host, as the record says; a second job in the same
    // folder is refused instead of mixing its images with these.
    QCOMPARE(result.record.launcher, QStringLiteral("ssh"));
    QCOMPARE(result.record.hosts, QStringList{m_destination});
    QCOMPARE(result.record.state, RunState::Succeeded);
    QVERIFY2(result.record.runDir.startsWith(QLatin1Char('/')) && result.record.runDir.endsWith(QStringLiteral("/first job")),
             qPrintable(result.record.runDir));
    // The host resolves the model folder to its absolute, symlink-free path.
    const QString hostModel = QFileInfo(m_model).canonicalFilePath();
    QVERIFY2(result.command.contains(QStringLiteral("'generate' '--model' '%1' '--prompts-file' '%2/prompts.txt'").arg(hostModel, result.record.runDir)),
             qPrintable(result.command));
    const auto again = runRemoteGeneration(request(QStringLiteral("ssh"), m_remoteRoot + QStringLiteral("/first job"), out));
    QVERIFY(!again.ok);
    QVERIFY2(again.error.contains(QStringLiteral("already holds images")), qPrintable(again.error));
  }

  void localLauncherOnAWorkerThread() {
    // As the studio uses it: the job on a worker thread, its signals queued to this one.
    const QString out = m_tmp.filePath(QStringLiteral("local out"));
    auto* job = new RemoteGenerationJob(request(QStringLiteral("local"), m_tmp.filePath(QStringLiteral("local job")), out));
    QThread worker;
    job->moveToThread(&worker);
    connect(&worker, &QThread::started, job, &RemoteGenerationJob::start);
    connect(&worker, &QThread::finished, job, &QObject::deleteLater);
    QList<GenerationStage> stages;
    int fetched = 0;
    bool done = false, ok = false;
    QString error;
    QStringList images;
    connect(job, &RemoteGenerationJob::stageChanged, this, [&](GenerationStage s, const QString&) { stages << s; }, Qt::QueuedConnection);
    connect(job, &RemoteGenerationJob::imageFetched, this, [&](const QString&, int n, int) { fetched = n; }, Qt::QueuedConnection);
    connect(job, &RemoteGenerationJob::finished, this, [&](bool k, const QString& e, const QStringList& i) {
      done = true;
      ok = k;
      error = e;
      images = i;
    }, Qt::QueuedConnection);
    worker.start();
    QTRY_VERIFY_WITH_TIMEOUT(done, 120000);
    worker.quit();
    QVERIFY(worker.wait(10000));
    QVERIFY2(ok, qPrintable(error));
    QCOMPARE(stages.value(0), GenerationStage::Preparing);  // nothing to connect to
    QCOMPARE(stages.last(), GenerationStage::Finishing);
    QCOMPARE(fetched, 4);
    RemoteGenerationResult result;
    result.images = images;
    compareWithReference(result, out);
  }

  void slurmJobImagesComeBackBitForBit() {
    const QString infra = qEnvironmentVariable("TESSERA_INFRA_DIR");
    RemoteGenerationRequest r = request(QStringLiteral("slurm"), m_tmp.filePath(QStringLiteral("slurm job")),
                                        m_tmp.filePath(QStringLiteral("slurm out")));
    r.connect.localEnvironment.insert(QStringLiteral("SLURM_CONF"), infra + QStringLiteral("/slurm/slurm.conf"));
    r.spec.timeLimit = QStringLiteral("00:05:00");
    const auto result = runRemoteGeneration(r);
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.record.launcher, QStringLiteral("slurm"));
    QVERIFY(!result.record.jobId.isEmpty());
    compareWithReference(result, r.outDir);
  }

  void slurmThroughAnSshLoginNode() {
    // The usual cluster: sbatch on a login node reached over SSH (the test sshd's user, whose
    // logins get SLURM_CONF), the images fetched from the shared job folder over SFTP.
    RemoteGenerationRequest r = request(QStringLiteral("slurm"), m_remoteRoot + QStringLiteral("/slurm job"),
                                        m_tmp.filePath(QStringLiteral("slurm ssh out")));
    r.host = m_destination;
    r.spec.timeLimit = QStringLiteral("00:05:00");
    const auto result = runRemoteGeneration(r);
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.record.hosts, QStringList{m_destination});
    QVERIFY(!result.record.jobId.isEmpty());
    compareWithReference(result, r.outDir);
  }

  void hostilePromptsNeverExecute() {
    QFile::remove(QStringLiteral("/tmp/tessera-pwned"));
    GenerationSettings g = tinySettings();
    g.prompts.clear();
    for (const QString& s : tessera::test::hostileCorpus())
      if (!s.contains(QLatin1Char('\n')) && !s.trimmed().isEmpty()) g.prompts << s;
    QVERIFY(g.prompts.size() >= 20);
    g.negativePrompt = QStringLiteral("$(touch /tmp/tessera-pwned) `touch pwned`; rm -rf ~ '\"\n&& touch pwned");
    g.steps = 1;
    g.batch = 1;
    const QString out = m_tmp.filePath(QStringLiteral("hostile out"));
    RemoteGenerationRequest r =
        request(QStringLiteral("ssh"), m_remoteRoot + QStringLiteral("/$(touch pwned) `touch pwned` ; rm -rf ~ '\"x"), out);
    r.generation = g;
    r.preflight = false;
    r.spec.runName = tessera::test::hostileCorpus().join(QLatin1Char(' '));
    const auto result = runRemoteGeneration(r);
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.images.size(), g.prompts.size());
    // Every prompt reached `tessera generate` literally: it is what the image says it was drawn from.
    for (int k = 0; k < g.prompts.size(); ++k) {
      const QString params = pngParameters(result.images[k]);
      QVERIFY2(params.startsWith(g.prompts[k] + QStringLiteral("\nNegative prompt: ") + g.negativePrompt + QLatin1Char('\n')),
               qPrintable(QStringLiteral("prompt %1: %2").arg(k).arg(params)));
    }
    QVERIFY(!QFile::exists(QStringLiteral("/tmp/tessera-pwned")));
    auto s = connectToHost();
    QVERIFY(s);
    const auto pwned = s->exec({QStringLiteral("sh"), QStringLiteral("-c"),
                                QStringLiteral("ls -d pwned \"$1\"/pwned 2>/dev/null | wc -l; ls -d ~ >/dev/null && echo home-intact"),
                                QStringLiteral("x"), m_remoteRoot});
    QCOMPARE(QString::fromUtf8(pwned.standardOutput), QStringLiteral("0\nhome-intact\n"));
  }

  void droppedConnectionIsResumed() {
    // sshd goes down (listener and every connection of the test user) after the first image and
    // comes back 2 s later: the job runs on detached, the generation connects again, and every
    // image arrives once and whole — equal to a local run's.
    GenerationSettings g = tinySettings();
    g.prompts = {QStringLiteral("one"), QStringLiteral("two"), QStringLiteral("three"), QStringLiteral("four"),
                 QStringLiteral("five"), QStringLiteral("six")};
    g.steps = 40;
    g.batch = 1;
    const QString reference = m_tmp.filePath(QStringLiteral("drop reference"));
    const QString prompts = m_tmp.filePath(QStringLiteral("drop prompts.txt"));
    QFile f(prompts);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(promptsFileContents(g));
    f.close();
    const auto local = tessera::test::run(tessera::test::binary(QStringLiteral("tessera")), generateArguments(g, m_model, prompts, reference));
    QVERIFY2(local.exitCode == 0, local.err.constData());

    RemoteGenerationRequest r = request(QStringLiteral("ssh"), m_remoteRoot + QStringLiteral("/dropped"), m_tmp.filePath(QStringLiteral("drop out")));
    r.generation = g;
    r.preflight = false;
    r.reconnectSecs = 60;
    std::thread restart;
    QStringList events;
    RemoteGenerationObserver observer;
    observer.generated = [&](int done, int) {
      if (done < 1 || restart.joinable()) return;
      events << QStringLiteral("down");
      infraScript(QStringLiteral("stop_sshd.sh"));
      const auto pids = tessera::test::run(QStringLiteral("pgrep"), {QStringLiteral("-u"), m_destination.section(QLatin1Char('@'), 0, 0),
                                                                      QStringLiteral("-x"), QStringLiteral("sshd")});
      for (const QByteArray& pid : pids.out.split('\n'))
        if (pid.toInt() > 0) ::kill(pid.toInt(), SIGKILL);
      restart = std::thread([this] {
        QThread::msleep(2000);
        infraScript(QStringLiteral("start_sshd.sh"));
      });
    };
    observer.connection = [&](bool restored, const QString&) { events << (restored ? QStringLiteral("restored") : QStringLiteral("lost")); };
    const auto result = runRemoteGeneration(r, observer);
    if (restart.joinable()) restart.join();
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(events, (QStringList{QStringLiteral("down"), QStringLiteral("lost"), QStringLiteral("restored")}));
    QCOMPARE(result.images.size(), 6);
    for (const QString& path : result.images) {
      const QString name = QFileInfo(path).fileName();
      QVERIFY2(bytes(path) == bytes(QDir(reference).filePath(name)), qPrintable(name));
    }
    QCOMPARE(QDir(r.outDir).entryList(QDir::Files | QDir::Hidden).size(), 6);  // no .part left
  }

  void missingModelIsOneClearError() {
    RemoteGenerationRequest r = request(QStringLiteral("ssh"), m_remoteRoot + QStringLiteral("/no model"),
                                        m_tmp.filePath(QStringLiteral("no model out")));
    r.generation.modelPath = QStringLiteral("/nonexistent/tiny-sd2");
    auto result = runRemoteGeneration(r);
    QVERIFY(!result.ok);
    QVERIFY2(result.error.contains(QStringLiteral("127.0.0.1")) &&
                 result.error.contains(QStringLiteral("model folder '/nonexistent/tiny-sd2' not found")),
             qPrintable(result.error));
    QVERIFY(result.record.id.isEmpty());  // nothing was started

    r.generation.modelPath = m_sshDir;  // a folder, but no model
    result = runRemoteGeneration(r);
    QVERIFY2(result.error.contains(QStringLiteral("not a diffusers model folder")), qPrintable(result.error));
  }

  void failingJobReportsHostCommandAndOutput() {
    // tessera generate itself refuses the size: the job starts, fails, and says why.
    RemoteGenerationRequest r = request(QStringLiteral("ssh"), m_remoteRoot + QStringLiteral("/bad size"),
                                        m_tmp.filePath(QStringLiteral("bad size out")));
    r.generation.width = 33;
    r.preflight = false;
    const auto result = runRemoteGeneration(r);
    QVERIFY(!result.ok);
    QCOMPARE(result.exitCode, 1);
    QCOMPARE(result.record.state, RunState::Failed);
    QCOMPARE(result.host, m_destination);
    QVERIFY2(result.error.contains(QStringLiteral("on ") + m_destination + QLatin1Char(' ')) &&
                 result.error.contains(QStringLiteral("failed with exit status 1")) &&
                 result.error.contains(QStringLiteral("command: ") + result.command) &&
                 result.error.contains(QStringLiteral("'--width' '33'")) && result.error.contains(QStringLiteral("multiples of")),
             qPrintable(result.error));
    QVERIFY(result.outputTail.contains(QStringLiteral("multiples of")));
    QVERIFY(result.images.isEmpty());

    // A missing binary: the preflight names the host and what to do.
    r = request(QStringLiteral("ssh"), m_remoteRoot + QStringLiteral("/no binary"), m_tmp.filePath(QStringLiteral("nb")));
    r.spec.tesseraPath = QStringLiteral("/nonexistent/tessera");
    PreflightReport report;
    RemoteGenerationObserver observer;
    observer.preflight = [&](const PreflightReport& p) { report = p; };
    const auto missing = runRemoteGeneration(r, observer);
    QVERIFY(missing.preflightFailed);
    QVERIFY2(report.toText().contains(QStringLiteral("'/nonexistent/tessera' not found")), qPrintable(report.toText()));
    // Fixed, the same job folder (nothing generated in it yet) serves the next try.
    r.spec.tesseraPath = tessera::test::binary(QStringLiteral("tessera"));
    const auto fixed = runRemoteGeneration(r);
    QVERIFY2(fixed.ok, qPrintable(fixed.error));
    QCOMPARE(fixed.images.size(), 4);
  }

  void cancelStopsTheJobOnTheHost() {
    RemoteGenerationRequest r = request(QStringLiteral("ssh"), m_remoteRoot + QStringLiteral("/cancelled"),
                                        m_tmp.filePath(QStringLiteral("cancelled out")));
    r.generation.steps = 900;  // minutes at 96x96: far longer than the test waits
    r.generation.sampler.clear();
    r.generation.width = r.generation.height = 96;
    r.preflight = false;
    QElapsedTimer generating;
    RemoteGenerationObserver observer;
    observer.stage = [&](GenerationStage s, const QString&) {
      if (s == GenerationStage::Generating) generating.start();
    };
    observer.cancelled = [&] { return generating.isValid() && generating.elapsed() > 1500; };
    const auto result = runRemoteGeneration(r, observer);
    QVERIFY2(result.cancelled, qPrintable(result.error));
    QVERIFY2(result.error.contains(QStringLiteral("cancelled")), qPrintable(result.error));
    QCOMPARE(result.record.state, RunState::Cancelled);
    QVERIFY(result.images.isEmpty());
    auto s = connectToHost();
    QVERIFY(s);
    const auto ps = s->exec({QStringLiteral("sh"), QStringLiteral("-c"),
                             QStringLiteral("ps -u \"$(id -un)\" -o stat=,args= | awk '$1 !~ /^Z/' | grep -c '[g]enerate --model' || true")});
    QCOMPARE(QString::fromUtf8(ps.standardOutput).trimmed(), QStringLiteral("0"));
  }

  void cancelFromTheGuiThread() {
    // The studio's Cancel button: cancel() called on this thread while start() blocks the worker.
    RemoteGenerationRequest r = request(QStringLiteral("local"), m_tmp.filePath(QStringLiteral("cancelled local job")),
                                        m_tmp.filePath(QStringLiteral("cancelled local out")));
    r.generation.steps = 900;
    r.generation.sampler.clear();
    r.generation.width = r.generation.height = 96;
    r.preflight = false;
    auto* job = new RemoteGenerationJob(r);
    QThread worker;
    job->moveToThread(&worker);
    connect(&worker, &QThread::started, job, &RemoteGenerationJob::start);
    connect(&worker, &QThread::finished, job, &QObject::deleteLater);
    bool generating = false, done = false, ok = true;
    QString error;
    connect(job, &RemoteGenerationJob::stageChanged, this, [&](GenerationStage s, const QString&) {
      generating = generating || s == GenerationStage::Generating;
    }, Qt::QueuedConnection);
    connect(job, &RemoteGenerationJob::finished, this, [&](bool k, const QString& e, const QStringList&) {
      done = true;
      ok = k;
      error = e;
    }, Qt::QueuedConnection);
    worker.start();
    QTRY_VERIFY_WITH_TIMEOUT(generating, 60000);
    QTest::qWait(1000);
    QVERIFY(!done);
    job->cancel();
    QTRY_VERIFY_WITH_TIMEOUT(done, 60000);
    worker.quit();
    QVERIFY(worker.wait(10000));
    QVERIFY(!ok);
    QVERIFY2(error.startsWith(QStringLiteral("cancelled; the job on localhost was stopped")), qPrintable(error));
  }

  void cliGeneratesAndPrintsThePaths() {
    const QString out = m_tmp.filePath(QStringLiteral("cli out"));
    const QStringList common{QStringLiteral("--no-ssh-config"), QStringLiteral("--identity"), m_sshDir + QStringLiteral("/id_ed25519"),
                             QStringLiteral("--known-hosts"), m_sshDir + QStringLiteral("/known_hosts")};
    QStringList args = QStringList{QStringLiteral("generate"), QStringLiteral("--launcher"), QStringLiteral("ssh"),
                                         QStringLiteral("--host"), m_destination, QStringLiteral("--model"), m_model,
                                         QStringLiteral("--prompt"), QStringLiteral("a red cube on a table"),
                                         QStringLiteral("--prompt"), QStringLiteral("the moon at night"),
                                         QStringLiteral("--negative-prompt"), QStringLiteral("blurry"),
                                         QStringLiteral("--sampler"), QStringLiteral("euler"), QStringLiteral("--steps"), QStringLiteral("3"),
                                         QStringLiteral("--guidance"), QStringLiteral("5.5"), QStringLiteral("--seed"), QStringLiteral("4242"),
                                         QStringLiteral("--width"), QStringLiteral("32"), QStringLiteral("--height"), QStringLiteral("32"),
                                         QStringLiteral("--batch"), QStringLiteral("2"), QStringLiteral("--threads"), QStringLiteral("1"),
                                         QStringLiteral("--tessera"), tessera::test::binary(QStringLiteral("tessera")),
                                         QStringLiteral("--cpu"), QStringLiteral("--interval"), QStringLiteral("1"),
                                         QStringLiteral("--job-dir"), m_remoteRoot + QStringLiteral("/cli job"),
                                         QStringLiteral("--out"), out} +
                             common;
    const QMap<QString, QString> blas = blasEnvironment();
    for (auto it = blas.cbegin(); it != blas.cend(); ++it) args << QStringLiteral("--env") << it.key() + QLatin1Char('=') + it.value();
    const auto r = tessera::test::run(tessera::test::binary(QStringLiteral("tessera-remote")), args, 180000);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    RemoteGenerationResult result;
    result.images = QString::fromUtf8(r.out).trimmed().split(QLatin1Char('\n'));
    compareWithReference(result, out);

    // A missing model: exit status 1 and one line that names the host and the folder.
    QStringList bad = args;
    bad[bad.indexOf(m_model)] = QStringLiteral("/nonexistent/model");
    bad[bad.indexOf(m_remoteRoot + QStringLiteral("/cli job"))] = m_remoteRoot + QStringLiteral("/cli job 2");
    const auto missing = tessera::test::run(tessera::test::binary(QStringLiteral("tessera-remote")), bad, 60000);
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains(QStringLiteral("tessera-remote: %1: model folder '/nonexistent/model' not found\n").arg(m_destination).toUtf8()),
             missing.err.constData());
    QVERIFY(missing.out.isEmpty());
  }
};

QTEST_GUILESS_MAIN(TestRemoteGenerate)
#include "tst_remote_generate.moc"
