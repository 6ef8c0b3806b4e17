#include "models/clip_text_model.h"

#include "models/low_precision_norm.h"

#include "io/safetensors.h"
#include "io/state_dict.h"
#include "models/config_reader.h"
#include "tessera/error.h"

#include <cmath>
#include <utility>
#include <limits>

namespace tessera::models {
namespace {

// The most negative finite value of a floating dtype: masked scores become this (as transformers
// adds finfo.min), so a row whose every key is masked stays finite instead of turning NaN.
double lowest_value(torch::ScalarType type) {
  switch (type) {
    case torch::kDouble:
      return std::numeric_limits<double>::lowest();
    case torch::kHalf:
      return -65504.0;
    case torch::kBFloat16:
      return -3.3895313892515355e38;
    default:
      return std::numeric_limits<float>::lowest();
  }
}

bool is_integer_dtype(torch::ScalarType type) {
  return type == torch::kLong || type == torch::kInt || type == torch::kShort || type == torch::kChar ||
         type == torch::kByte;
}

}  // namespace

// ---- config --------------------------------------------------------------------------------

CLIPTextConfig parse_clip_text_config(const std::string& json_text, const std::string& what) {
  ConfigReader r = ConfigReader::from_text(json_text, what);
  CLIPTextConfig c;
  c.vocab_size = r.get_int("vocab_size", c.vocab_size);
  c.hidden_size = r.get_int("hidden_size", c.hidden_size);
  c.intermediate_size = r.get_int("intermediate_size", c.intermediate_size);
  c.projection_dim = r.get_int("projection_dim", c.projection_dim);
  c.num_hidden_layers = r.get_int("num_hidden_layers", c.num_hidden_layers);
  c.num_attention_heads = r.get_int("num_attention_heads", c.num_attention_heads);
  c.max_position_embeddings = r.get_int("max_position_embeddings", c.max_position_embeddings);
  c.hidden_act = r.get_string("hidden_act", c.hidden_act);
  c.layer_norm_eps = r.get_double("layer_norm_eps", c.layer_norm_eps);
  c.attention_dropout = r.get_double("attention_dropout", c.attention_dropout);
  c.initializer_range = r.get_double("initializer_range", c.initializer_range);
  c.initializer_factor = r.get_double("initializer_factor", c.initializer_factor);
  c.bos_token_id = r.get_int("bos_token_id", c.bos_token_id);
  c.eos_token_id = r.get_int("eos_token_id", c.eos_token_id);
  c.pad_token_id = r.get_int("pad_token_id", c.pad_token_id);

  if (c.hidden_act != "gelu" && c.hidden_act != "quick_gelu")
    r.fail("hidden_act", "not supported by Tessera (supported: \"gelu\", \"quick_gelu\")");
  const std::pair<const char*, int64_t> positive[] = {
      {"vocab_size", c.vocab_size},           {"hidden_size", c.hidden_size},
      {"intermediate_size", c.intermediate_size}, {"num_hidden_layers", c.num_hidden_layers},
      {"num_attention_heads", c.num_attention_heads}, {"max_position_embeddings", c.max_position_embeddings}};
  for (const auto& [key, value] : positive)
    if (value <= 0) r.fail(key, "must be positive");
  if (c.hidden_size % c.num_attention_heads != 0)
    r.fail("num_attention_heads", "must divide hidden_size (" + std::to_string(c.hidden_size) + ")");
  if (!(c.layer_norm_eps > 0)) r.fail("layer_norm_eps", "must be positive");
  if (!(c.attention_dropout >= 0 && c.attention_dropout < 1)) r.fail("attention_dropout", "must be in [0, 1)");

  r.expect("model_type", {"clip_text_model"}, "this loader reads a CLIPTextModel's own config.json");
  r.expect("pruned_heads", {nlohmann::json::object()}, "pruned attention heads are not supported");
  r.expect("is_decoder", {false}, "CLIP's text model is an encoder");
  r.expect("add_cross_attention", {false}, "CLIP's text model has no cross-attention");
  // Informational, init-only, pipeline-level or generation keys: no effect on this forward pass.
  // ("dropout" is stored by CLIPTextConfig but used by no CLIP text module.)
  for (const char* key :
       {"architectures", "_name_or_path", "torch_dtype", "transformers_version", "_commit_hash", "dropout",
        "_attn_implementation", "id2label", "label2id", "num_labels", "return_dict", "output_hidden_states",
        "output_attentions", "torchscript", "use_bfloat16", "tie_word_embeddings", "is_encoder_decoder",
        "tie_encoder_decoder", "cross_attention_hidden_size", "chunk_size_feed_forward", "problem_type",
        "tokenizer_class", "prefix", "sep_token_id", "decoder_start_token_id", "task_specific_params",
        "finetuning_task", "gradient_checkpointing", "max_length", "min_length", "do_sample", "early_stopping",
        "num_beams", "num_beam_groups", "diversity_penalty", "temperature", "top_k", "top_p", "typical_p",
        "repetition_penalty", "length_penalty", "no_repeat_ngram_size", "encoder_no_repeat_ngram_size",
        "bad_words_ids", "num_return_sequences", "output_scores", "return_dict_in_generate",
        "forced_bos_token_id", "forced_eos_token_id", "remove_invalid_values",
        "exponential_decay_length_penalty", "suppress_tokens", "begin_suppress_tokens"})
    r.ignore(key);
  r.finish();
  return c;
}

CLIPTextConfig load_clip_text_config(const std::string& path) {
  return parse_clip_text_config(read_text_file(path), path);
}

// ---- blocks --------------------------------------------------------------------------------

CLIPAttentionImpl::CLIPAttentionImpl(const CLIPTextConfig& config)
    : heads_(config.num_attention_heads),
      head_dim_(config.head_dim()),
      scale_(1.0 / std::sqrt(static_cast<double>(config.head_dim()))),
      dropout_(config.attention_dropout) {
  const int64_t c = config.hidden_size;
  // transformers' order: k, v, q, out.
  k_proj_ = register_module("k_proj", torch::nn::Linear(c, c));
  v_proj_ = register_module("v_proj", torch::nn::Linear(c, c));
  q_proj_ = register_module("q_proj", torch::nn::Linear(c, c));
  out_proj_ = register_module("out_proj", torch::nn::Linear(c, c));
}

torch::Tensor CLIPAttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& mask) {
  const int64_t b = x.size(0), t = x.size(1), c = x.size(2);
  auto split_heads = [&](const torch::Tensor& y) { return y.view({b, t, heads_, head_dim_}).transpose(1, 2); };
  // Scaled before the product, as transformers does.
  const auto q = split_heads(q_proj_->forward(x) * scale_);
  const auto k = split_heads(k_proj_->forward(x));
  const auto v = split_heads(v_proj_->forward(x));
  auto scores = torch::matmul(q, k.transpose(-2, -1));  // [B, H, T, T]
  if (mask.defined()) scores = scores.masked_fill(mask, lowest_value(scores.scalar_type()));
  auto probs = torch::softmax(scores, -1);
  if (dropout_ > 0 && is_training()) probs = torch::dropout(probs, dropout_, true);
  const auto out = torch::matmul(probs, v).transpose(1, 2).reshape({b, t, c});
  return out_proj_->forward(out);
}

