"""The gallery's JSON API: parse, call one selector or service, serialise.

`router` is mounted at /api/photos and `uploads_router` (direct uploads to S3) at /api/uploads
by photosite.api, which also turns every GalleryError (ImageRejected and BadCursor included)
into a `{code, message}` response with its status.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from accounts.api_auth import CognitoBearerOrSession
from gallery import policy, search_terms, selectors, services, storage
from gallery.errors import Conflict, Invalid, gettext_noop
from gallery.hide_reasons import HIDE_REASONS
from gallery.models import Comment, Photo, ShareLink, ip_key
from gallery.services import originals

router = Router(auth=CognitoBearerOrSession(), tags=["photos"])
# Who may see a photo (gallery.models): the same three values everywhere.
Visibility = Literal["public", "unlisted", "private"]
# Mounted at /api/share-links: the links to the caller's photos (made with POST .../share).
share_links_router = Router(auth=CognitoBearerOrSession(), tags=["share links"])
uploads_router = Router(auth=CognitoBearerOrSession(), tags=["uploads"])


class PhotoOut(Schema):
    id: str
    name: str
    caption: str
    owner_sub: str
    owner_name: str
    uploader_ip: str
    uploaded_at: datetime
    width: int | None
    height: int | None
    size_bytes: int | None
    content_type: str | None
    sha256: str | None
    duplicate_of: str | None
    comment_count: int
    hidden: bool = Field(
        description="A moderator hid the photo: only its owner and moderators can read it."
    )
    visibility: Visibility = Field(
        description="public: in the gallery and search; unlisted: only through its address or "
        "a share link; private: only its owner and moderators."
    )
    version: int
    s3_key: str
    s3_url: str | None
    url: str
    thumbnail_url: str
    page_url: str
    hidden_reason: str | None = Field(
        None, description="Why a moderator hid it, one of: " + ", ".join(HIDE_REASONS)
    )
    hidden_note: str | None = Field(None, description="The moderator's note, if any.")

    # What the camera knew (EXIF), when it said so.
    taken_at: str | None = Field(
        None,
        description="Date taken, ISO 8601 local time of the camera; with its UTC offset when "
        "the camera recorded one, without when the zone is unknown.",
    )
    camera_make: str | None = None
    camera_model: str | None = None
    lens: str | None = None
    exposure_seconds: float | None = None
    f_number: float | None = None
    iso: int | None = None
    focal_length_mm: float | None = None
    full_url: str = Field(
        description="The full-resolution copy, without location or other EXIF data (short "
        "presigned URL)."
    )
    original_download_url: str | None = Field(
        None,
        description="The owner's only: `GET` it for a short-lived download URL of the original "
        "file as uploaded (with its EXIF, GPS included).",
    )


class PhotoPageOut(Schema):
    items: list[PhotoOut]
    cursor: str | None


class PhotoPatch(Schema):
    name: str | None = None
    caption: str | None = None
    visibility: Visibility | None = Field(
        None, description="Who may see the photo (its owner only may change it)."
    )
    version: int


class CommentIn(Schema):
    body: str


class CommentOut(Schema):
    id: str
    key: str
    author_sub: str
    author_name: str
    # As gallery.policy.ip_visible lets the caller see it, like the photo's uploader_ip.
    ip: str
    body: str
    created_at: datetime
    edited_at: datetime | None
    version: int


class CommentPageOut(Schema):
    items: list[CommentOut]
    cursor: str | None


class ShareIn(Schema):
    expires_in: int | None = Field(
        60, description="Seconds the link works (60 to 604800), or null: until revoked."
    )
    label: str = Field("", description='The recipient, for you ("for Grandma"); ≤ 80 characters.')
    password: str = Field(
        "", description="Optional; 4 to 128 characters, stored as a password hash only."
    )
    view_limit: int | None = Field(
        None, description="Optional: the page opens allowed (1 to 1000); the next is refused."
    )
    allow_download: bool = Field(
        True, description="False: view only (the page shows the image, no download)."
    )


class ShareCreateIn(ShareIn):
    photo_id: str | None = Field(None, description="Share one photo ...")
    photo_ids: list[str] | None = Field(
        None, description="... or a selection of your photos (1 to 50), in this order ..."
    )
    album_id: str | None = Field(None, description="... or an album (not available yet).")


class ShareOut(Schema):
    token: str
    # The share page; anyone holding it sees the photo until the link stops working.
    url: str
    # The image file itself: a site address that redirects, on each visit, to a presigned URL
    # of a few minutes, so it stops with the link (revoked, expired, photo hidden or deleted).
    direct_url: str
    expires_at: datetime | None = Field(description="When the link stops; null: until revoked.")
    target: str = Field(description="photo, selection or album")
    photo_ids: list[str] = Field(description="The photos a selection shares, in order.")
    album_id: str | None
    label: str
    has_password: bool
    view_limit: int | None
    allow_download: bool
    status: str = Field(description="active, expired, revoked or used_up (view limit reached)")
    views: int = Field(description="How many times the link's page was opened.")
    last_opened_at: datetime | None


class ShareLinkOut(ShareOut):
    photo_id: str | None
    photo_name: str
    created_at: datetime
    revoked: bool
    expired: bool
    # Made by a moderator rather than by the photo's owner (who sees and may revoke it anyway).
    made_by_moderator: bool


class ShareLinkPageOut(Schema):
    items: list[ShareLinkOut]
    cursor: str | None


class ShareOpenOut(Schema):
    opened_at: datetime
    ip: str = Field(description="The opener's network only: IPv4 /24 or IPv6 /48, masked.")
    kind: str = Field(description="page (an open, counted) or file (a download)")


class ShareOpenPageOut(Schema):
    items: list[ShareOpenOut]
    cursor: str | None


class ErrorOut(Schema):
    code: str
    message: str


def _user(request: HttpRequest):
    """Return the caller: what the auth class returned if it is a user, else request.user."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, AbstractBaseUser) else request.user


