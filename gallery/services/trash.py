"""The trash: an owner's deleted photo waits PHOTOSITE_TRASH_DAYS before it is gone for good.

Deleting (`photo_delete`: the photo page, `DELETE /api/photos/{id}`, bulk deletion) moves the
owner's photo to their trash; a moderator's deletion of someone else's photo is for good (and
audited), as the owner must not undo it. Nothing runs to purge the trash: AWS does it.

- DynamoDB: the trashed photo carries a TTL (`expires_at`) at its purge time, and its comments
  the same one (stamped in transactions that check the photo is still trashed as read, so a
  late stamp can never reach a restored photo's comments). Every read treats a photo past its
  purge time as gone, since the TTL deletes it only up to a few days later. What else the
  photo had needs no TTL: its search terms are deleted when it is trashed, its share links and
  retained IP addresses expire by their own TTL, and its storage quota is given back at once
  (and charged again on restore).
- S3: the objects move under trash/ (gallery.trash_paths explains why a copy, and which
  keys), where the bucket's lifecycle rule expires them a day after the trash period.

The record is the source of truth and its conditional update the commit point of each move:
objects are copied before it (a crash leaves copies no record points to: under trash/ the
lifecycle removes them, under photos/ a purge lists the photo's folder) and the sources are
deleted after it, and again by any retry (the record keeps them in `moved_from`), so trashing
or restoring twice completes a half-done move and changes nothing else.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from pynamodb.exceptions import TransactWriteError, UpdateError

from core.transactions import Transaction, condition_failed
from gallery import counters, policy, search_terms, selectors, storage, trash_paths
from gallery.errors import Conflict, NotFound, gettext_noop
from gallery.models import (
    FEED_PARTITION,
    STATUS_HIDDEN,
    STATUS_TRASHED,
    STATUS_VISIBLE,
    Comment,
    Photo,
    time_key,
)
from gallery.services import common, photos

logger = logging.getLogger(__name__)

# Comments stamped (or unstamped) per transaction: 100 items, one of them the photo's check.
COMMENTS_PER_TRANSACTION = 99
# Photos one "Empty trash" deletes; the page and the API say when more remain.
EMPTY_BATCH = 50

ALREADY_GONE = gettext_noop("This photo is no longer in the trash: it was deleted for good.")
CHANGED = gettext_noop("This photo was changed meanwhile; reload the page and try again.")
NOT_TRASHED = gettext_noop("Only a photo in the trash can be deleted for good.")


def _objects(photo: Photo) -> dict[str, tuple[str, str]]:
    """Return each object attribute's key and content type (keys a photo has, only)."""
    found = {
        "original_key": (photo.original_key, photo.content_type or "application/octet-stream"),
        "grid_key": (photo.grid_key, "image/jpeg"),
        "display_key": (photo.display_key, "image/jpeg"),
        "full_key": (photo.full_key, "image/jpeg"),
    }
    return {attr: (key, kind) for attr, (key, kind) in found.items() if key}


def _move(photo: Photo, *, to_trash: bool) -> tuple[dict[str, str], list[Any]]:
    """Copy the photo's objects to where this move puts them; return the new keys and the
    update actions that point the record at them (and remember the sources in moved_from).

    The copies are idempotent: the keys depend only on the photo's id and version.
    """
    name = trash_paths.trash_key if to_trash else trash_paths.restored_key
    moved: dict[str, str] = {}
    for attr, (key, kind) in _objects(photo).items():
        target = name(key, photo_id=photo.photo_id, version=photo.version)
        storage.object_copy(key, target, content_type=kind)
        moved[attr] = target
    actions = [getattr(Photo, attr).set(key) for attr, key in moved.items()]
    if "original_key" in moved:
        actions.append(Photo.original_url.set(storage.object_location(moved["original_key"])))
    sources = {key for key, _kind in _objects(photo).values()}
    actions.append(Photo.moved_from.set(sources) if sources else Photo.moved_from.remove())
    return moved, actions


