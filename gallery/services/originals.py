"""Originals and full size: who gets which file of a photo, and under which name.

- The **original** (the uploaded bytes, untouched, GPS and all) is its owner's alone: "Download
  original" hands out a presigned GET of a minute or so with `Content-Disposition: attachment`
  and the file name the owner uploaded.
- Everyone who may see the photo gets the **full-size** derivative instead: the whole picture
  at full resolution, re-encoded from decoded pixels (orientation applied), so it carries no
  EXIF at all (no GPS, no camera serial numbers), made at publication with the other
  derivatives (gallery.images.FULL) and served by the same stable presigned URLs. A photo
  published before full-size copies existed offers its `display` derivative.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.conf import settings

from gallery import storage
from gallery.errors import NotFound, gettext_noop
from gallery.models import Photo

FILENAME_MAX_CHARS = 200
NOT_YOURS = gettext_noop("Only the photo's owner can download its original.")


def original_filename_clean(filename: str | None) -> str | None:
    """Return the uploaded file's own name, fit for a Content-Disposition (None if unusable).

    Only the last path segment, without control or format characters, at most
    FILENAME_MAX_CHARS (the extension kept).
    """
    if not filename or not isinstance(filename, str):
        return None
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if name in ("", ".", ".."):
        return None
    if len(name) > FILENAME_MAX_CHARS:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[: FILENAME_MAX_CHARS - len(extension) - 1] + "." + extension
        else:
            name = name[:FILENAME_MAX_CHARS]
    return name


def original_download_name(photo: Photo) -> str:
    """Return the name to save the original under: the uploaded name, else the photo's name
    with the original's extension."""
    if photo.original_filename:
        return photo.original_filename
    extension = photo.original_key.rpartition(".")[2] if "." in photo.original_key else "jpg"
    stem = original_filename_clean(photo.name) or "photo"
    return f"{stem[: FILENAME_MAX_CHARS - 6]}.{extension}"


def original_may_download(*, actor: Any, photo: Photo) -> bool:
    """Tell whether this user may download the photo's original: its owner only."""
    return bool(actor.is_authenticated) and actor.get_username() == photo.owner_sub


def original_download_url(*, photo: Photo, actor: Any) -> str:
    """Return a short-lived presigned URL that downloads the original as an attachment.

    NotFound for anyone but the owner: a stranger cannot tell whether there is an original.
    """
    if not original_may_download(actor=actor, photo=photo):
        raise NotFound(NOT_YOURS)
    return storage.object_download_url(
        photo.original_key,
        filename=original_download_name(photo),
        expires_in=settings.PHOTOSITE_ORIGINAL_URL_EXPIRY,
    )


def full_size_key(photo: Photo) -> str | None:
    """Return the key of the largest copy anyone who may see the photo gets (never the
    original): the full-size derivative, or `display` for a photo published before it."""
    return photo.full_key or photo.display_key


def full_size_url(photo: Photo) -> str:
    """Return the stable presigned URL of the full-size copy (as the display derivatives')."""
    return storage.object_url(full_size_key(photo), expires_in=settings.PHOTOSITE_URL_EXPIRY)
