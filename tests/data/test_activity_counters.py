"""The dashboard's counters against both backends: racing hides of many photos, and one photo
hidden by racing requests, are each counted exactly once.

(Neither DynamoDB Local nor moto cancelled these transactions for a conflict when measured;
tests/gallery/test_counters.py makes DynamoDB's TransactionConflict answer to test the retry.)"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from gallery import counters
from gallery.errors import Conflict
from gallery.models import Photo
from gallery.services import moderation

from . import factories

THREADS = 10  # botocore's default connection pool size


def hidden_photos() -> int:
    return counters.counter_values(counter_keys=[counters.HIDDEN_PHOTOS])[counters.HIDDEN_PHOTOS]


def together(calls: list) -> list:
    """Run the calls in threads released at once; return each outcome (a result or an error)."""
    start = threading.Barrier(len(calls))

    def run(call):
        start.wait(timeout=30)
        try:
            return call()
        except Conflict as exc:
            return exc

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def test_n_concurrent_hides_count_exactly_n(ddb_backend):
    photos = [factories.photo(n) for n in range(THREADS)]

    outcomes = together(
        [lambda p=photo: moderation.photo_hide(photo_id=p.photo_id) for photo in photos]
    )

    assert not [o for o in outcomes if isinstance(o, Exception)]
    assert hidden_photos() == THREADS
    assert {Photo.get(p.photo_id).status for p in photos} == {"hidden"}


def test_one_photo_hidden_and_retried_by_racing_requests_counts_once(ddb_backend):
    photo = factories.photo()

    together(
        [
            lambda: moderation.photo_hide(photo_id=photo.photo_id, expected_version=photo.version)
            for _ in range(THREADS)
        ]
    )

    assert hidden_photos() == 1
