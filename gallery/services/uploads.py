"""Direct uploads: a pending photo and a presigned POST, then a check of what S3 received.

`upload_start` hands out the presigned POST, the client (the browser's script, or an API
client) sends the file straight to S3, and `upload_complete` validates what landed there before
publishing it like any other photo. No photo bytes pass through the web tier on the way in.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Unpack

from django.conf import settings
from pynamodb.exceptions import TransactWriteError, UpdateError

from accounts.identity import IdentityCredentials
from core.transactions import Transaction, condition_failed
from gallery import images, policy, storage
from gallery.errors import Conflict, Invalid, NotFound, gettext_noop
from gallery.models import (
    STATUS_HIDDEN,
    STATUS_PENDING,
    STATUS_PROCESSING,
    STATUS_VISIBLE,
    Photo,
    photo_ip_key,
)
from gallery.services import common, ips
from gallery.services.photos import PhotoSubmission, photo_pending_build, photo_publish

logger = logging.getLogger(__name__)

EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
    "image/heif": "heif",
}
# How long a completion's claim on an upload holds: longer than any completion takes (a decode
# of the largest accepted image and three S3 writes), short enough that an upload whose
# claimant crashed can be completed again soon.
CLAIM_SECONDS = 120
# The uploader of an API client's upload: the site signs its POST (an access token gets no
# Identity Pool credentials), and its file lands under private/api/. Identity Pool ids are
# `<region>:<uuid>`, so no user's prefix can be this one.
API_UPLOADER = "api"
NO_SUCH_UPLOAD = gettext_noop("No such upload; it may have expired. Please upload again.")
IN_PROGRESS = gettext_noop("This upload is being completed; try again in a moment.")


@dataclass(frozen=True)
class UploadTicket:
    """A pending photo and the presigned POST the client sends its file with."""

    photo: Photo
    url: str
    fields: dict[str, str]


def upload_start(
    *,
    content_type: str,
    size: int,
    credentials: IdentityCredentials | None,
    now: datetime | None = None,
    **submission: Unpack[PhotoSubmission],
) -> UploadTicket:
    """Record a pending photo (it expires unless completed) and sign a POST for its file.

    The web tier never sees the file: the client declares type and size, S3 receives the bytes,
    and `upload_complete` checks both again on what was stored. A browser's POST is signed with
    the user's Identity Pool `credentials` for their own prefix; an API client's (credentials
    None) with the site's, for a key under private/api/.
    """
    extension = EXTENSIONS.get(content_type)
    if extension is None:
        raise images.ImageRejected(
            "Only JPEG, PNG, WebP and HEIC photos can be uploaded.", code="unsupported_format"
        )
    policy.upload_size_check(size=size)
    photo = photo_pending_build(now=now, **submission)
    uploader = API_UPLOADER if credentials is None else credentials.identity_id
    photo.original_key = f"private/{uploader}/{photo.photo_id}.{extension}"
    photo.identity_id = uploader
    photo.content_type = content_type
    photo.expires_at = photo.uploaded_at + timedelta(seconds=settings.PHOTOSITE_PENDING_UPLOAD_TTL)
    post = storage.presigned_post(
        photo.original_key,
        content_type=content_type,
        max_bytes=policy.upload_max_bytes(),
        expires_in=settings.PHOTOSITE_UPLOAD_URL_EXPIRY,
        credentials=credentials,
    )
    # The full address is retained now, with the pending record: the completion that publishes
    # the photo no longer knows it. An abandoned upload's address expires by TTL like any other.
    with Transaction.on(Photo) as transaction:
        transaction.save(photo)
        ips.ip_retain(
            transaction,
            key=photo_ip_key(photo.photo_id),
            ip=submission["uploader_ip"],
            created_at=photo.uploaded_at,
        )
    return UploadTicket(photo=photo, url=post["url"], fields=post["fields"])


def upload_complete(*, photo_id: str, owner_sub: str, now: datetime | None = None) -> Photo:
    """Validate the file the client put in S3 and publish the photo, exactly once.

    Idempotent and safe under concurrency: a double click, a client retry or any number of
    simultaneous calls publish the upload once, and each caller gets the published photo, or
    Conflict (`upload_in_progress`, 409) while another call holds the claim. The claim is a
    conditional write (pending -> processing with a fresh token and an expiry); publication is
    a write conditioned on that token, and a claimant writes its objects under a prefix of its
    own, so a loser only ever deletes what it wrote itself. A claim whose holder crashed expires
    after CLAIM_SECONDS and may then be taken over.

    S3 (and especially a local emulator) may not have enforced the POST policy, so the size
    and the decoded type are checked here again.
    """
    now = common.utc_now(now)
    photo = _upload_read(photo_id=photo_id, owner_sub=owner_sub)
    settled = _upload_settled(photo, now=now)
    if settled is not None:
        return settled
    if photo.expires_at is not None and photo.expires_at <= now:
        _upload_discard(photo, claim=None)
        raise NotFound(
            gettext_noop("This upload expired before it was completed. Please upload again.")
        )
    claim = common.new_id()
    try:
        # The version condition (PynamoDB adds it) makes two takers of one dead claim exclusive.
        photo.update(
            actions=[
                Photo.status.set(STATUS_PROCESSING),
                Photo.claim_token.set(claim),
                Photo.claim_expires_at.set(now + timedelta(seconds=CLAIM_SECONDS)),
            ],
            condition=(Photo.status == STATUS_PENDING)
            | ((Photo.status == STATUS_PROCESSING) & (Photo.claim_expires_at < now)),
        )
    except UpdateError as exc:
        if not condition_failed(exc):
            raise
        # Another completion claimed (or finished) it between our read and our claim.
        return _upload_outcome(photo_id=photo_id, owner_sub=owner_sub, now=now)
    try:
        size = storage.object_size(photo.original_key)
        if size is None:
            raise Invalid(
                gettext_noop("The file has not arrived in storage yet."), code="upload_missing"
            )
        policy.upload_size_check(size=size)
        data = storage.object_read(photo.original_key, max_bytes=policy.upload_max_bytes())
        return photo_publish(photo=photo, data=data, source_key=photo.original_key, claim=claim)
    except Exception as exc:
        current = _upload_current(photo_id)
        if current is None or current.claim_token != claim:
            # Taken over (our claim expired) or published by the taker: whatever failed here
            # was a consequence, and the other completion's outcome is the caller's.
            logger.info("upload %s: claim %s lost while completing (%r)", photo_id, claim, exc)
            return _upload_outcome(photo_id=photo_id, owner_sub=owner_sub, now=now)
        if isinstance(exc, Invalid) and exc.code != "upload_missing":
            _upload_discard(current, claim=claim)  # a bad file: nothing of it stays
        else:
            _upload_release(current, claim=claim)  # may be completed again at once
        raise


def _upload_read(*, photo_id: str, owner_sub: str) -> Photo:
    """Return the caller's direct upload (any state), read consistently, or raise NotFound."""
    photo = _upload_current(photo_id)
    # Someone else's upload, or a photo that never was a direct upload: not the caller's.
    if photo is None or photo.owner_sub != owner_sub or photo.identity_id is None:
        raise NotFound(NO_SUCH_UPLOAD)
    return photo


