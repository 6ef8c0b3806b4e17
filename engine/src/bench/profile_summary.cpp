// Summaries of profiled steps: see profile_summary.h.

#include "bench/profile_summary.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <unordered_map>

namespace tessera::bench {
namespace {

constexpr const char* kScopePrefix = "tessera.";
constexpr const char* kOutside = "(other)";

bool contains_any(const std::string& haystack, std::initializer_list<const char*> needles) {
  for (const char* n : needles) {
    if (haystack.find(n) != std::string::npos) return true;
  }
  return false;
}

bool on_device(ProfileEvent::Kind k) {
  return k == ProfileEvent::Kind::Kernel || k == ProfileEvent::Kind::Memcpy || k == ProfileEvent::Kind::Memset;
}

// An event the profiler closed badly (still open when it stopped) can carry a negative duration.
int64_t duration_of(const ProfileEvent& e) { return std::max<int64_t>(e.duration_ns, 0); }
int64_t end_of(const ProfileEvent& e) { return e.start_ns + duration_of(e); }

// The trainer's phase scopes, sorted by start, and a lookup of the one holding a host time.
class Phases {
 public:
  explicit Phases(const std::vector<ProfileEvent>& events) {
    for (const auto& e : events) {
      if (e.kind == ProfileEvent::Kind::Scope && e.name.rfind(kScopePrefix, 0) == 0) scopes_.push_back(&e);
    }
    std::sort(scopes_.begin(), scopes_.end(), [](const ProfileEvent* a, const ProfileEvent* b) { return a->start_ns < b->start_ns; });
  }
  const std::vector<const ProfileEvent*>& scopes() const { return scopes_; }
  // The innermost scope that holds `t`, or "" for none.
  std::string at(int64_t t) const {
    auto it = std::upper_bound(scopes_.begin(), scopes_.end(), t,
                               [](int64_t v, const ProfileEvent* s) { return v < s->start_ns; });
    // Scopes are sequential in practice; walk back over a few in case one nests in another.
    for (int back = 0; it != scopes_.begin() && back < 8; ++back) {
      --it;
      if (t <= end_of(**it)) return (*it)->name.substr(std::char_traits<char>::length(kScopePrefix));
    }
    return "";
  }

