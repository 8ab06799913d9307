"""Moderation writes: hide and unhide photos and comments, with optimistic locking.

It writes the search index through gallery.search_terms, as publishing and deleting do, so a
hidden photo leaves exactly the indexes a deleted one would (feed, search terms) and comes back
into them when unhidden.

`comment_count` counts the comments the public sees: hiding a comment uncounts it, unhiding
counts it again, each in one transaction with the comment's version check.

The dashboard's hidden counters (gallery.counters) change in the same transaction as the
status: a hide counts once however often it is retried or raced (the version check lets one
writer through, and hiding a hidden photo changes nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pynamodb.exceptions import TransactWriteError, UpdateError

from core.transactions import Transaction, condition_failed
from gallery import counters, search_terms, selectors
from gallery.errors import Conflict, gettext_noop
from gallery.hide_reasons import hide_reason_clean
from gallery.models import (
    FEED_PARTITION,
    STATUS_HIDDEN,
    STATUS_TRASHED,
    STATUS_VISIBLE,
    Comment,
    Photo,
)
from gallery.services.comments import comment_count_add

PHOTO_STALE = gettext_noop(
    "This photo was changed meanwhile (by someone else?); reload the page and try again."
)
COMMENT_STALE = gettext_noop("This comment was changed meanwhile; reload the page and try again.")


def _photo_current(photo_id: str, expected_version: int | None) -> Photo:
    photo = selectors.photo_get_latest(photo_id=photo_id)
    if expected_version is not None and photo.version != expected_version:
        raise Conflict(PHOTO_STALE)
    return photo


def _photo_status_set(photo: Photo, actions: Callable[[], list], *, hidden_delta: int) -> None:
    """Update the photo (version-checked) and the hidden-photo counter in one transaction."""

    def commit() -> None:
        with Transaction.on(Photo) as transaction:
            transaction.update(photo, actions=actions())
            counters.counter_add(
                transaction, counter_key=counters.HIDDEN_PHOTOS, delta=hidden_delta
            )

    try:
        counters.transaction_retried(commit)
    except TransactWriteError as exc:
        if condition_failed(exc):
            raise Conflict(PHOTO_STALE) from None
        raise


def _photo_update(photo: Photo, actions: list) -> None:
    """Update the photo (version-checked) without a status change to count: a trashed photo's
    status to restore, a hidden photo's reason."""
    try:
        photo.update(actions=actions)
    except UpdateError as exc:
        if condition_failed(exc):
            raise Conflict(PHOTO_STALE) from None
        raise


def _note_action(note: str) -> Any:
    # No note is no attribute, rather than an empty one the owner's page would have to skip.
    return Photo.hidden_note.set(note) if note else Photo.hidden_note.remove()


def photo_hide(
    *,
    photo_id: str,
    expected_version: int | None = None,
    reason: str = "other",
    note: str = "",
) -> Photo:
    """Take a photo out of the feed, search and share links at once; it stays for moderators.

    `reason` (a code of gallery.hide_reasons) and `note` are stored on the photo for its owner
    to read (Invalid for an unknown reason). Raises Conflict when the photo changed since
    `expected_version` was read. Hiding a hidden photo again only updates the reason. A photo in
    its owner's trash stays there, to come back hidden if restored.
    """
    reason, note = hide_reason_clean(reason=reason, note=note)
    photo = _photo_current(photo_id, expected_version)
    why = [Photo.hidden_reason.set(reason), _note_action(note)]
    if photo.status == STATUS_TRASHED:
        _photo_update(photo, [Photo.trashed_status.set(STATUS_HIDDEN), *why])
        return photo
    if photo.status == STATUS_HIDDEN:
        if (photo.hidden_reason, photo.hidden_note or "") != (reason, note):
            _photo_update(photo, why)
        return photo
    # The status flip is the commit point: every public read checks `is_visible`, so the
    # photo vanishes even before its search terms are gone.
    _photo_status_set(
        photo,
        lambda: [
            Photo.status.set(STATUS_HIDDEN),
            Photo.feed.remove(),
            Photo.hidden_feed.set(FEED_PARTITION),
            *why,
        ],
        hidden_delta=1,
    )
    photo.status, photo.feed, photo.hidden_feed = STATUS_HIDDEN, None, FEED_PARTITION
    search_terms.search_terms_delete(
        terms=search_terms.index_terms(photo.name, photo.caption), sort_key=photo.sort_key
    )
    return photo


