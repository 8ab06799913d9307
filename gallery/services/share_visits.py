"""What a recipient does with a share link: unlock it with its password, open its page (counted
and logged) and download a photo of it (logged). The owner's side is share_links.

Every request reads the link strongly consistently, so a revocation refuses the next request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from django.contrib.auth.hashers import check_password

from accounts import ratelimit
from gallery import storage
from gallery.errors import Forbidden, GalleryError, NotFound, RateLimited, gettext_noop
from gallery.models import Photo, ShareLink
from gallery.services import common
from gallery.services.share_links import (
    TARGET_ALBUM,
    SharedPhoto,
    share_album_holds,
    share_album_page,
    share_download_key,
    share_link_live,
    share_link_photos,
    share_url_lifetime,
)
from gallery.services.share_opens import OPEN_FILE, OPEN_PAGE, share_open_record, share_view_count

# Password guesses: per link (a flood from many addresses) and per address (one guesser trying
# many links), counted before any hash is computed, so a flood costs no hashing either.
PASSWORD_LINK_LIMIT: Final = ratelimit.Limit(scope="share-password-link", hits=10, window=900)
PASSWORD_IP_LIMIT: Final = ratelimit.Limit(scope="share-password-ip", hits=30, window=900)


class PasswordRequired(GalleryError):
    """The link has a password and this visitor has not given it yet."""

    status, code = 403, "password_required"


@dataclass(frozen=True)
class SharedView:
    """An opened link's page: the link and each photo with a short URL of its display image
    (an album: one page of them, and the cursor of the next)."""

    link: ShareLink
    items: list[SharedPhoto]
    cursor: str | None = None


def share_link_unlock(
    *, token: str, password: str, ip: str, now: datetime | None = None
) -> ShareLink:
    """Check a visitor's password for a live link; return the link if it is right.

    RateLimited past PASSWORD_LINK_LIMIT guesses on the link or PASSWORD_IP_LIMIT from the
    address in their window (right ones count too: the counter cannot tell before hashing);
    Forbidden `wrong_password` when wrong.
    """
    now = common.utc_now(now)
    link = share_link_live(token=token, now=now)
    if not link.password_hash:
        return link
    for limit, subject in ((PASSWORD_IP_LIMIT, ip or "unknown"), (PASSWORD_LINK_LIMIT, token)):
        if not ratelimit.hit(limit=limit, subject=subject, now=now.timestamp()):
            raise RateLimited(
                gettext_noop("Too many password attempts; try again in %(minutes)d minutes."),
                params={"minutes": max(1, round(ratelimit.retry_after(limit=limit) / 60))},
            )
    if not check_password(password or "", link.password_hash):
        raise Forbidden(gettext_noop("That password is not right."), code="wrong_password")
    return link


def share_link_visit(
    *,
    token: str,
    ip: str,
    unlocked: bool,
    cursor: str | None = None,
    now: datetime | None = None,
) -> SharedView:
    """Open a link's page: check it, count the view (refused past the view limit), log the open
    (best effort), and return its photos with URLs that die with the link or within minutes.

    `unlocked`: the visitor gave the password earlier (a signed cookie the page checks); a
    link with a password raises PasswordRequired without it, and nothing is counted.
    """
    now = common.utc_now(now)
    link = share_link_live(token=token, now=now)
    if link.password_hash and not unlocked:
        raise PasswordRequired(gettext_noop("This link is protected by a password."))
    # The next pages of an album are part of the same visit (the cookie the first page set):
    # only the first page counts and is logged. A cursor without the cookie starts afresh.
    further = cursor is not None and unlocked and link.target == TARGET_ALBUM
    next_cursor = None
    if link.target == TARGET_ALBUM:
        page = share_album_page(link=link, cursor=cursor if further else None)
        photos, next_cursor = page.items, page.cursor
    else:
        photos = share_link_photos(link=link)
    expires_in = share_url_lifetime(link=link, now=now)
    if not further:
        share_view_count(link=link, now=now)
        share_open_record(token=token, ip=ip, kind=OPEN_PAGE, now=now)
    urls = storage.object_urls([photo.display_key for photo in photos], expires_in=expires_in)
    return SharedView(
        link=link,
        items=[
            SharedPhoto(link=link, photo=photo, url=url, expires_in=expires_in)
            for photo, url in zip(photos, urls, strict=True)
        ],
        cursor=next_cursor,
    )


def share_link_download(
    *,
    token: str,
    ip: str,
    unlocked: bool,
    photo_id: str | None = None,
    now: datetime | None = None,
) -> SharedPhoto:
    """Return a short URL of one photo's downloadable file (without location data), logging the
    download; Forbidden when the owner turned downloads off.

    A link with a password or a view limit only serves visitors who opened its page (the signed
    cookie the page sets: `unlocked`), so the file cannot be fetched past either.
    """
    now = common.utc_now(now)
    link = share_link_live(token=token, now=now)
    if not link.downloads:
        raise Forbidden(
            gettext_noop("The owner turned downloads off for this link."), code="download_off"
        )
    if (link.password_hash or link.view_limit is not None) and not unlocked:
        raise PasswordRequired(gettext_noop("Open the link's page first."))
    if link.target == TARGET_ALBUM and photo_id is not None:
        photo = share_album_holds(link=link, photo_id=photo_id)
    else:
        photo = _pick(share_link_photos(link=link), photo_id)
    expires_in = share_url_lifetime(link=link, now=now)
    share_open_record(token=token, ip=ip, kind=OPEN_FILE, now=now)
    return SharedPhoto(
        link=link,
        photo=photo,
        url=storage.object_url(share_download_key(photo), expires_in=expires_in),
        expires_in=expires_in,
    )


def _pick(photos: list[Photo], photo_id: str | None) -> Photo:
    if photo_id is None and photos:
        return photos[0]
    for photo in photos:
        if photo.photo_id == photo_id:
            return photo
    raise NotFound(gettext_noop("That photo is not part of this link."))
