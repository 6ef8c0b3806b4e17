#pragma once
// Optional capture of intermediate activations by diffusers module name (for golden tests and
// debugging). A default-constructed sink records nothing and costs one pointer test per call.

#include <torch/torch.h>

#include <map>
#include <string>

namespace tessera::models {

class ActivationSink {
 public:
  ActivationSink() = default;
  explicit ActivationSink(std::map<std::string, torch::Tensor>* out, std::string prefix = {})
      : out_(out), prefix_(std::move(prefix)) {}

  bool enabled() const { return out_ != nullptr; }

  // A sink for the submodule `name` ("down_blocks.0" -> records "down_blocks.0.<x>").
  ActivationSink child(const std::string& name) const {
    return out_ ? ActivationSink(out_, prefix_ + name + ".") : ActivationSink();
  }

  // Records the output of the submodule `name`; the first value wins (like a forward hook that
  // keeps the first call), so repeated calls of a module keep their first output.
  void record(const std::string& name, const torch::Tensor& value) const {
    if (out_) out_->emplace(prefix_ + name, value.detach());
  }

 private:
  std::map<std::string, torch::Tensor>* out_ = nullptr;
  std::string prefix_;
};

}  // namespace tessera::models
