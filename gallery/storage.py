"""Photo bytes in S3, through django-storages; every URL handed out is presigned and short."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from storages.backends.s3 import S3Storage


def photo_storage() -> S3Storage:
    """Return the S3 storage that holds originals and derivatives."""
    return storages["default"]


def object_put(key: str, data: bytes, *, content_type: str) -> str:
    """Store bytes under exactly this key and return it."""
    storage = photo_storage()
    content = ContentFile(data)
    content.content_type = content_type
    saved = storage.save(key, content)
    if saved != key:  # keys carry a fresh random id, so a rename means a logic error upstream
        storage.delete(saved)
        raise RuntimeError(f"S3 key {key} already existed")
    return saved


def object_url(key: str, *, expires_in: int) -> str:
    """Return a presigned GET URL for the key, valid for `expires_in` seconds."""
    return photo_storage().url(key, expire=expires_in)


def objects_delete(keys: list[str]) -> None:
    """Delete these keys; missing ones are ignored."""
    storage = photo_storage()
    for key in keys:
        storage.delete(key)
