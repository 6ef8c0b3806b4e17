#include "training/watchdog.h"

#include <utility>

namespace tessera::training {

void Watchdog::start(double timeout_seconds, std::function<void(double)> on_timeout) {
  stop();
  if (timeout_seconds <= 0) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = false;
  }
  beat();
  thread_ = std::thread([this, timeout_seconds, on_timeout = std::move(on_timeout)] {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopping_) {
      cv_.wait_for(lock, std::chrono::milliseconds(100));
      if (stopping_) break;
      const double idle =
          std::chrono::duration<double>(Clock::now().time_since_epoch() - Clock::duration(heartbeat_ns_.load())).count();
      if (idle > timeout_seconds) on_timeout(idle);
    }
  });
}

void Watchdog::stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

}  // namespace tessera::training
