"""gallery.exif: what the camera knew, read from real JPEGs written with Pillow's EXIF writer,
and never a failed upload for bad EXIF (garbage values, absurd dates, huge strings)."""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime, timedelta, timezone
from fractions import Fraction

import pytest
from PIL import ExifTags, Image, TiffImagePlugin

from gallery import exif, images
from gallery.exif import CameraFacts

TAG = ExifTags.Base
UPLOADED = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def exif_jpeg(main: dict | None = None, sub: dict | None = None, gps: dict | None = None) -> bytes:
    """Return a small real JPEG carrying these IFD0, Exif-IFD and GPS-IFD tags."""
    block = Image.Exif()
    for tag, value in (main or {}).items():
        block[tag] = value
    if sub:
        ifd = block.get_ifd(ExifTags.IFD.Exif)
        ifd.update(sub)
    if gps:
        ifd = block.get_ifd(ExifTags.IFD.GPSInfo)
        ifd.update(gps)
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (90, 120, 200)).save(out, "JPEG", exif=block.tobytes())
    return out.getvalue()


def facts_of(data: bytes) -> CameraFacts:
    return images.process_image(
        data, max_bytes=10**7, max_pixels=10**7, sizes={}, taken_not_after=UPLOADED
    ).camera


def rational(value: float | Fraction) -> TiffImagePlugin.IFDRational:
    return TiffImagePlugin.IFDRational(Fraction(value).limit_denominator(100000))


A_CAMERA = {TAG.Make: "FUJIFILM", TAG.Model: "X-T5"}
AN_EXPOSURE = {
    TAG.DateTimeOriginal: "2024:05:01 09:30:15",
    TAG.OffsetTimeOriginal: "+02:00",
    TAG.ExposureTime: rational(Fraction(1, 250)),
    TAG.FNumber: rational(2.8),
    TAG.ISOSpeedRatings: 400,
    TAG.FocalLength: rational(35),
    TAG.LensMake: "FUJIFILM",
    TAG.LensModel: "XF35mmF1.4 R",
}


def test_a_camera_jpeg_gives_date_taken_with_its_offset_camera_lens_and_exposure():
    facts = facts_of(exif_jpeg(A_CAMERA, AN_EXPOSURE))

    assert facts.taken_at == datetime(2024, 5, 1, 9, 30, 15, tzinfo=timezone(timedelta(hours=2)))
    assert facts.camera_make == "FUJIFILM"
    assert facts.camera_model == "X-T5"
    assert facts.lens == "FUJIFILM XF35mmF1.4 R"
    assert facts.exposure_seconds == pytest.approx(1 / 250)
    assert facts.f_number == pytest.approx(2.8)
    assert facts.iso == 400
    assert facts.focal_length_mm == pytest.approx(35)


def test_without_an_offset_the_date_taken_is_local_time_in_an_unknown_zone():
    facts = facts_of(exif_jpeg(sub={TAG.DateTimeOriginal: "2023:12:31 23:59:59"}))

    assert facts.taken_at == datetime(2023, 12, 31, 23, 59, 59)
    assert facts.taken_at.tzinfo is None
    # For ordering it is read as if it were UTC.
    assert exif.taken_instant(facts.taken_at) == datetime(2023, 12, 31, 23, 59, 59, tzinfo=UTC)


def test_a_negative_offset_orders_by_its_utc_instant():
    facts = facts_of(
        exif_jpeg(
            sub={TAG.DateTimeOriginal: "2024:01:01 20:00:00", TAG.OffsetTimeOriginal: "-05:00"}
        )
    )

    assert exif.taken_instant(facts.taken_at) == datetime(2024, 1, 2, 1, 0, tzinfo=UTC)


def test_a_lens_make_is_prefixed_when_the_model_does_not_name_it():
    facts = facts_of(exif_jpeg(sub={TAG.LensMake: "Sigma", TAG.LensModel: "35mm F1.4 DG"}))

    assert facts.lens == "Sigma 35mm F1.4 DG"


def test_a_photo_without_exif_has_no_facts():
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "PNG")

    assert facts_of(out.getvalue()) == CameraFacts()


@pytest.mark.parametrize(
    "stamp",
    [
        "0000:00:00 00:00:00",  # a camera whose clock was never set
        "1200:01:01 00:00:00",  # before photography
        "9999:12:31 23:59:59",  # the far future
        "2026:12:25 10:00:00",  # after the upload, by more than a day of clock slack
        "2024:02:30 10:00:00",  # no such day
        "2024:13:01 10:00:00",  # no such month
        "2024:01:01 25:61:00",  # no such time
        "yesterday",
        "    :  :     :  :  ",
        "",
    ],
)
def test_an_absurd_or_malformed_date_taken_is_ignored(stamp):
    facts = facts_of(exif_jpeg(A_CAMERA, {TAG.DateTimeOriginal: stamp}))

    assert facts.taken_at is None
    assert facts.camera_model == "X-T5"  # the rest is still read


@pytest.mark.parametrize("offset", ["+25:00", "+02:07", "02:00", "Z", "+2", "\x00\x00"])
def test_a_malformed_offset_leaves_the_time_zoneless(offset):
    facts = facts_of(
        exif_jpeg(sub={TAG.DateTimeOriginal: "2024:05:01 09:30:15", TAG.OffsetTimeOriginal: offset})
    )

    assert facts.taken_at == datetime(2024, 5, 1, 9, 30, 15)


