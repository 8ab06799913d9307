"""The comment count is an atomic ADD: concurrent increments never lose one."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from gallery.models import Photo

from . import factories
from .backends import only_dynamodb_local

INCREMENTS = 300
THREADS = 10  # botocore's default connection pool size


def add_one_comment(photo: Photo) -> None:
    """Add 1 to the count without a read-modify-write, as posting a comment does."""
    photo.update(
        actions=[Photo.comment_count.add(1)],
        condition=Photo.photo_id.exists(),
        add_version_condition=False,
    )


@only_dynamodb_local
def test_concurrent_increments_are_all_counted(ddb_backend):
    item = factories.photo()
    start = threading.Barrier(THREADS)

    def worker(share: int) -> None:
        copy = Photo.get(item.photo_id)  # every worker starts from the same version
        start.wait(timeout=30)
        for _ in range(share):
            add_one_comment(copy)

    shares = [INCREMENTS // THREADS] * THREADS
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(worker, shares))

    stored = Photo.get(item.photo_id, consistent_read=True)
    assert stored.comment_count == INCREMENTS
    # PynamoDB adds `ADD version 1` to every update, conditional or not, so an edit form read
    # before a comment arrived is stale afterwards and its save gets the conflict message.
    assert stored.version == item.version + INCREMENTS


def test_read_modify_write_without_the_version_condition_loses_increments(ddb_backend):
    # What the atomic ADD protects against: copies read at the same time write the same total.
    item = factories.photo()
    copies = [Photo.get(item.photo_id) for _ in range(THREADS)]
    start = threading.Barrier(THREADS)

    def increment(copy: Photo) -> None:
        start.wait(timeout=30)
        copy.comment_count += 1
        copy.save(add_version_condition=False)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(increment, copies))

    assert Photo.get(item.photo_id, consistent_read=True).comment_count == 1


def test_pitfall_a_counter_update_on_an_unloaded_instance_resets_the_version(ddb_backend):
    # Photo(photo_id) has no version, so PynamoDB sends `SET version = 1`: a copy read at
    # version 1 then passes the version check again and overwrites a later edit. Count
    # through a loaded photo (as above) or the table connection, never through a bare key.
    item = factories.photo()
    old_copy = Photo.get(item.photo_id)
    item.update(actions=[Photo.caption.set("edit at version 2")])
    item.update(actions=[Photo.caption.set("edit at version 3")])

    add_one_comment(Photo(item.photo_id))

    assert Photo.get(item.photo_id, consistent_read=True).version == 1
    old_copy.update(actions=[Photo.caption.set("stale edit")])
    assert Photo.get(item.photo_id, consistent_read=True).caption == "stale edit"
