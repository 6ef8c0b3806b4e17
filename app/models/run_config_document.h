#pragma once
// A run config (YAML) as the Train page edits it: the whole document is kept as a tree, the form
// reads and writes single keys by their dotted path ("trainer.max_duration"), and every key the
// form does not show (the UNet architecture, sampling prompts, noise schedule, ...) is written
// back untouched. YAML comments are not kept. The engine's check (tessera::check_run_config) is
// the judge of the result; this class only edits text.

#include <QByteArray>
#include <QString>

#include <memory>

class RunConfigDocument {
 public:
  RunConfigDocument();
  RunConfigDocument(const RunConfigDocument& other);
  RunConfigDocument& operator=(const RunConfigDocument& other);
  ~RunConfigDocument();

  // Replaces the document; on malformed YAML keeps the old one and explains in *error.
  [[nodiscard]] bool parse(const QByteArray& yaml, QString* error);
  [[nodiscard]] bool load(const QString& path, QString* error);  // a file or a ":/presets/…" resource
  QByteArray toYaml() const;
  // Writes atomically (a half-written config is never left behind).
  [[nodiscard]] bool save(const QString& path, QString* error) const;

  // The plain text of a scalar; empty when the key is absent or null. Sequences and mappings
  // have no text (isScalar false).
  bool has(const QString& key) const;
  QString value(const QString& key) const;
  // Sets a scalar, creating the mappings on the way; an empty text writes null.
  void setValue(const QString& key, const QString& text);
  void remove(const QString& key);

  // "550000ba" or "550000" → 550000; -1 when it is not a step count.
  static qint64 parseSteps(const QString& text);

 private:
  struct Private;
  std::unique_ptr<Private> d;
};
