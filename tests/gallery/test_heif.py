"""HEIC/HEIF uploads: real HEIC files encoded in the test with pillow-heif (never a mock),
accepted by content on every path (server form, API, browser direct upload), converted to JPEG
derivatives for display, the original kept as uploaded."""

from __future__ import annotations

import functools
import io

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from accounts.identity import identity_credentials
from core import aws
from gallery import heif, images, services
from gallery.images import ImageRejected
from gallery.models import Photo

from .conftest import api_user

TAG = ExifTags.Base


def heic(width: int = 640, height: int = 480, *, exif: Image.Exif | None = None) -> bytes:
    """Return a real HEIC (HEVC-coded HEIF, as iPhones write), encoded by libheif/x265.

    x265 takes about 0.4 s of CPU for one: each size and EXIF block is encoded once per
    process, and a test gets the same bytes each time it asks (each test starts empty).
    """
    return _heic(width, height, exif.tobytes() if exif else None)


@functools.cache
def _heic(width: int, height: int, exif: bytes | None) -> bytes:
    heif.heif_register()
    picture = Image.merge(
        "RGB",
        (
            Image.linear_gradient("L").resize((width, height)),
            Image.effect_noise((width, height), 30),
            Image.new("L", (width, height), 90),
        ),
    )
    out = io.BytesIO()
    picture.save(out, heif.FORMAT, quality=70, exif=exif)
    return out.getvalue()


def iphone_exif() -> Image.Exif:
    block = Image.Exif()
    block[TAG.Make] = "Apple"
    block[TAG.Model] = "iPhone 15 Pro"
    sub = block.get_ifd(ExifTags.IFD.Exif)
    sub[TAG.DateTimeOriginal] = "2025:08:15 18:42:07"
    sub[TAG.OffsetTimeOriginal] = "+08:00"
    gps = block.get_ifd(ExifTags.IFD.GPSInfo)
    gps[1], gps[2] = "N", (31.0, 14.0, 0.0)
    return block


def process(data: bytes, **kwargs) -> images.ProcessedImage:
    return images.process_image(
        data, max_bytes=10**8, max_pixels=10**8, sizes={"grid": 480, "display": 1600}, **kwargs
    )


def test_the_test_file_really_is_a_heic():
    data = heic()

    assert data[4:12] == b"ftypheic"
    assert Image.open(io.BytesIO(data)).format == "HEIF"


def test_a_heic_is_accepted_and_converted_to_jpeg_derivatives():
    processed = process(heic(800, 600))

    info = processed.info
    assert (info.format, info.content_type, info.extension) == ("HEIC", "image/heic", ".heic")
    assert (info.width, info.height) == (800, 600)
    for derivative in processed.derivatives.values():
        decoded = Image.open(io.BytesIO(derivative.data))
        assert decoded.format == "JPEG"
    assert processed.derivatives["grid"].width == 480


def test_a_heic_gets_a_full_size_jpeg_too():
    processed = process(heic(800, 600), full_max_decode_bytes=images.DEFAULT_FULL_MAX_DECODE_BYTES)

    full = processed.derivatives[images.FULL]
    assert (full.width, full.height) == (800, 600)
    assert Image.open(io.BytesIO(full.data)).format == "JPEG"


def test_what_an_iphone_knew_is_read_from_a_heic():
    camera = process(heic(exif=iphone_exif())).camera

    assert camera.camera_model == "iPhone 15 Pro"
    assert camera.taken_at.isoformat() == "2025-08-15T18:42:07+08:00"


