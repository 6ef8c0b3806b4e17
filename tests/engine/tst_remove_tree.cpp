// tessera::remove_tree (core/remove_tree.h): the engine's replacement for
// std::filesystem::remove_all, which PyTorch's wheels export a crashing copy of. It must remove
// what remove_all removes, count the same, never follow a symbolic link out of the tree, and
// report errors instead of throwing from the error_code overload.

#include "core/remove_tree.h"

#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>
#include <system_error>

namespace fs = std::filesystem;

namespace {

void write(const fs::path& p, const char* text) { std::ofstream(p) << text; }

// A tree of 9 entries below `root` (root itself not counted): nested folders, files, an empty
// folder, and three symbolic links: to a folder outside the tree, to a file outside, and to
// nothing.
void make_tree(const fs::path& root, const fs::path& outside) {
  fs::create_directories(root / "a" / "b");
  fs::create_directories(root / "empty");
  write(root / "top.txt", "1");
  write(root / "a" / "mid.txt", "2");
  write(root / "a" / "b" / "deep.txt", "3");
  fs::create_directory_symlink(outside, root / "a" / "to_outside_dir");
  fs::create_symlink(outside / "keep.txt", root / "to_outside_file");
  fs::create_symlink(root / "missing", root / "a" / "b" / "dangling");
}

}  // namespace

class TestRemoveTree : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir tmp_;
  fs::path base() const { return fs::path(tmp_.path().toStdString()); }

 private Q_SLOTS:
  void init() {
    fs::remove(base() / "outside" / "keep.txt");
    fs::create_directories(base() / "outside");
    write(base() / "outside" / "keep.txt", "keep");
  }

  void removesWhatRemoveAllRemovesAndCountsTheSame() {
    const fs::path outside = base() / "outside";
    make_tree(base() / "ours", outside);
    make_tree(base() / "theirs", outside);
    std::error_code ec, their_ec;
    const auto ours = tessera::remove_tree(base() / "ours", ec);
    QVERIFY2(!ec, ec.message().c_str());
    const auto theirs = fs::remove_all(base() / "theirs", their_ec);
    QVERIFY(!their_ec);
    QCOMPARE(ours, std::uintmax_t(10));
    QCOMPARE(ours, theirs);
    QVERIFY(!fs::exists(fs::symlink_status(base() / "ours")));
  }

  void neverFollowsALinkOutOfTheTree() {
    const fs::path outside = base() / "outside";
    make_tree(base() / "tree", outside);
    tessera::remove_tree(base() / "tree");
    QVERIFY(fs::exists(outside / "keep.txt"));
    // A link given as the path itself is removed as a link, its target kept.
    fs::create_directory_symlink(outside, base() / "link");
    std::error_code ec;
    QCOMPARE(tessera::remove_tree(base() / "link", ec), std::uintmax_t(1));
    QVERIFY(!ec);
    QVERIFY(!fs::exists(fs::symlink_status(base() / "link")));
    QVERIFY(fs::exists(outside / "keep.txt"));
  }

  void aMissingPathIsNoError() {
    std::error_code ec = std::make_error_code(std::errc::io_error);
    QCOMPARE(tessera::remove_tree(base() / "never-there", ec), std::uintmax_t(0));
    QVERIFY(!ec);
    QCOMPARE(tessera::remove_tree(base() / "never-there"), std::uintmax_t(0));
  }

  void aPlainFileCountsOne() {
    write(base() / "single.bin", "x");
    QCOMPARE(tessera::remove_tree(base() / "single.bin"), std::uintmax_t(1));
    QVERIFY(!fs::exists(base() / "single.bin"));
  }

  void errorsAreReportedNotSwallowed() {
    // A path through a file (ENOTDIR): an error, whatever the user's privileges.
    write(base() / "plain", "x");
    std::error_code ec;
    QCOMPARE(tessera::remove_tree(base() / "plain" / "below", ec), std::uintmax_t(0));
    QCOMPARE(ec, std::make_error_code(std::errc::not_a_directory));
    bool threw = false;
    try {
      tessera::remove_tree(base() / "plain" / "below");
    } catch (const fs::filesystem_error& e) {
      threw = true;
      QCOMPARE(e.path1(), base() / "plain" / "below");
      QCOMPARE(e.code(), std::make_error_code(std::errc::not_a_directory));
    }
    QVERIFY(threw);
    QVERIFY(fs::exists(base() / "plain"));
  }
};

QTEST_GUILESS_MAIN(TestRemoveTree)
#include "tst_remove_tree.moc"
