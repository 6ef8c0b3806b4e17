// Recording with PyTorch's profiler (the Kineto entry points, which fall back to host operators
// only where LibTorch was built without Kineto, as Debian's is) and turning its events into
// ProfileEvents. See step_profile.h.

#include "bench/step_profile.h"

#include "bench/profile_summary.h"
#include "core/atomic_file.h"

#include <torch/csrc/autograd/profiler_kineto.h>

#include <algorithm>
#include <set>
#include <utility>

namespace tessera::bench {
namespace {

namespace kineto = torch::autograd::profiler;
namespace impl = torch::profiler::impl;

// KinetoEvent's times: nanoseconds in LibTorch 2.x (startNs, durationNs), microseconds before.
// Overload resolution picks the first form that compiles (int is a better match than long).
template <typename E>
auto start_ns(const E& e, int) -> decltype(static_cast<int64_t>(e.startNs())) {
  return static_cast<int64_t>(e.startNs());
}
template <typename E>
int64_t start_ns(const E& e, long) {
  return static_cast<int64_t>(e.startUs()) * 1000;
}
template <typename E>
auto duration_ns(const E& e, int) -> decltype(static_cast<int64_t>(e.durationNs())) {
  return static_cast<int64_t>(e.durationNs());
}
template <typename E>
int64_t duration_ns(const E& e, long) {
  return static_cast<int64_t>(e.durationUs()) * 1000;
}

// libkineto::ActivityType values, stable since the enum gained USER_ANNOTATION (1.8): CPU_OP 0,
// USER_ANNOTATION 1, GPU_MEMCPY 3, GPU_MEMSET 4, CONCURRENT_KERNEL 5, CUDA_RUNTIME 7, and in
// newer Kineto CUDA_DRIVER 8 (older ones put other host events there: only "cu..." names count).
bool to_event(const kineto::KinetoEvent& k, ProfileEvent* e) {
  const int type = k.activityType();
  e->name = k.name();
  switch (type) {
    case 0: e->kind = ProfileEvent::Kind::HostOp; break;
    case 1: e->kind = ProfileEvent::Kind::Scope; break;
    case 3: e->kind = ProfileEvent::Kind::Memcpy; break;
    case 4: e->kind = ProfileEvent::Kind::Memset; break;
    case 5: e->kind = ProfileEvent::Kind::Kernel; break;
    case 7:
    case 8:
      if (e->name.rfind("cu", 0) != 0) return false;
      e->kind = ProfileEvent::Kind::Launch;
      break;
    default: return false;
  }
  e->start_ns = start_ns(k, 0);
  e->duration_ns = duration_ns(k, 0);
  const bool device = type >= 3 && type <= 5;
  e->thread = device ? static_cast<uint64_t>(k.deviceResourceId()) : k.startThreadId();
  e->correlation = k.correlationId();
  e->linked = device ? k.linkedCorrelationId() : 0;
  return true;
}

std::set<impl::ActivityType> activities(bool device) {
  std::set<impl::ActivityType> a{impl::ActivityType::CPU};
  if (device) a.insert(impl::ActivityType::CUDA);
  return a;
}

impl::ProfilerConfig config() { return impl::ProfilerConfig(impl::ProfilerState::KINETO); }

}  // namespace

StepProfile::StepProfile(bool device) : device_(device) {
  kineto::prepareProfiler(config(), activities(device_));
  kineto::enableProfiler(config(), activities(device_));
  running_ = true;
}

StepProfile::~StepProfile() {
  if (!running_) return;
  try {
    (void)kineto::disableProfiler();
  } catch (...) {
  }
}

std::string StepProfile::finish(const std::string& path, int steps, const std::string& title) {
  running_ = false;
  const std::unique_ptr<kineto::ProfilerResult> result = kineto::disableProfiler();
  std::vector<ProfileEvent> events;
  events.reserve(result->events().size());
  for (const auto& k : result->events()) {
    ProfileEvent e;
    if (to_event(k, &e)) events.push_back(std::move(e));
  }
  std::string text = format_profile(summarize_profile(events, steps), title);
  if (device_ && !std::any_of(events.begin(), events.end(), [](const ProfileEvent& e) { return e.kind == ProfileEvent::Kind::Kernel; })) {
    text += "\n(no device kernels were recorded: this LibTorch's profiler has no CUDA activity (built without Kineto)"
            " — use nsys for the kernels)\n";
  }
  write_file_atomically(path, text.data(), text.size());
  const std::string trace = profile_trace_json(events);
  write_file_atomically(path + ".trace.json", trace.data(), trace.size());
  return text;
}

}  // namespace tessera::bench
