#include "training/distributed.h"

#include "tessera/error.h"

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/Types.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
// A backend is used where LibTorch was built with it and its headers are installed: PyTorch's
// wheels ship neither gloo/ nor nccl.h beside LibTorch's own headers (nccl.h comes with the
// nvidia-nccl wheel). TESSERA_WITHOUT_NCCL (CMake option) leaves NCCL out on purpose.
#if defined(USE_C10D_GLOO) && __has_include(<gloo/algorithm.h>)
#define TESSERA_GLOO 1
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#if defined(USE_C10D_NCCL) && !defined(TESSERA_WITHOUT_NCCL) && __has_include(<nccl.h>)
#define TESSERA_NCCL 1
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <cctype>
#include <cstdlib>
#include <exception>

namespace tessera::training {

namespace {

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

bool is_loopback(const std::string& addr) {
  return addr == "localhost" || addr.rfind("127.", 0) == 0 || addr == "::1";
}

}  // namespace

int parse_env_int(const std::string& name, const std::string& value, int min_value, int max_value) {
  if (value.empty())
    throw Error("the environment variable " + name + " is missing",
                "set it (torchrun and Slurm set it for every rank)");
  long long parsed = 0;
  for (char c : value) {
    if (!std::isdigit(static_cast<unsigned char>(c)) || parsed > (1LL << 40))
      throw Error(name + "='" + value + "' is not a non-negative integer");
    parsed = parsed * 10 + (c - '0');
  }
  if (parsed < min_value || parsed > max_value)
    throw Error(name + "=" + value + " is out of range [" + std::to_string(min_value) + ", " +
                std::to_string(max_value) + "]");
  return static_cast<int>(parsed);
}

DistributedEnv DistributedEnv::from_environment() {
  return from_lookup([](const char* name) { return env_or_empty(name); });
}

std::string first_host_of_slurm_nodelist(const std::string& nodelist) {
  // Grammar (scontrol show hostnames): entries separated by ',' outside brackets; an entry is a
  // prefix optionally followed by "[a-b,c,...]" ranges (zero-padded) and a suffix.
  std::string host;
  size_t i = 0;
  while (i < nodelist.size() && nodelist[i] != ',') {
    const char c = nodelist[i];
    if (c == '[') {
      const size_t close = nodelist.find(']', i);
      if (close == std::string::npos) throw Error("SLURM_JOB_NODELIST='" + nodelist + "': unbalanced '['");
      const std::string ranges = nodelist.substr(i + 1, close - i - 1);
      const size_t end = ranges.find_first_of(",-");
      const std::string first = ranges.substr(0, end);
      if (first.empty()) throw Error("SLURM_JOB_NODELIST='" + nodelist + "': empty range");
      host += first;
      i = close + 1;
    } else {
      host += c;
      ++i;
    }
  }
  if (host.empty()) throw Error("SLURM_JOB_NODELIST='" + nodelist + "' names no host");
  return host;
}

int slurm_default_port(const std::string& job_id) {
  long long id = 0;
  for (char c : job_id) {
    if (!std::isdigit(static_cast<unsigned char>(c))) break;  // array jobs: "1234_5"
    id = (id * 10 + (c - '0')) % 1000000007LL;
  }
  return 20000 + static_cast<int>(id % 10000);
}

// --- process group --------------------------------------------------------------------------

struct Distributed::Group {
  c10::intrusive_ptr<c10d::Store> store;
#ifdef TESSERA_NCCL
  c10::intrusive_ptr<c10d::ProcessGroupNCCL> nccl;
#endif
#ifdef TESSERA_GLOO
  c10::intrusive_ptr<c10d::ProcessGroupGloo> gloo;
#endif

#if !defined(TESSERA_NCCL) && !defined(TESSERA_GLOO)
  // No backend compiled in: the collectives' call sites still compile, and refuse when called
  // (the constructor already refused a world of more than one).
  struct NoBackend {
    struct NoWork {
      bool wait() const { return true; }
    };
    template <typename... Args>
    std::shared_ptr<NoWork> broadcast(Args&&...) { return refuse(); }
    template <typename... Args>
    std::shared_ptr<NoWork> allreduce(Args&&...) { return refuse(); }
    template <typename... Args>
    std::shared_ptr<NoWork> barrier(Args&&...) { return refuse(); }
    static std::shared_ptr<NoWork> refuse() {
      throw Error("no c10d backend in this LibTorch build",
                  "multi-process training needs a LibTorch built with Gloo (CPU) or NCCL (CUDA)");
    }
  };
#endif

