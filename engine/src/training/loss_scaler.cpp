#include "training/loss_scaler.h"

#include "tessera/error.h"

#include <ATen/ATen.h>

#include <cmath>

namespace tessera::training {

LossScaler::LossScaler(LossScalerOptions options) : options_(options), scale_(options.init_scale) {
  if (!(options_.init_scale > 0) || !std::isfinite(options_.init_scale)) {
    throw Error("the initial loss scale must be a positive finite number");
  }
  if (!(options_.growth_factor > 1) || !(options_.backoff_factor > 0 && options_.backoff_factor < 1) ||
      options_.growth_interval < 1) {
    throw Error("loss scaler: growth factor must be > 1, backoff factor in (0, 1), growth interval >= 1");
  }
}

void LossScaler::restore(double scale, int64_t good_steps) {
  if (!(scale > 0) || !std::isfinite(scale) || good_steps < 0) {
    throw Error("checkpoint holds an invalid loss scale (" + std::to_string(scale) + ", " + std::to_string(good_steps) + ")");
  }
  scale_ = scale;
  good_steps_ = good_steps;
}

torch::Tensor LossScaler::scaled(const torch::Tensor& loss) const { return loss * scale_; }

void LossScaler::unscale(const std::vector<torch::Tensor>& grads) const {
  torch::NoGradGuard no_grad;
  const double inverse = static_cast<double>(static_cast<float>(1.0 / scale_));
  at::_foreach_mul_(grads, inverse);
}

bool LossScaler::update(bool finite) {
  if (!finite) {
    scale_ *= options_.backoff_factor;
    good_steps_ = 0;
    return true;
  }
  if (++good_steps_ >= options_.growth_interval) {
    scale_ *= options_.growth_factor;
    good_steps_ = 0;
    return true;
  }
  return false;
}

}  // namespace tessera::training
