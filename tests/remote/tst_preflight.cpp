// The launch preflight on this machine, through the same runner code as remote hosts: the real
// `tessera` binary found and its version read, a wrong path reported with what to do, the GPU
// check on a machine without NVIDIA driver, disk space against a limit, and the rendezvous port
// checked between two "hosts" with `tessera net-check` (and a port nobody listens on).

#include "test_support.h"

#include "tessera/remote/command_runner.h"
#include "tessera/remote/preflight.h"

#include <QStandardPaths>
#include <QTemporaryDir>

using namespace tessera::remote;

class TestPreflight : public QObject {
  Q_OBJECT

  QTemporaryDir m_tmp;

  static const PreflightCheck* find(const PreflightReport& r, const QString& what, int nth = 0) {
    for (const auto& c : r.checks)
      if (c.what == what && nth-- == 0) return &c;
    return nullptr;
  }

 private Q_SLOTS:
  void binaryVersionAndDisk() {
    LocalRunner local;
    PreflightOptions o;
    o.tesseraPath = tessera::test::binary(QStringLiteral("tessera"));
    o.runDir = m_tmp.filePath(QStringLiteral("run dir"));
    o.gpusPerHost = 0;  // a CPU run
    o.minFreeBytes = 1;
    const PreflightReport report = runPreflight({&local}, o);
    QVERIFY2(report.ok(), qPrintable(report.toText()));
    QVERIFY(find(report, QStringLiteral("gpus")) == nullptr);
    QVERIFY2(find(report, QStringLiteral("tessera"))->detail.startsWith(QStringLiteral("tessera ")), qPrintable(report.toText()));
    QVERIFY(QDir(o.runDir).exists());

    o.minFreeBytes = qint64(1) << 60;  // an exabyte
    const PreflightReport full = runPreflight({&local}, o);
    QVERIFY(!full.ok());
    const auto* disk = find(full, QStringLiteral("disk"));
    QVERIFY(disk && !disk->ok);
    QVERIFY2(disk->fix.contains(QStringLiteral("free space")), qPrintable(full.toText()));
  }

  void missingBinaryAndGpusAreExplained() {
    LocalRunner local;
    PreflightOptions o;
    o.tesseraPath = m_tmp.filePath(QStringLiteral("no-such-tessera"));
    o.gpusPerHost = 1;
    const PreflightReport report = runPreflight({&local}, o);
    QVERIFY(!report.ok());
    const auto* bin = find(report, QStringLiteral("tessera"));
    QVERIFY(bin && !bin->ok);
    QVERIFY2(bin->detail.contains(QStringLiteral("not found")) && bin->fix.contains(QStringLiteral("--tessera")), qPrintable(report.toText()));
    if (QStandardPaths::findExecutable(QStringLiteral("nvidia-smi")).isEmpty()) {
      const auto* gpus = find(report, QStringLiteral("gpus"));
      QVERIFY(gpus && !gpus->ok);
      QVERIFY2(gpus->detail.contains(QStringLiteral("nvidia-smi")), qPrintable(report.toText()));
    }
    QVERIFY(report.toText().contains(QStringLiteral("FAIL")));
  }

  void rendezvousBetweenHosts() {
    LocalRunner first, second;
    PreflightOptions o;
    o.tesseraPath = tessera::test::binary(QStringLiteral("tessera"));
    o.gpusPerHost = 0;
    o.rendezvousPort = tessera::test::freeTcpPort();
    QVERIFY(o.rendezvousPort > 0);
    const PreflightReport report = runPreflight({&first, &second}, o);
    QVERIFY2(report.ok(), qPrintable(report.toText()));
    QVERIFY(find(report, QStringLiteral("rendezvous")) != nullptr);

    // Nothing listens where the second host is told to connect: reported with the fix.
    const int other = o.rendezvousPort == 65000 ? 65001 : 65000;
    QCOMPARE(tessera::test::run(o.tesseraPath, {QStringLiteral("net-check"), QStringLiteral("connect"), QStringLiteral("127.0.0.1"),
                                                QString::number(other), QStringLiteral("1")}).exitCode, 1);
    const auto bad = tessera::test::run(o.tesseraPath, {QStringLiteral("net-check"), QStringLiteral("listen"), QStringLiteral("99999"),
                                                        QStringLiteral("1"), QStringLiteral("1")});
    QCOMPARE(bad.exitCode, 2);
    QVERIFY2(bad.err.contains("PORT"), bad.err.constData());
  }
};

QTEST_GUILESS_MAIN(TestPreflight)
#include "tst_preflight.moc"
