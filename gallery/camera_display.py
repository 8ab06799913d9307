"""What the camera knew, as the photo page shows it: translated labels, localised numbers.

The date taken is shown as the camera's clock read it, in its own zone (`UTC+02:00`), never
converted to the viewer's: "taken at 9 in the morning" stays true wherever it is read. A date
taken without an offset says that its zone is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import formats
from django.utils.translation import gettext as _

from gallery.models import Photo


@dataclass(frozen=True)
class CameraRow:
    """One line of the photo page's facts: a label, the shown value, and a machine value."""

    label: str
    value: str
    # For <time datetime="...">: the ISO date taken; empty for the other rows.
    iso: str = ""


def camera_rows(photo: Photo) -> list[CameraRow]:
    """Return the rows to show for a photo's EXIF facts, in reading order (none if it has none)."""
    rows: list[CameraRow] = []
    taken = photo.taken_datetime
    if taken is not None:
        rows.append(CameraRow(_("Taken"), taken_text(taken), iso=taken.isoformat()))
    camera = camera_name(photo.camera_make, photo.camera_model)
    if camera:
        rows.append(CameraRow(_("Camera"), camera))
    if photo.lens:
        rows.append(CameraRow(_("Lens"), photo.lens))
    exposure = exposure_text(photo)
    if exposure:
        rows.append(CameraRow(_("Exposure"), exposure))
    return rows


def taken_text(taken: datetime) -> str:
    """Return a date taken in the locale's format with its zone, or 'time zone unknown'."""
    shown = formats.date_format(taken, "DATETIME_FORMAT")
    offset = taken.utcoffset()
    if offset is None:
        return _("%(time)s (time zone unknown)") % {"time": shown}
    return f"{shown} ({utc_offset_text(offset)})"


def utc_offset_text(offset: timedelta) -> str:
    """Return `UTC`, `UTC+02:00` or `UTC-05:30`."""
    minutes = round(offset.total_seconds() / 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def camera_name(make: str | None, model: str | None) -> str:
    """Return `make model`, without the make twice when the model already starts with it."""
    if make and model:
        return model if model.lower().startswith(make.lower()) else f"{make} {model}"
    return make or model or ""


def exposure_text(photo: Photo) -> str:
    """Return shutter, aperture, ISO and focal length as `1/250 s · f/2.8 · ISO 100 · 35 mm`."""
    parts: list[str] = []
    if photo.exposure_seconds:
        parts.append(_("%(value)s s") % {"value": shutter_text(float(photo.exposure_seconds))})
    if photo.f_number:
        parts.append(f"f/{number_text(float(photo.f_number))}")
    if photo.iso:
        parts.append(_("ISO %(value)s") % {"value": number_text(float(photo.iso))})
    if photo.focal_length_mm:
        parts.append(_("%(value)s mm") % {"value": number_text(float(photo.focal_length_mm))})
    return " · ".join(parts)


def shutter_text(seconds: float) -> str:
    """Return a shutter time as photographers write it: `1/250`, `0.3`, `2`, `30`."""
    if 0 < seconds < 1:
        denominator = round(1 / seconds)
        if denominator > 1 and abs(1 / denominator - seconds) <= seconds * 0.05:
            return f"1/{denominator}"
    return number_text(seconds)


def number_text(value: float) -> str:
    """Return a number in the locale's format, with one decimal only when it has a fraction."""
    rounded = round(value, 1)
    places = 0 if rounded == int(rounded) else 1
    return formats.number_format(rounded, decimal_pos=places, use_l10n=True)
