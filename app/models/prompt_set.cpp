#include "models/prompt_set.h"

#include <QFile>

QStringList PromptSet::categories() const {
  QStringList out;
  for (const PromptEntry& e : prompts)
    if (!out.contains(e.category)) out << e.category;
  return out;
}

bool PromptCsv::parseRecords(const QByteArray& bytes, QList<QStringList>* records, QList<int>* lines, QString* error) {
  QString text = QString::fromUtf8(bytes);
  if (text.startsWith(QChar(0xFEFF))) text.remove(0, 1);
  records->clear();
  lines->clear();
  QStringList record;
  QString field;
  bool inQuotes = false;
  bool wasQuoted = false;   // the current field was quoted (only a separator may follow the closing quote)
  bool recordStarted = false;
  int line = 1;
  int recordLine = 1;
  int quoteLine = 1;
  const auto endField = [&] {
    record << field;
    field.clear();
    wasQuoted = false;
  };
  const auto endRecord = [&] {
    endField();
    // A blank line (one empty unquoted field) is not a record.
    if (!(record.size() == 1 && record.first().isEmpty() && !recordStarted)) {
      records->append(record);
      lines->append(recordLine);
    }
    record.clear();
    recordStarted = false;
  };
  for (int i = 0; i < text.size(); ++i) {
    const QChar c = text.at(i);
    if (inQuotes) {
      if (c == QLatin1Char('"')) {
        if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('"')) {
          field += QLatin1Char('"');
          ++i;
        } else {
          inQuotes = false;
        }
      } else {
        if (c == QLatin1Char('\n')) ++line;
        field += c;
      }
      continue;
    }
    if (c == QLatin1Char(',')) {
      if (record.isEmpty() && field.isEmpty() && !recordStarted) recordLine = line;
      recordStarted = true;
      endField();
    } else if (c == QLatin1Char('\r') || c == QLatin1Char('\n')) {
      if (c == QLatin1Char('\r') && i + 1 < text.size() && text.at(i + 1) == QLatin1Char('\n')) ++i;
      endRecord();
      ++line;
      recordLine = line;
    } else if (c == QLatin1Char('"')) {
      if (!field.isEmpty() || wasQuoted) {
        *error = tr("Line %1: a quote inside an unquoted field; put the whole field in quotes and double the quote (\"\").").arg(line);
        return false;
      }
      if (record.isEmpty() && !recordStarted) recordLine = line;
      inQuotes = true;
      wasQuoted = true;
      recordStarted = true;
      quoteLine = line;
    } else {
      if (wasQuoted) {
        *error = tr("Line %1: text after a closing quote; a quoted field must end at a comma or the end of the line.").arg(line);
        return false;
      }
      if (record.isEmpty() && field.isEmpty() && !recordStarted) recordLine = line;
      recordStarted = true;
      field += c;
    }
  }
  if (inQuotes) {
    *error = tr("Line %1: a quoted field is never closed.").arg(quoteLine);
    return false;
  }
  if (recordStarted || !field.isEmpty() || !record.isEmpty()) endRecord();
  return true;
}

PromptSet PromptCsv::parse(const QByteArray& text) {
  PromptSet set;
  QList<QStringList> records;
  QList<int> lines;
  if (!parseRecords(text, &records, &lines, &set.error)) return set;
  if (records.isEmpty()) {
    set.error = tr("The file is empty: it needs a header row with Prompt and Category columns.");
    return set;
  }
  int promptColumn = -1;
  int categoryColumn = -1;
  const QStringList header = records.first();
  for (int c = 0; c < header.size(); ++c) {
    const QString name = header[c].trimmed();
    if (name.compare(QLatin1String("Prompt"), Qt::CaseInsensitive) == 0 && promptColumn < 0) promptColumn = c;
    if (name.compare(QLatin1String("Category"), Qt::CaseInsensitive) == 0 && categoryColumn < 0) categoryColumn = c;
  }
  if (promptColumn < 0 || categoryColumn < 0) {
    set.error = tr("Line %1: the header row must name a Prompt and a Category column (found: %2).")
                    .arg(lines.first())
                    .arg(header.join(QLatin1String(", ")));
    return set;
  }
  for (int r = 1; r < records.size(); ++r) {
    const QStringList& rec = records[r];
    if (rec.size() != header.size()) {
      set.error = tr("Line %1: %2 fields where the header has %3.").arg(lines[r]).arg(rec.size()).arg(header.size());
      set.prompts.clear();
      return set;
    }
    PromptEntry e{rec[promptColumn].trimmed(), rec[categoryColumn].trimmed()};
    if (e.prompt.isEmpty()) {
      set.error = tr("Line %1: the prompt is empty.").arg(lines[r]);
      set.prompts.clear();
      return set;
    }
    if (e.category.isEmpty()) e.category = tr("(none)");
    set.prompts << e;
  }
  if (set.prompts.isEmpty()) set.error = tr("The file has a header row but no prompts.");
  return set;
}

PromptSet PromptCsv::load(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    PromptSet set;
    set.error = tr("Cannot read %1: %2").arg(path, file.errorString());
    return set;
  }
  return parse(file.readAll());
}

QString PromptCsv::quote(const QString& field) {
  if (!field.contains(QLatin1Char(',')) && !field.contains(QLatin1Char('"')) && !field.contains(QLatin1Char('\n')) &&
      !field.contains(QLatin1Char('\r')))
    return field;
  QString q = field;
  q.replace(QLatin1String("\""), QLatin1String("\"\""));
  return QLatin1Char('"') + q + QLatin1Char('"');
}
