"""Share-link writes: make, open (checking expiry on every open) and revoke links to a photo."""

from __future__ import annotations

import logging
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from pynamodb.exceptions import PutError

from gallery import audit, policy, selectors, storage
from gallery.errors import Gone, Invalid, NotFound
from gallery.models import Photo, ShareLink, time_key
from gallery.services import common

logger = logging.getLogger(__name__)

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
    photo = selectors.photo_get_visible(photo_id=photo_id)
    # Whole seconds: the TTL attribute stores epoch seconds, and the expiry must be exact.
    created_at = common.utc_now(now).replace(microsecond=0)
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
    remaining = int((link.expires_at - common.utc_now(now)).total_seconds())
    return storage.object_url(photo.display_key, expires_in=max(1, remaining))


def share_link_open(*, token: str, now: datetime | None = None) -> SharedPhoto:
    """Return the shared photo and a short URL, or raise Gone/NotFound.

    TTL deletion is lazy, so the expiry is checked here on every open.
    """
    now = common.utc_now(now)
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


def share_link_revoke(*, token: str, actor: Any) -> None:
    """Revoke a link at once (its record stays until TTL removes it). A moderator's revocation
    of someone else's link is recorded."""
    try:
        link = ShareLink.get(token)
    except ShareLink.DoesNotExist:
        raise NotFound("This share link does not exist.") from None
    moderated = policy.change_check(item=link, actor=actor)
    link.update(actions=[ShareLink.revoked.set(True)])
    if moderated:
        audit.moderation_record(
            actor=actor,
            action="revoke",
            object_type="sharelink",
            object_id=link.token[:8] + "…",
            object_repr=link.photo_name,
            detail=f"photo {link.photo_id}, owner {link.owner_sub}",
        )
