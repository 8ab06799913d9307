"""The owner's "Download original": a redirect to a short-lived presigned attachment URL."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_safe

from gallery import selectors
from gallery.errors import NotFound
from gallery.services import originals


@require_safe
@login_required
def photo_original(request: HttpRequest, photo_id: str) -> HttpResponse:
    """Send the owner on to their original file (GPS and all), saved under its own name;
    404 for everyone else, as for a photo that does not exist."""
    try:
        photo = selectors.photo_get_for_viewer(photo_id=photo_id, viewer=request.user)
        url = originals.original_download_url(photo=photo, actor=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from None
    response = redirect(url)
    # The address is personal and dies within a minute: no cache may keep it.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
