#include "catalog/sqlite_db.h"

#include "tessera/error.h"

#include <sqlite3.h>

namespace tessera::catalog {
namespace {

std::string short_sql(const std::string& sql) { return sql.size() > 60 ? sql.substr(0, 57) + "..." : sql; }

}  // namespace

void SqliteCloser::operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
void StatementFinalizer::operator()(sqlite3_stmt* statement) const noexcept { sqlite3_finalize(statement); }

Statement::Statement(sqlite3* db, const std::string& sql) : db_(db), sql_(sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &raw, nullptr) != SQLITE_OK) {
    throw Error("catalog: cannot prepare '" + short_sql(sql) + "': " + sqlite3_errmsg(db));
  }
  statement_.reset(raw);
}

Statement& Statement::bind(int index, int64_t value) {
  if (sqlite3_bind_int64(statement_.get(), index, value) != SQLITE_OK) throw Error("catalog: bind failed: " + std::string(sqlite3_errmsg(db_)));
  return *this;
}
Statement& Statement::bind(int index, double value) {
  if (sqlite3_bind_double(statement_.get(), index, value) != SQLITE_OK) throw Error("catalog: bind failed: " + std::string(sqlite3_errmsg(db_)));
  return *this;
}
Statement& Statement::bind(int index, const std::string& value) {
  if (sqlite3_bind_text64(statement_.get(), index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8) != SQLITE_OK) {
    throw Error("catalog: bind failed: " + std::string(sqlite3_errmsg(db_)));
  }
  return *this;
}
Statement& Statement::bind_null(int index) {
  if (sqlite3_bind_null(statement_.get(), index) != SQLITE_OK) throw Error("catalog: bind failed: " + std::string(sqlite3_errmsg(db_)));
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(statement_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  const std::string message = sqlite3_errmsg(db_);
  sqlite3_reset(statement_.get());
  throw Error("catalog: '" + short_sql(sql_) + "' failed: " + message,
              rc == SQLITE_BUSY ? "another program holds the catalog; try again when it is done" : std::string());
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(statement_.get());
  sqlite3_clear_bindings(statement_.get());
}

int64_t Statement::column_int(int index) const { return sqlite3_column_int64(statement_.get(), index); }
double Statement::column_double(int index) const { return sqlite3_column_double(statement_.get(), index); }
std::string Statement::column_text(int index) const {
  const auto* text = sqlite3_column_text(statement_.get(), index);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(sqlite3_column_bytes(statement_.get(), index)));
}
bool Statement::column_is_null(int index) const { return sqlite3_column_type(statement_.get(), index) == SQLITE_NULL; }

Database Database::open(const std::string& path, bool create, bool read_only) {
  int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (create && !read_only) flags |= SQLITE_OPEN_CREATE;
  flags |= SQLITE_OPEN_NOMUTEX;  // one connection per thread
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Database db;
  db.db_.reset(raw);
  db.path_ = path;
  if (rc != SQLITE_OK) {
    const std::string message = raw != nullptr ? sqlite3_errmsg(raw) : "out of memory";
    throw Error("cannot open catalog " + path + ": " + message,
                create ? "check that the folder exists and is writable" : "create it with 'tessera dataset import'");
  }
  // Wait for a concurrent writer's commit instead of failing at once.
  sqlite3_busy_timeout(raw, 10000);
  sqlite3_extended_result_codes(raw, 1);
  return db;
}

void Database::exec(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string text = message != nullptr ? message : sqlite3_errmsg(db_.get());
    sqlite3_free(message);
    throw Error("catalog " + path_ + ": '" + short_sql(sql) + "' failed: " + text);
  }
}

int64_t Database::last_insert_id() const { return sqlite3_last_insert_rowid(db_.get()); }

int Database::user_version() {
  Statement s = prepare("PRAGMA user_version");
  return s.step() ? static_cast<int>(s.column_int(0)) : 0;
}

void Database::set_user_version(int version) { exec("PRAGMA user_version = " + std::to_string(version)); }

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (done_) return;
  try {
    db_.exec("ROLLBACK");
  } catch (...) {
  }
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace tessera::catalog
