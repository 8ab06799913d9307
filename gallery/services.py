"""Writes of photos: the only code that changes the photo tables and bucket."""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime

from django.conf import settings

from gallery import images, search_terms, storage
from gallery.models import (
    FEED_PARTITION,
    STATUS_VISIBLE,
    Photo,
    SearchTerm,
    time_key,
)

logger = logging.getLogger(__name__)

DERIVATIVE_SIZES = {"grid": 480, "display": 1600}


def new_id() -> str:
    """Return a fresh random id that is safe in URLs and S3 keys."""
    return secrets.token_urlsafe(12)


def photo_create(
    *,
    owner_sub: str,
    owner_name: str,
    name: str,
    caption: str = "",
    data: bytes,
    uploader_ip: str,
    now: datetime | None = None,
) -> Photo:
    """Validate image bytes, store original and derivatives in S3, and record the photo.

    Raises images.ImageRejected for anything that is not an acceptable photo; in that case, and
    when a later step fails, nothing stays behind.
    """
    processed = images.process_image(
        data,
        max_bytes=settings.PHOTOSITE_MAX_UPLOAD_BYTES,
        max_pixels=settings.PHOTOSITE_MAX_PIXELS,
        sizes=DERIVATIVE_SIZES,
    )
    info, derivatives = processed.info, processed.derivatives
    photo_id = new_id()
    uploaded_at = now or datetime.now(UTC)
    sort_key = time_key(uploaded_at, photo_id)
    prefix = f"photos/{photo_id}"
    keys = {"original": f"{prefix}/original.{info.extension}"}
    keys.update({size: f"{prefix}/{size}.jpg" for size in derivatives})

    photo = Photo(
        photo_id,
        status=STATUS_VISIBLE,
        name=name,
        caption=caption,
        owner_sub=owner_sub,
        owner_name=owner_name,
        uploader_ip=uploader_ip,
        uploaded_at=uploaded_at,
        sort_key=sort_key,
        original_key=keys["original"],
        grid_key=keys["grid"],
        display_key=keys["display"],
        content_type=info.content_type,
        width=info.width,
        height=info.height,
        size_bytes=info.byte_size,
        sha256=info.sha256,
        duplicate_of=_earlier_upload(owner_sub, info.sha256),
        feed=FEED_PARTITION,
        owner_feed=owner_sub,
        owner_sha256=f"{owner_sub}#{info.sha256}",
    )
    terms = search_terms.index_terms(name)
    written_keys: list[str] = []
    try:
        written_keys.append(
            storage.object_put(keys["original"], data, content_type=info.content_type)
        )
        for size, derivative in derivatives.items():
            written_keys.append(
                storage.object_put(keys[size], derivative.data, content_type="image/jpeg")
            )
        # Terms first: a term without its photo is ignored by search, a photo without its terms
        # would be unfindable.
        _terms_put(terms, sort_key=sort_key, photo_id=photo_id)
        photo.save(Photo.photo_id.does_not_exist())
    except Exception:
        logger.exception("photo %s failed half-way; removing what was written", photo_id)
        _terms_delete(terms, sort_key=sort_key)
        storage.objects_delete(written_keys)
        raise
    return photo


def _earlier_upload(owner_sub: str, sha256: str) -> str | None:
    """Return the id of this user's earlier upload of the same bytes, if any."""
    for hit in Photo.owner_sha256_index.query(f"{owner_sub}#{sha256}", limit=1):
        return hit.photo_id
    return None


def _terms_put(terms: set[str], *, sort_key: str, photo_id: str) -> None:
    with SearchTerm.batch_write() as batch:
        for term in terms:
            batch.save(SearchTerm(term, sort_key, photo_id=photo_id))


def _terms_delete(terms: set[str], *, sort_key: str) -> None:
    with SearchTerm.batch_write() as batch:
        for term in terms:
            batch.delete(SearchTerm(term, sort_key))
