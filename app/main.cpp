// tessera-studio: curate datasets, configure and launch training, watch runs, generate images.

#include "main_window.h"

#include "tessera/runtime.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLibraryInfo>
#include <QLocale>
#include <QTimer>
#include <QTranslator>

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

  QTranslator translator;
  if (translator.load(QLocale(), QStringLiteral("tessera_studio"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
    QApplication::installTranslator(&translator);
  }

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("Train and run your own image models."));
  parser.addHelpOption();
  parser.addVersionOption();
  QCommandLineOption smokeTest(QStringLiteral("smoke-test"),
                               QStringLiteral("Show the main window, then quit (for start-up checks)."));
  QCommandLineOption threads(QStringLiteral("threads"), QStringLiteral("CPU threads for local generation (default: all cores)."),
                             QStringLiteral("N"));
  QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                QStringLiteral("With --smoke-test: save a PNG of the main window to FILE before quitting."),
                                QStringLiteral("FILE"));
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

  if (parser.isSet(smokeTest)) {
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
