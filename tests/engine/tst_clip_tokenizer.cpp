// The CLIP tokenizer against transformers' slow CLIPTokenizer (golden/reference/tokenizer.json),
// plus the folder conventions (pad token resolution) and its failure modes.

#include "test_support.h"

#include "tessera/error.h"
#include "text/clip_tokenizer.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace {

std::vector<int64_t> to_ids(const QJsonArray& a) {
  std::vector<int64_t> out;
  for (const auto& v : a) out.push_back(v.toInteger());
  return out;
}

QStringList to_qstrings(const std::vector<std::string>& v) {
  QStringList out;
  for (const auto& s : v) out << QString::fromStdString(s);
  return out;
}

QString ids_to_string(const std::vector<int64_t>& ids) {
  QStringList parts;
  for (auto id : ids) parts << QString::number(id);
  return parts.join(QLatin1Char(' '));
}

QString tokenizer_dir(const QString& golden) { return golden + QStringLiteral("/tiny-sd2/tokenizer"); }

bool copy_file(const QString& from, const QString& to) { return QFile::copy(from, to); }

bool write_file(const QString& path, const QByteArray& bytes) {
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly)) return false;
  return f.write(bytes) == bytes.size();
}

// Runs `fn`, expecting a tessera::Error whose message contains `needle`.
template <typename Fn>
QString expect_error(Fn&& fn) {
  try {
    fn();
  } catch (const tessera::Error& e) {
    return QString::fromStdString(e.what());
  }
  return QString();
}

}  // namespace

class TestCLIPTokenizer : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void goldenPrompts_data() {
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<QString>("inputIds");
    QTest::addColumn<QString>("attentionMask");
    QTest::addColumn<QString>("untruncatedIds");
    QTest::addColumn<QStringList>("bpeTokens");
    const QString golden = tessera::test::goldenDir();
    if (golden.isEmpty()) {
      QTest::newRow("no-golden") << QString() << QString() << QString() << QString() << QStringList();
      return;
    }
    QFile f(golden + QStringLiteral("/reference/tokenizer.json"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject root = QJsonDocument::fromJson(f.readAll()).object();
    const QJsonArray entries = root.value(QStringLiteral("entries")).toArray();
    QCOMPARE(entries.size(), 33);
    int i = 0;
    for (const auto& e : entries) {
      const QJsonObject o = e.toObject();
      QStringList bpe;
      for (const auto& t : o.value(QStringLiteral("bpe_tokens")).toArray()) bpe << t.toString();
      const QByteArray name = QByteArray::number(i++) + ": " + o.value(QStringLiteral("prompt")).toString().left(40).toUtf8();
      QTest::newRow(name.constData()) << o.value(QStringLiteral("prompt")).toString()
                                      << ids_to_string(to_ids(o.value(QStringLiteral("input_ids")).toArray()))
                                      << ids_to_string(to_ids(o.value(QStringLiteral("attention_mask")).toArray()))
                                      << ids_to_string(to_ids(o.value(QStringLiteral("untruncated_ids")).toArray()))
                                      << bpe;
    }
  }

  void goldenPrompts() {
    TESSERA_REQUIRE_GOLDEN(golden);
    QFETCH(QString, prompt);
    QFETCH(QString, inputIds);
    QFETCH(QString, attentionMask);
    QFETCH(QString, untruncatedIds);
    QFETCH(QStringList, bpeTokens);
    static const tessera::CLIPTokenizer tok = tessera::CLIPTokenizer::from_folder(tokenizer_dir(golden).toStdString());
    const std::string text = prompt.toStdString();
    QCOMPARE(to_qstrings(tok.tokenize(text)), bpeTokens);
    QCOMPARE(ids_to_string(tok.encode(text)), untruncatedIds);
    const auto padded = tok.encode_padded(text, 77);
    QCOMPARE(padded.input_ids.size(), size_t(77));
    QCOMPARE(ids_to_string(padded.input_ids), inputIds);
    QCOMPARE(ids_to_string(padded.attention_mask), attentionMask);
  }

  void sd2FolderConventions() {
    TESSERA_REQUIRE_GOLDEN(golden);
    const auto tok = tessera::CLIPTokenizer::from_folder(tokenizer_dir(golden).toStdString());
    QCOMPARE(tok.bos_id(), int64_t(998));
    QCOMPARE(tok.eos_id(), int64_t(999));
    QCOMPARE(tok.unk_id(), int64_t(999));
    // special_tokens_map.json's "!" wins over tokenizer_config.json's <|endoftext|>.
    QCOMPARE(QString::fromStdString(tok.pad_token()), QStringLiteral("!"));
    QCOMPARE(tok.pad_id(), int64_t(0));
    QCOMPARE(tok.model_max_length(), 77);
    QCOMPARE(tok.vocab_size(), size_t(1000));
    QCOMPARE(tok.merge_count(), size_t(486));
    QCOMPARE(tok.token_to_id("a</w>"), int64_t(320));
    QCOMPARE(tok.token_to_id("not-a-token"), int64_t(999));
  }

  void sd1FolderPadsWithEndOfText() {
    TESSERA_REQUIRE_GOLDEN(golden);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString src = tokenizer_dir(golden);
    QVERIFY(copy_file(src + "/vocab.json", dir.filePath("vocab.json")));
    QVERIFY(copy_file(src + "/merges.txt", dir.filePath("merges.txt")));
    QVERIFY(write_file(dir.filePath("tokenizer_config.json"),
                       R"({"bos_token": {"content": "<|startoftext|>", "__type": "AddedToken"},
                           "eos_token": "<|endoftext|>", "pad_token": "<|endoftext|>",
                           "unk_token": "<|endoftext|>", "model_max_length": 77})"));
    const auto tok = tessera::CLIPTokenizer::from_folder(dir.path().toStdString());
    QCOMPARE(tok.pad_id(), int64_t(999));
    // "!" is an ordinary symbol here: BPE'd as "!</w>" (id 256), not split out as the pad token.
    QCOMPARE(to_qstrings(tok.tokenize("the!")), (QStringList{"the</w>", "!</w>"}));
    QCOMPARE(ids_to_string(tok.encode("the!")), QStringLiteral("998 528 256 999"));
    const auto e = tok.encode_padded("a", 6);
    QCOMPARE(ids_to_string(e.input_ids), QStringLiteral("998 320 999 999 999 999"));
    QCOMPARE(ids_to_string(e.attention_mask), QStringLiteral("1 1 1 0 0 0"));
  }

  void invalidUtf8IsReplacedNotFatal_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QByteArray>("equivalent");
    QTest::newRow("latin1 byte") << QByteArray("caf\xe9 table") << QByteArray("caf table");
    QTest::newRow("truncated 4-byte") << QByteArray("red \xF0\x9F\x90") << QByteArray("red ");
    QTest::newRow("overlong slash") << QByteArray("a\xC0\xAF" "b") << QByteArray("ab");
    QTest::newRow("encoded surrogate") << QByteArray("x\xED\xA0\x80y") << QByteArray("xy");
    QTest::newRow("lone continuation") << QByteArray("\x80\x80") << QByteArray("");
    QTest::newRow("bad byte before pad token") << QByteArray("\xE2!") << QByteArray("!");
  }

