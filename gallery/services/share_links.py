"""Share-link writes: make, open (checking expiry on every open), revoke and remove links to a
photo, a selection of photos or an album, each for one recipient (a label, an expiry or "until
revoked", an optional password and view limit, a download switch).

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
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _
from pynamodb.exceptions import DeleteError, PutError, UpdateError

from core.transactions import condition_failed
from gallery import album_selectors, audit, policy, selectors, storage
from gallery.errors import Forbidden, Gone, Invalid, NotFound, gettext_noop
from gallery.models import Album, AlbumItem, Photo, ShareLink, time_key
from gallery.paging import Page
from gallery.services import common, originals

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
SHARE_REFUSAL = gettext_noop("Only the photo's owner or a moderator can share it.")
PRIVATE_REFUSAL = gettext_noop(
    "This photo is private: make it unlisted or public before sharing a link to it."
)
# What a link may carry. A selection is read in one BatchGetItem on every open.
SHARE_LABEL_MAX_CHARS = 80
SHARE_PASSWORD_MIN_CHARS = 4
SHARE_PASSWORD_MAX_CHARS = 128
SHARE_VIEW_LIMIT_MAX = 1000
SHARE_SELECTION_MAX = 50
SHARE_ALBUM_PAGE_SIZE = 24  # an album's page through a link: one Query, one BatchGetItem
# A link that ended (expired, or revoked) stays listed, with its open log, this long; then
# DynamoDB's TTL deletes it (the owner may remove it sooner).
SHARE_KEEP = timedelta(days=30)
TARGET_PHOTO, TARGET_SELECTION, TARGET_ALBUM = "photo", "selection", "album"


@dataclass(frozen=True)
class _LinkOptions:
    """What the owner chose for a new link, checked: the same for a photo, a selection or an
    album."""

    expires_in: int | None
    label: str
    password: str
    view_limit: int | None
    allow_download: bool
    now: datetime | None


@dataclass(frozen=True)
class SharedPhoto:
    """What opening a share link hands out: the photo and a URL dying no later than the link."""

    link: ShareLink
    photo: Photo
    url: str
    expires_in: int


def share_link_create(
    *,
    actor: Any,
    expires_in: int | None,
    photo_id: str | None = None,
    photo_ids: list[str] | None = None,
    album_id: str | None = None,
    label: str = "",
    password: str = "",
    view_limit: int | None = None,
    allow_download: bool = True,
    now: datetime | None = None,
) -> ShareLink:
    """Make a link to one photo (`photo_id`), a selection (`photo_ids`) or an album
    (`album_id`) that stops working after `expires_in` seconds, or never (None: until revoked).

    Only the photos' owner may, or a moderator (the permission to change someone else's photo;
    recorded). The link belongs to the photos' owner either way. The password is stored as a
    Django password hash only. Each call makes a new link: a double click makes two, both the
    owner's to see and revoke. Bad input raises Invalid before anything is written.
    """
    if expires_in is not None and not SHARE_MIN_SECONDS <= expires_in <= SHARE_MAX_SECONDS:
        raise Invalid(
            f"A link can last from {SHARE_MIN_SECONDS} seconds to 7 days "
            f"({SHARE_MAX_SECONDS} seconds).",
            code="bad_expiry",
        )
    label = _clean_label(label)
    _check_options(password=password, view_limit=view_limit)
    options = _LinkOptions(
        expires_in=expires_in,
        label=label,
        password=password,
        view_limit=view_limit,
        allow_download=allow_download,
        now=now,
    )
    album = _album_to_share(album_id=album_id, actor=actor, others=(photo_id, photo_ids))
    if album is not None:
        return _album_link_create(album=album, actor=actor, options=options)
    target, photos = _target_photos(
        photo_id=photo_id, photo_ids=photo_ids, album_id=album_id, actor=actor
    )
    owners = {photo.owner_sub for photo in photos}
    if len(owners) != 1:
        raise Invalid(
            gettext_noop("A selection can only hold photos of one owner."), code="bad_selection"
        )
    for photo in photos:
        if not policy.may_change(actor=actor, item=photo):
            raise Forbidden(SHARE_REFUSAL)
        if not policy.may_share(photo=photo):
            raise Invalid(PRIVATE_REFUSAL, code="photo_private")
    first = photos[0]
    moderated = policy.is_moderation(actor=actor, item=first)
    link = _link_new(
        owner_sub=first.owner_sub,
        actor=actor,
        name=first.name,
        target=target,
        photo_id=first.photo_id if target == TARGET_PHOTO else None,
        photo_ids=[photo.photo_id for photo in photos] if target == TARGET_SELECTION else None,
        album_id=album_id if target == TARGET_ALBUM else None,
        options=options,
    )
    try:
        link.save(ShareLink.token.does_not_exist())
    except PutError:
        logger.exception("share link token collision or write failure")
        raise
    if moderated:
        lifetime = "until revoked" if expires_in is None else f"for {expires_in} s"
        _moderation_record(
            actor=actor,
            action="share",
            link=link,
            detail=f"{_describe(link)}, owner {first.owner_sub}, {lifetime}",
        )
    return link


def _album_to_share(*, album_id: str | None, actor: Any, others: tuple[Any, ...]) -> Album | None:
    """Return the album to share (None when the target is something else): the actor's own
    album only (albums have no moderation permission); someone else's is a 404, as on its page."""
    if album_id is None:
        return None
    if any(other is not None for other in others):
        raise Invalid(
            gettext_noop("Share one photo, a selection of photos or an album."), code="bad_target"
        )
    return album_selectors.album_get_for_owner(album_id=album_id, viewer=actor)


