"""deploy/edge_handler.py: CloudFront's fallback origin makes allowed derivatives on demand.

Driven with Lambda Function URL events (payload format 2.0) against the local S3 and DynamoDB.
"""

from __future__ import annotations

import base64
import io

import pytest
from botocore.exceptions import ClientError
from PIL import Image

from core import aws
from deploy import edge_handler
from gallery import services
from gallery.models import STATUS_HIDDEN
from tests.deploy.template import template

URL_HOST = "abc123.lambda-url.us-east-1.on.aws"


def url_event(path: str, *, method: str = "GET", query: str = "") -> dict:
    """Return a Function URL event as CloudFront's origin request produces it."""
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "headers": {"host": URL_HOST, "user-agent": "Amazon CloudFront"},
        "requestContext": {
            "accountId": "anonymous",
            "domainName": URL_HOST,
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "130.176.0.1",
                "userAgent": "Amazon CloudFront",
            },
            "requestId": "edge-req-1",
            "stage": "$default",
        },
        "isBase64Encoded": False,
    }


@pytest.fixture
def edge_env(aws_stack, settings, monkeypatch):
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", settings.AWS_STORAGE_BUCKET_NAME)
    monkeypatch.delenv("PHOTOSITE_EDGE_SIZES", raising=False)
    return settings.AWS_STORAGE_BUCKET_NAME


def _photo(width: int = 1200, height: int = 800):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(buffer, "JPEG")
    return services.photo_create(
        owner_sub="owner-1",
        owner_name="Mei",
        name="湖边",
        data=buffer.getvalue(),
        uploader_ip="192.0.2.7",
    )


def _stored(bucket: str, key: str) -> dict | None:
    try:
        return aws.client("s3").get_object(Bucket=bucket, Key=key)
    except ClientError:
        return None


@pytest.mark.aws
def test_an_allowed_size_is_made_stored_and_redirected_back_uncached(edge_env):
    photo = _photo()
    path = f"/derivatives/640/{photo.photo_id}.jpg"

    response = edge_handler.handler(url_event(path), None)

    assert response["statusCode"] == 302
    assert response["headers"]["Location"] == path
    assert response["headers"]["Cache-Control"] == "no-store"
    stored = _stored(edge_env, f"derivatives/640/{photo.photo_id}.jpg")
    assert stored is not None
    assert stored["ContentType"] == "image/jpeg"
    assert "max-age" in stored["CacheControl"]
    with Image.open(io.BytesIO(stored["Body"].read())) as image:
        assert image.format == "JPEG"
        assert image.size == (640, 427)


@pytest.mark.aws
def test_a_derivative_already_in_the_bucket_is_served_not_redirected_again(edge_env):
    photo = _photo()
    path = f"/derivatives/320/{photo.photo_id}.jpg"
    assert edge_handler.handler(url_event(path), None)["statusCode"] == 302

    again = edge_handler.handler(url_event(path), None)

    assert again["statusCode"] == 200
    assert again["isBase64Encoded"] is True
    with Image.open(io.BytesIO(base64.b64decode(again["body"]))) as image:
        assert max(image.size) == 320


@pytest.mark.aws
def test_a_small_original_is_never_upscaled(edge_env):
    photo = _photo(300, 200)
    edge_handler.handler(url_event(f"/derivatives/1600/{photo.photo_id}.jpg"), None)
    stored = _stored(edge_env, f"derivatives/1600/{photo.photo_id}.jpg")
    with Image.open(io.BytesIO(stored["Body"].read())) as image:
        assert image.size == (300, 200)


@pytest.mark.aws
@pytest.mark.parametrize("size", [641, 5000])
def test_sizes_outside_the_allow_list_are_refused_and_nothing_is_written(edge_env, size):
    photo = _photo()
    response = edge_handler.handler(url_event(f"/derivatives/{size}/{photo.photo_id}.jpg"), None)
    assert response["statusCode"] == 404
    assert _stored(edge_env, f"derivatives/{size}/{photo.photo_id}.jpg") is None


@pytest.mark.aws
def test_the_allow_list_comes_from_the_environment(edge_env, monkeypatch):
    photo = _photo()
    monkeypatch.setenv("PHOTOSITE_EDGE_SIZES", "200")
    assert (
        edge_handler.handler(url_event(f"/derivatives/640/{photo.photo_id}.jpg"), None)[
            "statusCode"
        ]
        == 404
    )
    assert (
        edge_handler.handler(url_event(f"/derivatives/200/{photo.photo_id}.jpg"), None)[
            "statusCode"
        ]
        == 302
    )


def test_default_sizes_match_the_templates_parameter():
    default = template()["Parameters"]["ImageEdgeSizes"]["Default"]
    assert default == edge_handler.DEFAULT_SIZES


@pytest.mark.parametrize(
    "path",
    [
        "/derivatives/640/../../photos/x/original.jpg",
        "/derivatives/640/a.b.jpg",
        "/derivatives/640/abc.png",
        "/derivatives/640/abc.jpg/more",
        "/photos/abc/original.jpg",
        "/derivatives/640/",
        "/derivatives/0/abc.jpg",
        "/derivatives/1/abc.jpg",
        "/derivatives/0640/abc.jpg",
        "",
    ],
)
def test_paths_that_are_not_a_derivative_are_404(aws_down, monkeypatch, path):
    # With AWS unreachable: the path alone decides, before any AWS call.
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "photos")
    assert edge_handler.handler(url_event(path), None)["statusCode"] == 404


@pytest.mark.aws
def test_unknown_and_hidden_photos_are_404(edge_env):
    assert (
        edge_handler.handler(url_event("/derivatives/640/nosuchphoto.jpg"), None)["statusCode"]
        == 404
    )
    photo = _photo()
    # No hide service exists yet; this is the state one would leave behind.
    photo.update(actions=[type(photo).status.set(STATUS_HIDDEN)])
    response = edge_handler.handler(url_event(f"/derivatives/640/{photo.photo_id}.jpg"), None)
    assert response["statusCode"] == 404
    assert _stored(edge_env, f"derivatives/640/{photo.photo_id}.jpg") is None


def test_only_get_and_head_are_answered(aws_down):
    response = edge_handler.handler(url_event("/derivatives/640/abc.jpg", method="POST"), None)
    assert response["statusCode"] == 405
    assert response["headers"]["Allow"] == "GET, HEAD"
