// Translations: the .ts files are complete and keep their placeholders, the Simplified Chinese
// translator turns the main window and every page into Chinese, and the language is a setting.

#include "language.h"
#include "main_window.h"

#include <QAbstractButton>
#include <QAction>
#include <QCoreApplication>
#include <QFile>
#include <QGroupBox>
#include <QHash>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QRegularExpression>
#include <QSettings>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTranslator>
#include <QXmlStreamReader>
#include <QtTest/QtTest>

namespace {

struct Message {
  QString context;
  QString source;
  QStringList translations;  // one per plural form
  bool unfinished = false;
};

// Reads a Qt Linguist .ts file; vanished and obsolete entries (no longer in the code) are left out.
QList<Message> readTs(const QString& path, QString* error) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    *error = file.errorString();
    return {};
  }
  QList<Message> messages;
  QXmlStreamReader xml(&file);
  QString context;
  Message current;
  bool skip = false;
  while (!xml.atEnd()) {
    xml.readNext();
    if (xml.isStartElement()) {
      const auto name = xml.name();
      if (name == QLatin1String("context")) context.clear();
      else if (name == QLatin1String("name") && context.isEmpty()) context = xml.readElementText();
      else if (name == QLatin1String("message")) current = Message{context, {}, {}, false};
      else if (name == QLatin1String("source")) current.source = xml.readElementText();
      else if (name == QLatin1String("translation")) {
        const auto type = xml.attributes().value(QLatin1String("type"));
        skip = type == QLatin1String("vanished") || type == QLatin1String("obsolete");
        current.unfinished = type == QLatin1String("unfinished");
        if (xml.readNext() == QXmlStreamReader::Characters && !xml.isWhitespace()) current.translations << xml.text().toString();
      } else if (name == QLatin1String("numerusform")) {
        current.translations << xml.readElementText();
      }
    } else if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
      if (!skip) messages << current;
      skip = false;
    }
  }
  if (xml.hasError()) *error = xml.errorString();
  return messages;
}

QStringList placeholders(const QString& text) {
  static const QRegularExpression re(QStringLiteral("%(\\d+|n|v|m)"));
  QStringList found;
  for (auto it = re.globalMatch(text); it.hasNext();) found << it.next().captured(0);
  found.sort();
  found.removeDuplicates();
  return found;
}

bool hasHan(const QString& text) {
  static const QRegularExpression han(QStringLiteral("\\p{Han}"));
  return han.match(text).hasMatch();
}

// Every piece of text a page shows: buttons, labels, group and tab titles, placeholders.
QStringList visibleTexts(QWidget* root) {
  QStringList texts;
  for (auto* b : root->findChildren<QAbstractButton*>()) texts << b->text();
  for (auto* l : root->findChildren<QLabel*>()) texts << l->text();
  for (auto* g : root->findChildren<QGroupBox*>()) texts << g->title();
  for (auto* e : root->findChildren<QLineEdit*>()) texts << e->placeholderText();
  for (auto* t : root->findChildren<QTabWidget*>()) {
    for (int i = 0; i < t->count(); ++i) texts << t->tabText(i);
  }
  texts.removeAll(QString());
  return texts;
}

QString qmDir() { return QStringLiteral(TESSERA_QM_DIR); }
QString tsPath(const QString& language) {
  return qEnvironmentVariable("TESSERA_SOURCE_DIR") + QStringLiteral("/translations/tessera_studio_%1.ts").arg(language);
}

}  // namespace

