"""The trash in the JSON API, mounted at /api/trash by photosite.api: the caller's trashed
photos, restore, delete forever, empty. `DELETE /api/photos/{id}` is what puts a photo here."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status
from pydantic import Field

from accounts.api_auth import CognitoBearerOrSession
from gallery import selectors, services, storage
from gallery.api import ERRORS, ErrorOut
from gallery.models import STATUS_HIDDEN, Photo

trash_router = Router(auth=CognitoBearerOrSession(), tags=["trash"])


class TrashedPhotoOut(Schema):
    id: str
    name: str
    trashed_at: datetime
    purge_at: datetime = Field(
        description="When the photo is deleted for good; past it, the photo is gone."
    )
    hidden: bool = Field(description="A moderator hid it: restored, it stays hidden.")
    thumbnail_url: str


class TrashPageOut(Schema):
    items: list[TrashedPhotoOut]
    cursor: str | None


class RestoredOut(Schema):
    id: str
    name: str
    hidden: bool
    version: int
    page_url: str


class EmptiedOut(Schema):
    deleted: int = Field(description="How many photos this call deleted for good.")
    more: bool = Field(description="Photos remain in the trash: call again to delete them.")


def _caller(request: HttpRequest):
    """Return the caller: what the auth class returned if it is a user, else request.user."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, AbstractBaseUser) else request.user


def _trashed_out(photo: Photo) -> dict:
    return {
        "id": photo.photo_id,
        "name": photo.name,
        "trashed_at": photo.trashed_at,
        "purge_at": photo.expires_at,
        "hidden": photo.trashed_status == STATUS_HIDDEN,
        "thumbnail_url": storage.object_url(
            photo.grid_key, expires_in=settings.PHOTOSITE_URL_EXPIRY
        ),
    }


@trash_router.get("", response={200: TrashPageOut, **ERRORS})
def trash_list(request: HttpRequest, cursor: str | None = None):
    """Your trashed photos, newest first, until their `purge_at` (PHOTOSITE_TRASH_DAYS after
    deletion); one page a call, `cursor` for the next."""
    page = selectors.photo_list_trash(owner_sub=_caller(request).username, cursor=cursor)
    return {"items": [_trashed_out(photo) for photo in page.items], "cursor": page.cursor}


# Before the routes of one photo: /empty would otherwise match /{photo_id}.
@trash_router.post("/empty", response={200: EmptiedOut, **ERRORS})
def trash_empty(request: HttpRequest):
    """Delete the photos of your trash for good, a batch a call (`more`: call again)."""
    emptied = services.trash_empty(actor=_caller(request))
    return {"deleted": emptied.deleted, "more": emptied.more}


@trash_router.post("/{photo_id}/restore", response={200: RestoredOut, 413: ErrorOut, **ERRORS})
def trash_restore(request: HttpRequest, photo_id: str):
    """Put a trashed photo back as it was (a hidden one stays hidden). Restoring twice is fine;
    404 once it is deleted for good, 413 `quota_exceeded` if it no longer fits your storage."""
    photo = services.photo_restore(photo_id=photo_id, actor=_caller(request))
    return {
        "id": photo.photo_id,
        "name": photo.name,
        "hidden": photo.status == STATUS_HIDDEN,
        "version": photo.version,
        "page_url": request.build_absolute_uri(
            reverse("gallery:photo_detail", args=[photo.photo_id])
        ),
    }


@trash_router.delete("/{photo_id}", response={204: None, **ERRORS})
def trash_delete(request: HttpRequest, photo_id: str):
    """Delete a trashed photo for good, now. 404 if it is gone already; 409 `not_trashed` if
    it is not in the trash (restored meanwhile)."""
    services.photo_delete_forever(photo_id=photo_id, actor=_caller(request))
    return Status(204, None)
