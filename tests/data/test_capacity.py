"""A feed page costs the same read capacity however many photos the table holds.

Only DynamoDB Local computes consumed capacity from the items read (moto 5.2 reports a constant
1.0 for any query, attributed to a local index). bench/bench_dynamodb_capacity.py measures the
same at 10,000 photos.
"""

from __future__ import annotations

from gallery.models import FEED_PARTITION, Photo

from . import factories
from .backends import only_dynamodb_local

PAGE = 24
SMALL, LARGE = 100, 1_000


def add_photos(start: int, stop: int) -> None:
    with Photo.batch_write() as batch:
        for index in range(start, stop):
            batch.save(factories.photo(index, save=False))


def read_capacity(client, **query) -> tuple[float, dict]:
    """Run a feed-index Query; return the RCUs it consumed and the whole capacity report."""
    response = client.query(
        TableName=Photo.Meta.table_name,
        IndexName="feed",
        KeyConditionExpression="feed = :feed",
        ExpressionAttributeValues={":feed": {"S": FEED_PARTITION}, **query.pop("values", {})},
        ScanIndexForward=False,
        ReturnConsumedCapacity="INDEXES",
        **query,
    )
    capacity = response["ConsumedCapacity"]
    return capacity["CapacityUnits"], capacity


def first_page(client) -> tuple[float, dict]:
    return read_capacity(client, Limit=PAGE)


def filtered_by_owner(client) -> tuple[float, dict]:
    # The anti-pattern: select with a filter instead of a key.
    return read_capacity(
        client, FilterExpression="owner_sub = :owner", values={":owner": {"S": "nobody"}}
    )


@only_dynamodb_local
def test_a_feed_page_costs_the_same_at_100_and_at_1000_photos(ddb_backend):
    client = ddb_backend.client
    add_photos(0, SMALL)
    small_page, _ = first_page(client)
    small_filter, _ = filtered_by_owner(client)

    add_photos(SMALL, LARGE)
    large_page, large_report = first_page(client)
    large_filter, _ = filtered_by_owner(client)

    assert small_page == large_page > 0
    # All of it is charged to the feed index, none to the table.
    assert large_report["GlobalSecondaryIndexes"] == {"feed": {"CapacityUnits": large_page}}
    assert large_report["Table"] == {"CapacityUnits": 0.0}
    # The measurement does see table size: a filtered read grows with the photos it passes over.
    assert large_filter > 5 * small_filter
