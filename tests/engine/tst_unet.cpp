// UNet2DConditionModel against diffusers 0.26.3 (../shared/golden/reference/unet.safetensors):
// outputs, every hooked activation, and gradients of sum(out^2); plus slicing, odd latent
// sizes, channels-last and bfloat16.

#include "io/safetensors.h"
#include "models/low_precision_norm.h"
#include "models/unet_2d_condition.h"
#include "core/autocast_scope.h"
#include "tensor_compare.h"
#include "test_support.h"

#include <torch/torch.h>

#include <QtTest/QtTest>

#include <map>
#include <set>
#include <memory>
#include <string>


using tessera::models::UNet2DConditionModel;

namespace {

// Nodes of `t`'s autograd graph whose name contains `what`.
int count_graph_nodes(const torch::Tensor& t, const std::string& what) {
  std::vector<torch::autograd::Node*> stack{t.grad_fn().get()};
  std::set<torch::autograd::Node*> seen;
  int n = 0;
  while (!stack.empty()) {
    torch::autograd::Node* node = stack.back();
    stack.pop_back();
    if (node == nullptr || !seen.insert(node).second) continue;
    if (node->name().find(what) != std::string::npos) ++n;
    for (const auto& edge : node->next_edges()) stack.push_back(edge.function.get());
  }
  return n;
}

}  // namespace

class TestUNet : public QObject {
  Q_OBJECT

  std::unique_ptr<tessera::io::SafetensorsFile> ref_;
  UNet2DConditionModel unet_{nullptr};
  QString golden_;

  torch::Tensor ref(const std::string& name) const { return ref_->get(name); }

 private Q_SLOTS:
  void initTestCase() {
    TESSERA_REQUIRE_GOLDEN(dir);
    golden_ = dir;
    at::set_num_threads(2);
    ref_ = std::make_unique<tessera::io::SafetensorsFile>((dir + "/reference/unet.safetensors").toStdString());
    unet_ = tessera::models::load_unet((dir + "/tiny-sd2/unet").toStdString());
  }

  void tinyConfigAndParameterCount() {
    const auto& c = unet_->config();
    QCOMPARE(c.num_attention_heads, (std::vector<int64_t>{2, 4}));
    QCOMPARE(c.cross_attention_dim, (std::vector<int64_t>{32, 32}));
    QVERIFY(c.use_linear_projection);
    int64_t n = 0;
    for (const auto& p : unet_->parameters()) n += p.numel();
    QCOMPARE(n, int64_t(792964));
  }

  void outputMatchesDiffusers() {
    torch::NoGradGuard ng;
    auto out = unet_->forward(ref("sample"), ref("timesteps"), ref("encoder_hidden_states"));
    TESSERA_EXPECT_CLOSE_LOGGED(out, ref("out"), 1e-5, 1e-4, "out");
  }

  void scalarTimestepIsBroadcast() {
    torch::NoGradGuard ng;
    auto out = unet_->forward(ref("sample"), 500.0, ref("encoder_hidden_states"));
    TESSERA_EXPECT_CLOSE_LOGGED(out, ref("out_timestep_500_scalar"), 1e-5, 1e-4, "out_timestep_500_scalar (double)");
    auto out0d = unet_->forward(ref("sample"), torch::tensor(int64_t(500)), ref("encoder_hidden_states"));
    TESSERA_EXPECT_CLOSE_LOGGED(out0d, ref("out_timestep_500_scalar"), 1e-5, 1e-4, "out_timestep_500_scalar (0-d)");
  }

  void floatTimesteps() {
    torch::NoGradGuard ng;
    auto out = unet_->forward(ref("sample"), ref("timesteps_float"), ref("encoder_hidden_states"));
    TESSERA_EXPECT_CLOSE_LOGGED(out, ref("out_timesteps_float"), 1e-5, 1e-4, "out_timesteps_float");
  }

  void activationsMatchDiffusers() {
    torch::NoGradGuard ng;
    std::map<std::string, torch::Tensor> acts;
    unet_->forward(ref("sample"), ref("timesteps"), ref("encoder_hidden_states"), &acts);
    int compared = 0;
    for (const auto& name : ref_->names()) {
      if (name.rfind("act.", 0) != 0) continue;
      const auto module = name.substr(4);
      auto it = acts.find(module);
      QVERIFY2(it != acts.end(), ("no activation recorded for " + module).c_str());
      TESSERA_EXPECT_CLOSE_LOGGED(it->second, ref(name), 1e-5, 1e-4, name);
      ++compared;
    }
    QCOMPARE(compared, 14);
  }

  void gradientsMatchDiffusers_data() {
    QTest::addColumn<bool>("checkpointing");
    QTest::newRow("plain") << false;
    QTest::newRow("gradient checkpointing") << true;
  }

