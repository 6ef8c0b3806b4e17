// `tessera-remote launch | status | tail | cancel | fetch` from a terminal, against the test sshd.
// The host runs a small script in place of `tessera train` that writes metrics and a sample the
// way training does, so these cases check the CLI's wiring (upload, registry, reconnecting tail,
// fetch, cancel) in seconds; launching the real training is covered by the training suites.

#include "test_support.h"

#include "tessera/remote/ssh_session.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

using tessera::remote::SshParameters;
using tessera::remote::SshSession;

class TestRemoteCli : public QObject {
  Q_OBJECT

  QString m_sshDir;
  QString m_destination;
  QTemporaryDir m_tmp;
  QString m_remoteRoot;
  QString m_config;

  QStringList connection() const {
    return {QStringLiteral("--no-ssh-config"), QStringLiteral("--identity"), m_sshDir + QStringLiteral("/id_ed25519"),
            QStringLiteral("--known-hosts"), m_sshDir + QStringLiteral("/known_hosts"), QStringLiteral("--registry"),
            m_tmp.filePath(QStringLiteral("registry"))};
  }

  tessera::test::ProcessResult cli(const QStringList& args, int timeoutMs = 60000) {
    return tessera::test::run(tessera::test::binary(QStringLiteral("tessera-remote")), args + connection(), timeoutMs);
  }

  QString launch(const QString& name, const QStringList& env) {
    QStringList args{QStringLiteral("launch"), QStringLiteral("--launcher"), QStringLiteral("ssh"), QStringLiteral("--host"), m_destination,
                     QStringLiteral("--run-dir"), m_remoteRoot + QLatin1Char('/') + name, QStringLiteral("--config"), m_config,
                     QStringLiteral("--name"), name, QStringLiteral("--tessera"), m_remoteRoot + QStringLiteral("/fake-train"),
                     QStringLiteral("--skip-preflight")};
    for (const QString& e : env) args << QStringLiteral("--env") << e;
    const auto r = cli(args);
    if (r.exitCode != 0) qWarning() << r.err;
    return r.exitCode == 0 ? QString::fromUtf8(r.out).trimmed() : QString();
  }

 private Q_SLOTS:
  void initTestCase() {
    const QString infra = qEnvironmentVariable("TESSERA_INFRA_DIR");
    QVERIFY2(!infra.isEmpty(), "TESSERA_INFRA_DIR not set: run through ctest, which starts the test sshd");
    m_sshDir = infra + QStringLiteral("/ssh");
    const QString user = tessera::test::readText(m_sshDir + QStringLiteral("/user"));
    const QString port = tessera::test::readText(m_sshDir + QStringLiteral("/port"));
    QVERIFY2(!user.isEmpty() && !port.isEmpty(), "test sshd not set up");
    m_destination = user + QStringLiteral("@127.0.0.1:") + port;
    QVERIFY(m_tmp.isValid());
    m_remoteRoot = QStringLiteral("tst_remote_cli-%1").arg(QCoreApplication::applicationPid());
    m_config = m_tmp.filePath(QStringLiteral("my run.yaml"));
    QFile cfg(m_config);
    QVERIFY(cfg.open(QIODevice::WriteOnly));
    cfg.write("steps: 20\n");
    cfg.close();

    SshParameters p;
    QVERIFY(p.setDestination(m_destination));
    p.identityFile = m_sshDir + QStringLiteral("/id_ed25519");
    p.knownHostsFile = m_sshDir + QStringLiteral("/known_hosts");
    p.readSshConfig = false;
    p.useAgent = false;
    SshSession s(p);
    QVERIFY2(s.connectToHost(), qPrintable(s.errorString()));
    const QString script = QStringLiteral(
        "#!/bin/sh\n"
        "[ \"$1\" = train ] || exit 64\n"
        "shift; while [ $# -gt 0 ]; do case \"$1\" in --run-dir) dir=$2; shift;; --config) cfg=$2; shift;; esac; shift; done\n"
        "[ \"$(cat \"$cfg\")\" = 'steps: 20' ] || exit 66\n"
        "cd \"$dir\" || exit 65\n"
        "mkdir -p samples\n"
        "i=0; while [ $i -lt \"${STEPS:-20}\" ]; do echo \"{\\\"step\\\": $i}\" >> metrics.jsonl; i=$((i + 1)); sleep \"${DELAY:-0.02}\"; done\n"
        "printf 'PNG' > samples/step-00000020.png\n"
        "echo '{\"event\": \"finish\"}' >> metrics.jsonl\n");
    const auto w = s.exec({QStringLiteral("sh"), QStringLiteral("-c"),
                           QStringLiteral("mkdir -p \"$1\" && printf '%s' \"$2\" > \"$1/fake-train\" && chmod +x \"$1/fake-train\""),
                           QStringLiteral("x"), m_remoteRoot, script});
    QVERIFY2(w.ok(), w.standardError.constData());
  }

