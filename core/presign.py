"""Presigned S3 GET URLs that stay the same for a while, so browsers can cache the images.

botocore stamps every presigned URL with the second it was signed, so two views of one page
never share an image URL and the browser downloads every thumbnail again. Here the signing time
is rounded down to a window: every URL for one object signed within a window is the same string,
and its expiry (`lifetime` after the window's start) still ends within the configured lifetime.

The signature is AWS Signature Version 4 for a query-string GET, the same bytes botocore makes
for the same time (a test compares them). Signing by hand, with the HMAC key of each day cached,
costs a few microseconds a URL instead of botocore's 0.2 ms (its request pipeline, not the
cryptography, is the cost), which matters for a page of 24 thumbnails.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import quote, urlsplit

ALGORITHM = "AWS4-HMAC-SHA256"
# SigV4 presigned URLs may last at most 7 days.
MAX_LIFETIME = 7 * 24 * 3600


@dataclass(frozen=True)
class Window:
    """How long a URL stays the same (`window`) and how long it stays valid (`lifetime`)."""

    lifetime: int
    window: int

    def __post_init__(self) -> None:
        if not 0 < self.window <= self.lifetime <= MAX_LIFETIME:
            raise ValueError("need 0 < window <= lifetime <= 7 days")

    def start(self, now: float) -> int:
        """Return the signing time for `now`: the start of the window it falls in."""
        return int(now) // self.window * self.window

    @property
    def shortest_validity(self) -> int:
        """Seconds a URL stays valid at worst: when handed out at the end of its window."""
        return self.lifetime - self.window + 1


@dataclass(frozen=True)
class Credentials:
    """The frozen credentials to sign with (a role's temporary ones carry a token)."""

    access_key: str
    secret_key: str
    token: str | None = None


def s3_get_url(
    *,
    credentials: Credentials,
    region: str,
    bucket: str,
    key: str,
    window: Window,
    now: float,
    endpoint_url: str | None = None,
    response_params: dict[str, str] | None = None,
) -> str:
    """Return a presigned GET URL for `bucket/key`, identical for every `now` in one window.

    With `endpoint_url` (an emulator) the URL is path-style on that endpoint, as botocore makes
    it there; otherwise virtual-hosted on the regional endpoint.
    """
    return _signed_url(
        credentials,
        region,
        bucket,
        key,
        window.lifetime,
        window.start(now),
        endpoint_url,
        tuple(sorted((response_params or {}).items())),
    )


# Every URL of one object signed within one window is the same string, so each is made once
# per process: a gallery page asks for 24 every time, and quoting and hashing cost about 20 µs
# a URL against a dictionary lookup. The key holds everything the URL depends on (new
# credentials or the next window make a new entry); an entry is under 1 KB.
@lru_cache(maxsize=4096)
def _signed_url(
    credentials: Credentials,
    region: str,
    bucket: str,
    key: str,
    lifetime: int,
    signed_at: int,
    endpoint_url: str | None,
    response_params: tuple[tuple[str, str], ...],
) -> str:
    stamp = datetime.fromtimestamp(signed_at, UTC).strftime("%Y%m%dT%H%M%SZ")
    day = stamp[:8]
    if endpoint_url:
        parts = urlsplit(endpoint_url)
        scheme, host = parts.scheme, parts.netloc
        path = f"{parts.path.rstrip('/')}/{bucket}/{_uri_path(key)}"
    else:
        scheme, host = "https", f"{bucket}.s3.{region}.amazonaws.com"
        path = f"/{_uri_path(key)}"
    query = {
        "X-Amz-Algorithm": ALGORITHM,
        "X-Amz-Credential": f"{credentials.access_key}/{day}/{region}/s3/aws4_request",
        "X-Amz-Date": stamp,
        "X-Amz-Expires": str(lifetime),
        "X-Amz-SignedHeaders": "host",
        **dict(response_params),
    }
    if credentials.token:
        query["X-Amz-Security-Token"] = credentials.token
    canonical_query = "&".join(
        f"{_uri_value(name)}={_uri_value(value)}" for name, value in sorted(query.items())
    )
    canonical_request = "\n".join(
        ("GET", path, canonical_query, f"host:{host}", "", "host", "UNSIGNED-PAYLOAD")
    )
    string_to_sign = "\n".join(
        (
            ALGORITHM,
            stamp,
            f"{day}/{region}/s3/aws4_request",
            hashlib.sha256(canonical_request.encode()).hexdigest(),
        )
    )
    signing_key = _signing_key(credentials.secret_key, day, region)
    signature = hmac.new(signing_key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    return f"{scheme}://{host}{path}?{canonical_query}&X-Amz-Signature={signature}"


def client_credentials(client: object) -> Credentials:
    """Return the current frozen credentials of a boto3 client (refreshed when they expire)."""
    frozen = client._request_signer._credentials.get_frozen_credentials()  # type: ignore[attr-defined]
    return Credentials(frozen.access_key, frozen.secret_key, frozen.token)


@lru_cache(maxsize=64)
def _signing_key(secret_key: str, day: str, region: str) -> bytes:
    # The derived key depends only on the secret, the day and the region: four HMACs saved
    # on every URL but the first of the day.
    key = hmac.new(f"AWS4{secret_key}".encode(), day.encode(), hashlib.sha256).digest()
    for part in (region, "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def _uri_path(key: str) -> str:
    """Encode an object key for the path as S3's SigV4 wants it: every byte but / and ~-_. ."""
    return quote(key, safe="/~")


def _uri_value(value: str) -> str:
    return quote(value, safe="-_.~")