CLIPMLPImpl::CLIPMLPImpl(const CLIPTextConfig& config) : quick_gelu_(config.hidden_act == "quick_gelu") {
  fc1_ = register_module("fc1", torch::nn::Linear(config.hidden_size, config.intermediate_size));
  fc2_ = register_module("fc2", torch::nn::Linear(config.intermediate_size, config.hidden_size));
}

torch::Tensor CLIPMLPImpl::forward(const torch::Tensor& x) {
  auto h = fc1_->forward(x);
  h = quick_gelu_ ? h * torch::sigmoid(1.702 * h) : torch::gelu(h);  // gelu: exact erf form
  return fc2_->forward(h);
}

CLIPEncoderLayerImpl::CLIPEncoderLayerImpl(const CLIPTextConfig& config) {
  const auto ln = torch::nn::LayerNormOptions({config.hidden_size}).eps(config.layer_norm_eps);
  self_attn_ = register_module("self_attn", CLIPAttention(config));
  layer_norm1_ = register_module("layer_norm1", torch::nn::LayerNorm(ln));
  mlp_ = register_module("mlp", CLIPMLP(config));
  layer_norm2_ = register_module("layer_norm2", torch::nn::LayerNorm(ln));
}

torch::Tensor CLIPEncoderLayerImpl::forward(const torch::Tensor& x, const torch::Tensor& mask) {
  auto h = x + self_attn_->forward(layer_norm(layer_norm1_, x), mask);
  return h + mlp_->forward(layer_norm(layer_norm2_, h));
}

