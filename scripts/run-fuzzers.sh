#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for a bounded time.
# Fails (exit 1) when a target crashes, leaks, trips a sanitizer or breaks an invariant; the
# input that did it is left in $BUILD_DIR/artifacts/.
#
#   scripts/run-fuzzers.sh [SECONDS]      (default 60 s per target)
#
# Environment:
#   FUZZ_BUILD_DIR  build folder (default: build/fuzz in the repository)
#   FUZZ_MODE       "standalone" (default): cmake -S tests/fuzz, which compiles only the torch-free
#                   parser sources a target drives, so neither LibTorch nor Qt is configured;
#                   "project": configure the whole project with clang and
#                   -DTESSERA_BUILD_FUZZERS=ON -DTESSERA_BUILD_GUI=OFF -DTESSERA_BUILD_REMOTE=OFF
#                   -DTESSERA_BUILD_TESTS=OFF (configures the engine against LibTorch too, which
#                   works with clang but is slower; it builds the same fuzz target).
#                   Both modes were checked; standalone is the default because the fuzz targets
#                   never need torch and the rest of the project is built with gcc.
#   FUZZ_JOBS       parallel compile jobs (default 2)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-60}"
build="${FUZZ_BUILD_DIR:-$root/build/fuzz}"
mode="${FUZZ_MODE:-standalone}"
jobs="${FUZZ_JOBS:-2}"
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)

case "$mode" in
  standalone)
    CC=clang CXX=clang++ cmake -S "$root/tests/fuzz" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo ;;
  project)
    CC=clang CXX=clang++ cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DTESSERA_BUILD_FUZZERS=ON -DTESSERA_BUILD_GUI=OFF -DTESSERA_BUILD_REMOTE=OFF -DTESSERA_BUILD_TESTS=OFF ;;
  *) echo "run-fuzzers: FUZZ_MODE must be 'standalone' or 'project', got '$mode'" >&2; exit 2 ;;
esac

targets=(safetensors image_decode mds)
for t in "${targets[@]}"; do
  cmake --build "$build" --target "fuzz_$t" -j "$jobs"
done

status=0
for t in "${targets[@]}"; do
  exe="$(find "$build" -type f -name "fuzz_$t" -perm -u+x | head -n1)"
  corpus="$build/corpus/$t"           # grows as the fuzzer finds new inputs; seeds stay untouched
  artifacts="$build/artifacts/$t/"
  mkdir -p "$corpus" "$artifacts"
  dict=()
  [[ -f "$root/tests/fuzz/$t.dict" ]] && dict=(-dict="$root/tests/fuzz/$t.dict")
  echo "run-fuzzers: fuzz_$t for ${seconds}s"
  if ! "$exe" "$corpus" "$root/tests/fuzz/corpus/$t" "${dict[@]}" -max_total_time="$seconds" \
        -artifact_prefix="$artifacts" -print_final_stats=1 -max_len=65536 -timeout=10 -rss_limit_mb=2048; then
    echo "run-fuzzers: fuzz_$t FAILED; reproduce with: $exe $artifacts<crash-file>" >&2
    status=1
  fi
done
exit "$status"
