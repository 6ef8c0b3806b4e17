#include "training/metrics_log.h"

#include "tessera/error.h"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

namespace tessera::training {

MetricsLog::MetricsLog(const std::string& path) {
  if (path.empty()) return;
  file_ = std::fopen(path.c_str(), "ab");
  if (file_ == nullptr) throw Error("cannot open " + path + " for writing", "check the run folder's permissions");
}

MetricsLog::~MetricsLog() {
  if (file_ != nullptr) std::fclose(file_);
}

void MetricsLog::write_line(nlohmann::json line) {
  if (file_ == nullptr) return;
  const double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  line["time"] = now;
  const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard<std::mutex> lock(mutex_);
  std::fwrite(text.data(), 1, text.size(), file_);
  std::fflush(file_);
}

void MetricsLog::step(nlohmann::json fields) { write_line(std::move(fields)); }

void MetricsLog::event(const std::string& name, nlohmann::json fields) {
  nlohmann::json line = nlohmann::json::object();
  line["event"] = name;
  for (auto it = fields.begin(); it != fields.end(); ++it) line[it.key()] = it.value();
  write_line(std::move(line));
}

int64_t current_rss_bytes() {
  std::ifstream in("/proc/self/statm");
  int64_t size = 0, resident = 0;
  if (!(in >> size >> resident)) return 0;
  return resident * static_cast<int64_t>(::sysconf(_SC_PAGESIZE));
}

int64_t peak_rss_bytes() {
  rusage u{};
  if (::getrusage(RUSAGE_SELF, &u) != 0) return 0;
  return static_cast<int64_t>(u.ru_maxrss) * 1024;
}

}  // namespace tessera::training
