#pragma once
// RUN_DIR/metrics.jsonl: one JSON object per line, flushed as it is written, so a studio tailing
// the file over SSH sees every step as it finishes. Step lines carry "step"; event lines carry
// "event" (start, resume, stage, checkpoint, nan, rollback, watchdog, sample, finish, error).
// Every line has "time" (Unix seconds). Internal header (no torch).

#include <nlohmann/json.hpp>

#include <cstdio>
#include <mutex>
#include <string>

namespace tessera::training {

class MetricsLog {
 public:
  // Appends to `path` (created when absent). An empty path gives a log that writes nothing (the
  // non-zero ranks of a distributed run).
  explicit MetricsLog(const std::string& path);
  ~MetricsLog();
  MetricsLog(const MetricsLog&) = delete;
  MetricsLog& operator=(const MetricsLog&) = delete;

  void step(nlohmann::json fields);
  void event(const std::string& name, nlohmann::json fields = nlohmann::json::object());

 private:
  void write_line(nlohmann::json line);
  std::FILE* file_ = nullptr;
  std::mutex mutex_;  // the watchdog thread writes its event too
};

// Resident set size of this process in bytes (0 when unknown).
int64_t current_rss_bytes();
// Peak resident set size in bytes.
int64_t peak_rss_bytes();

}  // namespace tessera::training
