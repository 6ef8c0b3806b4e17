#pragma once
// One caption edit on the Datasets page as an undo command: redo writes the new caption to the
// catalog, undo writes the one it replaced back (so undo reaches the catalog too).

#include <QCoreApplication>
#include <QString>
#include <QUndoCommand>

#include <functional>

class CaptionEditCommand : public QUndoCommand {
  Q_DECLARE_TR_FUNCTIONS(CaptionEditCommand)

 public:
  // `write(id, row, caption)` saves a caption and shows it; false when the catalog refused.
  using Writer = std::function<bool(qint64 id, int row, const QString& caption)>;

  CaptionEditCommand(Writer write, qint64 id, int row, QString before, QString after)
      : m_write(std::move(write)), m_id(id), m_row(row), m_before(std::move(before)), m_after(std::move(after)) {
    setText(tr("caption of image %1").arg(id));
  }
  void redo() override { m_write(m_id, m_row, m_after); }
  void undo() override { m_write(m_id, m_row, m_before); }

 private:
  Writer m_write;
  qint64 m_id;
  int m_row;
  QString m_before;
  QString m_after;
};
