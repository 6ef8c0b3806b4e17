#pragma once
// The red message shown under a form field that fails its check (hidden until there is one).
// One definition for every page and dialog that validates at the field.

#include <QLabel>
#include <QString>

inline QLabel* errorLabel(const QString& objectName, QWidget* parent) {
  auto* label = new QLabel(parent);
  label->setObjectName(objectName);
  label->setWordWrap(true);
  label->setStyleSheet(QStringLiteral("color: #c0392b;"));
  label->hide();
  return label;
}
