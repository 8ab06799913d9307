"""The JSON API for programs: errors as `{code, message}`, schema at /api/openapi.json.

Authentication here is Django's session for now; the accounts app's Cognito bearer auth
replaces it where the routers are mounted.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from gallery.api import router as photos_router
from gallery.errors import GalleryError, error_body, error_status
from gallery.images import ImageRejected

api = NinjaAPI(
    title="photosite API",
    version="1",
    urls_namespace="api",
    openapi_url="/openapi.json",
    # Ninja's interactive docs page loads Swagger UI from a CDN; the site uses none.
    docs_url=None,
)


def _error(request: HttpRequest, status: int, code: str, message: str, **extra) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(GalleryError)
def gallery_error(request: HttpRequest, exc: GalleryError) -> HttpResponse:
    return api.create_response(request, error_body(exc), status=error_status(exc))


@api.exception_handler(ImageRejected)
def image_rejected(request: HttpRequest, exc: ImageRejected) -> HttpResponse:
    return api.create_response(request, error_body(exc), status=error_status(exc))


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _error(request, 422, "invalid", "The request is not valid.", errors=exc.errors)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthorized", "Sign in or send a valid access token.")


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, "error", str(exc))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", str(exc) or "Not found.")


api.add_router("/photos", photos_router)