  // One collective in flight or done; returned by the backend (type differs across versions).
  template <typename Fn>
  auto with_backend(Fn&& fn) {
#if !defined(TESSERA_NCCL) && !defined(TESSERA_GLOO)
    NoBackend none;
    return fn(none);
#else
#ifdef TESSERA_NCCL
    if (nccl) return fn(*nccl);
#endif
#ifdef TESSERA_GLOO
    if (gloo) return fn(*gloo);
#endif
    throw Error("no c10d backend in this LibTorch build",
                "multi-process training needs a LibTorch built with Gloo (CPU) or NCCL (CUDA)");
#endif
  }
};

struct Distributed::Bucket {
  std::vector<size_t> params;  // indices into params_
  torch::Tensor flat;          // gradients of the bucket, concatenated
  size_t ready = 0;
  bool launched = false;
  std::function<void()> wait;  // waits for the allreduce launched on `flat`
};

Distributed::Distributed(const DistributedEnv& env, torch::Device device,
                         std::chrono::milliseconds timeout)
    : env_(env), device_(device) {
  if (env_.world_size < 1 || env_.rank < 0 || env_.rank >= env_.world_size)
    throw Error("rank " + std::to_string(env_.rank) + " is outside a world of " +
                std::to_string(env_.world_size));
  if (env_.world_size == 1 && !env_.group_for_one_rank) return;

  group_ = std::make_unique<Group>();
  c10d::TCPStoreOptions options;
  options.port = static_cast<uint16_t>(env_.master_port);
  options.isServer = env_.rank == 0;
  options.numWorkers = static_cast<size_t>(env_.world_size);
  options.timeout = timeout;
  try {
    group_->store = c10::make_intrusive<c10d::TCPStore>(env_.master_addr, options);
  } catch (const std::exception& e) {
    throw Error("rank " + std::to_string(env_.rank) + " could not reach the rendezvous at " +
                    env_.master_addr + ":" + std::to_string(env_.master_port) + ": " + e.what(),
                "check MASTER_ADDR/MASTER_PORT, that rank 0 is running, and that the port is open "
                "between the hosts");
  }
  auto store = c10::make_intrusive<c10d::PrefixStore>("tessera", group_->store);

  if (device_.is_cuda()) {
#ifdef TESSERA_NCCL
    auto opts = c10d::ProcessGroupNCCL::Options::create();
    opts->timeout = timeout;
    group_->nccl = c10::make_intrusive<c10d::ProcessGroupNCCL>(store, env_.rank, env_.world_size, opts);
    backend_name_ = "nccl";
    return;
#endif
  }
#ifdef TESSERA_GLOO
  auto opts = c10d::ProcessGroupGloo::Options::create();
  opts->timeout = timeout;
  const std::string ifname = env_or_empty("GLOO_SOCKET_IFNAME");
  if (!ifname.empty())
    opts->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(ifname));
  else if (is_loopback(env_.master_addr))
    opts->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
  else
    opts->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
  group_->gloo = c10::make_intrusive<c10d::ProcessGroupGloo>(store, env_.rank, env_.world_size, opts);
  backend_name_ = "gloo";
#else
  throw Error("this LibTorch has no Gloo backend, so CPU ranks cannot talk to each other",
              device_.is_cuda() ? "build against a LibTorch with NCCL" : "use a LibTorch built with Gloo");
#endif
}

