// Launchers on this machine (no services needed): the run registry, the process launcher with
// real detached ranks (environment, exit codes, failure, cancel of whole process groups, lost
// ranks), hostile names and paths, and the Slurm batch script.
//
// The ranks run /bin/sh instead of `tessera train` so that each case checks one launcher
// behaviour in a second; the end-to-end launch of the real training is in the training suites.

#include "hostile_corpus.h"
#include "test_support.h"

#include "tessera/remote/command_runner.h"
#include "tessera/remote/process_launcher.h"
#include "tessera/remote/run_registry.h"
#include "tessera/remote/slurm_launcher.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <signal.h>

using namespace tessera::remote;

namespace {

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

// Running (a zombie waiting to be reaped does not count).
bool alive(qint64 pid) {
  if (pid <= 0) return false;
  QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
  if (!stat.open(QIODevice::ReadOnly)) return false;
  const QByteArray text = stat.readAll();
  const int close = text.lastIndexOf(')');
  return close > 0 && text.size() > close + 2 && text.at(close + 2) != 'Z';
}

}  // namespace

class TestLaunchers : public QObject {
  Q_OBJECT

  QTemporaryDir m_tmp;
  LocalRunner m_local;

  // Polls until the run leaves Running/Pending (or the timeout passes).
  RunState waitForEnd(Launcher& launcher, RunRecord* record, int timeoutMs = 20000) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
      QString error;
      if (!launcher.refresh(record, &error)) {
        qWarning() << error;
        return RunState::Lost;
      }
      if (record->state != RunState::Running && record->state != RunState::Pending) return record->state;
      QTest::qWait(100);
    }
    return record->state;
  }

  LaunchSpec shellSpec(const QString& runDir, const QString& script, const QStringList& args = {}) {
    LaunchSpec spec;
    spec.runName = QStringLiteral("test run");
    spec.runDir = runDir;
    spec.tesseraPath = QStringLiteral("/bin/sh");
    // $0 is the run directory: ranks start in the login folder, as `tessera train` does.
    spec.arguments = QStringList{QStringLiteral("-c"), QStringLiteral("cd \"$0\" || exit 99; ") + script, runDir} + args;
    return spec;
  }

 private Q_SLOTS:
  void initTestCase() { QVERIFY(m_tmp.isValid()); }

  void registryRoundTrip() {
    RunRegistry registry(m_tmp.filePath(QStringLiteral("registry")));
    RunRecord r;
    r.id = RunRegistry::newRunId(QStringLiteral("; rm -rf ~ 日本"));
    QVERIFY2(!r.id.contains(QLatin1Char(' ')) && !r.id.contains(QLatin1Char(';')) && !r.id.contains(QLatin1Char('/')), qPrintable(r.id));
    r.name = QStringLiteral("; rm -rf ~ 日本");
    r.launcher = QStringLiteral("ssh");
    r.hosts = {QStringLiteral("a@node1:2222"), QStringLiteral("node2")};
    r.gpusPerHost = 8;
    r.runDir = QStringLiteral("/scratch/runs/x");
    r.state = RunState::Running;
    QString error;
    QVERIFY2(registry.save(r, &error), qPrintable(error));
    auto back = registry.find(r.id, &error);
    QVERIFY2(back.has_value(), qPrintable(error));
    QCOMPARE(back->name, r.name);
    QCOMPARE(back->hosts, r.hosts);
    QCOMPARE(back->gpusPerHost, 8);
    QCOMPARE(back->state, RunState::Running);
    QVERIFY(back->created.isValid());

    // A damaged file is reported by name and does not hide the good ones.
    QFile bad(registry.folder() + QStringLiteral("/broken.json"));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("{\"version\": 1, \"id\": \"broken\", \"launcher\": \"carrier-pigeon\"}");
    bad.close();
    QStringList problems;
    const auto all = registry.list(&problems);
    QCOMPARE(int(all.size()), 1);
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems[0].contains(QStringLiteral("broken.json")) && problems[0].contains(QStringLiteral("carrier-pigeon")),
             qPrintable(problems[0]));
    QVERIFY(!registry.find(QStringLiteral("../etc/passwd")).has_value());
    QVERIFY(registry.remove(r.id, &error));
    QVERIFY(!registry.find(r.id).has_value());
  }

  void ranksGetTorchrunVariablesAndFinish() {
    const QString dir = m_tmp.filePath(QStringLiteral("run one"));
    ProcessLauncher launcher(QStringLiteral("local"), {&m_local});
    LaunchSpec spec = shellSpec(dir, QStringLiteral("echo \"$RANK $WORLD_SIZE $LOCAL_RANK $MASTER_ADDR:$MASTER_PORT $1\" > out-$RANK.txt"),
                                {QStringLiteral("hello world")});
    spec.gpusPerHost = 3;
    spec.masterPort = 29999;
    RunRecord record;
    QString error;
    QVERIFY2(launcher.launch(spec, &record, &error), qPrintable(error));
    QCOMPARE(record.launcher, QStringLiteral("local"));
    QCOMPARE(waitForEnd(launcher, &record), RunState::Succeeded);
    QCOMPARE(record.exitCode, 0);
    for (int r = 0; r < 3; ++r)
      QCOMPARE(readAll(dir + QStringLiteral("/out-%1.txt").arg(r)),
               QStringLiteral("%1 3 %1 127.0.0.1:29999 hello world\n").arg(r).toUtf8());
  }

  void aFailingRankFailsTheRun() {
    const QString dir = m_tmp.filePath(QStringLiteral("failing"));
    ProcessLauncher launcher(QStringLiteral("local"), {&m_local});
    LaunchSpec spec = shellSpec(dir, QStringLiteral("echo 'boom' >&2; [ \"$RANK\" = 1 ] && exit 3; exit 0"));
    spec.gpusPerHost = 2;
    RunRecord record;
    QString error;
    QVERIFY2(launcher.launch(spec, &record, &error), qPrintable(error));
    QCOMPARE(waitForEnd(launcher, &record), RunState::Failed);
    QCOMPARE(record.exitCode, 3);
    QVERIFY2(record.message.contains(QStringLiteral("rank 1")) && record.message.contains(QStringLiteral("rank-1.log")),
             qPrintable(record.message));
    QCOMPARE(readAll(dir + QStringLiteral("/ranks/rank-1.log")), QByteArray("boom\n"));
  }

  void cancelEndsEveryProcessGroup() {
    const QString dir = m_tmp.filePath(QStringLiteral("cancel"));
    ProcessLauncher launcher(QStringLiteral("local"), {&m_local});
    launcher.setCancelGraceSeconds(2);
    // Each rank starts a child of its own (as training starts data workers): cancel must end both.
    LaunchSpec spec = shellSpec(dir, QStringLiteral("sleep 60 & echo $! > child-$RANK.pid; wait"));
    spec.gpusPerHost = 2;
    RunRecord record;
    QString error;
    QVERIFY2(launcher.launch(spec, &record, &error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(dir + QStringLiteral("/child-1.pid")), 10000);
    QVERIFY(launcher.refresh(&record, &error));
    QCOMPARE(record.state, RunState::Running);
    const qint64 child = readAll(dir + QStringLiteral("/child-1.pid")).trimmed().toLongLong();
    const qint64 leader = readAll(dir + QStringLiteral("/ranks/rank-1.pid")).trimmed().toLongLong();
    QVERIFY(alive(child) && alive(leader));
    QVERIFY2(launcher.cancel(&record, &error), qPrintable(error));
    QCOMPARE(record.state, RunState::Cancelled);
    QTRY_VERIFY_WITH_TIMEOUT(!alive(child) && !alive(leader), 5000);
    QVERIFY(launcher.refresh(&record, &error));
    QCOMPARE(record.state, RunState::Cancelled);
  }

  void ranksKilledFromOutsideAreLost() {
    const QString dir = m_tmp.filePath(QStringLiteral("lost"));
    ProcessLauncher launcher(QStringLiteral("local"), {&m_local});
    LaunchSpec spec = shellSpec(dir, QStringLiteral("sleep 60"));
    RunRecord record;
    QString error;
    QVERIFY2(launcher.launch(spec, &record, &error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(dir + QStringLiteral("/ranks/rank-0.pid")), 10000);
    const qint64 leader = readAll(dir + QStringLiteral("/ranks/rank-0.pid")).trimmed().toLongLong();
    QVERIFY(leader > 0);
    ::kill(-static_cast<pid_t>(leader), SIGKILL);  // as a reboot or the OOM killer would
    QCOMPARE(waitForEnd(launcher, &record), RunState::Lost);
    QVERIFY2(record.message.contains(QStringLiteral("without an exit status")), qPrintable(record.message));
  }

  void hostileNamesAndPathsNeverExecute() {
    QFile::remove(QStringLiteral("/tmp/tessera-pwned"));
    const QStringList corpus = tessera::test::hostileCorpus();
    ProcessLauncher launcher(QStringLiteral("local"), {&m_local});
    int n = 0;
    for (const QString& hostile : corpus) {
      if (hostile.isEmpty() || hostile.contains(QLatin1Char('/'))) continue;
      // The hostile text as a folder name, as the run name, and as an argument of the program.
      const QString dir = m_tmp.filePath(QStringLiteral("hostile-%1/").arg(++n) + hostile);
      LaunchSpec spec = shellSpec(dir, QStringLiteral("printf '%s' \"$1\" > arg.txt"), {hostile});
      spec.runName = hostile;
      spec.environment.insert(QStringLiteral("TESSERA_NOTE"), hostile);
      RunRecord record;
      QString error;
      QVERIFY2(launcher.launch(spec, &record, &error), qPrintable(hostile + QStringLiteral(": ") + error));
      QCOMPARE(waitForEnd(launcher, &record), RunState::Succeeded);
      QCOMPARE(QString::fromUtf8(readAll(dir + QStringLiteral("/arg.txt"))), hostile);
    }
    QVERIFY2(!QFile::exists(QStringLiteral("/tmp/tessera-pwned")), "a hostile string was executed");
    LaunchSpec bad = shellSpec(m_tmp.filePath(QStringLiteral("x")), QStringLiteral("true"));
    bad.environment.insert(QStringLiteral("A=B; touch /tmp/tessera-pwned"), QStringLiteral("1"));
    RunRecord record;
    QString error;
    QVERIFY(!launcher.launch(bad, &record, &error));
    QVERIFY2(error.contains(QStringLiteral("not a valid environment variable name")), qPrintable(error));
  }

  void slurmBatchScript() {
    LaunchSpec spec;
    spec.runName = QStringLiteral("sd2 stage 1; rm -rf ~");
    spec.runDir = QStringLiteral("/scratch/it's here");
    spec.tesseraPath = QStringLiteral("/opt/tessera/bin/tessera");
    spec.arguments = trainArguments(QStringLiteral("/scratch/it's here/config.yaml"), QStringLiteral("/scratch/it's here"));
    spec.nodes = 16;
    spec.gpusPerHost = 8;
    spec.partition = QStringLiteral("a100");
    spec.account = QStringLiteral("vision");
    spec.timeLimit = QStringLiteral("2-00:00:00");
    spec.extraSbatchLines = {QStringLiteral("#SBATCH --exclusive")};
    spec.environment.insert(QStringLiteral("NCCL_DEBUG"), QStringLiteral("WARN"));
    QString script, error;
    QVERIFY2(SlurmLauncher::batchScript(spec, &script, &error), qPrintable(error));
    for (const char* line : {"#SBATCH --job-name=sd2_stage_1__rm_-rf__", "#SBATCH --nodes=16", "#SBATCH --ntasks-per-node=8",
                             "#SBATCH --gres=gpu:8", "#SBATCH --time=2-00:00:00", "#SBATCH --partition=a100",
                             "#SBATCH --account=vision", "#SBATCH --requeue", "#SBATCH --exclusive", "export NCCL_DEBUG='WARN'",
                             "srun --kill-on-bad-exit=1 '/opt/tessera/bin/tessera' 'train' '--config' '/scratch/it'\\''s here/config.yaml'"})
      QVERIFY2(script.contains(QString::fromUtf8(line)), qPrintable(QString::fromUtf8(line) + QStringLiteral("\n---\n") + script));
    // The script must be valid bash.
    QFile f(m_tmp.filePath(QStringLiteral("job.sbatch")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(script.toUtf8());
    f.close();
    QCOMPARE(tessera::test::run(QStringLiteral("bash"), {QStringLiteral("-n"), f.fileName()}).exitCode, 0);

    for (auto [field, value] : std::vector<std::pair<QString, QString>>{{QStringLiteral("partition"), QStringLiteral("a b")},
                                                                       {QStringLiteral("account"), QStringLiteral("x\n#SBATCH --uid=0")},
                                                                       {QStringLiteral("time"), QStringLiteral("tomorrow")},
                                                                       {QStringLiteral("extra"), QStringLiteral("--exclusive")}}) {
      LaunchSpec bad = spec;
      if (field == QLatin1String("partition")) bad.partition = value;
      if (field == QLatin1String("account")) bad.account = value;
      if (field == QLatin1String("time")) bad.timeLimit = value;
      if (field == QLatin1String("extra")) bad.extraSbatchLines = {value};
      QVERIFY2(!SlurmLauncher::batchScript(bad, &script, &error), qPrintable(field));
    }
    QCOMPARE(SlurmLauncher::stateFromSlurm(QStringLiteral("PENDING")), RunState::Pending);
    QCOMPARE(SlurmLauncher::stateFromSlurm(QStringLiteral("REQUEUED")), RunState::Pending);
    QCOMPARE(SlurmLauncher::stateFromSlurm(QStringLiteral("RUNNING")), RunState::Running);
    QCOMPARE(SlurmLauncher::stateFromSlurm(QStringLiteral("COMPLETED")), RunState::Succeeded);
    QCOMPARE(SlurmLauncher::stateFromSlurm(QStringLiteral("NODE_FAIL")), RunState::Failed);
    QCOMPARE(SlurmLauncher::stateFromSlurm(QStringLiteral("CANCELLED")), RunState::Cancelled);
  }
};

QTEST_GUILESS_MAIN(TestLaunchers)
#include "tst_launchers.moc"
