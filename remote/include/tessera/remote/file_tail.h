#pragma once
// Follows a growing file on a host (metrics.jsonl, a rank's log) by byte offset: each poll returns
// the whole lines appended since the last one. Only complete lines move the offset, so a dropped
// connection, a half-written line or a restart of the watcher never loses or repeats a line —
// keep offset() (the studio stores it) and poll again.

#include "tessera/remote/command_runner.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace tessera::remote {

class FileTail {
 public:
  explicit FileTail(QString path, qint64 offset = 0);
  const QString& path() const { return m_path; }
  qint64 offset() const { return m_offset; }

  enum class Result { Lines, NoFile, Error };
  // Appends the new complete lines (without their '\n') to *lines. NoFile: the file does not
  // exist yet (not an error: a run writes it on its first step). On Error the offset is unchanged
  // and *error says why. If the file became shorter than the offset (replaced, not appended), the
  // tail starts again from its beginning and *restarted is set.
  Result poll(CommandRunner& runner, QList<QByteArray>* lines, QString* error, bool* restarted = nullptr,
              qint64 maxBytes = 8 << 20);

 private:
  QString m_path;
  qint64 m_offset = 0;
};

}  // namespace tessera::remote
