// What `tessera bench` builds and what it relies on: the compiled-in SD2-base and tiny
// configurations, the byte-level tokenizer, and the CPU inference fast paths (per-head chunked
// attention, in-place resnet updates, channels-last convolutions), each checked against the
// plain computation it replaces.

#include "bench/bench_models.h"
#include "models/attention.h"
#include "models/memory_format.h"
#include "models/resnet_block.h"
#include "models/transformer_2d.h"
#include "tessera/bench.h"

#include <torch/torch.h>

#include <QtTest/QtTest>

namespace {

void expect_close(const torch::Tensor& actual, const torch::Tensor& expected, double atol, double rtol) {
  QCOMPARE(actual.sizes().vec(), expected.sizes().vec());
  const double diff = (actual - expected).abs().max().item<double>();
  const double scale = expected.abs().max().item<double>();
  QVERIFY2(diff <= atol + rtol * scale,
           qPrintable(QString("max |diff| %1 (max |expected| %2)").arg(diff).arg(scale)));
}

// Runs `fn` once recording gradients (the plain, out-of-place path) and once in inference mode.
template <typename Fn>
std::pair<torch::Tensor, torch::Tensor> both_paths(Fn&& fn) {
  torch::Tensor plain;
  {
    torch::AutoGradMode grad(true);
    plain = fn().detach();
  }
  torch::Tensor fast;
  {
    c10::InferenceMode inference;
    fast = fn();
  }
  return {plain, fast};
}

}  // namespace

