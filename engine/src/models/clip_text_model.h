#pragma once
// transformers' CLIPTextModel (v4.37 semantics), the text encoder of Stable Diffusion 1.x/2.x,
// configured from a transformers text_encoder/config.json. Parameters are registered under the
// transformers state-dict keys (text_model.embeddings.token_embedding.weight, ...,
// text_model.encoder.layers.N.self_attn.q_proj.weight, ..., text_model.final_layer_norm.bias), so
// named_parameters() is the weight map. position_ids is not a buffer here (transformers keeps it
// non-persistent; old files that still carry it have it ignored on load).
//
//   embeddings = token_embedding(ids) + position_embedding(0..T-1)
//   each layer: x += self_attn(layer_norm1(x)) (causal [+ padding] mask); x += mlp(layer_norm2(x))
//   last_hidden_state = final_layer_norm(x)         <- what SD2 feeds the UNet (clip_skip 0)
//   clip_skip k: final_layer_norm(hidden_states[-(k+1)])
//   pooler_output: last_hidden_state at argmax(ids) when eos_token_id == 2 (the legacy configs of
//   SD1/SD2), else at the first eos_token_id.

#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tessera::models {

struct CLIPTextConfig {
  // Defaults are transformers' CLIPTextConfig defaults (used when a key is absent).
  int64_t vocab_size = 49408;
  int64_t hidden_size = 512;
  int64_t intermediate_size = 2048;
  int64_t projection_dim = 512;  // only for CLIPTextModelWithProjection; informational here
  int64_t num_hidden_layers = 12;
  int64_t num_attention_heads = 8;
  int64_t max_position_embeddings = 77;
  std::string hidden_act = "quick_gelu";  // "gelu" (exact erf) or "quick_gelu" (x * sigmoid(1.702 x))
  double layer_norm_eps = 1e-5;
  double attention_dropout = 0.0;   // applied to the attention probabilities in train mode
  double initializer_range = 0.02;  // init_weights() only
  double initializer_factor = 1.0;  // init_weights() only
  int64_t bos_token_id = 49406;
  int64_t eos_token_id = 49407;  // 2 selects the legacy argmax(input_ids) pooling
  int64_t pad_token_id = 1;

  int64_t head_dim() const { return hidden_size / num_attention_heads; }
};

// Parses a transformers text_encoder/config.json. Throws tessera::Error naming the key and value
// for an unsupported value or an unknown key (informational keys are accepted).
CLIPTextConfig parse_clip_text_config(const std::string& json_text,
                                      const std::string& what = "text_encoder/config.json");
CLIPTextConfig load_clip_text_config(const std::string& path);

// ---- blocks (named like transformers' modules) --------------------------------------------

class CLIPAttentionImpl : public torch::nn::Module {
 public:
  explicit CLIPAttentionImpl(const CLIPTextConfig& config);
  // x [B, T, C]; mask: bool, broadcastable to [B, heads, T, T], true = do not attend (or undefined).
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& mask);

 private:
  int64_t heads_ = 0;
  int64_t head_dim_ = 0;
  double scale_ = 1.0;
  double dropout_ = 0.0;
  torch::nn::Linear k_proj_{nullptr};
  torch::nn::Linear v_proj_{nullptr};
  torch::nn::Linear q_proj_{nullptr};
  torch::nn::Linear out_proj_{nullptr};
};
TORCH_MODULE(CLIPAttention);

class CLIPMLPImpl : public torch::nn::Module {
 public:
  explicit CLIPMLPImpl(const CLIPTextConfig& config);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  bool quick_gelu_ = false;
  torch::nn::Linear fc1_{nullptr};
  torch::nn::Linear fc2_{nullptr};
};
TORCH_MODULE(CLIPMLP);

class CLIPEncoderLayerImpl : public torch::nn::Module {
 public:
  explicit CLIPEncoderLayerImpl(const CLIPTextConfig& config);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& mask);

 private:
  CLIPAttention self_attn_{nullptr};
  torch::nn::LayerNorm layer_norm1_{nullptr};
  CLIPMLP mlp_{nullptr};
  torch::nn::LayerNorm layer_norm2_{nullptr};
};
TORCH_MODULE(CLIPEncoderLayer);

struct CLIPTextOutput {
  torch::Tensor last_hidden_state;           // [B, T, C], final_layer_norm applied
  torch::Tensor pooler_output;               // [B, C]
  std::vector<torch::Tensor> hidden_states;  // when asked: embeddings, then after each layer (no final LN)
};

// The whole text transformer ("text_model" in the checkpoint).
class CLIPTextTransformerImpl : public torch::nn::Module {
 public:
  explicit CLIPTextTransformerImpl(const CLIPTextConfig& config);

  // input_ids [B, T] (T <= max_position_embeddings), integer. attention_mask [B, T] (1 = token,
  // 0 = padding; any integer/bool/float dtype) or undefined (SD pipelines pass none).
  // `layers` < 0: all layers; else only the first `layers` (for clip skip). Without
  // `all_hidden_states`, only the last computed state is kept.
  CLIPTextOutput forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask = {},
                         bool output_hidden_states = false, int64_t layers = -1);

  torch::nn::LayerNorm& final_layer_norm() { return final_layer_norm_; }

 private:
  CLIPTextConfig config_;
  std::shared_ptr<torch::nn::Module> embeddings_;  // holds token_embedding, position_embedding
  torch::nn::Embedding token_embedding_{nullptr};
  torch::nn::Embedding position_embedding_{nullptr};
  std::shared_ptr<torch::nn::Module> encoder_;  // holds layers
  torch::nn::ModuleList layers_{nullptr};
  std::vector<CLIPEncoderLayer> layer_list_;  // the same modules, typed
  torch::nn::LayerNorm final_layer_norm_{nullptr};
};
TORCH_MODULE(CLIPTextTransformer);

class CLIPTextModelImpl : public torch::nn::Module {
 public:
  explicit CLIPTextModelImpl(const CLIPTextConfig& config);

  // The full transformers forward (last_hidden_state, pooler_output, optional hidden_states).
  CLIPTextOutput forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask = {},
                         bool output_hidden_states = false);

  // What diffusers' encode_prompt feeds the UNet: clip_skip 0 = last_hidden_state; k > 0 =
  // final_layer_norm(hidden_states[-(k+1)]) (the last k layers are not run). No attention mask.
  torch::Tensor encode(const torch::Tensor& input_ids, int64_t clip_skip = 0);

  // transformers' CLIPPreTrainedModel._init_weights (normal inits scaled by initializer_factor),
  // for training from scratch. Construction alone gives LibTorch's default initialisation.
  void init_weights();

  const CLIPTextConfig& config() const { return config_; }
  CLIPTextTransformer& text_model() { return text_model_; }

 private:
  CLIPTextConfig config_;
  CLIPTextTransformer text_model_{nullptr};
};
TORCH_MODULE(CLIPTextModel);

// config.json + model.safetensors of a transformers text_encoder/ folder, strict (every key
// present with its shape; a legacy text_model.embeddings.position_ids is ignored), in eval mode,
// fp32 on the CPU. Convert with model->to(device, dtype).
CLIPTextModel load_clip_text_model(const std::string& component_dir);

}  // namespace tessera::models
