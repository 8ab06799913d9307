"""Share-link pages: the owner's (make a link to a selection, My links, one link with its QR
code and open log, remove) and the recipient's (/s/<token>: password, page, file).

Thin views: gallery.services.share_* write, gallery.selectors read. A recipient who gave the
password, or opened a page, carries a signed cookie scoped to the link's path; every request
still reads the link strongly consistently, so a revocation refuses the next one.
"""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from gallery import selectors, services
from gallery.cursors import BadCursor
from gallery.errors import GalleryError, NotFound
from gallery.forms import SelectionShareForm, ShareForm
from gallery.models import Photo, ShareLink

ACCESS_COOKIE = "share_access"
ACCESS_SALT = "gallery.share_access"
# The longest a recipient's cookie lasts (a link's own end comes first when sooner).
ACCESS_MAX_AGE = 24 * 3600

STATUS_LABELS = {
    "active": gettext_lazy("active"),
    "expired": gettext_lazy("expired"),
    "revoked": gettext_lazy("revoked"),
    "used_up": gettext_lazy("view limit reached"),
}


def _no_store(response: HttpResponse) -> HttpResponse:
    # Share pages embed URLs that die within minutes, and a recipient's access: no cache keeps
    # them, and no Referer carries the token to the photo bucket.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def share_url(request: HttpRequest, token: str) -> str:
    """Return the full address of a link's page, as the recipient gets it."""
    return request.build_absolute_uri(reverse("gallery:share_open", args=[token]))


def qr_svg(url: str) -> str:
    """Return an inline SVG QR code of `url` (no script, no style attribute: CSP-safe)."""
    code = segno.make(url, error="m")
    return code.svg_inline(scale=4, border=2, dark="#000", light="#fff", svgclass="qr-code")


def _status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def share_created(request: HttpRequest, *, link: ShareLink, photo: Photo | None) -> HttpResponse:
    """Render a link just made: its address with a Copy button, its QR code and its terms."""
    url = share_url(request, link.token)
    lifetime = services.SHARE_CHOICES.get(
        round((link.ends_at - link.created_at).total_seconds()) if link.ends_at else -1
    )
    return render(
        request,
        "gallery/share_created.html",
        {
            "photo": photo,
            "link": link,
            "share_url": url,
            "file_url": request.build_absolute_uri(
                reverse("gallery:share_file", args=[link.token])
            ),
            "lifetime": lifetime,
            "qr": qr_svg(url),
        },
        status=201,
    )


# --- the owner's pages -------------------------------------------------------------------------


@require_POST
@login_required
def share_selection(request: HttpRequest) -> HttpResponse:
    """Share a selection of one's photos: POST their `photo_id` values (My photos' bulk
    selection does); without `make`, the page asks for the link's terms, with it, makes it."""
    if "make" not in request.POST:
        ids = list(dict.fromkeys(request.POST.getlist("photo_id")))
        form = SelectionShareForm(initial={"photo_id": ids})
        if not ids:
            messages.error(request, _("Choose the photos to share first."))
            return redirect("gallery:photo_mine")
        return _selection_page(request, form, ids)
    form = SelectionShareForm(request.POST)
    if not form.is_valid():
        ids = request.POST.getlist("photo_id")
        return _selection_page(request, form, ids, status=400)
    try:
        link = services.share_link_create(
            photo_ids=form.cleaned_data["photo_id"], **form.share_options(), actor=request.user
        )
    except GalleryError as exc:
        form.add_error(None, exc.message)
        return _selection_page(request, form, form.cleaned_data["photo_id"], status=exc.status)
    return share_created(request, link=link, photo=None)


@require_POST
@login_required
def share_album(request: HttpRequest, album_id: str) -> HttpResponse:
    """Share one of the user's albums with one recipient, on the terms of the share form."""
    form = ShareForm(request.POST)
    back = reverse("gallery:album_detail", args=[album_id])
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(back)
    try:
        link = services.share_link_create(
            album_id=album_id, **form.share_options(), actor=request.user
        )
    except GalleryError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from None
        messages.error(request, exc.message)
        return redirect(back)
    return share_created(request, link=link, photo=None)


def _selection_page(
    request: HttpRequest, form: SelectionShareForm, ids: list[str], *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "gallery/share_selection.html",
        {"form": form, "count": len(ids), "max": services.SHARE_SELECTION_MAX},
        status=status,
    )


def _row(request: HttpRequest, link: ShareLink, *, owner: str, now: Any) -> dict[str, Any]:
    status = link.status(now=now)
    return {
        "link": link,
        "url": share_url(request, link.token),
        "status": status,
        "status_label": _status_label(status),
        "ended": status != "active",
        "by_moderator": link.maker != owner,
        "count": len(link.photo_ids or []) if link.target == "selection" else 1,
    }


@require_safe
@login_required
def share_list(request: HttpRequest) -> HttpResponse:
    """List every link to the user's photos (a moderator's too), live and ended, with its
    address, status and open count: one Query a page."""
    owner = request.user.get_username()
    try:
        page = selectors.share_link_list_for_owner(
            owner_sub=owner, cursor=request.GET.get("cursor")
        )
    except BadCursor as exc:
        messages.error(request, str(exc))
        return redirect("gallery:share_list")
    now = timezone.now()
    rows = [_row(request, link, owner=owner, now=now) for link in page.items]
    return render(request, "gallery/share_list.html", {"rows": rows, "cursor": page.cursor})