def _album_link_create(*, album: Album, actor: Any, options: _LinkOptions) -> ShareLink:
    link = _link_new(
        owner_sub=album.owner_sub,
        actor=actor,
        name=album.title,
        target=TARGET_ALBUM,
        album_id=album.album_id,
        options=options,
    )
    link.save(ShareLink.token.does_not_exist())
    return link


def _link_new(
    *,
    owner_sub: str,
    actor: Any,
    name: str,
    target: str | None,
    options: _LinkOptions,
    photo_id: str | None = None,
    photo_ids: list[str] | None = None,
    album_id: str | None = None,
) -> ShareLink:
    """Build an unsaved link with a fresh token, its end and its TTL."""
    # Whole seconds: the TTL attribute stores epoch seconds, and the expiry must be exact.
    created_at = common.utc_now(options.now).replace(microsecond=0)
    ends_at = (
        None if options.expires_in is None else created_at + timedelta(seconds=options.expires_in)
    )
    token = secrets.token_urlsafe(24)
    return ShareLink(
        token,
        photo_id=photo_id,
        owner_sub=owner_sub,
        created_by=actor.get_username(),
        created_at=created_at,
        created_key=time_key(created_at, token),
        ends_at=ends_at,
        until_revoked=ends_at is None,
        # TTL: a while after the end, so the owner still sees the link and its log; a link that
        # lasts until revoked gets its TTL when revoked.
        expires_at=None if ends_at is None else ends_at + SHARE_KEEP,
        photo_name=name,
        target=target,
        photo_ids=photo_ids,
        album_id=album_id,
        label=options.label or None,
        password_hash=make_password(options.password) if options.password else None,
        view_limit=options.view_limit,
        views=0,
        allow_download=options.allow_download,
    )


def _describe(link: ShareLink) -> str:
    if link.target == TARGET_SELECTION:
        return f"selection of {len(link.photo_ids or [])} photos"
    if link.target == TARGET_ALBUM:
        return f"album {link.album_id}"
    return f"photo {link.photo_id}"


def _clean_label(label: str) -> str:
    label = " ".join((label or "").split())
    common.refuse_control_characters(label)
    if len(label) > SHARE_LABEL_MAX_CHARS:
        raise Invalid(
            gettext_noop("Keep the recipient to %(count)d characters."),
            code="bad_label",
            params={"count": SHARE_LABEL_MAX_CHARS},
        )
    return label


def _check_options(*, password: str, view_limit: int | None) -> None:
    if password and not SHARE_PASSWORD_MIN_CHARS <= len(password) <= SHARE_PASSWORD_MAX_CHARS:
        raise Invalid(
            gettext_noop("A link password has %(low)d to %(high)d characters."),
            code="bad_password",
            params={"low": SHARE_PASSWORD_MIN_CHARS, "high": SHARE_PASSWORD_MAX_CHARS},
        )
    if view_limit is not None and not 1 <= view_limit <= SHARE_VIEW_LIMIT_MAX:
        raise Invalid(
            gettext_noop("A view limit is a number from 1 to %(high)d."),
            code="bad_view_limit",
            params={"high": SHARE_VIEW_LIMIT_MAX},
        )


def _target_photos(
    *, photo_id: str | None, photo_ids: list[str] | None, album_id: str | None, actor: Any
) -> tuple[str, list[Photo]]:
    """Return the target kind and its photos (visible ones only, or Invalid/NotFound)."""
    given = [value is not None for value in (photo_id, photo_ids, album_id)]
    if sum(given) != 1:
        raise Invalid(
            gettext_noop("Share one photo, a selection of photos or an album."), code="bad_target"
        )
    if photo_id is not None:
        # Read as the actor sees it: an owner's private photo is there, and refused as private.
        return TARGET_PHOTO, [selectors.photo_get_visible(photo_id=photo_id, viewer=actor)]
    if album_id is not None:
        raise AssertionError("albums are resolved by share_link_create")
    wanted = list(dict.fromkeys(photo_ids or []))
    if not 1 <= len(wanted) <= SHARE_SELECTION_MAX:
        raise Invalid(
            gettext_noop("Choose from 1 to %(count)d photos to share."),
            code="bad_selection",
            params={"count": SHARE_SELECTION_MAX},
        )
    photos = share_photos_read(photo_ids=wanted)
    if len(photos) != len(wanted):
        raise Invalid(
            gettext_noop("Some of the chosen photos are no longer available; choose again."),
            code="bad_selection",
        )
    return TARGET_SELECTION, photos


