"""The trash under real threads (a double click, two tabs, a retrying client): trashing,
restoring, deleting forever and emptying one photo at once make each move exactly once.

Each move commits with a conditional update on the photo's version. moto does not make a
conditional update atomic under concurrent requests, DynamoDB Local does (as AWS does), so
these races run there; S3 stays on moto.
"""

from __future__ import annotations

from django.conf import settings

from accounts.records import RateCounter
from gallery import selectors, services
from gallery.errors import Conflict, NotFound
from gallery.models import STATUS_TRASHED, Photo, SearchTerm
from tests.accounts.users import site_user
from tests.gallery.conftest import bucket_keys, jpeg, png, race

from .backends import only_dynamodb_local

ALICE = site_user("sub-alice", "Alice", ("members",))
CALLERS = 6


def _photo(name: str = "Sunset", data: bytes | None = None) -> Photo:
    return services.photo_create(
        owner_sub="sub-alice",
        owner_name="Alice",
        name=name,
        data=data if data is not None else jpeg(),
        uploader_ip="203.0.113.7",
    )


def _quota_used() -> int:
    try:
        return int(RateCounter.get("storage-quota#sub-alice", consistent_read=True).hits)
    except RateCounter.DoesNotExist:
        return 0


def _objects() -> list[str]:
    return bucket_keys(settings.AWS_STORAGE_BUCKET_NAME)


def _keys(photo: Photo) -> list[str]:
    """The photo's objects: its original and its derivatives."""
    keys = [photo.original_key, photo.grid_key, photo.display_key, photo.full_key]
    return sorted(key for key in keys if key)


def _outcome(action, **kwargs):
    """Run one action; return its result, or the error a caller would be told."""
    try:
        return action(**kwargs)
    except (NotFound, Conflict) as exc:
        return exc


@only_dynamodb_local
def test_simultaneous_deletions_trash_the_photo_once(aws_stack, ddb_backend):
    photo = _photo()
    used = _quota_used()

    outcomes = race(CALLERS, lambda n: services.photo_delete(photo_id=photo.photo_id, actor=ALICE))

    assert {o.photo_id for o in outcomes} == {photo.photo_id}  # every caller: done
    trashed = Photo.get(photo.photo_id, consistent_read=True)
    assert trashed.status == STATUS_TRASHED and trashed.version == photo.version + 1
    assert used - _quota_used() == photo.size_bytes  # given back once
    assert _objects() == _keys(trashed)  # moved once, nothing stray


@only_dynamodb_local
def test_simultaneous_restores_restore_the_photo_once(aws_stack, ddb_backend):
    photo = _photo()
    services.photo_trash(photo_id=photo.photo_id, actor=ALICE)
    used = _quota_used()

    outcomes = race(CALLERS, lambda n: services.photo_restore(photo_id=photo.photo_id, actor=ALICE))

    assert {o.photo_id for o in outcomes} == {photo.photo_id}
    restored = Photo.get(photo.photo_id, consistent_read=True)
    assert restored.is_visible and restored.version == photo.version + 2
    assert _quota_used() - used == photo.size_bytes  # charged once
    assert [p.photo_id for p in selectors.photo_search(q="sunset").items] == [photo.photo_id]
    assert _objects() == _keys(restored)


@only_dynamodb_local
def test_restore_racing_delete_forever_ends_whole_one_way_or_the_other(aws_stack, ddb_backend):
    photo = _photo()
    services.photo_trash(photo_id=photo.photo_id, actor=ALICE)

    def act(n: int):
        action = services.photo_restore if n % 2 else services.photo_delete_forever
        return _outcome(action, photo_id=photo.photo_id, actor=ALICE)

    outcomes = race(CALLERS, act)

    assert all(o is None or isinstance(o, Photo | NotFound | Conflict) for o in outcomes)
    stored = list(Photo.scan())
    if stored:  # restored: whole again, findable
        assert stored[0].is_visible
        assert _objects() == _keys(stored[0])
        assert [p.photo_id for p in selectors.photo_search(q="sunset").items] == [photo.photo_id]
    else:  # deleted for good: nothing left anywhere
        assert _objects() == []
        assert list(SearchTerm.scan()) == []


@only_dynamodb_local
def test_two_tabs_emptying_the_trash_delete_each_photo_once(aws_stack, ddb_backend):
    for n in range(4):
        photo = _photo(f"Gone {n}", data=png(16, 12))
        services.photo_trash(photo_id=photo.photo_id, actor=ALICE)

    results = race(2, lambda n: services.trash_empty(actor=ALICE))

    assert sum(r.deleted for r in results) == 4
    assert list(Photo.scan()) == []
    assert _objects() == []
