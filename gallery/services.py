"""Writes of the gallery: the only code that changes the gallery tables and the bucket.

Photos arrive two ways and both end in `_photo_publish`: the server path (`photo_create`, bytes
posted to Django) and the browser path (`upload_start` hands out a presigned POST, the browser
sends the file straight to S3, `upload_complete` validates what landed there).
"""

from __future__ import annotations

import logging
import math
import random
import secrets
import time
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from pynamodb.constants import KEY
from pynamodb.exceptions import DeleteError, PutError, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from accounts import ratelimit
from accounts.identity import IdentityCredentials
from gallery import images, search_terms, storage
from gallery.errors import Conflict, Forbidden, Gone, Invalid, NotFound, RateLimited
from gallery.models import (
    FEED_PARTITION,
    STATUS_PENDING,
    STATUS_VISIBLE,
    Comment,
    Photo,
    SearchTerm,
    ShareLink,
    time_key,
)

logger = logging.getLogger(__name__)

DERIVATIVE_SIZES = {"grid": 480, "display": 1600}
NAME_MAX_CHARS = 200
CAPTION_MAX_CHARS = 2000
# Share-link lifetimes offered to users; SigV4 presigned URLs cannot outlive 7 days.
SHARE_CHOICES = {
    60: "1 minute",
    300: "5 minutes",
    3600: "1 hour",
    86400: "1 day",
    604800: "7 days",
}
SHARE_MIN_SECONDS = 60
SHARE_MAX_SECONDS = 7 * 24 * 3600
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


def new_id() -> str:
    """Return a fresh random id that is safe in URLs and S3 keys."""
    return secrets.token_urlsafe(12)


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _refuse_control_characters(text: str, *, allowed: str = "") -> None:
    """Refuse C0/C1 control characters (NUL, ESC, ...) other than `allowed`.

    Forms already refuse NUL; the API did not, and a name with NUL or ESC reached page titles
    and terminals. Bidirectional marks are not controls (Cc) and stay: they are real text.
    """
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text):
        raise Invalid("Remove the control characters from the text.", code="control_characters")


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise Invalid("Give the photo a name.", code="name_required")
    _refuse_control_characters(name)
    if len(name) > NAME_MAX_CHARS:
        raise Invalid(
            f"The name is too long (at most {NAME_MAX_CHARS} characters).", code="name_too_long"
        )
    return name


def _clean_caption(caption: str) -> str:
    caption = (caption or "").strip()
    _refuse_control_characters(caption, allowed="\t\n\r")
    if len(caption) > CAPTION_MAX_CHARS:
        raise Invalid(
            f"The caption is too long (at most {CAPTION_MAX_CHARS} characters).",
            code="caption_too_long",
        )
    return caption


def _may_change(photo: Photo, *, actor_sub: str, actor_is_staff: bool) -> None:
    if photo.owner_sub != actor_sub and not actor_is_staff:
        raise Forbidden("Only the photo's owner can change it.")


# --- photos ------------------------------------------------------------------------------------


def photo_create(
    *,
    owner_sub: str,
    owner_name: str,
    name: str,
    caption: str = "",
    data: bytes,
    uploader_ip: str,
    now: datetime | None = None,
) -> Photo:
    """Validate image bytes posted to the site, store them and the derivatives, record the photo.

    Raises images.ImageRejected or Invalid for bad input; then, and when a later step fails,
    nothing stays behind.
    """
    photo = _photo_pending(
        owner_sub=owner_sub,
        owner_name=owner_name,
        name=name,
        caption=caption,
        uploader_ip=uploader_ip,
        now=now,
    )
    return _photo_publish(photo=photo, data=data, source_key=None)


def _photo_pending(
    *,
    owner_sub: str,
    owner_name: str,
    name: str,
    caption: str,
    uploader_ip: str,
    now: datetime | None,
) -> Photo:
    """Return a new, unsaved pending photo with its id, time and cleaned text."""
    uploaded_at = _now(now)
    photo_id = new_id()
    return Photo(
        photo_id,
        status=STATUS_PENDING,
        name=_clean_name(name),
        caption=_clean_caption(caption),
        owner_sub=owner_sub,
        owner_name=owner_name,
        uploader_ip=uploader_ip,
        uploaded_at=uploaded_at,
        sort_key=time_key(uploaded_at, photo_id),
        original_key="",
    )