Distributed::~Distributed() {
  for (size_t i = 0; i < hook_ids_.size() && i < params_.size(); ++i) {
    try {
      params_[i].remove_hook(hook_ids_[i]);
    } catch (...) {
    }
  }
  for (size_t i = 0; i < accumulator_hooks_.size() && i < accumulators_.size(); ++i) {
    accumulators_[i]->del_post_hook(accumulator_hooks_[i]);
  }
}

namespace {

// Runs after a parameter's gradient accumulator has added the incoming gradient to .grad.
class AfterAccumulation : public torch::autograd::FunctionPostHook {
 public:
  explicit AfterAccumulation(std::function<void()> f) : f_(std::move(f)) {}
  torch::autograd::variable_list operator()(const torch::autograd::variable_list& outputs,
                                            const torch::autograd::variable_list& /*inputs*/) override {
    f_();
    return outputs;
  }

 private:
  std::function<void()> f_;
};

// Whether `grads` are consecutive slices of `flat`, in order: then `offsets` holds where each starts.
bool laid_out_in(const torch::Tensor& flat, const std::vector<torch::Tensor>& grads, std::vector<int64_t>* offsets) {
  if (!flat.defined() || flat.dim() != 1 || !flat.is_contiguous()) return false;
  const auto* base = static_cast<const char*>(flat.data_ptr());
  int64_t offset = 0;
  offsets->clear();
  for (const auto& g : grads) {
    if (!g.defined() || g.scalar_type() != flat.scalar_type() || g.device() != flat.device() || !g.is_contiguous() ||
        g.data_ptr() != base + offset * static_cast<int64_t>(flat.element_size())) {
      return false;
    }
    offsets->push_back(offset);
    offset += g.numel();
  }
  return offset == flat.numel();
}

}  // namespace

void Distributed::broadcast_parameters(const std::vector<torch::Tensor>& tensors) {
  if (!group_ || tensors.empty()) return;
  torch::NoGradGuard no_grad;
  // One broadcast per dtype: flatten, send, copy back.
  std::vector<bool> done(tensors.size(), false);
  for (size_t i = 0; i < tensors.size(); ++i) {
    if (done[i]) continue;
    std::vector<size_t> same;
    std::vector<torch::Tensor> flat_parts;
    for (size_t j = i; j < tensors.size(); ++j) {
      if (done[j] || tensors[j].scalar_type() != tensors[i].scalar_type()) continue;
      same.push_back(j);
      flat_parts.push_back(tensors[j].detach().reshape({-1}));
      done[j] = true;
    }
    std::vector<torch::Tensor> flat{torch::cat(flat_parts).to(device_)};
    group_->with_backend([&](auto& pg) {
      c10d::BroadcastOptions o;
      o.rootRank = 0;
      pg.broadcast(flat, o)->wait();
      return 0;
    });
    int64_t offset = 0;
    for (size_t j : same) {
      const int64_t n = tensors[j].numel();
      tensors[j].detach().copy_(flat[0].narrow(0, offset, n).view(tensors[j].sizes()));
      offset += n;
    }
  }
}

