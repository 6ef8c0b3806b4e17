#include "language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

namespace Language {

QStringList codes() {
  return {QString(), QStringLiteral("en"), QStringLiteral("de"), QStringLiteral("zh_CN")};
}

QString displayName(const QString& code) {
  if (code.isEmpty()) return QCoreApplication::translate("Language", "System language");
  if (code == QLatin1String("en")) return QStringLiteral("English");
  if (code == QLatin1String("de")) return QStringLiteral("Deutsch");
  if (code == QLatin1String("zh_CN")) return QStringLiteral("简体中文");
  return code;
}

QString current() {
  const QString code = QSettings().value(QLatin1String(kSettingsKey)).toString();
  return codes().contains(code) ? code : QString();
}

void setCurrent(const QString& code) {
  QSettings().setValue(QLatin1String(kSettingsKey), codes().contains(code) ? code : QString());
}

bool install(QObject* owner, const QString& code, const QString& qmDir) {
  const QLocale locale = code.isEmpty() ? QLocale() : QLocale(code);
  if (!code.isEmpty()) QLocale::setDefault(locale);  // numbers and dates follow the chosen language
  if (code == QLatin1String("en")) return false;      // the source strings are English

  // QTranslator::load(locale, …) tries the UI languages in order (zh_CN, zh, …), so a system
  // language of de_AT finds tessera_studio_de.
  auto* studio = new QTranslator(owner);
  const bool found = studio->load(locale, QStringLiteral("tessera_studio"), QStringLiteral("_"), qmDir);
  if (found && studio->language().section(QLatin1Char('_'), 0, 0) != QLatin1String("en")) {
    QCoreApplication::installTranslator(studio);
  } else {
    delete studio;
    return false;
  }
  // Qt's own strings (standard buttons, file dialogs), where the distribution installed them.
  auto* qt = new QTranslator(owner);
  if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
               QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
    QCoreApplication::installTranslator(qt);
  } else {
    delete qt;
  }
  return true;
}

}  // namespace Language
