// The studio's generation facade (torch-free header): cheap previews in the progress callback,
// and GenerationQueue running jobs in order on one worker thread, with cancellation.

#include "test_support.h"

#include "tessera/generate.h"

#include <QTemporaryDir>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace fs = std::filesystem;
using tessera::GenerateOptions;
using tessera::GenerateProgress;
using tessera::GeneratedImage;
using tessera::GenerationQueue;
using tessera::ImageGenerator;
using tessera::PreviewMode;
using tessera::Status;

namespace {

std::shared_ptr<ImageGenerator> openTiny(const QString& golden) {
  std::unique_ptr<ImageGenerator> g;
  const Status s = ImageGenerator::open((golden + QStringLiteral("/tiny-sd2")).toStdString(), &g);
  if (!s.ok()) qWarning("%s", s.to_string().c_str());
  return std::shared_ptr<ImageGenerator>(std::move(g));
}

GenerateOptions smallJob(const std::string& out_dir, uint64_t seed, int steps = 3) {
  GenerateOptions o;
  o.prompts = {"a red cube on a table"};
  o.steps = steps;
  o.width = 32;
  o.height = 32;
  o.seed = seed;
  o.out_dir = out_dir;
  return o;
}

size_t fileCount(const std::string& dir) {
  if (!fs::exists(dir)) return 0;
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) n += e.is_regular_file() ? 1 : 0;
  return n;
}

// Everything the queue reported, in order, with the thread it came from.
struct Log {
  std::mutex mutex;
  std::vector<std::string> events;  // "start 1", "end 1 ok", "end 2 cancelled", ...
  std::map<uint64_t, int> progress;
  std::map<uint64_t, std::vector<GeneratedImage>> images;
  std::vector<std::thread::id> threads;

  GenerationQueue::Callbacks callbacks(std::function<void(uint64_t)> on_start = {}) {
    GenerationQueue::Callbacks cb;
    cb.started = [this, on_start](uint64_t id) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        events.push_back("start " + std::to_string(id));
        threads.push_back(std::this_thread::get_id());
      }
      if (on_start) on_start(id);
    };
    cb.progress = [this](uint64_t id, const GenerateProgress&) {
      std::lock_guard<std::mutex> lock(mutex);
      ++progress[id];
      threads.push_back(std::this_thread::get_id());
    };
    cb.finished = [this](uint64_t id, const Status& s, const std::vector<GeneratedImage>& im) {
      std::lock_guard<std::mutex> lock(mutex);
      events.push_back("end " + std::to_string(id) + (s.ok() ? " ok" : s.cancelled() ? " cancelled" : " failed"));
      images[id] = im;
      threads.push_back(std::this_thread::get_id());
    };
    return cb;
  }
};

}  // namespace

