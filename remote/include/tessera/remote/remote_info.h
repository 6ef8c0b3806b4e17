#pragma once

#include <QString>

namespace tessera::remote {

// "libssh 0.10.6" as linked at run time.
QString libsshVersion();

}  // namespace tessera::remote
