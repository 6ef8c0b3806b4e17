#pragma once
// The tessera-remote commands; each returns the process exit code and throws UsageError or
// Failure (cli_common.h) for the one line main() prints.

#include <QStringList>

namespace tessera::remote::cli {

int runLaunch(const QStringList& args);
int runStatus(const QStringList& args);
int runTail(const QStringList& args);
int runCancel(const QStringList& args);
int runFetch(const QStringList& args);
int runHosts(const QStringList& args);
int runGenerate(const QStringList& args);

}  // namespace tessera::remote::cli
