"""Soak test: gunicorn workers on loopback under mixed load, memory followed over time.

    .venv/bin/python bench/soak.py [--seconds 120] [--dynamodb local|moto|both]
                                   [--workers 2] [--worker-threads 4] [--threads 8]
    make soak        # 120 s on DynamoDB Local

Starts the site as bench/stack.py does -- DynamoDB on Amazon DynamoDB Local (or moto), S3 and
Cognito on a moto server, gunicorn with gthread workers as deploy/gunicorn.conf.py runs it but
never recycled -- signs a user up, uploads `--photos` seed photos, then runs `--threads` client
threads for `--warm` seconds unmeasured (every worker warms up) and then for `--seconds`, mixing
browse, detail, search, comment and upload.
Prints requests per second and p50/p95/p99 per route, errors, and the resident memory (RSS) of
each worker sampled every `--sample` seconds, with its growth per minute after `--warmup`
seconds and over the last half of the run (least-squares slopes): a leak keeps growing at a
steady rate, warm-up flattens out.
With `--dynamodb both` the same load runs once on each backend, one after the other.

Everything it starts it stops (also on Ctrl-C or an exception), and the run is bounded: the
load stops after `--seconds`, each request times out after 30 s.

The load generator is plain threads + requests rather than locust: the site's calls are I/O
bound on loopback, threads are enough at this scale, and it adds no dependency (locust brings
gevent, whose monkey-patching does not mix with the boto3 code this script also runs).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import Site, jpeg, load_average, rss_mib

ROUTES = ("browse", "detail", "search", "comment", "upload")
REQUESTS_PER_CONNECTION = 20


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.samples: dict[str, str] = {}

    def record(
        self,
        route: str,
        started: float,
        response: requests.Response | None,
        ok: set[int],
        error: str = "",
    ) -> None:
        elapsed = time.perf_counter() - started
        with self.lock:
            self.latency[route].append(elapsed)
            if response is None or response.status_code not in ok:
                self.errors[route] += 1
                status = response.status_code if response is not None else error
                self.samples.setdefault(
                    route, f"{status}: {response.text[:200] if response is not None else ''}"
                )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_load(
    base: str, token: str, photo_ids: list[str], seconds: float, threads: int, recorder: Recorder
) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    images = [jpeg(i) for i in range(4)]
    stop_at = time.monotonic() + seconds
    words = ["harbour", "港口", "sunset", "soak", "日落"]
    # Weights: mostly reads, as on a real photo site.
    routes = ["browse"] * 30 + ["detail"] * 30 + ["search"] * 20 + ["comment"] * 15 + ["upload"] * 5

    def one(session: requests.Session, rng: random.Random) -> None:
        route = rng.choice(routes)
        started = time.perf_counter()
        response = None
        try:
            if route == "browse":
                response = session.get(f"{base}/", timeout=30)
                ok = {200}
            elif route == "detail":
                response = session.get(f"{base}/photos/{rng.choice(photo_ids)}/", timeout=30)
                ok = {200}
            elif route == "search":
                response = session.get(
                    f"{base}/api/photos", params={"q": rng.choice(words)}, headers=auth, timeout=30
                )
                ok = {200}
            elif route == "comment":
                response = session.post(
                    f"{base}/api/photos/{rng.choice(photo_ids)}/comments",
                    json={"body": f"soak comment 评论 {rng.random():.6f}"},
                    headers=auth,
                    timeout=30,
                )
                ok = {201}
            else:
                response = session.post(
                    f"{base}/api/photos",
                    headers=auth,
                    timeout=30,
                    data={"name": f"soak {rng.choice(words)}"},
                    files={"file": ("p.jpg", rng.choice(images), "image/jpeg")},
                )
                ok = {201}
        except requests.RequestException as exc:
            recorder.record(route, started, None, set(), type(exc).__name__)
            return
        recorder.record(route, started, response, ok)

    def loop(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < stop_at:
            # A keep-alive connection stays on the worker that accepted it: open a new one now
            # and then, as a load balancer's pool does, so every worker gets a share.
            with requests.Session() as session:
                for _ in range(REQUESTS_PER_CONNECTION):
                    if time.monotonic() >= stop_at:
                        break
                    one(session, rng)

    workers = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(seconds + 60)


class MemorySampler:
    """Sample every worker's RSS every `interval` seconds in a background thread."""

    def __init__(self, site: Site, interval: float) -> None:
        self.site = site
        self.interval = interval
        self.samples: dict[int, list[tuple[float, float]]] = defaultdict(list)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.began = 0.0

    def __enter__(self) -> MemorySampler:
        self.began = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    def sample(self) -> None:
        at = time.monotonic() - self.began
        for pid in self.site.worker_pids():
            self.samples[pid].append((at, rss_mib(pid)))

    def _run(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(self.interval):
                return


def slope_per_minute(points: list[tuple[float, float]]) -> float:
    """Return the least-squares slope of (seconds, MiB) points in MiB per minute."""
    if len(points) < 2:
        return 0.0
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    return 60 * sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else 0.0


def soak(args: argparse.Namespace, dynamodb: str) -> dict:
    """Run the whole soak on one DynamoDB backend; return what it measured."""
    with Site(dynamodb=dynamodb, workers=args.workers, threads=args.worker_threads) as site:
        email = "soak@example.com"
        token = site.user_token(email)
        photo_ids = site.seed_photos(token, args.photos)
        # Warm every worker (imports, clients, JWKS, templates, Pillow) with the same mix.
        run_load(site.base, token, photo_ids, args.warm, args.threads, Recorder())
        load_before = load_average()
        recorder = Recorder()
        with MemorySampler(site, args.sample) as memory:
            began = time.monotonic()
            run_load(site.base, token, photo_ids, args.seconds, args.threads, recorder)
            elapsed = time.monotonic() - began
        load_after = load_average()
        processes = len(site.worker_pids())
    return {
        "dynamodb": dynamodb,
        "recorder": recorder,
        "elapsed": elapsed,
        "memory": memory.samples,
        "load": (load_before, load_after),
        "workers_alive": processes,
    }


def report(args: argparse.Namespace, result: dict) -> int:
    """Print one run's tables; return the number of errors."""
    recorder, elapsed = result["recorder"], result["elapsed"]
    total = sum(len(v) for v in recorder.latency.values())
    errors = sum(recorder.errors.values())
    backend = "DynamoDB Local" if result["dynamodb"] == "local" else "moto"
    print(
        f"\n## DynamoDB on {backend}: {args.workers} gunicorn gthread workers x "
        f"{args.worker_threads} threads, {args.threads} client threads, {elapsed:.0f} s, "
        f"{total} requests, {total / elapsed:.1f} requests/s, {errors} errors "
        f"({result['load'][0]} before, {result['load'][1]} after; "
        f"{result['workers_alive']} workers alive at the end)\n"
    )
    print("| route | requests | req/s | p50 ms | p95 ms | p99 ms | errors |")
    print("|---|---|---|---|---|---|---|")
    for route in ROUTES:
        values = recorder.latency.get(route, [])
        if not values:
            continue
        print(
            f"| {route} | {len(values)} | {len(values) / elapsed:.1f} "
            f"| {statistics.median(values) * 1000:.0f} "
            f"| {percentile(values, 0.95) * 1000:.0f} | {percentile(values, 0.99) * 1000:.0f} "
            f"| {recorder.errors.get(route, 0)} |"
        )
    print(
        f"\nWorker RSS (MiB), sampled every {args.sample:g} s; slope = least-squares growth "
        f"after the first {args.warmup:g} s of load:\n"
    )
    print(
        "| worker | start of load | after warm-up | end "
        "| slope after warm-up MiB/min | slope over the last half MiB/min |"
    )
    print("|---|---|---|---|---|---|")
    for pid, points in sorted(result["memory"].items()):
        settled = [p for p in points if p[0] >= args.warmup]
        last_half = [p for p in points if p[0] >= points[-1][0] / 2]
        at_warmup = settled[0][1] if settled else float("nan")
        print(
            f"| {pid} | {points[0][1]:.1f} | {at_warmup:.1f} | {points[-1][1]:.1f} "
            f"| {slope_per_minute(settled):+.2f} | {slope_per_minute(last_half):+.2f} |"
        )
    for pid, points in sorted(result["memory"].items()):
        trace = " ".join(f"{mib:.0f}" for _, mib in points)
        print(f"  worker {pid} RSS every {args.sample:g} s: {trace}")
    for route, sample in recorder.samples.items():
        print(f"first error on {route}: {sample}")
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--dynamodb", choices=("local", "moto", "both"), default="local")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-threads", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8, help="client threads")
    parser.add_argument("--photos", type=int, default=30)
    parser.add_argument("--sample", type=float, default=5, help="seconds between RSS samples")
    parser.add_argument("--warm", type=float, default=10, help="seconds of load not measured")
    parser.add_argument(
        "--warmup", type=float, default=30, help="seconds of measured load before the slope"
    )
    args = parser.parse_args()

    backends = ("local", "moto") if args.dynamodb == "both" else (args.dynamodb,)
    results = [soak(args, backend) for backend in backends]
    errors = sum(report(args, result) for result in results)
    if len(results) == 2:
        print("\n| route | p50 ms DynamoDB Local / moto | p99 ms DynamoDB Local / moto |")
        print("|---|---|---|")
        for route in ROUTES:
            cells = []
            for q in (0.5, 0.99):
                values = [percentile(r["recorder"].latency.get(route, [0]), q) for r in results]
                cells.append(" / ".join(f"{v * 1000:.0f}" for v in values))
            print(f"| {route} | {cells[0]} | {cells[1]} |")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
