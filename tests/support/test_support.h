#pragma once
// Small helpers shared by the Qt Test suites (no torch here).

#include <QDir>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QtTest/QtTest>

namespace tessera::test {

// Folder with the built binaries (set by CTest; falls back to the test's own folder).
inline QString binDir() {
  const QString dir = qEnvironmentVariable("TESSERA_BIN_DIR");
  return dir.isEmpty() ? QCoreApplication::applicationDirPath() : dir;
}

inline QString binary(const QString& name) { return binDir() + QLatin1Char('/') + name; }

// ../shared/golden, or empty when it is not there (a user's checkout has no ../shared).
inline QString goldenDir() {
  const QString dir = qEnvironmentVariable("TESSERA_GOLDEN_DIR");
  return !dir.isEmpty() && QDir(dir).exists() ? QDir(dir).absolutePath() : QString();
}

// Skips the current test with a clear message when the golden data is absent.
#define TESSERA_REQUIRE_GOLDEN(dir_var)                                                          \
  const QString dir_var = ::tessera::test::goldenDir();                                          \
  if (dir_var.isEmpty())                                                                         \
    QSKIP("golden reference data not found: set TESSERA_GOLDEN_DIR or check out ../shared/golden")

struct ProcessResult {
  int exitCode = -1;
  bool crashed = false;
  QByteArray out;
  QByteArray err;
};

// Runs a program to completion (bounded by timeoutMs) and returns what it printed.
inline ProcessResult run(const QString& program, const QStringList& args, int timeoutMs = 120000,
                         const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
  QProcess p;
  p.setProcessEnvironment(env);
  p.start(program, args);
  ProcessResult r;
  if (!p.waitForStarted(10000)) {
    r.err = p.errorString().toUtf8();
    return r;
  }
  if (!p.waitForFinished(timeoutMs)) {
    p.kill();
    p.waitForFinished(5000);
    r.crashed = true;
  }
  r.crashed = r.crashed || p.exitStatus() != QProcess::NormalExit;
  r.exitCode = p.exitCode();
  r.out = p.readAllStandardOutput();
  r.err = p.readAllStandardError();
  return r;
}

}  // namespace tessera::test
