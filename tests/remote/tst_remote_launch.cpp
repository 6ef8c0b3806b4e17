// Launchers against the real test services (started by CTest): ranks on "two hosts" over SSH
// (two connections to the test sshd) with torchrun's variables, a run that outlives its SSH
// connections and is found again from its registry record, cancel over SSH; and Slurm jobs
// submitted, followed to their end, failed and cancelled on the test cluster.
//
// The ranks run /bin/sh rather than `tessera train` so that each case checks one launcher
// behaviour in seconds.

#include "hostile_corpus.h"
#include "test_support.h"

#include "tessera/remote/command_runner.h"
#include "tessera/remote/process_launcher.h"
#include "tessera/remote/run_registry.h"
#include "tessera/remote/slurm_launcher.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

using namespace tessera::remote;

class TestRemoteLaunch : public QObject {
  Q_OBJECT

  QString m_infra;
  QString m_sshDir;
  SshParameters m_params;

  std::unique_ptr<SshSession> connect() {
    auto s = std::make_unique<SshSession>(m_params);
    if (!s->connectToHost()) {
      qWarning() << s->errorString();
      return nullptr;
    }
    return s;
  }

  RunState waitForEnd(Launcher& launcher, RunRecord* record, int timeoutMs = 60000) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
      QString error;
      if (!launcher.refresh(record, &error)) {
        qWarning() << error;
        return RunState::Lost;
      }
      if (record->state != RunState::Running && record->state != RunState::Pending) return record->state;
      QTest::qWait(200);
    }
    return record->state;
  }

  static LaunchSpec shellSpec(const QString& runDir, const QString& script) {
    LaunchSpec spec;
    spec.runName = QStringLiteral("remote test");
    spec.runDir = runDir;
    spec.tesseraPath = QStringLiteral("/bin/sh");
    // $0 is the run directory: ranks start in the login folder, as `tessera train` does.
    spec.arguments = {QStringLiteral("-c"), QStringLiteral("cd \"$0\" || exit 99; ") + script, runDir};
    return spec;
  }

 private Q_SLOTS:
  void initTestCase() {
    m_infra = qEnvironmentVariable("TESSERA_INFRA_DIR");
    QVERIFY2(!m_infra.isEmpty(), "TESSERA_INFRA_DIR not set: run through ctest, which starts the services");
    m_sshDir = m_infra + QStringLiteral("/ssh");
    m_params.host = QStringLiteral("127.0.0.1");
    m_params.port = tessera::test::readText(m_sshDir + QStringLiteral("/port")).toInt();
    m_params.user = tessera::test::readText(m_sshDir + QStringLiteral("/user"));
    m_params.identityFile = m_sshDir + QStringLiteral("/id_ed25519");
    m_params.knownHostsFile = m_sshDir + QStringLiteral("/known_hosts");
    m_params.readSshConfig = false;
    m_params.useAgent = false;
    QVERIFY2(m_params.port > 0 && !m_params.user.isEmpty(), "test sshd not set up");
  }

  void twoHostsOverSshWithTorchrunVariables() {
    auto a = connect(), b = connect();
    QVERIFY(a && b);
    SshRunner ra(*a), rb(*b);
    ProcessLauncher launcher(QStringLiteral("ssh"), {&ra, &rb});
    const QString dir = QStringLiteral("runs/two hosts ") + QString::number(QCoreApplication::applicationPid());
    LaunchSpec spec = shellSpec(dir, QStringLiteral("echo \"$RANK/$WORLD_SIZE local $LOCAL_RANK master $MASTER_ADDR:$MASTER_PORT\" > out-$RANK.txt"));
    spec.gpusPerHost = 2;
    spec.masterPort = 29611;
    RunRecord record;
    QString error;
    QVERIFY2(launcher.launch(spec, &record, &error), qPrintable(error));
    QCOMPARE(record.hosts.size(), 2);
    QCOMPARE(waitForEnd(launcher, &record), RunState::Succeeded);
    const auto out = a->exec({QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("cd \"$1\" && cat out-0.txt out-1.txt out-2.txt out-3.txt"),
                              QStringLiteral("x"), dir});
    QVERIFY2(out.ok(), out.standardError.constData());
    QCOMPARE(QString::fromUtf8(out.standardOutput),
             QStringLiteral("0/4 local 0 master 127.0.0.1:29611\n1/4 local 1 master 127.0.0.1:29611\n"
                            "2/4 local 0 master 127.0.0.1:29611\n3/4 local 1 master 127.0.0.1:29611\n"));
    (void)a->exec({QStringLiteral("rm"), QStringLiteral("-rf"), QStringLiteral("--"), dir});
  }

  void runOutlivesItsConnectionAndIsFoundAgain() {
    QTemporaryDir registryDir;
    RunRegistry registry(registryDir.path());
    const QString dir = QStringLiteral("runs/detached-") + QString::number(QCoreApplication::applicationPid());
    RunRecord record;
    {
      auto s = connect();
      QVERIFY(s);
      SshRunner runner(*s);
      ProcessLauncher launcher(QStringLiteral("ssh"), {&runner});
      QString error;
      QVERIFY2(launcher.launch(shellSpec(dir, QStringLiteral("sleep 3; echo done > result.txt")), &record, &error), qPrintable(error));
      QVERIFY2(registry.save(record, &error), qPrintable(error));
    }  // the studio quits: connection gone
    QTest::qWait(500);
    auto s = connect();  // ... and starts again
    QVERIFY(s);
    auto again = registry.find(record.id);
    QVERIFY(again.has_value());
    SshRunner runner(*s);
    ProcessLauncher launcher(QStringLiteral("ssh"), {&runner});
    QString error;
    QVERIFY2(launcher.refresh(&*again, &error), qPrintable(error));
    QCOMPARE(again->state, RunState::Running);
    QCOMPARE(waitForEnd(launcher, &*again), RunState::Succeeded);
    const auto result = s->exec({QStringLiteral("cat"), QStringLiteral("--"), dir + QStringLiteral("/result.txt")});
    QCOMPARE(QString::fromUtf8(result.standardOutput), QStringLiteral("done\n"));
    (void)s->exec({QStringLiteral("rm"), QStringLiteral("-rf"), QStringLiteral("--"), dir});
  }

  void cancelOverSshWithHostileRunDir() {
    auto s = connect();
    QVERIFY(s);
    SshRunner runner(*s);
    ProcessLauncher launcher(QStringLiteral("ssh"), {&runner});
    launcher.setCancelGraceSeconds(2);
    const QString dir = QStringLiteral("runs/$(touch pwned) `touch pwned` ; rm -rf ~ '\"") + QString::number(QCoreApplication::applicationPid());
    LaunchSpec spec = shellSpec(dir, QStringLiteral("sleep 60"));
    spec.runName = tessera::test::hostileCorpus().join(QLatin1Char(' '));
    RunRecord record;
    QString error;
    QVERIFY2(launcher.launch(spec, &record, &error), qPrintable(error));
    QVERIFY(launcher.refresh(&record, &error));
    QCOMPARE(record.state, RunState::Running);
    QVERIFY2(launcher.cancel(&record, &error), qPrintable(error));
    QCOMPARE(record.state, RunState::Cancelled);
    // No sleep of that run is left on the host, and nothing was executed from the names.
    const auto ps = s->exec({QStringLiteral("sh"), QStringLiteral("-c"),
                             QStringLiteral("ps -u \"$(id -un)\" -o stat=,args= | awk '$1 !~ /^Z/' | grep -c '[s]leep 60' || true")});
    QCOMPARE(QString::fromUtf8(ps.standardOutput).trimmed(), QStringLiteral("0"));
    const auto pwned = s->exec({QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("ls pwned runs/pwned 2>/dev/null | wc -l")});
    QCOMPARE(QString::fromUtf8(pwned.standardOutput).trimmed(), QStringLiteral("0"));
    (void)s->exec({QStringLiteral("rm"), QStringLiteral("-rf"), QStringLiteral("--"), dir});
  }

  void slurmJobRunsFailsAndCancels() {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("SLURM_CONF"), m_infra + QStringLiteral("/slurm/slurm.conf"));
    LocalRunner login(env);
    SlurmLauncher launcher(login);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());

    // Two tasks on the node, each told its rank by Slurm and the rendezvous by the script.
    LaunchSpec spec = shellSpec(tmp.filePath(QStringLiteral("ok run")),
                                QStringLiteral("echo \"$SLURM_PROCID/$SLURM_NTASKS $MASTER_ADDR:$MASTER_PORT gpu=$CUDA_VISIBLE_DEVICES\" > out-$SLURM_PROCID.txt"));
    spec.gpusPerHost = 2;
    spec.masterPort = 29622;
    spec.timeLimit = QStringLiteral("00:05:00");
    RunRecord record;
    QString error;
    QVERIFY2(launcher.launch(spec, &record, &error), qPrintable(error));
    QVERIFY(!record.jobId.isEmpty());
    QCOMPARE(waitForEnd(launcher, &record, 90000), RunState::Succeeded);
    QCOMPARE(tessera::test::readText(spec.runDir + QStringLiteral("/out-0.txt")).section(QLatin1Char(' '), 0, 1), QStringLiteral("0/2 localhost:29622"));
    QCOMPARE(tessera::test::readText(spec.runDir + QStringLiteral("/out-1.txt")).section(QLatin1Char(' '), 0, 1), QStringLiteral("1/2 localhost:29622"));
    QVERIFY(QFile::exists(spec.runDir + QStringLiteral("/job.sbatch")));

    LaunchSpec failing = shellSpec(tmp.filePath(QStringLiteral("failing")), QStringLiteral("exit 7"));
    failing.gpusPerHost = 1;
    QVERIFY2(launcher.launch(failing, &record, &error), qPrintable(error));
    QCOMPARE(waitForEnd(launcher, &record, 90000), RunState::Failed);
    QVERIFY2(record.message.contains(record.jobId), qPrintable(record.message));

    LaunchSpec longRun = shellSpec(tmp.filePath(QStringLiteral("long")), QStringLiteral("sleep 120"));
    longRun.gpusPerHost = 1;
    QVERIFY2(launcher.launch(longRun, &record, &error), qPrintable(error));
    QElapsedTimer t;
    t.start();
    while (record.state != RunState::Running && t.elapsed() < 30000) {
      QVERIFY2(launcher.refresh(&record, &error), qPrintable(error));
      QTest::qWait(200);
    }
    QCOMPARE(record.state, RunState::Running);
    QVERIFY2(launcher.cancel(&record, &error), qPrintable(error));
    QCOMPARE(waitForEnd(launcher, &record, 60000), RunState::Cancelled);
  }
};

QTEST_GUILESS_MAIN(TestRemoteLaunch)
#include "tst_remote_launch.moc"
