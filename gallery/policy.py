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
from gallery.models import Photo

# PHOTOSITE_IP_DISPLAY: what everyone but the owner and staff sees of an uploader's IP.
IP_FULL = "full"
IP_MASKED = "masked"


def may_change(*, owner_sub: str, actor_sub: str, actor_is_staff: bool) -> bool:
    """Return whether an actor may change (or delete, or revoke) an item this owner made.

    The owner may, and so may staff: moderators act on anyone's photos, comments and links.
    """
    return actor_is_staff or actor_sub == owner_sub


def change_check(*, owner_sub: str, actor_sub: str, actor_is_staff: bool, refusal: str) -> None:
    """Raise Forbidden with `refusal` unless the actor may change the owner's item."""
    if not may_change(owner_sub=owner_sub, actor_sub=actor_sub, actor_is_staff=actor_is_staff):
        raise Forbidden(refusal)


def user_may_change(*, user: Any, owner_sub: str) -> bool:
    """Return whether a request's user (perhaps anonymous) may change the owner's item."""
    return bool(user.is_authenticated) and may_change(
        owner_sub=owner_sub, actor_sub=user.get_username(), actor_is_staff=user.is_staff
    )


def uploader_ip_visible(*, viewer: Any, photo: Photo) -> str:
    """Return the uploader IP as this viewer may see it (PHOTOSITE_IP_DISPLAY).

    The owner and staff always see it whole; others see it whole, masked, or not at all.
    """
    mode = settings.PHOTOSITE_IP_DISPLAY
    if mode == IP_FULL or user_may_change(user=viewer, owner_sub=photo.owner_sub):
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
