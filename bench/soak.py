"""Soak test: several gunicorn workers on loopback against a local moto stack, under mixed load.

    .venv/bin/python bench/soak.py [--seconds 60] [--workers 3] [--threads 8]   (make soak)

Starts a moto server and gunicorn (each on a free 127.0.0.1 port, each in its own process),
bootstraps the stack, signs a user up, seeds photos, then runs `--threads` client threads for
`--seconds` mixing browse, detail, search, comment and upload. Prints requests per second,
p50/p95/p99 per route, errors, and the resident memory of each gunicorn worker at the start and
end of the load. Everything it starts it stops (also on Ctrl-C or an exception), and the run is
bounded: the load stops after `--seconds`, each request times out after 30 s.

The load generator is plain threads + requests rather than locust: the site's calls are I/O
bound on loopback, threads are enough at this scale, and it adds no dependency (locust brings
gevent, whose monkey-patching does not mix with the moto and boto3 code this script also runs).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
HOST = "127.0.0.1"
PASSWORD = "Soak-test-42"  # noqa: S105  (a throwaway user on the local emulator)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True, check=False
    ).stdout
    return sorted(int(p) for p in out.split())


def jpeg(seed: int) -> bytes:
    from PIL import Image

    image = Image.effect_noise((640, 480), 30 + seed % 20).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


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
        with requests.Session() as session:
            while time.monotonic() < stop_at:
                one(session, rng)

    workers = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(seconds + 60)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--photos", type=int, default=30)
    args = parser.parse_args()

    aws_port, web_port = free_port(), free_port()
    endpoint = f"http://{HOST}:{aws_port}"
    base = f"http://{HOST}:{web_port}"
    env = {
        **os.environ,
        "DJANGO_DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "photosite.settings",
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_SESSION_TOKEN": "",
        "AWS_REGION": "us-east-1",
        "DYNAMODB_TABLE_PREFIX": "soak-",
        "AWS_STORAGE_BUCKET_NAME": "photosite-soak",
        "PHOTOSITE_SITE_ORIGIN": base,
        # One user makes every comment: lift the per-user comment limit for the soak.
        "PHOTOSITE_COMMENT_RATE_LIMIT": "1000000",
        "DATABASE_URL": f"sqlite:///{ROOT / 'var' / 'soak.sqlite3'}",
    }
    os.environ.update(env)
    (ROOT / "var").mkdir(exist_ok=True)
    started: list[subprocess.Popen] = []

    def stop_all() -> None:
        for proc in reversed(started):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    proc.kill()

    try:
        started.append(
            subprocess.Popen(
                [str(ROOT / ".venv" / "bin" / "moto_server"), "-H", HOST, "-p", str(aws_port)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
            )
        )
        wait_for(endpoint)
        sys.path.insert(0, str(ROOT))
        from photosite.bootstrap import bootstrap_aws

        stack = bootstrap_aws(bucket=env["AWS_STORAGE_BUCKET_NAME"], site_origin=base)
        env.update(stack.as_env())
        import boto3

        idp = boto3.client("cognito-idp", endpoint_url=endpoint, region_name="us-east-1")
        email = "soak@example.com"
        idp.sign_up(
            ClientId=stack.app_client_id,
            Username=email,
            Password=PASSWORD,
            UserAttributes=[
                {"Name": "email", "Value": email},
                {"Name": "name", "Value": "Soak 测试"},
            ],
        )
        idp.admin_confirm_sign_up(UserPoolId=stack.user_pool_id, Username=email)
        token = idp.initiate_auth(
            ClientId=stack.app_client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD},
        )["AuthenticationResult"]["AccessToken"]

        gunicorn = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "photosite.wsgi:application",
                "--bind",
                f"{HOST}:{web_port}",
                "--workers",
                str(args.workers),
                "--timeout",
                "60",
                "--graceful-timeout",
                "10",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        started.append(gunicorn)
        wait_for(f"{base}/healthz")

        auth = {"Authorization": f"Bearer {token}"}
        photo_ids = []
        for i in range(args.photos):
            created = requests.post(
                f"{base}/api/photos",
                headers=auth,
                timeout=60,
                data={"name": f"seed harbour 港口 {i}"},
                files={"file": ("p.jpg", jpeg(i), "image/jpeg")},
            )
            created.raise_for_status()
            photo_ids.append(created.json()["id"])
        # Warm every worker (imports, clients, JWKS) before measuring memory.
        for _ in range(args.workers * 6):
            requests.get(f"{base}/", timeout=30)
            requests.get(f"{base}/api/photos", headers=auth, timeout=30)
        workers = worker_pids(gunicorn.pid)
        memory_start = {pid: rss_kib(pid) for pid in workers}

        recorder = Recorder()
        began = time.monotonic()
        run_load(base, token, photo_ids, args.seconds, args.threads, recorder)
        elapsed = time.monotonic() - began
        memory_end = {pid: rss_kib(pid) for pid in worker_pids(gunicorn.pid)}
    finally:
        stop_all()

    total = sum(len(v) for v in recorder.latency.values())
    errors = sum(recorder.errors.values())
    print(
        f"\n{args.workers} gunicorn workers, {args.threads} client threads, "
        f"{elapsed:.0f} s, {total} requests, {total / elapsed:.1f} requests/s, "
        f"{errors} errors\n"
    )
    print("| route | requests | req/s | p50 ms | p95 ms | p99 ms | errors |")
    print("|---|---|---|---|---|---|---|")
    for route in ("browse", "detail", "search", "comment", "upload"):
        values = recorder.latency.get(route, [])
        if not values:
            continue
        print(
            f"| {route} | {len(values)} | {len(values) / elapsed:.1f} "
            f"| {statistics.median(values) * 1000:.0f} "
            f"| {percentile(values, 0.95) * 1000:.0f} | {percentile(values, 0.99) * 1000:.0f} "
            f"| {recorder.errors.get(route, 0)} |"
        )
    print("\n| worker pid | RSS at start MiB | RSS at end MiB |")
    print("|---|---|---|")
    for pid in sorted(set(memory_start) | set(memory_end)):
        start = memory_start.get(pid)
        end = memory_end.get(pid)
        print(
            f"| {pid} | {start / 1024:.1f} | {end / 1024:.1f} |"
            if start and end
            else f"| {pid} | {start and start / 1024} | {end and end / 1024} |"
        )
    for route, sample in recorder.samples.items():
        print(f"first error on {route}: {sample}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
