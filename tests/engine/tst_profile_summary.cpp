// The profile summary of `tessera bench --profile` on events made up here, so that the device
// side (which no CI machine records) is checked too: device work is charged to the step phase
// whose host code launched it (through the launch's correlation, else the operator's), busy time
// is the union over streams, idle gaps go to the phase of the work that ended them, kernels are
// grouped by kind, and host operators get their self time.

#include "bench/profile_summary.h"

#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

namespace {

using tessera::bench::ProfileEvent;
using Kind = ProfileEvent::Kind;

ProfileEvent make_event(Kind kind, std::string name, int64_t start_us, int64_t duration_us, uint64_t thread = 1,
                   uint64_t correlation = 0, uint64_t linked = 0) {
  ProfileEvent e;
  e.kind = kind;
  e.name = std::move(name);
  e.start_ns = start_us * 1000;
  e.duration_ns = duration_us * 1000;
  e.thread = thread;
  e.correlation = correlation;
  e.linked = linked;
  return e;
}

const tessera::bench::ProfilePhase* phase(const tessera::bench::ProfileSummary& s, const std::string& name) {
  for (const auto& p : s.phases) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

// One step (times in microseconds): forward on the host [0, 100), backward [100, 300) whose
// launches come from another thread (the autograd engine's), optimizer [300, 350). On the
// device: the forward's GEMM [50, 150) on stream 7, its copy [120, 160) on stream 8 (overlapping),
// the backward's convolution [200, 400) after a 40 us gap, the optimizer's kernel [420, 440)
// after 20 us, found through its operator (no runtime event), and one kernel nobody launched.
std::vector<ProfileEvent> one_step() {
  return {
      make_event(Kind::Scope, "tessera.forward", 0, 100),
      make_event(Kind::HostOp, "aten::mm", 5, 30, 1, 501),
      make_event(Kind::Launch, "cudaLaunchKernel", 10, 5, 1, 1),
      make_event(Kind::Launch, "cudaMemcpyAsync", 20, 5, 1, 2),
      make_event(Kind::Scope, "tessera.backward", 100, 200),
      make_event(Kind::Launch, "cudaLaunchKernel", 150, 5, 2, 3),
      make_event(Kind::Scope, "tessera.optimizer", 300, 50),
      make_event(Kind::HostOp, "aten::_fused_adamw_", 310, 20, 1, 502),
      make_event(Kind::Kernel, "sm90_xmma_gemm_bf16bf16_bf16f32", 50, 100, 7, 1),
      make_event(Kind::Memcpy, "Memcpy HtoD (Pinned -> Device)", 120, 40, 8, 2),
      make_event(Kind::Kernel, "sm90_xmma_dgrad_implicit_gemm_bf16", 200, 200, 7, 3),
      make_event(Kind::Kernel, "void at::native::multi_tensor_apply_kernel<FusedAdamMathFunctor>", 420, 20, 7, 99, 502),
      make_event(Kind::Kernel, "void at::native::vectorized_elementwise_kernel<4, silu>", 440, 10, 7, 0, 0),
  };
}

}  // namespace

class TestProfileSummary : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void deviceWorkIsChargedToThePhaseThatLaunchedIt() {
    const auto s = tessera::bench::summarize_profile(one_step(), 1);
    QVERIFY(s.device);
    // Busy: [50, 160) + [200, 400) + [420, 450) = 110 + 200 + 30 us; span [50, 450) = 400 us.
    QCOMPARE(s.device_busy_ms, 0.340);
    QCOMPARE(s.device_span_ms, 0.400);
    QCOMPARE(s.device_events, 5.0);
    QCOMPARE(s.unattributed, 1.0);
    QCOMPARE(s.host_ms, 0.350);
    const auto* forward = phase(s, "forward");
    const auto* backward = phase(s, "backward");
    const auto* optimizer = phase(s, "optimizer");
    const auto* other = phase(s, "(other)");
    QVERIFY(forward && backward && optimizer && other);
    QCOMPARE(forward->host_ms, 0.100);
    QCOMPARE(forward->device_ms, 0.140);  // the GEMM and the copy
    QCOMPARE(forward->kernels, 2.0);
    QCOMPARE(forward->device_idle_ms, 0.0);
    QCOMPARE(backward->device_ms, 0.200);
    QCOMPARE(backward->device_idle_ms, 0.040);  // [160, 200)
    QCOMPARE(optimizer->device_ms, 0.020);
    QCOMPARE(optimizer->device_idle_ms, 0.020);  // [400, 420)
    QCOMPARE(other->device_ms, 0.010);
    // Phases in the order the step entered them; work outside every phase last.
    QCOMPARE(s.phases.size(), size_t{4});
    QCOMPARE(QString::fromStdString(s.phases.front().name), QString("forward"));
    QCOMPARE(QString::fromStdString(s.phases.back().name), QString("(other)"));
  }