def _commit(photo: Photo, actions: list[Any], *, condition: Any = None, hidden_delta: int) -> Photo:
    """Apply a move's update on the version read (and `condition`); return the photo as stored.

    A move that takes a hidden photo out of the `hidden` index or puts it back counts it in the
    dashboard's hidden photos (gallery.counters) in the same transaction, so the count stays
    that of the index whatever the TTL later deletes.
    """
    if not hidden_delta:
        photo.update(actions=actions, condition=condition)  # refreshes `photo` from the write
        return photo

    def commit() -> None:
        with Transaction.on(Photo) as transaction:
            transaction.update(photo, actions=list(actions), condition=condition)
            counters.counter_add(
                transaction, counter_key=counters.HIDDEN_PHOTOS, delta=hidden_delta
            )

    counters.transaction_retried(commit)
    return Photo.get(photo.photo_id, consistent_read=True)


def _condition_failed(exc: Exception) -> bool:
    return isinstance(exc, UpdateError | TransactWriteError) and condition_failed(exc)


def _sources_delete(photo: Photo) -> None:
    """Delete what the photo's last move copied from (no record points there any more)."""
    if photo.moved_from:
        storage.objects_delete(sorted(photo.moved_from))


def _photo_read(photo_id: str, *, actor: Any, now: datetime) -> Photo:
    """Return the latest photo for a trash action by its owner: NotFound if missing or past
    its purge time, Forbidden if it is someone else's."""
    photo = selectors.photo_get_latest(photo_id=photo_id)
    if photo.is_purged(now=now):
        raise NotFound(ALREADY_GONE)
    policy.trash_check(actor=actor, photo=photo)
    return photo


def photo_delete(*, photo_id: str, actor: Any, now: datetime | None = None) -> Photo | None:
    """Delete a photo as its owner or a moderator asked: the owner's into their trash (the
    trashed photo is returned), someone else's by a moderator for good (None, audited)."""
    photo = selectors.photo_get_latest(photo_id=photo_id)
    if policy.change_check(item=photo, actor=actor):
        photos.photo_purge(photo_id=photo_id, actor=actor)
        return None
    return photo_trash(photo_id=photo_id, actor=actor, now=now)


def photo_trash(*, photo_id: str, actor: Any, now: datetime | None = None) -> Photo:
    """Move the owner's photo to their trash until PHOTOSITE_TRASH_DAYS have passed.

    It leaves the feed, search, the owner's list, share links and albums at once (its status
    is `trashed`); a hidden photo stays hidden when restored. Trashing a trashed photo
    finishes what a crashed move left and changes nothing else (a double click, a retry).
    """
    now = common.utc_now(now)
    photo = _photo_read(photo_id, actor=actor, now=now)
    if photo.is_trashed:
        _leftovers_finish(photo)
        return photo
    purge_at = now + timedelta(days=settings.PHOTOSITE_TRASH_DAYS)
    was_searchable = photo.is_listed
    try:
        _moved, actions = _move(photo, to_trash=True)
        actions += [
            Photo.status.set(STATUS_TRASHED),
            Photo.trashed_status.set(photo.status),
            Photo.trashed_at.set(now),
            Photo.expires_at.set(purge_at),
            Photo.trash_owner.set(photo.owner_sub),
            Photo.purge_key.set(time_key(purge_at, photo.photo_id)),
            Photo.feed.remove(),
            Photo.owner_feed.remove(),
            Photo.hidden_feed.remove(),
        ]
        # The commit point, on the version read: a concurrent change or move loses here.
        photo = _commit(photo, actions, hidden_delta=-1 if photo.status == STATUS_HIDDEN else 0)
    except Exception as exc:
        # Another click or tab may have trashed it first (and deleted the objects this one
        # was still copying): then it is done. Otherwise nothing changed but a stray copy.
        latest = _photo_read(photo_id, actor=actor, now=now)
        if latest.is_trashed:
            _leftovers_finish(latest)
            return latest
        if _condition_failed(exc):
            raise Conflict(CHANGED) from None
        raise
    common.storage_quota_release(owner_sub=photo.owner_sub, size=photo.size_bytes)
    if was_searchable:
        # Search ignores a term whose photo is not visible, so this may lag the commit.
        search_terms.search_terms_delete(
            terms=search_terms.index_terms(photo.name, photo.caption), sort_key=photo.sort_key
        )
    _leftovers_finish(photo)
    return photo