  void gradientsMatchDiffusers() {
    // With gradient checkpointing the blocks' resnets and transformers keep only their inputs
    // (the graph holds checkpoint nodes instead of their operations) and are recomputed in
    // backward; the gradients must still be diffusers'.
    QFETCH(bool, checkpointing);
    unet_->zero_grad();
    unet_->train(checkpointing);
    unet_->set_gradient_checkpointing(checkpointing);
    auto s = ref("sample").clone().requires_grad_(true);
    auto e = ref("encoder_hidden_states").clone().requires_grad_(true);
    auto out = unet_->forward(s, ref("timesteps"), e);
    QCOMPARE(count_graph_nodes(out, "CheckpointFunction") > 0, checkpointing);
    // down: 2 resnets + 1 transformer; mid: 2 + 1; up: 4 + 2.
    if (checkpointing) QCOMPARE(count_graph_nodes(out, "CheckpointFunction"), 12);
    auto loss = out.pow(2).sum();
    loss.backward();
    TESSERA_EXPECT_CLOSE_LOGGED(loss, ref("loss_sum_out_sq"), 0.0, 1e-5, "loss_sum_out_sq");
    const auto params = unet_->named_parameters();
    int compared = 0;
    for (const auto& name : ref_->names()) {
      if (name.rfind("grad.", 0) != 0) continue;
      const auto what = name.substr(5);
      torch::Tensor grad;
      if (what == "sample") grad = s.grad();
      else if (what == "encoder_hidden_states") grad = e.grad();
      else {
        const auto* p = params.find(what);
        QVERIFY2(p != nullptr, ("no parameter " + what).c_str());
        grad = p->grad();
      }
      QVERIFY2(grad.defined(), ("no gradient for " + what).c_str());
      TESSERA_EXPECT_CLOSE_LOGGED(grad, ref(name), 0.0, 1e-3, name);
      ++compared;
    }
    QCOMPARE(compared, 11);
    unet_->zero_grad();
    unet_->set_gradient_checkpointing(false);
    unet_->eval();
  }

  void checkpointingRecomputesUnderTheForwardsAutocast() {
    // The trainer's pattern: the forward under (here CPU bf16) autocast, backward after the
    // scope has closed. Checkpointed segments are recomputed in backward, and must be recomputed
    // under the forward's autocast (as torch.utils.checkpoint does): the gradients then equal
    // those without checkpointing.
    std::vector<torch::Tensor> grads[2];
    for (int checkpointing = 0; checkpointing < 2; ++checkpointing) {
      unet_->zero_grad();
      unet_->train(true);
      unet_->set_gradient_checkpointing(checkpointing == 1);
      const auto s = ref("sample").clone().requires_grad_(true);
      torch::Tensor out;
      {
        tessera::AutocastScope autocast(true, at::kCPU, torch::kBFloat16);
        out = unet_->forward(s, ref("timesteps"), ref("encoder_hidden_states"));
      }
      QCOMPARE(count_graph_nodes(out, "CheckpointFunction") > 0, checkpointing == 1);
      try {
        out.to(torch::kFloat).pow(2).sum().backward();
      } catch (const std::exception& e) {
        QFAIL(qPrintable(QString("backward failed: ") + e.what()));
      }
      for (const auto& p : unet_->parameters()) grads[checkpointing].push_back(p.grad().clone());
    }
    unet_->zero_grad();
    unet_->set_gradient_checkpointing(false);
    unet_->eval();
    // Not bit for bit: the segments' forward runs without grad mode, where the CPU's bf16 kernels
    // round differently (the outputs differ by ~2 % of their scale here); the agreement is bf16's.
    // (Recomputed without autocast, the backward failed outright: bf16 inputs met fp32 weights.)
    std::vector<torch::Tensor> flat[2];
    for (int k = 0; k < 2; ++k)
      for (const auto& g : grads[k]) flat[k].push_back(g.reshape({-1}).to(torch::kFloat64));
    const torch::Tensor plain = torch::cat(flat[0]), checkpointed = torch::cat(flat[1]);
    const double err = (checkpointed - plain).norm().item<double>() / plain.norm().item<double>();
    qInfo("bf16 autocast, checkpointed vs plain: gradients differ by %g (relative)", err);
    QVERIFY(err < 5e-2);
  }

