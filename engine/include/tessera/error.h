#pragma once
// Errors at the engine's edge. Inside the engine, failures are exceptions (tessera::Error, or
// LibTorch's c10::Error); the facade turns them into a Status that callers must look at.

#include <stdexcept>
#include <string>
#include <utility>

namespace tessera {

// An engine failure: what went wrong, and (when known) what the user can do about it.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what, std::string hint = {})
      : std::runtime_error(what), hint_(std::move(hint)) {}
  const std::string& hint() const noexcept { return hint_; }

 private:
  std::string hint_;
};

// Thrown when the user stopped a long operation (Ctrl-C, a Cancel button); not a failure.
class Cancelled : public Error {
 public:
  Cancelled() : Error("cancelled") {}
};

// The result of a facade call. `ok()` or a one-line message (plus an optional hint).
class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status failure(std::string message, std::string hint = {}) {
    Status s;
    s.ok_ = false;
    s.message_ = std::move(message);
    s.hint_ = std::move(hint);
    return s;
  }
  static Status cancelled_by_user() {
    Status s = failure("cancelled");
    s.cancelled_ = true;
    return s;
  }
  bool ok() const noexcept { return ok_; }
  bool cancelled() const noexcept { return cancelled_; }
  const std::string& message() const noexcept { return message_; }
  const std::string& hint() const noexcept { return hint_; }
  // "message (hint)" or "message", for one-line reports.
  std::string to_string() const;

 private:
  bool ok_ = true;
  bool cancelled_ = false;
  std::string message_;
  std::string hint_;
};

// Runs `fn`, converting any exception into a failed Status. Use at every facade entry point so
// that no exception crosses into the CLI's main or the Qt event loop.
template <typename Fn>
Status guarded(Fn&& fn) noexcept;

Status status_from_current_exception() noexcept;

template <typename Fn>
Status guarded(Fn&& fn) noexcept {
  try {
    fn();
    return Status();
  } catch (...) {
    return status_from_current_exception();
  }
}

}  // namespace tessera
