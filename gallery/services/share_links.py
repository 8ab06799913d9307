"""Share-link writes: make, open (checking expiry on every open) and revoke links to a photo.

A link belongs to the photo's owner (`owner_sub`), whoever made it (`created_by`): only the owner
or a moderator may make one (the same rule as changing the photo, gallery.policy, and a
moderator's link is recorded), and the owner lists and revokes every link to their photos.
"""

from __future__ import annotations

import logging
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from pynamodb.exceptions import PutError, UpdateError

from core.transactions import condition_failed
from gallery import audit, policy, selectors, storage
from gallery.errors import Forbidden, Gone, Invalid, NotFound, gettext_noop
from gallery.models import Photo, ShareLink, time_key
from gallery.services import common

logger = logging.getLogger(__name__)

# Share-link lifetimes offered to users; a link lives at most 7 days (the presigned URLs it
# hands out, minutes: see share_link_open).
SHARE_CHOICES = {
    60: _("1 minute"),
    300: _("5 minutes"),
    3600: _("1 hour"),
    86400: _("1 day"),
    604800: _("7 days"),
}
SHARE_MIN_SECONDS = 60
SHARE_MAX_SECONDS = 7 * 24 * 3600
SHARE_REFUSAL = "Only the photo's owner or a moderator can share it."
PRIVATE_REFUSAL = gettext_noop(
    "This photo is private: make it unlisted or public before sharing a link to it."
)


@dataclass(frozen=True)
class SharedPhoto:
    """What opening a share link hands out: the photo and a URL dying no later than the link."""

    link: ShareLink
    photo: Photo
    url: str
    expires_in: int


def share_link_create(
    *, photo_id: str, actor: Any, expires_in: int, now: datetime | None = None
) -> ShareLink:
    """Make a link to a visible photo that stops working after `expires_in` seconds.

    Only the photo's owner may, or a moderator (the permission to change someone else's photo;
    recorded). The link belongs to the photo's owner either way. Each call makes a new link: a
    double click makes two, both the owner's to see and revoke.
    """
    if not SHARE_MIN_SECONDS <= expires_in <= SHARE_MAX_SECONDS:
        raise Invalid(
            f"A link can last from {SHARE_MIN_SECONDS} seconds to 7 days "
            f"({SHARE_MAX_SECONDS} seconds).",
            code="bad_expiry",
        )
    photo = selectors.photo_get_visible(photo_id=photo_id, viewer=actor)
    if not policy.may_change(actor=actor, item=photo):
        raise Forbidden(SHARE_REFUSAL)
    if not policy.may_share(photo=photo):
        raise Invalid(PRIVATE_REFUSAL, code="photo_private")
    moderated = policy.is_moderation(actor=actor, item=photo)
    # Whole seconds: the TTL attribute stores epoch seconds, and the expiry must be exact.
    created_at = common.utc_now(now).replace(microsecond=0)
    token = secrets.token_urlsafe(24)
    link = ShareLink(
        token,
        photo_id=photo_id,
        owner_sub=photo.owner_sub,
        created_by=actor.get_username(),
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
    if moderated:
        _moderation_record(
            actor=actor,
            action="share",
            link=link,
            detail=f"photo {photo_id}, owner {photo.owner_sub}, for {expires_in} s",
        )
    return link


def _moderation_record(*, actor: Any, action: str, link: ShareLink, detail: str) -> None:
    # The trail names a link by the start of its token only: the whole token is the link.
    audit.moderation_record(
        actor=actor,
        action=action,
        object_type="sharelink",
        object_id=link.token[:8] + "…",
        object_repr=link.photo_name,
        detail=detail,
    )


def share_link_open(*, token: str, now: datetime | None = None) -> SharedPhoto:
    """Return the shared photo and a short URL, or raise Gone/NotFound.

    TTL deletion is lazy, so the expiry is checked here on every open. Both reads are strongly
    consistent, so a revocation, a hide or a delete stops the link from the next open on.
    """
    now = common.utc_now(now)
    try:
        link = ShareLink.get(token, consistent_read=True)
    except ShareLink.DoesNotExist:
        raise NotFound("This share link does not exist.") from None
    if link.revoked:
        raise Gone("This share link was revoked.", code="revoked")
    if link.is_expired(now=now):
        raise Gone("This share link has expired.")
    try:
        photo = Photo.get(link.photo_id, consistent_read=True)
    except Photo.DoesNotExist:
        raise Gone("The shared photo was deleted.", code="deleted") from None
    # Hidden by a moderator, or made private by its owner: the link stops, as if revoked.
    if not policy.may_share(photo=photo):
        raise Gone("The shared photo is no longer available.", code="deleted")
    if link.owner_sub != photo.owner_sub:
        # Made before links belonged to the photo's owner, by someone else: the owner can
        # neither see nor revoke it, so it does not work.
        raise Gone("This share link was not made by the photo's owner.", code="revoked")
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
    """Revoke a link at once (its record stays until TTL removes it): the photo's owner may
    revoke every link to their photos, anyone else needs the moderation permission (recorded).

    Revoking twice, or twice at once, is harmless: only the write that flips the flag counts
    (and is recorded); the others find the link revoked already and do nothing.
    """
    try:
        link = ShareLink.get(token)
    except ShareLink.DoesNotExist:
        raise NotFound("This share link does not exist.") from None
    moderated = policy.change_check(item=link, actor=actor)
    if link.revoked:
        return
    try:
        # Conditional: no write for a link revoked meanwhile, and none that would recreate a
        # link deleted meanwhile (with its photo) as a bare record.
        link.update(
            actions=[ShareLink.revoked.set(True)],
            condition=ShareLink.token.exists() & ~(ShareLink.revoked == True),  # noqa: E712
        )
    except UpdateError as exc:
        if condition_failed(exc):
            return
        raise
    if moderated:
        _moderation_record(
            actor=actor,
            action="revoke",
            link=link,
            detail=f"photo {link.photo_id}, owner {link.owner_sub}, made by {link.maker}",
        )