def photo_unhide(*, photo_id: str, expected_version: int | None = None) -> Photo:
    """Put a hidden photo back into the feed and the search index (a trashed one: only its
    status to restore), and forget why it was hidden."""
    photo = _photo_current(photo_id, expected_version)
    if photo.status == STATUS_TRASHED:
        if photo.trashed_status == STATUS_HIDDEN:
            _photo_update(
                photo,
                [
                    Photo.trashed_status.set(STATUS_VISIBLE),
                    Photo.hidden_reason.remove(),
                    Photo.hidden_note.remove(),
                ],
            )
        return photo
    if photo.status == STATUS_VISIBLE:
        return photo
    terms = search_terms.index_terms(photo.name, photo.caption)
    # Terms first, as on upload: a term without a visible photo is ignored by search.
    search_terms.search_terms_put(terms=terms, sort_key=photo.sort_key, photo_id=photo.photo_id)
    try:
        _photo_status_set(
            photo,
            lambda: [
                Photo.status.set(STATUS_VISIBLE),
                Photo.feed.set(FEED_PARTITION),
                Photo.hidden_feed.remove(),
                Photo.hidden_reason.remove(),
                Photo.hidden_note.remove(),
            ],
            hidden_delta=-1,
        )
    except Exception:
        search_terms.search_terms_delete(terms=terms, sort_key=photo.sort_key)
        raise
    photo.status, photo.feed, photo.hidden_feed = STATUS_VISIBLE, FEED_PARTITION, None
    return photo


def _comment_set_hidden(
    photo_id: str, created_key: str, *, hidden: bool, version: int | None
) -> Comment:
    comment = selectors.comment_get_latest(photo_id=photo_id, created_key=created_key)
    if version is not None and comment.version != version:
        raise Conflict(COMMENT_STALE)
    if comment.hidden == hidden:
        return comment
    actions = [Comment.hidden.set(hidden)]
    actions.append(
        Comment.hidden_feed.set(FEED_PARTITION) if hidden else Comment.hidden_feed.remove()
    )

    def commit() -> None:
        with Transaction.on(Comment) as transaction:
            # Version-checked and version-bumped, like any PynamoDB update.
            transaction.update(comment, actions=list(actions))
            # The photo may itself be hidden, so no status condition here, only existence.
            comment_count_add(
                transaction,
                photo_id=photo_id,
                delta=-1 if hidden else 1,
                condition=Photo.photo_id.exists(),
            )
            counters.counter_add(
                transaction, counter_key=counters.HIDDEN_COMMENTS, delta=1 if hidden else -1
            )

    try:
        counters.transaction_retried(commit)
    except TransactWriteError as exc:
        if condition_failed(exc):
            raise Conflict(COMMENT_STALE) from None
        raise
    comment.hidden = hidden
    comment.hidden_feed = FEED_PARTITION if hidden else None
    return comment


def comment_hide(
    *, photo_id: str, created_key: str, expected_version: int | None = None
) -> Comment:
    """Hide a comment from the timeline and uncount it, in one transaction."""
    return _comment_set_hidden(photo_id, created_key, hidden=True, version=expected_version)


def comment_unhide(
    *, photo_id: str, created_key: str, expected_version: int | None = None
) -> Comment:
    """Show a hidden comment again and count it, in one transaction."""
    return _comment_set_hidden(photo_id, created_key, hidden=False, version=expected_version)
