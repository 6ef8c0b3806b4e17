#pragma once
// What the studio answers when an SSH connection asks something: an unknown host key (a question
// showing its SHA256 fingerprint; a changed key is refused by the remote layer, never asked) and a
// key passphrase (a password field, used once, never stored). The questions are put on the GUI
// thread while the connecting worker thread waits. The connection's base parameters come from
// the studio's settings: ssh/identityFile and ssh/knownHostsFile (empty: OpenSSH's defaults).
//
// A worker waiting for an answer must never keep the GUI thread waiting for it in turn (a page
// that stops its workers when it closes): cancel() answers every pending and later question
// "no" (an empty passphrase) at once, even while its dialog is still open, and so does the
// destructor. Owners call cancel() before they wait for their worker threads.

#include "tessera/remote/run_watcher.h"

#include <QObject>
#include <QPointer>

#include <memory>

class QWidget;

class SshPrompts : public QObject {
  Q_OBJECT

 public:
  // A child of `owner`, which also parents the questions.
  explicit SshPrompts(QWidget* owner);
  ~SshPrompts() override;

  // Options whose callbacks ask through this object; they may outlive it (then they answer "no").
  tessera::remote::ConnectOptions connectOptions();
  void cancel();
  // Questions put by workers and not answered yet (for tests: any thread may read it).
  int pendingQuestions() const;

  struct Channel;  // shared with the callbacks (ssh_prompts.cpp)

 private:
  std::shared_ptr<Channel> m_channel;
  QPointer<QWidget> m_owner;
};
