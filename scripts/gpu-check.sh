#!/usr/bin/env bash
# The engine on a CUDA GPU, in one go (issue 9): builds the engine, the `tessera` CLI and the GPU
# test suite against the CUDA LibTorch of this machine's python3 torch (no Qt GUI, no remote),
# runs tst_cuda_kernels (the engine's own kernels, compiled by NVRTC, against their CPU run and
# LibTorch, and in training) and tst_cuda (the golden diffusers/transformers comparisons on the
# device, fused attention, low precision, generation and training on the device, one host wait per
# training step, the NCCL process group as a group of one), then
# the GPU benchmarks: the full-size SD2-base UNet training step at 256 and 512 px (images/s, MFU)
# and a 20-step 512 px generation (also with the UNet replayed from a CUDA graph), then a profile of two 256 px steps (`tessera bench --profile`:
# host and device time per phase of the step, device idle time, device work by kind, the top
# kernels), the steps with their passes replayed from a CUDA graph (trainer.cuda_graph), an NCCL
# group of one (with and without the graph), twice the batch sizes, and comparison runs
# (op-sequence AdamW, NCHW, cuDNN attention).
# When the 256 px step crashes, short steps that each change one suspect follow (fp32, batch 1,
# no cuDNN autotuning, no flat parameter buffers, no fused attention) and summary.txt says which
# of them ran: the knobs TESSERA_CUDNN_BENCHMARK=0 and TESSERA_SDPA=0 are the engine's own. The
# first knob with which the step runs is then used for the remaining training measurements, and
# their labels name it.
#
#   scripts/gpu-check.sh OUT_DIR
#
# Everything it finds goes to OUT_DIR: summary.txt (the table at the end), machine.txt,
# build.log.gz, tst_cuda.txt (both suites), bench.jsonl (one `tessera bench --json` object per line),
# bench.log, gpu-monitor.csv (nvidia-smi every 200 ms), profile-256px.trace.json.gz (the
# profile's Chrome trace, for ui.perfetto.dev). At most 8 files, so a lent machine can send them
# all back.
#
# Environment:
#   TESSERA_DEPS_DEBS     folder of Debian .deb files (apt-get download) of the engine's libraries
#                         and Qt Core/Test, for machines that lack their -dev packages; they are
#                         unpacked under /tmp/tessera-deps, nothing is installed.
#                         scripts/gpu-carry.sh makes it (and a copy of the golden data) here
#   TESSERA_GOLDEN_DIR    golden reference tensors (default ../shared/golden)
#   TESSERA_GPU_BUDGET    seconds the whole script may take (default 480); each step gets what is left
#   TORCH_CMAKE_PREFIX    LibTorch's CMake folder (default: python3 -c 'import torch; ...')
#   TESSERA_GPU_TARGETS   what to build (default: tessera tst_cuda tst_cuda_kernels)
#   TESSERA_BATCH_256 / TESSERA_BATCH_512   training-step batch sizes (default 64 / 16)
#   TESSERA_GPU_QUICK     set: only the two training benchmarks, each also with the CUDA graph and
#                         with the graph and the engine's fused kernels, the profile and the generation
#                         with the CUDA graph, no crash diagnosis (a short lease: with
#                         TESSERA_GPU_BUDGET=540; the build and the two plain benchmarks took 143 s on
#                         the H200 in session 19, tst_cuda about 45 s then, each other training row
#                         adds about 40 s; rows that no longer fit are skipped, the profile and the
#                         generation first)
#   TESSERA_GPU_BUILD_ONLY  set: stop after the build (for a follow-up script of one's own)
set -uo pipefail

