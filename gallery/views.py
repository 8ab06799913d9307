"""Gallery pages: parse the request, call one selector or service, render."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gallery import selectors, storage
from gallery.cursors import BadCursor
from gallery.models import Photo
from photosite.client_ip import mask_ip


@dataclass(frozen=True)
class PhotoCard:
    """What the grid needs to show one photo."""

    photo: Photo
    thumbnail_url: str
    width: int
    height: int


def photo_list(request: HttpRequest) -> HttpResponse:
    """Show the gallery: visible photos, newest first, one page at a time."""
    try:
        page = selectors.photo_list_feed(cursor=request.GET.get("cursor"))
    except BadCursor as exc:
        messages.error(request, str(exc))
        return redirect("gallery:photo_list")
    expiry = settings.PHOTOSITE_URL_EXPIRY
    cards = [
        PhotoCard(
            photo=photo,
            thumbnail_url=storage.object_url(photo.grid_key, expires_in=expiry),
            width=480,
            height=480,
        )
        for photo in page.items
        if photo.grid_key
    ]
    return render(
        request, "gallery/photo_list.html", {"page": {"items": cards, "cursor": page.cursor}}
    )


def photo_detail(request: HttpRequest, photo_id: str) -> HttpResponse:
    """Show one photo with its name, uploader, upload time and uploader IP."""
    photo = selectors.photo_get(photo_id=photo_id)
    if photo is None or not photo.is_visible:
        raise Http404(_("No such photo."))
    return render(
        request,
        "gallery/photo_detail.html",
        {
            "photo": photo,
            "display_url": storage.object_url(
                photo.display_key, expires_in=settings.PHOTOSITE_URL_EXPIRY
            ),
            "uploader_ip": visible_ip(request, photo),
        },
    )


def visible_ip(request: HttpRequest, photo: Photo) -> str:
    """Return the uploader IP as this viewer may see it (PHOTOSITE_IP_DISPLAY)."""
    user = request.user
    privileged = user.is_staff or getattr(user, "username", None) == photo.owner_sub
    mode = settings.PHOTOSITE_IP_DISPLAY
    if mode == "full" or privileged:
        return photo.uploader_ip
    if mode == "masked":
        return mask_ip(photo.uploader_ip)
    return ""