def _ips(request: HttpRequest, items: list, retained: dict[str, str] | None) -> dict[str, str]:
    """Return the full addresses this caller may see among `items` (one BatchGetItem at most),
    unless the caller read them already for a whole page."""
    if retained is not None:
        return retained
    return selectors.ip_retained_for(viewer=_user(request), items=items)


def _photo_out(request: HttpRequest, photo: Photo, retained: dict[str, str] | None = None) -> dict:
    expiry = settings.PHOTOSITE_URL_EXPIRY
    return {
        "id": photo.photo_id,
        "name": photo.name,
        "caption": photo.caption,
        "owner_sub": photo.owner_sub,
        "owner_name": photo.owner_name,
        "uploader_ip": policy.ip_visible(
            viewer=_user(request), item=photo, retained=_ips(request, [photo], retained)
        ),
        "uploaded_at": photo.uploaded_at,
        "width": photo.width,
        "height": photo.height,
        "size_bytes": photo.size_bytes,
        "content_type": photo.content_type,
        "sha256": photo.sha256,
        "duplicate_of": photo.duplicate_of,
        "comment_count": photo.comment_count,
        "hidden": policy.is_hidden(photo),
        "visibility": photo.audience,
        "version": photo.version,
        "s3_key": photo.original_key,
        "s3_url": photo.original_url,
        "url": storage.object_url(photo.display_key, expires_in=expiry),
        "thumbnail_url": storage.object_url(photo.grid_key, expires_in=expiry),
        "page_url": request.build_absolute_uri(
            reverse("gallery:photo_detail", args=[photo.photo_id])
        ),
        "hidden_reason": photo.hidden_reason if policy.is_hidden(photo) else None,
        "hidden_note": photo.hidden_note if policy.is_hidden(photo) else None,
        "taken_at": photo.taken_at,
        "camera_make": photo.camera_make,
        "camera_model": photo.camera_model,
        "lens": photo.lens,
        "exposure_seconds": photo.exposure_seconds,
        "f_number": photo.f_number,
        "iso": photo.iso,
        "focal_length_mm": photo.focal_length_mm,
        "full_url": originals.full_size_url(photo),
        "original_download_url": (
            request.build_absolute_uri(reverse("api:photo_original", args=[photo.photo_id]))
            if originals.original_may_download(actor=_user(request), photo=photo)
            else None
        ),
    }


