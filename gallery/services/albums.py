"""Album writes: create, rename, delete an album; add, remove and order its photos; pick a cover.

An album is its owner's alone: every write here checks that the actor owns it, and anyone
else is told there is no such album (as a stranger is about a hidden photo). Only the owner's
own photos go in.

Every write is safe to repeat and to race:
- creating with the same request token (a double click, a retried POST) finds the album the
  first request made: the album's id is derived from the owner and the token;
- an item's key is (album, photo), and it is written on the condition that it is new, in one
  transaction with the album's count, so adding a photo twice makes one item and one count;
- removing, deleting and picking a cover are conditional, and a repeat finds nothing to do;
- a move names where the photo goes (after or before another one), not how far it goes, so a
  repeated move finds the photo already there; ordering rewrites the moved item only
  (gallery.positions).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import random
import re
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pynamodb.exceptions import DeleteError, PutError, TransactWriteError, UpdateError

from core.transactions import Transaction, condition_failed, transaction_conflict
from gallery import positions
from gallery.errors import Conflict, Forbidden, GalleryError, Invalid, NotFound, gettext_noop
from gallery.models import (
    STATUS_HIDDEN,
    STATUS_VISIBLE,
    Album,
    AlbumItem,
    Photo,
    time_key,
)
from gallery.services import common

logger = logging.getLogger(__name__)

TITLE_MAX_CHARS = 200
DESCRIPTION_MAX_CHARS = 2000
# An album's photos at most, and the photos one request may add at once ("My photos" sends a
# page's selection).
ALBUM_MAX_ITEMS = 2000
BULK_MAX_PHOTOS = 100
TRANSACTION_ATTEMPTS = 5
# What a client may send as the token that makes a creation repeatable.
REQUEST_TOKEN = re.compile(r"[A-Za-z0-9_-]{8,64}")
# Longer than any id the site makes; a longer one names nothing (and DynamoDB refuses keys
# beyond 2 KB with an error, not an absence).
ID_MAX_CHARS = 64

NO_SUCH_ALBUM = gettext_noop("No such album.")
NO_SUCH_PHOTO = gettext_noop("No such photo.")
NOT_IN_ALBUM = gettext_noop("That photo is not in this album.")
NOT_YOUR_PHOTO = gettext_noop("Only your own photos can go in your albums.")


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise Invalid(gettext_noop("Give the album a title."), code="title_required")
    common.refuse_control_characters(title)
    if len(title) > TITLE_MAX_CHARS:
        raise Invalid(
            gettext_noop("The title is too long (at most %(limit)d characters)."),
            code="title_too_long",
            params={"limit": TITLE_MAX_CHARS},
        )
    return title


def _clean_description(description: str) -> str:
    description = (description or "").strip()
    common.refuse_control_characters(description, allowed="\t\n\r")
    if len(description) > DESCRIPTION_MAX_CHARS:
        raise Invalid(
            gettext_noop("The description is too long (at most %(limit)d characters)."),
            code="description_too_long",
            params={"limit": DESCRIPTION_MAX_CHARS},
        )
    return description


def album_id_for(*, owner_sub: str, request_token: str) -> str:
    """Return the id of the album that this owner's creation with this token makes.

    A hash, so one owner's token can never name another owner's album, and a client cannot
    choose an id.
    """
    digest = hashlib.sha256(f"album#{owner_sub}#{request_token}".encode()).digest()
    return base64.urlsafe_b64encode(digest[:12]).decode()


def _owner(actor: Any) -> str:
    if not actor.is_authenticated:
        raise Forbidden(gettext_noop("Sign in to keep albums."), code="sign_in")
    return actor.get_username()


def album_create(
    *,
    actor: Any,
    title: str,
    description: str = "",
    request_token: str | None = None,
    now: datetime | None = None,
) -> Album:
    """Make an album of the actor's. With the same `request_token` again (a double click, a
    retry) return the album the first call made instead of a second one."""
    owner_sub = _owner(actor)
    title, description = _clean_title(title), _clean_description(description)
    if request_token is None:
        request_token = common.new_id()
    elif not REQUEST_TOKEN.fullmatch(request_token):
        raise Invalid(
            gettext_noop("The request token must be 8 to 64 letters, digits, - or _."),
            code="bad_request_token",
        )
    album_id = album_id_for(owner_sub=owner_sub, request_token=request_token)
    created_at = common.utc_now(now)
    album = Album(
        album_id,
        owner_sub=owner_sub,
        title=title,
        description=description,
        created_at=created_at,
        created_key=time_key(created_at, album_id),
        item_count=0,
    )
    try:
        album.save(condition=Album.album_id.does_not_exist())
    except PutError as exc:
        if not condition_failed(exc):
            raise
        # The first request with this token made it (its title wins; it may have been renamed).
        return _album_owned(album_id, owner_sub=owner_sub)
    return album


def _album_owned(album_id: str, *, owner_sub: str) -> Album:
    """Return the album, read consistently, if it is this owner's; NotFound otherwise."""
    if not 0 < len(album_id) <= ID_MAX_CHARS:
        raise NotFound(NO_SUCH_ALBUM)
    try:
        album = Album.get(album_id, consistent_read=True)
    except Album.DoesNotExist:
        raise NotFound(NO_SUCH_ALBUM) from None
    if album.owner_sub != owner_sub:
        raise NotFound(NO_SUCH_ALBUM)
    return album


