// SshSession against the real test sshd (tests/infra/start_sshd.sh, started by CTest):
// host-key policy (known / changed / unknown), authentication, quoting end to end, exit codes,
// and the tessera-remote CLI on top.

#include "hostile_corpus.h"
#include "test_support.h"

#include "tessera/remote/ssh_session.h"

#include <QFile>
#include <QTemporaryDir>

using tessera::remote::HostKeyInfo;
using tessera::remote::SshParameters;
using tessera::remote::SshSession;

class TestSshSession : public QObject {
  Q_OBJECT

  QString m_dir;
  int m_port = 0;
  QString m_user;
  QTemporaryDir m_tmp;
  int m_copies = 0;

  QString readLine(const QString& name) const {
    QFile f(m_dir + QLatin1Char('/') + name);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QString::fromUtf8(f.readAll()).trimmed();
  }

  SshParameters params(const QString& knownHosts) const {
    SshParameters p;
    p.host = QStringLiteral("127.0.0.1");
    p.port = m_port;
    p.user = m_user;
    p.identityFile = m_dir + QStringLiteral("/id_ed25519");
    p.knownHostsFile = knownHosts;
    p.readSshConfig = false;
    p.useAgent = false;
    p.connectTimeoutSecs = 10;
    return p;
  }

  QString copyKnownHosts(const QString& name) {
    const QString target = m_tmp.filePath(name + QString::number(++m_copies));
    QFile::copy(m_dir + QLatin1Char('/') + name, target);
    return target;
  }

 private Q_SLOTS:
  void initTestCase() {
    const QString infra = qEnvironmentVariable("TESSERA_INFRA_DIR");
    QVERIFY2(!infra.isEmpty(), "TESSERA_INFRA_DIR not set: run through ctest, which starts the test sshd");
    m_dir = infra + QStringLiteral("/ssh");
    m_port = readLine(QStringLiteral("port")).toInt();
    m_user = readLine(QStringLiteral("user"));
    QVERIFY2(m_port > 0 && !m_user.isEmpty(), "test sshd not set up (tests/infra/start_sshd.sh)");
    QVERIFY(m_tmp.isValid());
  }

  void knownHostConnectsAndRunsCommands() {
    SshSession s(params(copyKnownHosts(QStringLiteral("known_hosts"))));
    QVERIFY2(s.connectToHost(), qPrintable(s.errorString()));
    QCOMPARE(s.hostKey().state, HostKeyInfo::State::Known);
    QVERIFY(s.hostKey().fingerprint.startsWith(QStringLiteral("SHA256:")));
    const auto r = s.exec({QStringLiteral("id"), QStringLiteral("-un")});
    QVERIFY(r.ok());
    QCOMPARE(QString::fromUtf8(r.standardOutput).trimmed(), m_user);
    const auto failing = s.exec({QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("echo oops >&2; exit 3")});
    QVERIFY(failing.started);
    QCOMPARE(failing.exitStatus, 3);
    QCOMPARE(failing.standardError, QByteArray("oops\n"));
  }

  void hostileArgumentsArriveLiterally() {
    SshSession s(params(copyKnownHosts(QStringLiteral("known_hosts"))));
    QVERIFY2(s.connectToHost(), qPrintable(s.errorString()));
    const auto corpus = tessera::test::hostileCorpus();
    const QString canary = QStringLiteral("/tmp/tessera-pwned");
    QVERIFY(s.exec({QStringLiteral("rm"), QStringLiteral("-f"), canary}).ok());
    for (const QString& arg : corpus) {
      const auto r = s.exec({QStringLiteral("printf"), QStringLiteral("<%s>"), arg});
      QVERIFY2(r.ok(), qPrintable(arg));
      QCOMPARE(QString::fromUtf8(r.standardOutput), QLatin1Char('<') + arg + QLatin1Char('>'));
    }
    const auto check = s.exec({QStringLiteral("test"), QStringLiteral("-e"), canary});
    QVERIFY(check.started);
    QCOMPARE(check.exitStatus, 1);  // nothing was executed
    QVERIFY(!QFile::exists(canary));
  }

