"""gallery.services.trash: deleting moves a photo to its owner's trash, restoring puts it back
exactly, and DynamoDB's TTL and the bucket's lifecycle rule purge it (code treats a photo past
its purge time as gone)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings

from accounts.records import RateCounter
from gallery import selectors, services, storage, trash_paths
from gallery.errors import Conflict, Forbidden, Gone, NotFound, QuotaExceeded
from gallery.models import (
    STATUS_HIDDEN,
    STATUS_TRASHED,
    STATUS_VISIBLE,
    Comment,
    Photo,
    SearchTerm,
    ShareLink,
)
from gallery.services import moderation
from tests.accounts.users import site_user

from .conftest import bucket_keys, count_dynamodb_calls, png

ALICE = site_user("sub-alice", "Alice")
BOB = site_user("sub-bob", "Bob")
MODERATOR = site_user("sub-mod", "Mo", ("admins",))
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def _bucket() -> str:
    return settings.AWS_STORAGE_BUCKET_NAME


def _latest(photo: Photo) -> Photo:
    return Photo.get(photo.photo_id, consistent_read=True)


def _keys(photo: Photo) -> list[str]:
    """The photo's objects: its original and its derivatives."""
    keys = [photo.original_key, photo.grid_key, photo.display_key, photo.full_key]
    return sorted(key for key in keys if key)


def _quota_used(owner_sub: str = "sub-alice") -> int:
    try:
        return int(RateCounter.get(f"storage-quota#{owner_sub}").hits)
    except RateCounter.DoesNotExist:
        return 0


def _ids(page) -> list[str]:
    return [item.photo_id for item in page.items]


# --- trashing -----------------------------------------------------------------------------------


def test_deleting_moves_the_photo_out_of_every_listing_into_the_trash(make_photo):
    photo = make_photo("Sunset 日落")
    services.share_link_create(photo_id=photo.photo_id, actor=ALICE, expires_in=600)
    link = next(iter(ShareLink.scan()))

    services.photo_delete(photo_id=photo.photo_id, actor=ALICE, now=NOW)

    assert _ids(selectors.photo_list_feed()) == []
    assert selectors.photo_search(q="sunset").items == []
    assert list(SearchTerm.scan()) == []
    assert _ids(selectors.photo_card_list_owner(owner_sub="sub-alice")) == []
    with pytest.raises(NotFound):
        selectors.photo_get_for_viewer(photo_id=photo.photo_id, viewer=ALICE)
    with pytest.raises(Gone):
        services.share_link_open(token=link.token)
    assert _ids(selectors.photo_list_trash(owner_sub="sub-alice", now=NOW)) == [photo.photo_id]


def test_every_way_of_deleting_goes_through_the_trash(make_photo):
    from gallery.services import photos

    photo = make_photo()

    assert photos.photo_delete(photo_id=photo.photo_id, actor=ALICE).photo_id == photo.photo_id
    assert _latest(photo).is_trashed


def test_a_trashed_photo_carries_its_purge_time_as_ttl_and_gives_its_quota_back(make_photo):
    photo = make_photo()
    used = _quota_used()

    services.photo_trash(photo_id=photo.photo_id, actor=ALICE, now=NOW)

    trashed = _latest(photo)
    assert trashed.status == STATUS_TRASHED
    assert trashed.trashed_status == STATUS_VISIBLE
    assert trashed.trashed_at == NOW
    assert trashed.expires_at == NOW + timedelta(days=settings.PHOTOSITE_TRASH_DAYS)
    assert (trashed.feed, trashed.owner_feed, trashed.hidden_feed) == (None, None, None)
    assert used - _quota_used() == photo.size_bytes


def test_trashing_moves_the_objects_under_the_prefix_the_lifecycle_rule_expires(make_photo):
    photo = make_photo()
    original = storage.object_read(photo.original_key, max_bytes=10**7)

    services.photo_trash(photo_id=photo.photo_id, actor=ALICE, now=NOW)

    trashed = _latest(photo)
    assert bucket_keys(_bucket()) == _keys(trashed)
    assert all(key.startswith(trash_paths.TRASH_PREFIX) for key in _keys(trashed))
    assert storage.object_read(trashed.original_key, max_bytes=10**7) == original
    assert trashed.original_url.endswith(trashed.original_key)


