#include "tessera/remote/sftp_client.h"

#include "tessera/remote/ssh_session.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>

#include <libssh/libssh.h>
#include <libssh/sftp.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

Q_LOGGING_CATEGORY(lcSftp, "tessera.remote.sftp")

namespace tessera::remote {
namespace {

constexpr qint64 kChunk = 32 * 1024;  // within every SFTP server's packet limit

struct SftpDeleter {
  void operator()(sftp_session s) const { sftp_free(s); }
};
struct FileDeleter {
  void operator()(sftp_file f) const { sftp_close(f); }
};
struct AttributesDeleter {
  void operator()(sftp_attributes a) const { sftp_attributes_free(a); }
};
struct DirDeleter {
  void operator()(sftp_dir d) const { sftp_closedir(d); }
};
using SftpPtr = std::unique_ptr<std::remove_pointer_t<sftp_session>, SftpDeleter>;
using FilePtr = std::unique_ptr<std::remove_pointer_t<sftp_file>, FileDeleter>;
using AttributesPtr = std::unique_ptr<std::remove_pointer_t<sftp_attributes>, AttributesDeleter>;
using DirPtr = std::unique_ptr<std::remove_pointer_t<sftp_dir>, DirDeleter>;

QByteArray encodePath(const QString& path) { return path.toUtf8(); }

QString joinPath(const QString& dir, const QString& rel) {
  if (dir.isEmpty()) return rel;
  return dir.endsWith(QLatin1Char('/')) ? dir + rel : dir + QLatin1Char('/') + rel;
}

// SHA-256 of a local file from its start; empty on a read error.
QString localSha256(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  QCryptographicHash hash(QCryptographicHash::Sha256);
  if (!hash.addData(&f)) return {};
  return QString::fromLatin1(hash.result().toHex());
}

}  // namespace

struct SftpClient::Private {
  SshSession& ssh;
  SftpPtr sftp;
  QString error;

  explicit Private(SshSession& s) : ssh(s) {}

  QString sftpError(const QString& what, const QString& path) const {
    QString reason;
    switch (sftp ? sftp_get_error(sftp.get()) : -1) {
      case SSH_FX_NO_SUCH_FILE: reason = QStringLiteral("no such file or folder"); break;
      case SSH_FX_PERMISSION_DENIED: reason = QStringLiteral("permission denied"); break;
      case SSH_FX_FAILURE: reason = QStringLiteral("the server refused (disk full, or not a folder?)"); break;
      case SSH_FX_CONNECTION_LOST: reason = QStringLiteral("connection lost"); break;
      case SSH_FX_FILE_ALREADY_EXISTS: reason = QStringLiteral("already exists"); break;
      default: reason = QString::fromUtf8(ssh_get_error(ssh.nativeHandle())); break;
    }
    return QStringLiteral("%1 %2: %3").arg(what, path, reason);
  }

  bool fail(const QString& message) {
    error = message;
    qCWarning(lcSftp).noquote() << ssh.parameters().displayName() << message;
    return false;
  }

  AttributesPtr stat(const QString& path) {
    return AttributesPtr(sftp_stat(sftp.get(), encodePath(path).constData()));
  }

  QString remoteSha256(const QString& path) {
    const ExecResult r = ssh.exec({QStringLiteral("sha256sum"), QStringLiteral("--"), path}, 3600);
    if (!r.ok()) {
      fail(QStringLiteral("cannot hash %1 on %2: %3").arg(path, ssh.parameters().displayName(),
           r.started ? QString::fromUtf8(r.standardError).trimmed() : r.error));
      return {};
    }
    // "<hex>  <name>", with a leading backslash when the name needed escaping.
    QByteArray out = r.standardOutput;
    if (out.startsWith('\\')) out.remove(0, 1);
    const QByteArray hex = out.left(64);
    bool okHex = hex.size() == 64;
    for (char c : hex) okHex = okHex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    if (!okHex) {
      fail(QStringLiteral("unexpected sha256sum output for %1").arg(path));
      return {};
    }
    return QString::fromLatin1(hex);
  }