  void changedHostKeyIsRefusedWithBothFingerprints() {
    const QString known = copyKnownHosts(QStringLiteral("known_hosts_changed"));
    SshSession s(params(known));
    bool asked = false;
    s.setUnknownHostKeyHandler([&](const HostKeyInfo&) { return asked = true; });
    QVERIFY(!s.connectToHost());
    QVERIFY(!asked);  // a changed key is never offered for acceptance
    QCOMPARE(s.hostKey().state, HostKeyInfo::State::Changed);
    QVERIFY(!s.hostKey().knownFingerprint.isEmpty());
    QVERIFY(s.hostKey().knownFingerprint != s.hostKey().fingerprint);
    QVERIFY(s.errorString().contains(s.hostKey().fingerprint));
    QVERIFY(s.errorString().contains(s.hostKey().knownFingerprint));
    QVERIFY(s.errorString().contains(QStringLiteral("CHANGED")));
    QVERIFY(!s.isConnected());
  }

  void unknownHostKeyIsRefusedWithoutConsent() {
    const QString known = m_tmp.filePath(QStringLiteral("empty_known_hosts"));
    SshSession s(params(known));
    QVERIFY(!s.connectToHost());
    QCOMPARE(s.hostKey().state, HostKeyInfo::State::Unknown);
    QVERIFY(s.errorString().contains(s.hostKey().fingerprint));

    SshSession declined(params(known));
    declined.setUnknownHostKeyHandler([](const HostKeyInfo&) { return false; });
    QVERIFY(!declined.connectToHost());
    QVERIFY(!QFile::exists(known) || QFile(known).size() == 0);
  }

  void acceptedHostKeyIsRemembered() {
    const QString known = m_tmp.filePath(QStringLiteral("accept/known_hosts"));
    QString shown;
    {
      SshSession s(params(known));
      s.setUnknownHostKeyHandler([&](const HostKeyInfo& key) {
        shown = key.fingerprint;
        return true;
      });
      QVERIFY2(s.connectToHost(), qPrintable(s.errorString()));
      QVERIFY(shown.startsWith(QStringLiteral("SHA256:")));
    }
    SshSession again(params(known));  // no handler: must now be known
    QVERIFY2(again.connectToHost(), qPrintable(again.errorString()));
    QCOMPARE(again.hostKey().state, HostKeyInfo::State::Known);
    QCOMPARE(again.hostKey().fingerprint, shown);
  }

  void wrongKeyFailsAuthentication() {
    SshParameters p = params(copyKnownHosts(QStringLiteral("known_hosts")));
    p.identityFile = m_dir + QStringLiteral("/other_host_key");  // a valid key, not authorised
    SshSession s(p);
    QVERIFY(!s.connectToHost());
    QVERIFY(s.errorString().contains(QStringLiteral("authentication failed")));
  }

  void cliRunsCommandsAndPassesExitStatus() {
    const QString known = copyKnownHosts(QStringLiteral("known_hosts"));
    const QStringList base = {QStringLiteral("exec"), QStringLiteral("--no-ssh-config"),
                              QStringLiteral("--port"), QString::number(m_port),
                              QStringLiteral("--identity"), m_dir + QStringLiteral("/id_ed25519"),
                              QStringLiteral("--known-hosts"), known,
                              m_user + QStringLiteral("@127.0.0.1")};
    const QString cli = tessera::test::binary(QStringLiteral("tessera-remote"));
    auto r = tessera::test::run(cli, base + QStringList{QStringLiteral("--"), QStringLiteral("printf"), QStringLiteral("%s"), QStringLiteral("$(id)")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("$(id)"));
    r = tessera::test::run(cli, base + QStringList{QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("exit 7")});
    QCOMPARE(r.exitCode, 7);

    QStringList unknown = base;
    unknown[7] = m_tmp.filePath(QStringLiteral("cli_empty_known_hosts"));
    r = tessera::test::run(cli, unknown + QStringList{QStringLiteral("--"), QStringLiteral("true")});
    QCOMPARE(r.exitCode, 255);
    QVERIFY(r.err.contains("unknown host key"));
    r = tessera::test::run(cli, QStringList{QStringLiteral("exec"), QStringLiteral("--accept-new-host-key")} + unknown.mid(1) +
                                    QStringList{QStringLiteral("--"), QStringLiteral("true")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.err.contains("SHA256:"));
  }
};

QTEST_GUILESS_MAIN(TestSshSession)
#include "tst_ssh_session.moc"