def _comment_out(
    request: HttpRequest, comment: Comment, retained: dict[str, str] | None = None
) -> dict:
    return {
        "id": comment.comment_id,
        "key": comment.created_key,
        "author_sub": comment.author_sub,
        "author_name": comment.author_name,
        "ip": policy.ip_visible(
            viewer=_user(request), item=comment, retained=_ips(request, [comment], retained)
        ),
        "body": comment.body,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "version": comment.version or 1,
    }


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


@router.get("", response={200: PhotoPageOut, **ERRORS})
def photo_list(
    request: HttpRequest,
    cursor: str | None = None,
    q: str = "",
    date_from: datetime | None = Query(None, alias="from"),  # noqa: B008
    date_to: datetime | None = Query(None, alias="to"),  # noqa: B008
    mine: bool = False,
    order: Literal["uploaded", "taken"] = "uploaded",
    taken_from: datetime | None = None,
    taken_to: datetime | None = None,
):
    """List photos newest first; `q` (name or caption), `from` and `to` (upload time),
    `taken_from` and `taken_to` (date taken), all ISO 8601, UTC if no offset.

    `order=taken` lists by date taken, latest first (a photo without one by its upload time);
    a date-taken range without `q` is listed in that order too. `mine` lists the caller's own.
    """
    q = q.strip()
    if q and not search_terms.query_terms(q):
        raise Invalid(
            gettext_noop("Type some letters, digits or characters to search for."), code="bad_query"
        )
    taken = {"taken_from": _aware(taken_from), "taken_to": _aware(taken_to)}
    if mine and order == selectors.ORDER_TAKEN:
        page = selectors.photo_list_owner_taken(owner_sub=_user(request).username, cursor=cursor)
    elif mine:
        page = selectors.photo_list_owner(owner_sub=_user(request).username, cursor=cursor)
    elif order == selectors.ORDER_TAKEN and not q:
        page = selectors.photo_list_taken(
            date_from=_aware(date_from), date_to=_aware(date_to), cursor=cursor, **taken
        )
    else:
        page = selectors.photo_search_taken(
            q=q, date_from=_aware(date_from), date_to=_aware(date_to), cursor=cursor, **taken
        )
    retained = selectors.ip_retained_for(viewer=_user(request), items=page.items)
    return {
        "items": [_photo_out(request, p, retained) for p in page.items],
        "cursor": page.cursor,
    }


def upload_limits_document(*, schema: dict[str, Any]) -> dict[str, Any]:
    """State the upload limits the settings give now in the OpenAPI schema (photosite.api calls
    this each time it builds the schema): the file part of `POST /api/photos` gets the server
    limit as its `maxLength` and the two limits' wordings, as the upload form states them."""
    operation = schema["paths"]["/api/photos"]["post"]
    form = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    form["properties"]["file"]["maxLength"] = policy.server_upload_max_bytes()
    form["properties"]["file"]["description"] = (
        f"{policy.server_upload_limit_text()} {policy.upload_limit_text()}"
    )
    return schema


@router.post("", response={201: PhotoOut, 413: ErrorOut, 415: ErrorOut, 429: ErrorOut, **ERRORS})
def photo_create(
    request: HttpRequest,
    file: File[UploadedFile],
    name: Form[str],
    caption: Form[str] = "",
    visibility: Form[Visibility | None] = None,
):
    """Upload one photo through the site (multipart: `file`, `name`, optional `caption` and
    `visibility`, which defaults to the account's setting).

    The whole request may carry at most PHOTOSITE_SERVER_UPLOAD_MAX_BYTES (the file part's
    `maxLength`; 4 MiB unless configured), which is what a Lambda invocation can carry; a
    larger one is refused with 413 `too_large` before it is read. Larger photos, up to
    PHOTOSITE_MAX_UPLOAD_BYTES: `POST /api/uploads`, which sends them straight to S3.
    """
    policy.server_upload_size_check(size=file.size)
    user = _user(request)
    services.upload_admit(owner_sub=user.username)
    photo = services.photo_create(
        owner_sub=user.username,
        owner_name=user.get_full_name() or user.get_username(),
        name=name,
        caption=caption,
        data=file.read(),
        uploader_ip=request.client_ip,
        visibility=visibility,
        filename=file.name or "",
    )
    # The creator sees the address it wrote, without reading back what was just written.
    return Status(201, _photo_out(request, photo, {ip_key(photo): request.client_ip}))


