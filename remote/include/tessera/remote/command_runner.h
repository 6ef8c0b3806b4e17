#pragma once
// Where a launcher's command lines run: this machine (/bin/sh) or a host over SSH. Launchers build
// every line from shellQuote()d pieces and run it through a CommandRunner, so local runs and
// remote runs share one code path (and one set of tests).

#include "tessera/remote/ssh_session.h"

#include <QProcessEnvironment>
#include <QString>

namespace tessera::remote {

class CommandRunner {
 public:
  virtual ~CommandRunner() = default;
  // Runs a POSIX shell command line; output and exit status come back in the result.
  virtual ExecResult run(const QString& commandLine, int timeoutSecs = 120) = 0;
  // The host this runner reaches, for messages ("localhost", "user@host:port").
  virtual QString hostName() const = 0;
  // The address other ranks use to reach this host (MASTER_ADDR when it is the first host).
  virtual QString address() const = 0;
};

// Runs command lines with /bin/sh on this machine.
class LocalRunner final : public CommandRunner {
 public:
  explicit LocalRunner(QProcessEnvironment environment = QProcessEnvironment::systemEnvironment());
  ExecResult run(const QString& commandLine, int timeoutSecs = 120) override;
  QString hostName() const override;
  QString address() const override;

 private:
  QProcessEnvironment m_environment;
};

// Runs command lines on a connected SshSession (which must outlive the runner).
class SshRunner final : public CommandRunner {
 public:
  explicit SshRunner(SshSession& session);
  ExecResult run(const QString& commandLine, int timeoutSecs = 120) override;
  QString hostName() const override;
  QString address() const override;

 private:
  SshSession& m_session;
};

}  // namespace tessera::remote
