// The training reader (engine/src/shards/streaming_order.*, streaming_reader.*): stream mixing
// (proportion / repeat / choose), a global order that is the same for 1, 2, 4 and 8 ranks with
// each rank reading a disjoint slice, exact mid-epoch resume (also onto a different world size),
// and a damaged shard stopping the reader with an error naming it.

#include "shards/streaming_order.h"
#include "shards/streaming_reader.h"
#include "tessera/error.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <numeric>
#include <set>

using namespace tessera::shards;
namespace fs = std::filesystem;

namespace {

std::string data_dir() {
  const QString src = qEnvironmentVariable("TESSERA_SOURCE_DIR", QStringLiteral(TESSERA_TEST_SOURCE_DIR));
  return (src + QStringLiteral("/tests/data/mds")).toStdString();
}

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const tessera::Error& e) {
    return e.what();
  }
  return {};
}

// 3 streams of uneven shards, for order-only tests.
std::vector<StreamMix> synthetic_streams() {
  std::vector<StreamMix> s(3);
  for (int i = 0; i < 37; ++i) s[0].shard_samples.push_back(50 + (i * 7) % 13);
  for (int i = 0; i < 5; ++i) s[1].shard_samples.push_back(200);
  s[2].shard_samples = {1, 0, 3, 999};
  return s;
}

struct Seen {
  uint64_t position;
  uint32_t stream;
  uint64_t sample;
};

// Reads this rank's whole slice (or `limit` samples) and returns what it saw.
std::vector<Seen> read_rank(StreamingReader& reader, size_t limit = SIZE_MAX) {
  std::vector<Seen> out;
  while (out.size() < limit) {
    auto s = reader.next();
    if (!s) break;
    (void)s->view().to_json();  // the sample decodes
    out.push_back({s->position, s->stream, s->sample});
  }
  return out;
}

std::vector<StreamSource> fixture_sources() {
  return {{data_dir() + "/plain", std::nullopt, std::nullopt, std::nullopt},
          {data_dir() + "/zstd", std::nullopt, 1.5, std::nullopt}};
}

}  // namespace