@router.get("/{photo_id}", response={200: PhotoOut, **ERRORS})
def photo_detail(request: HttpRequest, photo_id: str):
    """One photo, with short presigned URLs of its display and grid images. A photo a moderator
    hid is still its owner's (and the moderators') to read, with `hidden` true; 404 to others."""
    photo = selectors.photo_get_for_viewer(photo_id=photo_id, viewer=_user(request))
    return _photo_out(request, photo)


@router.patch("/{photo_id}", response={200: PhotoOut, **ERRORS})
def photo_update(request: HttpRequest, photo_id: str, payload: PhotoPatch):
    """Rename, re-caption or change the visibility of a photo; send the `version` you read (409
    if it changed). A name or caption change is applied first, then the visibility."""
    user = _user(request)
    current = selectors.photo_get_visible(photo_id=photo_id, viewer=user)
    photo, version = current, payload.version
    if payload.name is not None or payload.caption is not None:
        photo = services.photo_update(
            photo_id=photo_id,
            actor=user,
            name=current.name if payload.name is None else payload.name,
            caption=current.caption if payload.caption is None else payload.caption,
            expected_version=version,
        )
        version = photo.version
    if payload.visibility is not None:
        photo = services.photo_visibility_set(
            photo_id=photo_id, actor=user, visibility=payload.visibility, expected_version=version
        )
    elif photo is current and current.version != version:
        raise Conflict(
            gettext_noop("This photo was changed meanwhile; reload the page and try again.")
        )
    return _photo_out(request, photo)


@router.delete("/{photo_id}", response={204: None, **ERRORS})
def photo_delete(request: HttpRequest, photo_id: str):
    """Move your photo to your trash (`/api/trash`: restore it within PHOTOSITE_TRASH_DAYS);
    deleting it again is fine. A moderator's deletion of someone else's photo is for good."""
    user = _user(request)
    services.photo_delete(photo_id=photo_id, actor=user)
    return Status(204, None)


@router.get("/{photo_id}/comments", response={200: CommentPageOut, **ERRORS})
def comment_list(request: HttpRequest, photo_id: str, cursor: str | None = None):
    """The photo's comments, oldest first."""
    selectors.photo_get_visible(photo_id=photo_id, viewer=_user(request))
    page = selectors.comment_list_timeline(photo_id=photo_id, cursor=cursor)
    retained = selectors.ip_retained_for(viewer=_user(request), items=page.items)
    return {
        "items": [_comment_out(request, c, retained) for c in page.items],
        "cursor": page.cursor,
    }


@router.post("/{photo_id}/comments", response={201: CommentOut, 429: ErrorOut, **ERRORS})
def comment_create(request: HttpRequest, photo_id: str, payload: CommentIn):
    """Comment on a photo."""
    user = _user(request)
    comment = services.comment_create(
        photo_id=photo_id,
        author_sub=user.username,
        author_name=user.get_full_name() or user.get_username(),
        body=payload.body,
        ip=request.client_ip,
    )
    return Status(201, _comment_out(request, comment, {ip_key(comment): request.client_ip}))


def _share_out(request: HttpRequest, link: ShareLink) -> dict:
    now = datetime.now(UTC)
    return {
        "token": link.token,
        "url": request.build_absolute_uri(reverse("gallery:share_open", args=[link.token])),
        "direct_url": request.build_absolute_uri(reverse("gallery:share_file", args=[link.token])),
        "expires_at": link.valid_until,
        "target": link.target or "photo",
        "photo_ids": list(link.photo_ids or ([link.photo_id] if link.photo_id else [])),
        "album_id": link.album_id,
        "label": link.label or "",
        "has_password": bool(link.password_hash),
        "view_limit": link.view_limit,
        "allow_download": link.downloads,
        "status": link.status(now=now),
        "views": link.open_count,
        "last_opened_at": link.last_opened_at,
    }