def share_photos_read(*, photo_ids: list[str]) -> list[Photo]:
    """Return the visible photos among `photo_ids`, in that order, read strongly consistently
    in one BatchGetItem (so a hide or a delete counts from the next request on)."""
    if any(not isinstance(pid, str) or not 0 < len(pid) <= 64 for pid in photo_ids):
        return []
    found = {photo.photo_id: photo for photo in Photo.batch_get(photo_ids, consistent_read=True)}
    return [found[pid] for pid in photo_ids if pid in found and found[pid].is_visible]


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


def share_link_live(*, token: str, now: datetime | None = None) -> ShareLink:
    """Return the link if it still works, read strongly consistently (so a revocation stops it
    from the next request on); NotFound or Gone otherwise. TTL deletion is lazy, so the expiry
    is checked here on every request."""
    now = common.utc_now(now)
    try:
        link = ShareLink.get(token, consistent_read=True)
    except ShareLink.DoesNotExist:
        raise NotFound(gettext_noop("This share link does not exist.")) from None
    if link.revoked:
        raise Gone(gettext_noop("This share link was revoked."), code="revoked")
    if link.is_expired(now=now):
        raise Gone(gettext_noop("This share link has expired."))
    return link


def share_link_photos(*, link: ShareLink) -> list[Photo]:
    """Return the photos a live link shows, read strongly consistently: Gone when none is left
    (deleted, hidden, or, on a link from before links belonged to the owner, someone else's)."""
    if link.target == TARGET_SELECTION:
        photos = [
            photo
            for photo in share_photos_read(photo_ids=list(link.photo_ids or []))
            # A photo its owner made private since leaves the selection, as a hidden one does.
            if photo.owner_sub == link.owner_sub and policy.may_share(photo=photo)
        ]
        if not photos:
            raise Gone(gettext_noop("The shared photos are no longer available."), code="deleted")
        return photos
    if link.target == TARGET_ALBUM:
        return share_album_page(link=link).items
    try:
        photo = Photo.get(link.photo_id, consistent_read=True)
    except Photo.DoesNotExist:
        raise Gone(gettext_noop("The shared photo was deleted."), code="deleted") from None
    # Hidden by a moderator, or made private by its owner: the link stops, as if revoked.
    if not policy.may_share(photo=photo):
        raise Gone(gettext_noop("The shared photo is no longer available."), code="deleted")
    if link.owner_sub != photo.owner_sub:
        # Made before links belonged to the photo's owner, by someone else: the owner can
        # neither see nor revoke it, so it does not work.
        raise Gone(
            gettext_noop("This share link was not made by the photo's owner."), code="revoked"
        )
    return [photo]


def share_album_page(*, link: ShareLink, cursor: str | None = None) -> Page[Photo]:
    """Return a page of a shared album's photos in the owner's order, each one the public may
    see (strongly consistent reads: a removal or a hide counts from the next request); Gone
    once the album is deleted or is no longer the link owner's. An empty album is no error:
    its photos may come later."""
    try:
        album = album_selectors.album_get(album_id=link.album_id or "")
    except NotFound:
        raise Gone(
            gettext_noop("The shared album is no longer available."), code="deleted"
        ) from None
    if album.owner_sub != link.owner_sub:
        raise Gone(gettext_noop("The shared album is no longer available."), code="deleted")
    items = album_selectors.album_item_page(
        album_id=album.album_id, cursor=cursor, limit=SHARE_ALBUM_PAGE_SIZE
    )
    photos = share_photos_read(photo_ids=[item.photo_id for item in items.items])
    return Page(
        items=[photo for photo in photos if photo.owner_sub == link.owner_sub],
        cursor=items.cursor,
    )


def share_album_holds(*, link: ShareLink, photo_id: str) -> Photo:
    """Return one photo of a shared album (its download), checked to be in the album and
    visible now; NotFound otherwise."""
    try:
        AlbumItem.get(link.album_id or "", photo_id, consistent_read=True)
    except (AlbumItem.DoesNotExist, ValueError):
        raise NotFound(gettext_noop("That photo is not part of this link.")) from None
    photos = [
        photo
        for photo in share_photos_read(photo_ids=[photo_id])
        if photo.owner_sub == link.owner_sub
    ]
    if not photos:
        raise NotFound(gettext_noop("That photo is not part of this link."))
    return photos[0]


