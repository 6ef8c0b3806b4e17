#pragma once
// What the studio answers when an SSH connection asks something: an unknown host key (a question
// showing its SHA256 fingerprint; a changed key is refused by the remote layer, never asked) and a
// key passphrase (a password field, used once, never stored). The questions are put on the GUI
// thread while the connecting worker thread waits. The connection's base parameters come from
// the studio's settings: ssh/identityFile and ssh/knownHostsFile (empty: OpenSSH's defaults).

#include "tessera/remote/run_watcher.h"

#include <QCoreApplication>

class QWidget;

class SshPrompts {
  Q_DECLARE_TR_FUNCTIONS(SshPrompts)

 public:
  // The questions are parented to `owner` (and answered "no" once it is gone).
  static tessera::remote::ConnectOptions connectOptions(QWidget* owner);
};
