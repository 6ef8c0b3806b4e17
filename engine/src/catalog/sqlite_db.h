#pragma once
// A thin RAII layer over SQLite: the connection and prepared statements live in unique_ptrs with
// their deleters, every failure is a tessera::Error naming the statement and SQLite's message.

#include <cstdint>
#include <memory>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace tessera::catalog {

struct SqliteCloser {
  void operator()(sqlite3* db) const noexcept;
};
struct StatementFinalizer {
  void operator()(sqlite3_stmt* statement) const noexcept;
};

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, const std::string& sql);

  // Parameters are 1-based, as in SQLite.
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, double value);
  Statement& bind(int index, const std::string& value);
  Statement& bind_null(int index);
  // true while a row is available; false when done. Throws on errors.
  bool step();
  // step() that must finish without a row (INSERT/UPDATE/DELETE).
  void run();
  void reset();  // ready to bind and step again (bindings cleared)

  int64_t column_int(int index) const;
  double column_double(int index) const;
  std::string column_text(int index) const;
  bool column_is_null(int index) const;

 private:
  sqlite3* db_ = nullptr;
  std::string sql_;
  std::unique_ptr<sqlite3_stmt, StatementFinalizer> statement_;
};

class Database {
 public:
  // Opens (creating when `create`) the file read-write, or read-only when `read_only`.
  static Database open(const std::string& path, bool create, bool read_only = false);

  void exec(const std::string& sql);  // one or more statements, no results
  Statement prepare(const std::string& sql) { return Statement(db_.get(), sql); }
  int64_t last_insert_id() const;
  int user_version();
  void set_user_version(int version);
  sqlite3* handle() const { return db_.get(); }
  const std::string& path() const { return path_; }

 private:
  std::unique_ptr<sqlite3, SqliteCloser> db_;
  std::string path_;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back when destroyed without commit().
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace tessera::catalog
