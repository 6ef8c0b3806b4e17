// GenerationQueue: generations run one after another on a worker thread (torch-free; the work
// itself happens in ImageGenerator::generate).

#include "tessera/generate.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace tessera {

struct GenerationQueue::Impl {
  struct Job {
    JobId id = 0;
    GenerateOptions options;
  };

  std::shared_ptr<ImageGenerator> generator;
  Callbacks callbacks;

  mutable std::mutex mutex;
  std::condition_variable work_ready;        // a job was queued, or stop
  mutable std::condition_variable all_done;  // pending reached zero
  std::deque<Job> queue;
  std::vector<JobId> dropped;  // cancelled while queued, not yet reported
  JobId next_id = 1;
  JobId running = 0;           // 0 when idle
  size_t pending = 0;          // submitted and not yet reported finished
  bool stopping = false;
  std::atomic<bool> cancel_running{false};
  std::thread worker;

  // Reports the jobs cancelled while queued (worker thread, lock not held).
  void report_dropped() {
    std::vector<JobId> ids;
    {
      std::lock_guard<std::mutex> lock(mutex);
      ids.swap(dropped);
    }
    for (JobId id : ids) finish(id, Status::cancelled_by_user(), {});
  }

  void finish(JobId id, const Status& status, const std::vector<GeneratedImage>& images) {
    if (callbacks.finished) {
      try {
        callbacks.finished(id, status, images);
      } catch (...) {
        // A callback's exception must not end the worker (nor the process).
      }
    }
    std::lock_guard<std::mutex> lock(mutex);
    --pending;
    if (pending == 0) all_done.notify_all();
  }

  void run() {
    for (;;) {
      report_dropped();
      Job job;
      {
        std::unique_lock<std::mutex> lock(mutex);
        work_ready.wait(lock, [&] { return stopping || !queue.empty() || !dropped.empty(); });
        if (!dropped.empty()) continue;
        if (queue.empty()) return;  // stopping, nothing left
        job = std::move(queue.front());
        queue.pop_front();
        running = job.id;
        cancel_running = stopping;
      }
      if (callbacks.started) {
        try {
          callbacks.started(job.id);
        } catch (...) {
        }
      }
      std::vector<GeneratedImage> images;
      if (!generator) {
        finish(job.id, Status::failure("no model loaded", "open a model before queueing generations"), {});
        std::lock_guard<std::mutex> lock(mutex);
        running = 0;
        continue;
      }
      const Status status = generator->generate(job.options, [&](const GenerateProgress& p) {
        if (callbacks.progress) {
          try {
            callbacks.progress(job.id, p);
          } catch (...) {
          }
        }
        report_dropped();  // a job cancelled while queued hears so now, not after this one
        return !cancel_running.load();
      }, &images);
      {
        std::lock_guard<std::mutex> lock(mutex);
        running = 0;
      }
      finish(job.id, status, images);
    }
  }
};

GenerationQueue::GenerationQueue(std::shared_ptr<ImageGenerator> generator, Callbacks callbacks)
    : impl_(std::make_unique<Impl>()) {
  impl_->generator = std::move(generator);
  impl_->callbacks = std::move(callbacks);
  impl_->worker = std::thread([impl = impl_.get()] { impl->run(); });
}

GenerationQueue::~GenerationQueue() {
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->stopping = true;
    for (const auto& job : impl_->queue) impl_->dropped.push_back(job.id);
    impl_->queue.clear();
    impl_->cancel_running = true;
  }
  impl_->work_ready.notify_all();
  if (impl_->worker.joinable()) impl_->worker.join();
}

GenerationQueue::JobId GenerationQueue::submit(GenerateOptions options) {
  JobId id = 0;
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    id = impl_->next_id++;
    impl_->queue.push_back(Impl::Job{id, std::move(options)});
    ++impl_->pending;
  }
  impl_->work_ready.notify_one();
  return id;
}

bool GenerationQueue::cancel(JobId id) {
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    if (id != 0 && impl_->running == id) {
      impl_->cancel_running = true;
      return true;
    }
    auto it = std::find_if(impl_->queue.begin(), impl_->queue.end(), [&](const Impl::Job& j) { return j.id == id; });
    if (it == impl_->queue.end()) return false;
    impl_->queue.erase(it);
    impl_->dropped.push_back(id);
  }
  impl_->work_ready.notify_one();
  return true;
}

void GenerationQueue::cancel_all() {
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    for (const auto& job : impl_->queue) impl_->dropped.push_back(job.id);
    impl_->queue.clear();
    if (impl_->running != 0) impl_->cancel_running = true;
  }
  impl_->work_ready.notify_one();
}

size_t GenerationQueue::pending() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->pending;
}

bool GenerationQueue::wait_idle(int timeout_ms) const {
  std::unique_lock<std::mutex> lock(impl_->mutex);
  const auto idle = [&] { return impl_->pending == 0; };
  if (timeout_ms < 0) {
    impl_->all_done.wait(lock, idle);
    return true;
  }
  return impl_->all_done.wait_for(lock, std::chrono::milliseconds(timeout_ms), idle);
}

}  // namespace tessera
