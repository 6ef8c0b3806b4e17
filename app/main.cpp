// tessera-studio: curate datasets, configure and launch training, watch runs, generate images.

#include "language.h"
#include "main_window.h"
#include "screenshot_tour.h"

#include "tessera/runtime.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <cstdio>

int main(int argc, char** argv) {
  // The icons are compiled into the static tessera_studio_ui library, whose resource initialiser the
  // linker drops unless something calls it.
  Q_INIT_RESOURCE(tessera);
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("Tessera"));
  QApplication::setApplicationName(QStringLiteral("Tessera Studio"));
  QApplication::setApplicationVersion(QStringLiteral(TESSERA_VERSION));
  QApplication::setDesktopFileName(QStringLiteral("tessera-studio"));

  // The language chosen in Settings > Language (default: the system's), before any string is made;
  // --language overrides it for one start (the command line is read again below, with its help).
  {
    QCommandLineParser early;
    early.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    QCommandLineOption language(QStringLiteral("language"), QString(), QStringLiteral("CODE"));
    early.addOption(language);
    early.parse(QCoreApplication::arguments());  // unknown options are the full parser's business
    Language::install(&app, early.isSet(language) ? early.value(language) : Language::current());
  }

  QCommandLineParser parser;
  parser.setApplicationDescription(QCoreApplication::translate("main", "Train and run your own image models."));
  parser.addHelpOption();
  parser.addVersionOption();
  QCommandLineOption smokeTest(QStringLiteral("smoke-test"),
                               QCoreApplication::translate("main", "Show the main window, then quit (for start-up checks)."));
  QCommandLineOption threads(QStringLiteral("threads"), QCoreApplication::translate("main", "CPU threads for local generation (default: all cores)."),
                             QStringLiteral("N"));
  QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                QCoreApplication::translate("main", "With --smoke-test: save a PNG of the main window to FILE before quitting."),
                                QStringLiteral("FILE"));
  QCommandLineOption screenshotDir(
      QStringLiteral("screenshot-dir"),
      QCoreApplication::translate("main", "Save a PNG of every page into DIR (datasets.png, train.png, …), then quit."),
      QStringLiteral("DIR"));
  QCommandLineOption language(QStringLiteral("language"),
                              QCoreApplication::translate("main", "Interface language for this start: en, de or zh_CN (default: the setting)."),
                              QStringLiteral("CODE"));
  parser.addOption(screenshotDir);
  parser.addOption(language);
  parser.addOption(smokeTest);
  parser.addOption(screenshot);
  parser.addOption(threads);
  parser.process(app);

  int requestedThreads = 0;
  if (parser.isSet(threads)) {
    bool ok = false;
    requestedThreads = parser.value(threads).toInt(&ok);
    if (!ok || requestedThreads < 1) {
      std::fprintf(stderr, "tessera-studio: --threads expects a positive number, got '%s'\n",
                   qPrintable(parser.value(threads)));
      return 2;
    }
  }
  tessera::configure_threads(requestedThreads);

  MainWindow window;
  window.show();

  if (parser.isSet(screenshotDir)) {
    QTimer::singleShot(200, &window, [&window, dir = parser.value(screenshotDir)] {
      runScreenshotTour(&window, dir, 5000, [&window](int failures) {
        window.close();
        QCoreApplication::exit(failures == 0 ? 0 : 1);
      });
    });
  } else if (parser.isSet(smokeTest)) {
    const QString shotPath = parser.value(screenshot);
    QTimer::singleShot(200, &window, [&window, shotPath] {
      if (!shotPath.isEmpty() && !window.grab().save(shotPath)) {
        std::fprintf(stderr, "tessera-studio: cannot write screenshot %s\n", qPrintable(shotPath));
      }
      std::printf("tessera-studio: main window shown (%d pages, visible=%d)\n", window.pageCount(),
                  window.isVisible() ? 1 : 0);
      std::fflush(stdout);
      window.close();
    });
  }
  return QApplication::exec();
}