void Distributed::register_gradient_buckets(const std::vector<torch::Tensor>& params, size_t bucket_bytes,
                                            const torch::Tensor& flat_grads, bool during_backward) {
  if (!params_.empty()) throw Error("register_gradient_buckets may be called only once");
  params_ = params;
  if (!group_) return;
  if (flat_grads.defined()) {
    std::vector<torch::Tensor> grads;
    for (const auto& p : params_) grads.push_back(p.grad());
    if (!laid_out_in(flat_grads, grads, &flat_offset_)) {
      throw Error("register_gradient_buckets: the parameters' gradients are not consecutive slices of the flat buffer");
    }
    in_place_ = true;
    flat_grads_ = flat_grads;
  }
  bucket_of_param_.assign(params_.size(), 0);
  offset_in_bucket_.assign(params_.size(), 0);
  param_ready_.assign(params_.size(), false);
  // Reverse order: backward produces the last layers' gradients first.
  size_t bytes = 0;
  for (size_t k = params_.size(); k-- > 0;) {
    const auto& p = params_[k];
    if (!p.requires_grad()) throw Error("a parameter registered for gradient averaging does not require grad");
    const size_t pbytes = static_cast<size_t>(p.numel()) * p.element_size();
    const bool new_bucket = buckets_.empty() || bytes + pbytes > bucket_bytes ||
                            params_[buckets_.back()->params.front()].scalar_type() != p.scalar_type();
    if (new_bucket) {
      buckets_.push_back(std::make_unique<Bucket>());
      bytes = 0;
    }
    bucket_of_param_[k] = buckets_.size() - 1;
    buckets_.back()->params.push_back(k);
    bytes += pbytes;
  }
  for (auto& b : buckets_) {
    int64_t n = 0;
    for (size_t k : b->params) {
      offset_in_bucket_[k] = static_cast<size_t>(n);
      n += params_[k].numel();
    }
    if (in_place_) {
      // The bucket's parameters are consecutive (taken in reverse order): its last one starts
      // the slice.
      b->flat = flat_grads_.narrow(0, flat_offset_[b->params.back()], n);
    } else {
      b->flat = torch::zeros({n}, params_[b->params.front()].options().requires_grad(false));
    }
  }
  if (!during_backward) return;
  if (in_place_) {
    for (size_t k = 0; k < params_.size(); ++k) {
      accumulators_.push_back(torch::autograd::impl::grad_accumulator(params_[k]));
      accumulator_hooks_.push_back(
          accumulators_.back()->add_post_hook(std::make_unique<AfterAccumulation>([this, k] { on_accumulated(k); })));
    }
    return;
  }
  hook_ids_.reserve(params_.size());
  for (size_t k = 0; k < params_.size(); ++k) {
    hook_ids_.push_back(params_[k].register_hook([this, k](const torch::Tensor& grad) {
      on_gradient(k, grad);
      return torch::Tensor();  // keep the incoming gradient as it is
    }));
  }
}

void Distributed::set_gradient_sync_enabled(bool on) { sync_enabled_ = on; }

void Distributed::on_gradient(size_t k, const torch::Tensor& incoming) {
  if (!sync_enabled_ || !group_) return;
  // The hook runs before the gradient is added to .grad: the rank's total for this step is what
  // earlier micro-steps left in .grad plus this one.
  Bucket& b = *buckets_[bucket_of_param_[k]];
  if (param_ready_[k]) throw Error("a parameter received two gradients in one synchronised backward");
  torch::NoGradGuard no_grad;
  auto slot = b.flat.narrow(0, static_cast<int64_t>(offset_in_bucket_[k]), params_[k].numel());
  const auto& accumulated = params_[k].grad();
  if (accumulated.defined())
    slot.copy_((accumulated + incoming).reshape({-1}));
  else
    slot.copy_(incoming.reshape({-1}));
  mark_ready(k);
}

void Distributed::on_accumulated(size_t k) {
  if (!sync_enabled_ || !group_) return;
  if (param_ready_[k]) throw Error("a parameter received two gradients in one synchronised backward");
  // Autograd accumulates into the existing .grad in place; one that was replaced (a layout it
  // could not add into) is copied to where the bucket reads it.
  torch::Tensor& g = params_[k].mutable_grad();
  torch::Tensor slot = flat_grads_.narrow(0, flat_offset_[k], params_[k].numel());
  if (!g.defined() || g.data_ptr() != slot.data_ptr()) {
    torch::NoGradGuard no_grad;
    if (g.defined()) slot.copy_(g.reshape({-1}));
    g = slot.view(params_[k].sizes());
  }
  mark_ready(k);
}

