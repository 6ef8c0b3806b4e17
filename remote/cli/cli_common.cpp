#include "cli_common.h"

#include <QDir>
#include <QFileInfo>

#include <cstdio>

namespace tessera::remote::cli {
namespace {

const QList<FlagSpec>& commonSpecs() {
  static const QList<FlagSpec> specs{{QStringLiteral("identity"), true},      {QStringLiteral("known-hosts"), true},
                                     {QStringLiteral("no-ssh-config"), false}, {QStringLiteral("accept-new-host-key"), false},
                                     {QStringLiteral("proxy-jump"), true},     {QStringLiteral("user"), true},
                                     {QStringLiteral("registry"), true},       {QStringLiteral("project"), true},
                                     {QStringLiteral("help"), false}};
  return specs;
}

}  // namespace

const char* const kConnectionFlagsHelp =
    "connection flags:\n"
    "  --identity FILE          private key (default: ssh-agent and ~/.ssh/id_*)\n"
    "  --known-hosts FILE       known_hosts file (default: ~/.ssh/known_hosts)\n"
    "  --accept-new-host-key    trust an unknown host key (its fingerprint is printed);\n"
    "                           a changed key is always refused\n"
    "  --no-ssh-config          ignore ~/.ssh/config\n"
    "  --proxy-jump DEST        connect through a jump host\n"
    "  --user NAME              remote user for hosts given without one\n"
    "  --registry DIR           run registry (default: ~/.local/share/tessera/runs)\n"
    "  --project DIR            the run registry of the studio project in DIR (DIR/registry)\n";

Flags::Flags(const QString& command, const QStringList& args, const QList<FlagSpec>& specs, int minPositionals,
             int maxPositionals)
    : m_command(command) {
  QList<FlagSpec> all = specs;
  all += commonSpecs();
  bool flagsEnded = false;
  for (int i = 0; i < args.size(); ++i) {
    const QString& a = args[i];
    if (!flagsEnded && a == QLatin1String("--")) {
      flagsEnded = true;
      continue;
    }
    if (flagsEnded || !a.startsWith(QLatin1String("--"))) {
      m_positionals << a;
      continue;
    }
    QString name = a.mid(2), inlineValue;
    bool hasInline = false;
    if (const int eq = name.indexOf(QLatin1Char('=')); eq >= 0) {
      inlineValue = name.mid(eq + 1);
      name = name.left(eq);
      hasInline = true;
    }
    const auto spec = std::find_if(all.begin(), all.end(), [&](const FlagSpec& s) { return s.name == name; });
    if (spec == all.end())
      throw UsageError(QStringLiteral("unknown flag '--%1' for '%2' (see 'tessera-remote %2 --help')").arg(name, command));
    if (m_values.contains(name) && !spec->repeatable) throw UsageError(QStringLiteral("--%1 given twice").arg(name));
    if (spec->takesValue) {
      if (!hasInline) {
        if (i + 1 >= args.size()) throw UsageError(QStringLiteral("--%1 needs a value").arg(name));
        inlineValue = args[++i];
      }
      m_values[name] << inlineValue;
    } else {
      if (hasInline) throw UsageError(QStringLiteral("--%1 takes no value").arg(name));
      m_values[name] << QString();
    }
  }
  if (has(QStringLiteral("help"))) return;
  if (m_positionals.size() < minPositionals)
    throw UsageError(QStringLiteral("'%1' needs more arguments (see 'tessera-remote %1 --help')").arg(command));
  if (maxPositionals >= 0 && m_positionals.size() > maxPositionals)
    throw UsageError(QStringLiteral("unexpected argument '%1' for '%2'").arg(m_positionals.at(maxPositionals), command));
}

QString Flags::value(const QString& name, const QString& fallback) const {
  const auto it = m_values.find(name);
  return it == m_values.end() || it->isEmpty() ? fallback : it->last();
}

int Flags::intValue(const QString& name, int fallback, int min, int max) const {
  if (!has(name)) return fallback;
  bool ok = false;
  const int v = value(name).toInt(&ok);
  if (!ok || v < min || v > max)
    throw UsageError(QStringLiteral("--%1 expects a number in [%2, %3], got '%4'").arg(name).arg(min).arg(max).arg(value(name)));
  return v;
}

ConnectOptions connectOptions(const Flags& flags) {
  ConnectOptions o;
  o.base.identityFile = flags.value(QStringLiteral("identity"));
  o.base.knownHostsFile = flags.value(QStringLiteral("known-hosts"));
  o.base.readSshConfig = !flags.has(QStringLiteral("no-ssh-config"));
  o.base.proxyJump = flags.value(QStringLiteral("proxy-jump"));
  o.base.user = flags.value(QStringLiteral("user"));
  const bool acceptNew = flags.has(QStringLiteral("accept-new-host-key"));
  o.acceptUnknownHostKey = [acceptNew](const HostKeyInfo& key) {
    std::fprintf(stderr, "tessera-remote: %s host key %s %s\n", acceptNew ? "accepting new" : "unknown",
                 qPrintable(key.keyType), qPrintable(key.fingerprint));
    return acceptNew;
  };
  return o;
}

RunRegistry registry(const Flags& flags) {
  if (flags.has(QStringLiteral("project"))) {
    if (flags.has(QStringLiteral("registry"))) throw UsageError(QStringLiteral("give --registry or --project, not both"));
    const QString project = flags.value(QStringLiteral("project"));
    if (!QFileInfo(QDir(project).filePath(QStringLiteral("tessera-project.json"))).isFile())
      throw UsageError(QStringLiteral("%1 is not a Tessera project (no tessera-project.json); create it in the studio").arg(project));
    return RunRegistry(RunRegistry::projectFolder(project));
  }
  return RunRegistry(flags.value(QStringLiteral("registry"), RunRegistry::defaultFolder()));
}

RunRecord findRun(const RunRegistry& registry, const QString& id) {
  QString error;
  auto r = registry.find(id, &error);
  if (!r) throw Failure(error);
  return *r;
}

void printLine(const QString& text) {
  std::fputs(qPrintable(text + QLatin1Char('\n')), stdout);
  std::fflush(stdout);
}

void printError(const QString& text) { std::fprintf(stderr, "tessera-remote: %s\n", qPrintable(text)); }

}  // namespace tessera::remote::cli
