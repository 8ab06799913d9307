"""Completing one browser upload from many threads at once publishes it exactly once.

The claim is a conditional write; moto does not make a conditional update atomic under
concurrent requests, DynamoDB Local does, so the race runs on both. S3 stays on moto.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings

from gallery import search_terms, services, storage
from gallery.errors import Conflict
from gallery.models import Photo, SearchTerm
from tests.gallery.conftest import browser_upload_arrived, bucket_keys, jpeg

CALLERS = 8


def _uploaded() -> tuple[str, bytes]:
    data = jpeg(640, 480)
    ticket = browser_upload_arrived(data)
    return ticket.photo.photo_id, data


def _complete_together(photo_id: str) -> list[object]:
    """Complete the upload from CALLERS threads released together; return photos or errors."""
    start = threading.Barrier(CALLERS)

    def run(_n: int) -> object:
        start.wait(timeout=30)
        try:
            return services.upload_complete(photo_id=photo_id, owner_sub="sub-alice")
        except Exception as exc:  # the test sorts outcomes; any other error fails it below
            return exc

    with ThreadPoolExecutor(max_workers=CALLERS) as pool:
        return list(pool.map(run, range(CALLERS)))


def test_simultaneous_completions_publish_once_and_answer_each_caller(aws_stack, ddb_backend):
    photo_id, data = _uploaded()

    outcomes = _complete_together(photo_id)

    photos = [o for o in outcomes if isinstance(o, Photo)]
    in_progress = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(photos) + len(in_progress) == CALLERS, outcomes  # no other error, no 500
    assert photos and {p.photo_id for p in photos} == {photo_id}
    assert {c.code for c in in_progress} <= {"upload_in_progress"}
    stored = Photo.get(photo_id, consistent_read=True)
    assert stored.is_visible and stored.claim_token is None
    assert bucket_keys(settings.AWS_STORAGE_BUCKET_NAME) == sorted(
        [stored.original_key, stored.grid_key, stored.display_key, stored.full_key]
    )
    original = storage.object_read(stored.original_key, max_bytes=len(data))
    assert original == data
    terms = search_terms.index_terms(stored.name)
    assert sum(1 for _ in SearchTerm.scan()) == len(terms)
    assert [p.photo_id for p in Photo.feed_index.query("all")] == [photo_id]
    # And a retry afterwards is the same photo, published once still.
    again = services.upload_complete(photo_id=photo_id, owner_sub="sub-alice")
    assert (again.photo_id, again.version) == (photo_id, stored.version)