  void invalidUtf8IsReplacedNotFatal() {
    TESSERA_REQUIRE_GOLDEN(golden);
    QFETCH(QByteArray, bytes);
    QFETCH(QByteArray, equivalent);
    const auto tok = tessera::CLIPTokenizer::from_folder(tokenizer_dir(golden).toStdString());
    const std::string text(bytes.constData(), size_t(bytes.size()));
    const std::string same(equivalent.constData(), size_t(equivalent.size()));
    // Each invalid sequence becomes U+FFFD, which the clean-up drops (like any U+FFFD); a dropped
    // character joins its neighbours, as in transformers ("a\uFFFDb" -> "ab").
    std::vector<std::string> got;
    try {
      got = tok.tokenize(text);
    } catch (const std::exception& e) {
      QFAIL(e.what());
    }
    QCOMPARE(to_qstrings(got), to_qstrings(tok.tokenize(same)));
    QCOMPARE(tok.encode_padded(text).input_ids.size(), size_t(77));
  }

  void upperCaseMarkerBecomesTheMarker() {
    TESSERA_REQUIRE_GOLDEN(golden);
    // Not split out (the trie is case-sensitive), but lower-cased, matched by the CLIP regex and
    // known to CLIP's BPE cache as a whole word: the result is still the eos id.
    const auto tok = tessera::CLIPTokenizer::from_folder(tokenizer_dir(golden).toStdString());
    QCOMPARE(ids_to_string(tok.encode("a<|ENDOFTEXT|>")), QStringLiteral("998 320 999 999"));
  }

  void lowerCasingIsPythons() {
    TESSERA_REQUIRE_GOLDEN(golden);
    const auto tok = tessera::CLIPTokenizer::from_folder(tokenizer_dir(golden).toStdString());
    // Full, context-sensitive mappings like Python's str.lower(): final sigma, dotted capital I.
    QCOMPARE(to_qstrings(tok.tokenize("ΟΔΟΣ")), to_qstrings(tok.tokenize("οδος")));
    QVERIFY(tok.tokenize("ΟΔΟΣ") != tok.tokenize("οδοσ"));
    QCOMPARE(to_qstrings(tok.tokenize("İ")), to_qstrings(tok.tokenize("i\u0307")));
    // NFC before lower-casing: a decomposed e + combining acute equals the precomposed é.
    QCOMPARE(to_qstrings(tok.tokenize("E\u0301")), to_qstrings(tok.tokenize("é")));
  }

