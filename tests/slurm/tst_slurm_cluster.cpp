// The test Slurm cluster (tests/infra/start_slurm.sh, started by CTest) runs the `tessera` binary
// as a batch job on a node with a (fake) GPU allocation: the path every Slurm launch takes.

#include "test_support.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

class TestSlurmCluster : public QObject {
  Q_OBJECT

  QProcessEnvironment m_env;

  tessera::test::ProcessResult slurm(const QString& program, const QStringList& args) {
    return tessera::test::run(program, args, 30000, m_env);
  }

 private Q_SLOTS:
  void initTestCase() {
    const QString infra = qEnvironmentVariable("TESSERA_INFRA_DIR");
    QVERIFY2(!infra.isEmpty(), "TESSERA_INFRA_DIR not set: run through ctest, which starts Slurm");
    m_env = QProcessEnvironment::systemEnvironment();
    m_env.insert(QStringLiteral("SLURM_CONF"), infra + QStringLiteral("/slurm/slurm.conf"));
    const auto r = slurm(QStringLiteral("sinfo"), {QStringLiteral("-h"), QStringLiteral("-o"), QStringLiteral("%P %T %G")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("gpu:2"), r.out.constData());
  }

  void batchJobRunsTesseraWithAGpuAllocation() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString out = dir.filePath(QStringLiteral("job.out"));
    const QString script = dir.filePath(QStringLiteral("job.sh"));
    QFile f(script);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("#!/bin/bash\n"
            "echo \"gpus=$CUDA_VISIBLE_DEVICES procid=$SLURM_PROCID ntasks=$SLURM_NTASKS\"\n"
            "srun \"$1\" version --json --threads 1\n");
    f.close();
    const auto submit = slurm(QStringLiteral("sbatch"),
                              {QStringLiteral("--parsable"), QStringLiteral("--gres=gpu:1"), QStringLiteral("--ntasks=1"),
                               QStringLiteral("--output=") + out, script, tessera::test::binary(QStringLiteral("tessera"))});
    QVERIFY2(submit.exitCode == 0, submit.err.constData());
    const QString jobId = QString::fromUtf8(submit.out).trimmed().section(QLatin1Char(';'), 0, 0);
    QVERIFY(!jobId.isEmpty());

    QElapsedTimer timer;
    timer.start();
    QString state;
    while (timer.elapsed() < 90000) {
      const auto show = slurm(QStringLiteral("scontrol"), {QStringLiteral("show"), QStringLiteral("job"), jobId});
      const QString text = QString::fromUtf8(show.out);
      const int at = text.indexOf(QStringLiteral("JobState="));
      state = at >= 0 ? text.mid(at + 9).section(QLatin1Char(' '), 0, 0) : QString();
      if (state == QLatin1String("COMPLETED") || state == QLatin1String("FAILED") || state == QLatin1String("CANCELLED")) break;
      QTest::qWait(300);
    }
    QFile result(out);
    QVERIFY(result.open(QIODevice::ReadOnly));
    const QByteArray text = result.readAll();
    QVERIFY2(state == QLatin1String("COMPLETED"), qPrintable(state + QLatin1Char('\n') + QString::fromUtf8(text)));
    QVERIFY2(text.contains("gpus=0 procid=0 ntasks=1"), text.constData());
    const QByteArray json = text.mid(text.indexOf('{'));
    const QJsonObject info = QJsonDocument::fromJson(json).object();
    QCOMPARE(info.value(QStringLiteral("threads")).toInt(), 1);
    QVERIFY(info.contains(QStringLiteral("libtorch")));
  }
};

QTEST_GUILESS_MAIN(TestSlurmCluster)
#include "tst_slurm_cluster.moc"