class TestStreamingReader : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void mixingCounts() {
    auto s = synthetic_streams();
    const uint64_t n0 = std::accumulate(s[0].shard_samples.begin(), s[0].shard_samples.end(), uint64_t{0});
    ShuffleOptions o;
    auto counts = stream_choose_counts(s, o);
    QCOMPARE(counts[0], n0);
    QCOMPARE(counts[1], uint64_t{1000});
    QCOMPARE(counts[2], uint64_t{1003});
    s[0].repeat = 2.5;
    s[1].choose = 150;
    counts = stream_choose_counts(s, o);
    QCOMPARE(counts[0], static_cast<uint64_t>(2.5 * static_cast<double>(n0)));
    QCOMPARE(counts[1], uint64_t{150});
    // Proportions: largest remainder, summing exactly to the epoch size.
    auto p = synthetic_streams();
    p[0].proportion = 1;
    p[1].proportion = 1;
    p[2].proportion = 1;
    o.epoch_size = 1000;
    counts = stream_choose_counts(p, o);
    QCOMPARE(counts, (std::vector<uint64_t>{334, 333, 333}));
    // Invalid mixes.
    auto bad = synthetic_streams();
    bad[0].proportion = 1;
    bad[0].repeat = 1;
    QVERIFY(error_of([&] { (void)stream_choose_counts(bad, o); }).find("more than one") != std::string::npos);
    bad = synthetic_streams();
    bad[0].proportion = 1;
    bad[1].repeat = 1;
    QVERIFY(error_of([&] { (void)stream_choose_counts(bad, o); }).find("mix") != std::string::npos);
    bad = synthetic_streams();
    bad[2].shard_samples = {0};
    bad[2].choose = 3;
    QVERIFY(error_of([&] { (void)stream_choose_counts(bad, o); }).find("no samples") != std::string::npos);
  }

  void epochHoldsTheChosenSamples() {
    auto s = synthetic_streams();
    s[0].repeat = 2.5;
    s[1].choose = 150;
    ShuffleOptions o;
    o.num_canonical_nodes = 1;
    o.shuffle_block_size = 100;
    const EpochOrder order = compute_epoch_order(s, o, 3);
    QCOMPARE(order.global.size(), order.chosen);  // one node: no padding
    std::map<uint32_t, std::map<uint64_t, int>> times;
    for (const auto& r : order.global) ++times[r.stream][r.sample];
    const uint64_t n0 = std::accumulate(s[0].shard_samples.begin(), s[0].shard_samples.end(), uint64_t{0});
    // Stream 0: every sample twice, half of them a third time; stream 1: 150 distinct; stream 2: all once.
    QCOMPARE(times[0].size(), static_cast<size_t>(n0));
    int thrice = 0;
    for (const auto& [id, k] : times[0]) {
      QVERIFY(k == 2 || k == 3);
      thrice += k == 3;
    }
    QCOMPARE(static_cast<uint64_t>(thrice), order.per_stream[0] - 2 * n0);
    QCOMPARE(times[1].size(), size_t{150});
    for (const auto& [id, k] : times[1]) QVERIFY(k == 1 && id < 1000);
    QCOMPARE(times[2].size(), size_t{1003});
    // The subset is re-drawn each epoch.
    const EpochOrder other = compute_epoch_order(s, o, 4);
    std::set<uint64_t> a, b;
    for (const auto& r : order.global) if (r.stream == 1) a.insert(r.sample);
    for (const auto& r : other.global) if (r.stream == 1) b.insert(r.sample);
    QVERIFY(a != b);
  }

  void orderIsDeterministic() {
    const auto s = synthetic_streams();
    ShuffleOptions o;
    o.num_canonical_nodes = 4;
    o.shuffle_block_size = 64;
    const auto a = compute_epoch_order(s, o, 0).global;
    QVERIFY(a == compute_epoch_order(s, o, 0).global);
    QVERIFY(a != compute_epoch_order(s, o, 1).global);
    ShuffleOptions seed = o;
    seed.seed = 1;
    QVERIFY(a != compute_epoch_order(s, seed, 0).global);
    ShuffleOptions nodes = o;
    nodes.num_canonical_nodes = 2;
    QVERIFY(a != compute_epoch_order(s, nodes, 0).global);
    ShuffleOptions off = o;
    off.shuffle = false;
    off.num_canonical_nodes = 1;
    const auto plain = compute_epoch_order(s, off, 7).global;
    for (size_t i = 1; i < plain.size(); ++i)  // unshuffled: stream by stream, in order
      QVERIFY(plain[i - 1].stream < plain[i].stream || (plain[i - 1].stream == plain[i].stream && plain[i - 1].sample < plain[i].sample));
    // Padding: every node as long as the longest, only when the count does not divide.
    QCOMPARE(a.size() % 4, size_t{0});
    QVERIFY(a.size() - compute_epoch_order(s, o, 0).chosen < 4);
  }

  void planScalesToTheReferenceRun() {
    // 100M samples in 3,000 shards plus a 30% fractional pass: the plan holds spans, not samples.
    std::vector<StreamMix> s(2);
    s[0].shard_samples.assign(3000, 33334);
    s[1].shard_samples.assign(100, 1000);
    s[1].repeat = 1.3;
    ShuffleOptions o;
    o.num_canonical_nodes = 16;
    QElapsedTimer timer;
    timer.start();
    const EpochPlan plan(s, o, 1);
    QCOMPARE(plan.chosen(), uint64_t{100'002'000} + 130'000);
    QCOMPARE(plan.size() % 16, uint64_t{0});
    OrderRng pick({42});
    std::set<std::pair<uint32_t, uint64_t>> seen;
    for (int i = 0; i < 300; ++i) {
      const SampleRef r = plan.at(pick.below(plan.size()));
      QVERIFY(r.stream == 0 ? r.sample < 100'002'000 : r.sample < 100'000);
      seen.insert({r.stream, r.sample});
    }
    QVERIFY(seen.size() > 290);  // shuffled: random positions hit distinct samples
    // Consecutive positions of one canonical node come from few shards (locality).
    std::set<uint64_t> shards;
    for (uint64_t p = 0; p < 16 * 1000; p += 16) {
      const SampleRef r = plan.at(p);
      if (r.stream == 0) shards.insert(r.sample / 33334);
    }
    QVERIFY2(shards.size() < 40, std::to_string(shards.size()).c_str());
    QVERIFY2(timer.elapsed() < 20000, "building and probing the plan took too long");
  }

  void sameGlobalOrderFor1248Ranks() {
    for (uint32_t nodes : {1u, 2u, 8u}) {
      StreamingReaderOptions base;
      base.shuffle.num_canonical_nodes = nodes;
      base.shuffle.shuffle_block_size = 5;
      base.shuffle.seed = 17;
      base.threads = 3;
      base.prefetch = 4;
      base.shard_cache = 2;
      std::vector<Seen> reference;
      for (uint32_t world : {1u, 2u, 4u, 8u}) {
        std::map<uint64_t, Seen> merged;
        for (uint32_t rank = 0; rank < world; ++rank) {
          StreamingReaderOptions o = base;
          o.rank = rank;
          o.world = world;
          StreamingReader reader(fixture_sources(), o);
          reader.start_epoch(2);
          for (const Seen& s : read_rank(reader)) {
            QVERIFY2(s.position % world == rank, "a rank read a position of another rank");
            QVERIFY2(merged.emplace(s.position, s).second, "two ranks read the same position");
          }
        }
        std::vector<Seen> global;
        for (const auto& [p, s] : merged) global.push_back(s);
        if (world == 1) {
          reference = global;
          QCOMPARE(reference.size() % nodes, size_t{0});
          QVERIFY(reference.size() >= 12 + 30);  // plain once + zstd 1.5 times
          continue;
        }
        QCOMPARE(global.size(), reference.size());
        for (size_t i = 0; i < global.size(); ++i) {
          QCOMPARE(global[i].position, uint64_t{i});
          QCOMPARE(global[i].stream, reference[i].stream);
          QCOMPARE(global[i].sample, reference[i].sample);
        }
      }
    }
  }

  void resumeMidEpochExactly() {
    StreamingReaderOptions base;
    base.shuffle.num_canonical_nodes = 4;
    base.shuffle.shuffle_block_size = 7;
    base.threads = 2;
    base.prefetch = 3;
    // The uninterrupted epoch, read by one rank.
    StreamingReader whole(fixture_sources(), base);
    whole.start_epoch(5);
    const std::vector<Seen> full = read_rank(whole);
    // 4 ranks read 3 samples each, lockstep, then stop; the state is saved as JSON.
    std::map<uint64_t, Seen> got;
    std::string saved;
    for (uint32_t rank = 0; rank < 4; ++rank) {
      StreamingReaderOptions o = base;
      o.rank = rank;
      o.world = 4;
      StreamingReader r(fixture_sources(), o);
      r.start_epoch(5);
      for (const Seen& s : read_rank(r, 3)) got.emplace(s.position, s);
      const std::string state = r.state().to_json();
      if (rank == 0) saved = state;
      QCOMPARE(QString::fromStdString(state), QString::fromStdString(saved));  // every rank agrees
    }
    const StreamingState state = StreamingState::from_json(saved);
    QCOMPARE(state.epoch, uint64_t{5});
    QCOMPARE(state.sample_in_epoch, uint64_t{12});
    // Resume on 3 ranks (a different world): together they read exactly the rest.
    for (uint32_t rank = 0; rank < 3; ++rank) {
      StreamingReaderOptions o = base;
      o.rank = rank;
      o.world = 3;
      StreamingReader r(fixture_sources(), o);
      r.resume(state);
      for (const Seen& s : read_rank(r)) QVERIFY2(got.emplace(s.position, s).second, "position read twice");
    }
    QCOMPARE(got.size(), full.size());
    size_t i = 0;
    for (const auto& [p, s] : got) {
      QCOMPARE(p, uint64_t{i});
      QCOMPARE(s.stream, full[i].stream);
      QCOMPARE(s.sample, full[i].sample);
      ++i;
    }
    // A state from another seed is refused.
    StreamingState other = state;
    other.shuffle_seed = 1;
    StreamingReader r(fixture_sources(), base);
    QVERIFY(error_of([&] { r.resume(other); }).find("seed") != std::string::npos);
    QVERIFY(!error_of([] { (void)StreamingState::from_json("{\"epoch\": -1}"); }).empty());
  }

  void damagedShardStopsTheReader() {
    QTemporaryDir tmp;
    const std::string dir = tmp.path().toStdString() + "/plain";
    fs::copy(data_dir() + "/plain", dir, fs::copy_options::recursive);
    {
      std::fstream f(dir + "/shard.00002.mds", std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(2000);
      f.put('\x7f');
    }
    StreamingReaderOptions o;
    o.shuffle.shuffle = false;
    StreamingReader reader({{dir, std::nullopt, std::nullopt, std::nullopt}}, o);
    reader.start_epoch(0);
    size_t read = 0;
    const std::string e = error_of([&] { read = read_rank(reader).size(); });
    QVERIFY2(e.find("shard.00002.mds") != std::string::npos && e.find("hash mismatch") != std::string::npos, e.c_str());
    // Unshuffled: shards 0 and 1 (4 samples) were read before the damaged one.
    QVERIFY(error_of([&] { (void)reader.next(); }).find("shard.00002.mds") != std::string::npos);
    QCOMPARE(reader.state().sample_in_epoch, uint64_t{4});
  }
};

QTEST_GUILESS_MAIN(TestStreamingReader)
#include "tst_streaming_reader.moc"
