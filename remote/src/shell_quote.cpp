#include "tessera/remote/shell_quote.h"

namespace tessera::remote {

QString shellQuote(const QString& arg) {
  // Inside single quotes nothing is special except the closing quote itself, which is written
  // as '\'' (close, escaped quote, reopen). NUL cannot be passed through a shell at all.
  QString out;
  out.reserve(arg.size() + 2);
  out += QLatin1Char('\'');
  for (const QChar c : arg) {
    if (c == QLatin1Char('\'')) {
      out += QLatin1String("'\\''");
    } else if (c.unicode() == 0) {
      continue;
    } else {
      out += c;
    }
  }
  out += QLatin1Char('\'');
  return out;
}

QString shellJoin(const QStringList& args) {
  QStringList quoted;
  quoted.reserve(args.size());
  for (const QString& a : args) quoted << shellQuote(a);
  return quoted.join(QLatin1Char(' '));
}

}  // namespace tessera::remote
