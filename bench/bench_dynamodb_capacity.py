"""Measure the read capacity of a gallery page at 100 and at 10,000 photos, on DynamoDB Local.

Run from the repository root (needs Java 17 and `make dynamodb-local`):

    .venv/bin/python bench/bench_dynamodb_capacity.py [--sizes 100,10000] [--page 24]

It starts Amazon DynamoDB Local in memory on a free 127.0.0.1 port, creates the site's tables
from the PynamoDB models (photosite.bootstrap.ensure_tables), and grows the photos table to each
size with BatchWriteItem, using items shaped as the site stores them. At each size it reports
the capacity units (RCUs, eventually consistent) that DynamoDB Local charges for:

- the first feed page: Query on the sparse `feed` GSI, newest first, Limit = page;
- the last feed page, reached by following LastEvaluatedKey from the first;
- the anti-pattern: the same Query selecting by owner with a FilterExpression instead of a key
  (a Query reads up to 1 MB before its filter applies, so this cost grows with the table);
  `scanned` is the items it read, `cut` whether the answer stopped at a LastEvaluatedKey.

Capacity is computed from the item sizes read, not from time, so the numbers do not depend on
the machine. DynamoDB Local is stopped at the end; a run takes well under a minute.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "data"))

from core.dynamodb_local import DynamoDBLocal  # noqa: E402

BATCH = 25  # BatchWriteItem's maximum


def configure(endpoint_url: str) -> None:
    """Point the process's DynamoDB models and clients at DynamoDB Local."""
    os.environ.update(
        AWS_ENDPOINT_URL_DYNAMODB=endpoint_url,
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",  # noqa: S106 (DynamoDB Local ignores credentials)
        AWS_REGION="us-east-1",
        DYNAMODB_TABLE_PREFIX="bench-",
    )
    os.environ.pop("AWS_SESSION_TOKEN", None)
    from core import aws

    aws.reset()


def add_photos(client, table: str, start: int, stop: int) -> None:
    """Write photos start..stop-1 with BatchWriteItem, retrying unprocessed items."""
    import factories  # tests/data/factories.py: the items as the site stores them

    requests = [
        {"PutRequest": {"Item": factories.photo(index, save=False).serialize()}}
        for index in range(start, stop)
    ]
    for offset in range(0, len(requests), BATCH):
        pending = {table: requests[offset : offset + BATCH]}
        while pending:
            pending = client.batch_write_item(RequestItems=pending)["UnprocessedItems"]


def feed_query(client, table: str, page: int, **extra) -> dict:
    values = {":feed": {"S": "all"}, **extra.pop("values", {})}
    return client.query(
        TableName=table,
        IndexName="feed",
        KeyConditionExpression="feed = :feed",
        ExpressionAttributeValues=values,
        ScanIndexForward=False,
        ReturnConsumedCapacity="INDEXES",
        **extra,
    )


def measure(client, table: str, page: int) -> dict[str, float | int]:
    """Return the RCUs of the first page, the last page and the filtered anti-pattern."""
    first = feed_query(client, table, page, Limit=page)
    last, pages, cursor = first, 1, first.get("LastEvaluatedKey")
    while cursor:
        response = feed_query(client, table, page, Limit=page, ExclusiveStartKey=cursor)
        if response["Count"]:
            last = response
        pages += 1
        cursor = response.get("LastEvaluatedKey")
    filtered = feed_query(
        client,
        table,
        page,
        FilterExpression="owner_sub = :owner",
        values={":owner": {"S": "nobody"}},
    )
    return {
        "first": first["ConsumedCapacity"]["CapacityUnits"],
        "first_items": first["Count"],
        "last": last["ConsumedCapacity"]["CapacityUnits"],
        "last_items": last["Count"],
        "pages": pages,
        "filtered": filtered["ConsumedCapacity"]["CapacityUnits"],
        "filtered_scanned": filtered["ScannedCount"],
        "filtered_cut": "LastEvaluatedKey" in filtered,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,10000", help="table sizes, ascending")
    parser.add_argument("--page", type=int, default=24, help="photos per gallery page")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]

    with DynamoDBLocal() as server:
        configure(server.endpoint_url)
        from core import aws
        from gallery.models import Photo
        from photosite import bootstrap

        bootstrap.ensure_tables(log=lambda _msg: None)
        client, table = aws.client("dynamodb"), Photo.Meta.table_name
        print(f"DynamoDB Local at {server.endpoint_url}; page = {args.page} photos; RCUs:")
        print(
            f"{'photos':>8} {'first page':>11} {'last page':>10} {'pages':>6} "
            f"{'filtered':>9} {'scanned':>8} {'cut':>4} {'load s':>7}"
        )
        loaded = 0
        for size in sizes:
            started = time.monotonic()
            add_photos(client, table, loaded, size)
            load_seconds, loaded = time.monotonic() - started, size
            m = measure(client, table, args.page)
            print(
                f"{size:>8} {m['first']:>11} {m['last']:>10} {m['pages']:>6} "
                f"{m['filtered']:>9} {m['filtered_scanned']:>8} {m['filtered_cut']!s:>4} "
                f"{load_seconds:>7.1f}"
            )
            assert m["first_items"] == args.page


if __name__ == "__main__":
    main()
