"""Measure the Django cold start: a fresh process's import, first request and warm request.

Run from the repository root:

    .venv/bin/python bench/bench_cold_start.py [--runs N] [--photos N]

What a Lambda cold start pays after the runtime has started Python: importing the app
(Django setup, every installed app, boto3, PynamoDB, Pillow), then the first request (boto3
clients and PynamoDB connection built lazily, templates compiled, the first DynamoDB query and
the presigned URLs of a gallery page). A warm request is timed in the same process for the
ratio. Each run is a fresh subprocess against one local moto server holding N photos, so the
AWS calls are real HTTP round trips on loopback (faster than AWS's, so the first-request figure
is a lower bound). Local mode (DEBUG on) is used, because production settings refuse an
emulator endpoint; DEBUG changes no import. The three slowest imports are listed too.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = r"""
import json, sys, time, io
started = time.perf_counter()
from photosite.wsgi import application
imported = time.perf_counter()

def get(path):
    from wsgiref.util import setup_testing_defaults
    environ = {"PATH_INFO": path, "HTTP_HOST": "127.0.0.1", "REQUEST_METHOD": "GET"}
    setup_testing_defaults(environ)
    status = []
    body = b"".join(application(environ, lambda s, h, *a: status.append(s)))
    assert status[0].startswith("200"), (status, body[:500])
    return body

first_body = get("/")
first = time.perf_counter()
get("/")
second = time.perf_counter()
print(json.dumps({
    "import_s": imported - started,
    "first_request_s": first - imported,
    "warm_request_s": second - first,
    "page_bytes": len(first_body),
}))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _seed(photos: int) -> dict[str, str]:
    """Start moto, bootstrap it, add photos through the real service; return the child env."""
    from PIL import Image

    port = _free_port()
    env = {
        "DJANGO_SETTINGS_MODULE": "photosite.settings",
        "DJANGO_DEBUG": "true",
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_REGION": "us-east-1",
        "DYNAMODB_TABLE_PREFIX": "bench-",
        "AWS_STORAGE_BUCKET_NAME": "photosite-bench",
        "DATABASE_URL": "sqlite://:memory:",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings

    from gallery import services
    from photosite.bootstrap import bootstrap_aws
    from photosite.localstack import LocalAws

    stack = LocalAws(port=port).start()
    result = bootstrap_aws(bucket=settings.AWS_STORAGE_BUCKET_NAME,
                           site_origin="http://127.0.0.1:8000")
    env.update(result.as_env())
    for number in range(photos):
        buffer = io.BytesIO()
        Image.new("RGB", (800, 600), (number * 20 % 255, 90, 160)).save(buffer, "JPEG")
        services.photo_create(owner_sub="bench", owner_name="Bench", name=f"照片 {number}",
                              data=buffer.getvalue(), uploader_ip="192.0.2.1")
    return env, stack


def _slowest_imports(env: dict[str, str], count: int = 5) -> list[tuple[str, float]]:
    """Return the top-level packages whose modules took longest to import (own time, summed)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import photosite.wsgi"],
        cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=120,
        check=True,
    )
    totals: dict[str, float] = {}
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        own_us = int(parts[0].split(":")[-1])
        top = parts[2].strip().split(".")[0]
        totals[top] = totals.get(top, 0.0) + own_us / 1e6
    return sorted(totals.items(), key=lambda item: -item[1])[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--photos", type=int, default=12)
    args = parser.parse_args()
    env, stack = _seed(args.photos)
    try:
        rows, walls = [], []
        for _ in range(args.runs):
            began = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", CHILD], cwd=ROOT, env={**os.environ, **env},
                capture_output=True, text=True, timeout=120,
            )
            walls.append(time.perf_counter() - began)
            if done.returncode:
                sys.exit(done.stderr)
            rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        slowest = _slowest_imports(env)
    finally:
        stack.stop()

    def median(key: str) -> float:
        return statistics.median(row[key] for row in rows)

    imported, first, warm = median("import_s"), median("first_request_s"), median("warm_request_s")
    print(f"python {sys.version.split()[0]}, {args.runs} fresh processes, gallery page with "
          f"{args.photos} photos ({rows[0]['page_bytes']} bytes), medians:")
    print(f"  whole process (interpreter start to exit): {statistics.median(walls) * 1000:7.0f} ms")
    print(f"  import photosite.wsgi (Django setup):       {imported * 1000:7.0f} ms")
    print(f"  first request GET /:                        {first * 1000:7.0f} ms")
    print(f"  warm request GET / (same process):          {warm * 1000:7.0f} ms")
    print(f"  cold start (import + first request):        {(imported + first) * 1000:7.0f} ms "
          f"= {(imported + first) / warm:.0f}x a warm request")
    print("  slowest imports (own time by package): "
          + ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in slowest))


if __name__ == "__main__":
    main()
