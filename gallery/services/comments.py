"""Comment writes: add, edit, delete, each keeping the photo's comment count in step."""

from __future__ import annotations

import random
import time
from datetime import datetime
from typing import Any

from django.conf import settings
from pynamodb.exceptions import TransactWriteError, UpdateError

from core.transactions import Transaction, condition_failed, transaction_conflict
from gallery import audit, counters, policy, selectors
from gallery.errors import Conflict, Invalid, NotFound, gettext_noop
from gallery.models import STATUS_VISIBLE, Comment, Photo, comment_ip_key, time_key
from gallery.services import common, ips

TRANSACTION_ATTEMPTS = 5


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    common.refuse_control_characters(body, allowed="\t\n\r")
    limit = settings.PHOTOSITE_COMMENT_MAX_CHARS
    if not body:
        raise Invalid(gettext_noop("Write something first."), code="comment_empty")
    if len(body) > limit:
        raise Invalid(
            gettext_noop("The comment is too long (at most %(limit)d characters)."),
            code="comment_too_long",
            params={"limit": limit},
        )
    return body


def comment_count_add(
    transaction: Transaction, *, photo_id: str, delta: int, condition: object
) -> None:
    """Add `delta` to the photo's comment count inside `transaction`, under `condition`.

    The count must not bump the photo's version, or every new comment would make the owner's
    open edit form stale.
    """
    transaction.update_unversioned(
        Photo, photo_id, actions=[Photo.comment_count.add(delta)], condition=condition
    )


def comment_create(
    *,
    photo_id: str,
    author_sub: str,
    author_name: str,
    body: str,
    ip: str,
    now: datetime | None = None,
) -> Comment:
    """Add a comment and count it on the photo, in one transaction.

    The comment keeps the truncated address; the full one goes, in the same transaction, into
    an item of its own that expires after the retention period (gallery.services.ips).
    """
    body = _clean_body(body)
    common.rate_limit_hit(
        action="comment",
        user_key=author_sub,
        limit=settings.PHOTOSITE_COMMENT_RATE_LIMIT,
        window_seconds=settings.PHOTOSITE_COMMENT_RATE_WINDOW,
        now=now,
    )
    created_at = common.utc_now(now)
    comment_id = common.new_id()
    comment = Comment(
        photo_id,
        time_key(created_at, comment_id),
        comment_id=comment_id,
        author_sub=author_sub,
        author_name=author_name,
        body=body,
        ip=ips.ip_stored_form(ip),
        created_at=created_at,
    )
    for attempt in range(TRANSACTION_ATTEMPTS):
        try:
            # The same token on every attempt makes a retry of a transaction that did commit a
            # no-op instead of a second comment.
            with Transaction.on(
                Comment, client_request_token=f"comment-{comment_id}"
            ) as transaction:
                transaction.save(comment, condition=Comment.created_key.does_not_exist())
                ips.ip_retain(
                    transaction,
                    key=comment_ip_key(photo_id, comment.created_key),
                    ip=ip,
                    created_at=created_at,
                )
                comment_count_add(
                    transaction,
                    photo_id=photo_id,
                    delta=1,
                    condition=Photo.status == STATUS_VISIBLE,
                )
                counters.activity_count(transaction, kind=counters.COMMENTS, at=created_at)
            break
        except TransactWriteError as exc:
            if condition_failed(exc):
                raise NotFound(gettext_noop("No such photo.")) from None
            # Concurrent comments on one photo collide on its counter; DynamoDB cancels one of
            # them with TransactionConflict, which is safe to try again.
            if not transaction_conflict(exc) or attempt == TRANSACTION_ATTEMPTS - 1:
                raise
            time.sleep(random.uniform(0, 0.05 * 2**attempt))  # noqa: S311 (jitter)
    comment.version = 1
    return comment


def _comment_for_change(*, photo_id: str, created_key: str, actor: Any) -> tuple[Comment, bool]:
    """Return the latest comment and whether changing it is moderation (Forbidden if refused)."""
    comment = selectors.comment_get_latest(photo_id=photo_id, created_key=created_key)
    return comment, policy.change_check(item=comment, actor=actor)


def _moderation_record(*, actor: Any, action: str, comment: Comment, body: str) -> None:
    """Record a moderator's change of someone else's comment, with the text it had."""
    audit.moderation_record(
        actor=actor,
        action=action,
        object_type="comment",
        object_id=f"{comment.photo_id}/{comment.created_key}",
        object_repr=body[:100],
        detail=f"author {comment.author_name} ({comment.author_sub}), ip {comment.ip}\n{body}",
    )


def comment_update(
    *,
    photo_id: str,
    created_key: str,
    actor: Any,
    body: str,
    expected_version: int,
    now: datetime | None = None,
) -> Comment:
    """Change a comment's text if nobody changed it since `expected_version` was read."""
    body = _clean_body(body)
    comment, moderated = _comment_for_change(
        photo_id=photo_id, created_key=created_key, actor=actor
    )
    was = comment.body
    conflict = Conflict("This comment was changed meanwhile; reload the page and try again.")
    if comment.version != expected_version:
        raise conflict
    try:
        comment.update(actions=[Comment.body.set(body), Comment.edited_at.set(common.utc_now(now))])
    except UpdateError as exc:
        if condition_failed(exc):
            raise conflict from None
        raise
    if moderated:
        _moderation_record(actor=actor, action="edit", comment=comment, body=was)
    return comment


def comment_delete(*, photo_id: str, created_key: str, actor: Any) -> None:
    """Delete a comment and uncount it on the photo, in one transaction. A moderator's deletion
    of someone else's comment is recorded (with its text)."""
    comment, moderated = _comment_for_change(
        photo_id=photo_id, created_key=created_key, actor=actor
    )
    try:
        with Transaction.on(Comment) as transaction:
            transaction.delete(
                comment, condition=Comment.created_key.exists(), add_version_condition=False
            )
            ips.ip_forget(transaction, key=comment_ip_key(photo_id, created_key))
            # comment_count counts what the public sees: a hidden comment was uncounted when
            # hidden (gallery.services.moderation); a hidden photo's comments may still be
            # deleted.
            comment_count_add(
                transaction,
                photo_id=photo_id,
                delta=0 if comment.hidden else -1,
                condition=Photo.photo_id.exists(),
            )
            if comment.hidden:  # the dashboard's count of hidden comments
                counters.counter_add(transaction, counter_key=counters.HIDDEN_COMMENTS, delta=-1)
    except TransactWriteError as exc:
        if condition_failed(exc):
            raise NotFound(gettext_noop("No such comment.")) from None
        raise
    if moderated:
        _moderation_record(actor=actor, action="delete", comment=comment, body=comment.body)