class TestBench : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { torch::manual_seed(7); }

  void sd2BaseConfigsAreCompiledIn() {
    const auto unet = tessera::bench::unet_config(false);
    QCOMPARE(unet.block_out_channels, (std::vector<int64_t>{320, 640, 1280, 1280}));
    QCOMPARE(unet.num_attention_heads, (std::vector<int64_t>{5, 10, 20, 20}));
    QCOMPARE(unet.cross_attention_dim.front(), int64_t(1024));
    QVERIFY(unet.use_linear_projection);
    QCOMPARE(unet.sample_size, int64_t(64));
    const auto vae = tessera::bench::vae_config(false);
    QCOMPARE(vae.block_out_channels, (std::vector<int64_t>{128, 256, 512, 512}));
    QCOMPARE(vae.sample_size, int64_t(512));
    const auto text = tessera::bench::text_encoder_config(false);
    QCOMPARE(text.hidden_size, int64_t(1024));
    QCOMPARE(text.num_hidden_layers, int64_t(23));
    QCOMPARE(text.vocab_size, int64_t(49408));
    QCOMPARE(tessera::bench::scheduler_config(false).value("_class_name", ""), std::string("PNDMScheduler"));
  }

  void tinyModelsBuild() {
    auto unet = tessera::bench::random_unet(true);
    auto vae = tessera::bench::random_vae(true);
    auto text = tessera::bench::random_text_encoder(true);
    QVERIFY(!unet->is_training() && !vae->is_training() && !text->is_training());
    QVERIFY(tessera::bench::module_bytes(*unet) > 0);
    // 4 bytes per fp32 parameter; the tiny UNet has no buffers.
    int64_t params = 0;
    for (const auto& p : unet->parameters()) params += p.numel();
    QCOMPARE(tessera::bench::module_bytes(*unet), static_cast<uint64_t>(params) * 4);
  }

  void byteLevelTokenizer() {
    const auto tok = tessera::bench::byte_level_tokenizer(49408);
    QCOMPARE(tok.bos_id(), int64_t(49406));
    QCOMPARE(tok.eos_id(), int64_t(49407));
    QCOMPARE(tok.pad_id(), int64_t(0));  // "!" is byte symbol 0, SD2's padding
    const auto enc = tok.encode_padded("a cat", 77);
    QCOMPARE(enc.input_ids.size(), size_t(77));
    // <bos> "a</w>" "c" "a" "t</w>" <eos> then padding: '!'=0 ... 'a' = 0x61 - 0x21 = 64.
    QCOMPARE(enc.input_ids[0], int64_t(49406));
    QCOMPARE(enc.input_ids[1], int64_t(256 + 64));
    QCOMPARE(enc.input_ids[2], int64_t(66));
    QCOMPARE(enc.input_ids[3], int64_t(64));
    QCOMPARE(enc.input_ids[4], int64_t(256 + 83));
    QCOMPARE(enc.input_ids[5], int64_t(49407));
    QCOMPARE(enc.input_ids[6], int64_t(0));
    QVERIFY_EXCEPTION_THROWN(tessera::bench::byte_level_tokenizer(100), std::exception);
  }

  void chunkedAttentionEqualsBatched_data() {
    QTest::addColumn<int>("heads");
    QTest::addColumn<int>("dimHead");
    QTest::addColumn<int>("tokens");
    QTest::addColumn<int>("contextTokens");  // 0: self-attention
    QTest::addColumn<int>("queryChunk");
    QTest::newRow("self, auto chunk") << 5 << 8 << 300 << 0 << 0;
    QTest::newRow("self, chunk 7") << 2 << 16 << 50 << 0 << 7;
    QTest::newRow("cross, 77 keys") << 4 << 8 << 64 << 77 << 0;
    QTest::newRow("one head, large") << 1 << 32 << 4096 << 0 << 0;
  }
  void chunkedAttentionEqualsBatched() {
    QFETCH(int, heads);
    QFETCH(int, dimHead);
    QFETCH(int, tokens);
    QFETCH(int, contextTokens);
    QFETCH(int, queryChunk);
    tessera::models::AttentionOptions o;
    o.query_dim = heads * dimHead;
    o.heads = heads;
    o.dim_head = dimHead;
    o.cross_attention_dim = contextTokens > 0 ? 24 : 0;
    tessera::models::Attention attn(o);
    attn->eval();
    attn->set_query_chunk(queryChunk);
    const auto x = torch::randn({2, tokens, heads * dimHead});
    const auto ctx = contextTokens > 0 ? torch::randn({2, contextTokens, 24}) : torch::Tensor();
    const auto [plain, fast] = both_paths([&] { return attn->forward(x, ctx); });
    expect_close(fast, plain, 1e-6, 1e-5);
  }

  void spatialAttentionWithGroupNormChannelsLast() {
    tessera::models::AttentionOptions o;
    o.query_dim = 32;
    o.heads = 1;
    o.dim_head = 32;
    o.bias = true;
    o.norm_num_groups = 8;
    o.residual_connection = true;
    tessera::models::Attention attn(o);
    attn->eval();
    const auto x = torch::randn({1, 32, 12, 10});
    const auto [plain, fast] = both_paths([&] { return attn->forward(x); });
    const auto [plain_cl, fast_cl] = both_paths([&] { return attn->forward(x.contiguous(torch::MemoryFormat::ChannelsLast)); });
    expect_close(fast, plain, 1e-6, 1e-5);
    expect_close(fast_cl, plain, 1e-6, 1e-5);
  }

  void resnetInPlaceEqualsPlain() {
    tessera::models::ResnetBlock2DOptions o;
    o.in_channels = 16;
    o.out_channels = 32;
    o.temb_channels = 20;
    o.groups = 8;
    tessera::models::ResnetBlock2D block(o);
    block->eval();
    const auto x = torch::randn({2, 16, 9, 9});
    const auto temb = torch::randn({2, 20});
    const auto [plain, fast] = both_paths([&] { return block->forward(x, temb); });
    // Same operations in the same order: bitwise equal.
    QVERIFY(torch::equal(fast, plain));
  }

  void channelsLastUNetEqualsNCHW() {
    auto unet = tessera::bench::random_unet(true);
    const auto sample = torch::randn({2, 4, 8, 8});
    const auto context = torch::randn({2, 77, unet->config().cross_attention_dim.front()});
    torch::NoGradGuard no_grad;
    const auto nchw = unet->forward(sample, 500.0, context);
    QVERIFY(!tessera::models::is_channels_last(*unet));
    tessera::models::set_channels_last(*unet, true);
    QVERIFY(tessera::models::is_channels_last(*unet));
    const auto cl = unet->forward(sample, 500.0, context);
    QVERIFY(cl.is_contiguous());  // the sampler gets NCHW back
    expect_close(cl, nchw, 1e-5, 1e-4);
    tessera::models::set_channels_last(*unet, false);
    QVERIFY(!tessera::models::is_channels_last(*unet));
    QVERIFY(torch::equal(unet->forward(sample, 500.0, context), nchw));
  }

  void channelsLastVAEDecodeEqualsNCHW() {
    auto vae = tessera::bench::random_vae(true);
    const auto z = torch::randn({1, 4, 6, 6});
    torch::NoGradGuard no_grad;
    const auto nchw = vae->decode(z);
    tessera::models::set_channels_last(*vae, true);
    expect_close(vae->decode(z), nchw, 1e-5, 1e-4);
  }

  void facadeHelpers() {
    QCOMPARE(tessera::bench::median({3.0, 1.0, 2.0}), 2.0);
    QCOMPARE(tessera::bench::median({4.0, 1.0, 2.0, 3.0}), 2.5);
    QCOMPARE(tessera::bench::median({}), 0.0);
    QVERIFY(tessera::bench::is_benchmark("unet-step"));
    QVERIFY(!tessera::bench::is_benchmark("unet"));
    QVERIFY(tessera::bench::current_rss_bytes() > 0);
    QVERIFY(tessera::bench::peak_rss_bytes() >= tessera::bench::current_rss_bytes());
    tessera::bench::BenchResult r;
    r.name = "unet-step";
    r.seconds = {1.5, 2.5};
    r.median_seconds = 2.0;
    r.peak_rss_bytes = 123;
    r.note = "a \"quoted\" note";
    tessera::bench::BenchResult back;
    QVERIFY(tessera::bench::result_from_json(tessera::bench::to_json(r), &back).ok());
    QCOMPARE(back.seconds, r.seconds);
    QCOMPARE(back.peak_rss_bytes, r.peak_rss_bytes);
    QCOMPARE(back.note, r.note);
    r.name = "train-step";  // its host wait per step travels from the benchmark's process too
    r.wait_seconds = 0.25;
    QVERIFY(tessera::bench::result_from_json(tessera::bench::to_json(r), &back).ok());
    QCOMPARE(back.wait_seconds, 0.25);
    QVERIFY(!tessera::bench::result_from_json("{\"name\": 3}", &back).ok());
    QVERIFY(!tessera::bench::result_from_json("not json", &back).ok());
  }

  void tinyBenchmarksRunInProcess() {
    tessera::bench::BenchOptions o;
    o.tiny = true;
    o.repeat = 2;
    o.warmup = 0;
    for (const char* name : {"unet-step", "vae-decode", "generate"}) {
      tessera::bench::BenchResult r;
      const auto s = tessera::bench::run_benchmark(name, o, &r);
      QVERIFY2(s.ok(), s.to_string().c_str());
      QCOMPARE(r.name, std::string(name));
      QCOMPARE(r.seconds.size(), size_t(2));
      QVERIFY(r.median_seconds > 0);
      QVERIFY(r.peak_rss_bytes > r.weight_bytes);
      QVERIFY2(r.note.find("output finite") == 0, r.note.c_str());
    }
    tessera::bench::BenchResult r;
    QVERIFY(!tessera::bench::run_benchmark("nonsense", o, &r).ok());
    QVERIFY(!tessera::bench::run_benchmark("unet-load", o, &r).ok());
  }

  // A run that asks for the engine's fused kernels says whether it took them: here (the CPU,
  // which the layers never route to them) it did not, so it measured LibTorch's ops.
  void aFusedKernelAskedForButNotTakenIsSaid() {
    tessera::bench::BenchOptions o;
    o.tiny = true;
    o.repeat = 1;
    o.warmup = 0;
    tessera::bench::BenchResult plain, asked;
    QVERIFY(tessera::bench::run_benchmark("train-step", o, &plain).ok());
    QVERIFY2(plain.note.find("fused") == std::string::npos, plain.note.c_str());
    qputenv("TESSERA_FUSED_GROUP_NORM", "1");
    const auto s = tessera::bench::run_benchmark("train-step", o, &asked);
    qunsetenv("TESSERA_FUSED_GROUP_NORM");
    QVERIFY2(s.ok(), s.to_string().c_str());
    QVERIFY2(asked.note.find("fused GroupNorm asked for but not taken") != std::string::npos, asked.note.c_str());
  }
};

QTEST_GUILESS_MAIN(TestBench)
#include "tst_bench.moc"
