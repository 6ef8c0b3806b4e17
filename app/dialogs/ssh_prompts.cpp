#include "dialogs/ssh_prompts.h"

#include <QInputDialog>
#include <QMessageBox>
#include <QSettings>
#include <QThread>
#include <QWidget>

#include <condition_variable>
#include <mutex>
#include <optional>

// The state a worker's callback and the GUI thread share. `context` is the SshPrompts object the
// questions are queued to; it is cleared, under the lock, before that object goes away.
struct SshPrompts::Channel {
  std::mutex mutex;
  std::condition_variable answered;
  bool cancelled = false;
  int pending = 0;
  QObject* context = nullptr;
};

namespace {

// Puts `question` to the GUI thread and waits for its answer; `fallback` when the prompts are
// cancelled before or while it is asked. Called on a worker thread (or, rarely, on the GUI thread
// itself, which asks directly).
template <typename T, typename Question>
T askOnGuiThread(const std::shared_ptr<SshPrompts::Channel>& channel, const T& fallback, Question question) {
  struct Reply {
    std::optional<T> value;
  };
  auto reply = std::make_shared<Reply>();
  std::unique_lock<std::mutex> lock(channel->mutex);
  if (channel->cancelled || channel->context == nullptr) return fallback;
  if (QThread::currentThread() == channel->context->thread()) {
    // Asked on the GUI thread itself (a connection made there): waiting would never end.
    lock.unlock();
    return question();
  }
  ++channel->pending;
  // Posted under the lock: the context cannot be destroyed in between (its owner must take the
  // lock to cancel first). A posted call to a destroyed context is dropped by Qt.
  QMetaObject::invokeMethod(
      channel->context,
      [channel, reply, question] {
        {
          const std::lock_guard<std::mutex> guard(channel->mutex);
          if (channel->cancelled) return;
        }
        T value = question();
        const std::lock_guard<std::mutex> guard(channel->mutex);
        reply->value = std::move(value);
        channel->answered.notify_all();
      },
      Qt::QueuedConnection);
  channel->answered.wait(lock, [&] { return reply->value.has_value() || channel->cancelled; });
  --channel->pending;
  return channel->cancelled ? fallback : *reply->value;
}

}  // namespace

SshPrompts::SshPrompts(QWidget* owner) : QObject(owner), m_channel(std::make_shared<Channel>()), m_owner(owner) {
  m_channel->context = this;
}

SshPrompts::~SshPrompts() {
  cancel();
}

void SshPrompts::cancel() {
  const std::lock_guard<std::mutex> guard(m_channel->mutex);
  m_channel->cancelled = true;
  m_channel->context = nullptr;
  m_channel->answered.notify_all();
}

int SshPrompts::pendingQuestions() const {
  const std::lock_guard<std::mutex> guard(m_channel->mutex);
  return m_channel->pending;
}

tessera::remote::ConnectOptions SshPrompts::connectOptions() {
  tessera::remote::ConnectOptions o;
  const QSettings settings;
  o.base.identityFile = settings.value(QStringLiteral("ssh/identityFile")).toString();
  o.base.knownHostsFile = settings.value(QStringLiteral("ssh/knownHostsFile")).toString();
  const std::shared_ptr<Channel> channel = m_channel;
  const QPointer<QWidget> owner = m_owner;  // read on the GUI thread only
  o.acceptUnknownHostKey = [channel, owner](const tessera::remote::HostKeyInfo& info) {
    return askOnGuiThread(channel, false, [owner, info] {
      return QMessageBox::question(owner.data(), tr("Unknown host key"),
                                   tr("The host presents a key that is not in %1:\n\n%2 %3\n\nTrust it and add it to "
                                      "known_hosts? Compare the fingerprint with the one your administrator gave you.")
                                       .arg(info.knownHostsFile, info.keyType, info.fingerprint)) == QMessageBox::Yes;
    });
  };
  o.passphrase = [channel, owner](const QString& prompt) {
    // Used once by libssh, never stored.
    return askOnGuiThread(channel, QString(), [owner, prompt] {
      return QInputDialog::getText(owner.data(), tr("Key passphrase"), prompt, QLineEdit::Password);
    });
  };
  return o;
}
