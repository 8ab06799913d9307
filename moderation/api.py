"""Moderation in the JSON API, mounted at /api/moderation by photosite.api: hide a photo for a
reason (gallery.hide_reasons) and unhide it, each recorded in the audit trail as in the admin.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from accounts.api_auth import CognitoBearerOrSession
from gallery import selectors as gallery_selectors
from gallery.errors import Forbidden, gettext_noop
from gallery.hide_reasons import HIDE_REASONS, NOTE_MAX_CHARS
from gallery.models import STATUS_HIDDEN, STATUS_TRASHED, Photo
from moderation import services

router = Router(auth=CognitoBearerOrSession(), tags=["moderation"])

PERMISSION = "moderation.moderate_photo"


class ErrorOut(Schema):
    code: str
    message: str


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class HideIn(Schema):
    reason: str = Field(description="Why, one of: " + ", ".join(HIDE_REASONS))
    note: str = Field("", description=f"Optional, at most {NOTE_MAX_CHARS} characters.")
    version: int | None = Field(
        None, description="The photo's version you read: 409 if it changed since."
    )


class UnhideIn(Schema):
    version: int | None = None


class ModeratedOut(Schema):
    id: str
    hidden: bool = Field(description="Hidden now (or, in its owner's trash, when restored).")
    in_trash: bool
    hidden_reason: str | None
    hidden_note: str | None
    version: int


def _moderator(request: HttpRequest):
    auth = getattr(request, "auth", None)
    user = auth if isinstance(auth, AbstractBaseUser) else request.user
    if not user.has_perm(PERMISSION):
        raise Forbidden(gettext_noop("Only moderators can hide or unhide photos."))
    return user


def _out(photo: Photo) -> dict:
    status = photo.trashed_status if photo.status == STATUS_TRASHED else photo.status
    return {
        "id": photo.photo_id,
        "hidden": status == STATUS_HIDDEN,
        "in_trash": photo.status == STATUS_TRASHED,
        "hidden_reason": photo.hidden_reason,
        "hidden_note": photo.hidden_note,
        "version": photo.version,
    }


@router.post("/photos/{photo_id}/hide", response={200: ModeratedOut, **ERRORS})
def photo_hide(request: HttpRequest, photo_id: str, payload: HideIn):
    """Hide a photo from everyone but its owner and the moderators, for a reason its owner
    reads on the photo's page; hiding again only changes the reason. Audited."""
    services.photo_hide(
        actor=_moderator(request),
        photo_id=photo_id,
        expected_version=payload.version,
        reason=payload.reason,
        note=payload.note,
    )
    return _out(gallery_selectors.photo_get_latest(photo_id=photo_id))


@router.post("/photos/{photo_id}/unhide", response={200: ModeratedOut, **ERRORS})
def photo_unhide(request: HttpRequest, photo_id: str, payload: UnhideIn):
    """Show a hidden photo again (back in the gallery and search). Audited."""
    services.photo_unhide(
        actor=_moderator(request), photo_id=photo_id, expected_version=payload.version
    )
    return _out(gallery_selectors.photo_get_latest(photo_id=photo_id))