  void cleanupTestCase() {
    SshParameters p;
    if (!p.setDestination(m_destination)) return;
    p.identityFile = m_sshDir + QStringLiteral("/id_ed25519");
    p.knownHostsFile = m_sshDir + QStringLiteral("/known_hosts");
    p.readSshConfig = false;
    SshSession s(p);
    if (s.connectToHost()) (void)s.exec({QStringLiteral("rm"), QStringLiteral("-rf"), QStringLiteral("--"), m_remoteRoot});
  }

  void launchTailStatusFetch() {
    const QString id = launch(QStringLiteral("first run"), {});
    QVERIFY2(id.startsWith(QStringLiteral("first_run-")), qPrintable(id));
    const auto tail = cli({QStringLiteral("tail"), id, QStringLiteral("--follow"), QStringLiteral("--interval"), QStringLiteral("1")}, 120000);
    QVERIFY2(tail.exitCode == 0, tail.err.constData());
    const QList<QByteArray> lines = tail.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 21);
    QCOMPARE(lines.first(), QByteArray("{\"step\": 0}"));
    QCOMPARE(lines.last(), QByteArray("{\"event\": \"finish\"}"));
    QVERIFY2(tail.err.contains("succeeded"), tail.err.constData());

    const auto status = cli({QStringLiteral("status"), id});
    QCOMPARE(status.exitCode, 0);
    QVERIFY2(status.out.contains(" succeeded ") && status.out.contains(" ssh "), status.out.constData());
    const auto list = cli({QStringLiteral("status")});
    QVERIFY2(list.out.contains(id.toUtf8()), list.out.constData());

    const QString out = m_tmp.filePath(QStringLiteral("fetched"));
    const auto fetch = cli({QStringLiteral("fetch"), id, QStringLiteral("--out"), out});
    QVERIFY2(fetch.exitCode == 0, fetch.err.constData());
    QCOMPARE(tessera::test::readText(out + QStringLiteral("/samples/step-00000020.png")), QStringLiteral("PNG"));
    QCOMPARE(tessera::test::readText(out + QStringLiteral("/metrics.jsonl")).count(QLatin1Char('\n')), 20);
  }

  void cancelStopsTheRun() {
    const QString id = launch(QStringLiteral("long run"), {QStringLiteral("STEPS=100000"), QStringLiteral("DELAY=0.1")});
    QVERIFY(!id.isEmpty());
    QTest::qWait(500);
    auto status = cli({QStringLiteral("status"), id});
    QVERIFY2(status.out.contains(" running "), status.out.constData());
    const auto cancel = cli({QStringLiteral("cancel"), id});
    QVERIFY2(cancel.exitCode == 0, cancel.err.constData());
    status = cli({QStringLiteral("status"), id});
    QVERIFY2(status.out.contains(" cancelled "), status.out.constData());
  }

  void badInputGetsOneClearLine() {
    auto r = cli({QStringLiteral("status"), QStringLiteral("no-such-run")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("no run 'no-such-run'"), r.err.constData());
    r = cli({QStringLiteral("launch"), QStringLiteral("--launcher"), QStringLiteral("ssh"), QStringLiteral("--run-dir"), QStringLiteral("x")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("--config"), r.err.constData());
    r = cli({QStringLiteral("launch"), QStringLiteral("--launcher"), QStringLiteral("carrier-pigeon")});
    QCOMPARE(r.exitCode, 2);
    r = cli({QStringLiteral("tail"), QStringLiteral("--bogus")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("--bogus"), r.err.constData());
    // --project: a studio project's own registry; a folder that is not one is refused.
    const QString project = m_tmp.filePath(QStringLiteral("project"));
    QVERIFY(QDir().mkpath(project));
    r = tessera::test::run(tessera::test::binary(QStringLiteral("tessera-remote")),
                           {QStringLiteral("status"), QStringLiteral("--project"), project});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("not a Tessera project"), r.err.constData());
    QFile marker(project + QStringLiteral("/tessera-project.json"));
    QVERIFY(marker.open(QIODevice::WriteOnly));
    marker.write("{\"format\": \"tessera-project\", \"version\": 1, \"name\": \"p\"}\n");
    marker.close();
    r = tessera::test::run(tessera::test::binary(QStringLiteral("tessera-remote")),
                           {QStringLiteral("status"), QStringLiteral("--project"), project});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(!r.out.contains("first_run"), r.out.constData());  // the runs above are in another registry
  }
};

QTEST_GUILESS_MAIN(TestRemoteCli)
#include "tst_remote_cli.moc"
