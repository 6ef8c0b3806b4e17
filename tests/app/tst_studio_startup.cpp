// tessera-studio as a user starts it: the real binary shows its main window and quits cleanly.

#include "test_support.h"

#include <QtEndian>
#include <QTemporaryDir>

class TestStudioStartup : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void startsShowsMainWindowAndQuits() {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), QDir::tempPath() + QStringLiteral("/tessera-startup-test"));
    const auto r = tessera::test::run(tessera::test::binary(QStringLiteral("tessera-studio")),
                                      {QStringLiteral("--smoke-test")}, 60000, env);
    QVERIFY2(!r.crashed, r.err.constData());
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("main window shown (5 pages, visible=1)"), r.out.constData());
  }

  // --screenshot-dir (scripts/screenshots.sh) writes one window-sized PNG per page, in the language
  // --language asks for (here Chinese, whose help text proves the translator was installed first).
  void screenshotDirSavesEveryPage() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), tmp.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), tmp.filePath(QStringLiteral("data")));
    const QString shots = tmp.filePath(QStringLiteral("shots"));
    const auto r = tessera::test::run(tessera::test::binary(QStringLiteral("tessera-studio")),
                                      {QStringLiteral("--screenshot-dir"), shots}, 90000, env);
    QVERIFY2(!r.crashed, r.err.constData());
    QCOMPARE(r.exitCode, 0);
    for (const char* page : {"datasets", "train", "runs", "generate", "evaluate"}) {
      QFile file(QDir(shots).filePath(QLatin1String(page) + QStringLiteral(".png")));
      QVERIFY2(file.open(QIODevice::ReadOnly), page);
      const QByteArray png = file.readAll();  // signature, then IHDR: width and height, big-endian
      QVERIFY2(png.startsWith("\x89PNG\r\n\x1a\n") && png.size() > 10000, page);
      const auto be32 = [&png](int at) { return qFromBigEndian<quint32>(png.constData() + at); };
      QVERIFY2(be32(16) >= 800 && be32(20) >= 500, page);
    }
    const auto help = tessera::test::run(tessera::test::binary(QStringLiteral("tessera-studio")),
                                         {QStringLiteral("--language"), QStringLiteral("zh_CN"), QStringLiteral("--help")},
                                         30000, env);
    QCOMPARE(help.exitCode, 0);
    QVERIFY2(QString::fromUtf8(help.out).contains(QStringLiteral("训练并运行你自己的图像模型。")), help.out.constData());
  }

  void versionAndHelp() {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    auto r = tessera::test::run(tessera::test::binary(QStringLiteral("tessera-studio")), {QStringLiteral("--version")}, 30000, env);
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("Tessera Studio"));
    r = tessera::test::run(tessera::test::binary(QStringLiteral("tessera-studio")),
                           {QStringLiteral("--threads"), QStringLiteral("zero")}, 30000, env);
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains("--threads"));
  }
};

QTEST_GUILESS_MAIN(TestStudioStartup)
#include "tst_studio_startup.moc"
