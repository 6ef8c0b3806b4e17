// Every program that links the engine takes the C++ standard library's symbols from the system's
// libstdc++, even when a library on its link line exports copies of them, as PyTorch's 2.x wheels
// do (pytorch/pytorch#133437). On the CUDA machine of issue 9, the wheel's
// std::filesystem::remove_all jumped to a null address and every `tessera bench train-step` died
// as it cleaned up. Here a library of the test's own exports a harmless impostor and comes before
// libstdc++ on the link line the way LibTorch does; TESSERA_STDCXX_FIRST (CMakeLists.txt) must win.

#include <QtTest/QtTest>

#include <cstdint>
#include <filesystem>
#include <system_error>

extern "C" int tessera_link_order_marker();

class TestLinkOrder : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void impostorLibraryIsLoaded() {
    // Otherwise the check below would pass for the wrong reason.
    QCOMPARE(tessera_link_order_marker(), 17);
  }

  void removeAllIsTheStandardLibrarys() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    // remove_all is the only std::filesystem operation used here: where the static libstdc++
    // serves the program, any other operation of its fs_ops object would pull in that object,
    // remove_all included, and hide the impostor (LibTorch exports all of them).
    const QString dir = tmp.filePath(QStringLiteral("tree"));
    QVERIFY(QDir().mkpath(dir + QStringLiteral("/sub")));
    QFile file(dir + QStringLiteral("/sub/file.bin"));
    QVERIFY(file.open(QIODevice::WriteOnly) && file.write("x", 1) == 1);
    file.close();
    std::error_code ec;
    const std::uintmax_t removed = std::filesystem::remove_all(dir.toStdString(), ec);
    QVERIFY2(!ec, ec.message().c_str());
    QVERIFY2(removed != 424242, "std::filesystem::remove_all resolved to the impostor library's copy");
    QCOMPARE(removed, std::uintmax_t(3));
    QVERIFY(!QFileInfo::exists(dir));
  }
};

QTEST_GUILESS_MAIN(TestLinkOrder)
#include "tst_link_order.moc"
