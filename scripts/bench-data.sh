#!/bin/bash
# The data-path benchmarks of docs/PERFORMANCE.md, one core each (--threads 1, OMP_NUM_THREADS=1):
#   decode + centre crop + Lanczos resize to 256 and 512 px, Tessera against Pillow (Debian's
#   python3-pil, same files, same run; Pillow with and without draft()), and latent-shard reading
#   through training's mds_latents source and through shards::StreamingReader (synthetic SD2 @256
#   latents: 4x32x32 + 77x1024 fp16).
# Usage: scripts/bench-data.sh [BUILD_DIR] [IMAGE_COUNT]   (default ./build, 300 images)
#   Images go to $TESSERA_BENCH_CACHE/images (default /tmp/tessera-bench-data), generated once
#   (deterministic); latent shards to .../latents-256 (~700 MB for 4096 samples, written once).
# Needs /usr/bin/python3 with PIL: apt-get install -y python3-pil.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
COUNT=${2:-300}
TESSERA="$BUILD/bin/tessera"
[ -x "$TESSERA" ] || TESSERA="$BUILD/engine/tessera"
[ -x "$TESSERA" ] || { echo "bench-data.sh: no tessera binary under $BUILD" >&2; exit 1; }
PY=/usr/bin/python3
"$PY" -c "import PIL" 2>/dev/null || { echo "bench-data.sh: $PY lacks PIL (apt-get install -y python3-pil)" >&2; exit 1; }
CACHE=${TESSERA_BENCH_CACHE:-${TMPDIR:-/tmp}/tessera-bench-data}
IMAGES="$CACHE/images-$COUNT"
REPEAT=${TESSERA_BENCH_REPEAT:-3}
CORES=$(nproc)
export OMP_NUM_THREADS=1
[ -d "$IMAGES" ] || { echo "generating $COUNT images in $IMAGES ..." >&2; "$PY" "$ROOT/scripts/bench_data_images.py" make "$IMAGES" "$COUNT"; }
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); $CORES cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
echo "images: $(ls "$IMAGES" | sed 's/.*\.//' | sort | uniq -c | tr '\n' ' ')($(du -sh "$IMAGES" | cut -f1))"
for side in 256 512; do
  "$PY" "$ROOT/scripts/bench_data_images.py" pillow "$IMAGES" "$side" "$REPEAT"
  "$PY" "$ROOT/scripts/bench_data_images.py" pillow "$IMAGES" "$side" "$REPEAT" --draft
done
"$TESSERA" --threads 1 bench decode-resize --images "$IMAGES" --side 256 --side 512 --repeat "$REPEAT" --warmup 1
# Latent shards: 4096 SD2 @256 samples in 11 shards of 64 MiB. Each reader checks a shard's hashes
# the first time it opens it (once per process), so the first pass of a fresh process (--repeat 1
# --warmup 0) includes hashing all 704 MB; the warmed passes after it show the steady state.
for order in "" --no-shuffle; do
  "$TESSERA" --threads 1 bench latent-read --latent-dir "$CACHE/latents-256" --samples 4096 --resolution 256 $order --repeat 1 --warmup 0
  "$TESSERA" --threads 1 bench latent-read --latent-dir "$CACHE/latents-256" $order --repeat "$REPEAT" --warmup 1
done
# The same shards through shards::StreamingReader (samples read by offset, its prefetch), shuffled and not.
for order in "" --no-shuffle; do
  "$TESSERA" --threads 1 bench latent-read --reader streaming --latent-dir "$CACHE/latents-256" $order --repeat 1 --warmup 0
  "$TESSERA" --threads 1 bench latent-read --reader streaming --latent-dir "$CACHE/latents-256" $order --repeat "$REPEAT" --warmup 1
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
