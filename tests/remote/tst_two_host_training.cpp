// A real 2-host data-parallel training run launched over SSH: `tessera-remote launch --launcher
// ssh` with two hosts (network namespaces node1 = 10.200.0.1 and node2 = 10.200.0.2, each with
// its own sshd and host key, started by tests/infra/start_nodes.sh), the preflight included (the
// tessera binary, disk, node2 reaching node1's rendezvous port), one `tessera train` rank per
// host talking Gloo across the namespaces' bridge, and its metrics tailed to the end.

#include "test_support.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

class TestTwoHostTraining : public QObject {
  Q_OBJECT

  QString m_infra;
  QTemporaryDir m_tmp;

  QStringList connection() const {
    return {QStringLiteral("--no-ssh-config"), QStringLiteral("--identity"), m_infra + QStringLiteral("/ssh/id_ed25519"),
            QStringLiteral("--known-hosts"), m_infra + QStringLiteral("/nodes/known_hosts"), QStringLiteral("--registry"),
            m_tmp.filePath(QStringLiteral("registry"))};
  }

  tessera::test::ProcessResult cli(const QStringList& args, int timeoutMs = 60000) {
    return tessera::test::run(tessera::test::binary(QStringLiteral("tessera-remote")), args + connection(), timeoutMs);
  }

 private Q_SLOTS:
  void initTestCase() {
    m_infra = qEnvironmentVariable("TESSERA_INFRA_DIR");
    QVERIFY2(!m_infra.isEmpty(), "TESSERA_INFRA_DIR not set: run through ctest, which starts the nodes");
    QVERIFY2(QFile::exists(m_infra + QStringLiteral("/nodes/known_hosts")), "the test nodes are not up (start_nodes.sh)");
    QVERIFY(m_tmp.isValid());
  }

  void trainsOnTwoHostsAndTailsToTheEnd() {
    const QString user = tessera::test::readText(m_infra + QStringLiteral("/ssh/user"));
    const QString config = m_tmp.filePath(QStringLiteral("two hosts.yaml"));
    {
      QFile in(qEnvironmentVariable("TESSERA_SOURCE_DIR") + QStringLiteral("/resources/presets/tiny-demo.yaml"));
      QVERIFY(in.open(QIODevice::ReadOnly));
      QByteArray yaml = in.readAll();
      yaml.replace("max_duration: 40ba", "max_duration: 12ba");
      yaml.replace("save_interval: 10ba", "save_interval: 6ba");
      QFile out(config);
      QVERIFY(out.open(QIODevice::WriteOnly));
      out.write(yaml);
    }
    // The run folder is in the test user's home, which both nodes share.
    const QString runDir = QStringLiteral("tst_two_host_training-%1").arg(QCoreApplication::applicationPid());
    const int port = tessera::test::freeTcpPort();
    const auto launch = cli({QStringLiteral("launch"), QStringLiteral("--launcher"), QStringLiteral("ssh"),
                             QStringLiteral("--host"), user + QStringLiteral("@10.200.0.1"), QStringLiteral("--host"),
                             user + QStringLiteral("@10.200.0.2"), QStringLiteral("--run-dir"), runDir, QStringLiteral("--config"),
                             config, QStringLiteral("--cpu"), QStringLiteral("--tessera"), tessera::test::binary(QStringLiteral("tessera")),
                             QStringLiteral("--env"), QStringLiteral("GLOO_SOCKET_IFNAME=eth0"), QStringLiteral("--env"),
                             QStringLiteral("OMP_NUM_THREADS=1"), QStringLiteral("--master-port"), QString::number(port),
                             QStringLiteral("--min-free-gib"), QStringLiteral("1")},
                            120000);
    QVERIFY2(launch.exitCode == 0, (launch.out + launch.err).constData());
    // The preflight checked both hosts and the rendezvous port between them.
    QVERIFY2(launch.err.contains("10.200.0.2  rendezvous: reaches 10.200.0.1:" + QByteArray::number(port)) ||
                 launch.out.contains("10.200.0.2  rendezvous: reaches 10.200.0.1:" + QByteArray::number(port)),
             (launch.out + launch.err).constData());
    const QString id = QString::fromUtf8(launch.out.trimmed().split('\n').last());

    const auto tail = cli({QStringLiteral("tail"), id, QStringLiteral("--follow"), QStringLiteral("--interval"), QStringLiteral("1")}, 300000);
    QVERIFY2(tail.exitCode == 0, tail.err.constData());
    QVERIFY2(tail.err.contains("succeeded"), tail.err.constData());
    QList<int> steps;
    QJsonObject start, finish;
    for (const QByteArray& line : tail.out.trimmed().split('\n')) {
      const QJsonObject o = QJsonDocument::fromJson(line).object();
      QVERIFY2(!o.isEmpty(), line.constData());
      if (o.value(QStringLiteral("event")).toString() == QLatin1String("start")) start = o;
      if (o.value(QStringLiteral("event")).toString() == QLatin1String("finish")) finish = o;
      if (o.contains(QStringLiteral("loss"))) steps.append(o.value(QStringLiteral("step")).toInt());
    }
    QCOMPARE(start.value(QStringLiteral("world_size")).toInt(), 2);
    QCOMPARE(start.value(QStringLiteral("distributed")).toString(), QStringLiteral("torchrun"));
    QCOMPARE(finish.value(QStringLiteral("step")).toInt(), 12);
    QList<int> want;
    for (int s = 1; s <= 12; ++s) want.append(s);
    QCOMPARE(steps, want);  // every step once: nothing lost or repeated by the tail

    const auto status = cli({QStringLiteral("status"), id});
    QVERIFY2(status.out.contains(" succeeded ") && status.out.contains("10.200.0.2"), status.out.constData());
    const auto cleanup = tessera::test::run(
        QStringLiteral("ssh"), {QStringLiteral("-i"), m_infra + QStringLiteral("/ssh/id_ed25519"), QStringLiteral("-o"),
                                QStringLiteral("UserKnownHostsFile=") + m_infra + QStringLiteral("/nodes/known_hosts"),
                                QStringLiteral("-o"), QStringLiteral("StrictHostKeyChecking=yes"), user + QStringLiteral("@10.200.0.1"),
                                QStringLiteral("rm -rf -- ") + runDir});
    QCOMPARE(cleanup.exitCode, 0);
  }
};

QTEST_GUILESS_MAIN(TestTwoHostTraining)
#include "tst_two_host_training.moc"
