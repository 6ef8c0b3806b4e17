#!/usr/bin/env bash
# Screenshots of every page of tessera-studio, for the README: starts the studio under Xvfb with a
# small sample project and saves docs/screenshots/<page>.png (datasets, train, runs, generate,
# evaluate). Builds nothing: give it a build folder with bin/tessera-studio and bin/tessera.
#
#   scripts/screenshots.sh [BUILD_DIR] [OUT_DIR]        (defaults: build, docs/screenshots)
#   SCREENSHOT_LANGUAGE=zh_CN scripts/screenshots.sh …  (en, de or zh_CN; the default OUT_DIR is
#                                                        then docs/screenshots/<language>; for
#                                                        zh_CN a CJK font is installed if missing)
#
# The sample project lives in a temporary folder and the studio runs with its own settings there
# (XDG_CONFIG_HOME, XDG_DATA_HOME), so your own settings and run registry are not touched:
#   - a catalog of 24 generated shape images with captions (Datasets page),
#   - the Train page's default preset (SD2-base stage 1 @ 256 px),
#   - a finished local run with a 600-step metrics.jsonl and its log (Runs page),
#   - the golden tiny SD2 model (../shared/golden/tiny-sd2, or TESSERA_GOLDEN_DIR) loaded on the
#     Generate page, with four images it generated in the gallery,
#   - two models and a prompt set filled in on the Evaluate page.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$repo/build}" && pwd)
language=${SCREENSHOT_LANGUAGE:-en}
default_out=$repo/docs/screenshots
[[ $language == en ]] || default_out=$default_out/$language
out=$(mkdir -p "${2:-$default_out}" && cd "${2:-$default_out}" && pwd)
golden=${TESSERA_GOLDEN_DIR:-$repo/../shared/golden}
golden=$(cd "$golden" && pwd)
model=$golden/tiny-sd2

for bin in tessera-studio tessera; do
  [[ -x $build/bin/$bin ]] || { echo "screenshots: $build/bin/$bin is missing; build it first (cmake --build $build --target $bin)" >&2; exit 1; }
done
[[ -f $model/model_index.json ]] || { echo "screenshots: no tiny model at $model; set TESSERA_GOLDEN_DIR" >&2; exit 1; }

sudo=""; [[ $(id -u) -eq 0 ]] || sudo=sudo
if ! command -v xvfb-run >/dev/null; then
  echo "screenshots: installing xvfb"
  $sudo apt-get install -y xvfb
fi
if [[ $language == zh_CN ]] && [[ -z $(fc-list :lang=zh 2>/dev/null) ]]; then
  echo "screenshots: installing a Chinese font"
  $sudo apt-get install -y fonts-wqy-microhei
fi

work=$(mktemp -d /tmp/tessera-screenshots.XXXXXX)
trap 'rm -rf "$work"' EXIT
project=$work/project
mkdir -p "$project"/{source,images,configs,runs,evaluation} "$work/config/Tessera" "$work/data/tessera/runs"

echo "screenshots: sample project in $project"
# 1. Images with captions: coloured shapes on coloured backgrounds, a few sizes (PNG written by hand,
#    so nothing beyond Python's standard library is needed).
python3 - "$project/source" <<'PY'
import math, random, struct, sys, zlib
out = sys.argv[1]
colours = {"red": (220, 50, 47), "blue": (38, 139, 210), "green": (133, 153, 0), "yellow": (238, 200, 40),
           "black": (20, 20, 20), "white": (240, 240, 240), "purple": (108, 113, 196), "orange": (203, 75, 22)}
names = list(colours)
def png(path, w, h, rows):
    raw = b"".join(b"\x00" + bytes(r) for r in rows)
    def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))
rng = random.Random(7)
sizes = [(256, 256), (320, 256), (256, 320), (384, 256), (192, 192), (512, 384)]
for i in range(24):
    fg, bg = rng.sample(names, 2)
    shape = ["circle", "square", "triangle"][i % 3]
    w, h = sizes[i % len(sizes)]
    cx, cy, r = w / 2 + rng.uniform(-20, 20), h / 2 + rng.uniform(-20, 20), min(w, h) * rng.uniform(0.22, 0.34)
    rows = []
    for y in range(h):
        row = []
        for x in range(w):
            if shape == "circle": inside = (x - cx) ** 2 + (y - cy) ** 2 <= r * r
            elif shape == "square": inside = abs(x - cx) <= r and abs(y - cy) <= r
            else: inside = cy - r <= y <= cy + r and abs(x - cx) <= (y - (cy - r)) / 2 * 1.15
            row.extend(colours[fg if inside else bg])
        rows.append(row)
    png(f"{out}/shape-{i:02d}.png", w, h, rows)
    with open(f"{out}/shape-{i:02d}.txt", "w") as f:
        f.write(f"a {fg} {shape} on a {bg} background")