def _share_link_out(request: HttpRequest, link: ShareLink, *, viewer: str) -> dict:
    return {
        **_share_out(request, link),
        "photo_id": link.photo_id,
        "photo_name": link.photo_name,
        "created_at": link.created_at,
        "revoked": link.revoked,
        "expired": link.is_expired(now=datetime.now(UTC)),
        "made_by_moderator": link.maker != viewer,
    }


def _share_terms(payload: ShareIn) -> dict[str, Any]:
    return {
        "expires_in": payload.expires_in,
        "label": payload.label,
        "password": payload.password,
        "view_limit": payload.view_limit,
        "allow_download": payload.allow_download,
    }


@router.post("/{photo_id}/share", response={201: ShareOut, **ERRORS})
def share_create(request: HttpRequest, photo_id: str, payload: ShareIn):
    """Make a share link to your photo (a moderator: to anyone's) valid for `expires_in` seconds
    (60 to 604800; default 60; null: until revoked), for one recipient, with an optional
    password and view limit. The link is the photo owner's to list and revoke."""
    link = services.share_link_create(
        photo_id=photo_id, actor=_user(request), **_share_terms(payload)
    )
    return Status(201, _share_out(request, link))


@share_links_router.post("", response={201: ShareLinkOut, **ERRORS})
def share_link_create(request: HttpRequest, payload: ShareCreateIn):
    """Make a share link to one photo (`photo_id`) or a selection of your photos (`photo_ids`),
    with the terms of POST /api/photos/{id}/share. Each call makes a new link."""
    user = _user(request)
    link = services.share_link_create(
        photo_id=payload.photo_id,
        photo_ids=payload.photo_ids,
        album_id=payload.album_id,
        actor=user,
        **_share_terms(payload),
    )
    return Status(201, _share_link_out(request, link, viewer=user.get_username()))


@share_links_router.get("", response={200: ShareLinkPageOut, **ERRORS})
def share_link_list(request: HttpRequest, cursor: str | None = None):
    """Every link to your photos, newest first, live, revoked and expired (until removed),
    including links a moderator made, each with its status and open count; pass `cursor` for
    the next page."""
    owner = _user(request).get_username()
    page = selectors.share_link_list_for_owner(owner_sub=owner, cursor=cursor)
    items = [_share_link_out(request, link, viewer=owner) for link in page.items]
    return {"items": items, "cursor": page.cursor}


@share_links_router.get("/{token}", response={200: ShareLinkOut, **ERRORS})
def share_link_get(request: HttpRequest, token: str):
    """One link to your photos (a moderator: any), with its current status and open count."""
    user = _user(request)
    link = selectors.share_link_get_for_owner(token=token, viewer=user)
    return _share_link_out(request, link, viewer=user.get_username())


@share_links_router.get("/{token}/opens", response={200: ShareOpenPageOut, **ERRORS})
def share_link_opens(request: HttpRequest, token: str, cursor: str | None = None):
    """A link's open log, newest first (50 a page, then a cursor): when, from which network."""
    link = selectors.share_link_get_for_owner(token=token, viewer=_user(request))
    page = selectors.share_open_list(link=link, cursor=cursor)
    items = [{"opened_at": o.opened_at, "ip": o.ip, "kind": o.kind} for o in page.items]
    return {"items": items, "cursor": page.cursor}


@share_links_router.delete("/{token}", response={204: None, **ERRORS})
def share_link_revoke(request: HttpRequest, token: str):
    """Revoke a link to one of your photos (a moderator: any link); revoking twice is fine."""
    services.share_link_revoke(token=token, actor=_user(request))
    return Status(204, None)


@share_links_router.post("/{token}/remove", response={204: None, **ERRORS})
def share_link_remove(request: HttpRequest, token: str):
    """Remove an ended link (revoked, expired or used up) from your list now rather than when
    TTL purges it; removing again is fine; a live link is refused (400 `link_active`)."""
    services.share_link_remove(token=token, actor=_user(request))
    return Status(204, None)


# --- direct uploads: the client sends the file straight to S3 ----------------------------------


