#pragma once
// Strings that must reach a remote program literally and never execute anything: used for run
// names, paths and prompts wherever Tessera builds a command line.

#include <QStringList>

namespace tessera::test {

inline QStringList hostileCorpus() {
  return {
      QStringLiteral("; rm -rf ~"),
      QStringLiteral("$(touch /tmp/tessera-pwned)"),
      QStringLiteral("`touch /tmp/tessera-pwned`"),
      QStringLiteral("a'b\"c"),
      QStringLiteral("'; touch /tmp/tessera-pwned; echo '"),
      QStringLiteral("\"; touch /tmp/tessera-pwned; echo \""),
      QStringLiteral("line1\nline2\n; touch /tmp/tessera-pwned"),
      QStringLiteral("tab\there"),
      QStringLiteral("--help"),
      QStringLiteral("-rf"),
      QStringLiteral("&& touch /tmp/tessera-pwned"),
      QStringLiteral("| touch /tmp/tessera-pwned"),
      QStringLiteral("> /tmp/tessera-pwned"),
      QStringLiteral("$HOME ${PATH} $0 $$ $?"),
      QStringLiteral("*"),
      QStringLiteral("~root"),
      QStringLiteral("a\\b\\\\c\\"),
      QStringLiteral("!!"),
      QStringLiteral("#comment"),
      QStringLiteral(""),
      QStringLiteral(" leading and trailing spaces "),
      QStringLiteral("Ünïcödé ✓ 日本語 🚀"),
      QStringLiteral("\u202Eevil\u202C"),
      QStringLiteral("''''"),
      QStringLiteral("'"),
  };
}

}  // namespace tessera::test
