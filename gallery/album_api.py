"""The albums' JSON API: parse, call one selector or service, serialise.

`router` is mounted at /api/albums by photosite.api, whose handler turns every GalleryError
into a `{code, message}` response with its status. An album is its owner's alone: anyone else
gets 404 for it, as on the pages.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from accounts.api_auth import CognitoBearerOrSession
from gallery import album_selectors, policy, storage
from gallery.models import Album
from gallery.selectors import PhotoCard
from gallery.services import albums

router = Router(auth=CognitoBearerOrSession(), tags=["albums"])


class ErrorOut(Schema):
    code: str
    message: str


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class AlbumIn(Schema):
    title: str = Field(description=f"1 to {albums.TITLE_MAX_CHARS} characters.")
    description: str = Field("", description=f"At most {albums.DESCRIPTION_MAX_CHARS} characters.")
    request_token: str | None = Field(
        None,
        description="8 to 64 letters, digits, - or _. Sending the same token again (a retry) "
        "returns the album the first request made instead of making another.",
    )


class AlbumPatch(Schema):
    title: str | None = None
    description: str | None = None
    version: int = Field(description="The album's `version` as you read it (409 if it changed).")


class AlbumOut(Schema):
    id: str
    title: str
    description: str
    created_at: datetime
    item_count: int
    cover_photo_id: str | None
    version: int
    page_url: str


class AlbumPageOut(Schema):
    items: list[AlbumOut]
    cursor: str | None


class AlbumPhotoOut(Schema):
    id: str
    name: str
    width: int | None
    height: int | None
    uploaded_at: datetime
    comment_count: int
    hidden: bool = Field(description="A moderator hid the photo: only you and they see it.")
    thumbnail_url: str | None
    page_url: str


class AlbumDetailOut(AlbumOut):
    items: list[AlbumPhotoOut] = Field(
        description="A page of the album's photos in order; a photo you may no longer open, or "
        "one deleted, is left out, so a page may be shorter than others."
    )
    cursor: str | None


class ItemsIn(Schema):
    photo_ids: list[str] = Field(
        description=f"Your photos to put at the end, in this order (1 to "
        f"{albums.BULK_MAX_PHOTOS}); those in the album already stay where they are."
    )


class RefusalOut(Schema):
    photo_id: str
    code: str
    message: str


class ItemsOut(Schema):
    added: list[str]
    present: list[str] = Field(description="Photos that were in the album already.")
    refused: list[RefusalOut]


class MoveIn(Schema):
    after: str | None = Field(None, description="Put the photo just after this one ...")
    before: str | None = Field(None, description="... or just before this one (give one).")


class MoveOut(Schema):
    moved: bool = Field(description="False: the photo was there already (a repeated move).")


class CoverIn(Schema):
    photo_id: str


def _user(request: HttpRequest):
    """Return the caller: what the auth class returned if it is a user, else request.user."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, AbstractBaseUser) else request.user


def _album_out(request: HttpRequest, album: Album) -> dict:
    return {
        "id": album.album_id,
        "title": album.title,
        "description": album.description,
        "created_at": album.created_at,
        "item_count": int(album.item_count or 0),
        "cover_photo_id": album.cover_photo_id,
        "version": album.version,
        "page_url": request.build_absolute_uri(
            reverse("gallery:album_detail", args=[album.album_id])
        ),
    }


def _photos_out(request: HttpRequest, cards: list[PhotoCard]) -> list[dict]:
    keys = [card.grid_key for card in cards if card.grid_key]
    urls = dict(
        zip(keys, storage.object_urls(keys, expires_in=settings.PHOTOSITE_URL_EXPIRY), strict=True)
    )
    return [
        {
            "id": card.photo_id,
            "name": card.name,
            "width": card.width,
            "height": card.height,
            "uploaded_at": card.uploaded_at,
            "comment_count": card.comment_count,
            "hidden": policy.is_hidden(card),
            "thumbnail_url": urls.get(card.grid_key) if card.grid_key else None,
            "page_url": request.build_absolute_uri(
                reverse("gallery:photo_detail", args=[card.photo_id])
            ),
        }
        for card in cards
    ]


