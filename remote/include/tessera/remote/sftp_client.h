#pragma once
// File transfers over an authenticated SshSession (SFTP): upload and download with progress and
// cancellation, resume of an interrupted transfer, verification of size and SHA-256, and folder
// sync for configs, datasets, shards, checkpoints and samples.
//
// Transfers go to "<target>.part" and are renamed into place only after verification, so a
// target path never holds a half-written file; an interrupted transfer leaves the .part file,
// and the next transfer of the same file continues from its end.

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

namespace tessera::remote {

class SshSession;

struct TransferProgress {
  QString path;          // the file being transferred (target path)
  qint64 bytesDone = 0;  // of this file, including a resumed prefix
  qint64 bytesTotal = 0;
  int fileIndex = 0;     // for folder syncs: 0-based index among the files that need a transfer
  int fileCount = 1;
};
// Return false to cancel (the .part file stays for a later resume).
using TransferProgressFn = std::function<bool(const TransferProgress&)>;

struct [[nodiscard]] TransferResult {
  bool ok = false;
  bool cancelled = false;
  qint64 bytes = 0;        // size of the file
  qint64 resumedFrom = 0;  // bytes reused from an earlier interrupted transfer
  QString sha256;          // hex, verified on both sides
  QString error;
};

struct [[nodiscard]] SyncResult {
  bool ok = false;
  bool cancelled = false;
  int filesTransferred = 0;
  int filesUpToDate = 0;
  qint64 bytesTransferred = 0;
  QStringList transferred;  // relative paths
  QString error;
};

struct RemoteEntry {
  QString name;
  bool isDirectory = false;
  qint64 size = 0;
  QDateTime modified;
};

class SftpClient {
 public:
  // `session` must be connected and outlive the client; one thread at a time.
  explicit SftpClient(SshSession& session);
  ~SftpClient();
  SftpClient(const SftpClient&) = delete;
  SftpClient& operator=(const SftpClient&) = delete;

  // Starts the SFTP subsystem; false with errorString() when the server offers none.
  [[nodiscard]] bool open();
  QString errorString() const;

  TransferResult upload(const QString& localPath, const QString& remotePath,
                        const TransferProgressFn& progress = {});
  TransferResult download(const QString& remotePath, const QString& localPath,
                          const TransferProgressFn& progress = {});

  // Makes remoteDir hold the same files as localDir (recursive): files whose size or
  // modification time differ are uploaded (and then given the local time); nothing is deleted.
  SyncResult syncUp(const QString& localDir, const QString& remoteDir, const TransferProgressFn& progress = {});
  // The same in the other direction (checkpoints, samples).
  SyncResult syncDown(const QString& remoteDir, const QString& localDir, const TransferProgressFn& progress = {});

  // Creates a remote folder and its parents (like mkdir -p).
  [[nodiscard]] bool makePath(const QString& remoteDir);
  // Lists a remote folder (without "." and ".."); false on error.
  [[nodiscard]] bool list(const QString& remoteDir, std::vector<RemoteEntry>* entries);
  // Size of a remote file, or -1 when it does not exist (or is not a regular file).
  qint64 remoteSize(const QString& remotePath);
  // SHA-256 of a remote file computed on the host (sha256sum); empty with errorString() on error.
  QString remoteSha256(const QString& remotePath);

 private:
  struct Private;
  std::unique_ptr<Private> d;
};

}  // namespace tessera::remote
