// AutoencoderKL against diffusers 0.26.3 (../shared/golden/reference/vae.safetensors): encoder,
// posterior, seeded sampling (bitwise noise), decoding; legacy attention key names; slicing,
// channels-last and bfloat16.

#include "io/safetensors.h"
#include "models/autoencoder_kl.h"
#include "tensor_compare.h"
#include "test_support.h"

#include <torch/torch.h>

#include <ATen/CPUGeneratorImpl.h>

#include <QFile>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <memory>
#include <string>


using tessera::models::AutoencoderKL;

class TestVAE : public QObject {
  Q_OBJECT

  std::unique_ptr<tessera::io::SafetensorsFile> ref_;
  AutoencoderKL vae_{nullptr};
  QString golden_;

  torch::Tensor ref(const std::string& name) const { return ref_->get(name); }

 private Q_SLOTS:
  void initTestCase() {
    TESSERA_REQUIRE_GOLDEN(dir);
    golden_ = dir;
    at::set_num_threads(2);
    ref_ = std::make_unique<tessera::io::SafetensorsFile>((dir + "/reference/vae.safetensors").toStdString());
    vae_ = tessera::models::load_vae((dir + "/tiny-sd2/vae").toStdString());
  }

  void tinyConfigAndParameterCount() {
    QCOMPARE(vae_->config().scaling_factor, 0.18215);
    QCOMPARE(vae_->config().spatial_factor(), int64_t(2));
    int64_t n = 0;
    for (const auto& p : vae_->parameters()) n += p.numel();
    QCOMPARE(n, int64_t(658375));
  }

  void encoderMatchesDiffusers() {
    torch::NoGradGuard ng;
    auto h = vae_->encoder()->forward(ref("image"));
    TESSERA_EXPECT_CLOSE_LOGGED(h, ref("encoder_out"), 1e-5, 1e-4, "encoder_out");
    TESSERA_EXPECT_CLOSE_LOGGED(vae_->quant_conv(h), ref("moments"), 1e-5, 1e-4, "moments");
    auto dist = vae_->encode(ref("image"));
    TESSERA_EXPECT_CLOSE_LOGGED(dist.mean(), ref("latent_dist.mean"), 1e-5, 1e-4, "latent_dist.mean");
    TESSERA_EXPECT_CLOSE_LOGGED(dist.logvar(), ref("latent_dist.logvar"), 1e-5, 1e-4, "latent_dist.logvar");
    TESSERA_EXPECT_CLOSE_LOGGED(dist.std(), ref("latent_dist.std"), 1e-5, 1e-4, "latent_dist.std");
    QVERIFY(torch::equal(dist.mode(), dist.mean()));
  }

  void seededSampleMatchesDiffusers() {
    torch::NoGradGuard ng;
    // The noise itself is bitwise identical to Python's torch.randn(shape, generator=G(2001)).
    auto noise = torch::randn({1, 4, 16, 16}, at::detail::createCPUGenerator(2001));
    QVERIFY(torch::equal(noise, ref("sample_noise_seed2001")));
    auto dist = vae_->encode(ref("image"));
    auto s = dist.sample(at::detail::createCPUGenerator(2001));
    TESSERA_EXPECT_CLOSE_LOGGED(s, ref("latent_dist.sample_seed2001"), 1e-5, 1e-4, "latent_dist.sample_seed2001");
    QVERIFY(torch::equal(dist.sample(uint64_t(2001)), s));
    QVERIFY(!torch::equal(dist.sample(uint64_t(2002)), s));
  }

  void decoderMatchesDiffusers() {
    torch::NoGradGuard ng;
    TESSERA_EXPECT_CLOSE_LOGGED(vae_->decode(ref("decode_in")), ref("decode_out"), 1e-5, 1e-4, "decode_out");
    auto scaled = ref("decode_in") / vae_->config().scaling_factor;
    TESSERA_EXPECT_CLOSE_LOGGED(vae_->decode(scaled), ref("decode_out_of_latent_over_scaling"), 1e-5, 1e-4,
                         "decode_out_of_latent_over_scaling");
    auto recon = vae_->decode(vae_->encode(ref("image")).mode());
    TESSERA_EXPECT_CLOSE_LOGGED(recon, ref("recon_from_mode"), 1e-5, 1e-4, "recon_from_mode");
    TESSERA_EXPECT_CLOSE_LOGGED(vae_->forward(ref("image")), ref("recon_from_mode"), 1e-5, 1e-4, "forward");
  }

