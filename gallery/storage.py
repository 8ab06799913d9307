"""Photo bytes in S3, through django-storages; every URL handed out is presigned and short."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import quote

from botocore.exceptions import ClientError
from django.conf import settings
from django.core.files.storage import storages
from django.utils.http import content_disposition_header
from storages.backends.s3 import S3Storage

from accounts.identity import IdentityCredentials
from core import aws


def photo_storage() -> S3Storage:
    """Return the S3 storage that holds originals and derivatives."""
    return storages["default"]


def cache_control() -> str:
    """Return the Cache-Control every stored object carries.

    Keys carry a fresh random id and are written once, so an object never changes: a browser
    may keep it as long as the presigned URL it came from is valid (the URL is the cache key,
    and stays the same for most of that time), but only in its own cache, never a shared one.
    """
    return f"private, max-age={settings.PHOTOSITE_URL_EXPIRY}, immutable"


# What S3 answers a conditional put when the key holds an object, or one is being written.
_KEY_TAKEN = frozenset({"PreconditionFailed", "ConditionalRequestConflict"})


def object_put(key: str, data: bytes, *, content_type: str) -> str:
    """Store bytes under exactly this key, which must be new, and return it.

    One conditional PutObject (`If-None-Match: *`): S3 refuses it atomically when the key
    exists, where django-storages' save asks first (a HeadObject, racy) and then uploads
    through s3transfer's thread pool, which is built for multi-part files, not a few hundred
    kilobytes. Keys carry a fresh random id, so a refusal means either botocore's retry of a
    put whose answer was lost (the object is these bytes: done) or a logic error upstream.
    """
    try:
        aws.client("s3").put_object(
            Bucket=_bucket(),
            Key=key,
            Body=data,
            ContentType=content_type,
            CacheControl=cache_control(),
            IfNoneMatch="*",
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] not in _KEY_TAKEN:
            raise
        if not _holds(key, data):
            raise RuntimeError(f"S3 key {key} already existed") from exc
    return key


def _holds(key: str, data: bytes) -> bool:
    """Tell whether the object under key is exactly these bytes (a single-part put's ETag is
    the MD5 of its body with SSE-S3, the bucket's encryption)."""
    try:
        head = aws.client("s3").head_object(Bucket=_bucket(), Key=key)
    except ClientError:
        return False
    return head["ETag"].strip('"') == hashlib.md5(data, usedforsecurity=False).hexdigest()


def object_url(key: str, *, expires_in: int) -> str:
    """Return a presigned GET URL for the key, valid for `expires_in` seconds."""
    return photo_storage().url(key, expire=expires_in)


def object_urls(keys: list[str], *, expires_in: int) -> list[str]:
    """Return a presigned GET URL for each key, as `object_url` does, in one go."""
    return photo_storage().urls(keys, expire=expires_in)


def objects_delete(keys: list[str]) -> None:
    """Delete these keys; missing ones are ignored."""
    storage = photo_storage()
    for key in keys:
        storage.delete(key)


def object_location(key: str) -> str:
    """Return the object's permanent, unsigned URL (it only opens for someone with access)."""
    endpoint = aws.settings().endpoint_url
    if endpoint:
        return f"{endpoint.rstrip('/')}/{_bucket()}/{quote(key)}"
    return f"https://{_bucket()}.s3.{aws.settings().region}.amazonaws.com/{quote(key)}"


def object_size(key: str) -> int | None:
    """Return the stored size of the key in bytes, or None when there is no such object."""
    try:
        head = aws.client("s3").head_object(Bucket=_bucket(), Key=key)
    except ClientError as exc:
        if exc.response["Error"]["Code"] in {"404", "NoSuchKey", "NotFound"}:
            return None
        raise
    return int(head["ContentLength"])


def object_read(key: str, *, max_bytes: int) -> bytes:
    """Return at most `max_bytes + 1` bytes of the object, so an oversize one is detectable."""
    answer = aws.client("s3").get_object(Bucket=_bucket(), Key=key, Range=f"bytes=0-{max_bytes}")
    with answer["Body"] as body:
        return body.read(max_bytes + 1)


def object_copy(source: str, key: str, *, content_type: str) -> str:
    """Copy an object inside the bucket (no bytes pass through this process) and return key."""
    aws.client("s3").copy_object(
        Bucket=_bucket(),
        Key=key,
        CopySource={"Bucket": _bucket(), "Key": source},
        ContentType=content_type,
        CacheControl=cache_control(),
        MetadataDirective="REPLACE",
    )
    return key


def presigned_post(
    key: str,
    *,
    content_type: str,
    max_bytes: int,
    expires_in: int,
    credentials: IdentityCredentials | None,
) -> dict[str, Any]:
    """Return `{url, fields}` for a client to POST one file to exactly this key.

    Signed with the user's own temporary credentials when there are some (a browser's, from the
    Identity Pool), so S3 applies their role's policy (their prefix only) on top of the key,
    size and type conditions of the policy document; else (an API client, whose access token
    the Identity Pool does not take) with the site's own, and the policy document alone binds
    the upload to this key, type and size.
    """
    if credentials is None:
        client = aws.client("s3")
    else:
        client = aws.client_for_credentials(
            "s3",
            access_key_id=credentials.access_key_id,
            secret_access_key=credentials.secret_access_key,
            session_token=credentials.session_token,
        )
    return client.generate_presigned_post(
        Bucket=_bucket(),
        Key=key,
        Fields={"Content-Type": content_type},
        Conditions=[
            {"Content-Type": content_type},
            ["content-length-range", 1, max_bytes],
        ],
        ExpiresIn=expires_in,
    )


def _bucket() -> str:
    return settings.AWS_STORAGE_BUCKET_NAME


def object_download_url(key: str, *, filename: str, expires_in: int) -> str:
    """Return a presigned GET URL that makes the browser save the object as `filename`.

    S3 answers with `Content-Disposition: attachment` (the signed `response-content-disposition`
    override) and `Cache-Control: private, no-store`: the URL is short-lived and personal.
    """
    return photo_storage().url(
        key,
        parameters={
            "ResponseContentDisposition": content_disposition_header(
                as_attachment=True, filename=filename
            ),
            "ResponseCacheControl": "private, no-store",
        },
        expire=expires_in,
    )


def object_keys_under(prefix: str) -> list[str]:
    """Return every key that starts with `prefix` (a photo's own folder: a few keys)."""
    keys: list[str] = []
    pages = aws.client("s3").get_paginator("list_objects_v2")
    for page in pages.paginate(Bucket=_bucket(), Prefix=prefix):
        keys.extend(item["Key"] for item in page.get("Contents", []))
    return keys
