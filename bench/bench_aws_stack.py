"""Time what the suite's `aws_stack` fixture costs per test: a full reset against emptying.

Run from the repository root:

    .venv/bin/python bench/bench_aws_stack.py [--rounds N]

In one process, against one moto server on a free 127.0.0.1 port (as tests/conftest.py runs
it), alternately for N rounds: a test's worth of data is written (a confirmed user in the
members group, an S3 object, an item in every site table), then the emulator is brought back to
the bootstrap state three ways: by resetting moto and bootstrapping again (the first fixture), by
emptying through the API (photosite.bootstrap's tables_empty, bucket_empty and user_pool_empty:
the fixture until issue 16's last change), and by tests.aws_state.BootstrapState (the fixture
now: moto's in-process backends are emptied). Reported: median wall ms and median CPU ms (all
threads of the process, moto's server included) of each.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _since(started: float, cpu: float) -> tuple[float, float]:
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    os.environ["AWS_ENDPOINT_URL"] = f"http://127.0.0.1:{_free_port()}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "photosite.test_settings")
    import django

    django.setup()
    from django.conf import settings

    from core import aws
    from core.localstack import LocalAws
    from photosite.bootstrap import bootstrap_aws, bucket_empty, tables_empty, user_pool_empty
    from photosite.tables import table_models
    from tests.accounts.conftest import account_create
    from tests.aws_state import BootstrapState, EmulatorLedger

    bucket, origin = settings.AWS_STORAGE_BUCKET_NAME, settings.PHOTOSITE_SITE_ORIGIN
    ledger = EmulatorLedger()
    with LocalAws(
        port=int(os.environ["AWS_ENDPOINT_URL"].rsplit(":", 1)[1]), observer=ledger.observe
    ) as stack:
        state = BootstrapState(stack, ledger)
        result = state.fresh(bucket=bucket, site_origin=origin)

        def write_a_tests_worth(pool_id: str, n: int) -> None:
            for name, value in result.as_env().items():  # what the fixture does to settings
                setattr(settings, name, value)
            account_create(pool_id, email=f"bench{n}@example.com", groups=("members",))
            aws.client("s3").put_object(Bucket=bucket, Key=f"photos/{n}.jpg", Body=b"x" * 1000)
            ddb = aws.client("dynamodb")
            for model in table_models():
                key = {
                    attr.attr_name: {"S" if attr.attr_type == "S" else "N": str(n)}
                    for attr in model.get_attributes().values()
                    if attr.is_hash_key or attr.is_range_key
                }
                ddb.put_item(TableName=model.Meta.table_name, Item=key)

        timings: dict[str, list[tuple[float, float]]] = {
            "reset + bootstrap_aws": [],
            "empty through the API": [],
            "empty (BootstrapState)": [],
        }
        for n in range(args.rounds):
            write_a_tests_worth(result.user_pool_id, n)
            started, cpu = time.perf_counter(), time.process_time()
            stack.reset()
            result = bootstrap_aws(bucket=bucket, site_origin=origin)
            timings["reset + bootstrap_aws"].append(_since(started, cpu))
            state.result, state.origin = result, origin
            ledger.take()

            write_a_tests_worth(result.user_pool_id, n)
            started, cpu = time.perf_counter(), time.process_time()
            tables_empty()
            bucket_empty(bucket=bucket)
            user_pool_empty(user_pool_id=result.user_pool_id)
            timings["empty through the API"].append(_since(started, cpu))
            ledger.take()

            write_a_tests_worth(result.user_pool_id, n)
            started, cpu = time.perf_counter(), time.process_time()
            state.fresh(bucket=bucket, site_origin=origin)
            timings["empty (BootstrapState)"].append(_since(started, cpu))
        heading = f"{'back to the bootstrap state':<28} {'wall ms':>8} {'CPU ms':>8}"
        print(f"{heading}  (medians of {args.rounds} rounds)")
        for name, values in timings.items():
            wall = statistics.median(w for w, _ in values)
            cpu = statistics.median(c for _, c in values)
            print(f"{name:<28} {wall:>8.1f} {cpu:>8.1f}")
        print(f"full resets by BootstrapState: {state.full_resets - 1} (expected 0)")


if __name__ == "__main__":
    main()
