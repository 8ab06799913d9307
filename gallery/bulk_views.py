"""Bulk actions of "My photos": a plain form POST listing `photo_id` values (the cards'
checkboxes, gallery/grid.py) and an action. Works without JavaScript; static/js/bulk.js only
counts the selection and ticks a whole page at once.

Deleting asks once: the first POST shows the selection on a confirmation page, whose own POST
(`confirmed`) deletes. Every outcome is reported per photo (gallery.services.bulk).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from gallery import services, storage
from gallery.errors import Forbidden, GalleryError
from gallery.services.bulk import BulkOutcome, bulk_selection_clean

ACTION_VISIBILITY = "visibility"
ACTION_DELETE = "delete"
# Handed on to the albums' own chooser (gallery/album_views.py), which adds in bulk.
ACTION_ALBUM = "album"


class BulkForm(forms.Form):
    """The action and its options; the photo ids come as repeated `photo_id` fields."""

    action = forms.ChoiceField(
        choices=[(ACTION_VISIBILITY, ""), (ACTION_DELETE, ""), (ACTION_ALBUM, "")]
    )
    visibility = forms.ChoiceField(
        choices=list(services.VISIBILITY_CHOICES.items()), required=False
    )
    confirmed = forms.BooleanField(required=False)
    next = forms.CharField(required=False, max_length=2000)


def _mine_url(cursor: str | None = None, order: str | None = None, **query: str) -> str:
    params = {**({"order": order} if order else {}), **({"cursor": cursor} if cursor else {})}
    params.update(query)
    return reverse("gallery:photo_mine") + (f"?{urlencode(params)}" if params else "")


def bulk_context(request: HttpRequest) -> dict[str, Any]:
    """Return what the bulk-action bar of "My photos" needs (templates/gallery/_bulk_bar.html)."""
    cursor, order = request.GET.get("cursor"), request.GET.get("order")
    selected_all = request.GET.get("select") == "all"
    return {
        "next": _mine_url(cursor, order),
        "visibility_choices": list(services.VISIBILITY_NAMES.items()),
        "selected_all": selected_all,
        # Without JavaScript, "select all" is this page with every box ticked (and back).
        "toggle_url": (
            _mine_url(cursor, order) if selected_all else _mine_url(cursor, order, select="all")
        ),
    }


def _back(request: HttpRequest, wanted: str | None) -> str:
    """Return where to go after the action: the page it came from, if it is a path of this
    site (anything else, "Infinity" say, would be taken by redirect() for a view's name)."""
    if (
        wanted
        and wanted.startswith("/")
        and url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return wanted
    return _mine_url()


def _report(request: HttpRequest, outcome: BulkOutcome, *, done: str) -> None:
    """Say what happened: how many were done, how many were gone already, each failure."""
    if outcome.done:
        messages.success(request, done)
    if outcome.gone:
        messages.info(
            request,
            ngettext(
                "%(count)d photo was already gone.",
                "%(count)d photos were already gone.",
                len(outcome.gone),
            )
            % {"count": len(outcome.gone)},
        )
    for photo_id, reason in outcome.failed:
        messages.error(
            request,
            _("“%(name)s” was not changed: %(reason)s")
            % {"name": outcome.names.get(photo_id, photo_id), "reason": reason},
        )


def _confirm_delete(request: HttpRequest, ids: list[str], back: str) -> HttpResponse:
    """Show the photos about to be deleted, with the one button that deletes them."""
    photos = services.photos_bulk_owned(photo_ids=ids, actor=request.user)
    chosen = [photos[photo_id] for photo_id in ids if photo_id in photos]
    if not chosen:
        messages.info(request, _("Those photos are already gone."))
        return redirect(back)
    thumbnails = storage.object_urls(
        [photo.grid_key or "" for photo in chosen], expires_in=settings.PHOTOSITE_URL_EXPIRY
    )
    return render(
        request,
        "gallery/bulk_confirm.html",
        {"rows": list(zip(chosen, thumbnails, strict=True)), "next": back},
    )


@require_POST
@login_required
def bulk_action(request: HttpRequest) -> HttpResponse:
    """Apply one action to the selected photos of the user's own, each as if done alone."""
    form = BulkForm(request.POST)
    back = _back(request, request.POST.get("next"))
    if not form.is_valid():
        messages.error(request, _("That bulk action could not be understood."))
        return redirect(back)
    data, ids = form.cleaned_data, request.POST.getlist("photo_id")
    try:
        if data["action"] == ACTION_ALBUM:
            # The chooser reads the selection from its address (a GET, like a photo's own
            # "Add to album"), checks it, and leaves out what is not the user's.
            chosen = urlencode([("photo_id", pid) for pid in bulk_selection_clean(ids)])
            return redirect(f"{reverse('gallery:album_choose')}?{chosen}")
        if data["action"] == ACTION_DELETE and not data["confirmed"]:
            return _confirm_delete(request, bulk_selection_clean(ids), back)
        if data["action"] == ACTION_DELETE:
            outcome = services.photo_bulk_delete(photo_ids=ids, actor=request.user)
            done = ngettext(
                "%(count)d photo was moved to the trash.",
                "%(count)d photos were moved to the trash.",
                len(outcome.done),
            ) % {"count": len(outcome.done)}
        else:
            if not data["visibility"]:
                messages.error(request, _("Choose public, unlisted or private."))
                return redirect(back)
            outcome = services.photo_bulk_visibility(
                photo_ids=ids, actor=request.user, visibility=data["visibility"]
            )
            done = ngettext(
                "%(count)d photo is now %(visibility)s.",
                "%(count)d photos are now %(visibility)s.",
                len(outcome.done),
            ) % {
                "count": len(outcome.done),
                "visibility": services.VISIBILITY_NAMES[data["visibility"]],
            }
    except Forbidden as exc:
        return render(request, "gallery/error.html", {"message": exc.message}, status=exc.status)
    except GalleryError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    _report(request, outcome, done=done)
    return redirect(back)
