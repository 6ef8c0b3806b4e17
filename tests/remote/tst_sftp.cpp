// SftpClient against the real test sshd (tests/infra/start_sshd.sh, started by CTest): uploads and
// downloads verified by SHA-256 on both sides, cancel + resume, a corrupted partial file detected
// and redone, folder sync in both directions, and hostile file names that stay names.

#include "hostile_corpus.h"
#include "test_support.h"

#include "tessera/remote/sftp_client.h"
#include "tessera/remote/ssh_session.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <unistd.h>

using tessera::remote::SftpClient;
using tessera::remote::SshParameters;
using tessera::remote::SshSession;
using tessera::remote::TransferProgress;

class TestSftp : public QObject {
  Q_OBJECT

  QString m_dir;
  int m_port = 0;
  QString m_user;
  QTemporaryDir m_tmp;
  std::unique_ptr<SshSession> m_ssh;
  std::unique_ptr<SftpClient> m_sftp;
  QString m_remoteRoot;  // relative to the test user's home

  QString readLine(const QString& name) const {
    QFile f(m_dir + QLatin1Char('/') + name);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QString::fromUtf8(f.readAll()).trimmed();
  }

  static QByteArray randomBytes(qint64 n, quint32 seed) {
    QByteArray b(static_cast<int>(n), Qt::Uninitialized);
    QRandomGenerator rng(seed);
    for (qint64 i = 0; i < n; ++i) b[static_cast<int>(i)] = static_cast<char>(rng.generate() & 0xff);
    return b;
  }