class TestGenerationQueue : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void latentPreviewsHaveTheLatentSizeAndChange() {
    TESSERA_REQUIRE_GOLDEN(golden);
    auto gen = openTiny(golden);
    QVERIFY(gen);
    QTemporaryDir tmp;
    for (const char* sampler : {"ddim", "dpmpp_2m"}) {  // x0 from the scheduler / computed
      GenerateOptions o = smallJob(tmp.path().toStdString(), 5, 6);
      o.sampler = sampler;
      o.preview.mode = PreviewMode::Latent;
      std::vector<std::shared_ptr<const tessera::PreviewImage>> previews;
      const Status s = gen->generate(o, [&](const GenerateProgress& p) {
        previews.push_back(p.preview);
        return true;
      }, nullptr);
      QVERIFY2(s.ok(), s.to_string().c_str());
      QCOMPARE(previews.size(), size_t(6));
      const int f = gen->size_multiple();
      std::set<std::vector<uint8_t>> distinct;
      for (const auto& p : previews) {
        QVERIFY(p != nullptr);
        QCOMPARE(p->width, 32 / f);
        QCOMPARE(p->height, 32 / f);
        QCOMPARE(p->rgb.size(), size_t(p->width * p->height * 3));
        distinct.insert(p->rgb);
      }
      QVERIFY2(distinct.size() >= 3, sampler);  // the preview follows the denoising
    }
  }

  void decodedPreviewsEveryNStepsAtFullSize() {
    TESSERA_REQUIRE_GOLDEN(golden);
    auto gen = openTiny(golden);
    QVERIFY(gen);
    QTemporaryDir tmp;
    GenerateOptions o = smallJob(tmp.path().toStdString(), 9, 5);
    o.preview.mode = PreviewMode::Decoded;
    o.preview.every = 2;
    std::vector<int> at;
    std::vector<std::shared_ptr<const tessera::PreviewImage>> previews;
    std::vector<GeneratedImage> images;
    const Status s = gen->generate(o, [&](const GenerateProgress& p) -> bool {
      if (p.preview) {
        at.push_back(p.step);
        previews.push_back(p.preview);
      }
      return true;
    }, &images);
    QVERIFY2(s.ok(), s.to_string().c_str());
    QCOMPARE(at, (std::vector<int>{2, 4, 5}));
    std::vector<std::vector<uint8_t>> pixels;
    for (const auto& p : previews) {
      QCOMPARE(p->width, 32);
      QCOMPARE(p->height, 32);
      QCOMPARE(p->rgb.size(), size_t(32 * 32 * 3));
      pixels.push_back(p->rgb);
    }
    QVERIFY(pixels[0] != pixels[1]);
    QCOMPARE(images.size(), size_t(1));
  }

  void runsJobsInOrderAndCancelsAQueuedOne() {
    TESSERA_REQUIRE_GOLDEN(golden);
    auto gen = openTiny(golden);
    QVERIFY(gen);
    QTemporaryDir tmp;
    const std::string root = tmp.path().toStdString();
    Log log;
    // Job 1 waits in its `started` callback until the test has cancelled job 2, so job 2 is
    // certainly still queued when cancelled.
    std::promise<void> one_started;
    std::promise<void> cancelled_two;
    std::shared_future<void> go = cancelled_two.get_future().share();
    {
      GenerationQueue queue(gen, log.callbacks([&one_started, go](uint64_t id) {
        if (id != 1) return;
        one_started.set_value();
        go.wait();
      }));
      const auto j1 = queue.submit(smallJob(root + "/one", 1));
      const auto j2 = queue.submit(smallJob(root + "/two", 2));
      const auto j3 = queue.submit(smallJob(root + "/three", 3));
      QCOMPARE(j1, uint64_t(1));
      QCOMPARE(j2, uint64_t(2));
      QCOMPARE(j3, uint64_t(3));
      one_started.get_future().wait();
      QCOMPARE(queue.pending(), size_t(3));
      QVERIFY(queue.cancel(j2));
      QVERIFY(!queue.cancel(42));
      cancelled_two.set_value();
      QVERIFY(queue.wait_idle(120000));
      QCOMPARE(queue.pending(), size_t(0));
      QVERIFY(!queue.cancel(j1));  // finished
    }
    // Job 2 is reported cancelled while job 1 runs (not after it); 1 ends before 3 starts.
    QCOMPARE(log.events, (std::vector<std::string>{"start 1", "end 2 cancelled", "end 1 ok", "start 3", "end 3 ok"}));
    QCOMPARE(log.progress[1], 3);
    QCOMPARE(log.progress[3], 3);
    QCOMPARE(log.progress.count(2), size_t(0));
    QCOMPARE(log.images[1].size(), size_t(1));
    QCOMPARE(log.images[1][0].path, root + "/one/1-0.png");
    QCOMPARE(log.images[3][0].path, root + "/three/3-0.png");
    QVERIFY(log.images[2].empty());
    QVERIFY(fs::exists(root + "/one/1-0.png"));
    QVERIFY(fs::exists(root + "/three/3-0.png"));
    QCOMPARE(fileCount(root + "/two"), size_t(0));  // the cancelled job wrote nothing
    for (const auto& t : log.threads) QVERIFY(t != std::this_thread::get_id());  // worker thread only
  }

  void cancelsTheRunningJobAfterItsStep() {
    TESSERA_REQUIRE_GOLDEN(golden);
    auto gen = openTiny(golden);
    QVERIFY(gen);
    QTemporaryDir tmp;
    const std::string root = tmp.path().toStdString();
    Log log;
    GenerationQueue* queue_ptr = nullptr;
    std::atomic<int> steps_seen{0};
    auto cb = log.callbacks();
    auto count = cb.progress;
    cb.progress = [&, count](uint64_t id, const GenerateProgress& p) {
      count(id, p);
      if (++steps_seen == 2) queue_ptr->cancel(id);  // callbacks may call back into the queue
    };
    GenerationQueue queue(gen, cb);
    queue_ptr = &queue;
    queue.submit(smallJob(root + "/long", 11, 50));
    const auto after = queue.submit(smallJob(root + "/after", 12));
    QVERIFY(queue.wait_idle(120000));
    QCOMPARE(log.progress[1], 2);  // stopped right after the step in which it was cancelled
    QCOMPARE(fileCount(root + "/long"), size_t(0));
    QCOMPARE(log.events, (std::vector<std::string>{"start 1", "end 1 cancelled", "start 2", "end 2 ok"}));
    QCOMPARE(after, uint64_t(2));
    QVERIFY(fs::exists(root + "/after/12-0.png"));
  }

  void destructorCancelsEverythingAndJoins() {
    TESSERA_REQUIRE_GOLDEN(golden);
    auto gen = openTiny(golden);
    QVERIFY(gen);
    QTemporaryDir tmp;
    const std::string root = tmp.path().toStdString();
    Log log;
    std::promise<void> first_step;
    auto first = std::make_shared<std::once_flag>();
    auto cb = log.callbacks();
    auto count = cb.progress;
    cb.progress = [&, count, first](uint64_t id, const GenerateProgress& p) {
      count(id, p);
      std::call_once(*first, [&] { first_step.set_value(); });
    };
    {
      GenerationQueue queue(gen, cb);
      queue.submit(smallJob(root + "/a", 1, 200));
      queue.submit(smallJob(root + "/b", 2));
      first_step.get_future().wait();  // job 1 is running
    }  // ~GenerationQueue: must not wait for 200 steps, and reports both jobs
    // Both reported cancelled (in either order: job 2's report may come before or after job 1
    // stops, depending on where the worker was when the destructor ran); job 2 never started.
    QCOMPARE(log.events.size(), size_t(3));
    QCOMPARE(log.events[0], std::string("start 1"));
    const std::set<std::string> ends(log.events.begin() + 1, log.events.end());
    QCOMPARE(ends, (std::set<std::string>{"end 1 cancelled", "end 2 cancelled"}));
    QVERIFY(log.progress[1] < 200);
    QCOMPARE(fileCount(root + "/a") + fileCount(root + "/b"), size_t(0));
  }

  void badJobFailsAlone() {
    TESSERA_REQUIRE_GOLDEN(golden);
    auto gen = openTiny(golden);
    QVERIFY(gen);
    QTemporaryDir tmp;
    Log log;
    GenerationQueue queue(gen, log.callbacks());
    GenerateOptions bad = smallJob(tmp.path().toStdString() + "/bad", 1);
    bad.width = 33;  // not a multiple of the VAE factor
    queue.submit(bad);
    queue.submit(smallJob(tmp.path().toStdString() + "/good", 2));
    QVERIFY(queue.wait_idle(120000));
    QCOMPARE(log.events, (std::vector<std::string>{"start 1", "end 1 failed", "start 2", "end 2 ok"}));
  }
};

QTEST_GUILESS_MAIN(TestGenerationQueue)
#include "tst_generation_queue.moc"
