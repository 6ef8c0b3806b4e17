// tessera::remove_tree (core/remove_tree.h): the engine's replacement for
// std::filesystem::remove_all, which PyTorch's wheels export a crashing copy of. It must remove
// what remove_all removes, count the same, never follow a symbolic link out of the tree, and
// report errors instead of throwing from the error_code overload.

#include "core/remove_tree.h"

#include <QtTest/QtTest>

#include <sys/resource.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace fs = std::filesystem;

namespace {

void write(const fs::path& p, const char* text) { std::ofstream(p) << text; }

int open_descriptors() { return static_cast<int>(QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).size()); }

int highest_descriptor() {
  int highest = 0;
  for (const QString& name : QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::AllEntries | QDir::NoDotAndDotDot))
    highest = std::max(highest, name.toInt());
  return highest;
}

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

  void aTrailingSlashRemovesTheLinkNotItsTarget() {
    const fs::path outside = base() / "outside";
    fs::create_directory_symlink(outside, base() / "slashed");
    QCOMPARE(tessera::remove_tree((base() / "slashed").string() + "//"), std::uintmax_t(1));
    QVERIFY(!fs::exists(fs::symlink_status(base() / "slashed")));
    QVERIFY(fs::exists(outside / "keep.txt"));
    fs::create_directories(base() / "real" / "x");
    QCOMPARE(tessera::remove_tree((base() / "real").string() + "/"), std::uintmax_t(2));
    QVERIFY(!fs::exists(base() / "real"));
  }

  void anErrorInsideTheTreeIsReportedAndLeaksNoDescriptor() {
    // Even as root a folder deep in the tree can fail to open: when the process may open no more
    // files. The limit is set just above the highest descriptor in use; a chain of folders deeper
    // than the free descriptors below it, with a file at the bottom, cannot be opened all the way.
    const int before = open_descriptors();
    struct rlimit saved {};
    QCOMPARE(getrlimit(RLIMIT_NOFILE, &saved), 0);
    struct rlimit tight = saved;
    tight.rlim_cur = static_cast<rlim_t>(highest_descriptor() + 4);
    const int depth = static_cast<int>(tight.rlim_cur) - before + 5;
    if (depth > 1500) QSKIP("too many descriptors free below the highest one in use");
    fs::path deep = base() / "deep";
    for (int i = 0; i < depth; ++i) deep /= "d";
    fs::create_directories(deep);
    write(deep / "bottom.txt", "x");
    QCOMPARE(setrlimit(RLIMIT_NOFILE, &tight), 0);
    std::error_code ec;
    const auto removed = tessera::remove_tree(base() / "deep", ec);
    QCOMPARE(setrlimit(RLIMIT_NOFILE, &saved), 0);
    QVERIFY2(ec == std::make_error_code(std::errc::too_many_files_open),
             qPrintable(QStringLiteral("%1 removed, error: %2").arg(removed).arg(QString::fromStdString(ec.message()))));
    QCOMPARE(removed, std::uintmax_t(0));  // it stopped on the way down, before removing anything
    QVERIFY(fs::exists(deep / "bottom.txt"));
    QCOMPARE(open_descriptors(), before);
    // With room again, the rest goes: the chain, the file and "deep" itself.
    QCOMPARE(tessera::remove_tree(base() / "deep", ec), std::uintmax_t(depth + 2));
    QVERIFY(!ec);
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
