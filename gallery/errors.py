"""Errors the gallery's services raise: each carries a stable code, a user message, a status.

Views turn them into form errors or pages, the API into `{code, message}` JSON with `status`.
"""

from __future__ import annotations

from gallery.images import ImageRejected

# Rejected uploads: too big in bytes or pixels is 413, not an image we take is 415.
IMAGE_STATUS = {
    "too_large": 413,
    "too_many_pixels": 413,
    "not_an_image": 415,
    "unsupported_format": 415,
}


class GalleryError(Exception):
    """A request the gallery refuses, with a message fit to show the user."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class Invalid(GalleryError):
    """Bad input: a missing name, a comment too long, an unknown expiry."""


class NotFound(GalleryError):
    """No such photo, comment, upload or link (or the viewer may not know it exists)."""

    status = 404
    code = "not_found"


class Forbidden(GalleryError):
    """The user may not do this to someone else's photo or comment."""

    status = 403
    code = "forbidden"


class Conflict(GalleryError):
    """Someone changed the item after the user loaded it (optimistic locking)."""

    status = 409
    code = "conflict"


class Gone(GalleryError):
    """A share link that expired or was revoked."""

    status = 410
    code = "expired"


class RateLimited(GalleryError):
    """Too many actions in a short time."""

    status = 429
    code = "rate_limited"


class Unavailable(GalleryError):
    """A feature the user's session cannot use now (no Identity Pool credentials)."""

    status = 503
    code = "unavailable"


def error_status(exc: Exception) -> int:
    """Return the HTTP status for a gallery error or a rejected image."""
    if isinstance(exc, ImageRejected):
        return IMAGE_STATUS.get(exc.code, 400)
    if isinstance(exc, GalleryError):
        return exc.status
    return 500


def error_body(exc: GalleryError | ImageRejected) -> dict[str, str]:
    """Return the JSON body of an error."""
    return {"code": exc.code, "message": exc.message}