@dataclass(frozen=True)
class UploadTicket:
    """A pending photo and the presigned POST the browser sends its file with."""

    photo: Photo
    url: str
    fields: dict[str, str]


def upload_start(
    *,
    owner_sub: str,
    owner_name: str,
    name: str,
    caption: str = "",
    content_type: str,
    size: int,
    uploader_ip: str,
    credentials: IdentityCredentials,
    now: datetime | None = None,
) -> UploadTicket:
    """Record a pending photo (it expires unless completed) and sign a POST for its file.

    The web tier never sees the file: the browser declares type and size, S3 receives the bytes,
    and `upload_complete` checks both again on what was stored.
    """
    extension = EXTENSIONS.get(content_type)
    if extension is None:
        raise images.ImageRejected(
            "unsupported_format", "Only JPEG, PNG and WebP photos can be uploaded."
        )
    max_bytes = settings.PHOTOSITE_MAX_UPLOAD_BYTES
    if size < 1:
        raise images.ImageRejected("empty", "The file is empty.")
    if size > max_bytes:
        raise images.ImageRejected(
            "too_large", f"The file is too large; the limit is {max_bytes // (1024 * 1024)} MB."
        )
    photo = _photo_pending(
        owner_sub=owner_sub,
        owner_name=owner_name,
        name=name,
        caption=caption,
        uploader_ip=uploader_ip,
        now=now,
    )
    photo.original_key = f"private/{credentials.identity_id}/{photo.photo_id}.{extension}"
    photo.identity_id = credentials.identity_id
    photo.content_type = content_type
    photo.expires_at = photo.uploaded_at + timedelta(seconds=settings.PHOTOSITE_PENDING_UPLOAD_TTL)
    post = storage.presigned_post(
        photo.original_key,
        content_type=content_type,
        max_bytes=max_bytes,
        expires_in=settings.PHOTOSITE_UPLOAD_URL_EXPIRY,
        credentials=credentials,
    )
    photo.save()
    return UploadTicket(photo=photo, url=post["url"], fields=post["fields"])


def upload_complete(*, photo_id: str, owner_sub: str, now: datetime | None = None) -> Photo:
    """Validate the file the browser put in S3 and publish the photo, or clean everything up.

    S3 (and especially a local emulator) may not have enforced the POST policy, so the size
    and the decoded type are checked here again.
    """
    try:
        photo = Photo.get(photo_id, consistent_read=True)
    except Photo.DoesNotExist:
        raise NotFound("No such upload; it may have expired. Please upload again.") from None
    if photo.owner_sub != owner_sub or photo.status != STATUS_PENDING:
        # Someone else's upload, or one already completed: either way not the caller's to finish.
        raise NotFound("No such upload; it may have expired. Please upload again.")
    if photo.expires_at is not None and photo.expires_at <= _now(now):
        _pending_discard(photo)
        raise NotFound("This upload expired before it was completed. Please upload again.")
    # Claim the upload (a version bump) so two concurrent completions cannot both write, and
    # the loser's clean-up cannot delete the winner's objects, which share the same keys.
    try:
        photo.update(actions=[Photo.status.set(STATUS_PENDING)])
    except UpdateError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            raise Conflict("This upload is already being completed.") from None
        raise
    max_bytes = settings.PHOTOSITE_MAX_UPLOAD_BYTES
    size = storage.object_size(photo.original_key)
    if size is None:
        raise Invalid("The file has not arrived in storage yet.", code="upload_missing")
    try:
        if size > max_bytes:
            raise images.ImageRejected(
                "too_large",
                f"The file is too large; the limit is {max_bytes // (1024 * 1024)} MB.",
            )
        data = storage.object_read(photo.original_key, max_bytes=max_bytes)
        return _photo_publish(photo=photo, data=data, source_key=photo.original_key)
    except (images.ImageRejected, Invalid):
        _pending_discard(photo)
        raise


