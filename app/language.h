#pragma once

#include <QString>
#include <QStringList>

class QObject;

// The interface language: a setting in QSettings, applied at start by installing translators
// (Tessera's own from translations/, and Qt's qtbase translations where installed).
// A change takes effect at the next start.
namespace Language {

// The settings key (one place, so a typo cannot silently create a new key).
inline constexpr const char* kSettingsKey = "ui/language";

// The choices, in menu order: "" (the system's language), "en", "de", "zh_CN".
QStringList codes();
// How a choice is shown: in its own language ("Deutsch", "简体中文"); the system choice is translated.
QString displayName(const QString& code);

// The stored choice ("" when unset or unknown).
QString current();
void setCurrent(const QString& code);

// Installs the translators for `code` on the application, owned by `owner` (deleting it uninstalls them):
// the studio's from qmDir (":/i18n", compiled into the binary) and Qt's own. Returns false when the
// studio has no translation for the language (English, or a system language it does not speak).
bool install(QObject* owner, const QString& code, const QString& qmDir = QStringLiteral(":/i18n"));

}  // namespace Language
