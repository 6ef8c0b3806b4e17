#pragma once
// A prompt set for the blind evaluation: a CSV file with a `Prompt` and a `Category` column (in
// any order, other columns ignored), such as DrawBench's 200 prompts. Parsed as RFC 4180: quoted
// fields may hold commas, line breaks and doubled quotes; CRLF or LF line ends; a UTF-8 byte
// order mark is skipped. Bad input gives an error naming the line, never a partial set.

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

struct PromptEntry {
  QString prompt;
  QString category;
  friend bool operator==(const PromptEntry& a, const PromptEntry& b) {
    return a.prompt == b.prompt && a.category == b.category;
  }
};

struct PromptSet {
  QList<PromptEntry> prompts;
  QString error;  // empty when the file was read; otherwise what is wrong, with its line number
  bool ok() const { return error.isEmpty(); }
  QStringList categories() const;  // in order of first appearance
};

class PromptCsv {
  Q_DECLARE_TR_FUNCTIONS(PromptCsv)

 public:
  // Splits CSV text into records of fields. On a syntax error returns false and sets `error`.
  // `lines` receives the 1-based line each record starts on.
  static bool parseRecords(const QByteArray& text, QList<QStringList>* records, QList<int>* lines, QString* error);
  static PromptSet parse(const QByteArray& text);
  static PromptSet load(const QString& path);
  // One CSV field, quoted when it needs to be (for the exports).
  static QString quote(const QString& field);
};
