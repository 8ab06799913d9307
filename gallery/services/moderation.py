"""Moderation writes: hide and unhide photos and comments, with optimistic locking.

Hiding and unhiding write the photo through gallery.services.visibility's one listing write, so
a hidden photo leaves exactly the indexes a deleted one would (feed, search terms), in the same
transaction, and comes back into them when unhidden if its owner made it public.

`comment_count` counts the comments the public sees: hiding a comment uncounts it, unhiding
counts it again, each in one transaction with the comment's version check.

The dashboard's hidden counters (gallery.counters) change in the same transaction as the
status: a hide counts once however often it is retried or raced (the version check lets one
writer through, and hiding a hidden photo changes nothing).
"""

from __future__ import annotations

from typing import Any

from pynamodb.exceptions import TransactWriteError, UpdateError

from core.transactions import Transaction, condition_failed
from gallery import counters, selectors
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
from gallery.services.visibility import ATTEMPTS, photo_listing_write

PHOTO_STALE = gettext_noop(
    "This photo was changed meanwhile (by someone else?); reload the page and try again."
)
COMMENT_STALE = gettext_noop("This comment was changed meanwhile; reload the page and try again.")


def _photo_current(photo_id: str, expected_version: int | None) -> Photo:
    photo = selectors.photo_get_latest(photo_id=photo_id)
    if expected_version is not None and photo.version != expected_version:
        raise Conflict(PHOTO_STALE)
    return photo


def _photo_set_status(
    photo_id: str, expected_version: int | None, *, hidden: bool, why: list
) -> Photo:
    """Hide or unhide through the one listing write; without an expected version, a write that
    lost a race to another change (the owner's visibility, say) reads the photo again."""
    status = STATUS_HIDDEN if hidden else STATUS_VISIBLE
    for attempt in range(ATTEMPTS):
        photo = _photo_current(photo_id, expected_version)
        if photo.status == status:
            return photo
        try:
            photo_listing_write(
                photo=photo,
                actions=[
                    Photo.status.set(status),
                    Photo.hidden_feed.set(FEED_PARTITION) if hidden else Photo.hidden_feed.remove(),
                    *why,
                ],
                status=status,
                visibility=photo.visibility,
                # The dashboard's count of hidden photos, in the same transaction.
                hidden_delta=1 if hidden else -1,
            )
        except Conflict:
            if expected_version is not None or attempt == ATTEMPTS - 1:
                raise
            continue
        photo.hidden_feed = FEED_PARTITION if hidden else None
        return photo
    raise AssertionError("unreachable")  # pragma: no cover


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
    its owner's trash stays there, to come back hidden if restored. The photo leaves the feed
    and its search terms go in the same transaction (gallery.services.visibility); share links
    and pages check the status on every read.
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
    return _photo_set_status(photo_id, expected_version, hidden=True, why=why)


def photo_unhide(*, photo_id: str, expected_version: int | None = None) -> Photo:
    """Put a hidden photo back on its page, and into the feed and the search index if its owner
    made it public (an unlisted or private photo comes back to its page alone), and forget why
    it was hidden. A trashed photo gets only its status to restore."""
    photo = _photo_current(photo_id, expected_version)
    forget = [Photo.hidden_reason.remove(), Photo.hidden_note.remove()]
    if photo.status == STATUS_TRASHED:
        if photo.trashed_status == STATUS_HIDDEN:
            _photo_update(photo, [Photo.trashed_status.set(STATUS_VISIBLE), *forget])
        return photo
    return _photo_set_status(photo_id, expected_version, hidden=False, why=forget)


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