def _pending_discard(photo: Photo) -> None:
    storage.objects_delete([photo.original_key])
    try:
        photo.delete()
    except DeleteError:
        logger.warning("pending photo %s changed while being discarded", photo.photo_id)


def _photo_publish(*, photo: Photo, data: bytes, source_key: str | None) -> Photo:
    """Decode, make derivatives, store them, index the name and make the photo visible.

    `source_key` is where the browser path's original already lies; the server path has None
    and stores `data` as the original.
    """
    processed = images.process_image(
        data,
        max_bytes=settings.PHOTOSITE_MAX_UPLOAD_BYTES,
        max_pixels=settings.PHOTOSITE_MAX_PIXELS,
        sizes=DERIVATIVE_SIZES,
    )
    info, derivatives = processed.info, processed.derivatives
    if photo.content_type and photo.content_type != info.content_type:
        raise images.ImageRejected(
            "type_mismatch",
            f"The file is a {info.format} image but was declared as {photo.content_type}.",
        )
    prefix = f"photos/{photo.photo_id}"
    keys = {"original": f"{prefix}/original{info.extension}"}
    keys.update({size: f"{prefix}/{size}.jpg" for size in derivatives})
    terms = search_terms.index_terms(photo.name)
    written: list[str] = []
    try:
        if source_key is None:
            written.append(
                storage.object_put(keys["original"], data, content_type=info.content_type)
            )
        else:
            written.append(
                storage.object_copy(source_key, keys["original"], content_type=info.content_type)
            )
        for size, derivative in derivatives.items():
            written.append(
                storage.object_put(keys[size], derivative.data, content_type="image/jpeg")
            )
        # Terms first: a term without its photo is ignored by search, a photo without its terms
        # would be unfindable.
        _terms_put(terms, sort_key=photo.sort_key, photo_id=photo.photo_id)
        photo.status = STATUS_VISIBLE
        photo.original_key = keys["original"]
        photo.original_url = storage.object_location(keys["original"])
        photo.grid_key = keys["grid"]
        photo.display_key = keys["display"]
        photo.content_type = info.content_type
        photo.width = info.width
        photo.height = info.height
        photo.size_bytes = info.byte_size
        photo.sha256 = info.sha256
        photo.duplicate_of = _earlier_upload(photo.owner_sub, info.sha256)
        photo.feed = FEED_PARTITION
        photo.owner_feed = photo.owner_sub
        photo.owner_sha256 = f"{photo.owner_sub}#{info.sha256}"
        photo.expires_at = None
        # A fresh photo must not exist yet; a pending one must still be the version we read.
        photo.save()
    except Exception:
        logger.exception("photo %s failed half-way; removing what was written", photo.photo_id)
        # Each step on its own: the table that just failed may fail again, and must not keep
        # the objects (which no lifecycle rule removes) from being deleted.
        for undo in (
            lambda: storage.objects_delete(written),
            lambda: _terms_delete(terms, sort_key=photo.sort_key),
        ):
            try:
                undo()
            except Exception:
                logger.exception("photo %s: clean-up step failed", photo.photo_id)
        raise
    if source_key is not None:
        storage.objects_delete([source_key])
    return photo


def _earlier_upload(owner_sub: str, sha256: str) -> str | None:
    """Return the id of this user's earlier upload of the same bytes, if any."""
    for hit in Photo.owner_sha256_index.query(f"{owner_sub}#{sha256}", limit=1):
        return hit.photo_id
    return None


def _terms_put(terms: set[str], *, sort_key: str, photo_id: str) -> None:
    with SearchTerm.batch_write() as batch:
        for term in terms:
            batch.save(SearchTerm(term, sort_key, photo_id=photo_id))


def _terms_delete(terms: set[str], *, sort_key: str) -> None:
    with SearchTerm.batch_write() as batch:
        for term in terms:
            batch.delete(SearchTerm(term, sort_key))


def _photo_for_change(photo_id: str, *, actor_sub: str, actor_is_staff: bool) -> Photo:
    try:
        photo = Photo.get(photo_id, consistent_read=True)
    except Photo.DoesNotExist:
        raise NotFound("No such photo.") from None
    if photo.status == STATUS_PENDING:
        raise NotFound("No such photo.")
    _may_change(photo, actor_sub=actor_sub, actor_is_staff=actor_is_staff)
    return photo