  void normsFollowAutocastIntoLowPrecision() {
    // Outside autocast the norms are the modules' own forwards, bit for bit; under (CPU, bf16)
    // autocast they normalise in bf16 where autocast's rule would upcast to fp32, and the
    // whole UNet still agrees with fp32 to bf16 accuracy.
    torch::manual_seed(3);
    torch::nn::GroupNorm gn(torch::nn::GroupNormOptions(2, 8));
    torch::nn::LayerNorm ln(torch::nn::LayerNormOptions({8}));
    const auto x = torch::randn({2, 8, 4, 4});
    const auto t = torch::randn({2, 5, 8});
    QVERIFY(torch::equal(tessera::models::group_norm(gn, x), gn->forward(x)));
    QVERIFY(torch::equal(tessera::models::layer_norm(ln, t), ln->forward(t)));
    torch::NoGradGuard no_grad;
    const auto reference = unet_->forward(ref("sample"), ref("timesteps"), ref("encoder_hidden_states"));
    torch::Tensor low_gn, low_ln, out;
    {
      tessera::AutocastScope autocast(true, at::kCPU, torch::kBFloat16);
      low_gn = tessera::models::group_norm(gn, x);
      low_ln = tessera::models::layer_norm(ln, t);
      out = unet_->forward(ref("sample"), ref("timesteps"), ref("encoder_hidden_states"));
    }
    QCOMPARE(low_gn.scalar_type(), torch::kBFloat16);
    QCOMPARE(low_ln.scalar_type(), torch::kBFloat16);
    QVERIFY((low_gn.to(torch::kFloat) - gn->forward(x)).abs().max().item<double>() < 0.05);
    QVERIFY((low_ln.to(torch::kFloat) - ln->forward(t)).abs().max().item<double>() < 0.05);
    const double err = (out.to(torch::kFloat) - reference).abs().max().item<double>();
    const double scale = reference.abs().max().item<double>();
    qInfo("UNet under bf16 autocast vs fp32: max |diff| %g (output max %g)", err, scale);
    QVERIFY2(err < 0.1 * scale, qPrintable(QString::number(err)));
  }

  void attentionSlicingGivesSameOutput() {
    // Same math; only the matrix-product blocking differs, so equal to float rounding (not bitwise).
    torch::NoGradGuard ng;
    auto full = unet_->forward(ref("sample"), ref("timesteps"), ref("encoder_hidden_states"));
    unet_->set_attention_slicing(1);
    auto sliced = unet_->forward(ref("sample"), ref("timesteps"), ref("encoder_hidden_states"));
    unet_->set_attention_slicing(3, 5);
    auto chunked = unet_->forward(ref("sample"), ref("timesteps"), ref("encoder_hidden_states"));
    unet_->set_attention_slicing(0, 0);
    TESSERA_EXPECT_CLOSE_LOGGED(sliced, full, 1e-6, 1e-5, "slice_size 1");
    TESSERA_EXPECT_CLOSE_LOGGED(chunked, full, 1e-6, 1e-5, "slice_size 3, query_chunk 5");
  }

  void latentThatDoesNotDivide_data() {
    QTest::addColumn<int>("h");
    QTest::addColumn<int>("w");
    QTest::newRow("5x5") << 5 << 5;
    QTest::newRow("7x4") << 7 << 4;
    QTest::newRow("3x9") << 3 << 9;
  }
  void latentThatDoesNotDivide() {
    QFETCH(int, h);
    QFETCH(int, w);
    torch::NoGradGuard ng;
    auto sample = torch::randn({2, 4, h, w}, at::detail::createCPUGenerator(7));
    std::map<std::string, torch::Tensor> acts;
    auto out = unet_->forward(sample, ref("timesteps"), ref("encoder_hidden_states"), &acts);
    QCOMPARE(out.sizes().vec(), sample.sizes().vec());
    QVERIFY(torch::isfinite(out).all().item<bool>());
    // The innermost level is ceil(h/2) x ceil(w/2); the up block restores the skip's size.
    QCOMPARE(acts.at("mid_block").size(2), int64_t((h + 1) / 2));
    QCOMPARE(acts.at("up_blocks.0").size(2), int64_t(h));
    QCOMPARE(acts.at("up_blocks.0").size(3), int64_t(w));
  }

  void channelsLastInput() {
    torch::NoGradGuard ng;
    auto sample = ref("sample").contiguous(at::MemoryFormat::ChannelsLast);
    auto out = unet_->forward(sample, ref("timesteps"), ref("encoder_hidden_states"));
    TESSERA_EXPECT_CLOSE_LOGGED(out, ref("out"), 1e-5, 1e-4, "out (channels-last input)");
  }

  void bfloat16IsCloseToFloat32() {
    torch::NoGradGuard ng;
    auto unet = tessera::models::load_unet((golden_ + "/tiny-sd2/unet").toStdString());
    unet->to(torch::kBFloat16);
    for (const auto& p : unet->parameters()) QCOMPARE(p.scalar_type(), torch::kBFloat16);
    auto out = unet->forward(ref("sample").to(torch::kBFloat16).contiguous(at::MemoryFormat::ChannelsLast),
                             ref("timesteps"), ref("encoder_hidden_states").to(torch::kBFloat16));
    QCOMPARE(out.scalar_type(), torch::kBFloat16);
    // bfloat16 keeps ~3 significant digits; errors grow through ~20 layers.
    TESSERA_EXPECT_CLOSE_LOGGED(out, ref("out"), 0.0, 5e-2, "out (bfloat16, channels-last)");
  }
};

QTEST_GUILESS_MAIN(TestUNet)
#include "tst_unet.moc"
