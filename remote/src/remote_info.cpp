#include "tessera/remote/remote_info.h"

#include <libssh/libssh.h>

namespace tessera::remote {

QString libsshVersion() {
  return QStringLiteral("libssh ") + QString::fromLatin1(ssh_version(0));
}

}  // namespace tessera::remote