  void perStepFiguresDivideByTheSteps() {
    auto events = one_step();
    auto second = one_step();
    for (auto& e : second) {
      e.start_ns += 1000 * 1000;
      if (e.correlation != 0) e.correlation += 1000;
      if (e.linked != 0) e.linked += 1000;
    }
    events.insert(events.end(), second.begin(), second.end());
    const auto s = tessera::bench::summarize_profile(events, 2);
    QCOMPARE(s.device_busy_ms, 0.340);
    QCOMPARE(s.device_events, 5.0);
    QCOMPARE(phase(s, "forward")->device_ms, 0.140);
    // The wait between the steps (from 450 us to the next step's first kernel at 1050 us) is idle
    // time before the forward pass: 600 us over 2 steps.
    QCOMPARE(phase(s, "forward")->device_idle_ms, 0.300);
    QCOMPARE(s.top.front().calls, 1.0);
  }

  void kernelsAreGroupedByKind() {
    const auto s = tessera::bench::summarize_profile(one_step(), 1);
    QStringList kinds;
    for (const auto& c : s.categories) kinds << QString::fromStdString(c.name);
    // By time: the convolution (200 us), the GEMM (100), the copy (40), the optimizer (20), the SiLU (10).
    QCOMPARE(kinds, (QStringList{"convolution", "matmul", "memcpy", "optimizer", "elementwise"}));
    QCOMPARE(QString::fromStdString(s.top.front().name), QString("sm90_xmma_dgrad_implicit_gemm_bf16"));
    QCOMPARE(s.top.front().ms, 0.200);

    using tessera::bench::kernel_category;
    QCOMPARE(kernel_category("sm90_xmma_fprop_implicit_gemm_bf16bf16_bf16f32_f32_nhwckrsc_nhwc"), std::string("convolution"));
    QCOMPARE(kernel_category("nvjet_tst_128x256_64x4_1x2_h_bz_coopA_TNN"), std::string("matmul"));
    QCOMPARE(kernel_category("void pytorch_flash::flash_bwd_dq_dk_dv_loop_seqk_parallel_kernel<Flash_bwd_kernel_traits>"),
             std::string("attention"));
    QCOMPARE(kernel_category("void at::native::(anonymous namespace)::RowwiseMomentsCUDAKernel<c10::BFloat16>"),
             std::string("normalization"));
    QCOMPARE(kernel_category("void at::native::reduce_kernel<512, 1, at::native::ReduceOp<float, at::native::NormTwoOps<float>>>"),
             std::string("reduction"));
    QCOMPARE(kernel_category("void at::native::unrolled_elementwise_kernel<at::native::direct_copy_kernel_cuda>"),
             std::string("copy / cast"));
    QCOMPARE(kernel_category("void cudnn::ops::nchwToNhwcKernel<__nv_bfloat16>"), std::string("copy / cast"));
    QCOMPARE(kernel_category("void at::native::vectorized_elementwise_kernel<4, at::native::CUDAFunctor_add<float>>"),
             std::string("elementwise"));
    QCOMPARE(kernel_category("void at::native::multi_tensor_apply_kernel<at::native::LpNormFunctor<float>>"),
             std::string("reduction"));
    QCOMPARE(kernel_category("void at::native::multi_tensor_apply_kernel<at::native::BinaryOpScalarFunctor<float>>"),
             std::string("elementwise"));
    QCOMPARE(kernel_category("void at::native::distribution_elementwise_grid_stride_kernel<normal_and_transform>"),
             std::string("elementwise"));
    QCOMPARE(kernel_category("ncclDevKernel_Broadcast_RING_LL(ncclDevKernelArgsStorage<4096ul>)"), std::string("communication"));
    QCOMPARE(kernel_category("something_else"), std::string("other"));
  }

