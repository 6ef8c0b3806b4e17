#include "tessera/remote/launcher.h"

namespace tessera::remote {

QStringList trainArguments(const QString& configPath, const QString& runDir) {
  return {QStringLiteral("train"), QStringLiteral("--config"), configPath, QStringLiteral("--run-dir"), runDir,
          QStringLiteral("--resume"), QStringLiteral("auto")};
}

}  // namespace tessera::remote
