"""The gallery's rules in one place: who may change what, which uploader IP a viewer sees,
and how large an upload may be.

Services enforce these rules; pages and the API ask them only to decide what to show (an edit
form, an IP), so a page can never offer what the service would refuse.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from core.client_ip import mask_ip
from gallery import images
from gallery.errors import Forbidden
from gallery.models import Comment, Photo, ShareLink

# PHOTOSITE_IP_DISPLAY: what everyone but the owner and staff sees of an uploader's IP.
IP_FULL = "full"
IP_MASKED = "masked"


def may_change(*, owner_sub: str, actor_sub: str, actor_is_staff: bool) -> bool:
    """Return whether an actor may change (or delete, or revoke) an item this owner made.

    The owner may, and so may staff: moderators act on anyone's photos, comments and links.
    """
    return actor_is_staff or actor_sub == owner_sub


# What a refused actor is told, by the kind of item.
REFUSALS: dict[type, str] = {
    Photo: "Only the photo's owner can change it.",
    Comment: "Only the comment's author can change it.",
    ShareLink: "Only the link's owner can revoke it.",
}


def owner_of(item: Photo | Comment | ShareLink) -> str:
    """Return the sub of the user an item belongs to: a photo's uploader, a comment's author."""
    return item.author_sub if isinstance(item, Comment) else item.owner_sub


def change_check(
    *, item: Photo | Comment | ShareLink, actor_sub: str, actor_is_staff: bool
) -> None:
    """Raise Forbidden unless the actor may change (or delete, or revoke) the item."""
    owner_sub = owner_of(item)
    if not may_change(owner_sub=owner_sub, actor_sub=actor_sub, actor_is_staff=actor_is_staff):
        raise Forbidden(REFUSALS[type(item)])


def user_may_change(*, user: Any, item: Photo | Comment | ShareLink) -> bool:
    """Return whether a request's user (perhaps anonymous) may change the item."""
    return bool(user.is_authenticated) and may_change(
        owner_sub=owner_of(item), actor_sub=user.get_username(), actor_is_staff=user.is_staff
    )


def uploader_ip_visible(*, viewer: Any, photo: Photo) -> str:
    """Return the uploader IP as this viewer may see it (PHOTOSITE_IP_DISPLAY).

    The owner and staff always see it whole; others see it whole, masked, or not at all.
    """
    mode = settings.PHOTOSITE_IP_DISPLAY
    if mode == IP_FULL or user_may_change(user=viewer, item=photo):
        return photo.uploader_ip
    if mode == IP_MASKED:
        return mask_ip(photo.uploader_ip)
    return ""


def upload_max_bytes() -> int:
    """Return the largest upload accepted, in bytes, on both upload paths."""
    return settings.PHOTOSITE_MAX_UPLOAD_BYTES


def upload_size_check(*, size: int) -> None:
    """Refuse an empty upload or one above the limit (ImageRejected `empty` or `too_large`).

    Callers check the size they know before reading the file, so an oversized upload is never
    read into memory.
    """
    images.byte_size_check(size, max_bytes=upload_max_bytes())
