// tessera-studio as a user starts it: the real binary shows its main window and quits cleanly.

#include "test_support.h"

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
