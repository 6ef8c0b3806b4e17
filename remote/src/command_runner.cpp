#include "tessera/remote/command_runner.h"

#include <QProcess>

namespace tessera::remote {

LocalRunner::LocalRunner(QProcessEnvironment environment) : m_environment(std::move(environment)) {}

ExecResult LocalRunner::run(const QString& commandLine, int timeoutSecs) {
  ExecResult r;
  QProcess p;
  p.setProcessEnvironment(m_environment);
  p.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), commandLine});
  if (!p.waitForStarted(10000)) {
    r.error = QStringLiteral("cannot start /bin/sh: ") + p.errorString();
    return r;
  }
  r.started = true;
  p.closeWriteChannel();
  if (!p.waitForFinished(timeoutSecs > 0 ? timeoutSecs * 1000 : -1)) {
    p.kill();
    p.waitForFinished(5000);
    r.error = QStringLiteral("command timed out after %1 s").arg(timeoutSecs);
    return r;
  }
  r.standardOutput = p.readAllStandardOutput();
  r.standardError = p.readAllStandardError();
  r.exitStatus = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
  if (p.exitStatus() != QProcess::NormalExit) r.error = QStringLiteral("the shell crashed");
  return r;
}

QString LocalRunner::hostName() const { return QStringLiteral("localhost"); }
QString LocalRunner::address() const { return QStringLiteral("127.0.0.1"); }

SshRunner::SshRunner(SshSession& session) : m_session(session) {}

ExecResult SshRunner::run(const QString& commandLine, int timeoutSecs) {
  return m_session.execCommandLine(commandLine, timeoutSecs);
}

QString SshRunner::hostName() const { return m_session.parameters().displayName(); }
QString SshRunner::address() const { return m_session.parameters().host; }

}  // namespace tessera::remote
