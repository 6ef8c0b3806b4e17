#!/usr/bin/python3
"""Data-path benchmark helpers for scripts/bench-data.sh (Debian's python3-pil).

  bench_data_images.py make DIR [COUNT]    deterministic photo-like test images: 60% JPEG q90
                                           1024x768 / 768x1024, 20% PNG 800x600, 20% WebP q90
                                           1024x768 (smooth shapes + mid-frequency texture + grain)
  bench_data_images.py pillow DIR SIDE [REPEAT] [--draft]
                                           Pillow doing what `tessera bench decode-resize` does:
                                           decode from memory, centre square crop, LANCZOS resize
                                           to SIDE (one call: resize(box=...)); --draft lets JPEGs
                                           decode at a DCT scale first (Pillow's draft(), the
                                           counterpart of Tessera's DCT-scaled decode). One
                                           thread. Prints one JSON line.
"""
import io
import json
import os
import random
import sys
import time

from PIL import Image, ImageDraw, ImageFilter


def photo_like(rng, width, height):
    def noise(w, h):
        return Image.frombytes("RGB", (w, h), rng.randbytes(w * h * 3))

    # Low frequencies: a few soft colour blobs on a gradient sky.
    base = noise(4, 3).resize((width, height), Image.BICUBIC)
    draw = ImageDraw.Draw(base)
    for _ in range(12):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(width // 16, width // 4)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    base = base.filter(ImageFilter.GaussianBlur(6))
    # Mid frequencies (texture: foliage, fabric) and fine grain (sensor noise).
    texture = noise(width // 8, height // 8).resize((width, height), Image.BICUBIC)
    grain = noise(width, height)
    return Image.blend(Image.blend(base, texture, 0.25), grain, 0.06)


def make(directory, count):
    os.makedirs(directory, exist_ok=True)
    for i in range(count):
        rng = random.Random(1000 + i)
        kind = i % 10
        if kind < 6:
            w, h = (1024, 768) if i % 2 == 0 else (768, 1024)
            photo_like(rng, w, h).save(os.path.join(directory, f"img{i:04d}.jpg"), quality=90)
        elif kind < 8:
            photo_like(rng, 800, 600).save(os.path.join(directory, f"img{i:04d}.png"))
        else:
            photo_like(rng, 1024, 768).save(os.path.join(directory, f"img{i:04d}.webp"), quality=90)


def pillow(directory, side, repeat, draft):
    names = sorted(os.path.join(directory, n) for n in os.listdir(directory))
    files = [open(n, "rb").read() for n in names]

    def one_pass():
        total = 0
        for data in files:
            im = Image.open(io.BytesIO(data))
            if draft:
                im.draft("RGB", (side, side))
            im = im.convert("RGB")
            w, h = im.size
            m = min(w, h)
            box = ((w - m) / 2, (h - m) / 2, (w + m) / 2, (h + m) / 2)
            out = im.resize((side, side), Image.LANCZOS, box=box)
            total += out.getpixel((side // 2, side // 2))[0]
        return total

    one_pass()  # warm-up
    runs = []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        one_pass()
        runs.append((time.perf_counter() - start, time.process_time() - cpu))
    runs.sort()
    med, med_cpu = runs[len(runs) // 2]
    print(json.dumps({"name": f"pillow-{side}" + ("-draft" if draft else ""), "items": len(files),
                      "seconds": [round(r[0], 3) for r in runs], "median_seconds": round(med, 3),
                      "items_per_second": round(len(files) / med, 1), "cpu_seconds": round(med_cpu, 3),
                      "items_per_cpu_second": round(len(files) / med_cpu, 1), "pillow": Image.__version__}))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "make":
        make(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 300)
    elif len(sys.argv) >= 4 and sys.argv[1] == "pillow":
        args = [a for a in sys.argv[2:] if a != "--draft"]
        pillow(args[0], int(args[1]), int(args[2]) if len(args) > 2 else 3, "--draft" in sys.argv)
    else:
        sys.exit(__doc__)
