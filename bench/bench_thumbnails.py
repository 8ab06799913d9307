"""Compare our reduced-scale JPEG thumbnailing with a plain full-decode Pillow thumbnail.

Run from the repository root:

    .venv/bin/python bench/bench_thumbnails.py [--runs N]

It generates three 24-megapixel JPEGs (6000 x 4000, gradients plus noise so they are not
trivially compressible) into a temporary directory: "smooth" (about 1 bit per pixel, like a
photo exported at web quality), "typical" (about 1.6 bpp, like a phone photo) and "detailed"
(about 2.9 bpp, grainy like a high-ISO camera file). Reduced-scale decoding skips the inverse
DCT, upsampling and colour conversion but not the Huffman decoding, so the speed-up shrinks as
bits per pixel grow; all three are reported. For each photo it:

- times, interleaved in one process, (a) ``gallery.images.make_derivatives`` for the 400 px
  grid thumbnail, which decodes through ``Image.draft`` at 1/8 DCT scale, (b) the plain way:
  ``Image.open`` + ``load()`` + ``thumbnail()`` (``load()`` first, so the draft that
  ``thumbnail()`` would otherwise apply cannot happen), and (c) for reference our full upload
  work (validation plus grid and 1600 px display); the bare Pillow draft recipe (open, draft,
  load, thumbnail) is shown too, to separate the technique from our validation overhead
  (SHA-256, checks). Every method ends with the same JPEG encode
  (quality 85, optimised, progressive). The median of N runs is reported and (b)/(a) is the
  speed-up;
- measures peak memory of each method in its own fresh subprocess. Pillow allocates pixel
  memory with C ``malloc``, which ``tracemalloc`` cannot see (its column shows only the
  Python-heap side), so the figure that matters is the growth of the child's resident-set
  high-water mark (``VmHWM`` in ``/proc/self/status``) over its baseline taken after imports
  and after reading the file. ``ru_maxrss`` is only a fallback where ``/proc`` is missing:
  on Linux a child started by vfork/fork + exec inherits the parent's peak in ``ru_maxrss``,
  which would hide the figure being measured.

Everything it writes is deleted at the end; a run takes well under two minutes.
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from PIL import Image, features

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gallery.images import JPEG_QUALITY, make_derivatives  # noqa: E402

WIDTH, HEIGHT = 6000, 4000
GRID = 400
DISPLAY = 1600
CHILD_TIMEOUT_S = 60

# name -> (scale of the coarse noise layer, weight of full-resolution grain)
PHOTOS = {"smooth": (16, 0.05), "typical": (8, 0.1), "detailed": (4, 0.25)}


def make_photo_jpeg(noise_scale: int, grain: float) -> bytes:
    """Return a 24 MP JPEG of gradients, coarse colour noise and fine grain."""
    small = (WIDTH // noise_scale, HEIGHT // noise_scale)
    horizontal = Image.linear_gradient("L").rotate(90).resize(small)
    vertical = Image.linear_gradient("L").resize(small)
    noise = Image.effect_noise(small, 64)
    im = Image.merge("RGB", (horizontal, vertical, noise)).resize((WIDTH, HEIGHT))
    if grain:
        grainy = Image.effect_noise((WIDTH, HEIGHT), 24).convert("RGB")
        im = Image.blend(im, grainy, grain)
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def encode(im: Image.Image) -> bytes:
    """Encode as the derivatives are encoded, so every method pays the same encode cost."""
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()


def plain_thumbnail(data: bytes) -> tuple[int, int]:
    """Decode at full size, then thumbnail: what naive Pillow code does."""
    with Image.open(io.BytesIO(data)) as im:
        im.load()
        im.thumbnail((GRID, GRID), Image.Resampling.LANCZOS)
        encode(im)
        return im.size


def draft_thumbnail(data: bytes) -> tuple[int, int]:
    """Decode at reduced DCT scale, then thumbnail: the bare Pillow draft recipe."""
    with Image.open(io.BytesIO(data)) as im:
        im.draft("RGB", (GRID, GRID))
        im.load()
        im.thumbnail((GRID, GRID), Image.Resampling.LANCZOS)
        encode(im)
        return im.size


def ours_grid(data: bytes) -> tuple[int, int]:
    """Make the grid thumbnail through gallery.images (validation included)."""
    grid = make_derivatives(data, sizes={"grid": GRID})["grid"]
    return grid.width, grid.height


def ours_upload(data: bytes) -> tuple[int, int]:
    """Make grid and display derivatives, as the upload service does."""
    derivatives = make_derivatives(data, sizes={"grid": GRID, "display": DISPLAY})
    return derivatives["display"].width, derivatives["display"].height


METHODS: dict[str, tuple[str, Callable[[bytes], tuple[int, int]]]] = {
    "plain": ("(b) plain: open+load+thumbnail 400", plain_thumbnail),
    "draft": ("(a0) Pillow open+draft+load+thumbnail", draft_thumbnail),
    "grid": ("(a) ours: draft grid 400", ours_grid),
    "upload": ("(c) ours: grid 400 + display 1600", ours_upload),
}


def peak_rss_kib() -> int:
    """Return this process's resident-set high-water mark in KiB."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS


