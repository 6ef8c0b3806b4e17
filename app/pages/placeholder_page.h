#pragma once

#include <QWidget>

class QLabel;

// A page whose feature has not landed yet. It says what the page will do and that it is not
// implemented, so nobody mistakes an empty page for a working one.
class PlaceholderPage : public QWidget {
  Q_OBJECT

 public:
  PlaceholderPage(const QString& title, const QString& coming, QWidget* parent = nullptr);
  QString title() const { return m_title; }

 private:
  QString m_title;
};