def _leftovers_finish(photo: Photo) -> None:
    """After (or on a retry of) a trash move: delete its sources and give the comments the
    photo's TTL. A failure is logged; the next retry, or the purge, finishes it."""
    try:
        _sources_delete(photo)
        _comments_stamp(photo)
    except Exception:
        logger.exception("photo %s trashed; its old objects or comments were left", photo.photo_id)


def _comment_keys(photo_id: str) -> list[tuple[str, str]]:
    return [
        (comment.photo_id, comment.created_key)
        for comment in Comment.query(photo_id, attributes_to_get=["photo_id", "created_key"])
    ]


def _comments_stamp(photo: Photo) -> None:
    """Give every comment of a trashed photo the photo's purge time as its TTL, in
    transactions that each check the photo is still in the trash as it was read."""
    keys = _comment_keys(photo.photo_id)
    for start in range(0, len(keys), COMMENTS_PER_TRANSACTION):
        try:
            with Transaction.on(Comment) as transaction:
                transaction.condition_check(
                    Photo,
                    photo.photo_id,
                    condition=(Photo.status == STATUS_TRASHED)
                    & (Photo.expires_at == photo.expires_at),
                )
                for key in keys[start : start + COMMENTS_PER_TRANSACTION]:
                    transaction.update_unversioned(
                        Comment,
                        key[0],
                        range_key=key[1],
                        actions=[Comment.expires_at.set(photo.expires_at)],
                        condition=Comment.photo_id.exists(),
                    )
        except TransactWriteError as exc:
            if condition_failed(exc):
                return  # restored (or purged) meanwhile: its comments must keep no TTL
            raise


def _comments_unstamp(photo_id: str) -> None:
    """Take the TTL off every comment of a photo being restored (before its commit: a crash
    then leaves comments that outlive a purged photo, never a restored photo without them).

    One unversioned update a comment: a comment deleted meanwhile is skipped, not recreated.
    """
    connection = Comment._get_connection()
    for hash_key, range_key in _comment_keys(photo_id):
        try:
            connection.update_item(
                hash_key,
                range_key=range_key,
                actions=[Comment.expires_at.remove()],
                condition=Comment.photo_id.exists(),
            )
        except UpdateError as exc:
            if not condition_failed(exc):
                raise


def photo_restore(*, photo_id: str, actor: Any, now: datetime | None = None) -> Photo:
    """Put a trashed photo back exactly as it was: its objects, its owner's list, the feed and
    search if it belongs there (a hidden photo stays hidden), its comments without a TTL.

    Restoring a restored photo changes nothing (a double click). NotFound when the photo is
    past its purge time; QuotaExceeded when its bytes no longer fit the owner's quota.
    """
    now = common.utc_now(now)
    photo = _photo_read(photo_id, actor=actor, now=now)
    if not photo.is_trashed:
        _sources_quietly_delete(photo)
        return photo
    status = photo.trashed_status or STATUS_VISIBLE
    restored = copy.deepcopy(photo)
    restored.status = status
    searchable = restored.is_listed
    terms = search_terms.index_terms(photo.name, photo.caption) if searchable else set()
    common.storage_quota_charge(owner_sub=photo.owner_sub, size=photo.size_bytes or 0)
    try:
        _moved, actions = _move(photo, to_trash=False)
        _comments_unstamp(photo.photo_id)
        # Terms first, as on upload: a term without a visible photo is ignored by search.
        search_terms.search_terms_put(terms=terms, sort_key=photo.sort_key, photo_id=photo_id)
        actions += [
            Photo.status.set(status),
            Photo.owner_feed.set(photo.owner_sub),
            Photo.feed.set(FEED_PARTITION) if searchable else Photo.feed.remove(),
            (
                Photo.hidden_feed.set(FEED_PARTITION)
                if status == STATUS_HIDDEN
                else Photo.hidden_feed.remove()
            ),
            Photo.expires_at.remove(),
            Photo.trashed_at.remove(),
            Photo.trashed_status.remove(),
            Photo.trash_owner.remove(),
            Photo.purge_key.remove(),
        ]
        # The commit point: on the version read, and only while the purge time is ahead.
        restored = _commit(
            photo,
            actions,
            condition=Photo.expires_at > now,
            hidden_delta=1 if status == STATUS_HIDDEN else 0,
        )
    except Exception as exc:
        # Another click or tab may have restored it first (and deleted the trashed objects
        # this one was still copying), or deleted it for good: say how it ended.
        latest = _restore_undo(photo, terms=terms)
        if latest is None or latest.is_purged(now=now):
            raise NotFound(ALREADY_GONE) from None
        if not latest.is_trashed:
            return latest
        if _condition_failed(exc):
            raise Conflict(CHANGED) from None
        raise
    _sources_quietly_delete(restored)
    return restored


