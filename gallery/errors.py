"""The one error family of the gallery: every refusal carries a stable code, a user message
and an HTTP status, and is built the same way: `Error(message, code=...)`.

Pages turn them into form errors or pages (gallery.views), the API into `{code, message}` JSON
with `status` (one handler in photosite.api). No Django here: gallery.images, which Lambda
imports without Django, raises ImageRejected from this module.

Messages are English templates marked with `gettext_noop` (so makemessages collects them) and
translated when read, into the language of the request that shows them: `exc.message` is
`translate(template) % params`. Django's gettext becomes `translate` when the gallery app is
ready; without Django (the image worker) messages stay English.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any


def gettext_noop(message: str) -> str:
    """Mark a message for the translation catalogue; it is translated when shown."""
    return message


def _untranslated(message: str) -> str:
    return message


# Replaced by Django's gettext in gallery.apps (a hook, not an import: this module runs
# without Django too).
translate: Callable[[str], str] = _untranslated


class GalleryError(Exception):
    """A request the gallery refuses, with a message fit to show the user."""

    status, code = 400, "invalid"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        self.template = message
        self.params = dict(params or {})
        super().__init__(self._fill(message))
        if code is not None:
            self.code = code

    def _fill(self, text: str) -> str:
        return text % self.params if self.params else text

    @property
    def message(self) -> str:
        """The message in the active language (English outside a request)."""
        return self._fill(translate(self.template))

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        # Errors cross process and task-queue boundaries; keep code and params through a pickle.
        return partial(type(self), code=self.code, params=self.params), (self.template,)


class Invalid(GalleryError):
    """Bad input: a missing name, a comment too long, an unknown expiry."""


class ImageRejected(Invalid, ValueError):
    """An upload that is not an acceptable image: `empty`, `too_large`, `not_an_image`, ...

    Too big in bytes or pixels is 413, not an image we take is 415, anything else 400.
    """

    STATUS_BY_CODE = {
        "too_large": 413,
        "too_many_pixels": 413,
        "not_an_image": 415,
        "unsupported_format": 415,
    }

    @property
    def status(self) -> int:  # type: ignore[override]
        return self.STATUS_BY_CODE.get(self.code, 400)


class BadCursor(Invalid, ValueError):
    """A page cursor this site did not make, or one made for another listing."""

    code = "bad_cursor"


class NotFound(GalleryError):
    """No such photo, comment, upload or link (or the viewer may not know it exists)."""

    status, code = 404, "not_found"


class Forbidden(GalleryError):
    """The user may not do this to someone else's photo or comment."""

    status, code = 403, "forbidden"


class Conflict(GalleryError):
    """Someone changed the item after the user loaded it (optimistic locking)."""

    status, code = 409, "conflict"


class Gone(GalleryError):
    """A share link that expired or was revoked."""

    status, code = 410, "expired"


class RateLimited(GalleryError):
    """Too many actions in a short time."""

    status, code = 429, "rate_limited"


class QuotaExceeded(GalleryError):
    """The user's stored photos have reached their storage quota."""

    status, code = 413, "quota_exceeded"


class Unavailable(GalleryError):
    """A feature the user's session cannot use now (no Identity Pool credentials)."""

    status, code = 503, "unavailable"


def error_body(exc: GalleryError) -> dict[str, str]:
    """Return the JSON body of an error."""
    return {"code": exc.code, "message": exc.message}