 private:
  std::vector<const ProfileEvent*> scopes_;
};

void sort_rows(std::vector<ProfileRow>* rows) {
  std::stable_sort(rows->begin(), rows->end(), [](const ProfileRow& a, const ProfileRow& b) { return a.ms > b.ms; });
}

// Host operators' self time (their time less that of the operators and scopes they called), per
// name. Events of one thread nest by time.
std::map<std::string, ProfileRow> host_self_times(const std::vector<ProfileEvent>& events) {
  std::unordered_map<uint64_t, std::vector<const ProfileEvent*>> by_thread;
  for (const auto& e : events) {
    if (e.kind == ProfileEvent::Kind::HostOp || e.kind == ProfileEvent::Kind::Scope) by_thread[e.thread].push_back(&e);
  }
  std::map<std::string, ProfileRow> rows;
  for (auto& [thread, list] : by_thread) {
    // By start; at the same start the longer one holds the other, and a scope holds an operator.
    std::sort(list.begin(), list.end(), [](const ProfileEvent* a, const ProfileEvent* b) {
      if (a->start_ns != b->start_ns) return a->start_ns < b->start_ns;
      if (duration_of(*a) != duration_of(*b)) return duration_of(*a) > duration_of(*b);
      return a->kind == ProfileEvent::Kind::Scope && b->kind != ProfileEvent::Kind::Scope;
    });
    struct Open {
      const ProfileEvent* e;
      int64_t children_ns;
    };
    std::vector<Open> stack;
    const auto close = [&rows](const Open& o) {
      if (o.e->kind != ProfileEvent::Kind::HostOp) return;
      ProfileRow& r = rows[o.e->name];
      r.name = o.e->name;
      r.ms += static_cast<double>(std::max<int64_t>(duration_of(*o.e) - o.children_ns, 0)) * 1e-6;
      r.calls += 1;
    };
    for (const ProfileEvent* e : list) {
      while (!stack.empty() && end_of(*stack.back().e) <= e->start_ns) {
        close(stack.back());
        stack.pop_back();
      }
      if (!stack.empty()) stack.back().children_ns += std::min(duration_of(*e), end_of(*stack.back().e) - e->start_ns);
      stack.push_back({e, 0});
    }
    while (!stack.empty()) {
      close(stack.back());
      stack.pop_back();
    }
  }
  return rows;
}

std::string fixed(double v, int decimals) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string column(const std::string& text, size_t width, bool right = true) {
  if (text.size() >= width) return text;
  const std::string pad(width - text.size(), ' ');
  return right ? pad + text : text + pad;
}

std::string shortened(const std::string& name, size_t max) {
  return name.size() <= max ? name : name.substr(0, max - 3) + "...";
}

}  // namespace

std::string kernel_category(const std::string& kernel_name) {
  std::string n = kernel_name;
  std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  // In order: attention and optimizer kernels are known by name whatever else they mention; layout
  // changes before the convolutions (cuDNN's own nchwToNhwc kernels), reductions before norms
  // (a gradient norm is a reduction).
  if (contains_any(n, {"nccl"})) return "communication";
  if (contains_any(n, {"flash", "fmha", "attention", "attn", "sdpa", "efficient_", "mha_"})) return "attention";
  if (contains_any(n, {"adam"})) return "optimizer";
  if (contains_any(n, {"nchwtonhwc", "nhwctonchw", "copy", "transpose", "permute", "convert"})) return "copy / cast";
  if (contains_any(n, {"fprop", "dgrad", "wgrad", "convolution", "conv2d", "convolve", "winograd", "implicit_gemm", "cudnn"})) {
    return "convolution";
  }
  if (contains_any(n, {"gemm", "nvjet", "cutlass", "xmma", "cublas", "gemv", "splitk"})) return "matmul";
  // Random numbers (normal_, uniform_) before the norms; the per-tensor-list kernels are
  // reductions when they compute norms, element-wise otherwise (EMA, scaling).
  if (contains_any(n, {"normal", "uniform", "philox", "random"})) return "elementwise";
  if (contains_any(n, {"reduce", "reduction"})) return "reduction";
  if (contains_any(n, {"multi_tensor_apply", "foreach"})) return contains_any(n, {"norm"}) ? "reduction" : "elementwise";
  if (contains_any(n, {"norm", "moments", "fusedparams", "gammabeta", "internalgradients", "welford"})) return "normalization";
  if (contains_any(n, {"elementwise", "vectorized", "silu", "gelu", "sigmoid", "fill", "mul", "add", "softmax"})) return "elementwise";
  return "other";
}

ProfileSummary summarize_profile(const std::vector<ProfileEvent>& events, int steps, size_t top) {
  ProfileSummary s;
  s.steps = std::max(steps, 1);
  const double per_step = 1e-6 / static_cast<double>(s.steps);  // ns -> ms per step
  const Phases phases(events);

  // Phases in the order the steps first entered them, with the host's time in each.
  std::vector<std::string> order;
  std::map<std::string, ProfilePhase> by_phase;
  for (const ProfileEvent* scope : phases.scopes()) {
    const std::string name = scope->name.substr(std::char_traits<char>::length(kScopePrefix));
    if (!by_phase.count(name)) order.push_back(name);
    ProfilePhase& p = by_phase[name];
    p.name = name;
    p.host_ms += static_cast<double>(duration_of(*scope)) * per_step;
  }
  int64_t host_first = INT64_MAX, host_last = INT64_MIN;
  std::unordered_map<uint64_t, int64_t> launch_at, op_at;
  std::vector<const ProfileEvent*> device;
  for (const auto& e : events) {
    if (on_device(e.kind)) {
      device.push_back(&e);
      continue;
    }
    host_first = std::min(host_first, e.start_ns);
    host_last = std::max(host_last, end_of(e));
    if (e.kind == ProfileEvent::Kind::Launch && e.correlation != 0) launch_at[e.correlation] = e.start_ns;
    if (e.kind == ProfileEvent::Kind::HostOp && e.correlation != 0) op_at.emplace(e.correlation, e.start_ns);
  }
  if (host_last > host_first) s.host_ms = static_cast<double>(host_last - host_first) * per_step;
  // The host's time outside every phase (the step's bookkeeping: logging, callbacks).
  if (!order.empty()) {
    double in_phases = 0;
    for (const auto& [name, p] : by_phase) in_phases += p.host_ms;
    order.push_back(kOutside);
    by_phase[kOutside].name = kOutside;
    by_phase[kOutside].host_ms = std::max(s.host_ms - in_phases, 0.0);
  }

  if (!device.empty()) {
    s.device = true;
    std::sort(device.begin(), device.end(), [](const ProfileEvent* a, const ProfileEvent* b) { return a->start_ns < b->start_ns; });
    std::map<std::string, ProfileRow> categories, kernels;
    int64_t busy = 0, covered_to = device.front()->start_ns, last_end = device.front()->start_ns;
    for (const ProfileEvent* e : device) {
      // The phase: where the host launched it (its runtime call, else its operator).
      std::string phase;
      if (auto it = launch_at.find(e->correlation); e->correlation != 0 && it != launch_at.end()) {
        phase = phases.at(it->second);
      } else if (auto op = op_at.find(e->linked); e->linked != 0 && op != op_at.end()) {
        phase = phases.at(op->second);
      } else {
        s.unattributed += 1;
      }
      if (phase.empty()) phase = kOutside;
      if (!by_phase.count(phase)) {
        order.push_back(phase);
        by_phase[phase].name = phase;
      }
      ProfilePhase& p = by_phase[phase];
      const int64_t end = end_of(*e);
      const int64_t gap = std::max<int64_t>(e->start_ns - covered_to, 0);
      p.device_idle_ms += static_cast<double>(gap) * per_step;
      busy += std::max<int64_t>(end - std::max(e->start_ns, covered_to), 0);
      covered_to = std::max(covered_to, end);
      last_end = std::max(last_end, end);
      p.device_ms += static_cast<double>(duration_of(*e)) * per_step;
      p.kernels += 1.0 / s.steps;
      const std::string category = e->kind == ProfileEvent::Kind::Memcpy   ? "memcpy"
                                   : e->kind == ProfileEvent::Kind::Memset ? "memset"
                                                                           : kernel_category(e->name);
      for (auto* row : {&categories[category], &kernels[e->name]}) {
        row->ms += static_cast<double>(duration_of(*e)) * per_step;
        row->calls += 1.0 / s.steps;
      }
      categories[category].name = category;
      kernels[e->name].name = e->name;
    }
    s.device_busy_ms = static_cast<double>(busy) * per_step;
    s.device_span_ms = static_cast<double>(last_end - device.front()->start_ns) * per_step;
    s.device_events = static_cast<double>(device.size()) / s.steps;
    s.unattributed /= s.steps;
    for (auto& [name, row] : categories) s.categories.push_back(row);
    for (auto& [name, row] : kernels) s.top.push_back(row);
  } else {
    for (auto& [name, row] : host_self_times(events)) {
      row.ms *= 1.0 / s.steps;
      row.calls *= 1.0 / s.steps;
      s.top.push_back(row);
    }
  }
  sort_rows(&s.categories);
  sort_rows(&s.top);
  if (s.top.size() > top) s.top.resize(top);
  for (const auto& name : order) s.phases.push_back(by_phase[name]);
  return s;
}

std::string format_profile(const ProfileSummary& s, const std::string& title) {
  std::string out = title + "\n";
  out += "per step, over " + std::to_string(s.steps) + " step" + (s.steps == 1 ? "" : "s") + "; host " +
         fixed(s.host_ms, 2) + " ms";
  if (s.device) {
    const double idle = s.device_span_ms - s.device_busy_ms;
    out += "; device busy " + fixed(s.device_busy_ms, 2) + " ms of a " + fixed(s.device_span_ms, 2) + " ms span (idle " +
           fixed(idle, 2) + " ms, " + fixed(s.device_span_ms > 0 ? 100.0 * idle / s.device_span_ms : 0.0, 1) + " %), " +
           fixed(s.device_events, 0) + " device events";
    if (s.unattributed > 0) out += " (" + fixed(s.unattributed, 0) + " not linked to a launch)";
  }
  out += "\n\n" + column("phase", 14, false) + column("host ms", 10);
  if (s.device) out += column("device ms", 12) + column("idle before ms", 17) + column("kernels", 10);
  out += "\n";
  for (const auto& p : s.phases) {
    out += column(p.name, 14, false) + column(fixed(p.host_ms, 2), 10);
    if (s.device) {
      out += column(fixed(p.device_ms, 2), 12) + column(fixed(p.device_idle_ms, 2), 17) + column(fixed(p.kernels, 0), 10);
    }
    out += "\n";
  }
  const double total = [&] {
    double t = 0;
    for (const auto& r : s.categories) t += r.ms;
    return t;
  }();
  if (!s.categories.empty()) {
    out += "\n" + column("device work by kind (from kernel names)", 38, false) + column("ms", 7) + column("%", 7) +
           column("kernels", 10) + "\n";
    for (const auto& r : s.categories) {
      out += column(r.name, 38, false) + column(fixed(r.ms, 2), 7) + column(fixed(total > 0 ? 100.0 * r.ms / total : 0.0, 1), 7) +
             column(fixed(r.calls, 0), 10) + "\n";
    }
  }
  out += "\n" + column(s.device ? "top device kernels" : "top host operators by self time", 33, false) + column("ms", 8) +
         column("calls", 8) + column("avg us", 9) + "  name\n";
  for (const auto& r : s.top) {
    const double avg_us = r.calls > 0 ? 1000.0 * r.ms / r.calls : 0.0;
    out += column(fixed(r.ms, 3), 41) + column(fixed(r.calls, r.calls < 10 ? 1 : 0), 8) + column(fixed(avg_us, 1), 9) + "  " +
           shortened(r.name, 140) + "\n";
  }
  return out;
}

std::string profile_trace_json(const std::vector<ProfileEvent>& events) {
  nlohmann::json trace = nlohmann::json::array();
  for (const auto& e : events) {
    const bool dev = on_device(e.kind);
    static const char* const kinds[] = {"cpu_op", "user_annotation", "cuda_runtime", "kernel", "gpu_memcpy", "gpu_memset"};
    nlohmann::json j{{"name", e.name},
                     {"ph", "X"},
                     {"cat", kinds[static_cast<int>(e.kind)]},
                     {"ts", static_cast<double>(e.start_ns) / 1000.0},
                     {"dur", static_cast<double>(std::max<int64_t>(e.duration_ns, 0)) / 1000.0},
                     {"pid", dev ? "device" : "host"},
                     {"tid", e.thread}};
    if (e.correlation != 0) j["args"]["correlation"] = e.correlation;
    trace.push_back(std::move(j));
  }
  return nlohmann::json{{"traceEvents", std::move(trace)}, {"displayTimeUnit", "ms"}}.dump();
}

}  // namespace tessera::bench