  void legacyAttentionNamesLoad() {
    // Rewrite the weights with the old query/key/value/proj_attn names; loading must map them back.
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    tessera::io::SafetensorsFile original((golden_ + "/tiny-sd2/vae/diffusion_pytorch_model.safetensors").toStdString());
    std::vector<std::pair<std::string, torch::Tensor>> renamed;
    int legacy = 0;
    for (const auto& name : original.names()) {
      std::string key = name;
      for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
               {".to_q.", ".query."}, {".to_k.", ".key."}, {".to_v.", ".value."}, {".to_out.0.", ".proj_attn."}}) {
        auto pos = key.find(from);
        if (pos != std::string::npos) {
          key.replace(pos, from.size(), to);
          ++legacy;
        }
      }
      renamed.emplace_back(key, original.get(name));
    }
    QCOMPARE(legacy, 16);  // 2 mid blocks x 4 layers x (weight, bias)
    tessera::io::save_safetensors((tmp.path() + "/diffusion_pytorch_model.safetensors").toStdString(), renamed,
                                  {{"format", "pt"}});
    QVERIFY(QFile::copy(golden_ + "/tiny-sd2/vae/config.json", tmp.path() + "/config.json"));
    auto vae = tessera::models::load_vae(tmp.path().toStdString());
    torch::NoGradGuard ng;
    QVERIFY(torch::equal(vae->decode(ref("decode_in")), vae_->decode(ref("decode_in"))));
  }

  void attentionSlicingGivesSameOutput() {
    // Same math; only the matrix-product blocking differs, so equal to float rounding (not bitwise).
    torch::NoGradGuard ng;
    auto full = vae_->decode(ref("decode_in"));
    vae_->set_attention_slicing(1, 37);  // 37 query rows at a time over 8x8 = 64 positions
    auto chunked = vae_->decode(ref("decode_in"));
    vae_->set_attention_slicing(0, 0);
    TESSERA_EXPECT_CLOSE_LOGGED(chunked, full, 1e-6, 1e-5, "query_chunk 37");
  }

  void channelsLastInput() {
    torch::NoGradGuard ng;
    auto dist = vae_->encode(ref("image").contiguous(at::MemoryFormat::ChannelsLast));
    TESSERA_EXPECT_CLOSE_LOGGED(dist.mean(), ref("latent_dist.mean"), 1e-5, 1e-4, "mean (channels-last)");
    auto dec = vae_->decode(ref("decode_in").contiguous(at::MemoryFormat::ChannelsLast));
    TESSERA_EXPECT_CLOSE_LOGGED(dec, ref("decode_out"), 1e-5, 1e-4, "decode_out (channels-last)");
  }

  void bfloat16IsCloseToFloat32() {
    torch::NoGradGuard ng;
    auto vae = tessera::models::load_vae((golden_ + "/tiny-sd2/vae").toStdString());
    vae->to(torch::kBFloat16);
    auto dist = vae->encode(ref("image").to(torch::kBFloat16));
    QCOMPARE(dist.mean().scalar_type(), torch::kBFloat16);
    TESSERA_EXPECT_CLOSE_LOGGED(dist.mean(), ref("latent_dist.mean"), 0.0, 5e-2, "mean (bfloat16)");
    auto dec = vae->decode(ref("decode_in").to(torch::kBFloat16).contiguous(at::MemoryFormat::ChannelsLast));
    QCOMPARE(dec.scalar_type(), torch::kBFloat16);
    TESSERA_EXPECT_CLOSE_LOGGED(dec, ref("decode_out"), 0.0, 5e-2, "decode_out (bfloat16, channels-last)");
  }
};

QTEST_GUILESS_MAIN(TestVAE)
#include "tst_vae.moc"
