"""Time what the suite's `aws_stack` fixture costs per test: a full reset against emptying.

Run from the repository root:

    .venv/bin/python bench/bench_aws_stack.py [--rounds N]

In one process, against one moto server on a free 127.0.0.1 port (as tests/conftest.py runs
it), alternately for N rounds: a test's worth of data is written (a confirmed user in the
members group, an S3 object, an item in every site table), then the emulator is brought back to
the bootstrap state, once by resetting moto and bootstrapping again (the fixture before), once by
tests.aws_state.BootstrapState (the fixture now: the data is emptied). Reported: median ms each.
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
    from photosite.bootstrap import bootstrap_aws
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

        timings: dict[str, list[float]] = {
            "reset + bootstrap_aws": [],
            "empty (BootstrapState)": [],
        }
        for n in range(args.rounds):
            write_a_tests_worth(result.user_pool_id, n)
            started = time.perf_counter()
            stack.reset()
            result = bootstrap_aws(bucket=bucket, site_origin=origin)
            timings["reset + bootstrap_aws"].append((time.perf_counter() - started) * 1000)
            state.result, state.origin = result, origin
            ledger.take()

            write_a_tests_worth(result.user_pool_id, n)
            started = time.perf_counter()
            state.fresh(bucket=bucket, site_origin=origin)
            timings["empty (BootstrapState)"].append((time.perf_counter() - started) * 1000)
        print(f"{'back to the bootstrap state':<28} {'median ms':>10}  ({args.rounds} rounds)")
        for name, values in timings.items():
            print(f"{name:<28} {statistics.median(values):>10.1f}")
        print(f"full resets by BootstrapState: {state.full_resets - 1} (expected 0)")


if __name__ == "__main__":
    main()
