"""The gallery's rules in one place: who may see and change what, which uploader IP a viewer
sees, and how large an upload may be.

Services enforce these rules; pages and the API ask them only to decide what to show (an edit
form, an IP), so a page can never offer what the service would refuse.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from core.client_ip import truncate_ip
from gallery import images
from gallery.errors import Forbidden, gettext_noop
from gallery.models import (
    STATUS_HIDDEN,
    STATUS_VISIBLE,
    VISIBILITY_PRIVATE,
    Comment,
    Photo,
    ShareLink,
    ip_key,
)

# PHOTOSITE_IP_DISPLAY: what everyone but the owner and moderators sees of an item's IP.
IP_FULL = "full"
IP_MASKED = "masked"


# The permission anyone but an item's owner needs to change it (granted by Cognito group in
# settings.COGNITO_GROUP_RIGHTS): moderation is a right of its own, not a side effect of staff.
MODERATION_PERMISSIONS: dict[type, str] = {
    Photo: "moderation.moderate_photo",
    Comment: "moderation.moderate_comment",
    ShareLink: "moderation.revoke_sharelink",
}

# What a refused actor is told, by the kind of item.
REFUSALS: dict[type, str] = {
    Photo: gettext_noop("Only the photo's owner or a moderator can change it."),
    Comment: gettext_noop("Only the comment's author or a moderator can change it."),
    ShareLink: gettext_noop("Only the link's owner or a moderator can revoke it."),
}


def owner_of(item: Photo | Comment | ShareLink) -> str:
    """Return the sub of the user an item belongs to: a photo's uploader, a comment's author."""
    return item.author_sub if isinstance(item, Comment) else item.owner_sub


def is_moderation(*, actor: Any, item: Photo | Comment | ShareLink) -> bool:
    """Return whether a change by this actor is a moderator's: the item is someone else's."""
    return actor.get_username() != owner_of(item)


def may_change(*, actor: Any, item: Photo | Comment | ShareLink) -> bool:
    """Return whether an actor (a request's user, perhaps anonymous) may change, delete or
    revoke the item: its owner may, anyone else needs the moderation permission for its kind.

    The one rule for pages, API and admin: the services enforce it, the pages ask it only to
    decide what to offer.
    """
    if not actor.is_authenticated:
        return False
    if not is_moderation(actor=actor, item=item):
        return True
    return actor.has_perm(MODERATION_PERMISSIONS[type(item)])


def change_check(*, item: Photo | Comment | ShareLink, actor: Any) -> bool:
    """Raise Forbidden unless the actor may change the item; return whether it is moderation
    (someone else's item), which the caller must record in the audit trail."""
    if not may_change(actor=actor, item=item):
        raise Forbidden(REFUSALS[type(item)])
    return is_moderation(actor=actor, item=item)


def may_view(*, viewer: Any, photo: Photo) -> bool:
    """Return whether a viewer (perhaps anonymous) may open a photo's page.

    Everyone sees a visible photo that is public or unlisted (whoever has its address). A
    private photo, and a photo a moderator hid, are gone for the public, but their owner still
    sees them (to learn that it was hidden, and to delete it) and so does anyone who may
    moderate it. A pending upload is nobody's to see yet.
    """
    if photo.status == STATUS_VISIBLE and photo.audience != VISIBILITY_PRIVATE:
        return True
    return photo.status in (STATUS_VISIBLE, STATUS_HIDDEN) and may_change(actor=viewer, item=photo)


def is_hidden(photo: Any) -> bool:
    """Return whether a moderator hid the photo, or the card of one (gallery.selectors), by its
    status (its owner's pages show it with a badge)."""
    return photo.status == STATUS_HIDDEN


def user_may_change(*, user: Any, item: Photo | Comment | ShareLink) -> bool:
    """Return whether a request's user (perhaps anonymous) may change the item."""
    return may_change(actor=user, item=item)


def ip_stored(item: Photo | Comment) -> str:
    """Return the IP the item itself stores: the network, or the full address of an item
    written before retention began."""
    return item.uploader_ip if isinstance(item, Photo) else item.ip


def ip_retention_pending(item: Photo | Comment) -> bool:
    """Return whether a full address may be retained apart for the item: it stores a network
    (an unknown address, or a full one stored in the item itself, has nothing apart)."""
    stored = ip_stored(item)
    return bool(stored) and truncate_ip(stored) == stored


def ip_full_wanted(*, viewer: Any, item: Photo | Comment) -> bool:
    """Return whether this viewer may see the item's IP whole (while it is kept whole): its
    owner and those who may moderate it always, everyone when PHOTOSITE_IP_DISPLAY is full."""
    return settings.PHOTOSITE_IP_DISPLAY == IP_FULL or user_may_change(user=viewer, item=item)


def ip_visible(
    *, viewer: Any, item: Photo | Comment, retained: Mapping[str, str] | None = None
) -> str:
    """Return the IP an item was made from (a photo's uploader, a comment's author) as this
    viewer may see it; the one rule of pages, API and admin alike (PHOTOSITE_IP_DISPLAY).

    The item's owner and those who may moderate it always see the most there is: the full
    address while it is retained (`retained`, from gallery.selectors.ip_retained_for), the
    truncated one after. Others see the same, the truncated address, or nothing, as the setting
    says. An item written before retention began still stores its full address, and shows it
    to those who may see it whole.
    """
    stored = ip_stored(item)
    if ip_full_wanted(viewer=viewer, item=item):
        return (retained or {}).get(ip_key(item)) or stored
    if settings.PHOTOSITE_IP_DISPLAY == IP_MASKED:
        return truncate_ip(stored)
    return ""


def upload_max_bytes() -> int:
    """Return the largest photo accepted, in bytes: the limit of direct uploads to S3 (the
    presigned POST of the browser and of API clients), which carry no bytes through the site."""
    return settings.PHOTOSITE_MAX_UPLOAD_BYTES


def upload_size_check(*, size: int) -> None:
    """Refuse an empty upload or one above the limit (ImageRejected `empty` or `too_large`).

    Callers check the size they know before reading the file, so an oversized upload is never
    read into memory.
    """
    images.byte_size_check(size, max_bytes=upload_max_bytes())


def upload_limit_text() -> str:
    """Return the one wording of the direct-upload limit, for forms, pages and docs alike."""
    return _(
        "Sent straight to storage (with JavaScript, or POST /api/uploads), a photo may be up "
        "to %(size)s."
    ) % {"size": images.human_bytes(upload_max_bytes())}


def server_upload_max_bytes() -> int:
    """Return the largest request body, in bytes, that a server-side upload may send (the form
    without JavaScript, `POST /api/photos`, the script's fallback): all its files, fields and
    multipart framing together, never more than the direct limit.

    On Lambda a request reaches Django inside the invocation payload, whose size is capped
    (PHOTOSITE_SERVER_UPLOAD_MAX_BYTES in settings says by how much); the other tiers apply the
    same limit, so the site behaves alike wherever it runs.
    """
    return min(settings.PHOTOSITE_SERVER_UPLOAD_MAX_BYTES, upload_max_bytes())


def server_upload_limit_text() -> str:
    """Return the one wording of the server-side upload limit."""
    return _(
        "Sent through the site (without JavaScript, or POST /api/photos), an upload may carry "
        "at most %(size)s in all."
    ) % {"size": images.human_bytes(server_upload_max_bytes())}


def server_upload_refusal() -> str:
    """Return what a server-side upload over the limit is told: the limit and the way round."""
    return " ".join(
        (
            _("This upload is too large to send through the site."),
            server_upload_limit_text(),
            upload_limit_text(),
        )
    )


def server_request_size_check(*, content_length: int) -> None:
    """Refuse a server-side upload whose request body is over the limit, before it is read
    (ImageRejected `too_large`, 413)."""
    if content_length > server_upload_max_bytes():
        raise images.ImageRejected(server_upload_refusal(), code="too_large")


def server_upload_size_check(*, size: int) -> None:
    """Refuse an empty file, or one that no server-side upload can carry (413)."""
    if size > server_upload_max_bytes():
        raise images.ImageRejected(server_upload_refusal(), code="too_large")
    upload_size_check(size=size)


def may_share(*, photo: Photo) -> bool:
    """Return whether a share link may be made to, or opened on, this photo: a visible photo
    that is not private (a share link shows the photo to whoever holds it)."""
    return photo.is_visible and photo.audience != VISIBILITY_PRIVATE


def trash_check(*, actor: Any, photo: Photo) -> None:
    """Raise Forbidden unless the actor owns the photo: a trash is its owner's alone (a
    moderator deletes someone else's photo for good instead, gallery.services.trash)."""
    if not actor.is_authenticated or is_moderation(actor=actor, item=photo):
        raise Forbidden(gettext_noop("Only the photo's owner can use its trash."))
