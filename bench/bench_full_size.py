"""What the full-size derivative costs per upload (gallery.images.FULL).

Run from the repository root:

    .venv/bin/python bench/bench_full_size.py [--runs N]

For the three 24-megapixel JPEGs of bench/bench_thumbnails.py ("smooth", "typical", "detailed")
and a 12-megapixel HEIC (4032 x 3024, as an iPhone writes), it times, interleaved in one process,
the upload's image work as published before full-size copies (`process_image` with the grid and
display sizes) and with them (`full_max_decode_bytes` set, as gallery.services.photos does),
and reports the medians, the extra time, and the full-size JPEG's bytes. Peak memory of each is
measured in a fresh subprocess (growth of `VmHWM` over the child's baseline after reading the
file). Nothing is written to disk but a temporary directory, deleted at the end.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_thumbnails import PHOTOS, make_photo_jpeg  # noqa: E402

from gallery import heif, images  # noqa: E402

SIZES = {"grid": 480, "display": 1600}
LIMITS = {"max_bytes": 10**9, "max_pixels": 60_000_000}


def heic_photo() -> bytes:
    """Return a 12 MP HEIC like an iPhone's (gradients, coarse noise, fine grain)."""
    heif.heif_register()
    width, height = 4032, 3024
    small = (width // 8, height // 8)
    base = Image.merge(
        "RGB",
        (
            Image.linear_gradient("L").rotate(90).resize(small),
            Image.linear_gradient("L").resize(small),
            Image.effect_noise(small, 64),
        ),
    ).resize((width, height))
    grain = Image.effect_noise((width, height), 24).convert("RGB")
    out = io.BytesIO()
    Image.blend(base, grain, 0.1).save(out, heif.FORMAT, quality=80)
    return out.getvalue()


def run(data: bytes, *, full: bool) -> images.ProcessedImage:
    return images.process_image(
        data,
        sizes=SIZES,
        full_max_decode_bytes=images.DEFAULT_FULL_MAX_DECODE_BYTES if full else None,
        **LIMITS,
    )


CHILD = """
import sys, json
sys.path.insert(0, {root!r}); sys.path.insert(0, {bench!r})
from bench_full_size import run
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
data = open({path!r}, "rb").read()
before = hwm()
run(data, full={full})
print(json.dumps(hwm() - before))
"""


def peak_memory(path: Path, *, full: bool) -> int:
    code = CHILD.format(root=str(ROOT), bench=str(ROOT / "bench"), path=str(path), full=full)
    answer = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return json.loads(answer.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    photos = {name: make_photo_jpeg(*params) for name, params in PHOTOS.items()}
    photos["iPhone HEIC 12 MP"] = heic_photo()
    print(
        "| photo | file | without full size | with full size | extra | full-size JPEG |"
        " peak memory without / with |"
    )
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in photos.items():
            without, with_full = [], []
            for _ in range(args.runs):
                start = time.perf_counter()
                run(data, full=False)
                without.append(time.perf_counter() - start)
                start = time.perf_counter()
                processed = run(data, full=True)
                with_full.append(time.perf_counter() - start)
            full = processed.derivatives[images.FULL]
            path = Path(tmp) / "photo"
            path.write_bytes(data)
            memory = (peak_memory(path, full=False), peak_memory(path, full=True))
            a, b = statistics.median(without), statistics.median(with_full)
            print(
                f"| {name} | {len(data) / 2**20:.1f} MiB | {a * 1000:.0f} ms | {b * 1000:.0f} ms"
                f" | +{(b - a) * 1000:.0f} ms | {full.width}×{full.height},"
                f" {full.byte_size / 2**20:.1f} MiB | {memory[0] / 2**20:.0f} /"
                f" {memory[1] / 2**20:.0f} MiB |"
            )


if __name__ == "__main__":
    main()