def album_update(
    *, album_id: str, actor: Any, title: str, description: str, expected_version: int
) -> Album:
    """Retitle an album and rewrite its description if nobody changed them since
    `expected_version` was read (Conflict otherwise: reload and try again)."""
    album = _album_owned(album_id, owner_sub=_owner(actor))
    title, description = _clean_title(title), _clean_description(description)
    stale = Conflict(
        gettext_noop("This album was changed meanwhile; reload the page and try again.")
    )
    if album.version != expected_version:
        raise stale
    try:
        album.update(actions=[Album.title.set(title), Album.description.set(description)])
    except UpdateError as exc:
        if condition_failed(exc):
            raise stale from None
        raise
    return album


def album_delete(*, album_id: str, actor: Any) -> None:
    """Delete an album and its items (its photos stay). NotFound if it is gone already.

    The album's record goes first: an item without its album is never read (every listing of
    items starts from the album), and an add racing the deletion fails on the album's absence.
    """
    album = _album_owned(album_id, owner_sub=_owner(actor))
    try:
        album.delete(Album.album_id.exists(), add_version_condition=False)
    except DeleteError as exc:
        if condition_failed(exc):
            raise NotFound(NO_SUCH_ALBUM) from None
        raise
    try:
        with AlbumItem.batch_write() as batch:
            for item in AlbumItem.query(
                album_id, consistent_read=True, attributes_to_get=["album_id", "photo_id"]
            ):
                batch.delete(item)
    except Exception:
        logger.exception("album %s deleted; some of its items were left behind", album_id)


# --- items ------------------------------------------------------------------------------------


@dataclass
class AddResult:
    """What adding several photos did: which went in, which were there already, which not."""

    added: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    refused: list[tuple[str, GalleryError]] = field(default_factory=list)


def _photo_for_album(photo_id: str, *, owner_sub: str) -> Photo:
    if not 0 < len(photo_id) <= ID_MAX_CHARS:
        raise NotFound(NO_SUCH_PHOTO)
    try:
        photo = Photo.get(photo_id, consistent_read=True)
    except Photo.DoesNotExist:
        raise NotFound(NO_SUCH_PHOTO) from None
    if photo.status not in (STATUS_VISIBLE, STATUS_HIDDEN):
        raise NotFound(NO_SUCH_PHOTO)
    if photo.owner_sub != owner_sub:
        raise Forbidden(NOT_YOUR_PHOTO, code="not_your_photo")
    return photo


def _edge_key(album_id: str, *, last: bool) -> str | None:
    """Return the order key of the album's last (or first) item; None for an empty album."""
    for item in AlbumItem.position_index.query(
        album_id, scan_index_forward=not last, limit=1, consistent_read=True
    ):
        return positions.key_of(item.position)
    return None


def _retrying(write: Any) -> Any:
    """Run a transaction, again after a TransactionConflict (concurrent writes to one album
    collide on its count; DynamoDB cancels one, and trying again is safe)."""
    for attempt in range(TRANSACTION_ATTEMPTS):
        try:
            return write()
        except TransactWriteError as exc:
            if condition_failed(exc) or not transaction_conflict(exc):
                raise
            if attempt == TRANSACTION_ATTEMPTS - 1:
                raise
            time.sleep(random.uniform(0, 0.05 * 2**attempt))  # noqa: S311 (jitter)
    raise AssertionError("unreachable")