@router.get("", response={200: AlbumPageOut, **ERRORS})
def album_list(request: HttpRequest, cursor: str | None = None):
    """Your albums, newest first; pass `cursor` for the next page."""
    page = album_selectors.album_list_owner(owner=_user(request), cursor=cursor)
    return {"items": [_album_out(request, row.album) for row in page.items], "cursor": page.cursor}


@router.post("", response={201: AlbumOut, **ERRORS})
def album_create(request: HttpRequest, payload: AlbumIn):
    """Make an album (empty). Send a `request_token` to make a retry harmless."""
    album = albums.album_create(
        actor=_user(request),
        title=payload.title,
        description=payload.description,
        request_token=payload.request_token,
    )
    return Status(201, _album_out(request, album))


@router.get("/{album_id}", response={200: AlbumDetailOut, **ERRORS})
def album_detail(
    request: HttpRequest,
    album_id: str,
    cursor: str | None = None,
    limit: int = Query(album_selectors.ALBUM_PAGE_SIZE, ge=1, le=100),
):
    """One of your albums with a page of its photos in order (`cursor` for the next page)."""
    user = _user(request)
    album = album_selectors.album_get_for_owner(album_id=album_id, viewer=user)
    page = album_selectors.album_photo_page(
        album_id=album_id, viewer=user, cursor=cursor, limit=limit
    )
    return {
        **_album_out(request, album),
        "items": _photos_out(request, page.items),
        "cursor": page.cursor,
    }


@router.patch("/{album_id}", response={200: AlbumOut, **ERRORS})
def album_update(request: HttpRequest, album_id: str, payload: AlbumPatch):
    """Retitle an album or rewrite its description; send the `version` you read."""
    user = _user(request)
    current = album_selectors.album_get_for_owner(album_id=album_id, viewer=user)
    album = albums.album_update(
        album_id=album_id,
        actor=user,
        title=current.title if payload.title is None else payload.title,
        description=current.description if payload.description is None else payload.description,
        expected_version=payload.version,
    )
    return _album_out(request, album)


@router.delete("/{album_id}", response={204: None, **ERRORS})
def album_delete(request: HttpRequest, album_id: str):
    """Delete an album (its photos stay)."""
    albums.album_delete(album_id=album_id, actor=_user(request))
    return Status(204, None)


@router.post("/{album_id}/items", response={200: ItemsOut, **ERRORS})
def album_items_add(request: HttpRequest, album_id: str, payload: ItemsIn):
    """Put your photos at the end of the album, in the order given. Adding one twice is
    harmless. A photo that cannot go in (not yours: 403; missing: 404) is listed in `refused`;
    if none of them can, the first refusal is the answer."""
    result = albums.album_items_add(
        album_id=album_id, photo_ids=payload.photo_ids, actor=_user(request)
    )
    if result.refused and not (result.added or result.present):
        raise result.refused[0][1]
    return {
        "added": result.added,
        "present": result.present,
        "refused": [
            {"photo_id": photo_id, "code": exc.code, "message": exc.message}
            for photo_id, exc in result.refused
        ],
    }


@router.delete("/{album_id}/items/{photo_id}", response={204: None, **ERRORS})
def album_item_remove(request: HttpRequest, album_id: str, photo_id: str):
    """Take a photo out of the album (the photo stays); removing it twice is harmless."""
    albums.album_item_remove(album_id=album_id, photo_id=photo_id, actor=_user(request))
    return Status(204, None)


@router.post("/{album_id}/items/{photo_id}/move", response={200: MoveOut, **ERRORS})
def album_item_move(request: HttpRequest, album_id: str, photo_id: str, payload: MoveIn):
    """Move a photo to just `after` or just `before` another photo of the album. Only this
    photo's order changes; sending the same move again finds it in place."""
    moved = albums.album_item_move(
        album_id=album_id,
        photo_id=photo_id,
        actor=_user(request),
        after=payload.after,
        before=payload.before,
    )
    return {"moved": moved}


@router.put("/{album_id}/cover", response={200: AlbumOut, **ERRORS})
def album_cover_set(request: HttpRequest, album_id: str, payload: CoverIn):
    """Make one of the album's photos its cover."""
    album = albums.album_cover_set(
        album_id=album_id, photo_id=payload.photo_id, actor=_user(request)
    )
    return _album_out(request, album)