  void hostOperatorsGetTheirSelfTime() {
    // No device events: the top rows are host operators by self time. aten::linear [0, 100) calls
    // aten::addmm [10, 70), which calls aten::copy_ [20, 30); another thread's aten::mm [0, 50).
    const std::vector<ProfileEvent> events{
        make_event(Kind::Scope, "tessera.forward", 0, 100),
        make_event(Kind::HostOp, "aten::linear", 0, 100),
        make_event(Kind::HostOp, "aten::addmm", 10, 60),
        make_event(Kind::HostOp, "aten::copy_", 20, 10),
        make_event(Kind::HostOp, "aten::mm", 0, 50, 2),
    };
    const auto s = tessera::bench::summarize_profile(events, 1);
    QVERIFY(!s.device);
    QVERIFY(s.categories.empty());
    std::map<std::string, double> self;
    for (const auto& r : s.top) self[r.name] = r.ms;
    QCOMPARE(self.size(), size_t{4});  // the scope is no operator
    QCOMPARE(self["aten::addmm"], 0.050);
    QCOMPARE(self["aten::mm"], 0.050);
    QCOMPARE(self["aten::linear"], 0.040);
    QCOMPARE(self["aten::copy_"], 0.010);
    QCOMPARE(phase(s, "forward")->host_ms, 0.100);
  }

  void textAndTrace() {
    const auto s = tessera::bench::summarize_profile(one_step(), 1);
    const QString text = QString::fromStdString(tessera::bench::format_profile(s, "title line"));
    for (const char* part : {"title line\n", "over 1 step;", "device busy 0.34 ms of a 0.40 ms span (idle 0.06 ms, 15.0 %)",
                             "(1 not linked to a launch)", "backward", "idle before ms", "convolution",
                             "sm90_xmma_dgrad_implicit_gemm_bf16"}) {
      QVERIFY2(text.contains(QLatin1String(part)), part);
    }
    const auto trace = nlohmann::json::parse(tessera::bench::profile_trace_json(one_step()));
    QCOMPARE(trace["traceEvents"].size(), one_step().size());
    const auto& gemm = trace["traceEvents"][8];
    QCOMPARE(gemm["name"].get<std::string>(), std::string("sm90_xmma_gemm_bf16bf16_bf16f32"));
    QCOMPARE(gemm["cat"].get<std::string>(), std::string("kernel"));
    QCOMPARE(gemm["ts"].get<double>(), 50.0);
    QCOMPARE(gemm["dur"].get<double>(), 100.0);
    QCOMPARE(gemm["pid"].get<std::string>(), std::string("device"));
  }

  void hostTimeOutsideThePhasesAndBrokenEvents() {
    // Host time between the phases shows as "(other)"; an event the profiler closed badly
    // (negative duration) counts as empty instead of making times negative.
    const std::vector<ProfileEvent> events{
        make_event(Kind::Scope, "tessera.forward", 0, 100),
        make_event(Kind::HostOp, "aten::linear", 10, 50),
        make_event(Kind::HostOp, "aten::broken", 20, -1000000),
        make_event(Kind::Scope, "tessera.optimizer", 150, 30),
        make_event(Kind::HostOp, "metrics", 190, 10),
        make_event(Kind::Kernel, "k", 30, -5, 7, 0, 0),
    };
    const auto s = tessera::bench::summarize_profile(events, 1);
    QCOMPARE(s.host_ms, 0.200);
    QCOMPARE(phase(s, "(other)")->host_ms, 0.070);  // 200 - 100 - 30
    QCOMPARE(phase(s, "(other)")->device_ms, 0.0);
    QCOMPARE(s.device_busy_ms, 0.0);
    QCOMPARE(s.categories.front().ms, 0.0);
  }

  void topKeepsTheBusiest() {
    std::vector<ProfileEvent> events;
    for (int i = 0; i < 40; ++i) events.push_back(make_event(Kind::Kernel, "k" + std::to_string(i), i * 100, i + 1, 7));
    const auto s = tessera::bench::summarize_profile(events, 1, 5);
    QCOMPARE(s.top.size(), size_t{5});
    QCOMPARE(QString::fromStdString(s.top.front().name), QString("k39"));
    QCOMPARE(QString::fromStdString(s.top.back().name), QString("k35"));
    QCOMPARE(s.unattributed, 40.0);
  }
};

QTEST_GUILESS_MAIN(TestProfileSummary)
#include "tst_profile_summary.moc"