def album_item_add(
    *, album_id: str, photo_id: str, actor: Any, now: datetime | None = None
) -> bool:
    """Put one of the actor's photos at the end of their album; return whether it was added
    (False: it was there already, nothing changed).

    One transaction writes the item (on the condition that it is new), counts it on the album
    (on the condition that the album is still the actor's and not full, and makes the photo
    the cover if there is none), and checks that the photo is still the actor's and published.
    """
    owner_sub = _owner(actor)
    _album_owned(album_id, owner_sub=owner_sub)
    _photo_for_album(photo_id, owner_sub=owner_sub)
    added_at = common.utc_now(now)

    def write() -> None:
        key = positions.key_between(_edge_key(album_id, last=True), None)
        item = AlbumItem(
            album_id,
            photo_id,
            position=positions.position_of(key, photo_id),
            added_at=added_at,
        )
        with Transaction.on(AlbumItem) as transaction:
            transaction.condition_check(
                Photo,
                photo_id,
                condition=(Photo.owner_sub == owner_sub)
                & Photo.status.is_in(STATUS_VISIBLE, STATUS_HIDDEN),
            )
            transaction.save(item, condition=AlbumItem.photo_id.does_not_exist())
            transaction.update_unversioned(
                Album,
                album_id,
                actions=[
                    Album.item_count.add(1),
                    Album.cover_photo_id.set(Album.cover_photo_id | photo_id),
                ],
                condition=(Album.owner_sub == owner_sub) & (Album.item_count < ALBUM_MAX_ITEMS),
            )

    try:
        _retrying(write)
    except TransactWriteError as exc:
        if not condition_failed(exc):
            raise
        photo_failed, item_failed, album_failed = (
            reason is not None and reason.code == "ConditionalCheckFailed"
            for reason in exc.cancellation_reasons or [None, None, None]
        )
        if item_failed:
            return False
        if photo_failed:
            raise NotFound(NO_SUCH_PHOTO) from None
        if album_failed and _album_owned(album_id, owner_sub=owner_sub):
            raise Invalid(
                gettext_noop("This album is full (at most %(limit)d photos)."),
                code="album_full",
                params={"limit": ALBUM_MAX_ITEMS},
            ) from None
        raise
    return True


def album_items_add(*, album_id: str, photo_ids: list[str], actor: Any) -> AddResult:
    """Add several of the actor's photos to their album, in the order given, each as
    `album_item_add` does; a photo that cannot go in is reported, not fatal to the others."""
    wanted = list(dict.fromkeys(photo_id for photo_id in photo_ids if photo_id))
    if not wanted:
        raise Invalid(gettext_noop("Choose at least one photo."), code="no_photos")
    if len(wanted) > BULK_MAX_PHOTOS:
        raise Invalid(
            gettext_noop("Add at most %(limit)d photos at a time."),
            code="too_many_photos",
            params={"limit": BULK_MAX_PHOTOS},
        )
    owner_sub = _owner(actor)
    _album_owned(album_id, owner_sub=owner_sub)
    result = AddResult()
    for photo_id in wanted:
        try:
            added = album_item_add(album_id=album_id, photo_id=photo_id, actor=actor)
        except NotFound as exc:
            if exc.template == NO_SUCH_ALBUM:
                raise
            result.refused.append((photo_id, exc))
            continue
        except (Forbidden, Invalid) as exc:
            result.refused.append((photo_id, exc))
            continue
        (result.added if added else result.present).append(photo_id)
    return result


def _item_remove(album_id: str, photo_id: str, *, owner_sub: str | None) -> bool:
    """Delete one item and uncount it; clear the cover if it was this photo. Return whether
    this call removed it (False: it was gone already). `owner_sub` None: any owner's (the
    clean-up after a photo is deleted)."""

    def write() -> None:
        album_condition = Album.album_id.exists()
        if owner_sub is not None:
            album_condition &= Album.owner_sub == owner_sub
        with Transaction.on(AlbumItem) as transaction:
            transaction.delete(AlbumItem(album_id, photo_id), condition=AlbumItem.photo_id.exists())
            transaction.update_unversioned(
                Album, album_id, actions=[Album.item_count.add(-1)], condition=album_condition
            )

    try:
        _retrying(write)
    except TransactWriteError as exc:
        if not condition_failed(exc):
            raise
        item_failed, album_failed = (
            reason is not None and reason.code == "ConditionalCheckFailed"
            for reason in exc.cancellation_reasons or [None, None]
        )
        if album_failed and not item_failed:
            # The album went (its items go with it) or is someone else's.
            if owner_sub is not None:
                raise NotFound(NO_SUCH_ALBUM) from None
            AlbumItem(album_id, photo_id).delete()
        return False
    try:
        # Through the table connection: a model's update() would bump the version (making an
        # open rename form stale) or, on an unloaded instance, set it back to 1.
        Album._get_connection().update_item(
            album_id,
            actions=[Album.cover_photo_id.remove()],
            condition=Album.cover_photo_id == photo_id,
        )
    except UpdateError as exc:
        if not condition_failed(exc):
            raise
    return True


def album_item_remove(*, album_id: str, photo_id: str, actor: Any) -> bool:
    """Take a photo out of the actor's album (the photo stays); return whether this call
    removed it (False: it was not there, which is no error: a repeat or a double click)."""
    owner_sub = _owner(actor)
    _album_owned(album_id, owner_sub=owner_sub)
    if not 0 < len(photo_id) <= ID_MAX_CHARS:
        return False
    return _item_remove(album_id, photo_id, owner_sub=owner_sub)


