"""Originals and full size: the owner downloads the original (GPS and all) as an attachment
under its own name; everyone else gets a full-resolution copy without any EXIF (no GPS),
served like the display derivatives (stable presigned URLs, the same Cache-Control)."""

from __future__ import annotations

import io
from urllib.parse import unquote

import pytest
import requests
from django.test import Client
from django.urls import reverse
from PIL import ExifTags, Image

from core import aws
from gallery import images, storage
from gallery.services import originals
from tests.accounts.users import sign_in

from .conftest import jpeg

TAG = ExifTags.Base


def gps_jpeg(width: int = 1200, height: int = 800, *, orientation: int = 1) -> bytes:
    """A real camera-like JPEG: GPS position, camera fields and an orientation."""
    block = Image.Exif()
    block[TAG.Make] = "Canon"
    block[TAG.Model] = "Canon EOS R6"
    block[TAG.Orientation] = orientation
    block.get_ifd(ExifTags.IFD.Exif)[TAG.DateTimeOriginal] = "2024:07:01 12:00:00"
    gps = block.get_ifd(ExifTags.IFD.GPSInfo)
    gps[1], gps[2], gps[3], gps[4] = "N", (48.0, 51.0, 29.0), "E", (2.0, 17.0, 40.0)
    return jpeg(width, height, exif=block.tobytes())


def fetch(url: str) -> requests.Response:
    answer = requests.get(url, timeout=10)
    assert answer.status_code == 200, answer.text[:200]
    return answer


def test_the_test_file_really_carries_gps():
    assert Image.open(io.BytesIO(gps_jpeg())).getexif().get_ifd(ExifTags.IFD.GPSInfo)


def test_the_full_size_copy_served_to_visitors_has_full_resolution_and_no_gps(client, make_photo):
    photo = make_photo("Paris", data=gps_jpeg(1200, 800, orientation=6))

    page = client.get(reverse("gallery:photo_detail", args=[photo.photo_id])).content.decode()
    full_url = page.split('class="photo-open" href="')[1].split('"')[0].replace("&amp;", "&")
    served = Image.open(io.BytesIO(fetch(full_url).content))

    assert served.format == "JPEG"
    assert served.size == (800, 1200)  # every pixel, the orientation applied
    exif = served.getexif()
    assert dict(exif.get_ifd(ExifTags.IFD.GPSInfo)) == {}
    assert TAG.GPSInfo not in exif
    assert len(exif) == 0  # no EXIF at all: no camera serials, no orientation to apply twice
    assert "exif" not in served.info and "xmp" not in served.info


def test_no_derivative_anyone_else_sees_carries_gps(make_photo, aws_stack):
    photo = make_photo("Paris", data=gps_jpeg())

    for key in (photo.grid_key, photo.display_key, photo.full_key):
        body = aws.client("s3").get_object(Bucket=aws_stack.bucket, Key=key)["Body"].read()
        assert len(Image.open(io.BytesIO(body)).getexif()) == 0, key


def test_the_full_size_copy_is_cached_like_the_display_copy(make_photo, aws_stack):
    photo = make_photo("Paris", data=gps_jpeg())
    s3 = aws.client("s3")

    full = s3.head_object(Bucket=aws_stack.bucket, Key=photo.full_key)
    display = s3.head_object(Bucket=aws_stack.bucket, Key=photo.display_key)

    assert full["CacheControl"] == display["CacheControl"] == storage.cache_control()
    assert full["ContentType"] == "image/jpeg"
    # The URL is stable within its signing window, so the browser's cache hits.
    assert originals.full_size_url(photo) == originals.full_size_url(photo)
    assert "X-Amz-Signature=" in originals.full_size_url(photo)


def test_a_photo_from_before_full_size_copies_offers_its_display_copy(make_photo):
    photo = make_photo("Old", data=jpeg())
    photo.full_key = None

    assert originals.full_size_key(photo) == photo.display_key


def test_a_huge_jpeg_gets_its_full_size_copy_at_half_scale_within_the_budget():
    data = jpeg(2000, 1000)
    budget = images.decode_cost(mode="RGB", width=1000, height=500)

    processed = images.process_image(
        data,
        max_bytes=10**8,
        max_pixels=10**8,
        sizes={"grid": 100},
        max_decode_bytes=budget,
        full_max_decode_bytes=budget,
    )

    assert (
        processed.derivatives[images.FULL].width,
        processed.derivatives[images.FULL].height,
    ) == (
        1000,
        500,
    )


