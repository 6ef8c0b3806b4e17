// shellQuote/shellJoin: every hostile string reaches the program literally, through the real
// shells a remote host may run (sh = dash on Debian, bash).

#include "hostile_corpus.h"
#include "test_support.h"

#include "tessera/remote/shell_quote.h"
#include "tessera/remote/ssh_parameters.h"

#include <QFile>

using tessera::remote::shellJoin;
using tessera::remote::shellQuote;

class TestShellQuote : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void init() { QFile::remove(QStringLiteral("/tmp/tessera-pwned")); }

  void quotesAreExact_data() {
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::newRow("plain") << QStringLiteral("abc") << QStringLiteral("'abc'");
    QTest::newRow("empty") << QString() << QStringLiteral("''");
    QTest::newRow("quote") << QStringLiteral("it's") << QStringLiteral("'it'\\''s'");
  }
  void quotesAreExact() {
    QFETCH(QString, in);
    QFETCH(QString, out);
    QCOMPARE(shellQuote(in), out);
  }

  void hostileStringsArriveLiterally_data() {
    QTest::addColumn<QString>("shell");
    QTest::addColumn<QString>("arg");
    const auto corpus = tessera::test::hostileCorpus();
    for (const QString& shell : {QStringLiteral("sh"), QStringLiteral("bash")}) {
      for (int i = 0; i < corpus.size(); ++i) {
        QTest::addRow("%s-%d", qPrintable(shell), i) << shell << corpus[i];
      }
    }
  }
  void hostileStringsArriveLiterally() {
    QFETCH(QString, shell);
    QFETCH(QString, arg);
    // printf '<%s>' ARG ARG: both copies must come back exactly, as two separate words.
    const QString line = shellJoin({QStringLiteral("printf"), QStringLiteral("<%s>"), arg, arg});
    const auto r = tessera::test::run(shell, {QStringLiteral("-c"), line});
    QCOMPARE(r.exitCode, 0);
    const QString expected = QLatin1Char('<') + arg + QStringLiteral("><") + arg + QLatin1Char('>');
    QCOMPARE(QString::fromUtf8(r.out), expected);
    QVERIFY(!QFile::exists(QStringLiteral("/tmp/tessera-pwned")));
  }

  void destinationsAreParsedStrictly_data() {
    QTest::addColumn<QString>("destination");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::newRow("host") << QStringLiteral("gpu1") << true << QString() << QStringLiteral("gpu1") << 0;
    QTest::newRow("user@host:port") << QStringLiteral("ml@gpu1.lan:2222") << true << QStringLiteral("ml")
                                    << QStringLiteral("gpu1.lan") << 2222;
    QTest::newRow("ipv6 literal kept") << QStringLiteral("fe80::1") << true << QString() << QStringLiteral("fe80::1") << 0;
    QTest::newRow("option injection") << QStringLiteral("-oProxyCommand=touch") << false << QString() << QString() << 0;
    QTest::newRow("space") << QStringLiteral("gpu 1") << false << QString() << QString() << 0;
    QTest::newRow("bad port") << QStringLiteral("gpu1:99999") << false << QString() << QString() << 0;
    QTest::newRow("empty user") << QStringLiteral("@gpu1") << false << QString() << QString() << 0;
    QTest::newRow("empty") << QString() << false << QString() << QString() << 0;
  }
  void destinationsAreParsedStrictly() {
    QFETCH(QString, destination);
    QFETCH(bool, ok);
    QFETCH(QString, user);
    QFETCH(QString, host);
    QFETCH(int, port);
    tessera::remote::SshParameters p;
    QCOMPARE(p.setDestination(destination), ok);
    if (!ok) {
      QVERIFY(p.host.isEmpty());
      return;
    }
    QCOMPARE(p.user, user);
    QCOMPARE(p.host, host);
    QCOMPARE(p.port, port);
  }
};

QTEST_GUILESS_MAIN(TestShellQuote)
#include "tst_shell_quote.moc"