@require_safe
@login_required
def share_detail(request: HttpRequest, token: str) -> HttpResponse:
    """One link for its owner: address, Copy, QR code, terms, status, and its open log."""
    try:
        link = selectors.share_link_get_for_owner(token=token, viewer=request.user)
        log = selectors.share_open_list(link=link, cursor=request.GET.get("cursor"))
    except NotFound as exc:
        raise Http404(exc.message) from None
    except BadCursor as exc:
        messages.error(request, str(exc))
        return redirect("gallery:share_detail", token=token)
    row = _row(request, link, owner=request.user.get_username(), now=timezone.now())
    context = {**row, "qr": qr_svg(row["url"]), "opens": log.items, "cursor": log.cursor}
    return render(request, "gallery/share_detail.html", context)


@require_POST
@login_required
def share_remove(request: HttpRequest, token: str) -> HttpResponse:
    """Remove an ended link from the list (again: nothing happens); a live one is refused."""
    try:
        services.share_link_remove(token=token, actor=request.user)
    except GalleryError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from None
        messages.error(request, exc.message)
        return redirect("gallery:share_list")
    messages.success(request, _("The link was removed."))
    return redirect("gallery:share_list")


# --- the recipient's pages ---------------------------------------------------------------------


def _unlocked(request: HttpRequest, token: str) -> bool:
    return request.get_signed_cookie(ACCESS_COOKIE, default=None, salt=ACCESS_SALT) == token


def _grant(request: HttpRequest, response: HttpResponse, link: ShareLink) -> None:
    """Let this browser back in (password given, page opened) for a while, on this link only."""
    max_age = ACCESS_MAX_AGE
    if link.valid_until is not None:
        left = int((link.valid_until - timezone.now()).total_seconds())
        max_age = max(1, min(max_age, left))
    response.set_signed_cookie(
        ACCESS_COOKIE,
        link.token,
        salt=ACCESS_SALT,
        max_age=max_age,
        path=reverse("gallery:share_open", args=[link.token]),
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def _share_gone(request: HttpRequest, exc: GalleryError) -> HttpResponse:
    if exc.status >= 500:
        # Not the link's fault: say so, and when to try again.
        response = render(
            request, "gallery/error.html", {"message": exc.message}, status=exc.status
        )
        response["Retry-After"] = "5"
        return _no_store(response)
    return _no_store(
        render(request, "gallery/share_gone.html", {"message": exc.message}, status=exc.status)
    )


def _password_page(
    request: HttpRequest, token: str, *, error: str = "", status: int = 200
) -> HttpResponse:
    response = _no_store(
        render(
            request, "gallery/share_password.html", {"token": token, "error": error}, status=status
        )
    )
    # Under no-referrer a browser posts the form with `Origin: null`, which CSRF protection
    # refuses; same-origin still sends nothing to other sites (and this page loads none).
    response["Referrer-Policy"] = "same-origin"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def share_open(request: HttpRequest, token: str) -> HttpResponse:
    """Show what a live link shares (counted, logged), or ask for its password; 410 once it
    ended. POST: the password, then back here. HEAD (link checkers) counts nothing."""
    ip = getattr(request, "client_ip", "")
    try:
        if request.method == "HEAD":
            services.share_link_live(token=token)
            return _no_store(HttpResponse())
        if request.method == "POST":
            link = services.share_link_unlock(
                token=token, password=request.POST.get("password", ""), ip=ip
            )
            response = redirect("gallery:share_open", token=token)
            response.status_code = 303
            _grant(request, response, link)
            return _no_store(response)
        shared = services.share_link_visit(
            token=token,
            ip=ip,
            unlocked=_unlocked(request, token),
            cursor=request.GET.get("cursor") or None,
        )
    except services.PasswordRequired:
        return _password_page(request, token)
    except GalleryError as exc:
        if exc.code in ("wrong_password", "rate_limited"):
            return _password_page(request, token, error=exc.message, status=exc.status)
        return _share_gone(request, exc)
    response = render(
        request,
        "gallery/share_open.html",
        {
            # The page of a single photo, as before; a selection or an album shows a grid.
            "shared": shared.items[0] if shared.items else None,
            "items": shared.items,
            "link": shared.link,
            "selection": shared.link.target in ("selection", "album"),
            "album": shared.link.target == "album",
            "cursor": shared.cursor,
            "downloads": shared.link.downloads,
            "owner_name": shared.items[0].photo.owner_name if shared.items else "",
        },
    )
    _grant(request, response, shared.link)
    return _no_store(response)


@require_safe
def share_file(request: HttpRequest, token: str) -> HttpResponse:
    """Send the holder of a live link on to one photo's file (`?photo=` in a selection): a
    redirect to a presigned URL minted for this visit (minutes at most), so the address handed
    out stays revocable. 403 when the owner turned downloads off."""
    try:
        shared = services.share_link_download(
            token=token,
            ip=getattr(request, "client_ip", ""),
            unlocked=_unlocked(request, token),
            photo_id=request.GET.get("photo") or None,
        )
    except GalleryError as exc:
        return _share_gone(request, exc)
    return _no_store(redirect(shared.url))
