#pragma once
// Data-parallel training across processes with c10d: where this rank sits (torchrun's or Slurm's
// environment), the process group (NCCL on CUDA builds that have it, Gloo on CPU), and gradient
// averaging in buckets that are reduced while the backward pass is still running.
//
// With world_size 1 every collective is a no-op, so single-process training runs the same code
// (unless DistributedEnv::group_for_one_rank asks for a real group of one).

#include <torch/torch.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tessera::training {

// Where this process sits in a run. Read from, in order of precedence:
//   torchrun:  RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT
//   Slurm:     SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID, first host of SLURM_JOB_NODELIST
//              (MASTER_ADDR / MASTER_PORT still override when set)
//   neither:   a single process (rank 0 of 1).
struct DistributedEnv {
  int rank = 0;
  int world_size = 1;
  int local_rank = 0;
  std::string master_addr = "127.0.0.1";
  int master_port = 29500;
  std::string source = "single";  // "torchrun", "slurm" or "single"
  // TESSERA_PROCESS_GROUP_FOR_ONE_RANK=1: join a process group even as the only rank, so that a
  // machine with one GPU runs the NCCL collectives (rendezvous at MASTER_ADDR:MASTER_PORT).
  bool group_for_one_rank = false;

  static DistributedEnv from_environment();
  // The same, from a lookup function (tests pass a map).
  template <typename Lookup>
  static DistributedEnv from_lookup(Lookup&& get);
};

// The first host name of a Slurm host list: "gpu[03-05,09],cpu1" -> "gpu03", "node7" -> "node7".
std::string first_host_of_slurm_nodelist(const std::string& nodelist);

// Default rendezvous port for a Slurm job without MASTER_PORT: 20000 + job id mod 10000, so two
// jobs sharing a node do not collide.
int slurm_default_port(const std::string& job_id);

class Distributed {
 public:
  // Joins the process group (blocks until every rank has joined or `timeout` passes).
  Distributed(const DistributedEnv& env, torch::Device device, std::chrono::milliseconds timeout);
  ~Distributed();
  Distributed(const Distributed&) = delete;
  Distributed& operator=(const Distributed&) = delete;

  int rank() const { return env_.rank; }
  int world_size() const { return env_.world_size; }
  int local_rank() const { return env_.local_rank; }
  bool is_main() const { return env_.rank == 0; }
  const std::string& backend_name() const { return backend_name_; }

  // Overwrites every tensor with rank 0's values (initial weights, so all ranks start equal).
  void broadcast_parameters(const std::vector<torch::Tensor>& tensors);

  // Groups the parameters into buckets of about `bucket_bytes` (in reverse registration order,
  // the order in which backward produces their gradients) and hooks them: as soon as a bucket's
  // last gradient arrives, its allreduce starts while backward goes on. Call once.
  //
  // `flat_grads`: the one contiguous buffer whose consecutive slices are the parameters' .grad, in
  // `params` order (FlatParameters::grads()). A bucket is then a slice of it, reduced in place
  // once autograd has accumulated the bucket's last gradient into it (a hook after the
  // parameter's gradient accumulator): no copy into a bucket buffer and back, a kernel or two per
  // bucket instead of several per parameter. Undefined: each bucket copies its gradients, plus
  // what earlier micro-steps accumulated, into a buffer of its own and back.
  //
  // `during_backward` false: no hooks at all; finish_gradient_sync reduces every bucket (for
  // passes replayed from a CUDA graph, which run no host code, and whose capture must not meet
  // gradient accumulators made on another stream).
  //
  // The hooks run on the thread that runs the parameters' gradient accumulators (the device's
  // autograd thread on a GPU, the caller's on the CPU), one at a time, and backward() returns only
  // after the last: finish_gradient_sync, called after backward, never overlaps them.
  void register_gradient_buckets(const std::vector<torch::Tensor>& params,
                                 size_t bucket_bytes = size_t(25) << 20,
                                 const torch::Tensor& flat_grads = torch::Tensor(), bool during_backward = true);
  // Whether the buckets are slices of the flat gradient buffer (reduced in place).
  bool reduces_in_place() const { return in_place_; }
  // Of the buckets the last finish_gradient_sync waited for, how many had been started during
  // backward (the rest started in finish_gradient_sync itself): the overlap of communication
  // with computation.
  size_t buckets_started_during_backward() const { return started_during_backward_; }
  // Off for the non-final micro-steps of a gradient accumulation (gradients only accumulate
  // locally); on (the default) for the step whose gradients are to be averaged.
  void set_gradient_sync_enabled(bool on);
  // Waits for the bucket reductions started during backward, reduces the rest, and leaves every
  // registered parameter's .grad equal to the mean over ranks of the ranks' accumulated
  // gradients. A parameter that got no gradient on a rank counts as zeros from that rank (as in
  // PyTorch DDP with unused parameters), so after the call every registered parameter has one.
  void finish_gradient_sync();