// ---- text transformer ----------------------------------------------------------------------

CLIPTextTransformerImpl::CLIPTextTransformerImpl(const CLIPTextConfig& config) : config_(config) {
  embeddings_ = register_module("embeddings", std::make_shared<torch::nn::Module>());
  token_embedding_ = embeddings_->register_module(
      "token_embedding", torch::nn::Embedding(config.vocab_size, config.hidden_size));
  position_embedding_ = embeddings_->register_module(
      "position_embedding", torch::nn::Embedding(config.max_position_embeddings, config.hidden_size));
  encoder_ = register_module("encoder", std::make_shared<torch::nn::Module>());
  layers_ = encoder_->register_module("layers", torch::nn::ModuleList());
  for (int64_t i = 0; i < config.num_hidden_layers; ++i) {
    layer_list_.emplace_back(config);
    layers_->push_back(layer_list_.back());
  }
  final_layer_norm_ = register_module(
      "final_layer_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({config.hidden_size}).eps(config.layer_norm_eps)));
}

CLIPTextOutput CLIPTextTransformerImpl::forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask,
                                                bool output_hidden_states, int64_t layers) {
  TORCH_CHECK(input_ids.dim() == 2, "CLIPTextModel: input_ids must be [batch, tokens], got ", input_ids.sizes());
  TORCH_CHECK(is_integer_dtype(input_ids.scalar_type()), "CLIPTextModel: input_ids must be an integer tensor, got ",
              input_ids.scalar_type());
  const int64_t b = input_ids.size(0), t = input_ids.size(1);
  if (t > config_.max_position_embeddings || t < 1)
    throw Error("CLIPTextModel: " + std::to_string(t) + " tokens per sequence, the model takes 1 to " +
                    std::to_string(config_.max_position_embeddings),
                "tokenize with max_length = " + std::to_string(config_.max_position_embeddings));
  const int64_t n_layers = static_cast<int64_t>(layer_list_.size());
  const int64_t run = layers < 0 ? n_layers : std::min(layers, n_layers);

  const auto ids = input_ids.to(token_embedding_->weight.device(), torch::kLong);
  const auto positions = torch::arange(t, ids.options());
  auto x = token_embedding_->forward(ids) + position_embedding_->forward(positions).unsqueeze(0);

  // true = masked: the future (causal), and padding keys when an attention mask is given.
  auto mask = torch::ones({t, t}, ids.options().dtype(torch::kBool)).triu(1).view({1, 1, t, t});
  if (attention_mask.defined()) {
    TORCH_CHECK(attention_mask.sizes() == input_ids.sizes(), "CLIPTextModel: attention_mask ",
                attention_mask.sizes(), " does not match input_ids ", input_ids.sizes());
    const auto padding = (attention_mask.to(ids.device()) == 0).view({b, 1, 1, t});
    mask = mask.logical_or(padding);
  }

  CLIPTextOutput out;
  if (output_hidden_states) out.hidden_states.push_back(x);
  for (int64_t i = 0; i < run; ++i) {
    x = layer_list_[static_cast<size_t>(i)]->forward(x, mask);
    if (output_hidden_states) out.hidden_states.push_back(x);
  }
  out.last_hidden_state = layer_norm(final_layer_norm_, x);

  // transformers' pooling: eos_token_id == 2 (configs written before the fix) takes the position
  // of the largest id (eos is the largest in CLIP's vocabulary); otherwise the first eos.
  const auto pool_at = config_.eos_token_id == 2 ? ids.argmax(-1)
                                                 : ids.eq(config_.eos_token_id).to(torch::kInt).argmax(-1);
  out.pooler_output = out.last_hidden_state.index({torch::arange(b, ids.options()), pool_at});
  return out;
}

