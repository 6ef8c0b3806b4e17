#pragma once
// The "where to generate" rows of a form: this computer, a GPU host over SSH or a Slurm cluster;
// for a host also the host itself, the tessera binary there and a switch for a host without GPU.
// The host rows are shown only when a host is chosen. Validation marks the host field.

#include <QObject>
#include <QString>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSettings;
class QWidget;

struct GenerationPlace {
  QString on = QStringLiteral("local");  // local | ssh | slurm
  QString host;                          // ssh: [user@]host[:port]; slurm: the login host (empty: here)
  QString tesseraPath = QStringLiteral("tessera");
  bool hostCpu = false;                  // the host's CPU: no GPU asked for or checked
  bool remote() const { return on != QLatin1String("local"); }
};

class GenerationPlaceFields : public QObject {
  Q_OBJECT

 public:
  // Inserts its rows into `form` from row `row` on; the widgets are children of `page`.
  GenerationPlaceFields(QFormLayout* form, int row, QWidget* page);

  GenerationPlace value() const;
  void setValue(const GenerationPlace& place);
  // Shows what is wrong under the host field; true when the fields can be used.
  bool validate();
  void setEnabled(bool enabled);
  void load(const QSettings& settings, const QString& prefix);
  void save(QSettings& settings, const QString& prefix) const;

 Q_SIGNALS:
  void placeChanged(const GenerationPlace& place);

 private:
  void update();

  QFormLayout* m_form;
  QComboBox* m_on = nullptr;
  QWidget* m_hostRow = nullptr;
  QLineEdit* m_host = nullptr;
  QLabel* m_hostError = nullptr;
  QLineEdit* m_tessera = nullptr;
  QCheckBox* m_cpu = nullptr;
};