class TestTranslations : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("TesseraTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_translations"));
    QSettings().clear();
  }

  void tsFilesAreComplete_data() {
    QTest::addColumn<QString>("language");
    QTest::newRow("German") << QStringLiteral("de");
    QTest::newRow("Simplified Chinese") << QStringLiteral("zh_CN");
  }

  // No unfinished or empty entry, and every translation keeps its placeholders (%1, %n, …).
  void tsFilesAreComplete() {
    QFETCH(QString, language);
    QString error;
    const QList<Message> messages = readTs(tsPath(language), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(messages.size() > 400, qPrintable(QString::number(messages.size())));
    QStringList problems;
    for (const Message& m : messages) {
      const QString where = m.context + QStringLiteral(": ") + m.source.left(60);
      if (m.unfinished) problems << QStringLiteral("unfinished: ") + where;
      if (m.translations.isEmpty() || m.translations.contains(QString())) problems << QStringLiteral("empty: ") + where;
      for (const QString& t : m.translations) {
        if (placeholders(t) != placeholders(m.source)) problems << QStringLiteral("placeholders differ: ") + where;
      }
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
  }

  // lupdate finds every tr() in app/; the .qm built from the .ts holds all of them.
  void chineseQmIsBuiltFromTheTs() {
    QTranslator translator;
    QVERIFY2(translator.load(QStringLiteral("tessera_studio_zh_CN"), qmDir()), qPrintable(qmDir()));
    QCOMPARE(translator.language(), QStringLiteral("zh_CN"));
    QCOMPARE(translator.translate("MainWindow", "&Quit"), QStringLiteral("退出(&Q)"));
    QCOMPARE(translator.translate("RunListModel", "succeeded"), QStringLiteral("已成功"));  // run states too
    QCOMPARE(translator.translate("GeneratePage", "%n image(s) written to %1 in %2 s.", nullptr, 3),
             QStringLiteral("%n 张图像已写入 %1，用时 %2 秒。"));
  }

  void mainWindowAndEveryPageSpeakChinese() {
    QObject owner;
    QVERIFY(Language::install(&owner, QStringLiteral("zh_CN"), qmDir()));
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    const QStringList titles = {QStringLiteral("数据集"), QStringLiteral("训练"), QStringLiteral("运行"),
                                QStringLiteral("生成"), QStringLiteral("评估")};
    QCOMPARE(w.pageCount(), titles.size());
    for (int i = 0; i < titles.size(); ++i) QCOMPARE(w.pageTitle(i), titles[i]);
    QCOMPARE(w.windowTitle(), QStringLiteral("Tessera Studio"));
    QStringList menus;
    for (QAction* a : w.menuBar()->actions()) menus << a->text();
    QCOMPARE(menus, (QStringList{QStringLiteral("文件(&F)"), QStringLiteral("视图(&V)"), QStringLiteral("设置(&S)"),
                                 QStringLiteral("帮助(&H)")}));

    // A few strings of each page, and most of what a page shows is Chinese.
    const QList<QStringList> expected = {
        {QStringLiteral("导入"), QStringLiteral("打开"), QStringLiteral("目录库：")},
        {QStringLiteral("检查"), QStringLiteral("保存"), QStringLiteral("启动…")},
        {QStringLiteral("刷新"), QStringLiteral("取消运行"), QStringLiteral("对数坐标")},
        {QStringLiteral("生成"), QStringLiteral("加载"), QStringLiteral("复制参数")},
        {QStringLiteral("开始"), QStringLiteral("模型 &A："), QStringLiteral("提示词集(&P)：")},
    };
    auto* pages = w.findChild<QStackedWidget*>(QStringLiteral("pages"));
    QVERIFY(pages);
    for (int i = 0; i < pages->count(); ++i) {
      const QStringList texts = visibleTexts(pages->widget(i));
      for (const QString& s : expected[i]) QVERIFY2(texts.contains(s), qPrintable(titles[i] + QLatin1Char(' ') + s));
      const auto chinese = std::count_if(texts.begin(), texts.end(), hasHan);
      QVERIFY2(chinese * 2 > texts.size(), qPrintable(titles[i] + QStringLiteral(": ") + texts.join(QStringLiteral(" | "))));
    }
  }

  // Nothing on a page is left in the English of a source string that has a Chinese translation:
  // a string shown in English there was not wrapped in tr(), or lupdate has not seen it.
  void noPageShowsAnUntranslatedSourceString() {
    QString error;
    const QList<Message> messages = readTs(tsPath(QStringLiteral("zh_CN")), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QSet<QString> english;
    for (const Message& m : messages) {
      if (!m.translations.contains(m.source) && hasHan(m.translations.value(0))) english.insert(m.source);
    }
    QObject owner;
    QVERIFY(Language::install(&owner, QStringLiteral("zh_CN"), qmDir()));
    MainWindow w;
    auto* pages = w.findChild<QStackedWidget*>(QStringLiteral("pages"));
    QStringList leftInEnglish;
    for (int i = 0; i < pages->count(); ++i) {
      for (const QString& text : visibleTexts(pages->widget(i))) {
        if (english.contains(text)) leftInEnglish << w.pageTitle(i) + QStringLiteral(": ") + text;
      }
    }
    QVERIFY2(leftInEnglish.isEmpty(), qPrintable(leftInEnglish.join(QLatin1Char('\n'))));
  }

  // A label with a shortcut (&X) needs a buddy, or it shows the '&' itself (in every language).
  void shortcutLabelsHaveBuddies() {
    static const QRegularExpression mnemonic(QStringLiteral("(^|[^&])&[^&\\s#;]"));
    static const QRegularExpression entity(QStringLiteral("&[a-zA-Z]+;|&#\\d+;"));
    MainWindow w;
    QStringList without;
    for (auto* label : w.findChildren<QLabel*>()) {
      QString text = label->text();
      text.remove(entity);
      if (mnemonic.match(text).hasMatch() && label->buddy() == nullptr) without << label->text();
    }
    QVERIFY2(without.isEmpty(), qPrintable(without.join(QLatin1Char('\n'))));
  }

  // Settings > Language stores the choice; it is read back at the next start.
  void languageIsChosenInSettings() {
    QSettings().clear();
    QCOMPARE(Language::current(), QString());
    MainWindow w;
    auto* menu = w.findChild<QMenu*>(QStringLiteral("languageMenu"));
    QVERIFY(menu);
    auto* system = w.findChild<QAction*>(QStringLiteral("language_system"));
    auto* chinese = w.findChild<QAction*>(QStringLiteral("language_zh_CN"));
    auto* german = w.findChild<QAction*>(QStringLiteral("language_de"));
    QVERIFY(system && chinese && german && w.findChild<QAction*>(QStringLiteral("language_en")));
    QVERIFY(system->isChecked());
    QCOMPARE(chinese->text(), QStringLiteral("简体中文"));
    QCOMPARE(german->text(), QStringLiteral("Deutsch"));
    chinese->trigger();
    QVERIFY(chinese->isChecked() && !system->isChecked());
    QCOMPARE(QSettings().value(QLatin1String(Language::kSettingsKey)).toString(), QStringLiteral("zh_CN"));
    QCOMPARE(Language::current(), QStringLiteral("zh_CN"));
    MainWindow next;  // the next start shows the stored choice
    QVERIFY(next.findChild<QAction*>(QStringLiteral("language_zh_CN"))->isChecked());

    QSettings().setValue(QLatin1String(Language::kSettingsKey), QStringLiteral("klingon"));
    QCOMPARE(Language::current(), QString());  // an unknown value falls back to the system language
  }

  void englishInstallsNothingGermanAndChineseLoad() {
    {
      QObject owner;
      QVERIFY(!Language::install(&owner, QStringLiteral("en"), qmDir()));
      QVERIFY(owner.findChildren<QTranslator*>().isEmpty());
      QCOMPARE(MainWindow().pageTitle(0), QStringLiteral("Datasets"));
    }
    {
      QObject owner;
      QVERIFY(Language::install(&owner, QStringLiteral("de"), qmDir()));
      QCOMPARE(MainWindow().pageTitle(0), QStringLiteral("Datensätze"));
    }
    QCOMPARE(MainWindow().pageTitle(0), QStringLiteral("Datasets"));  // the translator went with its owner
  }
};

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
