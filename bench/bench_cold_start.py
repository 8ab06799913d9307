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
emulator endpoint; DEBUG changes no import. The slowest imports are listed too.

With --zappa, the same is measured through the Lambda package itself, side by side: the zip
from `deploy.build_lambda` is unpacked, and fresh processes run with only the package on
sys.path (`python -S`), calling Zappa's `handler.lambda_handler` with API Gateway events, as
the Lambda runtime would. The first invocation then also loads zappa_settings and the
`remote_env` file from S3 (moto). In the unpacked copy, zappa_settings.py is pointed at the
emulator's config bucket and DJANGO_DEBUG is forced on, for the same reason as above.
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
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Both children end alike: a first request (cold) and a second one (warm) through `get`.
MEASURE = r"""
first_body = get("/")
first = time.perf_counter()
cold_cpu = time.process_time()
get("/")
second = time.perf_counter()
print(json.dumps({
    "import_s": imported - started,
    "first_request_s": first - imported,
    "warm_request_s": second - first,
    "cold_cpu_s": cold_cpu,
    "page_bytes": len(first_body),
}))
"""

CHILD = (
    r"""
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

"""
    + MEASURE
)


ZAPPA_CHILD = (
    r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
started = time.perf_counter()
import handler
imported = time.perf_counter()

class Context:
    aws_request_id = "bench-request"
    function_name = "photosite-bench"
    memory_limit_in_mb = 1024
    def get_remaining_time_in_millis(self):
        return 30000

def get(path):
    event = {
        "resource": "/{proxy+}", "path": path, "httpMethod": "GET",
        "headers": {"Host": "127.0.0.1", "X-Forwarded-For": "203.0.113.9, 130.176.0.1",
                    "X-Forwarded-Proto": "https", "X-Forwarded-Port": "443"},
        "multiValueHeaders": None, "queryStringParameters": None,
        "multiValueQueryStringParameters": None, "pathParameters": {"proxy": path[1:]},
        "stageVariables": None, "body": None, "isBase64Encoded": False,
        "requestContext": {"requestId": "bench", "stage": "prod", "resourcePath": "/{proxy+}",
                           "identity": {"sourceIp": "203.0.113.9"}, "httpMethod": "GET"},
    }
    response = handler.lambda_handler(event, Context())
    assert response["statusCode"] == 200, response
    return response["body"]

"""
    + MEASURE
)


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
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings

    from core.localstack import LocalAws
    from gallery import services
    from photosite.bootstrap import bootstrap_aws

    stack = LocalAws(port=port).start()
    result = bootstrap_aws(
        bucket=settings.AWS_STORAGE_BUCKET_NAME, site_origin="http://127.0.0.1:8000"
    )
    env.update(result.as_env())
    for number in range(photos):
        buffer = io.BytesIO()
        Image.new("RGB", (800, 600), (number * 20 % 255, 90, 160)).save(buffer, "JPEG")
        services.photo_create(
            owner_sub="bench",
            owner_name="Bench",
            name=f"照片 {number}",
            data=buffer.getvalue(),
            uploader_ip="192.0.2.1",
        )
    return env, stack


def _slowest_imports(env: dict[str, str], count: int = 5) -> list[tuple[str, float]]:
    """Return the top-level packages whose modules took longest to import (own time, summed)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import photosite.wsgi"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
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


def _unpack_package(package: Path, env: dict[str, str], into: Path) -> Path:
    """Unpack the Lambda zip and point its settings at the emulator; return the directory."""
    import zipfile

    from core import aws

    directory = into / "package"
    with zipfile.ZipFile(package) as archive:
        archive.extractall(directory)
    remote = {key: value for key, value in env.items() if key != "DJANGO_SETTINGS_MODULE"}
    aws.client("s3").create_bucket(Bucket="photosite-bench-config")
    aws.client("s3").put_object(
        Bucket="photosite-bench-config", Key="bench.env.json", Body=json.dumps(remote).encode()
    )
    settings_file = directory / "zappa_settings.py"
    text = settings_file.read_text()
    text = "\n".join(
        line
        for line in text.splitlines()
        if not line.startswith(("REMOTE_ENV=", "ENVIRONMENT_VARIABLES="))
    )
    text += (
        "\nREMOTE_ENV='s3://photosite-bench-config/bench.env.json'"
        "\nENVIRONMENT_VARIABLES={'DJANGO_DEBUG': 'true', 'AWS_REGION': 'us-east-1'}\n"
    )
    settings_file.write_text(text)
    # The package's bytecode is never checked against its source: drop the edited file's.
    for stale in directory.glob("__pycache__/zappa_settings.*.pyc"):
        stale.unlink()
    return directory


def _run(commands: list[tuple[list[str], dict[str, str]]], runs: int) -> list[tuple[list, list]]:
    """Run each command `runs` times, taking turns, so that all share the same machine load."""
    results: list[tuple[list, list]] = [([], []) for _ in commands]
    for _ in range(runs):
        for (command, env), (rows, walls) in zip(commands, results, strict=True):
            began = time.perf_counter()
            done = subprocess.run(
                command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
            )
            walls.append(time.perf_counter() - began)
            if done.returncode:
                sys.exit(done.stderr)
            rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return results


def _report(title: str, rows: list[dict], walls: list[float]) -> None:
    def median(key: str) -> float:
        return statistics.median(row[key] for row in rows)

    imported, first, warm = median("import_s"), median("first_request_s"), median("warm_request_s")
    print(f"{title} ({rows[0]['page_bytes']} bytes):")
    print(f"  whole process (interpreter start to exit): {statistics.median(walls) * 1000:7.0f} ms")
    print(f"  import of the entry point:                  {imported * 1000:7.0f} ms")
    print(f"  first request GET /:                        {first * 1000:7.0f} ms")
    print(f"  warm request GET / (same process):          {warm * 1000:7.0f} ms")
    print(
        f"  cold start (import + first request):        {(imported + first) * 1000:7.0f} ms "
        f"= {(imported + first) / warm:.0f}x a warm request"
    )
    print(f"  CPU of the cold start (process time):       {median('cold_cpu_s') * 1000:7.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--photos", type=int, default=12)
    parser.add_argument(
        "--zappa",
        type=Path,
        metavar="ZIP",
        action="append",
        default=[],
        help="also measure through this package (python -m deploy.build_lambda); repeat it to "
        "compare packages side by side",
    )
    parser.add_argument(
        "--lambda-python",
        default=sys.executable,
        metavar="PYTHON",
        help="interpreter that runs the package: the Python its wheels were chosen for "
        "(the Lambda runtime's), e.g. a python3.12 when the venv runs another",
    )
    args = parser.parse_args()
    env, stack = _seed(args.photos)
    child_env = {**os.environ, **env}
    lambda_env = {
        key: value
        for key, value in child_env.items()
        if not key.startswith(("DJANGO_", "PYTHON", "VIRTUAL_ENV"))
    }
    lambda_version = subprocess.run(
        [args.lambda_python, "-c", "import sys; print(sys.version.split()[0])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    try:
        # Unpacked on the same disk as the venv, so that all are compared fairly.
        with tempfile.TemporaryDirectory() as tmp:
            commands = [([sys.executable, "-c", CHILD], child_env)]
            for number, package in enumerate(args.zappa):
                directory = _unpack_package(package, env, Path(tmp) / str(number))
                # -B: /var/task is read-only on Lambda, so no run leaves bytecode for the next.
                command = [args.lambda_python, "-S", "-B", "-c", ZAPPA_CHILD, str(directory)]
                commands.append((command, lambda_env))
            plain, *packages = _run(commands, args.runs)
        slowest = _slowest_imports(env)
    finally:
        stack.stop()

    print(
        f"python {sys.version.split()[0]}, {args.runs} fresh processes each (taking turns), "
        f"gallery page with {args.photos} photos, medians"
    )
    _report("photosite.wsgi in the development venv", *plain)
    for package, measured in zip(args.zappa, packages, strict=True):
        _report(
            f"Zappa's handler.lambda_handler from {package.name} (python {lambda_version})",
            *measured,
        )
        print(f"  package / plain cold start: {_cold(measured[0]) / _cold(plain[0]):.2f}x")
    print(
        "slowest imports (own time by package): "
        + ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in slowest)
    )


def _cold(rows: list[dict]) -> float:
    return statistics.median(row["import_s"] + row["first_request_s"] for row in rows)


if __name__ == "__main__":
    main()