def share_url_lifetime(*, link: ShareLink, now: datetime | None = None) -> int:
    """Return how long a presigned URL handed out through the link may live: never beyond the
    link, never beyond PHOTOSITE_URL_EXPIRY (a link until revoked: the latter)."""
    end = link.valid_until
    if end is None:
        return settings.PHOTOSITE_URL_EXPIRY
    remaining = math.floor((end - common.utc_now(now)).total_seconds())
    if remaining < 1:
        raise Gone(gettext_noop("This share link has expired."))
    return min(remaining, settings.PHOTOSITE_URL_EXPIRY)


def share_download_key(photo: Photo) -> str:
    """Return the S3 key a share link's download serves: the full-size copy without any EXIF
    (no GPS), or the display derivative for a photo published before full-size copies; never
    the original, which only its owner downloads (gallery.services.originals)."""
    return originals.full_size_key(photo) or photo.display_key


def share_link_open(
    *, token: str, photo_id: str | None = None, now: datetime | None = None
) -> SharedPhoto:
    """Return one shared photo (the first, or `photo_id` of a selection) and a short URL of its
    display image, or raise Gone/NotFound. Opens nothing in the log and counts no view: the
    pages do that (gallery.services.share_visits).
    """
    now = common.utc_now(now)
    link = share_link_live(token=token, now=now)
    photos = share_link_photos(link=link)
    wanted = photo_id if photo_id is not None else photos[0].photo_id if photos else None
    photo = next((candidate for candidate in photos if candidate.photo_id == wanted), None)
    if photo is None:
        raise NotFound(gettext_noop("That photo is not part of this link."))
    expires_in = share_url_lifetime(link=link, now=now)
    return SharedPhoto(
        link=link,
        photo=photo,
        url=storage.object_url(photo.display_key, expires_in=expires_in),
        expires_in=expires_in,
    )


def share_link_revoke(*, token: str, actor: Any, now: datetime | None = None) -> None:
    """Revoke a link at once (its record stays until TTL removes it): the photo's owner may
    revoke every link to their photos, anyone else needs the moderation permission (recorded).

    Revoking twice, or twice at once, is harmless: only the write that flips the flag counts
    (and is recorded); the others find the link revoked already and do nothing.
    """
    try:
        link = ShareLink.get(token)
    except ShareLink.DoesNotExist:
        raise NotFound(gettext_noop("This share link does not exist.")) from None
    moderated = policy.change_check(item=link, actor=actor)
    if link.revoked:
        return
    try:
        # Conditional: no write for a link revoked meanwhile, and none that would recreate a
        # link deleted meanwhile (with its photo) as a bare record.
        link.update(
            actions=[ShareLink.revoked.set(True), *_ttl_on_revoke(link, now=now)],
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
            detail=f"{_describe(link)}, owner {link.owner_sub}, made by {link.maker}",
        )


def _ttl_on_revoke(link: ShareLink, *, now: datetime | None) -> list[Any]:
    # A link until revoked has no TTL yet: from its revocation it is kept as long as an ended
    # one, then purged. A link with an end keeps the TTL it has.
    if link.expires_at is not None:
        return []
    return [ShareLink.expires_at.set(common.utc_now(now).replace(microsecond=0) + SHARE_KEEP)]


def share_link_remove(*, token: str, actor: Any, now: datetime | None = None) -> None:
    """Remove an ended link (revoked, expired, or used up) from its owner's list at once,
    rather than when TTL purges it; its open log goes with TTL (no one can reach it).

    A live link must be revoked first (Invalid `link_active`). Removing twice, or twice at
    once, is harmless: a link that is gone already is fine. Nobody but the owner, or a moderator
    (recorded), may.
    """
    try:
        link = ShareLink.get(token, consistent_read=True)
    except ShareLink.DoesNotExist:
        return
    moderated = policy.change_check(item=link, actor=actor)
    if link.status(now=common.utc_now(now)) == "active":
        raise Invalid(
            gettext_noop("Revoke this link before removing it: it still works."),
            code="link_active",
        )
    try:
        # An ended link never works again (revoked, expiry and count only move one way), so
        # the only condition left is that it still exists: a concurrent removal deletes once.
        link.delete(condition=ShareLink.token.exists())
    except DeleteError as exc:
        if condition_failed(exc):
            return
        raise
    if moderated:
        _moderation_record(
            actor=actor,
            action="remove",
            link=link,
            detail=f"{_describe(link)}, owner {link.owner_sub}, made by {link.maker}",
        )