def _restore_undo(photo: Photo, *, terms: set[str]) -> Photo | None:
    """Undo what a failed restore did before its commit, and return the photo as it is now.

    The quota charge is given back. The search terms are deleted only if the photo is still
    in the trash: a concurrent restore that won wrote the very same terms. Copies are left to
    the next move, or the purge, which lists the photo's folders; but when the photo was
    deleted for good meanwhile nothing will list them again, so they go now.
    """
    common.storage_quota_release(owner_sub=photo.owner_sub, size=photo.size_bytes)
    try:
        latest = Photo.get(photo.photo_id, consistent_read=True)
    except Photo.DoesNotExist:
        latest = None
    if latest is None or latest.is_trashed:
        search_terms.search_terms_delete(terms=terms, sort_key=photo.sort_key)
    if latest is None:
        copies = [
            trash_paths.restored_key(key, photo_id=photo.photo_id, version=photo.version)
            for key, _kind in _objects(photo).values()
        ]
        try:
            storage.objects_delete(copies)
        except Exception:
            logger.exception(
                "photo %s deleted for good; a restore's copies were left", photo.photo_id
            )
    return latest


def _sources_quietly_delete(photo: Photo) -> None:
    # Left behind, they are trash/ objects: the bucket's lifecycle rule removes them anyway.
    try:
        _sources_delete(photo)
    except Exception:
        logger.exception("photo %s restored; its trashed copies were left", photo.photo_id)


def photo_delete_forever(*, photo_id: str, actor: Any, now: datetime | None = None) -> None:
    """Delete a photo of the owner's trash for good, now: the record, comments, links, objects.

    NotFound if it is gone already (a double click, or past its purge time); Conflict if it is
    not in the trash (restored meanwhile, in another tab).
    """
    now = common.utc_now(now)
    photo = _photo_read(photo_id, actor=actor, now=now)
    if not photo.is_trashed:
        raise Conflict(NOT_TRASHED, code="not_trashed")
    try:
        photos.photo_purge(photo_id=photo_id, actor=actor, trashed_version=photo.version)
    except NotFound:
        latest = _photo_read(photo_id, actor=actor, now=now)  # NotFound if it went meanwhile
        if not latest.is_trashed:
            raise Conflict(NOT_TRASHED, code="not_trashed") from None
        raise Conflict(CHANGED) from None


@dataclass(frozen=True)
class TrashEmptied:
    """What one "Empty trash" did: how many photos it deleted, and whether more remain."""

    deleted: int
    more: bool


def trash_empty(*, actor: Any, now: datetime | None = None) -> TrashEmptied:
    """Delete for good up to EMPTY_BATCH photos of the actor's trash (its first page).

    Photos that went or came back meanwhile are skipped, so two tabs emptying at once
    both succeed. `more` says whether the trash still holds photos.
    """
    now = common.utc_now(now)
    page = selectors.photo_list_trash(owner_sub=actor.get_username(), now=now, limit=EMPTY_BATCH)
    deleted = 0
    for photo in page.items:
        try:
            photo_delete_forever(photo_id=photo.photo_id, actor=actor, now=now)
        except (NotFound, Conflict):
            continue
        deleted += 1
    return TrashEmptied(deleted=deleted, more=page.cursor is not None)
