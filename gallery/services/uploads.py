"""Browser uploads: a pending photo and a presigned POST, then a check of what S3 received.

`upload_start` hands out the presigned POST, the browser sends the file straight to S3, and
`upload_complete` validates what landed there before publishing it like any other photo.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from pynamodb.exceptions import DeleteError, UpdateError

from accounts.identity import IdentityCredentials
from core.transactions import condition_failed
from gallery import images, policy, storage
from gallery.errors import Conflict, Invalid, NotFound
from gallery.models import STATUS_PENDING, Photo
from gallery.services import common
from gallery.services.photos import photo_pending_build, photo_publish

logger = logging.getLogger(__name__)

EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


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
            "Only JPEG, PNG and WebP photos can be uploaded.", code="unsupported_format"
        )
    policy.upload_size_check(size=size)
    photo = photo_pending_build(
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
        max_bytes=policy.upload_max_bytes(),
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
    if photo.expires_at is not None and photo.expires_at <= common.utc_now(now):
        _pending_discard(photo)
        raise NotFound("This upload expired before it was completed. Please upload again.")
    # Claim the upload (a version bump) so two concurrent completions cannot both write, and
    # the loser's clean-up cannot delete the winner's objects, which share the same keys.
    try:
        photo.update(actions=[Photo.status.set(STATUS_PENDING)])
    except UpdateError as exc:
        if condition_failed(exc):
            raise Conflict("This upload is already being completed.") from None
        raise
    size = storage.object_size(photo.original_key)
    if size is None:
        raise Invalid("The file has not arrived in storage yet.", code="upload_missing")
    try:
        policy.upload_size_check(size=size)
        data = storage.object_read(photo.original_key, max_bytes=policy.upload_max_bytes())
        return photo_publish(photo=photo, data=data, source_key=photo.original_key)
    except Invalid:  # ImageRejected included
        _pending_discard(photo)
        raise


def _pending_discard(photo: Photo) -> None:
    storage.objects_delete([photo.original_key])
    try:
        photo.delete()
    except DeleteError:
        logger.warning("pending photo %s changed while being discarded", photo.photo_id)
