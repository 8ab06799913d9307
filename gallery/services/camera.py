"""What the camera knew, onto the photo record: date taken, camera, lens, exposure.

Set once, when a photo is published (gallery.services.photos.photo_publish), from the facts
gallery.exif read during the single decode. The date-taken order's sort key is set here too:
the taken instant, or the upload time when the photo has no date taken, so every published
photo has a place in that order.
"""

from __future__ import annotations

from pynamodb.exceptions import UpdateError

from core.transactions import condition_failed
from gallery import exif, search_terms
from gallery.exif import CameraFacts
from gallery.models import STATUS_PENDING, STATUS_PROCESSING, Photo, time_key


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


def photo_taken_backfill(*, photo_id: str) -> bool:
    """Give a photo published before the date-taken order its place in it, once.

    Sets `taken_key` to the upload place (`sort_key`: such a photo's EXIF was never read) on
    the condition that it has none yet, and indexes its caption's search terms if it is
    visible (a repeat writes the same items again). Returns whether the photo changed;
    retries and concurrent runs are harmless. A pending upload is left alone: its publication
    sets everything.
    """
    try:
        photo = Photo.get(photo_id, consistent_read=True)
    except Photo.DoesNotExist:
        return False
    if photo.taken_key or photo.status in (STATUS_PENDING, STATUS_PROCESSING):
        return False
    try:
        photo.update(
            actions=[Photo.taken_key.set(photo.sort_key)],
            condition=Photo.taken_key.does_not_exist() & Photo.sort_key.exists(),
            add_version_condition=False,
        )
    except UpdateError as exc:
        if condition_failed(exc):
            return False  # another run got there first
        raise
    if photo.is_visible and photo.caption:
        search_terms.search_terms_put(
            terms=search_terms.index_terms(photo.name, photo.caption),
            sort_key=photo.sort_key,
            photo_id=photo.photo_id,
        )
    return True