def child(method: str, path: str) -> None:
    """Run one method once in this fresh process and print its memory figures as JSON."""
    data = Path(path).read_bytes()
    function = METHODS[method][1]
    baseline_kib = peak_rss_kib()
    tracemalloc.start()
    size = function(data)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    growth_kib = peak_rss_kib() - baseline_kib
    print(json.dumps({"size": size, "growth_kib": growth_kib, "traced_peak": traced_peak}))


def measure_memory(method: str, path: Path) -> dict[str, int]:
    """Run one method in its own interpreter so the peak reflects only that method."""
    completed = subprocess.run(
        [sys.executable, __file__, "--child", method, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=CHILD_TIMEOUT_S,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def time_interleaved(data: bytes, runs: int) -> dict[str, list[float]]:
    """Time every method runs times, rotating the order each round to spread drift evenly."""
    names = list(METHODS)
    timings: dict[str, list[float]] = {name: [] for name in names}
    for name in names:  # warm-up: plugin registration, first-touch page faults
        METHODS[name][1](data)
    for round_number in range(runs):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            start = time.perf_counter()
            METHODS[name][1](data)
            timings[name].append(time.perf_counter() - start)
    return timings


def main() -> None:
    """Generate the photos, time and measure each method, and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="timed runs per method")
    parser.add_argument("--child", nargs=2, metavar=("METHOD", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return

    started = time.perf_counter()
    print(
        f"Python {platform.python_version()}, Pillow {Image.__version__}, "
        f"libjpeg-turbo {features.version('libjpeg_turbo')}, {platform.machine()}; "
        f"{WIDTH}x{HEIGHT} JPEG input ({WIDTH * HEIGHT / 1e6:.0f} MP), "
        f"{args.runs} interleaved runs per method"
    )
    header = (
        f"{'photo':<24} {'method':<36} {'median ms':>9} {'min ms':>7} {'output':>10} "
        f"{'peak RSS +MiB':>13} {'tracemalloc MiB':>15}"
    )
    print()
    print(header)
    print("-" * len(header))
    speedups = {}
    with tempfile.TemporaryDirectory(prefix="bench-thumbs-") as tmp:
        for photo, (noise_scale, grain) in PHOTOS.items():
            data = make_photo_jpeg(noise_scale, grain)
            path = Path(tmp) / f"{photo}.jpg"
            path.write_bytes(data)
            memory = {name: measure_memory(name, path) for name in METHODS}
            timings = time_interleaved(data, args.runs)
            medians = {name: statistics.median(values) for name, values in timings.items()}
            speedups[photo] = medians["plain"] / medians["grid"]
            description = (
                f"{photo} {len(data) / 1e6:.1f} MB {len(data) * 8 / (WIDTH * HEIGHT):.1f} bpp"
            )
            for name, (label, _) in METHODS.items():
                mem = memory[name]
                width, height = mem["size"]
                print(
                    f"{description:<24} {label:<36} {medians[name] * 1000:>9.1f} "
                    f"{min(timings[name]) * 1000:>7.1f} {f'{width}x{height}':>10} "
                    f"{mem['growth_kib'] / 1024:>13.1f} {mem['traced_peak'] / 2**20:>15.1f}"
                )
                description = ""
            memory_ratio = memory["plain"]["growth_kib"] / max(1, memory["grid"]["growth_kib"])
            print(
                f"{'':<24} speed-up (a) vs (b): {speedups[photo]:.2f}x "
                f"((a0) vs (b): {medians['plain'] / medians['draft']:.2f}x); "
                f"peak RSS growth (b)/(a): {memory_ratio:.1f}x"
            )
    print()
    for photo, speedup in speedups.items():
        verdict = "meets" if speedup >= 2.5 else "misses"
        print(f"{photo}: {speedup:.2f}x faster, {verdict} the >= 2.5x target")
    print(f"total bench time: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