def test_a_truncated_heic_is_refused_as_damaged_not_as_unsupported():
    data = heic(800, 600)

    with pytest.raises(ImageRejected) as caught:
        process(data[: len(data) // 2])

    assert caught.value.code in {"truncated", "corrupt"}


def test_a_heif_header_with_garbage_after_it_is_damaged():
    data = heic()[:40] + bytes(range(256)) * 8

    with pytest.raises(ImageRejected) as caught:
        process(data)

    assert caught.value.code in {"truncated", "corrupt"}


@pytest.mark.parametrize(
    ("declared", "detected", "same"),
    [
        ("image/heic", "image/heic", True),
        ("image/heif", "image/heic", True),
        ("image/heic", "image/heif", True),
        ("image/jpeg", "image/heic", False),
        ("image/heic", "image/jpeg", False),
    ],
)
def test_heic_and_heif_are_one_family_of_content_types(declared, detected, same):
    assert images.same_content_type(declared, detected) is same


# --- every upload path ---------------------------------------------------------------------------


def test_publishing_a_heic_keeps_the_original_and_shows_jpegs(make_photo, aws_stack):
    data = heic(exif=iphone_exif())

    photo = make_photo("Shanghai", data=data, filename="IMG_4242.HEIC")

    stored = Photo.get(photo.photo_id)
    assert stored.content_type == "image/heic"
    assert stored.original_key.endswith("/original.heic")
    assert stored.original_filename == "IMG_4242.HEIC"
    s3 = aws.client("s3")
    original = s3.get_object(Bucket=aws_stack.bucket, Key=stored.original_key)
    assert original["Body"].read() == data
    assert original["ContentType"] == "image/heic"
    for key in (stored.grid_key, stored.display_key, stored.full_key):
        answer = s3.get_object(Bucket=aws_stack.bucket, Key=key)
        assert answer["ContentType"] == "image/jpeg"
        assert Image.open(io.BytesIO(answer["Body"].read())).format == "JPEG"


def test_the_upload_form_takes_a_heic(alice_client):
    upload = SimpleUploadedFile("IMG_0001.heic", heic(), content_type="application/octet-stream")

    response = alice_client.post(reverse("gallery:upload"), {"files": [upload], "name": ""})

    assert response.status_code == 302
    photo = Photo.get(response.url.rstrip("/").rsplit("/", 1)[-1])
    assert (photo.name, photo.content_type) == ("IMG_0001", "image/heic")


def test_the_upload_form_offers_heic_files():
    from gallery.forms import UploadForm

    accept = UploadForm().fields["files"].widget.attrs["accept"]

    assert "image/heic" in accept and ".heic" in accept and "image/heif" in accept


@pytest.mark.parametrize("declared", ["image/heic", "image/heif"])
def test_a_browser_direct_upload_of_a_heic_is_signed_sent_and_published(aws_stack, declared):
    data = heic()
    credentials = identity_credentials(user_key="sub-alice", id_token="alice-id-token")
    ticket = services.upload_start(
        owner_sub="sub-alice",
        owner_name="Alice",
        name="From the phone",
        content_type=declared,
        size=len(data),
        uploader_ip="198.51.100.4",
        credentials=credentials,
        filename="IMG_0002.HEIC",
    )
    assert ticket.fields["Content-Type"] == declared
    assert ticket.photo.original_key.endswith("." + declared.split("/")[1])

    answer = requests.post(
        ticket.url, data=ticket.fields, files={"file": ("IMG.HEIC", data, declared)}, timeout=10
    )
    assert answer.status_code in (200, 201, 204)
    photo = services.upload_complete(photo_id=ticket.photo.photo_id, owner_sub="sub-alice")

    assert photo.is_visible
    assert photo.content_type == "image/heic"
    assert photo.original_filename == "IMG_0002.HEIC"


def test_a_jpeg_declared_as_heic_is_refused(aws_stack):
    from .conftest import jpeg

    data = jpeg()
    credentials = identity_credentials(user_key="sub-alice", id_token="alice-id-token")
    ticket = services.upload_start(
        owner_sub="sub-alice",
        owner_name="Alice",
        name="Not what it says",
        content_type="image/heic",
        size=len(data),
        uploader_ip="198.51.100.4",
        credentials=credentials,
    )
    requests.post(
        ticket.url, data=ticket.fields, files={"file": ("x", data, "image/heic")}, timeout=10
    )

    with pytest.raises(ImageRejected) as caught:
        services.upload_complete(photo_id=ticket.photo.photo_id, owner_sub="sub-alice")

    assert caught.value.code == "type_mismatch"


def test_the_api_starts_a_heic_direct_upload(client, aws_stack):
    user = api_user(aws_stack, "heic-api@example.com")
    data = heic()

    response = client.post(
        "/api/uploads",
        {"name": "API HEIC", "content_type": "image/heic", "size": len(data), "filename": "a.heic"},
        content_type="application/json",
        **user.bearer,
    )

    assert response.status_code == 201, response.content
    ticket = response.json()
    assert ticket["fields"]["Content-Type"] == "image/heic"
    sent = requests.post(
        ticket["url"], data=ticket["fields"], files={"file": ("a.heic", data)}, timeout=10
    )
    assert sent.status_code in (200, 201, 204)
    done = client.post(ticket["complete_url"], **user.bearer)
    assert done.status_code == 200, done.content
    assert done.json()["content_type"] == "image/heic"


def test_the_presign_view_passes_the_file_name_on(alice_client, aws_stack, settings):
    from accounts import sessions
    from accounts.cognito import Tokens

    session = alice_client.session
    sessions.tokens_store(
        session=session,
        tokens=Tokens(
            id_token="alice-id-token", access_token="a", refresh_token="r", expires_in=3600
        ),
        username="sub-alice",
    )
    session.save()

    response = alice_client.post(
        reverse("gallery:upload_presign"),
        {"name": "x", "content_type": "image/heic", "size": 1000, "filename": "IMG_9.HEIC"},
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    assert Photo.get(response.json()["photo_id"]).original_filename == "IMG_9.HEIC"
