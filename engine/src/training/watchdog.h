#pragma once
// A thread that ends a stalled training process, so that the launcher can restart the run from
// its last checkpoint (a hung collective or a wedged GPU otherwise holds every rank forever).
// No torch.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

namespace tessera::training {

class Watchdog {
 public:
  Watchdog() = default;
  ~Watchdog() { stop(); }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // Watches from now on: when beat() was not called for `timeout_seconds`, calls `on_timeout`
  // with the idle seconds from the watchdog's thread; `on_timeout` ends the process (it must not
  // return). A timeout of 0 or less watches nothing.
  void start(double timeout_seconds, std::function<void(double)> on_timeout);
  // The process made progress.
  void beat() { heartbeat_ns_ = Clock::now().time_since_epoch().count(); }
  // Stops watching and joins the thread (idempotent).
  void stop();

 private:
  using Clock = std::chrono::steady_clock;
  std::atomic<int64_t> heartbeat_ns_{0};
  bool stopping_ = false;  // guarded by mutex_
  std::mutex mutex_;
  std::condition_variable cv_;
  std::thread thread_;
};

}  // namespace tessera::training
