#include "models/run_list_model.h"

#include <QColor>
#include <QHash>

using tessera::remote::RunRecord;
using tessera::remote::RunState;

RunListModel::RunListModel(QObject* parent) : QAbstractTableModel(parent) {}

QStringList RunListModel::reload(const tessera::remote::RunRegistry& registry) {
  QStringList problems;
  beginResetModel();
  m_runs = registry.list(&problems);
  endResetModel();
  return problems;
}

const RunRecord* RunListModel::record(int row) const {
  return row >= 0 && row < int(m_runs.size()) ? &m_runs[size_t(row)] : nullptr;
}

int RunListModel::rowOf(const QString& id) const {
  for (size_t i = 0; i < m_runs.size(); ++i)
    if (m_runs[i].id == id) return int(i);
  return -1;
}

void RunListModel::updateRecord(const RunRecord& r) {
  const int row = rowOf(r.id);
  if (row < 0) return;
  m_runs[size_t(row)] = r;
  Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

QString RunListModel::stateText(tessera::remote::RunState state) {
  using tessera::remote::RunState;
  switch (state) {
    case RunState::Pending: return tr("pending");
    case RunState::Running: return tr("running");
    case RunState::Succeeded: return tr("succeeded");
    case RunState::Failed: return tr("failed");
    case RunState::Cancelled: return tr("cancelled");
    case RunState::Lost: return tr("lost");
  }
  return tessera::remote::runStateName(state);
}

QString RunListModel::eventText(const QString& event) {
  // The engine's events (engine/src/training/metrics_log.h) and the watchdog's restart.
  static const QHash<QString, const char*> known = {
      {QStringLiteral("start"), QT_TR_NOOP("start")},       {QStringLiteral("resume"), QT_TR_NOOP("resume")},
      {QStringLiteral("restart"), QT_TR_NOOP("restart")},   {QStringLiteral("stage"), QT_TR_NOOP("stage")},
      {QStringLiteral("checkpoint"), QT_TR_NOOP("checkpoint")}, {QStringLiteral("nan"), QT_TR_NOOP("NaN")},
      {QStringLiteral("rollback"), QT_TR_NOOP("rollback")}, {QStringLiteral("watchdog"), QT_TR_NOOP("watchdog")},
      {QStringLiteral("sample"), QT_TR_NOOP("sample")},     {QStringLiteral("finish"), QT_TR_NOOP("finish")},
      {QStringLiteral("error"), QT_TR_NOOP("error")},       {QStringLiteral("fault"), QT_TR_NOOP("fault")}};
  const auto it = known.find(event);
  return it != known.end() ? tr(it.value()) : event;
}

int RunListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_runs.size()); }
int RunListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant RunListModel::data(const QModelIndex& index, int role) const {
  const RunRecord* r = record(index.row());
  if (r == nullptr) return {};
  if (role == Qt::DisplayRole) {
    switch (index.column()) {
      case Name: return r->name.isEmpty() ? r->id : r->name;
      case State: return stateText(r->state);
      case Launcher: return r->launcher;
      case Hosts: return r->hosts.join(QStringLiteral(", "));
      case Updated: return r->updated.toLocalTime().toString(QStringLiteral("yyyy-MM-dd hh:mm"));
      default: return {};
    }
  }
  if (role == Qt::ToolTipRole) return r->message.isEmpty() ? r->id : r->id + QLatin1Char('\n') + r->message;
  if (role == Qt::ForegroundRole && index.column() == State) {
    switch (r->state) {
      case RunState::Failed:
      case RunState::Lost: return QColor(200, 40, 40);
      case RunState::Succeeded: return QColor(30, 140, 60);
      default: return {};
    }
  }
  if (role == Qt::UserRole) return r->id;
  return {};
}

QVariant RunListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case Name: return tr("Run");
    case State: return tr("State");
    case Launcher: return tr("Launcher");
    case Hosts: return tr("Hosts");
    case Updated: return tr("Updated");
    default: return {};
  }
}
