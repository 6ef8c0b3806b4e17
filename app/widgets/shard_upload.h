#pragma once
// "Upload to a host" for the Datasets page's shard folder: the folder is synced to a folder on a
// GPU host over SFTP (only files whose size or time differ are sent; an interrupted file resumes
// from its .part; every file's SHA-256 is checked on both sides), on a worker thread, with
// progress by bytes and a Cancel that leaves nothing half-written under its final name.

#include "tessera/remote/run_watcher.h"

#include <QWidget>

#include <atomic>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QThread;
class SshPrompts;

class ShardUpload : public QWidget {
  Q_OBJECT

 public:
  explicit ShardUpload(QWidget* parent = nullptr);
  ~ShardUpload() override;  // cancels an upload and waits for it

  // The local folder to upload (the shard output folder).
  void setSourceFolder(const QString& folder) { m_source = folder; }
  bool isUploading() const { return m_thread != nullptr; }

 public Q_SLOTS:
  bool start();  // false (with the reason shown) when the fields are not usable
  void cancel() { m_cancel = true; }

 Q_SIGNALS:
  void finished(bool ok, const QString& message);

 private:
  void setBusy(bool busy);

  QString m_source;
  QLineEdit* m_host = nullptr;
  QLineEdit* m_remoteDir = nullptr;
  QPushButton* m_upload = nullptr;
  QPushButton* m_cancelButton = nullptr;
  QProgressBar* m_progress = nullptr;
  QLabel* m_status = nullptr;
  QThread* m_thread = nullptr;
  SshPrompts* m_prompts = nullptr;  // host-key and passphrase questions of the upload
  std::atomic<bool> m_cancel{false};
  struct Outcome {
    bool ok = false;
    QString message;
  } m_outcome;  // written by the worker, read once it has finished
};
