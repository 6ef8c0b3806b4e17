// The demo project at its real size, as `tessera demo` runs it for a newcomer: it must finish and
// its model must follow held-out captions — object colour, background colour and, mostly, shape —
// as judged by the demo's own judge (evaluation.json), and a second, independent check with other
// seeds and more sampling steps through `tessera generate` on the exported folder, read back by
// `tessera demo --evaluate`. Long (about a quarter of an hour on 2 cores): label "long".

#include "test_support.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using tessera::test::binary;

namespace {

QJsonObject read_json(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  return QJsonDocument::fromJson(f.readAll()).object();
}

}  // namespace

class TestDemoQuality : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void demoModelFollowsHeldOutCaptions() {
    QTemporaryDir dir;
    const QString out = dir.path() + QStringLiteral("/demo");
    QElapsedTimer timer;
    timer.start();
    const auto r = tessera::test::run(binary(QStringLiteral("tessera")), {QStringLiteral("demo"), QStringLiteral("--out"), out},
                                      45 * 60 * 1000);
    const double minutes = timer.elapsed() / 60000.0;
    QVERIFY2(!r.crashed && r.exitCode == 0, (r.out.right(2000) + r.err).constData());
    qInfo("tessera demo took %.1f min", minutes);
    const QJsonObject e = read_json(out + QStringLiteral("/evaluation.json"));
    const double colour = e.value(QStringLiteral("colour_accuracy")).toDouble(-1);
    const double background = e.value(QStringLiteral("background_accuracy")).toDouble(-1);
    const double shape = e.value(QStringLiteral("shape_accuracy")).toDouble(-1);
    qInfo("held-out captions: object colour %.0f%%, background %.0f%%, shape %.0f%%", 100 * colour, 100 * background, 100 * shape);
    QVERIFY2(colour >= 0.8, "object colours of held-out captions");
    QVERIFY2(background >= 0.8, "background colours of held-out captions");
    QVERIFY2(shape >= 0.5, "shapes of held-out captions");

    // Independently: other seeds, more steps, the default sampler of the exported folder.
    const QString again = dir.path() + QStringLiteral("/again");
    const auto g = tessera::test::run(binary(QStringLiteral("tessera")),
                                      {QStringLiteral("demo"), QStringLiteral("--out"), again, QStringLiteral("--evaluate"),
                                       out + QStringLiteral("/model"), QStringLiteral("--sample-steps"), QStringLiteral("40"),
                                       QStringLiteral("--sample-seed"), QStringLiteral("5000"),
                                       QStringLiteral("--guidance"), QStringLiteral("6")},
                                      10 * 60 * 1000);
    QVERIFY2(g.exitCode == 0, g.err.constData());
    const QJsonObject e2 = read_json(again + QStringLiteral("/evaluation.json"));
    qInfo("again (40 steps, guidance 6): object colour %.0f%%, background %.0f%%, shape %.0f%%",
          100 * e2.value(QStringLiteral("colour_accuracy")).toDouble(), 100 * e2.value(QStringLiteral("background_accuracy")).toDouble(),
          100 * e2.value(QStringLiteral("shape_accuracy")).toDouble());
    QVERIFY(e2.value(QStringLiteral("colour_accuracy")).toDouble() >= 0.75);
    QVERIFY(e2.value(QStringLiteral("background_accuracy")).toDouble() >= 0.75);
  }
};

// Qt Test stops a test function after 5 minutes unless told otherwise; this one runs the demo.
int main(int argc, char** argv) {
  qputenv("QTEST_FUNCTION_TIMEOUT", QByteArray::number(50 * 60 * 1000));
  QCoreApplication app(argc, argv);
  TestDemoQuality test;
  return QTest::qExec(&test, argc, argv);
}
#include "tst_demo_quality.moc"