def test_trashing_gives_the_comments_the_photos_ttl_and_restoring_takes_it_off(make_photo):
    photo = make_photo()
    for n in range(3):
        services.comment_create(
            photo_id=photo.photo_id, author_sub="sub-bob", author_name="Bob", body=f"c{n}", ip=""
        )

    services.photo_trash(photo_id=photo.photo_id, actor=ALICE, now=NOW)
    assert {c.expires_at for c in Comment.query(photo.photo_id)} == {_latest(photo).expires_at}

    services.photo_restore(photo_id=photo.photo_id, actor=ALICE, now=NOW)
    assert {c.expires_at for c in Comment.query(photo.photo_id)} == {None}
    assert _latest(photo).comment_count == 3


# --- restoring ----------------------------------------------------------------------------------


def test_restoring_puts_everything_back_exactly(make_photo):
    photo = make_photo("Sunset 日落")
    other = make_photo("Harbour")
    original = storage.object_read(photo.original_key, max_bytes=10**7)
    used = _quota_used()
    services.photo_trash(photo_id=photo.photo_id, actor=ALICE, now=NOW)

    services.photo_restore(photo_id=photo.photo_id, actor=ALICE, now=NOW + timedelta(days=3))

    restored = _latest(photo)
    assert restored.status == STATUS_VISIBLE
    assert restored.feed == "all" and restored.owner_feed == "sub-alice"
    assert restored.hidden_feed is None and restored.expires_at is None
    assert (restored.trashed_at, restored.trash_owner, restored.purge_key) == (None, None, None)
    assert _ids(selectors.photo_list_feed()) == [other.photo_id, photo.photo_id]
    assert _ids(selectors.photo_search(q="日落")) == [photo.photo_id]
    assert _ids(selectors.photo_list_trash(owner_sub="sub-alice", now=NOW)) == []
    assert bucket_keys(_bucket()) == sorted(_keys(restored) + _keys(other))
    assert not any(key.startswith(trash_paths.TRASH_PREFIX) for key in bucket_keys(_bucket()))
    assert storage.object_read(restored.original_key, max_bytes=10**7) == original
    assert _quota_used() == used


def test_share_links_stop_while_the_photo_is_trashed_and_serve_again_once_restored(make_photo):
    photo = make_photo()
    link = services.share_link_create(photo_id=photo.photo_id, actor=ALICE, expires_in=3600)
    services.photo_trash(photo_id=photo.photo_id, actor=ALICE)

    with pytest.raises(Gone):
        services.share_link_open(token=link.token)
    services.photo_restore(photo_id=photo.photo_id, actor=ALICE)

    shared = services.share_link_open(token=link.token)
    assert shared.photo.photo_id == photo.photo_id
    assert shared.photo.display_key == _latest(photo).display_key  # the restored object


def test_a_hidden_photo_stays_hidden_through_trash_and_restore_with_its_reason(make_photo):
    photo = make_photo("Sunset")
    moderation.photo_hide(photo_id=photo.photo_id, reason="spam", note="ads")

    services.photo_delete(photo_id=photo.photo_id, actor=ALICE, now=NOW)
    assert _ids(selectors.photo_list_trash(owner_sub="sub-alice", now=NOW)) == [photo.photo_id]
    services.photo_restore(photo_id=photo.photo_id, actor=ALICE, now=NOW)

    restored = _latest(photo)
    assert restored.status == STATUS_HIDDEN
    assert restored.hidden_feed == "all" and restored.feed is None
    assert (restored.hidden_reason, restored.hidden_note) == ("spam", "ads")
    assert selectors.photo_list_feed().items == []
    assert selectors.photo_search(q="sunset").items == []
    assert list(SearchTerm.scan()) == []


def test_the_dashboards_hidden_count_follows_a_hidden_photo_out_of_the_trash_and_back(
    make_photo,
):
    from gallery import counters

    def hidden_count() -> int:
        try:
            return int(counters.ActivityCounter.get(counters.HIDDEN_PHOTOS).total)
        except counters.ActivityCounter.DoesNotExist:
            return 0

    photo = make_photo()
    moderation.photo_hide(photo_id=photo.photo_id, reason="spam")
    assert hidden_count() == 1

    services.photo_trash(photo_id=photo.photo_id, actor=ALICE, now=NOW)
    assert hidden_count() == 0  # out of the moderators' hidden list, as the TTL may purge it
    services.photo_trash(photo_id=photo.photo_id, actor=ALICE, now=NOW)  # a retry
    assert hidden_count() == 0
    services.photo_restore(photo_id=photo.photo_id, actor=ALICE, now=NOW)
    assert hidden_count() == 1
    assert [p.photo_id for p in Photo.hidden_index.query("all")] == [photo.photo_id]


