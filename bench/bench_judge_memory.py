"""Peak memory and time of judging one upload, without and with the decoding budget.

Run from the repository root:

    .venv/bin/python bench/bench_judge_memory.py [--runs N]

It writes a few uploads into a temporary directory: PNGs of 60 megapixels that compress to a
few hundred KB (RGB, RGBA and palette: what a hostile client sends), a 20-megapixel RGB PNG and
a 24-megapixel JPEG (what a photographer sends). Each is judged the way an upload is
(`gallery.images.process_image` with the site's derivative sizes and pixel limit) twice, side by
side in the same run: "before" with no decoding budget, "after" with the default budget
(`gallery.images.DEFAULT_MAX_DECODE_BYTES`).

Every judgement runs in its own fresh subprocess. Pillow allocates pixels with C malloc, which
tracemalloc cannot see (its column shows the Python heap only), so the figure that matters is
the growth of the child's resident-set high-water mark (VmHWM in /proc/self/status) over its
baseline taken after imports and after reading the file. Times are the median of N runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = r"""
import json, sys, time, tracemalloc
sys.path.insert(0, sys.argv[1])
from gallery import images
from gallery.services.photos import DERIVATIVE_SIZES

def hwm():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0

data = open(sys.argv[2], "rb").read()
budget = int(sys.argv[3])
base = hwm()
tracemalloc.start()
started = time.perf_counter()
try:
    images.process_image(
        data, max_bytes=25 * 1024 * 1024, max_pixels=60_000_000, sizes=DERIVATIVE_SIZES,
        max_decode_bytes=budget,
    )
    outcome = "accepted"
except images.ImageRejected as exc:
    outcome = exc.code
elapsed = time.perf_counter() - started
python_peak = tracemalloc.get_traced_memory()[1]
print(json.dumps({"outcome": outcome, "seconds": elapsed, "rss": hwm() - base,
                  "python": python_peak}))
"""

NO_BUDGET = 2**62


def uploads(folder: Path) -> dict[str, Path]:
    """Write the uploads; return label -> path."""
    made: dict[str, Path] = {}

    def save(label: str, image: Image.Image, fmt: str, **params) -> None:
        path = folder / f"{len(made)}.{fmt.lower()}"
        image.save(path, fmt, **params)
        image.close()
        made[label] = path

    save("PNG RGB 10000x6000 (60 MP)", Image.new("RGB", (10_000, 6_000), (10, 200, 30)), "PNG")
    save("PNG RGBA 10000x6000", Image.new("RGBA", (10_000, 6_000), (10, 200, 30, 9)), "PNG")
    save("PNG palette 10000x6000", Image.new("P", (10_000, 6_000), 3), "PNG")
    gradient = Image.linear_gradient("L").resize((5_600, 3_600))
    noise = Image.effect_noise((5_600, 3_600), 30)
    save("PNG RGB 5600x3600 (20 MP)", Image.merge("RGB", (gradient, noise, gradient)), "PNG")
    gradient = Image.linear_gradient("L").resize((6_000, 4_000))
    noise = Image.effect_noise((6_000, 4_000), 30)
    save(
        "JPEG 6000x4000 (24 MP)",
        Image.merge("RGB", (gradient, noise, gradient)),
        "JPEG",
        quality=85,
    )
    return made


def judge(path: Path, budget: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(ROOT), str(path), str(budget)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(out.stdout)


def main() -> None:
    from gallery.images import DEFAULT_MAX_DECODE_BYTES

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    mib = 1024 * 1024
    print(f"budget after: {DEFAULT_MAX_DECODE_BYTES // mib} MiB; median of {args.runs} runs")
    header = (
        f"{'upload':28} {'KB':>6}  {'':6} {'outcome':16} {'peak RSS':>9} {'py heap':>8} {'time':>7}"
    )
    print(header)
    with tempfile.TemporaryDirectory() as folder:
        for label, path in uploads(Path(folder)).items():
            size_kb = path.stat().st_size // 1024
            for name, budget in (("before", NO_BUDGET), ("after", DEFAULT_MAX_DECODE_BYTES)):
                runs = [judge(path, budget) for _ in range(args.runs)]
                rss = max(run["rss"] for run in runs) / mib
                python = max(run["python"] for run in runs) / mib
                seconds = statistics.median(run["seconds"] for run in runs)
                print(
                    f"{label:28} {size_kb:>6}  {name:6} {runs[0]['outcome']:16} "
                    f"{rss:>6.0f} MiB {python:>5.1f} MiB {seconds:>6.2f}s"
                )


if __name__ == "__main__":
    main()
