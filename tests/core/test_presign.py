"""Stable presigned GET URLs: botocore's signature, one URL per object and window."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from botocore.config import Config

from core import presign
from core.presign import Credentials, Window, s3_get_url

CREDENTIALS = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "token/+=x")
WINDOW = Window(lifetime=300, window=240)
NOW = datetime(2026, 11, 28, 12, 34, 56, tzinfo=UTC).timestamp()
KEYS = ["derivatives/abc/grid.jpg", "originals/u 1/照片 +%#?.jpg", "a/b~c_d-e.f"]


def botocore_url(monkeypatch, *, region, endpoint_url, key, signed_at, params=None):
    """Presign with botocore itself, its clock set to `signed_at`."""
    fixed = datetime.fromtimestamp(signed_at, UTC).replace(tzinfo=None)
    monkeypatch.setattr("botocore.auth.get_current_datetime", lambda *a, **k: fixed)
    # The suite points every SDK client at its emulator; this one must see the real endpoints.
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    client = boto3.session.Session().client(
        "s3",
        region_name=region,
        endpoint_url=endpoint_url,
        aws_access_key_id=CREDENTIALS.access_key,
        aws_secret_access_key=CREDENTIALS.secret_key,
        aws_session_token=CREDENTIALS.token,
        config=Config(
            signature_version="s3v4",
            s3={"addressing_style": "path" if endpoint_url else "virtual"},
        ),
    )
    return client.generate_presigned_url(
        "get_object",
        Params={"Bucket": "photos-bucket", "Key": key, **(params or {})},
        ExpiresIn=WINDOW.lifetime,
    )


def parts(url):
    split = urlsplit(url)
    return split.scheme, split.netloc, split.path, parse_qs(split.query)


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize(
    ("region", "endpoint_url"),
    [("eu-west-1", None), ("us-east-1", "http://127.0.0.1:4566")],
    ids=["regional", "emulator"],
)
def test_the_url_is_the_one_botocore_signs_at_the_start_of_the_window(
    monkeypatch, key, region, endpoint_url
):
    ours = s3_get_url(
        credentials=CREDENTIALS,
        region=region,
        bucket="photos-bucket",
        key=key,
        window=WINDOW,
        now=NOW,
        endpoint_url=endpoint_url,
    )
    theirs = botocore_url(
        monkeypatch,
        region=region,
        endpoint_url=endpoint_url,
        key=key,
        signed_at=WINDOW.start(NOW),
    )
    assert parts(ours) == parts(theirs)


def test_response_headers_are_signed_as_botocore_signs_them(monkeypatch):
    disposition = 'attachment; filename="照片.jpg"'
    ours = s3_get_url(
        credentials=CREDENTIALS,
        region="eu-west-1",
        bucket="photos-bucket",
        key=KEYS[0],
        window=WINDOW,
        now=NOW,
        response_params={"response-content-disposition": disposition},
    )
    theirs = botocore_url(
        monkeypatch,
        region="eu-west-1",
        endpoint_url=None,
        key=KEYS[0],
        signed_at=WINDOW.start(NOW),
        params={"ResponseContentDisposition": disposition},
    )
    assert parts(ours) == parts(theirs)


def url_at(now, key=KEYS[0]):
    return s3_get_url(
        credentials=CREDENTIALS,
        region="eu-west-1",
        bucket="photos-bucket",
        key=key,
        window=WINDOW,
        now=now,
    )


def test_every_url_signed_within_one_window_is_the_same_string():
    start = WINDOW.start(NOW)
    urls = {url_at(start + offset) for offset in range(WINDOW.window)}
    assert len(urls) == 1
    assert url_at(start + WINDOW.window) not in urls
    assert url_at(NOW, key=KEYS[2]) not in urls


def test_an_objects_url_is_signed_once_a_window_and_credentials_are_part_of_it(monkeypatch):
    signatures = []
    real_new = presign.hmac.new

    def counting_new(key, message, digest):
        signatures.append(message)
        return real_new(key, message, digest)

    monkeypatch.setattr(presign.hmac, "new", counting_new)
    key = f"derivatives/{uuid.uuid4().hex}/grid.jpg"
    start = WINDOW.start(NOW)

    first = {url_at(start + offset, key=key) for offset in range(0, WINDOW.window, 7)}
    signed_in_first_window = len(signatures)
    rotated = s3_get_url(
        credentials=Credentials("AKIDROTATED", CREDENTIALS.secret_key, CREDENTIALS.token),
        region="eu-west-1",
        bucket="photos-bucket",
        key=key,
        window=WINDOW,
        now=start,
    )

    assert len(first) == 1
    # One signature (its day key is cached too, or made with four more HMACs the first time).
    assert signed_in_first_window in (1, 5)
    assert "AKIDROTATED" in rotated and rotated not in first
    assert url_at(start + WINDOW.window, key=key) not in first


@pytest.mark.parametrize("offset", [0, 1, 239])
def test_a_url_handed_out_anywhere_in_its_window_lives_long_enough_and_no_longer(offset):
    now = WINDOW.start(NOW) + offset
    query = parse_qs(urlsplit(url_at(now)).query)
    signed = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    ends = signed.timestamp() + int(query["X-Amz-Expires"][0])
    assert ends - now >= WINDOW.shortest_validity
    assert ends - now <= WINDOW.lifetime


@pytest.mark.parametrize(("lifetime", "window"), [(300, 0), (300, 301), (8 * 24 * 3600, 60)])
def test_a_window_longer_than_the_lifetime_or_sigv4s_limit_is_refused(lifetime, window):
    with pytest.raises(ValueError):
        Window(lifetime=lifetime, window=window)
