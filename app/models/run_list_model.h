#pragma once
// The runs of the registry as a table (name, state, launcher, hosts, last update), for the Runs
// page's list. Reloaded from the registry folder; a watched run's state is updated in place.

#include "tessera/remote/run_registry.h"

#include <QAbstractTableModel>

#include <vector>

class RunListModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { Name, State, Launcher, Hosts, Updated, ColumnCount };
  explicit RunListModel(QObject* parent = nullptr);

  // Replaces the rows with what the registry holds; returns the unreadable files' messages.
  QStringList reload(const tessera::remote::RunRegistry& registry);
  const tessera::remote::RunRecord* record(int row) const;
  int rowOf(const QString& id) const;
  void updateRecord(const tessera::remote::RunRecord& record);

  // A run's state and a metrics event ("resume", "nan", …) in the interface language; events the
  // studio does not know are shown as written.
  static QString stateText(tessera::remote::RunState state);
  static QString eventText(const QString& event);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

 private:
  std::vector<tessera::remote::RunRecord> m_runs;
};
