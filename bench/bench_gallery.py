"""Show that a gallery page costs the same at 100 and at 10,000 photos.

Run from the repository root:

    .venv/bin/python bench/bench_gallery.py [--runs N] [--sizes 100,10000]
                                            [--dynamodb local|moto|both]

It starts its own moto server on a free loopback port for S3 and Cognito and, by default,
Amazon DynamoDB Local for DynamoDB (through AWS_ENDPOINT_URL_DYNAMODB, as a deployment points
the site at another endpoint; `--dynamodb moto` keeps DynamoDB on moto, `both` runs the whole
table once on each). It bootstraps the tables and writes photo items straight into the photos
table with BatchWriteItem (bench data only: no S3 objects, no search terms; the site itself
only writes through gallery.services). For each table size, in one run, it measures a first
and a later gallery page of 24 (the selector alone, and the whole `GET /` through Django
including 24 presigned thumbnail URLs), one user's "My photos" page and a time-range page:

- DynamoDB calls and items read per page, counted with botocore's before-call/after-call events
  on PynamoDB's client (the same hook the tests use);
- the median wall-clock time of N runs.

The call and item counts are the point: they come from key design and do not depend on the
emulator. moto implements a Query by walking every item of the index in Python, so its time
grows with the table where DynamoDB's does not; DynamoDB Local is Amazon's engine. Read the
times side by side, not as production latencies.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


os.environ.update(
    {
        "DJANGO_DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "photosite.settings",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{_free_port()}",
        "DYNAMODB_TABLE_PREFIX": "bench-",
        "AWS_STORAGE_BUCKET_NAME": "photosite-bench",
        "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1",
    }
)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from core import aws  # noqa: E402
from core.dynamodb_local import DynamoDBLocal  # noqa: E402
from core.localstack import LocalAws  # noqa: E402
from gallery import selectors  # noqa: E402
from gallery.models import FEED_PARTITION, STATUS_VISIBLE, Photo, time_key  # noqa: E402
from photosite.bootstrap import bootstrap_aws  # noqa: E402
from photosite.tables import table_models  # noqa: E402

START = datetime(2025, 1, 1, tzinfo=UTC)
OWNERS = [f"bench-user-{n}" for n in range(20)]


class Counter:
    """Count DynamoDB calls and returned items on every PynamoDB client."""

    def __init__(self) -> None:
        self.calls = 0
        self.items = 0

    def before(self, **_kwargs) -> None:
        self.calls += 1

    def after(self, parsed, **_kwargs) -> None:
        if "Items" in parsed:
            self.items += len(parsed["Items"])
        elif "Item" in parsed:
            self.items += 1
        elif "Responses" in parsed:
            self.items += sum(len(v) for v in parsed["Responses"].values())

    def __enter__(self) -> Counter:
        self.calls = self.items = 0
        for client in _clients():
            client.meta.events.register("before-call.dynamodb", self.before)
            client.meta.events.register("after-call.dynamodb", self.after)
        return self

    def __exit__(self, *exc) -> None:
        for client in _clients():
            client.meta.events.unregister("before-call.dynamodb", self.before)
            client.meta.events.unregister("after-call.dynamodb", self.after)


def _clients() -> list:
    seen: list = []
    for model in table_models():
        client = model._get_connection().connection.client
        if all(client is not other for other in seen):
            seen.append(client)
    return seen


def write_photos(first: int, last: int) -> None:
    """Write photos number first..last-1 straight into the table (bench data)."""
    with Photo.batch_write() as batch:
        for n in range(first, last):
            photo_id = f"bench{n:06d}"
            uploaded_at = START + timedelta(minutes=n)
            owner = OWNERS[n % len(OWNERS)]
            batch.save(
                Photo(
                    photo_id,
                    status=STATUS_VISIBLE,
                    name=f"Bench photo {n}",
                    owner_sub=owner,
                    owner_name=owner,
                    uploader_ip="192.0.2.1",
                    uploaded_at=uploaded_at,
                    sort_key=time_key(uploaded_at, photo_id),
                    original_key=f"photos/{photo_id}/original.jpg",
                    grid_key=f"photos/{photo_id}/grid.jpg",
                    display_key=f"photos/{photo_id}/display.jpg",
                    content_type="image/jpeg",
                    width=1200,
                    height=800,
                    size_bytes=250_000,
                    sha256=f"{n:064x}",
                    feed=FEED_PARTITION,
                    owner_feed=owner,
                    owner_sha256=f"{owner}#{n:064x}",
                    version=1,
                )
            )


def measure(label: str, action: Callable[[], object], runs: int) -> dict:
    with Counter() as counter:
        action()
    calls, items = counter.calls, counter.items
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return {
        "label": label,
        "calls": calls,
        "items": items,
        "median_ms": statistics.median(times) * 1000,
    }


def scenarios(size: int) -> list[tuple[str, Callable[[], object]]]:
    client = Client()
    second_cursor = selectors.photo_list_feed().cursor
    newest = START + timedelta(minutes=size - 1)

    def page_view() -> None:
        response = client.get("/")
        assert response.status_code == 200, response.status_code
        assert response.content.count(b'class="card"') == 24

    return [
        ("feed page 1 (selector)", lambda: selectors.photo_list_feed(limit=24)),
        ("feed page 2 (selector)", lambda: selectors.photo_list_feed(cursor=second_cursor)),
        ("GET / (whole page, 24 presigned URLs)", page_view),
        ("my photos (selector)", lambda: selectors.photo_list_owner(owner_sub=OWNERS[0])),
        (
            "last hour, time range (selector)",
            lambda: selectors.photo_list_feed(date_from=newest - timedelta(hours=1)),
        ),
    ]


def run(backend: str, sizes: list[int], runs: int) -> None:
    """Bootstrap the tables on one DynamoDB backend and print the table of every size."""
    label = "DynamoDB Local" if backend == "local" else "moto"
    bootstrap_aws(bucket=settings.AWS_STORAGE_BUCKET_NAME, site_origin="http://127.0.0.1")
    print(f"DynamoDB on {label}; {runs} timed runs per row; page size 24; {os.getloadavg()[0]:.1f}")
    header = f"{'photos':>7}  {'page':<40} {'calls':>5} {'items':>5} {'median ms':>10}"
    print(header)
    print("-" * len(header))
    written = 0
    for size in sizes:
        began = time.perf_counter()
        write_photos(written, size)
        written = size
        load = time.perf_counter() - began
        for name, action in scenarios(size):
            row = measure(name, action, runs)
            print(
                f"{size:>7}  {row['label']:<40} {row['calls']:>5} {row['items']:>5} "
                f"{row['median_ms']:>10.1f}"
            )
        print(f"{'':>7}  (bench data written in {load:.1f} s)\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--sizes", default="100,10000")
    parser.add_argument("--dynamodb", choices=("local", "moto", "both"), default="local")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    backends = ("local", "moto") if args.dynamodb == "both" else (args.dynamodb,)

    port = int(os.environ["AWS_ENDPOINT_URL"].rsplit(":", 1)[1])
    with LocalAws(port=port):
        for backend in backends:
            if backend == "moto":
                os.environ.pop("AWS_ENDPOINT_URL_DYNAMODB", None)
                aws.reset()
                run(backend, sizes, args.runs)
                continue
            with DynamoDBLocal() as dynamodb_local:
                os.environ["AWS_ENDPOINT_URL_DYNAMODB"] = dynamodb_local.endpoint_url
                aws.reset()
                try:
                    run(backend, sizes, args.runs)
                finally:
                    os.environ.pop("AWS_ENDPOINT_URL_DYNAMODB", None)
                    aws.reset()


if __name__ == "__main__":
    main()
