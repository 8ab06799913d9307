"""The owner's trash pages: the list, restore (one click), delete forever and empty the trash
(each asks once, on a confirmation page)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from gallery import policy, selectors, services, storage
from gallery.cursors import BadCursor
from gallery.errors import GalleryError, NotFound
from gallery.models import STATUS_HIDDEN, Photo


@dataclass(frozen=True)
class TrashRow:
    """A trashed photo as its owner's trash shows it."""

    photo: Photo
    thumbnail_url: str
    purge_at: datetime
    # It was hidden by a moderator, and comes back hidden.
    hidden: bool


def _row(photo: Photo) -> TrashRow:
    return TrashRow(
        photo=photo,
        thumbnail_url=(
            storage.object_url(photo.grid_key, expires_in=settings.PHOTOSITE_URL_EXPIRY)
            if photo.grid_key
            else ""
        ),
        purge_at=photo.expires_at,
        hidden=photo.trashed_status == STATUS_HIDDEN,
    )


def _error_page(request: HttpRequest, exc: GalleryError) -> HttpResponse:
    if exc.status == 404:
        raise Http404(exc.message) from None
    return render(request, "gallery/error.html", {"message": exc.message}, status=exc.status)


def _trashed_photo(request: HttpRequest, photo_id: str) -> Photo:
    """The owner's photo still in the trash, for a confirmation page; else 404 (or 403)."""
    try:
        photo = selectors.photo_get_latest(photo_id=photo_id)
    except NotFound as exc:
        raise Http404(exc.message) from None
    if not photo.is_trashed or photo.is_purged(now=datetime.now(UTC)):
        raise Http404(_("This photo is not in the trash."))
    policy.trash_check(actor=request.user, photo=photo)
    return photo


@require_safe
@login_required
def trash_list(request: HttpRequest) -> HttpResponse:
    """Show the signed-in user's trash, newest first, with what each photo's purge date is."""
    try:
        page = selectors.photo_list_trash(
            owner_sub=request.user.username, cursor=request.GET.get("cursor")
        )
    except BadCursor as exc:
        messages.error(request, exc.message)
        return redirect("gallery:trash")
    return render(
        request,
        "gallery/trash_list.html",
        {
            "rows": [_row(photo) for photo in page.items],
            "cursor": page.cursor,
            "trash_days": settings.PHOTOSITE_TRASH_DAYS,
        },
    )


@require_POST
@login_required
def trash_restore(request: HttpRequest, photo_id: str) -> HttpResponse:
    """Restore a photo from the trash in one click (a second click changes nothing)."""
    try:
        photo = services.photo_restore(photo_id=photo_id, actor=request.user)
    except GalleryError as exc:
        if exc.status == 404:
            messages.info(request, exc.message)
            return redirect("gallery:trash")
        return _error_page(request, exc)
    messages.success(request, _("“%(name)s” is back in your photos.") % {"name": photo.name})
    return redirect("gallery:trash")


# At most this many photos restored by one request (a page of the trash holds fewer).
RESTORE_SELECTED_MAX = 100
PHOTO_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


@require_POST
@login_required
def trash_restore_selected(request: HttpRequest) -> HttpResponse:
    """Restore the ticked photos of the trash (`photo_id`, repeated): each one's own one-click
    restore, so a resent form or a photo restored meanwhile changes nothing, and a photo that
    is not the user's is refused without touching it."""
    photo_ids = list(dict.fromkeys(request.POST.getlist("photo_id")))
    if not photo_ids:
        messages.info(request, _("Tick the photos to restore first; nothing was changed."))
        return redirect("gallery:trash")
    if len(photo_ids) > RESTORE_SELECTED_MAX:
        return render(
            request,
            "gallery/error.html",
            {"message": _("Restore at most %(n)d photos at once.") % {"n": RESTORE_SELECTED_MAX}},
            status=400,
        )
    restored, refused = 0, []
    for photo_id in photo_ids:
        if not PHOTO_ID.fullmatch(photo_id):
            # No id the site makes (empty, too long for a key, odd characters): not in the trash.
            refused.append(_("This photo is not in the trash."))
            continue
        try:
            services.photo_restore(photo_id=photo_id, actor=request.user)
        except GalleryError as exc:
            refused.append(exc.message)
        else:
            restored += 1
    if restored:
        messages.success(
            request,
            ngettext(
                "%(count)d photo is back in your photos.",
                "%(count)d photos are back in your photos.",
                restored,
            )
            % {"count": restored},
        )
    for message in dict.fromkeys(refused):
        messages.info(request, message)
    return redirect("gallery:trash")


@require_http_methods(["GET", "POST"])
@login_required
def trash_delete(request: HttpRequest, photo_id: str) -> HttpResponse:
    """Ask first (GET), then delete one photo of the trash for good (POST)."""
    if request.method == "GET":
        try:
            photo = _trashed_photo(request, photo_id)
        except GalleryError as exc:
            return _error_page(request, exc)
        return render(request, "gallery/trash_delete.html", {"row": _row(photo)})
    try:
        services.photo_delete_forever(photo_id=photo_id, actor=request.user)
    except NotFound:
        # A double click or a retry: the first request deleted it.
        messages.info(request, _("That photo is already gone."))
        return redirect("gallery:trash")
    except GalleryError as exc:
        return _error_page(request, exc)
    messages.success(request, _("The photo was deleted for good."))
    return redirect("gallery:trash")


@require_http_methods(["GET", "POST"])
@login_required
def trash_empty(request: HttpRequest) -> HttpResponse:
    """Ask first (GET, showing how many photos go), then empty the trash (POST)."""
    if request.method == "GET":
        page = selectors.photo_list_trash(owner_sub=request.user.username)
        if not page.items:
            messages.info(request, _("Your trash is empty."))
            return redirect("gallery:trash")
        return render(
            request,
            "gallery/trash_empty.html",
            {"rows": [_row(photo) for photo in page.items], "more": page.cursor is not None},
        )
    emptied = services.trash_empty(actor=request.user)
    if emptied.deleted:
        messages.success(
            request,
            ngettext(
                "%(count)d photo was deleted for good.",
                "%(count)d photos were deleted for good.",
                emptied.deleted,
            )
            % {"count": emptied.deleted},
        )
    if emptied.more:
        messages.info(request, _("More photos remain in the trash; empty it again to delete them."))
    elif not emptied.deleted:
        messages.info(request, _("Your trash is empty."))
    return redirect("gallery:trash")
