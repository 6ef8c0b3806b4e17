// Following a run: FileTail's whole-line, byte-offset reading (half-written lines, replaced files),
// and RunWatcher over SSH while the test sshd is killed and restarted in the middle of a run —
// every metrics line must arrive exactly once and in order, and the run's end must be seen.

#include "test_support.h"

#include "tessera/remote/command_runner.h"
#include "tessera/remote/file_tail.h"
#include "tessera/remote/process_launcher.h"
#include "tessera/remote/run_watcher.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace tessera::remote;

class TestRunWatcher : public QObject {
  Q_OBJECT

  QString m_infra;
  SshParameters m_params;

  static void append(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::Append));
    f.write(bytes);
  }

  int infraScript(const QString& name) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("INFRA_DIR"), m_infra);
    return tessera::test::run(QStringLiteral("bash"),
                              {qEnvironmentVariable("TESSERA_SOURCE_DIR") + QStringLiteral("/tests/infra/") + name}, 60000, env)
        .exitCode;
  }

 private Q_SLOTS:
  void initTestCase() {
    m_infra = qEnvironmentVariable("TESSERA_INFRA_DIR");
    QVERIFY2(!m_infra.isEmpty(), "TESSERA_INFRA_DIR not set: run through ctest, which starts the test sshd");
    const QString ssh = m_infra + QStringLiteral("/ssh");
    m_params.host = QStringLiteral("127.0.0.1");
    m_params.port = tessera::test::readText(ssh + QStringLiteral("/port")).toInt();
    m_params.user = tessera::test::readText(ssh + QStringLiteral("/user"));
    m_params.identityFile = ssh + QStringLiteral("/id_ed25519");
    m_params.knownHostsFile = ssh + QStringLiteral("/known_hosts");
    m_params.readSshConfig = false;
    m_params.useAgent = false;
    m_params.connectTimeoutSecs = 5;
    QVERIFY2(m_params.port > 0, "test sshd not set up");
  }

  void tailReadsWholeLinesOnly() {
    QTemporaryDir tmp;
    const QString path = tmp.filePath(QStringLiteral("metrics file.jsonl"));
    LocalRunner local;
    FileTail tail(path);
    QList<QByteArray> lines;
    QString error;
    QCOMPARE(tail.poll(local, &lines, &error), FileTail::Result::NoFile);
    append(path, "{\"step\": 1}\n{\"step\": 2");  // the second line is still being written
    QCOMPARE(tail.poll(local, &lines, &error), FileTail::Result::Lines);
    QCOMPARE(lines, QList<QByteArray>{QByteArray("{\"step\": 1}")});
    QCOMPARE(tail.offset(), qint64(12));
    lines.clear();
    QCOMPARE(tail.poll(local, &lines, &error), FileTail::Result::Lines);
    QVERIFY(lines.isEmpty());
    append(path, "}\n{\"step\": 3}\n");
    QCOMPARE(tail.poll(local, &lines, &error), FileTail::Result::Lines);
    QCOMPARE(lines, (QList<QByteArray>{"{\"step\": 2}", "{\"step\": 3}"}));

    // A new watcher continues from a kept offset; a replaced (shorter) file starts over.
    FileTail resumed(path, tail.offset());
    lines.clear();
    append(path, "{\"step\": 4}\n");
    QCOMPARE(resumed.poll(local, &lines, &error), FileTail::Result::Lines);
    QCOMPARE(lines, QList<QByteArray>{QByteArray("{\"step\": 4}")});
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write("{\"new\": 1}\n");
    f.close();
    lines.clear();
    bool restarted = false;
    QCOMPARE(resumed.poll(local, &lines, &error, &restarted), FileTail::Result::Lines);
    QVERIFY(restarted);
    QCOMPARE(lines, QList<QByteArray>{QByteArray("{\"new\": 1}")});
  }

  void metricsSurviveAnSshdRestart() {
    // A "training run" on the host that logs 80 steps over ~4 s, then finishes.
    auto session = std::make_unique<SshSession>(m_params);
    QVERIFY2(session->connectToHost(), qPrintable(session->errorString()));
    SshRunner runner(*session);
    ProcessLauncher launcher(QStringLiteral("ssh"), {&runner});
    LaunchSpec spec;
    spec.runName = QStringLiteral("watched");
    spec.runDir = QStringLiteral("runs/watched-") + QString::number(QCoreApplication::applicationPid());
    spec.tesseraPath = QStringLiteral("/bin/sh");
    spec.arguments = {QStringLiteral("-c"),
                      QStringLiteral("cd \"$0\" || exit 99; echo '{\"event\": \"start\"}' >> metrics.jsonl; i=0; while [ $i -lt 80 ]; do "
                                     "echo \"{\\\"step\\\": $i, \\\"loss\\\": 0.5}\" >> metrics.jsonl; echo \"step $i\"; "
                                     "i=$((i + 1)); sleep 0.05; done; echo '{\"event\": \"finish\"}' >> metrics.jsonl"),
                      spec.runDir};
    RunRecord record;
    QString error;
    QVERIFY2(launcher.launch(spec, &record, &error), qPrintable(error));
    session.reset();

    ConnectOptions options;
    options.base = m_params;
    RunWatcher watcher(record, options);
    QList<QJsonObject> received;
    connect(&watcher, &RunWatcher::metricsArrived, this, [&](const QList<QJsonObject>& l) { received += l; });
    QString log;
    connect(&watcher, &RunWatcher::logArrived, this, [&](const QString& t) { log += t; });
    QSignalSpy lost(&watcher, &RunWatcher::connectionLost);
    QSignalSpy restored(&watcher, &RunWatcher::connectionRestored);
    QSignalSpy finished(&watcher, &RunWatcher::finished);

    QElapsedTimer t;
    t.start();
    bool restartedSshd = false;
    while (finished.isEmpty() && t.elapsed() < 60000) {
      watcher.poll();
      if (!restartedSshd && received.size() >= 15) {
        // Kill the listener and every connection, then bring sshd back (same host key).
        QCOMPARE(infraScript(QStringLiteral("stop_sshd.sh")), 0);
        tessera::test::run(QStringLiteral("pkill"), {QStringLiteral("-f"), QStringLiteral("sshd: ") + m_params.user});
        watcher.poll();  // fails: the watcher must notice
        QTest::qWait(1500);
        watcher.poll();  // still down
        QCOMPARE(infraScript(QStringLiteral("start_sshd.sh")), 0);
        restartedSshd = true;
      }
      QTest::qWait(100);
    }
    QVERIFY(restartedSshd);
    QVERIFY(lost.count() >= 1);
    QVERIFY(restored.count() >= 1);
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.at(0).at(0).value<RunState>(), RunState::Succeeded);
    QCOMPARE(received.size(), 82);
    QCOMPARE(received.first().value(QStringLiteral("event")).toString(), QStringLiteral("start"));
    for (int i = 0; i < 80; ++i) QCOMPARE(received.at(i + 1).value(QStringLiteral("step")).toInt(-1), i);
    QCOMPARE(received.last().value(QStringLiteral("event")).toString(), QStringLiteral("finish"));
    QVERIFY2(log.startsWith(QStringLiteral("step 0\n")) && log.endsWith(QStringLiteral("step 79\n")), qPrintable(log.right(40)));
    QCOMPARE(log.count(QLatin1Char('\n')), 80);

    auto cleanup = std::make_unique<SshSession>(m_params);
    if (cleanup->connectToHost()) (void)cleanup->exec({QStringLiteral("rm"), QStringLiteral("-rf"), QStringLiteral("--"), spec.runDir});
  }
};

QTEST_GUILESS_MAIN(TestRunWatcher)
#include "tst_run_watcher.moc"
