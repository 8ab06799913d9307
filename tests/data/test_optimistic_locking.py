"""VersionAttribute: a write from a stale copy is refused, so no edit is silently lost."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from pynamodb.exceptions import PutError, UpdateError

from gallery.models import Photo

from . import factories
from .backends import only_dynamodb_local

EDITORS = 20
CONFLICT = "ConditionalCheckFailedException"


def stale_copy(item: Photo) -> Photo:
    """Return an independent copy of the item as it was read."""
    return Photo.from_raw_data(item.serialize())


def test_a_save_from_a_stale_copy_is_refused(ddb_backend):
    original = factories.photo()
    stale = stale_copy(original)
    original.caption = "first edit"
    original.save()

    stale.caption = "edit from an old copy"
    with pytest.raises(PutError) as caught:
        stale.save()

    assert caught.value.cause_response_code == CONFLICT
    assert Photo.get(original.photo_id).caption == "first edit"


def test_an_update_from_a_stale_copy_is_refused(ddb_backend):
    original = factories.photo()
    stale = stale_copy(original)
    original.update(actions=[Photo.caption.set("first edit")])

    with pytest.raises(UpdateError) as caught:
        stale.update(actions=[Photo.caption.set("edit from an old copy")])

    assert caught.value.cause_response_code == CONFLICT
    stored = Photo.get(original.photo_id)
    assert (stored.caption, stored.version) == ("first edit", 2)


def race(item: Photo, edit: callable, count: int) -> list[object]:
    """Run `edit(copy, n)` in `count` threads released together; return results or errors."""
    start = threading.Barrier(count)
    copies = [stale_copy(item) for _ in range(count)]

    def run(n: int) -> object:
        start.wait(timeout=30)
        try:
            return edit(copies[n], n)
        except (PutError, UpdateError) as exc:
            return exc

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


@only_dynamodb_local
def test_twenty_simultaneous_edits_of_one_version_have_exactly_one_winner(ddb_backend):
    item = factories.photo()

    def edit(copy: Photo, n: int) -> str:
        copy.update(actions=[Photo.caption.set(f"edit {n}")])
        return f"edit {n}"

    results = race(item, edit, EDITORS)

    winners = [result for result in results if isinstance(result, str)]
    conflicts = [result for result in results if isinstance(result, UpdateError)]
    assert len(winners) == 1
    assert len(conflicts) == EDITORS - 1
    assert {exc.cause_response_code for exc in conflicts} == {CONFLICT}
    stored = Photo.get(item.photo_id)
    assert (stored.caption, stored.version) == (winners[0], item.version + 1)


@only_dynamodb_local
def test_editors_who_reload_after_a_conflict_each_win_exactly_one_version(ddb_backend):
    item = factories.photo()

    def edit_until_stored(copy: Photo, n: int) -> tuple[int, int]:
        conflicts = 0
        while True:
            try:
                copy.update(actions=[Photo.caption.set(f"edit {n}")])
                return copy.version, conflicts
            except UpdateError as exc:
                assert exc.cause_response_code == CONFLICT
                conflicts += 1
                copy.refresh()

    results = race(item, edit_until_stored, EDITORS)

    versions_won = sorted(version for version, _conflicts in results)
    assert versions_won == list(range(item.version + 1, item.version + EDITORS + 1))
    assert sum(conflicts for _version, conflicts in results) >= EDITORS - 1
    assert Photo.get(item.photo_id).version == item.version + EDITORS
