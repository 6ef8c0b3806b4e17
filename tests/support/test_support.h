#pragma once
// Small helpers shared by the Qt Test suites (no torch here).

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QtTest/QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tessera::test {

// Folder with the built binaries (set by CTest; falls back to the test's own folder).
inline QString binDir() {
  const QString dir = qEnvironmentVariable("TESSERA_BIN_DIR");
  return dir.isEmpty() ? QCoreApplication::applicationDirPath() : dir;
}

inline QString binary(const QString& name) { return binDir() + QLatin1Char('/') + name; }

// A small text file's contents, trimmed (the infra scripts' user, port, pid files); empty when
// it cannot be read.
inline QString readText(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()).trimmed() : QString();
}

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

// A loopback TCP port nobody listens on right now (the kernel picks it; closed again at once).
inline int freeTcpPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  int port = 0;
  if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  if (fd >= 0) ::close(fd);
  return port;
}

}  // namespace tessera::test
