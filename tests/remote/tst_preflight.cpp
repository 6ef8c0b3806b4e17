// The launch preflight on this machine, through the same runner code as remote hosts: the real
// `tessera` binary found and its version read, a wrong path reported with what to do, the GPU
// check on a machine without NVIDIA driver, disk space against a limit, and the rendezvous port
// checked between two "hosts" with `tessera net-check` (and a port nobody listens on).

#include "test_support.h"

#include "tessera/remote/command_runner.h"
#include "tessera/remote/preflight.h"

#include <QDir>
#include <QFile>
#include <QProcessEnvironment>
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

  // The GPU check's path on a GPU host, with a stand-in nvidia-smi first on PATH (this machine has
  // none): GPUs counted, busy ones (memory in use) named, and each shortfall with its fix.
  void gpusAreCountedAndBusyOnesNamed() {
    const QString bin = m_tmp.filePath(QStringLiteral("fake-driver"));
    QVERIFY(QDir().mkpath(bin));
    QFile smi(bin + QStringLiteral("/nvidia-smi"));
    QVERIFY(smi.open(QIODevice::WriteOnly));
    smi.write("#!/bin/sh\n"
              "[ \"$FAKE_SMI\" = broken ] && { echo 'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.'; exit 9; }\n"
              "[ \"$1\" = --query-gpu=index,name,memory.used,memory.total ] || exit 2\n"
              "[ \"$2\" = --format=csv,noheader,nounits ] || exit 2\n"
              "echo '0, NVIDIA H100 80GB HBM3, 3, 81559'\n"
              "echo '1, NVIDIA H100 80GB HBM3, 40211, 81559'\n");
    smi.close();
    QVERIFY(smi.setPermissions(smi.permissions() | QFileDevice::ExeOwner | QFileDevice::ExeUser));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PATH"), bin + QLatin1Char(':') + env.value(QStringLiteral("PATH")));
    LocalRunner host(env);
    PreflightOptions o;
    o.tesseraPath = tessera::test::binary(QStringLiteral("tessera"));
    o.minFreeBytes = 1;
    o.gpusPerHost = 1;
    PreflightReport report = runPreflight({&host}, o);
    QVERIFY2(report.ok(), qPrintable(report.toText()));
    QCOMPARE(find(report, QStringLiteral("gpus"))->detail, QStringLiteral("2 × NVIDIA H100 80GB HBM3, 1 free (busy: 1)"));

    o.gpusPerHost = 2;  // one of the two is in use
    report = runPreflight({&host}, o);
    QVERIFY(!report.ok());
    QVERIFY2(find(report, QStringLiteral("gpus"))->fix.contains(QStringLiteral("wait for the busy GPUs")), qPrintable(report.toText()));
    o.gpusPerHost = 4;  // more than the host has
    report = runPreflight({&host}, o);
    QVERIFY2(find(report, QStringLiteral("gpus"))->fix.contains(QStringLiteral("at most 2 GPUs")), qPrintable(report.toText()));

    env.insert(QStringLiteral("FAKE_SMI"), QStringLiteral("broken"));  // a driver that does not answer
    LocalRunner broken(env);
    o.gpusPerHost = 1;
    report = runPreflight({&broken}, o);
    const auto* gpus = find(report, QStringLiteral("gpus"));
    QVERIFY(gpus && !gpus->ok);
    QVERIFY2(gpus->detail.contains(QStringLiteral("NVIDIA driver")), qPrintable(report.toText()));
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