def photo_update(
    *,
    photo_id: str,
    actor_sub: str,
    actor_is_staff: bool = False,
    name: str,
    caption: str,
    expected_version: int,
) -> Photo:
    """Rename and re-caption a photo if nobody changed it since `expected_version` was read.

    Raises Conflict when the stored version differs, so the user can reload and retry.
    """
    photo = _photo_for_change(photo_id, actor_sub=actor_sub, actor_is_staff=actor_is_staff)
    name, caption = _clean_name(name), _clean_caption(caption)
    if photo.version != expected_version:
        raise Conflict("This photo was changed meanwhile; reload the page and try again.")
    old_terms = search_terms.index_terms(photo.name) if photo.is_visible else set()
    new_terms = search_terms.index_terms(name) if photo.is_visible else set()
    added, removed = new_terms - old_terms, old_terms - new_terms
    _terms_put(added, sort_key=photo.sort_key, photo_id=photo.photo_id)
    try:
        # The condition is on the version the user saw, not merely the one just read.
        photo.update(actions=[Photo.name.set(name), Photo.caption.set(caption)])
    except UpdateError as exc:
        _terms_delete(added, sort_key=photo.sort_key)
        if exc.cause_response_code == "ConditionalCheckFailedException":
            raise Conflict(
                "This photo was changed meanwhile; reload the page and try again."
            ) from None
        raise
    _terms_delete(removed, sort_key=photo.sort_key)
    return photo


def photo_delete(*, photo_id: str, actor_sub: str, actor_is_staff: bool = False) -> None:
    """Delete a photo: its record first (so it vanishes at once), then terms, comments, links
    and S3 objects."""
    photo = _photo_for_change(photo_id, actor_sub=actor_sub, actor_is_staff=actor_is_staff)
    try:
        photo.delete(Photo.photo_id.exists(), add_version_condition=False)
    except DeleteError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            raise NotFound("No such photo.") from None
        raise
    # The record's deletion is the commit point: everything below is invisible without it, so
    # a failure here leaves orphans to log, not a half-deleted photo to show.
    try:
        _terms_delete(search_terms.index_terms(photo.name), sort_key=photo.sort_key)
        with Comment.batch_write() as batch:
            for comment in Comment.query(
                photo.photo_id, attributes_to_get=["photo_id", "created_key"]
            ):
                batch.delete(comment)
        with ShareLink.batch_write() as batch:
            for link in ShareLink.photo_index.query(photo.photo_id):
                batch.delete(ShareLink(link.token))
        storage.objects_delete(
            [key for key in (photo.original_key, photo.grid_key, photo.display_key) if key]
        )
    except Exception:
        logger.exception(
            "photo %s deleted; some of its items and objects were left behind", photo.photo_id
        )


# --- rate limits -------------------------------------------------------------------------------


def rate_limit_hit(
    *, action: str, user_key: str, limit: int, window_seconds: int, now: datetime | None = None
) -> None:
    """Count one action of a user in the current fixed window; raise RateLimited past `limit`.

    The counters are the accounts app's (one atomic ADD in DynamoDB), so every web instance
    shares the count and one table serves every limit of the site.
    """
    rule = ratelimit.Limit(scope=action, hits=limit, window=window_seconds)
    if not ratelimit.hit(limit=rule, subject=user_key, now=_now(now).timestamp()):
        raise RateLimited(f"You are doing that too often; try again in {window_seconds} seconds.")


# --- comments ----------------------------------------------------------------------------------

TRANSACTION_ATTEMPTS = 5


class _Transaction(TransactWrite):
    """A TransactWrite that can also carry a counter update.

    PynamoDB's own `update` always bumps the model's VersionAttribute; a comment must not, or
    every new comment would make the owner's open edit form stale.
    """

    def counter_add(self, *, photo_id: str, delta: int, condition: Any = None) -> None:
        connection = Photo._get_connection()
        self._update_items.append(
            connection.get_operation_kwargs(
                photo_id,
                key=KEY,
                actions=[Photo.comment_count.add(delta)],
                condition=Photo.status == STATUS_VISIBLE if condition is None else condition,
            )
        )


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    _refuse_control_characters(body, allowed="\t\n\r")
    limit = settings.PHOTOSITE_COMMENT_MAX_CHARS
    if not body:
        raise Invalid("Write something first.", code="comment_empty")
    if len(body) > limit:
        raise Invalid(
            f"The comment is too long (at most {limit} characters).", code="comment_too_long"
        )
    return body


