#include "tessera/error.h"

#include <c10/util/Exception.h>

#include <exception>
#include <new>

namespace tessera {

std::string Status::to_string() const {
  if (ok_) return "ok";
  if (hint_.empty()) return message_;
  return message_ + " (" + hint_ + ")";
}

Status status_from_current_exception() noexcept {
  try {
    throw;
  } catch (const Cancelled&) {
    return Status::cancelled_by_user();
  } catch (const Error& e) {
    return Status::failure(e.what(), e.hint());
  } catch (const c10::Error& e) {
    // what_without_backtrace() keeps the message to the line the user needs.
    return Status::failure(e.what_without_backtrace());
  } catch (const std::bad_alloc&) {
    return Status::failure("out of memory", "use a smaller batch or resolution");
  } catch (const std::exception& e) {
    return Status::failure(e.what());
  } catch (...) {
    return Status::failure("unknown error");
  }
}

}  // namespace tessera
