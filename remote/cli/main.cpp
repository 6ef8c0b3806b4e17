// tessera-remote: reach GPU machines from a terminal, with the same code the studio uses.

#include "cli_common.h"
#include "commands.h"

#include "tessera/remote/remote_info.h"
#include "tessera/remote/shell_quote.h"
#include "tessera/remote/ssh_session.h"

#include <QCoreApplication>
#include <QStringList>

#include <cstdio>
#include <map>

namespace {

using tessera::remote::SshParameters;

const char* kOverview =
    "tessera-remote -- launch and watch Tessera runs on other machines\n"
    "\n"
    "usage: tessera-remote <command> [flags]\n"
    "\n"
    "commands:\n"
    "  version     print the versions of tessera-remote, Qt and libssh\n"
    "  exec        run one command on a host over SSH (host key verified, arguments quoted)\n"
    "  launch      start a training run here, on SSH hosts, or through Slurm, and record it\n"
    "  status      the recorded runs, or one run's state asked from its hosts now\n"
    "  tail        print a run's metrics or log, following it to its end with --follow\n"
    "  cancel      stop every process of a run\n"
    "  fetch       copy a run's samples, checkpoints and metrics here\n"
    "  generate    run `tessera generate` on a host (here, SSH, Slurm) and copy the images here\n"
    "  hosts       check hosts before a launch (tessera, GPUs, disk, rendezvous port)\n"
    "\n"
    "'tessera-remote <command> --help' shows a command's flags.\n";

const char* kExecHelp =
    "usage: tessera-remote exec [flags] [USER@]HOST[:PORT] -- PROGRAM [ARG...]\n"
    "\n"
    "Runs PROGRAM with its arguments on HOST. Each argument reaches PROGRAM literally: nothing\n"
    "is interpreted by the remote shell. Exits with the remote program's exit status.\n"
    "\n"
    "flags:\n"
    "  --port N                 SSH port (default: ~/.ssh/config, else 22)\n"
    "  --user NAME              remote user (default: ~/.ssh/config, else the local user)\n"
    "  --identity FILE          private key (default: ssh-agent and ~/.ssh/id_*)\n"
    "  --known-hosts FILE       known_hosts file (default: ~/.ssh/known_hosts)\n"
    "  --proxy-jump DEST        connect through a jump host\n"
    "  --accept-new-host-key    trust an unknown host key (its fingerprint is printed);\n"
    "                           a changed key is always refused\n"
    "  --no-ssh-config          ignore ~/.ssh/config\n"
    "  --timeout SECONDS        give up on the command after this long (default 600)\n";

int usageError(const QString& message) {
  std::fprintf(stderr, "tessera-remote: %s\n", qPrintable(message));
  return 2;
}

int runVersion(const QStringList& args) {
  if (!args.isEmpty() && args.first() != QLatin1String("--help")) {
    return usageError(QStringLiteral("unexpected argument '%1' for 'version'").arg(args.first()));
  }
  std::printf("tessera-remote %s\nQt %s\n%s\n", qPrintable(QCoreApplication::applicationVersion()),
              qVersion(), qPrintable(tessera::remote::libsshVersion()));
  return 0;
}

int runExec(const QStringList& args) {
  SshParameters params;
  bool acceptNew = false;
  int timeout = 600;
  QStringList command;
  QString destination;
  for (int i = 0; i < args.size(); ++i) {
    const QString& a = args[i];
    auto value = [&](QString* out) -> bool {
      if (i + 1 >= args.size()) return false;
      *out = args[++i];
      return true;
    };
    QString v;
    if (a == QLatin1String("--")) {
      command = args.mid(i + 1);
      break;
    } else if (a == QLatin1String("--help")) {
      std::fputs(kExecHelp, stdout);
      return 0;
    } else if (a == QLatin1String("--accept-new-host-key")) {
      acceptNew = true;
    } else if (a == QLatin1String("--no-ssh-config")) {
      params.readSshConfig = false;
    } else if (a == QLatin1String("--port") || a == QLatin1String("--timeout")) {
      bool ok = false;
      if (!value(&v)) return usageError(a + QStringLiteral(" needs a value"));
      const int n = v.toInt(&ok);
      if (!ok || n <= 0 || (a == QLatin1String("--port") && n > 65535)) {
        return usageError(QStringLiteral("%1 expects a positive number, got '%2'").arg(a, v));
      }
      (a == QLatin1String("--port") ? params.port : timeout) = n;
    } else if (a == QLatin1String("--user") || a == QLatin1String("--identity") ||
               a == QLatin1String("--known-hosts") || a == QLatin1String("--proxy-jump")) {
      if (!value(&v)) return usageError(a + QStringLiteral(" needs a value"));
      if (a == QLatin1String("--user")) params.user = v;
      else if (a == QLatin1String("--identity")) params.identityFile = v;
      else if (a == QLatin1String("--known-hosts")) params.knownHostsFile = v;
      else params.proxyJump = v;
    } else if (a.startsWith(QLatin1Char('-'))) {
      return usageError(QStringLiteral("unknown flag '%1' for 'exec' (see 'tessera-remote exec --help')").arg(a));
    } else if (destination.isEmpty()) {
      destination = a;
    } else {
      return usageError(QStringLiteral("unexpected argument '%1': put the remote command after --").arg(a));
    }
  }
  if (destination.isEmpty()) return usageError(QStringLiteral("exec needs a host (see 'tessera-remote exec --help')"));
  if (command.isEmpty()) return usageError(QStringLiteral("exec needs a command after --"));
  const int explicitPort = params.port;
  const QString explicitUser = params.user;
  if (!params.setDestination(destination)) return usageError(QStringLiteral("invalid host '%1'").arg(destination));
  if (explicitPort > 0) params.port = explicitPort;
  if (!explicitUser.isEmpty()) params.user = explicitUser;

  tessera::remote::SshSession session(params);
  session.setUnknownHostKeyHandler([acceptNew](const tessera::remote::HostKeyInfo& key) {
    std::fprintf(stderr, "tessera-remote: %s host key %s %s\n", acceptNew ? "accepting new" : "unknown",
                 qPrintable(key.keyType), qPrintable(key.fingerprint));
    return acceptNew;
  });
  if (!session.connectToHost()) {
    std::fprintf(stderr, "tessera-remote: %s\n", qPrintable(session.errorString()));
    return 255;
  }
  const auto result = session.exec(command, timeout);
  std::fwrite(result.standardOutput.constData(), 1, static_cast<size_t>(result.standardOutput.size()), stdout);
  std::fwrite(result.standardError.constData(), 1, static_cast<size_t>(result.standardError.size()), stderr);
  if (!result.started || !result.error.isEmpty()) {
    std::fprintf(stderr, "tessera-remote: %s\n", qPrintable(result.error));
    return 255;
  }
  return result.exitStatus;
}

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  QCoreApplication::setApplicationName(QStringLiteral("tessera-remote"));
  QCoreApplication::setApplicationVersion(QStringLiteral(TESSERA_VERSION));
  QStringList args = QCoreApplication::arguments().mid(1);
  if (args.isEmpty()) {
    std::fputs(kOverview, stderr);
    return 2;
  }
  const QString command = args.takeFirst();
  if (command == QLatin1String("--help") || command == QLatin1String("-h") || command == QLatin1String("help")) {
    std::fputs(kOverview, stdout);
    return 0;
  }
  if (command == QLatin1String("version") || command == QLatin1String("--version")) return runVersion(args);
  if (command == QLatin1String("exec")) return runExec(args);
  namespace rc = tessera::remote::cli;
  const std::map<QString, int (*)(const QStringList&)> commands{
      {QStringLiteral("launch"), rc::runLaunch}, {QStringLiteral("status"), rc::runStatus},
      {QStringLiteral("tail"), rc::runTail},     {QStringLiteral("cancel"), rc::runCancel},
      {QStringLiteral("fetch"), rc::runFetch},   {QStringLiteral("hosts"), rc::runHosts},
      {QStringLiteral("generate"), rc::runGenerate}};
  if (const auto it = commands.find(command); it != commands.end()) {
    try {
      return it->second(args);
    } catch (const rc::UsageError& e) {
      rc::printError(QString::fromStdString(e.what()));
      return 2;
    } catch (const std::exception& e) {
      rc::printError(QString::fromStdString(e.what()));
      return 1;
    }
  }
  return usageError(QStringLiteral("unknown command '%1' (see 'tessera-remote --help')").arg(command));
}
