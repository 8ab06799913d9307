"""One owner's trash page costs the same read capacity however many photos lie in other
trashes, in the feed, or past their purge time not yet deleted by the TTL.

Only DynamoDB Local computes consumed capacity from the items read (moto reports a constant).
The Query is the one gallery.selectors.photo_list_trash runs: the sparse `trash` index, the
owner's partition, `purge_key` after now.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from gallery.models import STATUS_TRASHED, Photo, time_key

from . import factories
from .backends import only_dynamodb_local

PAGE = 48
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def add_trashed(start: int, stop: int, *, owner: str, purge_at: datetime) -> None:
    with Photo.batch_write() as batch:
        for index in range(start, stop):
            photo = factories.photo(index, owner=owner, save=False)
            photo.status, photo.trashed_status = STATUS_TRASHED, "visible"
            photo.feed = photo.owner_feed = None
            photo.trash_owner = owner
            photo.expires_at = purge_at
            photo.purge_key = time_key(purge_at, photo.photo_id)
            batch.save(photo)


def add_visible(start: int, stop: int) -> None:
    with Photo.batch_write() as batch:
        for index in range(start, stop):
            batch.save(factories.photo(index, save=False))


def trash_page(client) -> tuple[float, int, dict]:
    """Run the trash page's Query; return its RCUs, its item count and the capacity report."""
    response = client.query(
        TableName=Photo.Meta.table_name,
        IndexName="trash",
        KeyConditionExpression="trash_owner = :owner AND purge_key > :now",
        ExpressionAttributeValues={
            ":owner": {"S": "user-1"},
            ":now": {"S": time_key(NOW, "~")},
        },
        ScanIndexForward=False,
        Limit=PAGE,
        ReturnConsumedCapacity="INDEXES",
    )
    capacity = response["ConsumedCapacity"]
    return capacity["CapacityUnits"], response["Count"], capacity


@only_dynamodb_local
def test_a_trash_page_costs_the_same_whatever_else_the_table_holds(ddb_backend):
    client = ddb_backend.client
    add_trashed(0, 10, owner="user-1", purge_at=NOW + timedelta(days=20))
    alone, count, _ = trash_page(client)

    # Past their purge time (the TTL has not swept them yet), other users' trash, the feed.
    add_trashed(10, 510, owner="user-1", purge_at=NOW - timedelta(days=1))
    add_trashed(510, 1010, owner="user-2", purge_at=NOW + timedelta(days=20))
    add_visible(1010, 1510)
    crowded, crowded_count, report = trash_page(client)

    assert count == crowded_count == 10
    assert alone == crowded > 0
    assert report["GlobalSecondaryIndexes"] == {"trash": {"CapacityUnits": crowded}}
    assert report["Table"] == {"CapacityUnits": 0.0}
