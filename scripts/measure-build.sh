#!/bin/bash
# Measures the two build times docs/PERFORMANCE.md records:
#   1. a clean Release build of everything (ccache disabled, so nothing is reused);
#   2. the rebuild after touching one engine .cpp (ccache disabled too).
# Usage: scripts/measure-build.sh [BUILD_DIR] (default: a fresh folder under /tmp)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${1:-$(mktemp -d /tmp/tessera-build-measure.XXXXXX)}
JOBS=${TESSERA_JOBS:-$(nproc)}
export CCACHE_DISABLE=1
rm -rf "$DIR"
cmake -S "$ROOT" -B "$DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
t0=$(date +%s%N)
cmake --build "$DIR" -j "$JOBS" >/dev/null
t1=$(date +%s%N)
touch "$ROOT/engine/src/core/runtime.cpp"
cmake --build "$DIR" -j "$JOBS" >/dev/null
t2=$(date +%s%N)
echo "clean Release build, everything, -j$JOBS: $(( (t1 - t0) / 1000000000 )) s"
echo "rebuild after touching engine/src/core/runtime.cpp: $(( (t2 - t1) / 1000000000 )) s"
printf 'machine: %s, %s cores\n' "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" "$(nproc)"