# --- the owner's original -------------------------------------------------------------------------


def test_the_owner_downloads_the_original_as_an_attachment_under_its_own_name(
    alice_client, make_photo
):
    data = gps_jpeg()
    photo = make_photo("Paris", data=data, filename="IMG_0001.JPG")

    response = alice_client.get(reverse("gallery:photo_original", args=[photo.photo_id]))

    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    assert "X-Amz-Expires=60" in response.url  # a minute, not the pages' five
    answer = fetch(response.url)
    assert answer.content == data  # untouched: GPS and all, it is the owner's own
    assert answer.headers["Content-Disposition"] == 'attachment; filename="IMG_0001.JPG"'
    assert answer.headers["Cache-Control"] == "private, no-store"


def test_a_name_that_is_not_ascii_is_kept_in_the_download(alice_client, make_photo):
    photo = make_photo("海边", data=jpeg(), filename="海边 日落.jpg")

    response = alice_client.get(reverse("gallery:photo_original", args=[photo.photo_id]))

    disposition = fetch(response.url).headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert unquote(disposition.split("''", 1)[1]) == "海边 日落.jpg"


def test_without_a_file_name_the_download_is_named_after_the_photo(alice_client, make_photo):
    photo = make_photo("Sunset", data=jpeg())

    response = alice_client.get(reverse("gallery:photo_original", args=[photo.photo_id]))

    assert fetch(response.url).headers["Content-Disposition"] == (
        'attachment; filename="Sunset.jpg"'
    )


def test_nobody_else_gets_the_original(make_photo, bob, moderator):
    photo = make_photo("Paris", data=gps_jpeg())
    url = reverse("gallery:photo_original", args=[photo.photo_id])
    other, mod, visitor = Client(), Client(), Client()
    sign_in(other, bob)
    sign_in(mod, moderator)

    assert other.get(url).status_code == 404
    assert mod.get(url).status_code == 404  # moderators see the photo, not the owner's file
    assert visitor.get(url).status_code == 302  # to sign in
    assert "/accounts/" in visitor.get(url).url or "login" in visitor.get(url).url


def test_the_download_link_is_shown_to_the_owner_only(alice_client, make_photo):
    photo = make_photo("Paris", data=gps_jpeg())
    detail = reverse("gallery:photo_detail", args=[photo.photo_id])
    link = reverse("gallery:photo_original", args=[photo.photo_id])

    assert link in alice_client.get(detail).content.decode()
    assert link not in Client().get(detail).content.decode()


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("IMG_0001.JPG", "IMG_0001.JPG"),
        ("C:\\Users\\me\\Pictures\\IMG_2.heic", "IMG_2.heic"),
        ("../../etc/passwd", "passwd"),
        ("evil\x00name\r\n.jpg", "evilname.jpg"),
        ("", None),
        ("..", None),
        ("a" * 300 + ".jpeg", "a" * 195 + ".jpeg"),  # 200 characters, the extension kept
    ],
)
def test_an_uploaded_file_name_is_cleaned(given, kept):
    assert originals.original_filename_clean(given) == kept


def test_the_api_gives_everyone_the_full_size_and_the_owner_the_original(
    alice_client, make_photo, bob
):
    data = gps_jpeg()
    photo = make_photo("Paris", data=data, filename="P.jpg")
    other = Client()
    sign_in(other, bob)

    mine = alice_client.get(f"/api/photos/{photo.photo_id}").json()
    theirs = other.get(f"/api/photos/{photo.photo_id}").json()

    assert "X-Amz-Signature=" in mine["full_url"] and mine["full_url"] == theirs["full_url"]
    assert mine["original_download_url"].endswith(f"/api/photos/{photo.photo_id}/original")
    assert theirs["original_download_url"] is None
    original = alice_client.get(f"/api/photos/{photo.photo_id}/original").json()
    assert original["filename"] == "P.jpg" and original["expires_in"] == 60
    assert fetch(original["url"]).content == data
    assert other.get(f"/api/photos/{photo.photo_id}/original").status_code == 404