PY
"$build/bin/tessera" dataset import --catalog "$project/catalog.sqlite" --from "$project/source" >/dev/null
"$build/bin/tessera" dataset filter --catalog "$project/catalog.sqlite" --min-side 224 >/dev/null

# 2. Images from the tiny model (noise-like: it is a test model), with their parameters.
"$build/bin/tessera" generate --model "$model" --prompt "a red circle on a blue background" --steps 4 \
  --seed 42 --batch 4 --out "$project/images" >/dev/null

# 3. A finished local run: config, metrics (warm-up, a decaying noisy loss, one restart), its log.
run_id=sd2-base-256-demo-20261127-041500-a1b2
run_dir=$project/runs/$run_id
mkdir -p "$run_dir/ranks"
cp "$repo/resources/presets/sd2-base-256.yaml" "$project/configs/sd2-base-256.yaml"
cp "$repo/resources/presets/sd2-base-256.yaml" "$run_dir/config.yaml"
python3 - "$run_dir" "$work/data/tessera/runs" "$run_id" <<'PY'
import json, math, random, sys
run_dir, registry, run_id = sys.argv[1:]
rng = random.Random(3)
with open(f"{run_dir}/metrics.jsonl", "w") as m, open(f"{run_dir}/ranks/rank-0.log", "w") as log:
    for step in range(1, 601):
        if step == 350:
            m.write(json.dumps({"event": "restart", "step": 300, "reason": "node lost; resumed from step-300"}) + "\n")
            log.write("watchdog: rank 0 lost (node failure), restarting from checkpoints/step-300\n")
        loss = 0.09 + 0.2 * math.exp(-step / 120) + rng.gauss(0, 0.012)
        lr = 1e-4 * min(1.0, step / 100)
        m.write(json.dumps({"step": step, "loss": round(loss, 5), "lr": lr, "images_per_s": round(128 + rng.gauss(0, 2), 1),
                            "samples_seen": step * 2048}) + "\n")
        if step % 50 == 0:
            log.write(f"step {step}/600 loss {loss:.4f} lr {lr:.2e}\n")
    log.write("saved checkpoints/step-600; run finished\n")
with open(f"{run_dir}/ranks/rank-0.exit", "w") as f:
    f.write("0\n")
record = {"version": 1, "id": run_id, "name": "sd2-base-256-demo", "launcher": "local", "hosts": ["localhost"],
          "gpus_per_host": 1, "run_dir": run_dir, "job_id": "", "config_hash": "", "tessera_path": "tessera",
          "state": "succeeded", "exit_code": 0, "message": "",
          "created": "2026-11-27T04:15:00.000Z", "updated": "2026-11-27T05:02:00.000Z"}
with open(f"{registry}/{run_id}.json", "w") as f:
    json.dump(record, f, indent=1)
PY

# 4. A prompt set for the Evaluate page (DrawBench's layout: Prompt, Category).
cat > "$project/evaluation-prompts.csv" <<'CSV'
Prompt,Category
a red circle on a blue background,Colors
a yellow triangle on a black background,Colors
a green square on a white background,Colors
two purple circles,Counting
a square above a triangle,Positional
CSV

# 5. The studio's settings, pointing its pages at the project.
cat > "$work/config/Tessera/Tessera Studio.conf" <<INI
[mainWindow]
geometry=
[ui]
language=$language
[datasets]
catalog=$project/catalog.sqlite
source=$project/source
minSide=224
shardsOut=$project/shards
[train]
preset=sd2-base-256
[generate]
model=$model
prompt=a red circle on a blue background
negativePrompt=blurry, text, watermark
steps=4
seed=42
randomSeed=false
batch=4
outputFolder=$project/images
[evaluate]
modelA=$golden/tiny-sd2
modelB=$golden/tiny-sd2-v
promptFile=$project/evaluation-prompts.csv
folder=$project/evaluation/tiny-vs-tiny-v
steps=20
INI
sed -i '/^geometry=$/d; /^\[mainWindow\]$/d' "$work/config/Tessera/Tessera Studio.conf"

echo "screenshots: starting tessera-studio under Xvfb ($language)"
XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data HOME=$work \
  xvfb-run -a -s "-screen 0 1280x800x24" \
  "$build/bin/tessera-studio" --threads 2 --language "$language" --screenshot-dir "$out"
ls -l "$out"/*.png
