#include "dialogs/ssh_prompts.h"

#include <QInputDialog>
#include <QMessageBox>
#include <QPointer>
#include <QSettings>
#include <QWidget>

tessera::remote::ConnectOptions SshPrompts::connectOptions(QWidget* owner) {
  tessera::remote::ConnectOptions o;
  const QSettings settings;
  o.base.identityFile = settings.value(QStringLiteral("ssh/identityFile")).toString();
  o.base.knownHostsFile = settings.value(QStringLiteral("ssh/knownHostsFile")).toString();
  QPointer<QWidget> self(owner);
  o.acceptUnknownHostKey = [self](const tessera::remote::HostKeyInfo& info) {
    bool accept = false;
    if (self.isNull()) return false;
    QMetaObject::invokeMethod(
        self.data(),
        [&] {
          accept = QMessageBox::question(self.data(), tr("Unknown host key"),
                                         tr("The host presents a key that is not in %1:\n\n%2 %3\n\nTrust it and add it to "
                                            "known_hosts? Compare the fingerprint with the one your administrator gave you.")
                                             .arg(info.knownHostsFile, info.keyType, info.fingerprint)) == QMessageBox::Yes;
        },
        Qt::BlockingQueuedConnection);
    return accept;
  };
  o.passphrase = [self](const QString& prompt) {
    QString text;
    if (self.isNull()) return text;
    QMetaObject::invokeMethod(
        self.data(), [&] { text = QInputDialog::getText(self.data(), tr("Key passphrase"), prompt, QLineEdit::Password); },
        Qt::BlockingQueuedConnection);
    return text;  // used once by libssh, never stored
  };
  return o;
}
