// The studio's main window: its pages, navigation, shortcuts, and honest placeholders.

#include "main_window.h"
#include "pages/evaluate_page.h"
#include "pages/generate_page.h"
#include "pages/placeholder_page.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QListWidget>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QtTest/QtTest>

class TestMainWindow : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("TesseraTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_main_window"));
  }

  void hasTheFivePages() {
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    const QStringList expected = {QStringLiteral("Datasets"), QStringLiteral("Train"), QStringLiteral("Runs"),
                                  QStringLiteral("Generate"), QStringLiteral("Evaluate")};
    QCOMPARE(w.pageCount(), expected.size());
    for (int i = 0; i < expected.size(); ++i) QCOMPARE(w.pageTitle(i), expected[i]);
    // Generate and Evaluate are working pages, not placeholders.
    auto* pages = w.findChild<QStackedWidget*>(QStringLiteral("pages"));
    QVERIFY(qobject_cast<GeneratePage*>(pages->widget(3)) != nullptr);
    QVERIFY(qobject_cast<EvaluatePage*>(pages->widget(4)) != nullptr);  // and so is Evaluate
  }

  void clickingNavigationSwitchesPages() {
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto* nav = w.findChild<QListWidget*>(QStringLiteral("navigation"));
    auto* pages = w.findChild<QStackedWidget*>(QStringLiteral("pages"));
    QVERIFY(nav && pages);
    QSignalSpy spy(&w, &MainWindow::pageChanged);
    for (int i = w.pageCount() - 1; i >= 0; --i) {
      const QRect rect = nav->visualItemRect(nav->item(i));
      QTest::mouseClick(nav->viewport(), Qt::LeftButton, {}, rect.center());
      QCOMPARE(w.currentPage(), i);
      QCOMPARE(pages->currentIndex(), i);
    }
    QVERIFY(spy.count() >= w.pageCount() - 1);
  }

  void keyboardShortcutsSelectPages() {
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    QTest::keyClick(&w, Qt::Key_4, Qt::ControlModifier);
    QCOMPARE(w.currentPage(), 3);
    QTest::keyClick(&w, Qt::Key_2, Qt::ControlModifier);
    QCOMPARE(w.currentPage(), 1);
  }

  void unfinishedPagesSayTheyAreNotImplemented() {
    MainWindow w;
    auto* pages = w.findChild<QStackedWidget*>(QStringLiteral("pages"));
    QVERIFY(pages);
    for (int i = 0; i < pages->count(); ++i) {
      auto* placeholder = qobject_cast<PlaceholderPage*>(pages->widget(i));
      if (placeholder == nullptr) continue;  // a finished page
      auto* label = placeholder->findChild<QLabel*>(QStringLiteral("notImplementedLabel"));
      QVERIFY2(label != nullptr, qPrintable(placeholder->title()));
      QVERIFY(label->text().contains(QStringLiteral("Not implemented yet")));
    }
  }

  void statusBarShowsTheEngineRuntime() {
    MainWindow w;
    auto* label = w.findChild<QLabel*>(QStringLiteral("runtimeLabel"));
    QVERIFY(label);
    QVERIFY(label->text().contains(QStringLiteral("LibTorch")));
  }

  void quitActionClosesTheWindow() {
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto* quit = w.findChild<QAction*>(QStringLiteral("quitAction"));
    QVERIFY(quit);
    quit->trigger();
    QTRY_VERIFY(!w.isVisible());
  }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