def album_items_forget_photo(*, photo_id: str) -> int:
    """Remove a deleted photo from every album it was in; return how many items went.

    Cheap (one Query of the `by_photo` index, then one transaction per album holding it) and
    safe to run again. Album pages skip a missing photo anyway, so a failure here only leaves
    a count one too high until this runs again.
    """
    removed = 0
    for item in AlbumItem.photo_index.query(photo_id):
        if _item_remove(item.album_id, photo_id, owner_sub=None):
            removed += 1
    return removed


def _item_get(album_id: str, photo_id: str) -> AlbumItem:
    if not 0 < len(photo_id) <= ID_MAX_CHARS:
        raise NotFound(NOT_IN_ALBUM, code="not_in_album")
    try:
        return AlbumItem.get(album_id, photo_id, consistent_read=True)
    except AlbumItem.DoesNotExist:
        raise NotFound(NOT_IN_ALBUM, code="not_in_album") from None


def _neighbours(album_id: str, position: str, *, after: bool, skip: str) -> AlbumItem | None:
    """Return the item next to `position` (after it, or before it), leaving out `skip`."""
    condition = AlbumItem.position > position if after else AlbumItem.position < position
    for item in AlbumItem.position_index.query(
        album_id, condition, scan_index_forward=after, limit=2, consistent_read=True
    ):
        if item.photo_id != skip:
            return item
    return None


def album_item_move(
    *,
    album_id: str,
    photo_id: str,
    actor: Any,
    after: str | None = None,
    before: str | None = None,
) -> bool:
    """Move a photo of the actor's album to just after (or just before) another of its photos;
    return whether it moved (False: it was there already, as after a double click).

    Only the moved item is rewritten: it gets an order key between its new neighbours'. Two
    photos moved into the same gap at once both land in it, in some order.
    """
    if (after is None) == (before is None) or photo_id in (after, before):
        raise Invalid(
            gettext_noop("Say which other photo of the album this one goes after or before."),
            code="bad_move",
        )
    owner_sub = _owner(actor)
    _album_owned(album_id, owner_sub=owner_sub)
    moving = _item_get(album_id, photo_id)
    anchor = _item_get(album_id, after or before)
    beside = _neighbours(album_id, anchor.position, after=after is not None, skip=photo_id)
    if after is not None:
        low, high = anchor, beside
        already = moving.position > anchor.position and (
            beside is None or moving.position < beside.position
        )
    else:
        low, high = beside, anchor
        already = moving.position < anchor.position and (
            beside is None or moving.position > beside.position
        )
    if already:
        return False
    low_key = positions.key_of(low.position) if low else None
    high_key = positions.key_of(high.position) if high else None
    if low_key is not None and low_key == high_key:
        # Two photos placed into one gap at once drew the same random digits (once in 62**3).
        raise Conflict(gettext_noop("The album's order changed meanwhile; try again."))
    try:
        key = positions.key_between(low_key, high_key)
    except positions.PositionTooLong:
        raise Conflict(
            gettext_noop("This album's order cannot take that move; move another photo first.")
        ) from None
    try:
        moving.update(
            actions=[AlbumItem.position.set(positions.position_of(key, photo_id))],
            condition=AlbumItem.position == moving.position,
        )
    except UpdateError as exc:
        if condition_failed(exc):
            raise Conflict(
                gettext_noop("The album's order changed meanwhile; try again.")
            ) from None
        raise
    return True


def album_cover_set(*, album_id: str, photo_id: str, actor: Any) -> Album:
    """Make one of the album's photos its cover (setting it again changes nothing)."""
    owner_sub = _owner(actor)
    album = _album_owned(album_id, owner_sub=owner_sub)
    _item_get(album_id, photo_id)  # a clear 404 for a photo outside the album

    def write() -> None:
        with Transaction.on(AlbumItem) as transaction:
            transaction.condition_check(
                AlbumItem, album_id, photo_id, condition=AlbumItem.photo_id.exists()
            )
            transaction.update_unversioned(
                Album,
                album_id,
                actions=[Album.cover_photo_id.set(photo_id)],
                condition=Album.owner_sub == owner_sub,
            )

    try:
        _retrying(write)
    except TransactWriteError as exc:
        if not condition_failed(exc):
            raise
        item_failed = bool(exc.cancellation_reasons) and exc.cancellation_reasons[0] is not None
        if item_failed and exc.cancellation_reasons[0].code == "ConditionalCheckFailed":
            raise NotFound(NOT_IN_ALBUM, code="not_in_album") from None
        raise NotFound(NO_SUCH_ALBUM) from None
    album.cover_photo_id = photo_id
    return album
