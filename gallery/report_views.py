"""The report page: any viewer, signed in or not, reports a photo or one of its comments.

A page of its own (no JavaScript needed), reached from the "Report" links of the photo page,
its comments and the share page. It answers with a confirmation page; a second report of the
same item by the same reporter is the first one, and says so.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from gallery import report_selectors
from gallery.errors import GalleryError, Invalid, NotFound, RateLimited
from gallery.report_forms import ReportForm
from gallery.services import reports


def _private(response: HttpResponse, via: str) -> HttpResponse:
    """A page reached from a share link carries its token: keep it out of caches and referrers,
    as the share page does."""
    if via:
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "no-referrer"
    return response


def _target(request: HttpRequest, photo_id: str, comment_key: str, via: str):
    try:
        return report_selectors.report_target_get(
            photo_id=photo_id, comment_key=comment_key, reporter=request.user, share_token=via
        )
    except NotFound as exc:
        raise Http404(exc.message) from None


@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest, photo_id: str) -> HttpResponse:
    """Show the report form for a photo (or, with `?comment=<key>`, a comment); file it."""
    source = request.POST if request.method == "POST" else request.GET
    comment_key = source.get("comment", "")[:300]
    via = source.get("via", "")[:300]
    status = 200
    form = ReportForm(
        request.POST if request.method == "POST" else None,
        initial={"comment": comment_key, "via": via},
    )
    error = ""
    try:
        photo, comment = _target(request, photo_id, comment_key, via)
    except Invalid as exc:
        # One's own item: say why there is no form.
        return render(
            request,
            "gallery/error.html",
            {"title": exc.message, "message": exc.message},
            status=400,
        )
    if request.method == "POST":
        if form.is_valid():
            try:
                outcome = reports.report_create(
                    photo_id=photo_id,
                    comment_key=comment_key,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                    reporter=request.user,
                    ip=request.client_ip,
                    share_token=via,
                )
            except RateLimited as exc:
                error, status = exc.message, exc.status
            except NotFound as exc:
                raise Http404(exc.message) from None
            except GalleryError as exc:
                error, status = exc.message, exc.status
            else:
                return _private(
                    render(
                        request,
                        "gallery/report_done.html",
                        {
                            "photo": photo,
                            "comment": comment,
                            "created": outcome.created,
                            "via": via,
                        },
                    ),
                    via,
                )
        else:
            status = 400
    return _private(
        render(
            request,
            "gallery/report_form.html",
            {"photo": photo, "comment": comment, "form": form, "error": error, "via": via},
            status=status,
        ),
        via,
    )
