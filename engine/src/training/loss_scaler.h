#pragma once
// Dynamic loss scaling for fp16 mixed precision (torch.cuda.amp.GradScaler's algorithm and
// defaults): the loss is multiplied by `scale` before backward so that small fp16 gradients do
// not flush to zero; gradients are divided by it again before clipping and the update; a step
// whose gradients overflowed (any inf/NaN) is skipped and the scale halved; after
// `growth_interval` finite steps in a row the scale doubles. Powers of two keep the scaling exact
// in floating point, so with no overflow the update equals the unscaled one bit for bit.
// Internal header (torch).

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace tessera::training {

struct LossScalerOptions {
  double init_scale = 65536.0;  // 2^16
  double growth_factor = 2.0;
  double backoff_factor = 0.5;
  int64_t growth_interval = 2000;
};

class LossScaler {
 public:
  explicit LossScaler(LossScalerOptions options = {});

  double scale() const { return scale_; }
  int64_t good_steps() const { return good_steps_; }
  // From a checkpoint.
  void restore(double scale, int64_t good_steps);

  // loss * scale (the tensor to call backward on).
  torch::Tensor scaled(const torch::Tensor& loss) const;
  // Divides `grads` by the scale in place (fp32 reciprocal, as GradScaler).
  void unscale(const std::vector<torch::Tensor>& grads) const;
  // After a step: `finite` is whether its gradients were all finite (the update was taken).
  // Returns true when the scale changed.
  bool update(bool finite);

 private:
  LossScalerOptions options_;
  double scale_;
  int64_t good_steps_ = 0;
};

}  // namespace tessera::training