def test_a_moderator_hiding_a_trashed_photo_makes_it_come_back_hidden(make_photo):
    photo = make_photo()
    services.photo_trash(photo_id=photo.photo_id, actor=ALICE, now=NOW)

    moderation.photo_hide(photo_id=photo.photo_id, reason="violence")
    assert _latest(photo).status == STATUS_TRASHED
    services.photo_restore(photo_id=photo.photo_id, actor=ALICE, now=NOW)

    assert _latest(photo).status == STATUS_HIDDEN
    assert selectors.photo_list_feed().items == []


def test_restoring_beyond_the_quota_is_refused_and_leaves_the_photo_in_the_trash(
    make_photo, settings
):
    photo = make_photo()
    services.photo_trash(photo_id=photo.photo_id, actor=ALICE, now=NOW)
    settings.PHOTOSITE_STORAGE_QUOTA_BYTES = photo.size_bytes - 1

    with pytest.raises(QuotaExceeded):
        services.photo_restore(photo_id=photo.photo_id, actor=ALICE, now=NOW)

    assert _latest(photo).status == STATUS_TRASHED
    assert all(key.startswith(trash_paths.TRASH_PREFIX) for key in bucket_keys(_bucket()))


# --- expiry: past its purge time a photo is gone, whatever the TTL has done yet -----------------


def test_a_photo_past_its_purge_time_counts_as_gone_before_the_ttl_deletes_it(make_photo):
    photo = make_photo()
    services.photo_trash(photo_id=photo.photo_id, actor=ALICE, now=NOW)
    later = NOW + timedelta(days=settings.PHOTOSITE_TRASH_DAYS)

    assert Photo.get(photo.photo_id).is_purged(now=later)  # still stored: moto keeps it
    assert selectors.photo_list_trash(owner_sub="sub-alice", now=later).items == []
    with pytest.raises(NotFound):
        services.photo_restore(photo_id=photo.photo_id, actor=ALICE, now=later)
    with pytest.raises(NotFound):
        services.photo_delete_forever(photo_id=photo.photo_id, actor=ALICE, now=later)
    with pytest.raises(NotFound):
        services.photo_trash(photo_id=photo.photo_id, actor=ALICE, now=later)
    # A second before, it was still there.
    assert _ids(
        selectors.photo_list_trash(owner_sub="sub-alice", now=later - timedelta(seconds=1))
    ) == [photo.photo_id]


def test_comments_past_their_photos_purge_time_leave_the_moderators_lists(make_photo):
    from moderation import selectors as moderation_selectors

    gone, kept = make_photo("Gone"), make_photo("Kept")
    for photo in (gone, kept):
        services.comment_create(
            photo_id=photo.photo_id, author_sub="sub-bob", author_name="Bob", body="hi", ip=""
        )
    long_ago = datetime.now(UTC) - timedelta(days=settings.PHOTOSITE_TRASH_DAYS + 1)
    services.photo_trash(photo_id=gone.photo_id, actor=ALICE, now=long_ago)

    recent = moderation_selectors.comment_list_recent()

    assert [c.photo_id for c in recent.items] == [kept.photo_id]
    assert len(list(Comment.scan())) == 2  # both still stored: moto never runs the TTL


def test_the_trash_page_costs_one_query_whatever_lies_past_its_purge_time(make_photo):
    start = NOW - timedelta(days=settings.PHOTOSITE_TRASH_DAYS + 5)
    for n in range(6):  # long expired, not yet deleted by the TTL
        old = make_photo(f"Old {n}", data=png(16, 12))
        services.photo_trash(photo_id=old.photo_id, actor=ALICE, now=start)
    fresh = [make_photo(f"New {n}", data=png(16, 12)) for n in range(3)]
    for photo in fresh:
        services.photo_trash(photo_id=photo.photo_id, actor=ALICE, now=NOW)

    with count_dynamodb_calls() as log:
        page = selectors.photo_list_trash(owner_sub="sub-alice", now=NOW, limit=2)

    assert log.operations == ["Query"]
    assert log.items == 2
    assert "Scan" not in log.operations
    assert set(_ids(page)) <= {p.photo_id for p in fresh}
    rest = selectors.photo_list_trash(owner_sub="sub-alice", now=NOW, cursor=page.cursor)
    assert len(rest.items) == 1


# --- deleting for good --------------------------------------------------------------------------


