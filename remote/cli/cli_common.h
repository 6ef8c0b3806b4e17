#pragma once
// Shared pieces of the tessera-remote commands: a strict flag parser, the SSH connection flags,
// the run registry location, and how errors are reported.

#include "tessera/remote/run_registry.h"
#include "tessera/remote/run_watcher.h"

#include <QMap>
#include <QString>
#include <QStringList>

#include <stdexcept>

namespace tessera::remote::cli {

// A bad command line: printed as "tessera-remote: <message>", exit code 2.
struct UsageError : std::runtime_error {
  explicit UsageError(const QString& m) : std::runtime_error(m.toStdString()) {}
};
// A failure while doing the work: printed the same way, exit code 1.
struct Failure : std::runtime_error {
  explicit Failure(const QString& m) : std::runtime_error(m.toStdString()) {}
};

struct FlagSpec {
  QString name;       // without "--"
  bool takesValue = false;
  bool repeatable = false;
};

class Flags {
 public:
  // Parses args against the command's specs plus the connection and registry flags.
  Flags(const QString& command, const QStringList& args, const QList<FlagSpec>& specs, int minPositionals, int maxPositionals);
  bool has(const QString& name) const { return m_values.contains(name); }
  QString value(const QString& name, const QString& fallback = {}) const;
  QStringList values(const QString& name) const { return m_values.value(name); }
  int intValue(const QString& name, int fallback, int min, int max) const;
  const QStringList& positionals() const { return m_positionals; }

 private:
  QString m_command;
  QMap<QString, QStringList> m_values;
  QStringList m_positionals;
};

// Help text for the flags every command that connects accepts.
extern const char* const kConnectionFlagsHelp;

// SSH options from the connection flags (--identity, --known-hosts, --no-ssh-config,
// --accept-new-host-key, --proxy-jump, --user); unknown host keys are refused unless
// --accept-new-host-key (the fingerprint is printed either way).
ConnectOptions connectOptions(const Flags& flags);
RunRegistry registry(const Flags& flags);
RunRecord findRun(const RunRegistry& registry, const QString& id);

void printLine(const QString& text);
void printError(const QString& text);

}  // namespace tessera::remote::cli
