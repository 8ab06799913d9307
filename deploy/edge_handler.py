"""Make a missing photo derivative on demand: CloudFront's fallback origin, a Function URL.

The "mirror back to origin" pattern. CloudFront asks the bucket first for
`/derivatives/<size>/<photo_id>.jpg`; when the bucket has no such object (403/404) it asks
this function, which reads the photo's original, makes a JPEG whose longest edge is at most
<size> pixels, stores it under that same key and redirects the browser back to the same URL,
which the bucket now answers and CloudFront caches. The redirect says `Cache-Control: no-store`
and the cache policy's minimum TTL is 0, so it is never cached into a loop.

Only the sizes in PHOTOSITE_EDGE_SIZES are made: otherwise anyone could make the function
render and store every width from 1 to 9999 of every photo. Only visible photos that are not
private are rendered.

Needs no Django: PynamoDB models and gallery.images only, configured by the environment
(AWS_STORAGE_BUCKET_NAME, DYNAMODB_TABLE_PREFIX, PHOTOSITE_EDGE_SIZES,
PHOTOSITE_MAX_UPLOAD_BYTES, PHOTOSITE_MAX_PIXELS).
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import time
from typing import Any

from botocore.exceptions import ClientError

from core import aws
from gallery.images import ImageRejected, make_derivatives
from gallery.models import VISIBILITY_PRIVATE, Photo

logger = logging.getLogger("photosite.edge")

DEFAULT_SIZES = "160,320,480,640,960,1280,1600"
PREFIX = "derivatives"
# Strict on purpose: no dots or slashes in the id, so no path can reach another key.
PATH = re.compile(
    rf"^/{PREFIX}/(?P<size>[1-9][0-9]{{0,3}})/(?P<photo_id>[A-Za-z0-9_-]{{1,64}})\.jpg$"
)
# A derivative never changes (a new photo gets a new id), but a moderator may hide its photo:
# CloudFront can be invalidated, browsers cannot, so browsers keep it for a day only.
DERIVATIVE_CACHE_CONTROL = "public, max-age=86400, s-maxage=31536000"


def allowed_sizes() -> frozenset[int]:
    """Return the derivative sizes this deployment makes."""
    raw = os.environ.get("PHOTOSITE_EDGE_SIZES", DEFAULT_SIZES)
    return frozenset(int(size) for size in raw.split(",") if size.strip())


def derivative_key(size: int, photo_id: str) -> str:
    """Return the S3 key (and URL path, without the slash) of a derivative."""
    return f"{PREFIX}/{size}/{photo_id}.jpg"


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Answer a Lambda Function URL request (payload format 2.0)."""
    started = time.perf_counter()
    method = event.get("requestContext", {}).get("http", {}).get("method", "")
    path = event.get("rawPath", "")
    if method not in {"GET", "HEAD"}:
        return _text(405, "Only GET and HEAD.", {"Allow": "GET, HEAD"})
    match = PATH.match(path)
    if match is None or int(match["size"]) not in allowed_sizes():
        return _text(404, "No such derivative.")
    size, photo_id = int(match["size"]), match["photo_id"]
    key = derivative_key(size, photo_id)
    bucket = os.environ["AWS_STORAGE_BUCKET_NAME"]
    s3 = aws.client("s3")

    existing = _get_or_none(s3, bucket, key)
    if existing is not None:
        # The bucket has it, yet CloudFront came here (a race, or the bucket erred): answer
        # with the bytes, since redirecting again could loop.
        return _image(existing, head=method == "HEAD")

    try:
        photo = Photo.get(photo_id)
    except Photo.DoesNotExist:
        return _text(404, "No such photo.")
    # Hidden or private photos are nobody's to render here (their owner gets presigned URLs).
    if not photo.is_visible or photo.audience == VISIBILITY_PRIVATE:
        return _text(404, "No such photo.")
    original = _get_or_none(s3, bucket, photo.original_key)
    if original is None:
        logger.error(json.dumps({"message": "original missing", "photo_id": photo_id}))
        return _text(404, "No such photo.")
    try:
        derivative = make_derivatives(
            original,
            sizes={"edge": size},
            max_bytes=int(os.environ.get("PHOTOSITE_MAX_UPLOAD_BYTES", 25 * 1024 * 1024)),
            max_pixels=int(os.environ.get("PHOTOSITE_MAX_PIXELS", 60_000_000)),
        )["edge"]
    except ImageRejected as exc:
        logger.error(
            json.dumps({"message": "original rejected", "photo_id": photo_id, "code": exc.code})
        )
        return _text(422, "The original cannot be rendered.")
    s3.put_object(
        Bucket=bucket,
        Key=key,
        Body=derivative.data,
        ContentType="image/jpeg",
        CacheControl=DERIVATIVE_CACHE_CONTROL,
    )
    logger.info(
        json.dumps(
            {
                "message": "derivative made",
                "request_id": getattr(context, "aws_request_id", None),
                "photo_id": photo_id,
                "size": size,
                "bytes": derivative.byte_size,
                "ms": round((time.perf_counter() - started) * 1000),
            }
        )
    )
    query = event.get("rawQueryString") or ""
    return {
        "statusCode": 302,
        "headers": {"Location": path + (f"?{query}" if query else ""), "Cache-Control": "no-store"},
        "body": "",
    }


def _get_or_none(s3: Any, bucket: str, key: str) -> bytes | None:
    try:
        return s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in {"NoSuchKey", "404", "NotFound"}:
            return None
        raise


def _image(data: bytes, *, head: bool) -> dict[str, Any]:
    return {
        "statusCode": 200,
        "headers": {
            "Content-Type": "image/jpeg",
            "Cache-Control": DERIVATIVE_CACHE_CONTROL,
            "Content-Length": str(len(data)),
        },
        "body": "" if head else base64.b64encode(data).decode(),
        "isBase64Encoded": not head,
    }


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    # Short cache for errors: a photo that appears later must not stay 404 for long.
    return {
        "statusCode": status,
        "headers": {
            "Content-Type": "text/plain; charset=utf-8",
            "Cache-Control": "max-age=10",
            **(headers or {}),
        },
        "body": message,
    }
