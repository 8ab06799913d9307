"""Show times in the viewer's own time zone; refuse request bodies no web tier can carry."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from urllib.parse import unquote

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from gallery import policy, views
from gallery.errors import GalleryError, error_body

TZ_COOKIE = "tz"


class ViewerTimezoneMiddleware:
    """Activate the IANA time zone the browser reported in the `tz` cookie (static/js/tz.js).

    Without the cookie (first visit, no JavaScript) times show in UTC, labelled as such.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = unquote(request.COOKIES.get(TZ_COOKIE, ""))
        zone = None
        if name and len(name) < 64:
            try:
                zone = zoneinfo.ZoneInfo(name)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
                zone = None
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class ServerUploadLimitMiddleware:
    """Refuse a request whose body is larger than a server-side upload may be, with 413 and the
    limit's wording, before anything reads it (CSRF's check would parse a multipart body).

    Nothing that large can reach the site on Lambda (the invocation payload caps it), so every
    tier refuses it alike: the upload page shows the form again with the message, the API
    answers `{code: "too_large", message}`, anything else a plain 413.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body it cannot measure
        try:
            policy.server_request_size_check(content_length=length)
        except GalleryError as exc:
            if request.path.startswith("/api/"):
                return JsonResponse(error_body(exc), status=exc.status)
            if views.is_upload_page(request):
                return views.upload_refused(request, exc)
            return HttpResponse(exc.message, status=exc.status, content_type="text/plain")
        return self.get_response(request)