  void concurrentCallsAgree() {
    TESSERA_REQUIRE_GOLDEN(golden);
    const auto tok = tessera::CLIPTokenizer::from_folder(tokenizer_dir(golden).toStdString());
    const std::vector<std::string> prompts = {"a red cube on a table", "Hello, World!!!", "日本語のテキスト",
                                              "mixed123numbers456and789letters", "café naïve résumé"};
    std::vector<std::vector<int64_t>> expected;
    {
      const auto fresh = tessera::CLIPTokenizer::from_folder(tokenizer_dir(golden).toStdString());
      for (const auto& p : prompts) expected.push_back(fresh.encode(p));
    }
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int round = 0; round < 50; ++round) {
          const size_t i = size_t(round + t) % prompts.size();
          if (tok.encode(prompts[i]) != expected[i]) ++mismatches;
        }
      });
    }
    for (auto& th : threads) th.join();
    QCOMPARE(mismatches.load(), 0);
  }

  void decodeRoundTrips() {
    TESSERA_REQUIRE_GOLDEN(golden);
    const auto tok = tessera::CLIPTokenizer::from_folder(tokenizer_dir(golden).toStdString());
    QCOMPARE(QString::fromStdString(tok.decode(tok.encode("a red cube on a table"))),
             QStringLiteral("a red cube on a table"));
    QCOMPARE(QString::fromStdString(tok.decode(tok.encode("café 日本"))), QStringLiteral("café 日 本"));
    QCOMPARE(QString::fromStdString(tok.decode(tok.encode_padded("a cat").input_ids, false)).left(20),
             QStringLiteral("<|startoftext|>a cat"));
  }

  void tooShortMaxLengthIsRefused() {
    TESSERA_REQUIRE_GOLDEN(golden);
    const auto tok = tessera::CLIPTokenizer::from_folder(tokenizer_dir(golden).toStdString());
    const QString msg = expect_error([&] { (void)tok.encode_padded("a", 1); });
    QVERIFY2(msg.contains(QStringLiteral("max_length")), qPrintable(msg));
    QCOMPARE(ids_to_string(tok.encode_padded("a red cube", 2).input_ids), QStringLiteral("998 999"));
  }

  void brokenFoldersGiveClearErrors_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("content");  // empty: the file is missing
    QTest::addColumn<QString>("expected");
    QTest::newRow("missing vocab") << "vocab.json" << QByteArray() << "vocab.json";
    QTest::newRow("corrupt vocab") << "vocab.json" << QByteArray("{\"a\": 1, \"b\"") << "corrupt JSON in";
    QTest::newRow("vocab not an object") << "vocab.json" << QByteArray("[1, 2]") << "not a JSON object";
    QTest::newRow("vocab id not integer") << "vocab.json" << QByteArray("{\"a\": \"x\"}") << "is not an integer";
    QTest::newRow("vocab without markers") << "vocab.json" << QByteArray("{\"a\": 0}") << "no entry for special token";
    QTest::newRow("missing merges") << "merges.txt" << QByteArray() << "merges.txt";
    QTest::newRow("malformed merges") << "merges.txt" << QByteArray("#version: 0.2\na b c\n") << "malformed merge line";
    QTest::newRow("corrupt config") << "tokenizer_config.json" << QByteArray("{oops") << "tokenizer_config.json";
  }

  void brokenFoldersGiveClearErrors() {
    TESSERA_REQUIRE_GOLDEN(golden);
    QFETCH(QString, file);
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString src = tokenizer_dir(golden);
    for (const QString name : {"vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json"}) {
      if (name == file) {
        if (!content.isEmpty()) QVERIFY(write_file(dir.filePath(name), content));
      } else {
        QVERIFY(copy_file(src + "/" + name, dir.filePath(name)));
      }
    }
    const QString msg = expect_error([&] { (void)tessera::CLIPTokenizer::from_folder(dir.path().toStdString()); });
    QVERIFY2(!msg.isEmpty(), "no tessera::Error thrown");
    QVERIFY2(msg.contains(expected), qPrintable(msg));
    QVERIFY2(msg.contains(file), qPrintable(msg));
  }
};

QTEST_GUILESS_MAIN(TestCLIPTokenizer)
#include "tst_clip_tokenizer.moc"
