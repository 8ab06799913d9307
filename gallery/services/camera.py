"""What the camera knew, onto the photo record: date taken, camera, lens, exposure.

Set once, when a photo is published (gallery.services.photos.photo_publish), from the facts
gallery.exif read during the single decode. The date-taken order's sort key is set here too:
the taken instant, or the upload time when the photo has no date taken, so every published
photo has a place in that order.
"""

from __future__ import annotations

from gallery import exif
from gallery.exif import CameraFacts
from gallery.models import Photo, time_key


def photo_camera_apply(*, photo: Photo, facts: CameraFacts) -> None:
    """Copy the EXIF facts onto an unsaved photo and set its date-taken sort key."""
    taken = facts.taken_at
    photo.taken_at = taken.isoformat() if taken is not None else None
    moment = exif.taken_instant(taken) if taken is not None else photo.uploaded_at
    photo.taken_key = time_key(moment, photo.photo_id)
    photo.camera_make = facts.camera_make
    photo.camera_model = facts.camera_model
    photo.lens = facts.lens
    photo.exposure_seconds = facts.exposure_seconds
    photo.f_number = facts.f_number
    photo.iso = facts.iso
    photo.focal_length_mm = facts.focal_length_mm