  QString writeLocal(const QString& rel, const QByteArray& data) {
    const QString path = m_tmp.filePath(rel);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size()) return {};
    return path;
  }

  static QString sha256(const QByteArray& b) {
    return QString::fromLatin1(QCryptographicHash::hash(b, QCryptographicHash::Sha256).toHex());
  }

  QByteArray remoteContent(const QString& path) {
    const auto r = m_ssh->exec({QStringLiteral("cat"), QStringLiteral("--"), path});
    return r.ok() ? r.standardOutput : QByteArray("<missing>");
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
    SshParameters p;
    p.host = QStringLiteral("127.0.0.1");
    p.port = m_port;
    p.user = m_user;
    p.identityFile = m_dir + QStringLiteral("/id_ed25519");
    p.knownHostsFile = m_dir + QStringLiteral("/known_hosts");
    p.readSshConfig = false;
    p.useAgent = false;
    m_ssh = std::make_unique<SshSession>(p);
    QVERIFY2(m_ssh->connectToHost(), qPrintable(m_ssh->errorString()));
    m_sftp = std::make_unique<SftpClient>(*m_ssh);
    QVERIFY2(m_sftp->open(), qPrintable(m_sftp->errorString()));
    m_remoteRoot = QStringLiteral("tst_sftp-%1").arg(QCoreApplication::applicationPid());
    QVERIFY2(m_sftp->makePath(m_remoteRoot + QStringLiteral("/a/b")), qPrintable(m_sftp->errorString()));
  }

  void cleanupTestCase() {
    if (m_ssh && m_ssh->isConnected() && !m_remoteRoot.isEmpty())
      (void)m_ssh->exec({QStringLiteral("rm"), QStringLiteral("-rf"), QStringLiteral("--"), m_remoteRoot});
  }

  void uploadAndDownloadAreVerified() {
    const QByteArray data = randomBytes(3 * 1024 * 1024 + 17, 1);
    const QString local = writeLocal(QStringLiteral("up.bin"), data);
    const QString remote = m_remoteRoot + QStringLiteral("/up.bin");
    qint64 last = 0;
    int calls = 0;
    const auto up = m_sftp->upload(local, remote, [&](const TransferProgress& p) {
      last = p.bytesDone;
      ++calls;
      return p.bytesTotal == data.size();
    });
    QVERIFY2(up.ok, qPrintable(up.error));
    QCOMPARE(up.sha256, sha256(data));
    QCOMPARE(last, qint64(data.size()));
    QVERIFY(calls > 10);
    QCOMPARE(m_sftp->remoteSize(remote), qint64(data.size()));
    QCOMPARE(m_sftp->remoteSize(remote + QStringLiteral(".part")), qint64(-1));
    QCOMPARE(m_sftp->remoteSha256(remote), sha256(data));

    const QString back = m_tmp.filePath(QStringLiteral("down.bin"));
    const auto down = m_sftp->download(remote, back);
    QVERIFY2(down.ok, qPrintable(down.error));
    QFile f(back);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), data);
    QVERIFY(!QFile::exists(back + QStringLiteral(".part")));
  }

  void cancelledUploadResumes() {
    const QByteArray data = randomBytes(2 * 1024 * 1024, 2);
    const QString local = writeLocal(QStringLiteral("resume.bin"), data);
    const QString remote = m_remoteRoot + QStringLiteral("/a/resume.bin");
    const auto first = m_sftp->upload(local, remote, [](const TransferProgress& p) { return p.bytesDone < 700 * 1024; });
    QVERIFY(!first.ok);
    QVERIFY(first.cancelled);
    QCOMPARE(m_sftp->remoteSize(remote), qint64(-1));  // nothing half-written at the target
    const qint64 partial = m_sftp->remoteSize(remote + QStringLiteral(".part"));
    QVERIFY2(partial >= 700 * 1024 && partial < data.size(), qPrintable(QString::number(partial)));
    const auto second = m_sftp->upload(local, remote);
    QVERIFY2(second.ok, qPrintable(second.error));
    QCOMPARE(second.resumedFrom, partial);
    QCOMPARE(remoteContent(remote), data);
  }

  void corruptedPartialUploadIsRedone() {
    const QByteArray data = randomBytes(600 * 1024, 3);
    const QString local = writeLocal(QStringLiteral("corrupt.bin"), data);
    const QString remote = m_remoteRoot + QStringLiteral("/corrupt.bin");
    // A stale .part whose bytes are not a prefix of the file: resuming would produce garbage.
    const QString stale = writeLocal(QStringLiteral("stale.bin"), randomBytes(100 * 1024, 99));
    QVERIFY(m_sftp->upload(stale, remote + QStringLiteral(".part")).ok);
    const auto r = m_sftp->upload(local, remote);
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(r.resumedFrom, qint64(0));  // the second, full attempt is what succeeded
    QCOMPARE(m_sftp->remoteSha256(remote), sha256(data));
  }

  void cancelledDownloadResumes() {
    const QByteArray data = randomBytes(1500 * 1024, 4);
    const QString remote = m_remoteRoot + QStringLiteral("/dl.bin");
    QVERIFY(m_sftp->upload(writeLocal(QStringLiteral("dl-src.bin"), data), remote).ok);
    const QString local = m_tmp.filePath(QStringLiteral("dl.bin"));
    const auto first = m_sftp->download(remote, local, [](const TransferProgress& p) { return p.bytesDone < 500 * 1024; });
    QVERIFY(first.cancelled);
    QVERIFY(!QFile::exists(local));
    const auto second = m_sftp->download(remote, local);
    QVERIFY2(second.ok, qPrintable(second.error));
    QVERIFY(second.resumedFrom >= 500 * 1024);
    QFile f(local);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), data);
  }

  void missingFilesGiveClearErrors() {
    const auto r = m_sftp->download(m_remoteRoot + QStringLiteral("/nope.bin"), m_tmp.filePath(QStringLiteral("nope")));
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(QStringLiteral("nope.bin")) && r.error.contains(QStringLiteral("no such file")), qPrintable(r.error));
    const auto u = m_sftp->upload(m_tmp.filePath(QStringLiteral("absent")), m_remoteRoot + QStringLiteral("/x"));
    QVERIFY(!u.ok);
    QVERIFY2(u.error.contains(QStringLiteral("absent")), qPrintable(u.error));
  }

  void folderSyncBothWays() {
    const QString src = m_tmp.filePath(QStringLiteral("tree"));
    writeLocal(QStringLiteral("tree/config.yaml"), "steps: 10\n");
    writeLocal(QStringLiteral("tree/shards/index.json"), "{}");
    writeLocal(QStringLiteral("tree/shards/shard.00000.mds"), randomBytes(70000, 5));
    const QString remote = m_remoteRoot + QStringLiteral("/tree");
    auto first = m_sftp->syncUp(src, remote);
    QVERIFY2(first.ok, qPrintable(first.error));
    QCOMPARE(first.filesTransferred, 3);
    auto again = m_sftp->syncUp(src, remote);
    QVERIFY(again.ok);
    QCOMPARE(again.filesTransferred, 0);
    QCOMPARE(again.filesUpToDate, 3);
    // Same size, new content: found by its modification time (as rsync does without -c).
    writeLocal(QStringLiteral("tree/config.yaml"), "steps: 20\n");
    {
      QFile f(src + QStringLiteral("/config.yaml"));
      QVERIFY(f.open(QIODevice::ReadWrite));
      QVERIFY(f.setFileTime(QDateTime::currentDateTime().addSecs(5), QFileDevice::FileModificationTime));
    }
    auto changed = m_sftp->syncUp(src, remote);
    QVERIFY(changed.ok);
    QCOMPARE(changed.transferred, QStringList{QStringLiteral("config.yaml")});
    QCOMPARE(remoteContent(remote + QStringLiteral("/config.yaml")), QByteArray("steps: 20\n"));

    const QString dst = m_tmp.filePath(QStringLiteral("tree-back"));
    auto down = m_sftp->syncDown(remote, dst);
    QVERIFY2(down.ok, qPrintable(down.error));
    QCOMPARE(down.filesTransferred, 3);
    QFile shard(dst + QStringLiteral("/shards/shard.00000.mds"));
    QVERIFY(shard.open(QIODevice::ReadOnly));
    QCOMPARE(shard.readAll(), randomBytes(70000, 5));
    auto downAgain = m_sftp->syncDown(remote, dst);
    QVERIFY(downAgain.ok);
    QCOMPARE(downAgain.filesTransferred, 0);
  }

  void fullRemoteDiskIsReported() {
    if (::geteuid() != 0) QSKIP("needs root to mount a tiny file system (ctest runs as root)");
    const QString mountPoint = QStringLiteral("/tmp/tessera-full-disk-%1").arg(QCoreApplication::applicationPid());
    QVERIFY(QDir().mkpath(mountPoint));
    const auto mount = tessera::test::run(QStringLiteral("mount"), {QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"),
                                                                   QStringLiteral("size=256k,mode=0777"), QStringLiteral("tessera-full"), mountPoint});
    if (mount.exitCode != 0) QSKIP(qPrintable(QStringLiteral("cannot mount a tmpfs here: ") + QString::fromUtf8(mount.err)));
    const QString local = writeLocal(QStringLiteral("big.bin"), randomBytes(1024 * 1024, 6));
    const auto r = m_sftp->upload(local, mountPoint + QStringLiteral("/big.bin"));
    tessera::test::run(QStringLiteral("umount"), {mountPoint});
    QDir().rmdir(mountPoint);
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(QStringLiteral("disk full")) && r.error.contains(QStringLiteral("big.bin")), qPrintable(r.error));
  }

  void hostileNamesStayNames() {
    QFile::remove(QStringLiteral("/tmp/tessera-pwned"));
    const QString dir = m_remoteRoot + QStringLiteral("/hostile");
    QVERIFY(m_sftp->makePath(dir));
    int n = 0;
    for (const QString& name : tessera::test::hostileCorpus()) {
      if (name.isEmpty() || name.contains(QLatin1Char('/')) || name == QLatin1String("*")) continue;
      const QByteArray data = name.toUtf8() + QByteArray::number(++n);
      const QString local = writeLocal(QStringLiteral("h%1").arg(n), data);
      const QString remote = dir + QLatin1Char('/') + name;
      const auto r = m_sftp->upload(local, remote);
      QVERIFY2(r.ok, qPrintable(name + QStringLiteral(": ") + r.error));
      QCOMPARE(m_sftp->remoteSha256(remote), sha256(data));
    }
    std::vector<tessera::remote::RemoteEntry> entries;
    QVERIFY(m_sftp->list(dir, &entries));
    QCOMPARE(int(entries.size()), n);
    QVERIFY2(!QFile::exists(QStringLiteral("/tmp/tessera-pwned")), "a file name was executed");
  }
};

QTEST_GUILESS_MAIN(TestSftp)
#include "tst_sftp.moc"