def comment_create(
    *,
    photo_id: str,
    author_sub: str,
    author_name: str,
    body: str,
    ip: str,
    now: datetime | None = None,
) -> Comment:
    """Add a comment and count it on the photo, in one transaction."""
    body = _clean_body(body)
    rate_limit_hit(
        action="comment",
        user_key=author_sub,
        limit=settings.PHOTOSITE_COMMENT_RATE_LIMIT,
        window_seconds=settings.PHOTOSITE_COMMENT_RATE_WINDOW,
        now=now,
    )
    created_at = _now(now)
    comment_id = new_id()
    comment = Comment(
        photo_id,
        time_key(created_at, comment_id),
        comment_id=comment_id,
        author_sub=author_sub,
        author_name=author_name,
        body=body,
        ip=ip,
        created_at=created_at,
    )
    for attempt in range(TRANSACTION_ATTEMPTS):
        try:
            # The same token on every attempt makes a retry of a transaction that did commit a
            # no-op instead of a second comment.
            with _Transaction(
                connection=Comment._get_connection().connection,
                client_request_token=f"comment-{comment_id}",
            ) as transaction:
                transaction.save(comment, condition=Comment.created_key.does_not_exist())
                transaction.counter_add(photo_id=photo_id, delta=1)
            break
        except TransactWriteError as exc:
            if _condition_failed(exc):
                raise NotFound("No such photo.") from None
            # Concurrent comments on one photo collide on its counter; DynamoDB cancels one of
            # them with TransactionConflict, which is safe to try again.
            if not _transaction_conflict(exc) or attempt == TRANSACTION_ATTEMPTS - 1:
                raise
            time.sleep(random.uniform(0, 0.05 * 2**attempt))  # noqa: S311 (jitter)
    comment.version = 1
    return comment


def _comment_for_change(
    *, photo_id: str, created_key: str, actor_sub: str, actor_is_staff: bool
) -> Comment:
    try:
        comment = Comment.get(photo_id, created_key, consistent_read=True)
    except Comment.DoesNotExist:
        raise NotFound("No such comment.") from None
    if comment.author_sub != actor_sub and not actor_is_staff:
        raise Forbidden("Only the comment's author can change it.")
    return comment


def comment_update(
    *,
    photo_id: str,
    created_key: str,
    actor_sub: str,
    actor_is_staff: bool = False,
    body: str,
    expected_version: int,
    now: datetime | None = None,
) -> Comment:
    """Change a comment's text if nobody changed it since `expected_version` was read."""
    body = _clean_body(body)
    comment = _comment_for_change(
        photo_id=photo_id,
        created_key=created_key,
        actor_sub=actor_sub,
        actor_is_staff=actor_is_staff,
    )
    conflict = Conflict("This comment was changed meanwhile; reload the page and try again.")
    if comment.version != expected_version:
        raise conflict
    try:
        comment.update(actions=[Comment.body.set(body), Comment.edited_at.set(_now(now))])
    except UpdateError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            raise conflict from None
        raise
    return comment


def comment_delete(
    *, photo_id: str, created_key: str, actor_sub: str, actor_is_staff: bool = False
) -> None:
    """Delete a comment and uncount it on the photo, in one transaction."""
    comment = _comment_for_change(
        photo_id=photo_id,
        created_key=created_key,
        actor_sub=actor_sub,
        actor_is_staff=actor_is_staff,
    )
    try:
        with _Transaction(connection=Comment._get_connection().connection) as transaction:
            transaction.delete(
                comment, condition=Comment.created_key.exists(), add_version_condition=False
            )
            # comment_count counts what the public sees: a hidden comment was uncounted when
            # hidden (gallery.moderation); a hidden photo's comments may still be deleted.
            transaction.counter_add(
                photo_id=photo_id,
                delta=0 if comment.hidden else -1,
                condition=Photo.photo_id.exists(),
            )
    except TransactWriteError as exc:
        if _condition_failed(exc):
            raise NotFound("No such comment.") from None
        raise


