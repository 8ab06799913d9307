"""Visibility under real concurrency, on DynamoDB Local (moto's conditional writes are not
atomic under concurrent requests; see tests/data/backends.py).

The one rule must hold whatever interleaving the threads find: a photo carries `feed` and its
search terms exactly while it is visible and public. A change of visibility racing a
moderator's hide must never leave a hidden photo in the feed.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from gallery import search_terms, services
from gallery.errors import Conflict
from gallery.models import FEED_PARTITION, STATUS_HIDDEN, Photo, SearchTerm
from gallery.services import moderation
from tests.accounts.users import site_user
from tests.gallery.conftest import png

from .backends import only_dynamodb_local

ALICE = site_user("sub-alice", "Alice", ("members",))
ROUNDS = 8


def together(calls: list) -> list:
    """Run every call in its own thread, released together; return each result or error."""
    start = threading.Barrier(len(calls))

    def run(call):
        start.wait(timeout=30)
        try:
            return call()
        except Conflict as exc:
            return exc

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def follows_the_rule(photo_id: str) -> Photo:
    photo = Photo.get(photo_id, consistent_read=True)
    assert (photo.feed == FEED_PARTITION) is photo.is_listed, photo.attribute_values
    for term in search_terms.index_terms(photo.name):
        try:
            SearchTerm.get(term, photo.sort_key, consistent_read=True)
            present = True
        except SearchTerm.DoesNotExist:
            present = False
        assert present is photo.is_listed, (term, photo.attribute_values)
    return photo


def new_photo(name: str, visibility: str) -> Photo:
    return services.photo_create(
        owner_sub="sub-alice",
        owner_name="Alice",
        name=name,
        data=png(16, 12),
        uploader_ip="::1",
        visibility=visibility,
    )


@only_dynamodb_local
def test_a_visibility_change_racing_a_hide_never_leaves_a_hidden_photo_listed(
    aws_stack, ddb_backend
):
    for round_ in range(ROUNDS):
        photo = new_photo(f"Harbour race {round_}", "private")

        hide, change = together(
            [
                lambda pid=photo.photo_id: moderation.photo_hide(photo_id=pid),
                lambda pid=photo.photo_id: services.photo_visibility_set(
                    photo_id=pid, actor=ALICE, visibility="public"
                ),
            ]
        )

        # Neither names a version it showed anyone, so each retries a lost race and lands:
        # whatever the order, the photo ends hidden, public for when it is unhidden, unlisted.
        assert not isinstance(hide, Conflict) and not isinstance(change, Conflict)
        final = follows_the_rule(photo.photo_id)
        assert (final.status, final.visibility, final.feed) == (STATUS_HIDDEN, "public", None)


@only_dynamodb_local
def test_an_unhide_racing_a_change_to_private_never_lists_a_private_photo(aws_stack, ddb_backend):
    for round_ in range(ROUNDS):
        photo = new_photo(f"Unhide race {round_}", "public")
        moderation.photo_hide(photo_id=photo.photo_id)

        together(
            [
                lambda pid=photo.photo_id: moderation.photo_unhide(photo_id=pid),
                lambda pid=photo.photo_id: services.photo_visibility_set(
                    photo_id=pid, actor=ALICE, visibility="private"
                ),
            ]
        )

        final = follows_the_rule(photo.photo_id)
        assert final.visibility == "private" and not final.is_listed


@only_dynamodb_local
def test_simultaneous_bulk_changes_of_the_same_photos_settle_consistently(aws_stack, ddb_backend):
    ids = [new_photo(f"Bulk race {i}", "public").photo_id for i in range(3)]
    wanted = ["private", "public", "unlisted", "public", "private", "public"]

    outcomes = together(
        [
            lambda v=visibility: services.photo_bulk_visibility(
                photo_ids=ids, actor=ALICE, visibility=v
            )
            for visibility in wanted
        ]
    )

    assert all(outcome.done == ids and outcome.complete for outcome in outcomes)
    for photo_id in ids:
        assert follows_the_rule(photo_id).visibility in set(wanted)
