#include "tessera/remote/file_tail.h"

#include "tessera/remote/shell_quote.h"

namespace tessera::remote {
namespace {

// $1 = file, $2 = offset, $3 = most bytes to send. Prints the file's size on the first line, then
// the bytes from the offset on. Exit 3: no such file.
const char* const kTailScript =
    "[ -f \"$1\" ] || exit 3; size=$(wc -c < \"$1\") || exit 4; echo \"$size\"; "
    "[ \"$size\" -gt \"$2\" ] || exit 0; tail -c +$(($2 + 1)) -- \"$1\" | head -c \"$3\"";

}  // namespace

FileTail::FileTail(QString path, qint64 offset) : m_path(std::move(path)), m_offset(offset) {}

FileTail::Result FileTail::poll(CommandRunner& runner, QList<QByteArray>* lines, QString* error, bool* restarted,
                                qint64 maxBytes) {
  if (restarted) *restarted = false;
  for (int attempt = 0; attempt < 2; ++attempt) {
    const ExecResult r = runner.run(shellJoin({QStringLiteral("sh"), QStringLiteral("-c"), QString::fromLatin1(kTailScript),
                                               QStringLiteral("tessera-tail"), m_path, QString::number(m_offset),
                                               QString::number(maxBytes)}));
    if (r.started && r.error.isEmpty() && r.exitStatus == 3) return Result::NoFile;
    if (!r.ok()) {
      if (error)
        *error = QStringLiteral("cannot read %1 on %2: %3")
                     .arg(m_path, runner.hostName(), r.started && r.error.isEmpty() ? QString::fromUtf8(r.standardError).trimmed() : r.error);
      return Result::Error;
    }
    const int newline = r.standardOutput.indexOf('\n');
    bool okSize = false;
    const qint64 size = newline > 0 ? r.standardOutput.left(newline).trimmed().toLongLong(&okSize) : -1;
    if (!okSize) {
      if (error) *error = QStringLiteral("unexpected answer while reading %1 on %2").arg(m_path, runner.hostName());
      return Result::Error;
    }
    if (size < m_offset) {  // replaced by a shorter file: start over
      m_offset = 0;
      if (restarted) *restarted = true;
      continue;
    }
    const QByteArray data = r.standardOutput.mid(newline + 1);
    const int last = data.lastIndexOf('\n');
    if (last < 0) {
      if (data.size() >= maxBytes) {  // a "line" this long is not a metrics or log line
        if (error) *error = QStringLiteral("%1 on %2 has a line longer than %3 bytes").arg(m_path, runner.hostName()).arg(maxBytes);
        return Result::Error;
      }
      return Result::Lines;  // nothing new, or a line still being written
    }
    for (const QByteArray& line : data.left(last).split('\n')) lines->append(line);
    m_offset += last + 1;
    return Result::Lines;
  }
  return Result::Lines;
}

}  // namespace tessera::remote