  bool setRemoteTime(const QString& path, const QDateTime& when) {
    timeval times[2];
    times[0].tv_sec = times[1].tv_sec = static_cast<time_t>(when.toSecsSinceEpoch());
    times[0].tv_usec = times[1].tv_usec = 0;
    return sftp_utimes(sftp.get(), encodePath(path).constData(), times) == 0;
  }

  // Replaces `target` by `part` on the host.
  bool renameIntoPlace(const QString& part, const QString& target) {
    if (stat(target)) sftp_unlink(sftp.get(), encodePath(target).constData());
    if (sftp_rename(sftp.get(), encodePath(part).constData(), encodePath(target).constData()) != 0)
      return fail(sftpError(QStringLiteral("cannot rename into"), target));
    return true;
  }

  TransferResult uploadOnce(const QString& local, const QString& remote, qint64 size, bool allowResume,
                            const TransferProgressFn& progress, const TransferProgress& base);
  TransferResult downloadOnce(const QString& remote, const QString& local, qint64 size, bool allowResume,
                              const TransferProgressFn& progress, const TransferProgress& base);
  bool listRecursive(const QString& root, const QString& rel, std::vector<std::pair<QString, RemoteEntry>>* out);
};

SftpClient::SftpClient(SshSession& session) : d(std::make_unique<Private>(session)) {}
SftpClient::~SftpClient() = default;

QString SftpClient::errorString() const { return d->error; }

bool SftpClient::open() {
  if (!d->ssh.isConnected()) return d->fail(QStringLiteral("not connected"));
  d->sftp.reset(sftp_new(d->ssh.nativeHandle()));
  if (!d->sftp) return d->fail(QStringLiteral("cannot start SFTP: ") + QString::fromUtf8(ssh_get_error(d->ssh.nativeHandle())));
  if (sftp_init(d->sftp.get()) != SSH_OK) {
    d->sftp.reset();
    return d->fail(QStringLiteral("the host offers no SFTP subsystem (%1)")
                       .arg(QString::fromUtf8(ssh_get_error(d->ssh.nativeHandle()))));
  }
  return true;
}

qint64 SftpClient::remoteSize(const QString& remotePath) {
  if (!d->sftp) return -1;
  AttributesPtr a = d->stat(remotePath);
  if (!a || a->type != SSH_FILEXFER_TYPE_REGULAR) return -1;
  return static_cast<qint64>(a->size);
}

QString SftpClient::remoteSha256(const QString& remotePath) { return d->remoteSha256(remotePath); }

bool SftpClient::makePath(const QString& remoteDir) {
  if (!d->sftp) return d->fail(QStringLiteral("SFTP is not open"));
  const QStringList parts = remoteDir.split(QLatin1Char('/'));
  QString path = remoteDir.startsWith(QLatin1Char('/')) ? QStringLiteral("/") : QString();
  for (const QString& part : parts) {
    if (part.isEmpty()) continue;
    path = path.isEmpty() || path == QLatin1String("/") ? path + part : path + QLatin1Char('/') + part;
    AttributesPtr a = d->stat(path);
    if (a) {
      if (a->type != SSH_FILEXFER_TYPE_DIRECTORY)
        return d->fail(QStringLiteral("%1 exists on the host and is not a folder").arg(path));
      continue;
    }
    if (sftp_mkdir(d->sftp.get(), encodePath(path).constData(), 0755) != 0 && !d->stat(path))
      return d->fail(d->sftpError(QStringLiteral("cannot create the folder"), path));
  }
  return true;
}

bool SftpClient::list(const QString& remoteDir, std::vector<RemoteEntry>* entries) {
  entries->clear();
  if (!d->sftp) return d->fail(QStringLiteral("SFTP is not open"));
  DirPtr dir(sftp_opendir(d->sftp.get(), encodePath(remoteDir).constData()));
  if (!dir) return d->fail(d->sftpError(QStringLiteral("cannot list"), remoteDir));
  while (AttributesPtr a{sftp_readdir(d->sftp.get(), dir.get())}) {
    const QString name = QString::fromUtf8(a->name);
    if (name == QLatin1String(".") || name == QLatin1String("..")) continue;
    RemoteEntry e;
    e.name = name;
    e.isDirectory = a->type == SSH_FILEXFER_TYPE_DIRECTORY;
    e.size = static_cast<qint64>(a->size);
    e.modified = QDateTime::fromSecsSinceEpoch(static_cast<qint64>(a->mtime));
    if (a->type == SSH_FILEXFER_TYPE_REGULAR || e.isDirectory) entries->push_back(e);
  }
  if (!sftp_dir_eof(dir.get())) return d->fail(d->sftpError(QStringLiteral("cannot list"), remoteDir));
  return true;
}

TransferResult SftpClient::Private::uploadOnce(const QString& local, const QString& remote, qint64 size,
                                               bool allowResume, const TransferProgressFn& progress,
                                               const TransferProgress& base) {
  TransferResult r;
  r.bytes = size;
  const QString part = remote + QStringLiteral(".part");
  qint64 offset = 0;
  if (allowResume) {
    AttributesPtr a = stat(part);
    if (a && a->type == SSH_FILEXFER_TYPE_REGULAR && static_cast<qint64>(a->size) <= size)
      offset = static_cast<qint64>(a->size);
  }
  QFile in(local);
  if (!in.open(QIODevice::ReadOnly) || !in.seek(offset)) {
    r.error = QStringLiteral("cannot read %1: %2").arg(local, in.errorString());
    return r;
  }
  const int flags = O_WRONLY | O_CREAT | (offset == 0 ? O_TRUNC : 0);
  FilePtr out(sftp_open(sftp.get(), encodePath(part).constData(), flags, 0644));
  if (!out) {
    r.error = sftpError(QStringLiteral("cannot write"), part);
    return r;
  }
  if (offset > 0 && sftp_seek64(out.get(), static_cast<uint64_t>(offset)) != 0) {
    r.error = sftpError(QStringLiteral("cannot seek in"), part);
    return r;
  }
  r.resumedFrom = offset;
  TransferProgress p = base;
  p.path = remote;
  p.bytesTotal = size;
  p.bytesDone = offset;
  QByteArray buf(static_cast<int>(kChunk), Qt::Uninitialized);
  while (p.bytesDone < size) {
    const qint64 n = in.read(buf.data(), kChunk);
    if (n <= 0) {
      r.error = QStringLiteral("cannot read %1 (did it shrink during the upload?)").arg(local);
      return r;
    }
    if (sftp_write(out.get(), buf.constData(), static_cast<size_t>(n)) != n) {
      r.error = sftpError(QStringLiteral("cannot write"), part);
      return r;
    }
    p.bytesDone += n;
    if (progress && !progress(p)) {
      r.cancelled = true;
      r.error = QStringLiteral("cancelled");
      return r;
    }
  }
  if (sftp_extension_supported(sftp.get(), "fsync@openssh.com", "1") && sftp_fsync(out.get()) != 0) {
    r.error = sftpError(QStringLiteral("cannot flush"), part);
    return r;
  }
  out.reset();
  AttributesPtr a = stat(part);
  if (!a || static_cast<qint64>(a->size) != size) {
    r.error = QStringLiteral("%1 has %2 bytes on the host, expected %3")
                  .arg(part).arg(a ? static_cast<qint64>(a->size) : -1).arg(size);
    return r;
  }
  r.ok = true;
  return r;
}

TransferResult SftpClient::upload(const QString& localPath, const QString& remotePath,
                                  const TransferProgressFn& progress) {
  TransferResult r;
  if (!d->sftp) {
    r.error = QStringLiteral("SFTP is not open");
    return r;
  }
  const QFileInfo info(localPath);
  if (!info.isFile()) {
    r.error = QStringLiteral("%1 is not a readable file").arg(localPath);
    return r;
  }
  const QString want = localSha256(localPath);
  if (want.isEmpty()) {
    r.error = QStringLiteral("cannot read %1").arg(localPath);
    return r;
  }
  TransferProgress base;
  for (bool allowResume : {true, false}) {
    r = d->uploadOnce(localPath, remotePath, info.size(), allowResume, progress, base);
    if (!r.ok) return r;
    const QString got = d->remoteSha256(remotePath + QStringLiteral(".part"));
    if (got.isEmpty()) {
      r.ok = false;
      r.error = d->error;
      return r;
    }
    if (got == want) {
      r.sha256 = got;
      if (!d->renameIntoPlace(remotePath + QStringLiteral(".part"), remotePath)) {
        r.ok = false;
        r.error = d->error;
        return r;
      }
      d->setRemoteTime(remotePath, info.lastModified());
      return r;
    }
    qCWarning(lcSftp).noquote() << remotePath << "hash mismatch after"
                                << (r.resumedFrom > 0 ? "a resumed upload; starting over" : "a full upload");
    if (r.resumedFrom == 0) break;
  }
  r.ok = false;
  r.error = QStringLiteral("%1 differs from %2 after the upload (SHA-256 mismatch)").arg(remotePath, localPath);
  return r;
}

TransferResult SftpClient::Private::downloadOnce(const QString& remote, const QString& local, qint64 size,
                                                 bool allowResume, const TransferProgressFn& progress,
                                                 const TransferProgress& base) {
  TransferResult r;
  r.bytes = size;
  const QString part = local + QStringLiteral(".part");
  QFile out(part);
  qint64 offset = 0;
  if (allowResume && out.exists() && out.size() <= size) offset = out.size();
  if (!out.open(offset > 0 ? (QIODevice::WriteOnly | QIODevice::Append) : (QIODevice::WriteOnly | QIODevice::Truncate))) {
    r.error = QStringLiteral("cannot write %1: %2").arg(part, out.errorString());
    return r;
  }
  FilePtr in(sftp_open(sftp.get(), encodePath(remote).constData(), O_RDONLY, 0));
  if (!in) {
    r.error = sftpError(QStringLiteral("cannot read"), remote);
    return r;
  }
  if (offset > 0 && sftp_seek64(in.get(), static_cast<uint64_t>(offset)) != 0) {
    r.error = sftpError(QStringLiteral("cannot seek in"), remote);
    return r;
  }
  r.resumedFrom = offset;
  TransferProgress p = base;
  p.path = local;
  p.bytesTotal = size;
  p.bytesDone = offset;
  QByteArray buf(static_cast<int>(kChunk), Qt::Uninitialized);
  while (p.bytesDone < size) {
    const ssize_t n = sftp_read(in.get(), buf.data(), static_cast<size_t>(kChunk));
    if (n < 0) {
      r.error = sftpError(QStringLiteral("cannot read"), remote);
      return r;
    }
    if (n == 0) break;  // the remote file shrank; the size check below reports it
    if (out.write(buf.constData(), n) != n) {
      r.error = QStringLiteral("cannot write %1: %2").arg(part, out.errorString());
      return r;
    }
    p.bytesDone += n;
    if (progress && !progress(p)) {
      r.cancelled = true;
      r.error = QStringLiteral("cancelled");
      return r;
    }
  }
  if (!out.flush() || ::fsync(out.handle()) != 0) {
    r.error = QStringLiteral("cannot flush %1").arg(part);
    return r;
  }
  out.close();
  if (QFileInfo(part).size() != size) {
    r.error = QStringLiteral("%1 ended at %2 bytes, expected %3 (did the remote file change?)")
                  .arg(remote).arg(QFileInfo(part).size()).arg(size);
    return r;
  }
  r.ok = true;
  return r;
}

TransferResult SftpClient::download(const QString& remotePath, const QString& localPath,
                                    const TransferProgressFn& progress) {
  TransferResult r;
  if (!d->sftp) {
    r.error = QStringLiteral("SFTP is not open");
    return r;
  }
  AttributesPtr a = d->stat(remotePath);
  if (!a || a->type != SSH_FILEXFER_TYPE_REGULAR) {
    r.error = a ? QStringLiteral("%1 is not a file on the host").arg(remotePath)
                : d->sftpError(QStringLiteral("cannot read"), remotePath);
    return r;
  }
  const qint64 size = static_cast<qint64>(a->size);
  const QDateTime modified = QDateTime::fromSecsSinceEpoch(static_cast<qint64>(a->mtime));
  const QString want = d->remoteSha256(remotePath);
  if (want.isEmpty()) {
    r.error = d->error;
    return r;
  }
  const QString part = localPath + QStringLiteral(".part");
  TransferProgress base;
  for (bool allowResume : {true, false}) {
    r = d->downloadOnce(remotePath, localPath, size, allowResume, progress, base);
    if (!r.ok) return r;
    if (localSha256(part) == want) {
      r.sha256 = want;
      if (::rename(QFile::encodeName(part).constData(), QFile::encodeName(localPath).constData()) != 0) {
        r.ok = false;
        r.error = QStringLiteral("cannot move %1 into place").arg(localPath);
        return r;
      }
      QFile done(localPath);
      if (done.open(QIODevice::ReadWrite)) done.setFileTime(modified, QFileDevice::FileModificationTime);
      return r;
    }
    qCWarning(lcSftp).noquote() << localPath << "hash mismatch after"
                                << (r.resumedFrom > 0 ? "a resumed download; starting over" : "a full download");
    if (r.resumedFrom == 0) break;
  }
  r.ok = false;
  r.error = QStringLiteral("%1 differs from %2 after the download (SHA-256 mismatch)").arg(localPath, remotePath);
  return r;
}

SyncResult SftpClient::syncUp(const QString& localDir, const QString& remoteDir, const TransferProgressFn& progress) {
  SyncResult s;
  if (!d->sftp) {
    s.error = QStringLiteral("SFTP is not open");
    return s;
  }
  const QDir root(localDir);
  if (!root.exists()) {
    s.error = QStringLiteral("%1 is not a folder").arg(localDir);
    return s;
  }
  QStringList todo;
  QDirIterator it(localDir, QDir::Files | QDir::Hidden | QDir::NoSymLinks, QDirIterator::Subdirectories);
  QStringList all;
  while (it.hasNext()) all << root.relativeFilePath(it.next());
  all.sort();
  for (const QString& rel : all) {
    if (rel.endsWith(QLatin1String(".part"))) continue;  // our own unfinished downloads
    const QFileInfo info(root.filePath(rel));
    AttributesPtr a = d->stat(joinPath(remoteDir, rel));
    if (a && a->type == SSH_FILEXFER_TYPE_REGULAR && static_cast<qint64>(a->size) == info.size() &&
        static_cast<qint64>(a->mtime) == info.lastModified().toSecsSinceEpoch())
      ++s.filesUpToDate;
    else
      todo << rel;
  }
  for (int i = 0; i < todo.size(); ++i) {
    const QString& rel = todo[i];
    const QString target = joinPath(remoteDir, rel);
    const int slash = target.lastIndexOf(QLatin1Char('/'));
    if (slash > 0 && !makePath(target.left(slash))) {
      s.error = d->error;
      return s;
    }
    TransferProgressFn fileProgress;
    if (progress)
      fileProgress = [&](const TransferProgress& p) {
        TransferProgress q = p;
        q.fileIndex = i;
        q.fileCount = static_cast<int>(todo.size());
        return progress(q);
      };
    const TransferResult r = upload(root.filePath(rel), target, fileProgress);
    if (!r.ok) {
      s.cancelled = r.cancelled;
      s.error = r.error;
      return s;
    }
    ++s.filesTransferred;
    s.bytesTransferred += r.bytes - r.resumedFrom;
    s.transferred << rel;
  }
  s.ok = true;
  return s;
}

bool SftpClient::Private::listRecursive(const QString& root, const QString& rel,
                                        std::vector<std::pair<QString, RemoteEntry>>* out) {
  DirPtr dir(sftp_opendir(sftp.get(), encodePath(joinPath(root, rel)).constData()));
  if (!dir) return fail(sftpError(QStringLiteral("cannot list"), joinPath(root, rel)));
  std::vector<RemoteEntry> entries;
  while (AttributesPtr a{sftp_readdir(sftp.get(), dir.get())}) {
    const QString name = QString::fromUtf8(a->name);
    if (name == QLatin1String(".") || name == QLatin1String("..")) continue;
    RemoteEntry e;
    e.name = name;
    e.isDirectory = a->type == SSH_FILEXFER_TYPE_DIRECTORY;
    e.size = static_cast<qint64>(a->size);
    e.modified = QDateTime::fromSecsSinceEpoch(static_cast<qint64>(a->mtime));
    if (a->type == SSH_FILEXFER_TYPE_REGULAR || e.isDirectory) entries.push_back(e);
  }
  if (!sftp_dir_eof(dir.get())) return fail(sftpError(QStringLiteral("cannot list"), joinPath(root, rel)));
  dir.reset();
  for (const RemoteEntry& e : entries) {
    const QString childRel = rel.isEmpty() ? e.name : rel + QLatin1Char('/') + e.name;
    if (e.isDirectory) {
      if (!listRecursive(root, childRel, out)) return false;
    } else {
      out->emplace_back(childRel, e);
    }
  }
  return true;
}

SyncResult SftpClient::syncDown(const QString& remoteDir, const QString& localDir, const TransferProgressFn& progress) {
  SyncResult s;
  if (!d->sftp) {
    s.error = QStringLiteral("SFTP is not open");
    return s;
  }
  std::vector<std::pair<QString, RemoteEntry>> files;
  if (!d->listRecursive(remoteDir, QString(), &files)) {
    s.error = d->error;
    return s;
  }
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  const QDir root(localDir);
  std::vector<std::pair<QString, RemoteEntry>> todo;
  for (const auto& f : files) {
    if (f.first.endsWith(QLatin1String(".part"))) continue;  // unfinished uploads
    const QFileInfo info(root.filePath(f.first));
    if (info.isFile() && info.size() == f.second.size &&
        info.lastModified().toSecsSinceEpoch() == f.second.modified.toSecsSinceEpoch())
      ++s.filesUpToDate;
    else
      todo.push_back(f);
  }
  for (size_t i = 0; i < todo.size(); ++i) {
    const QString target = root.filePath(todo[i].first);
    if (!QDir().mkpath(QFileInfo(target).absolutePath())) {
      s.error = QStringLiteral("cannot create the folder %1").arg(QFileInfo(target).absolutePath());
      return s;
    }
    TransferProgressFn fileProgress;
    if (progress)
      fileProgress = [&](const TransferProgress& p) {
        TransferProgress q = p;
        q.fileIndex = static_cast<int>(i);
        q.fileCount = static_cast<int>(todo.size());
        return progress(q);
      };
    const TransferResult r = download(joinPath(remoteDir, todo[i].first), target, fileProgress);
    if (!r.ok) {
      s.cancelled = r.cancelled;
      s.error = r.error;
      return s;
    }
    ++s.filesTransferred;
    s.bytesTransferred += r.bytes - r.resumedFrom;
    s.transferred << todo[i].first;
  }
  s.ok = true;
  return s;
}

}  // namespace tessera::remote