// ---- CLIPTextModel -------------------------------------------------------------------------

CLIPTextModelImpl::CLIPTextModelImpl(const CLIPTextConfig& config) : config_(config) {
  text_model_ = register_module("text_model", CLIPTextTransformer(config));
}

CLIPTextOutput CLIPTextModelImpl::forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask,
                                          bool output_hidden_states) {
  return text_model_->forward(input_ids, attention_mask, output_hidden_states);
}

torch::Tensor CLIPTextModelImpl::encode(const torch::Tensor& input_ids, int64_t clip_skip) {
  if (clip_skip < 0 || clip_skip >= config_.num_hidden_layers)
    throw Error("clip_skip " + std::to_string(clip_skip) + " is out of range for a text encoder with " +
                    std::to_string(config_.num_hidden_layers) + " layers",
                "use 0 (the default) up to " + std::to_string(config_.num_hidden_layers - 1));
  // hidden_states[-(k+1)] is the output of layer N-k; final_layer_norm is applied to it either way.
  return text_model_->forward(input_ids, {}, false, config_.num_hidden_layers - clip_skip).last_hidden_state;
}

void CLIPTextModelImpl::init_weights() {
  torch::NoGradGuard no_grad;
  const double f = config_.initializer_factor;
  const double c = static_cast<double>(config_.hidden_size);
  const double layers = static_cast<double>(config_.num_hidden_layers);
  const double in_proj_std = std::pow(c, -0.5) * std::pow(2.0 * layers, -0.5) * f;
  const double out_proj_std = std::pow(c, -0.5) * f;
  const double fc_std = std::pow(2.0 * c, -0.5) * f;
  auto ends_with = [](const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  for (auto& item : named_parameters(true)) {
    const std::string& name = item.key();
    auto& p = item.value();
    if (ends_with(name, "_embedding.weight")) {
      p.normal_(0.0, 0.02 * f);
    } else if (ends_with(name, "q_proj.weight") || ends_with(name, "k_proj.weight") ||
               ends_with(name, "v_proj.weight") || ends_with(name, "fc2.weight")) {
      p.normal_(0.0, in_proj_std);
    } else if (ends_with(name, "out_proj.weight")) {
      p.normal_(0.0, out_proj_std);
    } else if (ends_with(name, "fc1.weight")) {
      p.normal_(0.0, fc_std);
    } else if (ends_with(name, ".bias")) {
      p.zero_();
    } else if (name.find("layer_norm") != std::string::npos && ends_with(name, ".weight")) {
      p.fill_(1.0);
    }
  }
}

CLIPTextModel load_clip_text_model(const std::string& component_dir) {
  CLIPTextModel model(load_clip_text_config(component_dir + "/config.json"));
  const io::SafetensorsFile file(component_dir + "/model.safetensors");
  io::LoadOptions options;
  options.ignore = {"text_model.embeddings.position_ids"};  // a non-persistent buffer older files saved
  (void)io::load_state_dict(*model, file, options);
  model->eval();
  return model;
}

}  // namespace tessera::models
