#!/bin/bash
# Runs the whole benchmark set of docs/PERFORMANCE.md and prints the table (and keeps the JSON):
#   unet-step, generate (20 steps), vae-decode at SD2-base size with random weights, and
#   unet-load (peak RSS / weight bytes), each in its own process, median of N after 1 warm-up.
# Usage: scripts/bench.sh [BUILD_DIR] [extra `tessera bench` flags, e.g. --repeat 1 or --tiny]
#   BUILD_DIR defaults to ./build. Needs ~6 GiB of free memory and ~3.5 GB of disk for the UNet
#   file (in $TESSERA_BENCH_CACHE, default /tmp/tessera-bench; written once, reused).
# Take final numbers on a quiet machine: compiles or other jobs on the same cores skew them.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
[ $# -gt 0 ] && shift
TESSERA="$BUILD/engine/tessera"
[ -x "$TESSERA" ] || TESSERA="$BUILD/tessera"
[ -x "$TESSERA" ] || TESSERA="$BUILD/bin/tessera"
if [ ! -x "$TESSERA" ]; then
  echo "bench.sh: no tessera binary under $BUILD (build it first: cmake --build $BUILD --target tessera)" >&2
  exit 1
fi
CACHE=${TESSERA_BENCH_CACHE:-${TMPDIR:-/tmp}/tessera-bench}
OUT=${TESSERA_BENCH_OUT:-$BUILD/bench-$(date -u +%Y%m%dT%H%M%SZ).json}
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min); results also in $OUT" >&2
"$TESSERA" bench all --json --cache-dir "$CACHE" "$@" > "$OUT"
# The same results as a table, from the JSON just written (no second run).
python3 - "$OUT" <<'PY' 2>/dev/null || cat "$OUT"
import json, sys
r = json.load(open(sys.argv[1]))
m = r["machine"]
print(f"machine: {m['cpu']}, {m['cores']} cores, {m['threads']} threads, {m['kernel']}")
print(f"BLAS:    {m['blas']}")
print(f"LibTorch {m['torch']}; median of {r['repeat']} run(s) after {r['warmup']} warm-up")
print(f"{'benchmark':<11} {'median s':>9} {'runs (s)':<26} {'peak RSS':>10} {'weights':>10}  note")
for x in r["results"]:
    runs = " ".join(f"{s:.2f}" for s in x["seconds"])
    gib = lambda b: f"{b / 2**30:.2f} GiB"
    print(f"{x['name']:<11} {x['median_seconds']:>9.2f} {runs:<26} {gib(x['peak_rss_bytes']):>10} {gib(x['weight_bytes']):>10}  {x['note']}")
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