if [[ $# -ne 1 || "$1" == -* ]]; then
  sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'
  exit 2
fi
OUT=$(realpath -m "$1")
mkdir -p "$OUT"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${TESSERA_GPU_BUILD_DIR:-$ROOT/build-gpu}
GOLDEN=${TESSERA_GOLDEN_DIR:-$ROOT/../shared/golden}
BUDGET=${TESSERA_GPU_BUDGET:-480}
TARGETS=${TESSERA_GPU_TARGETS:-tessera tst_cuda tst_cuda_kernels}
JOBS=$(nproc)
SUMMARY=$OUT/summary.txt
: >"$SUMMARY"

say() { printf '[%4ds] %s\n' "$SECONDS" "$*" | tee -a "$SUMMARY"; }
left() { echo $((BUDGET - SECONDS)); }
# Runs a step bounded by what is left of the budget, minus `reserve` seconds kept for later steps
# (the steps come in the order of their worth, their reserves falling), skipped when that leaves
# under MIN_STEP_S seconds (default 10).
bounded() {
  local reserve=$1
  shift
  local t=$(($(left) - reserve))
  if ((t < ${MIN_STEP_S:-10})); then
    say "skipped (no time left): $*"
    return 124
  fi
  timeout --signal=TERM --kill-after=10 "$t" "$@"
}

# ---- 0. the machine -------------------------------------------------------------------------
nvcc_path() {
  command -v nvcc && return
  local f
  for f in /usr/local/cuda*/bin/nvcc; do [[ -x "$f" ]] && { echo "$f"; return; }; done
  python3 -c 'import nvidia.cuda_nvcc, os; print("python package", os.path.dirname(nvidia.cuda_nvcc.__file__))' 2>/dev/null && return
  echo none
}
{
  echo "date: $(date -u +%FT%TZ)"
  grep -E '^(PRETTY_NAME)=' /etc/os-release 2>/dev/null
  echo "kernel: $(uname -r), $(nproc) CPUs"
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv 2>&1
  nvidia-smi -L 2>&1
  echo "gcc: $(gcc --version 2>&1 | head -1)"
  echo "cmake: $(cmake --version 2>&1 | head -1), ninja $(ninja --version 2>&1)"
  echo "glibc: $(ldd --version 2>&1 | head -1)"
  python3 -c 'import torch; print("python torch", torch.__version__, "cuda", torch.version.cuda, "cudnn", torch.backends.cudnn.version())' 2>&1
  # The engine's own kernels are compiled by NVRTC at run time (`tessera version` below names the
  # one it finds); whether there is also a CUDA compiler, for kernels built ahead of time.
  echo "nvcc: $(nvcc_path)"
  echo "nvrtc: $(find "$(python3 -c 'import torch, os; print(os.path.dirname(os.path.dirname(torch.__file__)))' 2>/dev/null)/nvidia" \
    /usr/local/cuda*/lib64 -name 'libnvrtc*.so*' 2>/dev/null | head -4 | tr '\n' ' ')"
} >"$OUT/machine.txt"
say "machine: $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null | head -1), $(grep -h PRETTY_NAME /etc/os-release 2>/dev/null | cut -d= -f2)"

# ---- 1. libraries ---------------------------------------------------------------------------
EXTRA_PREFIX=""
if [[ -n "${TESSERA_DEPS_DEBS:-}" ]]; then
  DEPS=/tmp/tessera-deps
  rm -rf "$DEPS" && mkdir -p "$DEPS"
  unpack() {
    if command -v dpkg-deb >/dev/null; then
      dpkg-deb -x "$1" "$2"
    else
      (tmp=$(mktemp -d) && cd "$tmp" && ar x "$1" && tar -xf data.tar.* -C "$2" && rm -rf "$tmp")
    fi
  }
  export -f unpack
  printf '%s\0' "$TESSERA_DEPS_DEBS"/*.deb | xargs -0 -P "$JOBS" -I{} bash -c 'unpack "$1" "$2"' _ {} "$DEPS"
  # Absolute symbolic links and pkg-config prefixes point into the unpacked tree instead of /.
  while IFS= read -r link; do
    target=$(readlink "$link")
    [[ -e "$DEPS$target" ]] && ln -sfn "$DEPS$target" "$link"
  done < <(find "$DEPS" -type l -lname '/*')
  find "$DEPS" -name '*.pc' -exec sed -E -i "s#^([A-Za-z_]+ ?= ?)/usr#\1$DEPS/usr#" {} +
  # At run time only the libraries this machine lacks come from the unpacked tree, so that the
  # machine's own programs (compiler, cmake, python) keep their own versions.
  mkdir -p "$DEPS/rt"
  known=$(ldconfig -p 2>/dev/null | awk '{print $1}')
  for lib in "$DEPS"/usr/lib/x86_64-linux-gnu/lib*.so.* "$DEPS"/lib/x86_64-linux-gnu/lib*.so.*; do
    [[ -f "$lib" ]] || continue
    soname=$(readelf -d "$lib" 2>/dev/null | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
    [[ -n "$soname" && ! -e "$DEPS/rt/$soname" ]] || continue
    grep -qxF "$soname" <<<"$known" || ln -s "$lib" "$DEPS/rt/$soname"
  done
  export LD_LIBRARY_PATH="$DEPS/rt${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export PKG_CONFIG_PATH="$DEPS/usr/lib/x86_64-linux-gnu/pkgconfig:$DEPS/usr/share/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
  command -v pkg-config >/dev/null || export PATH="$PATH:$DEPS/usr/bin"
  EXTRA_PREFIX=";$DEPS/usr;$DEPS"
  say "libraries: $(ls "$TESSERA_DEPS_DEBS"/*.deb | wc -l) packages unpacked; $(ls "$DEPS/rt" | wc -l) libraries this machine lacks come from them"
fi

# ---- 2. configure ---------------------------------------------------------------------------
TORCH_CMAKE=${TORCH_CMAKE_PREFIX:-$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)' 2>/dev/null)}
TORCH_LIB=$(python3 -c 'import torch, os; print(os.path.join(os.path.dirname(torch.__file__), "lib"))' 2>/dev/null)
CXXFLAGS_EXTRA=""
# nccl.h comes with the nvidia-nccl wheel, beside torch in site-packages.
NCCL_H=$(find "$(dirname "$(dirname "$TORCH_LIB")")/nvidia" /usr/include /usr/local/cuda/include -name nccl.h -not -path '*/torch/csrc/*' 2>/dev/null | head -1)
[[ -n "$NCCL_H" ]] && CXXFLAGS_EXTRA+=" -isystem $(dirname "$NCCL_H")"
say "nccl.h: ${NCCL_H:-not found (the NCCL process group is left out)}"
# CUDA's runtime headers (CUDA graphs and the sync-debug checks are built behind
# __has_include(<cuda_runtime_api.h>)): the toolkit's, else the nvidia wheels' beside torch. CUDA
# 13 keeps CCCL (nv/target, which cuda_fp16.h includes) in include/cccl, where only nvcc looks by
# itself.
CUDA_H=""
for cuda in /usr/local/cuda/include /usr/local/cuda/targets/x86_64-linux/include \
  $(find "$(dirname "$(dirname "$TORCH_LIB")")/nvidia" -name cuda_runtime_api.h -printf '%h\n' 2>/dev/null | head -1); do
  if [[ -f "$cuda/cuda_runtime_api.h" ]]; then
    CUDA_H=$cuda
    CXXFLAGS_EXTRA+=" -isystem $cuda"
    [[ -d "$cuda/cccl" ]] && CXXFLAGS_EXTRA+=" -isystem $cuda/cccl"
    break
  fi
done
say "cuda_runtime_api.h: ${CUDA_H:-not found (no CUDA graphs, no sync-debug checks)}"
[[ -d /usr/local/cuda/bin ]] && export PATH="/usr/local/cuda/bin:$PATH"
export TORCH_CUDA_ARCH_LIST=${TORCH_CUDA_ARCH_LIST:-9.0}

configure() {
  local tests=$1
  shift
  bounded "${TESSERA_GPU_CONFIGURE_RESERVE:-$( [[ -n "${TESSERA_GPU_QUICK:-}" ]] && echo 150 || echo 200)}" cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DTESSERA_BUILD_GUI=OFF -DTESSERA_BUILD_REMOTE=OFF -DTESSERA_BUILD_TESTS="$tests" -DTESSERA_USE_CCACHE=OFF \
    -DCMAKE_PREFIX_PATH="$TORCH_CMAKE$EXTRA_PREFIX" -DTESSERA_GOLDEN_DIR="$GOLDEN" \
    -DCMAKE_CXX_FLAGS="$CXXFLAGS_EXTRA" "$@" >>"$OUT/build.log" 2>&1
}
say "configure: LibTorch CMake folder ${TORCH_CMAKE:-not found}"
if ! configure ON; then
  say "configure with the test suite failed (Qt 6 Core/Test missing?); trying the engine and CLI alone"
  grep -E "CMake Error|Could not find|not found" "$OUT/build.log" | head -5 | tee -a "$SUMMARY"
  rm -rf "$BUILD"
  configure OFF || { say "configure failed: see build.log"; TARGETS=""; }
  TARGETS=$(tr ' ' '\n' <<<"$TARGETS" | grep -v '^tst_' | tr '\n' ' ')
fi
grep -E "Tessera [0-9.]+:|Found CUDA|Torch" "$OUT/build.log" | grep -v "^--.*Looking" | head -4 >>"$SUMMARY"
grep -A3 "TESSERA_STDCXX_FIRST:" "$OUT/build.log" | head -4 >>"$SUMMARY"

# ---- 3. build -------------------------------------------------------------------------------
build() { bounded "${TESSERA_GPU_BUILD_RESERVE:-$( [[ -n "${TESSERA_GPU_QUICK:-}" ]] && echo 60 || echo 150)}" ninja -C "$BUILD" -j"$JOBS" -k 0 $TARGETS >>"$OUT/build.log" 2>&1; }
if [[ -n "$TARGETS" ]]; then
  build_start=$SECONDS
  if ! build; then
    if grep -q "distributed.cpp" <(grep -A3 "^FAILED" "$OUT/build.log") && grep -qi "nccl" "$OUT/build.log"; then
      say "the NCCL process group does not compile here; rebuilding without it (TESSERA_WITHOUT_NCCL)"
      configure "$(grep -q tst_cuda <<<"$TARGETS" && echo ON || echo OFF)" -DTESSERA_WITHOUT_NCCL=ON && build
    fi
  fi
  for t in $TARGETS; do
    if [[ -x "$BUILD/bin/$t" ]]; then say "built $t"; else say "NOT built: $t"; fi
  done
  say "build took $((SECONDS - build_start)) s on $JOBS cores"
  grep -E "error:|^FAILED" "$OUT/build.log" | head -20 | tee -a "$SUMMARY"
fi
gzip -f "$OUT/build.log"
if [[ -n "${TESSERA_GPU_BUILD_ONLY:-}" ]]; then
  say "TESSERA_GPU_BUILD_ONLY: stopping after the build"
  exit 0
fi

if ! nvidia-smi -L >/dev/null 2>&1; then
  say "no GPU here: stopping after the build"
  exit 0
fi
export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$TORCH_LIB"

# Which library serves the CLI's C++ standard-library symbols: PyTorch's wheels export copies of
# parts of libstdc++ (pytorch/pytorch#133437; core/remove_tree.h). The dynamic linker's own
# account, every symbol bound at start (LD_BIND_NOW), counted by the library that serves it.
if [[ -x "$BUILD/bin/tessera" ]]; then
  say "the CLI's first libraries: $(readelf -d "$BUILD/bin/tessera" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | head -6 | tr '\n' ' ')"
  # Only the CLI's own bindings are kept (the whole account is tens of MB).
  bind_dir=$(mktemp -d)
  LD_BIND_NOW=1 LD_DEBUG=bindings LD_DEBUG_OUTPUT="$bind_dir/b" timeout 60 "$BUILD/bin/tessera" --version >/dev/null 2>&1
  std_symbol="symbol \`_Z(NK?|T[VIS]N?)?S[tios]"
  cat "$bind_dir"/b.* 2>/dev/null | grep -E "binding file [^ ]*/bin/tessera \[0\] to .*$std_symbol" >"$bind_dir/std"
  rm -f "$bind_dir"/b.*
  say "its std:: symbols are served by: $(sed -E 's/.* to ([^ ]*) .*/\1/' "$bind_dir/std" | sort | uniq -c | sort -rn |
    awk '{printf "%s %s; ", $1, $2}')"
  grep -E " to [^ ]*libtorch[^ ]* " "$bind_dir/std" | sed -E "s/.*symbol \`([^']*)'.*/  from LibTorch: \1/" | head -5 | tee -a "$SUMMARY"
  rm -rf "$bind_dir"
  # The devices as the engine sees them, and the NVRTC its own kernels compile with.
  say "tessera version: $(timeout 60 "$BUILD/bin/tessera" version 2>&1 | tr -s ' ' | tr '\n' ';' | cut -c1-600)"
fi

# ---- 4. GPU monitor and tests ---------------------------------------------------------------
nvidia-smi --query-gpu=timestamp,memory.used,utilization.gpu,clocks.sm,power.draw --format=csv,nounits -lms 200 \
  >"$OUT/gpu-monitor.csv" 2>/dev/null &
MONITOR=$!
trap 'kill $MONITOR 2>/dev/null' EXIT

# The engine's own kernels first (the shorter suite, and the one a missing NVRTC would fail), then
# the rest; both into tst_cuda.txt.
: >"$OUT/tst_cuda.txt"
for suite in tst_cuda_kernels tst_cuda; do
  [[ -x "$BUILD/bin/$suite" ]] || continue
  say "$suite ..."
  TESSERA_GOLDEN_DIR="$GOLDEN" bounded "$([[ $suite == tst_cuda ]] && echo 200 || echo 230)" "$BUILD/bin/$suite" \
    -o "$OUT/.suite.txt,txt" >/dev/null 2>&1
  rc=$?
  cat "$OUT/.suite.txt" >>"$OUT/tst_cuda.txt" 2>/dev/null
  say "$suite exit $rc: $(grep -E '^Totals' "$OUT/.suite.txt" 2>/dev/null)"
  grep -E '^(FAIL|SKIP)|QINFO.*(relative|differ|fused|device|host waits|CUDA graph)' "$OUT/.suite.txt" 2>/dev/null | cut -c1-220 | tee -a "$SUMMARY"
  # A kernel of the engine's own that did not build: NVRTC's log follows the failure's line.
  grep -A8 -m1 'could not be built' "$OUT/.suite.txt" 2>/dev/null | cut -c1-200 | tee -a "$SUMMARY"
  rm -f "$OUT/.suite.txt"
done

# ---- 5. benchmarks --------------------------------------------------------------------------
touch "$OUT/bench.log"
TESSERA=$BUILD/bin/tessera
bench() {  # bench RESERVE LABEL ARGS...: one `tessera bench ... --json` line into bench.jsonl
  local reserve=$1 label=$2
  shift 2
  say "bench $label: tessera bench $*"
  local line rc
  # A model benchmark spends its first ~25 s in setup and cuDNN's autotuning: less is no result
  # (a full-size training step, 35-45 s in all, asks for 45).
  MIN_STEP_S=${MIN_STEP_S:-30} bounded "$reserve" "$TESSERA" bench "$@" --json 2>>"$OUT/bench.log" >"$OUT/.bench-out"
  rc=$?
  line=$(tail -1 "$OUT/.bench-out")
  rm -f "$OUT/.bench-out"
  if [[ -n "$line" && "$line" == "{"* ]]; then
    # A result whose process then died is kept (its note says so) and the exit status recorded.
    echo "{\"label\":\"$label\",\"start_s\":$SECONDS,\"exit\":$rc,\"run\":$line}" >>"$OUT/bench.jsonl"
    ((rc == 0)) || say "  measured, but the command then failed (exit $rc): $(tail -1 "$OUT/bench.log" | cut -c1-200)"
    return 0
  fi
  say "  failed (exit $rc): $(tail -2 "$OUT/bench.log" | tr '\n' ' ' | cut -c1-300)"
  return 1
}
# Training step, SD2-base, precomputed latents, bf16 autocast (the reference recipe's setting).
train_bench() {  # RESERVE RES BATCH [extra]
  local reserve=$1 res=$2 batch=$3
  shift 3
  local log_start
  log_start=$(($(wc -l <"$OUT/bench.log" 2>/dev/null || echo 0) + 1))
  MIN_STEP_S=45 bench "$reserve" "train-${res}px-b${batch}$*${LABEL_SUFFIX:-}" train-step --device cuda --precision amp_bf16 --resolution "$res" \
    --batch "$batch" --repeat 10 --warmup 3 "$@" && return 0
  [[ -z "${NO_HALVING:-}" ]] && tail -n +"$log_start" "$OUT/bench.log" | grep -qi "out of memory" && ((batch > 1)) &&
    MIN_STEP_S=45 bench "$reserve" "train-${res}px-b$((batch / 2))$*${LABEL_SUFFIX:-}" train-step --device cuda --precision amp_bf16 --resolution "$res" \
      --batch $((batch / 2)) --repeat 10 --warmup 3 "$@"
}
# When the full-size step fails: the CLI's own backtrace of the crashing thread (written to
# bench.log by cli/crash_report.cpp), then one short step per suspect, each changing one thing,
# so that one run tells them apart: precision, batch size, cuDNN autotuning, the optimizer's
# flat buffers, fused attention. cuda-gdb last, bounded: in session 14 it used up the lease.
diagnose_crash() {
  say "the CLI's backtrace of the crash:"
  # backtrace_symbols_fd lines: "/path/lib.so(symbol+0xoff) [0xaddr]", 40 after the first crash.
  sed -n '/^tessera: fatal signal/,$p' "$OUT/bench.log" | head -40 | cut -c1-240 | tee -a "$SUMMARY"
  local b=${TESSERA_BATCH_256:-64}
  local quick=(train-step --device cuda --resolution 256 --repeat 1 --warmup 1)
  # Reserves of 220..140 s: the 512 px step and generation after them keep their time.
  bench 220 "suspect-fp32-b1" "${quick[@]}" --precision fp32 --batch 1 && say "  fp32, batch 1: ran"
  bench 200 "suspect-bf16-b1" "${quick[@]}" --precision amp_bf16 --batch 1 && say "  bf16, batch 1: ran"
  # The first knob with which the full-size step runs becomes the workaround that the 256 and
  # 512 px measurements below use, so that a lease with a crash still measures the throughput.
  if TESSERA_CUDNN_BENCHMARK=0 bench 180 "suspect-bf16-b$b-no-cudnn-autotune" "${quick[@]}" --precision amp_bf16 --batch "$b"; then
    say "  without cuDNN autotuning: ran"
    [[ -z "$WORKAROUND" ]] && WORKAROUND="TESSERA_CUDNN_BENCHMARK=0"
  fi
  if bench 160 "suspect-bf16-b$b-foreach" "${quick[@]}" --precision amp_bf16 --batch "$b" --optimizer foreach; then
    say "  without the flat parameter buffers: ran"
    [[ -z "$WORKAROUND" ]] && WORKAROUND="--optimizer foreach"
  fi
  if TESSERA_SDPA=0 bench 140 "suspect-bf16-b$b-sliced-attention" "${quick[@]}" --precision amp_bf16 --batch "$b"; then
    say "  with the sliced attention instead of the fused kernel: ran"
    [[ -z "$WORKAROUND" ]] && WORKAROUND="TESSERA_SDPA=0"
  fi
  say "workaround for the measurements below: ${WORKAROUND:-none found}"
}
# train_bench with the workaround diagnose_crash found (an environment knob or a CLI option).
train_bench_with_workaround() {  # RESERVE RES BATCH [extra]
  case "$WORKAROUND" in
    "") train_bench "$@" ;;
    --*) train_bench "$@" $WORKAROUND ;;
    *) (export "$WORKAROUND" && LABEL_SUFFIX="${LABEL_SUFFIX:-}-$WORKAROUND" && train_bench "$@") ;;
  esac
}
backtrace_gdb() {
  command -v cuda-gdb >/dev/null || return 0
  say "backtrace of the crash (cuda-gdb, at most 120 s):"
  bounded 5 timeout -k 10 120 cuda-gdb -q -batch -ex "set pagination off" -ex run -ex "thread apply all bt 25" --args "$TESSERA" \
    bench train-step --child --repeat 1 --warmup 0 --device cuda --precision amp_bf16 --resolution 256 --batch 64 \
    >>"$OUT/bench.log" 2>&1
  grep -E "^#[0-9]+ |signal|SIG" "$OUT/bench.log" | head -40 | cut -c1-200 | tee -a "$SUMMARY"
}
# Where the step's time goes: `tessera bench --profile` (PyTorch's profiler, in the process: no
# Nsight needed) over two 256 px steps after two warm-up steps (cuDNN's autotuning included, so
# the measured kernels are the ones the benchmark uses). Its table — host and device time per
# phase of the step, device idle time, device work by kind, the top kernels — goes into
# summary.txt, the Chrome trace into profile-256px.trace.json.gz. The profiler slows the host, so
# its step time is not a measurement: the device's busy time per step is.
step_profile() {  # RESERVE [--cuda-graph]
  # The table and the raw trace are written outside OUT (which may hold 8 files), then copied (the
  # trace of the op-by-op steps only).
  local reserve=$1 tmp
  shift
  tmp=$(mktemp -d)
  local file="$tmp/profile-256px.txt"
  say "profile (tessera bench --profile $*), 256 px batch ${TESSERA_BATCH_256:-64}, 2 steps after the warm-up steps:"
  MIN_STEP_S=40 bounded "$reserve" "$TESSERA" bench train-step --child --device cuda --precision amp_bf16 --resolution 256 \
    --batch "${TESSERA_BATCH_256:-64}" --repeat 2 --warmup 2 --profile "$file" "$@" >/dev/null 2>>"$OUT/bench.log"
  if [[ -s "$file" ]]; then
    sed 's/^/  /' "$file" | cut -c1-220 | tee -a "$SUMMARY"
    if [[ -s "$file.trace.json" && $# -eq 0 ]]; then
      gzip -c "$file.trace.json" >"$OUT/profile-256px.trace.json.gz"
      (($(stat -c %s "$OUT/profile-256px.trace.json.gz") < 15000000)) || { rm -f "$OUT/profile-256px.trace.json.gz"; say "  (trace over 15 MB compressed: not kept)"; }
    fi
    [[ $# -eq 0 ]] && grep -q "no device kernels were recorded" "$file" && kernel_profile_nsys "$reserve"
  else
    say "  no profile: $(tail -2 "$OUT/bench.log" | tr '\n' ' ' | cut -c1-300)"
  fi
  rm -rf "$tmp"
}
# Nsight Systems' kernel summary of a few 256 px steps, where this LibTorch's profiler records no
# device kernels (built without Kineto) and nsys is installed.
kernel_profile_nsys() {  # RESERVE
  local reserve=$1 nsys
  nsys=$(command -v nsys || ls /usr/local/cuda/bin/nsys /opt/nvidia/nsight-systems/*/bin/nsys 2>/dev/null | head -1)
  [[ -n "$nsys" && -x "$nsys" ]] || { say "no nsys here: no kernel profile"; return 0; }
  say "kernel profile (nsys), 256 px batch ${TESSERA_BATCH_256:-64}, 4 steps without cuDNN autotuning:"
  TESSERA_CUDNN_BENCHMARK=0 bounded $((reserve + 40)) "$nsys" profile -o "$OUT/.profile" --force-overwrite true -t cuda --sample=none \
    --cpuctxsw=none "$TESSERA" bench train-step --child --device cuda --precision amp_bf16 --resolution 256 \
    --batch "${TESSERA_BATCH_256:-64}" --repeat 3 --warmup 1 >>"$OUT/bench.log" 2>&1
  if [[ -f "$OUT/.profile.nsys-rep" ]]; then
    bounded "$reserve" "$nsys" stats --report cuda_gpu_kern_sum --format csv "$OUT/.profile.nsys-rep" 2>/dev/null |
      python3 -c '
import csv, sys
rows = [r for r in csv.reader(l for l in sys.stdin if l.count(",") > 4)]
if len(rows) < 2:
    sys.exit("  nsys stats gave no kernel summary")
head, rows = rows[0], rows[1:]
t, n, name = head.index("Total Time (ns)"), head.index("Instances"), head.index("Name")
total = sum(float(r[t]) for r in rows)
print(f"  kernels: {total / 1e9:.3f} s of GPU time in {sum(int(r[n]) for r in rows)} launches")
for r in rows[:25]:
    print(f"  {100 * float(r[t]) / total:5.1f}% {int(r[n]):6d}x  {r[name][:150]}")
 ' 2>&1 | tee -a "$SUMMARY"
  fi
  rm -f "$OUT"/.profile.*
}
if [[ -x "$TESSERA" ]]; then
  crashed=""
  WORKAROUND=""
  if [[ -n "${TESSERA_GPU_QUICK:-}" ]]; then
    # The two measurements, each with the CUDA graph too, and the profile, for a short lease:
    # reserves that fit ~4 minutes.
    log_lines=$(wc -l <"$OUT/bench.log")
    if ! train_bench 50 256 "${TESSERA_BATCH_256:-64}" && tail -n +$((log_lines + 1)) "$OUT/bench.log" | grep -q "fatal signal"; then
      crashed=1
      sed -n '/^tessera: fatal signal/,$p' "$OUT/bench.log" | head -12 | cut -c1-240 | tee -a "$SUMMARY"
    fi
    [[ -z "$crashed" ]] && NO_HALVING=1 train_bench 110 256 "${TESSERA_BATCH_256:-64}" --cuda-graph
    # The same with the engine's own kernels: channels-last GroupNorm+SiLU (models/group_norm_nhwc.h)
    # and GEGLU (models/fused_geglu.h).
    [[ -z "$crashed" ]] && (export TESSERA_FUSED_GROUP_NORM=1 TESSERA_FUSED_GEGLU=1 && LABEL_SUFFIX="-fused-kernels" &&
      NO_HALVING=1 train_bench 100 256 "${TESSERA_BATCH_256:-64}" --cuda-graph)
    train_bench 70 512 "${TESSERA_BATCH_512:-16}"
    [[ -z "$crashed" ]] && NO_HALVING=1 train_bench 40 512 "${TESSERA_BATCH_512:-16}" --cuda-graph
    [[ -z "$crashed" ]] && (export TESSERA_FUSED_GROUP_NORM=1 TESSERA_FUSED_GEGLU=1 && LABEL_SUFFIX="-fused-kernels" &&
      NO_HALVING=1 train_bench 30 512 "${TESSERA_BATCH_512:-16}" --cuda-graph)
    [[ -z "$crashed" ]] && step_profile 15
    bench 0 "generate-512px-fp16-cuda-graph" generate --device cuda --precision fp16 --repeat 3 --warmup 1 --cuda-graph
  else
    # The tiny model first: seconds, and it tells the benchmark's path apart from the model's size.
    bench 200 "train-tiny-b8" train-step --tiny --device cuda --precision amp_bf16 --repeat 5 --warmup 2
    # A crash of this step (not an out-of-memory error, a skip for lack of time, or an earlier
    # step's crash in the log) is looked into at once.
    log_lines=$(wc -l <"$OUT/bench.log" 2>/dev/null || echo 0)
    if ! train_bench 150 256 "${TESSERA_BATCH_256:-64}" && tail -n +$((log_lines + 1)) "$OUT/bench.log" | grep -q "fatal signal"; then
      crashed=1
      diagnose_crash
      [[ -n "$WORKAROUND" ]] && train_bench_with_workaround 120 256 "${TESSERA_BATCH_256:-64}"
    fi
    train_bench_with_workaround 100 512 "${TESSERA_BATCH_512:-16}"
  fi
  if [[ -z "${TESSERA_GPU_QUICK:-}" ]]; then
    # The profile before the generation: sessions 14-19 measured the generation already.
    [[ -z "$crashed" ]] && step_profile 110
    # The same steps with their forward and backward passes replayed from a CUDA graph
    # (trainer.cuda_graph, training/step_graph.h): what the host's launching costs.
    [[ -z "$crashed" ]] && NO_HALVING=1 train_bench_with_workaround 90 256 "${TESSERA_BATCH_256:-64}" --cuda-graph
    [[ -z "$crashed" ]] && NO_HALVING=1 train_bench_with_workaround 75 512 "${TESSERA_BATCH_512:-16}" --cuda-graph
    # The engine's own kernels: channels-last GroupNorm+SiLU (models/group_norm_nhwc.h; LibTorch's
    # CUDA group_norm copies channels-last activations to NCHW and back) and GEGLU
    # (models/fused_geglu.h), together op by op and with the graph, then each alone with the graph.
    [[ -z "$crashed" ]] && (export TESSERA_FUSED_GROUP_NORM=1 TESSERA_FUSED_GEGLU=1 && LABEL_SUFFIX="-fused-kernels" &&
      NO_HALVING=1 train_bench_with_workaround 74 256 "${TESSERA_BATCH_256:-64}")
    [[ -z "$crashed" ]] && (export TESSERA_FUSED_GROUP_NORM=1 TESSERA_FUSED_GEGLU=1 && LABEL_SUFFIX="-fused-kernels" &&
      NO_HALVING=1 train_bench_with_workaround 72 256 "${TESSERA_BATCH_256:-64}" --cuda-graph)
    [[ -z "$crashed" ]] && (export TESSERA_FUSED_GROUP_NORM=1 TESSERA_FUSED_GEGLU=1 && LABEL_SUFFIX="-fused-kernels" &&
      NO_HALVING=1 train_bench_with_workaround 70 512 "${TESSERA_BATCH_512:-16}" --cuda-graph)
    [[ -z "$crashed" ]] && (export TESSERA_FUSED_GROUP_NORM=1 && LABEL_SUFFIX="-fused-group-norm" &&
      NO_HALVING=1 train_bench_with_workaround 68 256 "${TESSERA_BATCH_256:-64}" --cuda-graph)
    [[ -z "$crashed" ]] && (export TESSERA_FUSED_GEGLU=1 && LABEL_SUFFIX="-fused-geglu" &&
      NO_HALVING=1 train_bench_with_workaround 66 256 "${TESSERA_BATCH_256:-64}" --cuda-graph)
    # Where the replayed step's time goes (the replay's kernels fall in its tessera.graph phase).
    [[ -z "$crashed" ]] && step_profile 65 --cuda-graph
    bench 60 "generate-512px-fp16" generate --device cuda --precision fp16 --repeat 3 --warmup 1
    # The same with the UNet's calls replayed from a CUDA graph (pipeline/unet_graph.h).
    bench 55 "generate-512px-fp16-cuda-graph" generate --device cuda --precision fp16 --repeat 3 --warmup 1 --cuda-graph
    # The data-parallel path's own cost on one GPU: the step in an NCCL group of one (gradient
    # buckets reduced in place in the flat gradient buffer; training/distributed.cpp), op by op
    # and with the CUDA graph (the buckets reduced after the replay).
    (export TESSERA_PROCESS_GROUP_FOR_ONE_RANK=1 MASTER_ADDR=127.0.0.1 MASTER_PORT=$((29000 + RANDOM % 1000)) &&
      LABEL_SUFFIX="-nccl-group-of-one" && train_bench_with_workaround 50 256 "${TESSERA_BATCH_256:-64}")
    [[ -z "$crashed" ]] && (export TESSERA_PROCESS_GROUP_FOR_ONE_RANK=1 MASTER_ADDR=127.0.0.1 MASTER_PORT=$((30000 + RANDOM % 1000)) &&
      LABEL_SUFFIX="-nccl-group-of-one" && NO_HALVING=1 train_bench_with_workaround 40 256 "${TESSERA_BATCH_256:-64}" --cuda-graph)
    # Twice the batch: on the H200 (session 19) batch 128 gave 18 % more images/s at 256 px than 64,
    # a per-step cost that does not grow with the batch.
    # (An out-of-memory error there is the answer: no retry at the batch already measured.)
    NO_HALVING=1 train_bench_with_workaround 30 256 $((2 * ${TESSERA_BATCH_256:-64}))
    NO_HALVING=1 train_bench_with_workaround 20 512 $((2 * ${TESSERA_BATCH_512:-16}))
    # Measured in earlier sessions, last: the op-sequence AdamW instead of LibTorch's fused kernel
    # (training/parameter_updates.cpp), NCHW activations, cuDNN's attention kernels (left out by
    # default, models/attention.cpp).
    (export TESSERA_FUSED_ADAMW=0 && LABEL_SUFFIX="-no-fused-adamw" && train_bench_with_workaround 10 256 "${TESSERA_BATCH_256:-64}")
    train_bench_with_workaround 5 256 "${TESSERA_BATCH_256:-64}" --nchw
    (export TESSERA_SDPA_CUDNN=1 && LABEL_SUFFIX="-cudnn-sdpa" && train_bench_with_workaround 0 256 "${TESSERA_BATCH_256:-64}")
  fi
  [[ -n "$crashed" ]] && backtrace_gdb
  # The engine's warnings (a fused kernel that could not be built falls back to LibTorch's with
  # one, and its row then measures LibTorch's).
  grep -h "tessera: warning" "$OUT/bench.log" 2>/dev/null | cut -c1-300 | sort | uniq -c | head -5 | tee -a "$SUMMARY"
fi
kill $MONITOR 2>/dev/null

# ---- 6. summary -----------------------------------------------------------------------------
if [[ -f "$OUT/bench.jsonl" ]]; then
  GPU_NAME=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1)
  python3 - "$OUT/bench.jsonl" "$GPU_NAME" <<'EOF' | tee -a "$SUMMARY"
import json, sys
# Dense bf16 peak (TFLOP/s) by the vendor's datasheets (SXM parts).
peaks = {"H100": 989.4, "H200": 989.4, "A100": 312.0}
gpu = sys.argv[2]
peak = next((v for k, v in peaks.items() if k in gpu), None)
# Model FLOPs of one SD2-base UNet forward per image (PyTorch's profiler on diffusers' UNet);
# a training step is about 3 forwards.
forward_gflop = {256: 181.0, 512: 804.0}
print(f"GPU: {gpu}; dense bf16 peak {peak} TFLOP/s" if peak else f"GPU: {gpu}; peak unknown, no MFU")
# wait ms: how long the host waited per step for the device at the step's end; near 0, the
# host's queueing of the kernels set the pace, not the device.
print(f"{'benchmark':28} {'median s':>9} {'images/s':>9} {'MFU':>6} {'wait ms':>8}  note")
for line in open(sys.argv[1]):
    b = json.loads(line)
    for r in b["run"]["results"]:
        ips = r.get("images_per_second", 0.0)
        mfu = ""
        res = 512 if "512px" in b["label"] else 256
        if ips and peak and "px-b" in b["label"]:
            mfu = f"{100 * ips * 3 * forward_gflop[res] / (peak * 1000):.1f}%"
        elif b["label"].startswith("generate"):
            ips = 1.0 / r["median_seconds"]
        died = f"[exit {b['exit']}] " if b.get("exit", 0) else ""
        wait = f"{1000 * r['wait_seconds']:.1f}" if "wait_seconds" in r else ""
        print(f"{b['label']:28} {r['median_seconds']:9.4f} {ips:9.2f} {mfu:>6} {wait:>8}  {died}{r['note'][:150]}")
EOF
fi
if [[ -s "$OUT/gpu-monitor.csv" ]]; then
  say "GPU memory used at most $(awk -F', ' 'NR>1 && $2+0>m {m=$2+0} END {print m}' "$OUT/gpu-monitor.csv") MiB over the run"
fi
say "done in $SECONDS s"
