// The demo project's parts and its plumbing: the BPE vocabulary learnt from captions (a loadable
// tokenizer folder, one token per word), the shapes and their judge (every rendered combination
// judged right; wrong prompts judged wrong), the held-out split, autoencoder training (the loss
// falls), and run_demo end to end at toy sizes (every stage runs; its model folder loads and its
// run config is an ordinary `tessera train` config). The demo's quality at full size is checked
// by tst_demo_quality (label: long).

#include "demo/shapes_dataset.h"
#include "io/diffusers_folder.h"
#include "models/autoencoder_kl.h"
#include "tessera/demo.h"
#include "tessera/generate.h"
#include "text/clip_bpe_trainer.h"
#include "text/clip_tokenizer.h"
#include "training/autoencoder_training.h"
#include "training/run_config.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <fstream>
#include <set>

using namespace tessera;

class TestDemo : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { torch::set_num_threads(1); }

  void bpeLearnsOneTokenPerCaptionWord() {
    std::vector<std::string> corpus;
    for (const auto& p : demo::all_shape_prompts()) corpus.push_back(p.caption());
    ClipBpeTrainingOptions o;
    o.model_max_length = 16;
    const ClipBpeVocabulary bpe = train_clip_bpe(corpus, o);
    QTemporaryDir dir;
    write_clip_tokenizer_folder(dir.path().toStdString(), bpe);
    const CLIPTokenizer tok = CLIPTokenizer::from_folder(dir.path().toStdString());
    QCOMPARE(tok.model_max_length(), 16);
    QCOMPARE(tok.vocab_size(), bpe.vocab.size());
    const auto tokens = tok.tokenize("A Red circle on a blue background");
    const std::vector<std::string> want = {"a</w>", "red</w>", "circle</w>", "on</w>", "a</w>", "blue</w>", "background</w>"};
    QVERIFY(tokens == want);
    const auto enc = tok.encode_padded("a red circle on a blue background", 16);
    QCOMPARE(enc.input_ids.size(), size_t(16));
    QCOMPARE(enc.input_ids.front(), tok.bos_id());
    QCOMPARE(enc.input_ids[8], tok.eos_id());
    QCOMPARE(tok.decode(enc.input_ids), std::string("a red circle on a blue background"));
    // Unseen words still tokenize (byte-level fallback), specials come last as in CLIP's vocab.
    QVERIFY(tok.tokenize("a purple hexagon").size() > 3);
    QCOMPARE(bpe.vocab.at("!"), int64_t(0));
    QCOMPARE(bpe.vocab.at("<|endoftext|>"), int64_t(bpe.vocab.size() - 1));
    // Deterministic: the same corpus gives the same merges.
    QVERIFY(train_clip_bpe(corpus, o).merges == bpe.merges);
    // The folder is a diffusers tokenizer folder (the four files transformers writes).
    for (const char* f : io::diffusers_names::kTokenizerFiles) QVERIFY2(QFile::exists(dir.path() + "/" + f), f);
  }

  void judgeReadsEveryRenderedCombination() {
    for (int size : {32, 64}) {
      int n = 0;
      for (const auto& p : demo::all_shape_prompts()) {
        for (uint64_t v = 0; v < 3; ++v) {
          const demo::RenderedImage im = demo::render_shape(p, size, v * 7919 + n);
          const demo::ShapeJudgement j = demo::judge_shape_image(im.rgb.data(), size, p);
          QVERIFY2(j.colour_right && j.background_right && j.shape_right,
                   (p.caption() + " at " + std::to_string(size) + " px read as " + demo::palette()[j.colour].name + " " +
                    demo::shape_name(j.shape) + " on " + demo::palette()[j.background].name + ", fill " + std::to_string(j.fill))
                       .c_str());
          ++n;
        }
      }
    }
    // Another prompt's image is judged wrong on what differs.
    const demo::ShapePrompt red_circle_on_blue{0, 2, demo::Shape::Circle};
    const demo::ShapePrompt green_square_on_blue{1, 2, demo::Shape::Square};
    const auto im = demo::render_shape(green_square_on_blue, 32, 1);
    const auto j = demo::judge_shape_image(im.rgb.data(), 32, red_circle_on_blue);
    QVERIFY(!j.colour_right && j.background_right && !j.shape_right);
    // A flat image has no shape.
    std::vector<uint8_t> flat(32 * 32 * 3, 15);
    QVERIFY(!demo::judge_shape_image(flat.data(), 32, red_circle_on_blue).shape_right);
  }

  void heldOutCombinationsNeverTrainAndEveryColourStays() {
    const demo::ShapeSplit s = demo::split_shape_prompts(7, 0.15);
    QCOMPARE(s.train.size() + s.held_out.size(), size_t(90));
    QCOMPARE(s.held_out.size(), size_t(14));
    for (const auto& h : s.held_out)
      for (const auto& t : s.train) QVERIFY(!(h == t));
    std::set<std::pair<int, int>> objects, backgrounds;
    for (const auto& t : s.train) {
      objects.insert({t.colour, static_cast<int>(t.shape)});
      backgrounds.insert({t.background, static_cast<int>(t.shape)});
    }
    QCOMPARE(objects.size(), size_t(18));
    QCOMPARE(backgrounds.size(), size_t(18));
    const demo::ShapeSplit again = demo::split_shape_prompts(7, 0.15);
    QVERIFY(again.held_out.size() == s.held_out.size() && again.held_out[0] == s.held_out[0]);
  }

  void autoencoderLossFalls() {
    std::vector<torch::Tensor> images;
    int n = 0;
    for (const auto& p : demo::all_shape_prompts()) {
      if (n++ % 6) continue;
      const auto im = demo::render_shape(p, 16, static_cast<uint64_t>(n));
      images.push_back(torch::from_blob(const_cast<uint8_t*>(im.rgb.data()), {16, 16, 3}, torch::kUInt8)
                           .permute({2, 0, 1}).to(torch::kFloat32).div(127.5).sub(1));
    }
    const torch::Tensor pixels = torch::stack(images);
    models::VAEConfig vc;
    vc.block_out_channels = {8, 16};
    vc.down_block_types = {"DownEncoderBlock2D", "DownEncoderBlock2D"};
    vc.up_block_types = {"UpDecoderBlock2D", "UpDecoderBlock2D"};
    vc.layers_per_block = 1;
    vc.norm_num_groups = 2;
    torch::manual_seed(3);
    models::AutoencoderKL vae(vc);
    std::vector<double> losses;
    training::AutoencoderTrainingOptions o;
    o.steps = 40;
    o.batch_size = 8;
    o.lr = 3e-3;
    o.warmup_steps = 3;
    o.on_step = [&](int64_t, int64_t, double loss) { losses.push_back(loss); return true; };
    const auto r = training::train_autoencoder(vae, pixels, o);
    QCOMPARE(r.steps, int64_t(40));
    QCOMPARE(losses.size(), size_t(40));
    const double first = (losses[0] + losses[1] + losses[2]) / 3, last = r.loss;
    QVERIFY2(last < 0.6 * first, (std::to_string(first) + " -> " + std::to_string(last)).c_str());
    QVERIFY(r.psnr > 5 && r.psnr < 60);
    const torch::Tensor z = training::encode_latent_means(vae, pixels, 4);
    QCOMPARE(z.sizes(), (torch::IntArrayRef{pixels.size(0), 4, 8, 8}));
    // Wrong input is refused, not trained on.
    QVERIFY_THROWS_EXCEPTION(Error, training::train_autoencoder(vae, pixels.narrow(2, 0, 15), o));
  }

  void demoRunsEveryStageAtToySizes() {
    QTemporaryDir dir;
    DemoOptions o;
    o.work_dir = (dir.path() + "/demo").toStdString();
    o.sizes.train_images = 40;
    o.sizes.vae_steps = 2;
    o.sizes.vae_batch = 4;
    o.sizes.unet_steps = 2;
    o.sizes.unet_batch = 8;
    o.sizes.sample_steps = 2;
    o.sizes.seeds_per_prompt = 1;
    std::vector<std::string> lines;
    o.log = [&](const std::string& l) { lines.push_back(l); };
    DemoReport r;
    const Status s = run_demo(o, &r);
    QVERIFY2(s.ok(), s.to_string().c_str());
    const std::vector<std::string> want = {"runtime", "blas", "dataset", "tokenizer", "vae", "train", "export", "generate", "evaluate"};
    QCOMPARE(r.stages.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
      QCOMPARE(r.stages[i].name, want[i]);
      QVERIFY(r.stages[i].ran);
    }
    QVERIFY(lines.size() >= want.size());
    const QString d = dir.path() + "/demo";
    QCOMPARE(QDir(d + "/dataset/images").entryList({"*.png"}).size(), 40);
    QVERIFY(QFile::exists(d + "/dataset/catalog.sqlite"));
    QVERIFY(QFile::exists(d + "/run/metrics.jsonl"));
    QVERIFY(QFile::exists(d + "/grid.png"));
    QCOMPARE(r.judged_images, 14);
    // The run config is an ordinary one: it parses back, trains the text encoder from components/.
    const auto config = training::load_run_config((d + "/run/config.yaml").toStdString());
    QVERIFY(config.model.train_text_encoder);
    QCOMPARE(config.trainer.max_duration, int64_t(2));
    (void)io::open_diffusers_folder((d + "/components").toStdString());
    // The exported model generates with the engine's facade at the demo's size by default.
    std::unique_ptr<ImageGenerator> gen;
    const Status opened = ImageGenerator::open(r.model_dir, &gen);
    QVERIFY2(opened.ok(), opened.to_string().c_str());
    QCOMPARE(gen->default_width(), 32);
    std::ifstream in((d + "/evaluation.json").toStdString());
    const auto evaluation = nlohmann::json::parse(in);
    QCOMPARE(evaluation["judgements"].size(), size_t(14));

    // Cancelling stops the demo with a cancelled status.
    DemoOptions c = o;
    c.cancelled = [] { return true; };
    QVERIFY(run_demo(c, nullptr).cancelled());
    DemoOptions bad = o;
    bad.work_dir.clear();
    QVERIFY(!run_demo(bad, nullptr).ok());
  }
};

QTEST_GUILESS_MAIN(TestDemo)
#include "tst_demo.moc"