  double allreduce_mean(double value);
  double allreduce_sum(double value);
  // The sum over ranks of a one-element tensor on this rank's device, as a float64 tensor there,
  // not read back to the host. With NCCL the device's stream waits for the reduction, not the
  // host; with Gloo (CPU ranks, or GPU ranks where NCCL is not built in) the host does.
  torch::Tensor allreduce_sum(const torch::Tensor& value);
  void barrier();

 private:
  struct Bucket;
  struct Group;
  void on_gradient(size_t param_index, const torch::Tensor& incoming);
  void on_accumulated(size_t param_index);
  void mark_ready(size_t param_index);
  void launch_ready_buckets();
  void launch(Bucket& bucket);

  DistributedEnv env_;
  torch::Device device_;
  std::string backend_name_ = "none";
  std::unique_ptr<Group> group_;
  std::vector<torch::Tensor> params_;
  std::vector<size_t> bucket_of_param_;
  std::vector<size_t> offset_in_bucket_;
  std::vector<bool> param_ready_;
  std::vector<std::unique_ptr<Bucket>> buckets_;
  size_t next_bucket_to_launch_ = 0;
  size_t started_during_backward_ = 0;
  bool sync_enabled_ = true;
  std::vector<unsigned> hook_ids_;
  // In place: the flat gradient buffer, where each parameter's gradient must stay, and the
  // parameters' gradient accumulators (kept alive: autograd holds them weakly, and a new one
  // would come without the hook).
  bool in_place_ = false;
  torch::Tensor flat_grads_;
  std::vector<int64_t> flat_offset_;
  std::vector<std::shared_ptr<torch::autograd::Node>> accumulators_;
  std::vector<uintptr_t> accumulator_hooks_;
};

// --- implementation of the template -------------------------------------------------------

int parse_env_int(const std::string& name, const std::string& value, int min_value, int max_value);

template <typename Lookup>
DistributedEnv DistributedEnv::from_lookup(Lookup&& get) {
  DistributedEnv env;
  const std::string rank = get("RANK"), world = get("WORLD_SIZE");
  const std::string procid = get("SLURM_PROCID"), ntasks = get("SLURM_NTASKS");
  if (!rank.empty() || !world.empty()) {
    env.source = "torchrun";
    env.world_size = parse_env_int("WORLD_SIZE", world, 1, 1 << 20);
    env.rank = parse_env_int("RANK", rank, 0, env.world_size - 1);
    const std::string local = get("LOCAL_RANK");
    env.local_rank = local.empty() ? 0 : parse_env_int("LOCAL_RANK", local, 0, 1 << 16);
  } else if (!procid.empty() || !ntasks.empty()) {
    env.source = "slurm";
    env.world_size = parse_env_int("SLURM_NTASKS", ntasks, 1, 1 << 20);
    env.rank = parse_env_int("SLURM_PROCID", procid, 0, env.world_size - 1);
    const std::string local = get("SLURM_LOCALID");
    env.local_rank = local.empty() ? 0 : parse_env_int("SLURM_LOCALID", local, 0, 1 << 16);
    const std::string nodelist = get("SLURM_JOB_NODELIST");
    if (!nodelist.empty()) env.master_addr = first_host_of_slurm_nodelist(nodelist);
    const std::string job = get("SLURM_JOB_ID");
    if (!job.empty()) env.master_port = slurm_default_port(job);
  }
  const std::string addr = get("MASTER_ADDR"), port = get("MASTER_PORT");
  if (!addr.empty()) env.master_addr = addr;
  if (!port.empty()) env.master_port = parse_env_int("MASTER_PORT", port, 1, 65535);
  env.group_for_one_rank = get("TESSERA_PROCESS_GROUP_FOR_ONE_RANK") == "1";
  return env;
}

}  // namespace tessera::training