def test_delete_forever_removes_the_photo_its_comments_links_and_every_object(make_photo):
    photo = make_photo("Sunset")
    keep = make_photo("Other", owner_sub="sub-bob", owner_name="Bob")
    services.comment_create(
        photo_id=photo.photo_id, author_sub="sub-bob", author_name="Bob", body="hi", ip=""
    )
    services.share_link_create(photo_id=photo.photo_id, actor=ALICE, expires_in=600)
    used = _quota_used()
    services.photo_trash(photo_id=photo.photo_id, actor=ALICE, now=NOW)

    services.photo_delete_forever(photo_id=photo.photo_id, actor=ALICE, now=NOW)

    assert [p.photo_id for p in Photo.scan()] == [keep.photo_id]
    assert list(Comment.scan()) == [] and list(ShareLink.scan()) == []
    assert bucket_keys(_bucket()) == _keys(keep)
    assert _quota_used() == used - photo.size_bytes  # given back once, not twice
    with pytest.raises(NotFound):  # a double click
        services.photo_delete_forever(photo_id=photo.photo_id, actor=ALICE, now=NOW)


def test_only_a_trashed_photo_can_be_deleted_forever(make_photo):
    photo = make_photo()

    with pytest.raises(Conflict) as refused:
        services.photo_delete_forever(photo_id=photo.photo_id, actor=ALICE, now=NOW)

    assert refused.value.code == "not_trashed"
    assert _latest(photo).is_visible


def test_emptying_the_trash_deletes_every_trashed_photo_and_nothing_else(make_photo):
    kept = make_photo("Kept")
    trashed = [make_photo(f"Gone {n}", data=png(16, 12)) for n in range(3)]
    bobs = make_photo("Bob's", owner_sub="sub-bob", owner_name="Bob")
    services.photo_trash(photo_id=bobs.photo_id, actor=BOB, now=NOW)
    for photo in trashed:
        services.photo_trash(photo_id=photo.photo_id, actor=ALICE, now=NOW)

    emptied = services.trash_empty(actor=ALICE, now=NOW)

    assert emptied == services.TrashEmptied(deleted=3, more=False)
    assert {p.photo_id for p in Photo.scan()} == {kept.photo_id, bobs.photo_id}
    assert services.trash_empty(actor=ALICE, now=NOW) == services.TrashEmptied(0, more=False)
    assert _ids(selectors.photo_list_trash(owner_sub="sub-bob", now=NOW)) == [bobs.photo_id]


def test_emptying_a_large_trash_says_more_remain(make_photo, monkeypatch):
    from gallery.services import trash

    monkeypatch.setattr(trash, "EMPTY_BATCH", 2)
    for n in range(3):
        photo = make_photo(f"Gone {n}", data=png(16, 12))
        services.photo_trash(photo_id=photo.photo_id, actor=ALICE, now=NOW)

    assert services.trash_empty(actor=ALICE, now=NOW) == services.TrashEmptied(2, more=True)
    assert services.trash_empty(actor=ALICE, now=NOW) == services.TrashEmptied(1, more=False)


# --- who may ------------------------------------------------------------------------------------


def test_someone_elses_photo_cannot_be_trashed_restored_or_deleted_forever(make_photo):
    photo = make_photo()

    with pytest.raises(Forbidden):
        services.photo_delete(photo_id=photo.photo_id, actor=BOB, now=NOW)
    with pytest.raises(Forbidden):
        services.photo_trash(photo_id=photo.photo_id, actor=MODERATOR, now=NOW)
    services.photo_trash(photo_id=photo.photo_id, actor=ALICE, now=NOW)
    for action in (services.photo_restore, services.photo_delete_forever):
        with pytest.raises(Forbidden):
            action(photo_id=photo.photo_id, actor=BOB, now=NOW)

    assert _latest(photo).status == STATUS_TRASHED


def test_a_moderators_deletion_of_someone_elses_photo_is_for_good(make_photo):
    photo = make_photo()

    assert services.photo_delete(photo_id=photo.photo_id, actor=MODERATOR, now=NOW) is None

    assert list(Photo.scan()) == []
    assert bucket_keys(_bucket()) == []


def test_missing_photos_are_not_found(aws_stack):
    for action in (services.photo_trash, services.photo_restore, services.photo_delete_forever):
        with pytest.raises(NotFound):
            action(photo_id="nope", actor=ALICE, now=NOW)


# --- retries, double clicks and crashes ---------------------------------------------------------


