#include "tessera/remote/ssh_parameters.h"

namespace tessera::remote {

QString SshParameters::displayName() const {
  QString s = host;
  if (!user.isEmpty()) s = user + QLatin1Char('@') + s;
  if (port > 0) s += QLatin1Char(':') + QString::number(port);
  return s;
}

bool SshParameters::setDestination(const QString& destination) {
  QString rest = destination.trimmed();
  QString newUser;
  int newPort = 0;
  const int at = rest.lastIndexOf(QLatin1Char('@'));
  if (at >= 0) {
    newUser = rest.left(at);
    rest = rest.mid(at + 1);
    if (newUser.isEmpty()) return false;
  }
  const int colon = rest.lastIndexOf(QLatin1Char(':'));
  if (colon >= 0 && rest.count(QLatin1Char(':')) == 1) {
    bool ok = false;
    newPort = rest.mid(colon + 1).toInt(&ok);
    if (!ok || newPort <= 0 || newPort > 65535) return false;
    rest = rest.left(colon);
  }
  if (rest.isEmpty() || rest.startsWith(QLatin1Char('-'))) return false;  // never an ssh option
  for (const QChar c : rest) {
    if (c.isSpace() || c.unicode() < 0x20) return false;
  }
  host = rest;
  if (!newUser.isEmpty()) user = newUser;
  if (newPort > 0) port = newPort;
  return true;
}

}  // namespace tessera::remote