def test_a_date_within_a_day_after_the_upload_is_a_camera_clock_ahead_and_kept():
    stamp = (UPLOADED + timedelta(hours=20)).strftime("%Y:%m:%d %H:%M:%S")

    assert facts_of(exif_jpeg(sub={TAG.DateTimeOriginal: stamp})).taken_at is not None


def test_huge_strings_are_cut_and_control_characters_dropped():
    facts = facts_of(
        exif_jpeg({TAG.Make: "Canon\x00\x00\x00", TAG.Model: "EOS\x1b[31m R5 " + "x" * 10_000})
    )

    assert facts.camera_make == "Canon"
    assert len(facts.camera_model) <= exif.TEXT_MAX_CHARS
    assert facts.camera_model.startswith("EOS[31m R5 x")
    assert "\x1b" not in facts.camera_model


@pytest.mark.parametrize(
    ("tag", "value"),
    [
        (TAG.ExposureTime, rational(0)),  # 0 s
        (TAG.ExposureTime, TiffImagePlugin.IFDRational(1, 0)),  # a zero denominator: NaN
        (TAG.ExposureTime, rational(10**6)),  # 11 days
        (TAG.FNumber, rational(0)),
        (TAG.FNumber, rational(100000)),
        (TAG.ISOSpeedRatings, 0),
        (TAG.ISOSpeedRatings, 4_000_000_000),
        (TAG.FocalLength, rational(0)),
        (TAG.FocalLength, rational(10**6)),
        (TAG.ExposureTime, "fast"),
        (TAG.FNumber, b"\xff\xfe"),
    ],
)
def test_an_absurd_or_mistyped_exposure_value_is_ignored(tag, value):
    facts = facts_of(exif_jpeg(A_CAMERA, {tag: value}))

    assert (facts.exposure_seconds, facts.f_number, facts.iso, facts.focal_length_mm) == (
        None,
        None,
        None,
        None,
    )
    assert facts.camera_make == "FUJIFILM"


def test_mistyped_text_tags_are_ignored():
    # Pillow's writer coerces types, so the block is built in memory, as a decoder could hand it.
    block = Image.Exif()
    block[TAG.Make] = 12345
    block[TAG.Model] = rational(2)
    block.get_ifd(ExifTags.IFD.Exif)[TAG.LensModel] = (7, 8)

    facts = exif.camera_facts_of_exif(block)

    assert (facts.camera_make, facts.camera_model, facts.lens) == (None, None, None)


def test_a_broken_exif_block_never_fails_the_upload():
    """Random garbage in the APP1 segment after the Exif header: the photo is still accepted."""
    rng = random.Random(14)
    plain = io.BytesIO()
    Image.new("RGB", (16, 16), (1, 2, 3)).save(plain, "JPEG")
    body = plain.getvalue()
    for _ in range(200):
        payload = (
            b"Exif\x00\x00"
            + rng.choice([b"II*\x00", b"MM\x00*", b""])
            + rng.randbytes(rng.randrange(0, 600))
        )
        segment = b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload
        data = body[:2] + segment + body[2:]

        processed = images.process_image(
            data, max_bytes=10**7, max_pixels=10**7, sizes={"grid": 8}, taken_not_after=UPLOADED
        )

        assert processed.info.width == 16
        assert isinstance(processed.camera, CameraFacts)


def test_fuzzed_tag_values_never_raise():
    """Every tag the site reads, set to values of every wrong type and size."""
    rng = random.Random(29)
    garbage = [
        None,
        -1,
        0,
        2**31 - 1,
        "",
        "\x00" * 50,
        "雪" * 500,
        b"\x00\xff" * 40,
        rational(Fraction(1, 3)),
        TiffImagePlugin.IFDRational(0, 0),
        (1, 2, 3),
        (rational(1), rational(0)),
        3.5,
    ]
    sub_tags = [
        TAG.DateTimeOriginal,
        TAG.OffsetTimeOriginal,
        TAG.ExposureTime,
        TAG.FNumber,
        TAG.ISOSpeedRatings,
        TAG.FocalLength,
        TAG.LensMake,
        TAG.LensModel,
    ]
    made = 0
    for _ in range(60):
        sub = {tag: rng.choice(garbage) for tag in rng.sample(sub_tags, 4)}
        sub = {tag: value for tag, value in sub.items() if value is not None}
        main = {TAG.Make: rng.choice(garbage[4:8]), TAG.Model: rng.choice(garbage[4:8])}
        try:
            data = exif_jpeg(main, sub)
        except (AttributeError, TypeError, ValueError, OverflowError, KeyError, ZeroDivisionError):
            continue  # Pillow's writer refused this combination: nothing to read
        made += 1
        facts = facts_of(data)
        for text in (facts.camera_make, facts.camera_model, facts.lens):
            assert text is None or (0 < len(text) <= exif.TEXT_MAX_CHARS and "\x00" not in text)
    assert made >= 20  # the fuzzing really reached the reader


def test_a_lens_model_that_names_its_make_is_not_prefixed_twice():
    facts = facts_of(exif_jpeg(sub={TAG.LensMake: "Canon", TAG.LensModel: "Canon RF 50mm"}))

    assert facts.lens == "Canon RF 50mm"