class UploadIn(Schema):
    name: str
    caption: str = ""
    visibility: Visibility | None = Field(
        None, description="public, unlisted or private; by default the account's setting."
    )
    content_type: str = Field(
        description="image/jpeg, image/png, image/webp, image/heic or image/heif"
    )
    size: int = Field(description="The file's size in bytes, as it will be sent.")
    filename: str = Field("", description="The file's own name, for the owner's download.")


class UploadOut(Schema):
    photo_id: str
    url: str = Field(description="Where to POST the file (multipart/form-data).")
    fields: dict[str, str] = Field(
        description="Send every one of these as a form field, in this order, then the file as "
        "the last field, named `file`."
    )
    complete_url: str
    expires_in: int = Field(description="Seconds the presigned POST stays valid.")
    max_bytes: int = Field(description="The largest file the POST policy lets S3 accept.")


@uploads_router.post(
    "", response={201: UploadOut, 413: ErrorOut, 415: ErrorOut, 429: ErrorOut, **ERRORS}
)
def upload_start(request: HttpRequest, payload: UploadIn):
    """Start a direct upload: a pending photo and a presigned S3 POST for its file.

    Up to PHOTOSITE_MAX_UPLOAD_BYTES (25 MiB unless configured), checked against the declared
    `size` here and enforced by S3 through the POST policy (exactly this key and content type,
    1 byte to `max_bytes`). POST the file to `url` with `fields`, then call `complete_url`. An
    upload that is not completed expires (PHOTOSITE_PENDING_UPLOAD_TTL).
    """
    user = _user(request)
    services.upload_admit(owner_sub=user.username)
    ticket = services.upload_start(
        owner_sub=user.username,
        owner_name=user.get_full_name() or user.get_username(),
        name=payload.name,
        caption=payload.caption,
        content_type=payload.content_type,
        size=payload.size,
        uploader_ip=request.client_ip,
        credentials=None,  # access tokens get no Identity Pool credentials: the site signs
        visibility=payload.visibility,
        filename=payload.filename,
    )
    photo_id = ticket.photo.photo_id
    return Status(
        201,
        {
            "photo_id": photo_id,
            "url": ticket.url,
            "fields": ticket.fields,
            "complete_url": request.build_absolute_uri(
                reverse("api:upload_complete", args=[photo_id])
            ),
            "expires_in": settings.PHOTOSITE_UPLOAD_URL_EXPIRY,
            "max_bytes": policy.upload_max_bytes(),
        },
    )


@uploads_router.post(
    "/{photo_id}/complete", response={200: PhotoOut, 413: ErrorOut, 415: ErrorOut, **ERRORS}
)
def upload_complete(request: HttpRequest, photo_id: str):
    """Finish a direct upload: check the file S3 received and publish the photo.

    Idempotent: calling it again returns the same photo. 409 `upload_in_progress` while another
    call is completing it (retry shortly); 400 `upload_missing` if the file has not arrived; a
    file that is not an accepted image is refused (400/413/415) and the upload discarded.
    """
    photo = services.upload_complete(photo_id=photo_id, owner_sub=_user(request).username)
    return _photo_out(request, photo)


# --- originals (gallery.services.originals) ----------------------------------------------------


class OriginalOut(Schema):
    url: str = Field(
        description="Presigned GET of the original as uploaded; S3 answers with "
        "`Content-Disposition: attachment` and the file's own name."
    )
    filename: str
    expires_in: int = Field(description="Seconds the URL stays valid, at most.")


@router.get("/{photo_id}/original", response={200: OriginalOut, **ERRORS})
def photo_original(request: HttpRequest, photo_id: str):
    """The original file of one of your photos (GPS and all): a short-lived download URL.

    Only the owner gets one; for anyone else this is 404, as for a photo that does not exist.
    Everyone who may see the photo has its `full_url` instead: full resolution, no EXIF.
    """
    user = _user(request)
    photo = selectors.photo_get_for_viewer(photo_id=photo_id, viewer=user)
    return {
        "url": originals.original_download_url(photo=photo, actor=user),
        "filename": originals.original_download_name(photo),
        "expires_in": settings.PHOTOSITE_ORIGINAL_URL_EXPIRY,
    }
