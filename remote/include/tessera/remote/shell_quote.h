#pragma once
// Building remote command lines from arguments. Every argument of every command Tessera runs on
// another machine goes through shellQuote(): what the user typed (run names, paths, prompts)
// reaches the remote program as one literal argument and is never interpreted by the shell.

#include <QString>
#include <QStringList>

namespace tessera::remote {

// POSIX-shell quoting: the result, read by sh/bash/dash, is exactly `arg` as one word.
// Uses single quotes ('it'\''s'); an empty string becomes ''.
QString shellQuote(const QString& arg);

// Quotes each argument and joins them with spaces: the program and its arguments as one line.
QString shellJoin(const QStringList& args);

}  // namespace tessera::remote
