"""The project's JSON API (django-ninja): one NinjaAPI, routers added per app."""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from accounts.api import router as accounts_router
from core.outage import is_outage, unavailable_response
from gallery.album_api import router as albums_router
from gallery.api import router as photos_router
from gallery.api import share_links_router, upload_limits_document, uploads_router
from gallery.errors import GalleryError, error_body
from gallery.report_api import router as reports_router
from gallery.trash_api import trash_router
from moderation.api import router as moderation_router

logger = logging.getLogger(__name__)


class PhotositeApi(NinjaAPI):
    """The site's API; its schema states the limits the settings give at the time it is built."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return upload_limits_document(schema=super().get_openapi_schema(*args, **kwargs))


api = PhotositeApi(
    title="photosite API",
    version="1",
    urls_namespace="api",
    openapi_url="/openapi.json",
    # Ninja's interactive docs page loads Swagger UI from a CDN; the site uses none.
    docs_url=None,
)
api.add_router("", accounts_router)
api.add_router("/photos", photos_router)
api.add_router("/share-links", share_links_router)
api.add_router("/uploads", uploads_router)
api.add_router("/trash", trash_router)
api.add_router("/moderation", moderation_router)
api.add_router("/albums", albums_router)
api.add_router("/reports", reports_router)

# Reason codes for HTTP errors raised without one.
STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid_request",
    429: "throttled",
}


def error_response(
    request: HttpRequest, *, status: int, code: str, message: str, **extra: object
) -> HttpResponse:
    """Render an API error as {"code": ..., "message": ...}."""
    response = api.create_response(
        request, {"code": code, "message": message, **extra}, status=status
    )
    if status == 401:
        # RFC 6750: tell clients which scheme to use, and why the token failed.
        response["WWW-Authenticate"] = f'Bearer error="invalid_token", error_description="{code}"'
    return response


@api.exception_handler(GalleryError)
def _gallery_error(request: HttpRequest, exc: GalleryError) -> HttpResponse:
    """Every refusal of the gallery (bad input, rejected image, bad cursor, 404, 409, ...)."""
    return error_response(request, status=exc.status, **error_body(exc))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = getattr(exc, "code", None) or STATUS_CODES.get(exc.status_code, "error")
    return error_response(request, status=exc.status_code, code=code, message=str(exc))


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _http_error(request, exc)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, status=404, code="not_found", message="Not found.")


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error_response(
        request,
        status=422,
        code="invalid_request",
        message="The request is not valid.",
        errors=exc.errors,
    )


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    if is_outage(exc):
        logger.warning("AWS unavailable on %s %s: %r", request.method, request.path, exc)
        return unavailable_response(request)
    logger.exception("API error on %s %s", request.method, request.path)
    return error_response(request, status=500, code="server_error", message="Internal error.")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: JSON for unknown /api/ paths (clients parse one error format), else the page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "not_found", "message": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)