void Distributed::mark_ready(size_t k) {
  param_ready_[k] = true;
  Bucket& b = *buckets_[bucket_of_param_[k]];
  if (++b.ready == b.params.size()) launch_ready_buckets();
}

void Distributed::launch_ready_buckets() {
  // Buckets are launched strictly in order so that every rank issues the same sequence of
  // collectives (Gloo matches them by order).
  while (next_bucket_to_launch_ < buckets_.size()) {
    Bucket& b = *buckets_[next_bucket_to_launch_];
    if (b.ready < b.params.size()) break;
    launch(b);
    ++next_bucket_to_launch_;
  }
}

void Distributed::launch(Bucket& b) {
  std::vector<torch::Tensor> tensors{b.flat};
  auto work = group_->with_backend([&](auto& pg) { return pg.allreduce(tensors); });
  b.wait = [work]() { work->wait(); };
  b.launched = true;
}

void Distributed::finish_gradient_sync() {
  if (!group_ || params_.empty()) return;
  if (!sync_enabled_) throw Error("finish_gradient_sync() called while gradient sync is disabled");
  torch::NoGradGuard no_grad;
  started_during_backward_ = next_bucket_to_launch_;
  // Parameters that got no gradient in this backward contribute what they hold (or zeros).
  for (auto& bp : buckets_) {
    Bucket& b = *bp;
    if (b.launched) continue;
    for (size_t k : b.params) {
      if (param_ready_[k]) continue;
      if (in_place_) {
        on_accumulated(k);  // what .grad holds from earlier micro-steps (or zeros) is already there
        continue;
      }
      auto slot = b.flat.narrow(0, static_cast<int64_t>(offset_in_bucket_[k]), params_[k].numel());
      const auto& g = params_[k].grad();
      if (g.defined())
        slot.copy_(g.reshape({-1}));
      else
        slot.zero_();
      param_ready_[k] = true;
      ++b.ready;
    }
  }
  launch_ready_buckets();
  const double inv_world = 1.0 / env_.world_size;
  for (auto& bp : buckets_) {
    Bucket& b = *bp;
    b.wait();
    b.flat.mul_(inv_world);
    for (size_t k : b.params) {
      if (in_place_) break;  // the bucket is the gradients themselves
      auto& p = params_[k];
      auto mean = b.flat.narrow(0, static_cast<int64_t>(offset_in_bucket_[k]), p.numel()).view(p.sizes());
      if (p.grad().defined())
        p.mutable_grad().copy_(mean);
      else
        p.mutable_grad() = mean.clone();
    }
    b.ready = 0;
    b.launched = false;
    b.wait = nullptr;
  }
  std::fill(param_ready_.begin(), param_ready_.end(), false);
  next_bucket_to_launch_ = 0;
}

torch::Tensor Distributed::allreduce_sum(const torch::Tensor& value) {
  TORCH_CHECK(value.numel() == 1, "allreduce_sum: expected one element, got ", value.numel());
  std::vector<torch::Tensor> t{value.detach().reshape({1}).to(device_, torch::kFloat64, /*non_blocking=*/false, /*copy=*/true)};
  if (group_) {
    group_->with_backend([&](auto& pg) {
      pg.allreduce(t)->wait();
      return 0;
    });
  }
  return t[0].reshape({});
}

double Distributed::allreduce_sum(double value) {
  if (!group_) return value;
  return allreduce_sum(torch::full({}, value, torch::TensorOptions().dtype(torch::kFloat64))).item<double>();
}

double Distributed::allreduce_mean(double value) { return allreduce_sum(value) / env_.world_size; }

void Distributed::barrier() {
  if (!group_) return;
  group_->with_backend([&](auto& pg) {
    pg.barrier()->wait();
    return 0;
  });
}

}  // namespace tessera::training