def _upload_current(photo_id: str) -> Photo | None:
    try:
        return Photo.get(photo_id, consistent_read=True)
    except Photo.DoesNotExist:
        return None


def _upload_settled(photo: Photo, *, now: datetime) -> Photo | None:
    """Return the photo if it is published, raise if it is not claimable, else return None."""
    if photo.status in (STATUS_VISIBLE, STATUS_HIDDEN):
        return photo  # completed already: a retry gets the same photo
    if photo.status == STATUS_PROCESSING:
        if photo.claim_expires_at is not None and photo.claim_expires_at > now:
            raise Conflict(IN_PROGRESS, code="upload_in_progress")
        return None  # a claim that outlived its holder: may be taken over
    if photo.status == STATUS_PENDING:
        return None
    raise NotFound(NO_SUCH_UPLOAD)


def _upload_outcome(*, photo_id: str, owner_sub: str, now: datetime) -> Photo:
    """Answer a caller whose claim failed or was lost: the published photo, or 409, or 404."""
    try:
        photo = _upload_read(photo_id=photo_id, owner_sub=owner_sub)
    except NotFound:
        raise NotFound(NO_SUCH_UPLOAD) from None
    settled = _upload_settled(photo, now=now)
    if settled is not None:
        return settled
    # Pending again (its claimant released it) or a dead claim: another call may claim it now.
    raise Conflict(IN_PROGRESS, code="upload_in_progress")


def _claim_condition(photo: Photo, claim: str | None) -> Any:
    if claim is None:
        return None  # the version read (PynamoDB's condition) is the state we decided on
    return (Photo.status == STATUS_PROCESSING) & (Photo.claim_token == claim)


def _upload_release(photo: Photo, *, claim: str) -> None:
    """Give the upload back (pending, unclaimed) if the claim is still ours."""
    try:
        photo.update(
            actions=[
                Photo.status.set(STATUS_PENDING),
                Photo.claim_token.remove(),
                Photo.claim_expires_at.remove(),
            ],
            condition=_claim_condition(photo, claim),
            add_version_condition=False,
        )
    except UpdateError as exc:
        if not condition_failed(exc):
            raise
        logger.info("upload %s: claim %s was lost before its release", photo.photo_id, claim)


def _upload_discard(photo: Photo, *, claim: str | None) -> None:
    """Delete a pending upload and its file, only while it is still in the state we decided on.

    The record goes first: if it changed (another completion claimed it), the file is theirs.
    Its retained address goes with it, in the same transaction.
    """
    try:
        with Transaction.on(Photo) as transaction:
            transaction.delete(
                photo,
                condition=_claim_condition(photo, claim),
                add_version_condition=claim is None,
            )
            ips.ip_forget(transaction, key=photo_ip_key(photo.photo_id))
    except TransactWriteError as exc:
        if not condition_failed(exc):
            raise
        logger.warning("pending photo %s changed while being discarded", photo.photo_id)
        return
    storage.objects_delete([photo.original_key])
