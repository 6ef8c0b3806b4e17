#include "widgets/generation_place_fields.h"

#include "widgets/field_error_label.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QVBoxLayout>

GenerationPlaceFields::GenerationPlaceFields(QFormLayout* form, int row, QWidget* page) : QObject(page), m_form(form) {
  m_on = new QComboBox(page);
  m_on->setObjectName(QStringLiteral("generateOn"));
  m_on->addItem(tr("This computer"), QStringLiteral("local"));
  m_on->addItem(tr("A GPU host over SSH"), QStringLiteral("ssh"));
  m_on->addItem(tr("A Slurm cluster"), QStringLiteral("slurm"));
  m_on->setToolTip(tr("On a host, both models are paths there and tessera generate runs there; the images come back here."));
  form->insertRow(row, tr("Generate &on:"), m_on);
  m_host = new QLineEdit(page);
  m_host->setObjectName(QStringLiteral("generateHost"));
  m_host->setClearButtonEnabled(true);
  m_hostError = errorLabel(QStringLiteral("generateHostError"), page);
  m_hostRow = new QWidget(page);
  auto* layout = new QVBoxLayout(m_hostRow);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_host);
  layout->addWidget(m_hostError);
  form->insertRow(row + 1, tr("&Host:"), m_hostRow);
  if (auto* label = qobject_cast<QLabel*>(form->labelForField(m_hostRow))) label->setBuddy(m_host);
  m_tessera = new QLineEdit(page);
  m_tessera->setObjectName(QStringLiteral("generateTessera"));
  m_tessera->setPlaceholderText(QStringLiteral("tessera"));
  m_tessera->setToolTip(tr("The tessera binary on the host (default: tessera on its PATH)."));
  form->insertRow(row + 2, tr("&tessera there:"), m_tessera);
  m_cpu = new QCheckBox(tr("Use the host's &CPU (no GPU there)"), page);
  m_cpu->setObjectName(QStringLiteral("generateHostCpu"));
  form->insertRow(row + 3, QString(), m_cpu);
  connect(m_on, &QComboBox::currentIndexChanged, this, [this] {
    update();
    Q_EMIT placeChanged(value());
  });
  update();
}

void GenerationPlaceFields::update() {
  const QString on = m_on->currentData().toString();
  const bool remote = on != QLatin1String("local");
  for (QWidget* w : {m_hostRow, static_cast<QWidget*>(m_tessera), static_cast<QWidget*>(m_cpu)}) m_form->setRowVisible(w, remote);
  m_host->setPlaceholderText(on == QLatin1String("slurm") ? tr("the login host, [user@]host[:port] (empty: this machine)")
                                                          : tr("[user@]host[:port] or an alias from ~/.ssh/config"));
}

GenerationPlace GenerationPlaceFields::value() const {
  GenerationPlace p;
  p.on = m_on->currentData().toString();
  if (!p.remote()) return p;
  p.host = m_host->text().trimmed();
  if (!m_tessera->text().trimmed().isEmpty()) p.tesseraPath = m_tessera->text().trimmed();
  p.hostCpu = m_cpu->isChecked();
  return p;
}

void GenerationPlaceFields::setValue(const GenerationPlace& place) {
  m_on->setCurrentIndex(std::max(0, m_on->findData(place.on)));
  m_host->setText(place.host);
  m_tessera->setText(place.tesseraPath);
  m_cpu->setChecked(place.hostCpu);
}

bool GenerationPlaceFields::validate() {
  const GenerationPlace p = value();
  QString error;
  if (p.on == QLatin1String("ssh") && p.host.isEmpty()) error = tr("Name the GPU host: [user@]host[:port].");
  else if (p.host.contains(QLatin1Char(' '))) error = tr("A host name has no spaces.");
  m_hostError->setText(error);
  m_hostError->setVisible(!error.isEmpty());
  return error.isEmpty();
}

void GenerationPlaceFields::setEnabled(bool enabled) {
  for (QWidget* w : {static_cast<QWidget*>(m_on), static_cast<QWidget*>(m_host), static_cast<QWidget*>(m_tessera),
                     static_cast<QWidget*>(m_cpu)})
    w->setEnabled(enabled);
}

void GenerationPlaceFields::load(const QSettings& settings, const QString& prefix) {
  GenerationPlace p;
  p.on = settings.value(prefix + QStringLiteral("generateOn"), p.on).toString();
  p.host = settings.value(prefix + QStringLiteral("host")).toString();
  p.tesseraPath = settings.value(prefix + QStringLiteral("tessera")).toString();
  p.hostCpu = settings.value(prefix + QStringLiteral("hostCpu"), false).toBool();
  setValue(p);
}

void GenerationPlaceFields::save(QSettings& settings, const QString& prefix) const {
  settings.setValue(prefix + QStringLiteral("generateOn"), m_on->currentData());
  settings.setValue(prefix + QStringLiteral("host"), m_host->text());
  settings.setValue(prefix + QStringLiteral("tessera"), m_tessera->text());
  settings.setValue(prefix + QStringLiteral("hostCpu"), m_cpu->isChecked());
}