def _transaction_conflict(exc: TransactWriteError) -> bool:
    reasons = exc.cancellation_reasons or []
    return any(r is not None and r.code == "TransactionConflict" for r in reasons)


def _condition_failed(exc: TransactWriteError) -> bool:
    reasons = exc.cancellation_reasons or []
    return any(r is not None and r.code == "ConditionalCheckFailed" for r in reasons)


# --- share links -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SharedPhoto:
    """What opening a share link hands out: the photo and a URL dying no later than the link."""

    link: ShareLink
    photo: Photo
    url: str
    expires_in: int


def share_link_create(
    *, photo_id: str, owner_sub: str, expires_in: int, now: datetime | None = None
) -> ShareLink:
    """Make a link to a visible photo that stops working after `expires_in` seconds."""
    if not SHARE_MIN_SECONDS <= expires_in <= SHARE_MAX_SECONDS:
        raise Invalid(
            f"A link can last from {SHARE_MIN_SECONDS} seconds to 7 days "
            f"({SHARE_MAX_SECONDS} seconds).",
            code="bad_expiry",
        )
    try:
        photo = Photo.get(photo_id)
    except Photo.DoesNotExist:
        raise NotFound("No such photo.") from None
    if not photo.is_visible:
        raise NotFound("No such photo.")
    # Whole seconds: the TTL attribute stores epoch seconds, and the expiry must be exact.
    created_at = _now(now).replace(microsecond=0)
    token = secrets.token_urlsafe(24)
    link = ShareLink(
        token,
        photo_id=photo_id,
        owner_sub=owner_sub,
        created_at=created_at,
        created_key=time_key(created_at, token),
        expires_at=created_at + timedelta(seconds=expires_in),
        photo_name=photo.name,
    )
    try:
        link.save(ShareLink.token.does_not_exist())
    except PutError:
        logger.exception("share link token collision or write failure")
        raise
    return link


def share_link_direct_url(*, link: ShareLink, now: datetime | None = None) -> str:
    """Return a raw S3 presigned URL of the shared derivative, valid as long as the link."""
    photo = Photo.get(link.photo_id)
    remaining = int((link.expires_at - _now(now)).total_seconds())
    return storage.object_url(photo.display_key, expires_in=max(1, remaining))


def share_link_open(*, token: str, now: datetime | None = None) -> SharedPhoto:
    """Return the shared photo and a short URL, or raise Gone/NotFound.

    TTL deletion is lazy, so the expiry is checked here on every open.
    """
    now = _now(now)
    try:
        link = ShareLink.get(token)
    except ShareLink.DoesNotExist:
        raise NotFound("This share link does not exist.") from None
    if link.revoked:
        raise Gone("This share link was revoked by its owner.", code="revoked")
    if link.is_expired(now=now):
        raise Gone("This share link has expired.")
    try:
        photo = Photo.get(link.photo_id)
    except Photo.DoesNotExist:
        raise Gone("The shared photo was deleted.", code="deleted") from None
    if not photo.is_visible:
        raise Gone("The shared photo is no longer available.", code="deleted")
    remaining = math.floor((link.expires_at - now).total_seconds())
    if remaining < 1:
        raise Gone("This share link has expired.")
    expires_in = min(remaining, settings.PHOTOSITE_URL_EXPIRY)
    return SharedPhoto(
        link=link,
        photo=photo,
        url=storage.object_url(photo.display_key, expires_in=expires_in),
        expires_in=expires_in,
    )


def share_link_revoke(*, token: str, actor_sub: str, actor_is_staff: bool = False) -> None:
    """Revoke a link at once (its record stays until TTL removes it)."""
    try:
        link = ShareLink.get(token)
    except ShareLink.DoesNotExist:
        raise NotFound("This share link does not exist.") from None
    if link.owner_sub != actor_sub and not actor_is_staff:
        raise Forbidden("Only the link's owner can revoke it.")
    link.update(actions=[ShareLink.revoked.set(True)])
