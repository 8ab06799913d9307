"""Album pages of their owner: list and make albums, one album with its photos in order, and
the forms that rename, delete, fill, order and cover it. Parse, call one service or selector,
render or redirect.

Every change is a POST that names its result rather than a step (add *this* photo, move it
*before that one*), so a double click or a resent form changes nothing the second time.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from gallery import album_selectors, storage
from gallery.album_forms import AlbumEditForm, AlbumForm, photo_ids_of
from gallery.cursors import BadCursor
from gallery.errors import GalleryError, Invalid, NotFound, gettext_noop
from gallery.models import Album
from gallery.selectors import PhotoCard
from gallery.services import albums, common

# Albums offered on the "Add to album" page: the newest ones (the rest are on "My albums").
CHOOSER_ALBUMS = 50


def _refused(request: HttpRequest, exc: GalleryError) -> HttpResponse:
    """Show why a change was refused: a missing album or photo is the 404 page, the rest the
    error page with the refusal's status."""
    if exc.status == 404:
        raise Http404(exc.message) from None
    return render(request, "gallery/error.html", {"message": exc.message}, status=exc.status)


def _owned_album(request: HttpRequest, album_id: str) -> Album:
    try:
        return album_selectors.album_get_for_owner(album_id=album_id, viewer=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from None


def _thumbnails(cards: list[PhotoCard]) -> dict[str, str]:
    """Return short-lived thumbnail URLs of the cards, by photo id."""
    shown = [card for card in cards if card.grid_key]
    urls = storage.object_urls(
        [card.grid_key for card in shown], expires_in=settings.PHOTOSITE_URL_EXPIRY
    )
    return {card.photo_id: url for card, url in zip(shown, urls, strict=True)}


def _next_url(request: HttpRequest, default: str) -> str:
    """Return where the form asks to go back to, if it is a page of this site."""
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default


def _album_url(album_id: str, *, anchor: str = "") -> str:
    url = reverse("gallery:album_detail", args=[album_id])
    return f"{url}#item-{anchor}" if anchor else url


# --- the owner's albums -----------------------------------------------------------------------


def _album_list(
    request: HttpRequest, *, form: AlbumForm | None = None, status: int = 200
) -> HttpResponse:
    try:
        page = album_selectors.album_list_owner(
            owner=request.user, cursor=request.GET.get("cursor")
        )
    except BadCursor as exc:
        messages.error(request, exc.message)
        return redirect("gallery:album_list")
    covers = _thumbnails([row.cover for row in page.items if row.cover])
    rows = [
        {
            "album": row.album,
            "cover": row.cover,
            "cover_url": covers.get(row.cover.photo_id) if row.cover else None,
        }
        for row in page.items
    ]
    context = {
        "rows": rows,
        "cursor": page.cursor,
        "form": form or AlbumForm(initial={"request_token": common.new_id()}),
    }
    return render(request, "gallery/album_list.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def album_list(request: HttpRequest) -> HttpResponse:
    """List the user's albums, newest first (GET), or make one (POST), with the photos the
    form carries (`photo_id`, repeated: "Add to album" from a photo or from "My photos")."""
    if request.method != "POST":
        return _album_list(request)
    form = AlbumForm(request.POST)
    if not form.is_valid():
        return _album_list(request, form=form, status=400)
    data = form.cleaned_data
    try:
        album = albums.album_create(
            actor=request.user,
            title=data["title"],
            description=data["description"],
            request_token=data["request_token"] or None,
        )
    except GalleryError as exc:
        form.add_error("title", exc.message)
        return _album_list(request, form=form, status=exc.status)
    photo_ids = photo_ids_of(request.POST)
    if photo_ids:
        return _add(request, album, photo_ids)
    messages.success(
        request, _("The album was made. Add photos from their pages or from My photos.")
    )
    return redirect(_album_url(album.album_id))


# --- one album --------------------------------------------------------------------------------


def _album_page(
    request: HttpRequest, album: Album, *, edit_form: AlbumEditForm | None = None, status: int = 200
) -> HttpResponse:
    try:
        page = album_selectors.album_edit_page(
            album_id=album.album_id,
            viewer=request.user,
            cursor=request.GET.get("cursor"),
            limit=album_selectors.ALBUM_EDIT_PAGE_SIZE,
        )
    except BadCursor as exc:
        messages.error(request, exc.message)
        return redirect(_album_url(album.album_id))
    cards = page.cards
    urls = _thumbnails(cards)
    # Each photo's move buttons name the neighbour it passes (at a page's edge, the photo just
    # outside it), so pressing one twice, or resending it, finds the photo already there.
    rows = [
        {
            "card": card,
            "thumbnail_url": urls.get(card.photo_id),
            "is_cover": card.photo_id == album.cover_photo_id,
            "earlier": cards[index - 1].photo_id if index > 0 else page.before,
            "later": cards[index + 1].photo_id if index + 1 < len(cards) else page.after,
        }
        for index, card in enumerate(cards)
    ]
    context = {
        "album": album,
        "rows": rows,
        "cursor": page.cursor,
        "edit_form": edit_form
        or AlbumEditForm(
            initial={
                "title": album.title,
                "description": album.description,
                "version": album.version,
            }
        ),
    }
    return render(request, "gallery/album_detail.html", context, status=status)


@require_safe
@login_required
def album_detail(request: HttpRequest, album_id: str) -> HttpResponse:
    """Show one of the user's albums: its photos in order, each with its controls."""
    return _album_page(request, _owned_album(request, album_id))


@require_POST
@login_required
def album_edit(request: HttpRequest, album_id: str) -> HttpResponse:
    """Retitle an album and rewrite its description, refusing a stale form (409)."""
    album = _owned_album(request, album_id)
    form = AlbumEditForm(request.POST)
    if not form.is_valid():
        return _album_page(request, album, edit_form=form, status=400)
    data = form.cleaned_data
    try:
        albums.album_update(
            album_id=album_id,
            actor=request.user,
            title=data["title"],
            description=data["description"],
            expected_version=data["version"],
        )
    except GalleryError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from None
        form.add_error(None, exc.message)
        return _album_page(request, album, edit_form=form, status=exc.status)
    messages.success(request, _("Saved."))
    return redirect(_album_url(album_id))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def album_delete(request: HttpRequest, album_id: str) -> HttpResponse:
    """Ask first (GET), then delete the album; its photos stay (POST)."""
    if request.method != "POST":
        album = _owned_album(request, album_id)
        return render(request, "gallery/album_delete.html", {"album": album})
    try:
        albums.album_delete(album_id=album_id, actor=request.user)
    except NotFound:
        # A double click or a retry: the first request deleted it.
        messages.info(request, _("That album is already gone."))
        return redirect("gallery:album_list")
    messages.success(request, _("The album was deleted; its photos were not."))
    return redirect("gallery:album_list")


def _add(request: HttpRequest, album: Album, photo_ids: list[str]) -> HttpResponse:
    try:
        result = albums.album_items_add(
            album_id=album.album_id, photo_ids=photo_ids, actor=request.user
        )
    except GalleryError as exc:
        return _refused(request, exc)
    if result.refused and not (result.added or result.present):
        # Nothing went in: the refusal is the answer, with its status.
        return _refused(request, result.refused[0][1])
    if result.added:
        messages.success(
            request,
            ngettext(
                "Added %(count)d photo to “%(title)s”.",
                "Added %(count)d photos to “%(title)s”.",
                len(result.added),
            )
            % {"count": len(result.added), "title": album.title},
        )
    if result.present:
        messages.info(
            request,
            ngettext(
                "%(count)d photo was in the album already.",
                "%(count)d photos were in the album already.",
                len(result.present),
            )
            % {"count": len(result.present)},
        )
    for _photo_id, exc in result.refused:
        messages.error(request, exc.message)
    return redirect(_next_url(request, _album_url(album.album_id)))


@require_POST
@login_required
def album_add(request: HttpRequest, album_id: str) -> HttpResponse:
    """Put photos (`photo_id`, repeated) at the end of the album; those in it already stay
    where they are. Then back to `next` (a page of this site), or to the album."""
    album = _owned_album(request, album_id)
    return _add(request, album, photo_ids_of(request.POST))


def _one_photo(request: HttpRequest) -> str:
    photo_ids = photo_ids_of(request.POST)
    if len(photo_ids) != 1:
        raise Http404(_("No such photo."))
    return photo_ids[0]


@require_POST
@login_required
def album_remove(request: HttpRequest, album_id: str) -> HttpResponse:
    """Take a photo (`photo_id`) out of the album; the photo itself stays."""
    album = _owned_album(request, album_id)
    try:
        albums.album_item_remove(
            album_id=album_id, photo_id=_one_photo(request), actor=request.user
        )
    except GalleryError as exc:
        return _refused(request, exc)
    messages.success(request, _("The photo was taken out of “%(title)s”.") % {"title": album.title})
    return redirect(_album_url(album_id))


@require_POST
@login_required
def album_move(request: HttpRequest, album_id: str) -> HttpResponse:
    """Move a photo (`photo_id`) to just `before` or just `after` another of the album's."""
    _owned_album(request, album_id)
    photo_id = _one_photo(request)
    try:
        albums.album_item_move(
            album_id=album_id,
            photo_id=photo_id,
            actor=request.user,
            before=request.POST.get("before") or None,
            after=request.POST.get("after") or None,
        )
    except GalleryError as exc:
        return _refused(request, exc)
    # Back to the photo that moved, so the keyboard carries on from it.
    return redirect(_album_url(album_id, anchor=photo_id))


@require_POST
@login_required
def album_cover(request: HttpRequest, album_id: str) -> HttpResponse:
    """Make a photo (`photo_id`) of the album its cover."""
    _owned_album(request, album_id)
    photo_id = _one_photo(request)
    try:
        albums.album_cover_set(album_id=album_id, photo_id=photo_id, actor=request.user)
    except GalleryError as exc:
        return _refused(request, exc)
    messages.success(request, _("The cover was changed."))
    return redirect(_album_url(album_id, anchor=photo_id))


# --- "Add to album": from a photo's page, or a selection in My photos -------------------------


@require_safe
@login_required
def album_choose(request: HttpRequest) -> HttpResponse:
    """Offer the user's albums, and a new one, for the photos named (`photo_id`, repeated)."""
    photo_ids = list(dict.fromkeys(photo_ids_of(request.GET)))
    if not photo_ids:
        messages.error(request, _("Choose at least one photo."))
        return redirect("gallery:photo_mine")
    if len(photo_ids) > albums.BULK_MAX_PHOTOS:
        return _refused(
            request,
            Invalid(
                gettext_noop("Add at most %(limit)d photos at a time."),
                params={"limit": albums.BULK_MAX_PHOTOS},
            ),
        )
    cards = album_selectors.album_candidates(owner=request.user, photo_ids=photo_ids)
    if not cards:
        raise Http404(_("No such photo."))
    thumbnails = _thumbnails(cards)
    page = album_selectors.album_list_owner(owner=request.user, limit=CHOOSER_ALBUMS)
    back = (
        reverse("gallery:photo_detail", args=[cards[0].photo_id])
        if len(cards) == 1
        else reverse("gallery:photo_mine")
    )
    context = {
        "cards": cards,
        "photos": [{"card": card, "url": thumbnails.get(card.photo_id)} for card in cards],
        "albums": [row.album for row in page.items],
        "more_albums": page.cursor is not None,
        "form": AlbumForm(initial={"request_token": common.new_id()}),
        "back": back,
        "skipped": len(photo_ids) - len(cards),
    }
    return render(request, "gallery/album_choose.html", context)