def test_trashing_and_restoring_twice_changes_nothing_the_second_time(make_photo):
    photo = make_photo()

    first = services.photo_trash(photo_id=photo.photo_id, actor=ALICE, now=NOW)
    version = _latest(photo).version
    services.photo_trash(photo_id=photo.photo_id, actor=ALICE, now=NOW + timedelta(hours=1))
    assert _latest(photo).version == version
    assert _latest(photo).expires_at == first.expires_at

    services.photo_restore(photo_id=photo.photo_id, actor=ALICE, now=NOW)
    version = _latest(photo).version
    services.photo_restore(photo_id=photo.photo_id, actor=ALICE, now=NOW)
    assert _latest(photo).version == version
    assert bucket_keys(_bucket()) == _keys(_latest(photo))


def test_a_trash_that_crashed_before_its_commit_leaves_the_photo_and_a_retry_finishes(
    make_photo, monkeypatch
):
    photo = make_photo()
    copy = storage.object_copy
    calls = []

    def crash_on_second(source, key, *, content_type):
        calls.append(key)
        if len(calls) == 2:
            raise OSError("S3 went away")
        return copy(source, key, content_type=content_type)

    monkeypatch.setattr(storage, "object_copy", crash_on_second)
    with pytest.raises(OSError):
        services.photo_trash(photo_id=photo.photo_id, actor=ALICE, now=NOW)
    monkeypatch.undo()

    assert _latest(photo).is_visible
    strays = [k for k in bucket_keys(_bucket()) if k.startswith(trash_paths.TRASH_PREFIX)]
    assert len(strays) == 1  # no record points there; the lifecycle rule expires it
    services.photo_trash(photo_id=photo.photo_id, actor=ALICE, now=NOW)
    assert bucket_keys(_bucket()) == _keys(_latest(photo))


def test_a_trash_that_crashed_after_its_commit_is_finished_by_a_retry(make_photo, monkeypatch):
    photo = make_photo()
    monkeypatch.setattr(storage, "objects_delete", lambda keys: (_ for _ in ()).throw(OSError()))

    services.photo_trash(photo_id=photo.photo_id, actor=ALICE, now=NOW)  # the commit held
    assert len(bucket_keys(_bucket())) == 2 * len(_keys(photo))  # the originals are still there
    monkeypatch.undo()
    services.photo_trash(photo_id=photo.photo_id, actor=ALICE, now=NOW)

    assert bucket_keys(_bucket()) == _keys(_latest(photo))


def test_a_restore_that_crashed_before_its_commit_leaves_the_photo_in_the_trash(
    make_photo, monkeypatch
):
    photo = make_photo("Sunset")
    services.photo_trash(photo_id=photo.photo_id, actor=ALICE, now=NOW)
    used = _quota_used()
    monkeypatch.setattr(
        Photo, "update", lambda self, **kw: (_ for _ in ()).throw(OSError("DynamoDB away"))
    )

    with pytest.raises(OSError):
        services.photo_restore(photo_id=photo.photo_id, actor=ALICE, now=NOW)
    monkeypatch.undo()

    assert _latest(photo).status == STATUS_TRASHED
    assert list(SearchTerm.scan()) == []
    assert _quota_used() == used
    services.photo_restore(photo_id=photo.photo_id, actor=ALICE, now=NOW)
    assert _latest(photo).is_visible
    # The crashed try's copies are the same keys the retry wrote: nothing stray.
    assert bucket_keys(_bucket()) == _keys(_latest(photo))


def test_delete_forever_also_removes_what_a_crashed_restore_copied(make_photo, monkeypatch):
    photo = make_photo()
    services.photo_trash(photo_id=photo.photo_id, actor=ALICE, now=NOW)
    monkeypatch.setattr(
        Photo, "update", lambda self, **kw: (_ for _ in ()).throw(OSError("DynamoDB away"))
    )
    with pytest.raises(OSError):
        services.photo_restore(photo_id=photo.photo_id, actor=ALICE, now=NOW)
    monkeypatch.undo()
    assert len(bucket_keys(_bucket())) == 2 * len(_keys(photo))  # trashed and copied back

    services.photo_delete_forever(photo_id=photo.photo_id, actor=ALICE, now=NOW)

    assert bucket_keys(_bucket()) == []


# Real threads racing on one photo: tests/data/test_trash_race.py (on DynamoDB Local, whose
# conditional updates are atomic under concurrent requests, as AWS's are).
