"""What the camera knew: date taken, camera, lens and exposure, read from a photo's EXIF.

Pure and defensive: EXIF is whatever the file says, written by thousands of cameras, phones and
editors (and by anyone with a hex editor). Nothing here raises on bad metadata; a value that is
missing, of the wrong type, unparseable or absurd is left out (None), and text is cleaned and
cut to `TEXT_MAX_CHARS`. A photo is never refused for its EXIF.

Date taken: DateTimeOriginal (the shutter press) with OffsetTimeOriginal when the camera wrote
one. Without an offset the time is the camera's local clock in an unknown zone: it is kept as
a naive datetime and shown as such ("time zone unknown"), and for ordering it is read as if it
were UTC (see `taken_instant`). Dates before `EARLIEST_YEAR` or after the upload (plus a day of
clock slack) are ignored.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from fractions import Fraction
from typing import Any

from PIL import ExifTags, Image

__all__ = [
    "EARLIEST_YEAR",
    "TEXT_MAX_CHARS",
    "CameraFacts",
    "camera_facts",
    "camera_facts_of_exif",
    "taken_instant",
]

TEXT_MAX_CHARS = 64
# The first photographs are from the 1820s; a clock reset to 0000:00:00 is no date.
EARLIEST_YEAR = 1826
# A camera clock in a zone ahead of the uploader's, or simply a little fast.
FUTURE_SLACK = timedelta(days=1)

_DATE = re.compile(r"^\s*(\d{4})[:\-/](\d{2})[:\-/](\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_OFFSET = re.compile(r"^\s*([+-])(\d{2}):(\d{2})\s*$")
# Ranges outside which a value is a broken tag, not a photograph's setting.
_EXPOSURE_RANGE = (1 / 100_000, 24 * 3600)
_F_NUMBER_RANGE = (0.3, 256)
_ISO_RANGE = (1, 10_000_000)
_FOCAL_RANGE = (0.1, 20_000)

_TAG = ExifTags.Base


@dataclass(frozen=True, slots=True)
class CameraFacts:
    """The EXIF facts the site keeps; every field may be None."""

    # Local wall-clock time of the shutter; aware (fixed offset) only when the offset is known.
    taken_at: datetime | None = None
    camera_make: str | None = None
    camera_model: str | None = None
    lens: str | None = None
    exposure_seconds: float | None = None
    f_number: float | None = None
    iso: int | None = None
    focal_length_mm: float | None = None


def camera_facts(im: Image.Image, *, not_after: datetime | None = None) -> CameraFacts:
    """Return what the EXIF of an opened image says, never raising on bad metadata."""
    try:
        exif = im.getexif()
    except Exception:  # any failure of a broken EXIF block means "no EXIF"
        return CameraFacts()
    return camera_facts_of_exif(exif, not_after=not_after)


def camera_facts_of_exif(exif: Image.Exif, *, not_after: datetime | None = None) -> CameraFacts:
    """Return the facts of a parsed EXIF block; each tag that fails is simply left out."""
    main = _safe(lambda: dict(exif)) or {}
    sub = _safe(lambda: dict(exif.get_ifd(ExifTags.IFD.Exif))) or {}
    return CameraFacts(
        taken_at=_safe(lambda: _taken_at(sub, main, not_after)),
        camera_make=_safe(lambda: _text(main.get(_TAG.Make))),
        camera_model=_safe(lambda: _text(main.get(_TAG.Model))),
        lens=_safe(lambda: _lens(sub)),
        exposure_seconds=_safe(lambda: _number(sub.get(_TAG.ExposureTime), _EXPOSURE_RANGE)),
        f_number=_safe(lambda: _number(sub.get(_TAG.FNumber), _F_NUMBER_RANGE)),
        iso=_safe(lambda: _iso(sub)),
        focal_length_mm=_safe(lambda: _number(sub.get(_TAG.FocalLength), _FOCAL_RANGE)),
    )


def taken_instant(taken_at: datetime) -> datetime:
    """Return the instant a date taken sorts by: its UTC time, or a zoneless one read as UTC."""
    if taken_at.tzinfo is None:
        return taken_at.replace(tzinfo=UTC)
    return taken_at.astimezone(UTC)


def _safe(read: Any) -> Any:
    try:
        return read()
    except Exception:  # a tag that cannot be read is a tag that is not there
        return None


def _taken_at(sub: dict, main: dict, not_after: datetime | None) -> datetime | None:
    text = _text(sub.get(_TAG.DateTimeOriginal)) or _text(sub.get(_TAG.DateTimeDigitized))
    if text is None:
        return None
    match = _DATE.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(part) for part in match.groups())
    try:
        local = datetime(year, month, day, hour, minute, min(second, 59))
    except ValueError:
        return None
    if year < EARLIEST_YEAR:
        return None
    offset = _offset(sub.get(_TAG.OffsetTimeOriginal))
    taken = local.replace(tzinfo=offset) if offset is not None else local
    if not_after is not None:
        try:
            if taken_instant(taken) > not_after + FUTURE_SLACK:
                return None
        except OverflowError:
            return None
    return taken


def _offset(value: Any) -> timezone | None:
    text = _text(value)
    match = _OFFSET.match(text) if text else None
    if match is None:
        return None
    sign, hours, minutes = match.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    # Real zones run from UTC-12 to UTC+14, in quarter hours at finest.
    if delta > timedelta(hours=14) or int(minutes) % 15:
        return None
    return timezone(-delta if sign == "-" else delta)


def _lens(sub: dict) -> str | None:
    model = _text(sub.get(_TAG.LensModel))
    make = _text(sub.get(_TAG.LensMake))
    if model and make and not model.lower().startswith(make.lower()):
        return _cut(f"{make} {model}")
    return model or make


def _iso(sub: dict) -> int | None:
    value = sub.get(_TAG.ISOSpeedRatings)
    if isinstance(value, tuple | list):
        value = value[0] if value else None
    number = _number(value, _ISO_RANGE)
    return None if number is None else round(number)


def _number(value: Any, bounds: tuple[float, float]) -> float | None:
    if (
        isinstance(value, tuple | list)
        and len(value) == 2
        and all(isinstance(v, int) for v in value)
    ):
        value = Fraction(value[0], value[1]) if value[1] else None
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    if not math.isfinite(number) or not bounds[0] <= number <= bounds[1]:
        return None
    return number


def _text(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    if not isinstance(value, str):
        return None
    # Keep letters, digits, punctuation and spaces; NULs padding, control and format
    # characters, surrogates and private-use characters go.
    cleaned = "".join(
        ch if not ch.isspace() else " "
        for ch in value[: TEXT_MAX_CHARS * 4]
        if ch.isspace() or unicodedata.category(ch)[0] != "C"
    )
    cleaned = " ".join(cleaned.split())
    return _cut(cleaned) or None


def _cut(text: str) -> str:
    return text[:TEXT_MAX_CHARS].rstrip()
