#include "pages/placeholder_page.h"

#include <QLabel>
#include <QVBoxLayout>

PlaceholderPage::PlaceholderPage(const QString& title, const QString& coming, QWidget* parent)
    : QWidget(parent), m_title(title) {
  auto* layout = new QVBoxLayout(this);
  auto* heading = new QLabel(title, this);
  QFont font = heading->font();
  font.setPointSizeF(font.pointSizeF() * 1.6);
  font.setBold(true);
  heading->setFont(font);
  auto* body = new QLabel(coming, this);
  body->setWordWrap(true);
  body->setTextFormat(Qt::PlainText);
  auto* status = new QLabel(tr("Not implemented yet."), this);
  status->setObjectName(QStringLiteral("notImplementedLabel"));
  status->setEnabled(false);
  layout->addWidget(heading);
  layout->addWidget(body);
  layout->addSpacing(12);
  layout->addWidget(status);
  layout->addStretch(1);
}
