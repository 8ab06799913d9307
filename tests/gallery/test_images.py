"""Upload validation and derivatives: what is accepted, what is rejected, what leaves the site.

Every test image is generated here with Pillow (or, for decompression bombs, hand-assembled PNG
chunks), so no binary fixtures are committed. Nothing here needs Django settings or AWS.
"""

import hashlib
import io
import pickle
import struct
import warnings
import zipfile
import zlib

import pytest
from PIL import ExifTags, Image, ImageCms, ImageFile, ImageOps, JpegImagePlugin, features

from gallery.images import (
    DEFAULT_SIZES,
    Derivative,
    ImageInfo,
    ImageRejected,
    decode_cost,
    inspect_image,
    make_derivatives,
    process_image,
)
from tests.gallery.conftest import png_bomb

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 50_000_000
SIZES = {"grid": 400, "display": 1600}
LIMITS = {"max_bytes": MAX_BYTES, "max_pixels": MAX_PIXELS}

RED = (255, 0, 0)
GREEN = (0, 255, 0)
BLUE = (0, 0, 255)
YELLOW = (255, 255, 0)
WHITE = (255, 255, 255)


# --- image factories ----------------------------------------------------------------------


def encode(im: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, fmt, **params)
    return buffer.getvalue()


def photo(width: int = 600, height: int = 400) -> Image.Image:
    """Return a gradient with noise, so encoders cannot make it trivially small."""
    gradient = Image.linear_gradient("L").resize((width, height))
    noise = Image.effect_noise((width, height), 40)
    return Image.merge("RGB", (gradient, noise, gradient.transpose(Image.Transpose.ROTATE_180)))


def jpeg(width: int = 600, height: int = 400, **params) -> bytes:
    return encode(photo(width, height), "JPEG", **params)


def quadrants(width: int = 400, height: int = 200) -> Image.Image:
    """Return red, green / blue, yellow quadrants (top-left, top-right / bottom-left, -right)."""
    im = Image.new("RGB", (width, height))
    w, h = width // 2, height // 2
    im.paste(RED, (0, 0, w, h))
    im.paste(GREEN, (w, 0, width, h))
    im.paste(BLUE, (0, h, w, height))
    im.paste(YELLOW, (w, h, width, height))
    return im


def corner_colours(im: Image.Image) -> list[tuple[int, ...]]:
    rgb = im.convert("RGB")
    w, h = rgb.size
    points = [
        (w // 4, h // 4),
        (3 * w // 4, h // 4),
        (w // 4, 3 * h // 4),
        (3 * w // 4, 3 * h // 4),
    ]
    return [nearest_primary(rgb.getpixel(p)) for p in points]


def nearest_primary(pixel) -> tuple[int, ...]:
    return min(
        (RED, GREEN, BLUE, YELLOW, WHITE),
        key=lambda c: sum((a - b) ** 2 for a, b in zip(c, pixel, strict=True)),
    )


def close_to(pixel, expected, tolerance: int = 24) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=True))


def png_chunk(tag: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))


def bilevel_png(width: int, height: int) -> bytes:
    """Return a real, decodable all-black 1-bit PNG; huge sizes compress to ~0.1% (a bomb)."""
    row = bytes(1 + (width + 7) // 8)
    rows_per_block = max(1, (1 << 22) // len(row))
    compressor = zlib.compressobj(6)
    parts = []
    left = height
    while left:
        n = min(left, rows_per_block)
        parts.append(compressor.compress(row * n))
        left -= n
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", b"".join(parts))
        + png_chunk(b"IEND", b"")
    )


def jpeg_declaring(width: int, height: int) -> bytes:
    """Return a small baseline JPEG whose SOF0 header claims the given size."""
    data = bytearray(jpeg(16, 16))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestCam"
    exif[ExifTags.Base.Model] = "Location Leaker 3000"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (52.0, 31.0, 12.5),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (13.0, 24.0, 36.0),
    }
    return exif


XMP_WITH_GPS = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    b'exif:GPSLatitude="52,31.2N" exif:GPSLongitude="13,24.6E"/></rdf:RDF></x:xmpmeta>'
)
SECRET_COMMENT = b"home-address-42-secret-street"


def exif_with_orientation(orientation: int) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    return exif


class Stream(io.RawIOBase):
    """A non-seekable upload stream, like an S3 response body; counts bytes handed out."""

    def __init__(self, data: bytes) -> None:
        self._buffer = io.BytesIO(data)
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, b) -> int:
        n = self._buffer.readinto(b)
        self.consumed += n
        return n


def inspect(data, **limits) -> ImageInfo:
    return inspect_image(
        data,
        max_bytes=limits.get("max_bytes", MAX_BYTES),
        max_pixels=limits.get("max_pixels", MAX_PIXELS),
    )


def rejected(data, **limits) -> ImageRejected:
    with pytest.raises(ImageRejected) as caught:
        inspect(data, **limits)
    return caught.value


def opened(derivative: Derivative) -> Image.Image:
    im = Image.open(io.BytesIO(derivative.data))
    im.load()
    return im


@pytest.fixture
def no_pixel_decoding(monkeypatch):
    """Fail the test if any image is decoded (pixels allocated) after this point."""

    def refuse(self):
        raise AssertionError(f"decoded pixels of a {self.size} {self.format} image")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


# --- accepted formats ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "params", "content_type", "extension"),
    [
        ("JPEG", {}, "image/jpeg", ".jpg"),
        ("JPEG", {"progressive": True}, "image/jpeg", ".jpg"),
        ("PNG", {}, "image/png", ".png"),
        ("WEBP", {"quality": 80}, "image/webp", ".webp"),
        ("WEBP", {"lossless": True}, "image/webp", ".webp"),
    ],
)
def test_valid_images_are_accepted_with_type_dimensions_and_hash(
    fmt, params, content_type, extension
):
    data = encode(photo(640, 360), fmt, **params)

    info = inspect(data)

    assert info == ImageInfo(
        format=fmt,
        content_type=content_type,
        extension=extension,
        width=640,
        height=360,
        byte_size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def test_file_objects_are_read_from_the_start(tmp_path):
    data = jpeg(320, 240)
    path = tmp_path / "upload.bin"
    path.write_bytes(data)
    moved = io.BytesIO(data)
    moved.seek(100)

    with path.open("rb") as fp:
        from_file = inspect(fp)
    from_buffer = inspect(moved)
    from_stream = inspect(Stream(data))

    assert from_file == from_buffer == from_stream == inspect(data)
    assert from_file.sha256 == hashlib.sha256(data).hexdigest()


def test_mpo_from_a_camera_is_a_jpeg_using_its_primary_image():
    primary, depth_map = photo(300, 200), Image.new("RGB", (150, 100), BLUE)
    data = encode(primary, "MPO", save_all=True, append_images=[depth_map])

    result = process_image(data, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS, sizes={"grid": 400})

    assert (result.info.format, result.info.content_type) == ("JPEG", "image/jpeg")
    assert (result.info.width, result.info.height) == (300, 200)
    assert (result.derivatives["grid"].width, result.derivatives["grid"].height) == (300, 200)


def test_bilevel_and_16_bit_greyscale_pngs_are_accepted():
    grey16 = Image.linear_gradient("L").resize((256, 64)).point(lambda v: v * 257, "I")
    grey16_png = encode(grey16.convert("I;16"), "PNG")

    assert inspect(bilevel_png(64, 32)).format == "PNG"
    grid = make_derivatives(grey16_png, sizes={"grid": 128})["grid"]
    low, high = opened(grid).convert("L").getextrema()
    assert low < 20 and high > 235  # scaled down from 16 bits, not clipped to white


# --- rejected input -----------------------------------------------------------------------


def test_empty_file_is_rejected():
    error = rejected(b"")

    assert error.code == "empty"
    assert rejected(io.BytesIO()).code == "empty"


def test_file_over_max_bytes_is_rejected_and_limit_is_inclusive():
    data = jpeg(200, 100)

    assert inspect(data, max_bytes=len(data)).byte_size == len(data)
    error = rejected(data, max_bytes=len(data) - 1)
    assert error.code == "too_large"
    assert "limit" in error.message


def test_stream_over_max_bytes_is_not_read_past_the_limit():
    stream = Stream(jpeg(600, 400) + bytes(5 * 1024 * 1024))

    error = rejected(stream, max_bytes=1024 * 1024)

    assert error.code == "too_large"
    assert stream.consumed == 1024 * 1024 + 1


@pytest.mark.parametrize(
    "data",
    [
        b"Just some text, definitely not a photo.\n",
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(document.cookie)</script></svg>",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b"<!doctype html><html><body><script>alert(1)</script></body></html>",
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
        bytes(64),
    ],
    ids=["text", "svg-script", "svg-onload", "html", "pdf", "zeros"],
)
def test_non_images_are_rejected(data):
    error = rejected(data)

    assert error.code == "not_an_image"
    assert "JPEG, PNG, WebP or HEIC" in error.message


def test_file_named_jpg_is_judged_by_content_not_name(tmp_path):
    path = tmp_path / "holiday.jpg"
    path.write_text("<html><script>alert(1)</script></html>")

    with path.open("rb") as fp:
        assert rejected(fp).code == "not_an_image"


def test_zip_archive_is_not_an_image():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.html", "<script>alert(1)</script>")

    assert rejected(buffer.getvalue()).code == "not_an_image"


UNSUPPORTED = [
    ("GIF", {}, "GIF"),
    ("BMP", {}, "BMP"),
    ("TIFF", {}, "TIFF"),
    ("ICO", {}, "ICO"),
    pytest.param(
        "JPEG2000",
        {},
        "JPEG 2000",
        marks=pytest.mark.skipif(not features.check("jpg_2000"), reason="no OpenJPEG"),
    ),
    pytest.param(
        "AVIF",
        {},
        "AVIF",
        marks=pytest.mark.skipif(not features.check("avif"), reason="no AVIF codec"),
    ),
]


@pytest.mark.parametrize(("fmt", "params", "name"), UNSUPPORTED)
def test_other_image_formats_are_rejected_by_name(fmt, params, name):
    data = encode(photo(64, 48), fmt, **params)

    error = rejected(data)

    assert error.code == "unsupported_format"
    assert error.message.startswith(f"{name} images are not supported")


@pytest.mark.parametrize("progressive", [False, True])
def test_truncated_jpeg_is_rejected(progressive):
    data = jpeg(600, 400, progressive=progressive)
    cut = data[: len(data) * 2 // 3]

    assert rejected(cut).code == "truncated"
    with pytest.raises(ImageRejected) as caught:
        make_derivatives(cut, sizes=SIZES)  # the reduced-scale decode catches it too
    assert caught.value.code == "truncated"


def test_truncated_png_is_rejected():
    data = encode(photo(300, 200), "PNG")

    assert rejected(data[: len(data) // 2]).code == "truncated"


def test_truncated_webp_is_rejected():
    data = encode(photo(300, 200), "WEBP")

    assert rejected(data[: len(data) // 2]).code in {"truncated", "corrupt"}


def test_jpeg_with_a_garbage_header_is_corrupt():
    data = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4

    assert rejected(data).code == "corrupt"


# --- decompression bombs: judged from the header, before any pixel is decoded --------------


def test_png_bomb_beyond_pillows_hard_limit_is_rejected_before_decoding(no_pixel_decoding):
    bomb = bilevel_png(30_000, 30_000)  # 900 megapixels in about 100 KB
    assert len(bomb) < 200_000

    error = rejected(bomb)

    assert error.code == "too_many_pixels"
    with pytest.raises(ImageRejected):
        make_derivatives(bomb, sizes=SIZES)


def test_png_under_pillows_limit_but_over_ours_is_rejected_before_decoding(no_pixel_decoding):
    error = rejected(bilevel_png(8_000, 8_000), max_pixels=MAX_PIXELS)

    assert error.code == "too_many_pixels"
    assert "8000x8000" in error.message
    assert "50 megapixels" in error.message


def test_pillows_bomb_warning_is_handled_without_global_state(no_pixel_decoding):
    bomb = bilevel_png(10_000, 10_000)  # between Pillow's warning and error thresholds
    limit_before = Image.MAX_IMAGE_PIXELS

    with pytest.warns(Image.DecompressionBombWarning):
        assert rejected(bomb).code == "too_many_pixels"
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        assert rejected(bomb, max_pixels=200_000_000).code == "too_many_pixels"

    assert limit_before == Image.MAX_IMAGE_PIXELS
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_jpeg_header_claiming_huge_dimensions_is_rejected(no_pixel_decoding):
    assert rejected(jpeg_declaring(65_000, 65_000)).code == "too_many_pixels"
    assert rejected(jpeg_declaring(9_000, 7_000)).code == "too_many_pixels"


# --- decoding memory: the budget is checked from the header, after the JPEG draft -----------


def test_a_small_png_whose_decode_would_exceed_the_memory_budget_is_refused_undecoded(
    no_pixel_decoding,
):
    # 60 megapixels of RGB in under 200 KB: within the pixel limit, but Pillow would hold it
    # in 240 MB (4 bytes a pixel) before a single derivative is made.
    bomb = png_bomb(10_000, 6_000, rgb=True)
    assert len(bomb) < 250_000

    error = rejected(bomb, max_pixels=60_000_000)

    assert error.code == "too_many_pixels"
    assert "10000x6000" in error.message and "128 MB of memory" in error.message


def test_the_budget_charges_each_decoded_mode_what_it_costs():
    grey, colour = encode(Image.new("L", (200, 100), 9), "PNG"), encode(photo(200, 100), "PNG")
    budget = decode_cost(mode="L", width=200, height=100)
    assert decode_cost(mode="RGB", width=200, height=100) > budget

    assert process_image(grey, **LIMITS, sizes=SIZES, max_decode_bytes=budget).info.width == 200
    with pytest.raises(ImageRejected) as refused:
        process_image(colour, **LIMITS, sizes=SIZES, max_decode_bytes=budget)
    assert refused.value.code == "too_many_pixels"


def test_a_jpeg_is_charged_at_the_scale_its_draft_decodes():
    big = jpeg(4000, 3000)
    full = decode_cost(mode="RGB", width=4000, height=3000)

    processed = process_image(big, **LIMITS, sizes=SIZES, max_decode_bytes=full // 3)

    assert (processed.info.width, processed.derivatives["display"].width) == (4000, 1600)


# --- animation ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_animated_images_are_rejected(fmt):
    frames = [Image.new("RGB", (64, 64), colour) for colour in (RED, BLUE, GREEN)]
    data = encode(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100)

    error = rejected(data)

    assert error.code == "animated"


# --- orientation --------------------------------------------------------------------------


def test_orientation_6_reports_and_renders_portrait():
    data = encode(quadrants(400, 200), "JPEG", exif=exif_with_orientation(6))

    result = process_image(data, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS, sizes=SIZES)

    assert (result.info.width, result.info.height) == (200, 400)
    display = result.derivatives["display"]
    assert (display.width, display.height) == (200, 400)
    im = opened(display)
    assert im.size == (200, 400)
    # Rotated 90 degrees clockwise: the left column (red over blue) becomes the top row.
    assert corner_colours(im) == [BLUE, RED, YELLOW, GREEN]
    assert ExifTags.Base.Orientation not in im.getexif()


@pytest.mark.parametrize("orientation", range(1, 9))
@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_every_orientation_matches_pillows_exif_transpose(fmt, orientation):
    data = encode(quadrants(400, 200), fmt, exif=exif_with_orientation(orientation))
    with Image.open(io.BytesIO(data)) as source:
        expected = ImageOps.exif_transpose(source)

    result = process_image(data, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS, sizes={"g": 300})

    assert (result.info.width, result.info.height) == expected.size
    grid = opened(result.derivatives["g"])
    assert corner_colours(grid) == corner_colours(expected)


def test_every_derivative_of_a_large_rotated_photo_is_oriented():
    # Large enough that the grid is shrunk from the display rendition, not from the decode.
    data = encode(quadrants(4000, 2000), "JPEG", exif=exif_with_orientation(8))
    with Image.open(io.BytesIO(data)) as source:
        expected = corner_colours(ImageOps.exif_transpose(source))

    derivatives = make_derivatives(data, sizes=SIZES)

    assert {name: (d.width, d.height) for name, d in derivatives.items()} == {
        "grid": (200, 400),
        "display": (800, 1600),
    }
    for derivative in derivatives.values():
        assert corner_colours(opened(derivative)) == expected


def test_nonsense_orientation_is_ignored():
    data = encode(quadrants(400, 200), "JPEG", exif=exif_with_orientation(42))

    assert (inspect(data).width, inspect(data).height) == (400, 200)


# --- metadata: nothing that locates the photographer leaves the site ----------------------


@pytest.mark.parametrize(
    ("fmt", "params"),
    [
        ("JPEG", {"xmp": XMP_WITH_GPS, "comment": SECRET_COMMENT}),
        ("PNG", {}),
        ("WEBP", {"xmp": XMP_WITH_GPS}),
    ],
)
def test_derivatives_carry_no_gps_or_other_metadata(fmt, params):
    data = encode(photo(800, 600), fmt, exif=gps_exif(), **params)
    with Image.open(io.BytesIO(data)) as source:  # the upload really does hold a location
        assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)

    derivatives = make_derivatives(data, sizes=SIZES)

    assert set(derivatives) == set(SIZES)
    for derivative in derivatives.values():
        im = opened(derivative)
        exif = im.getexif()
        assert exif.get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert ExifTags.IFD.GPSInfo not in exif
        assert len(exif) == 0
        assert not {"exif", "xmp", "comment", "icc_profile"} & set(im.info)
        assert b"Exif\x00\x00" not in derivative.data
        assert b"Location Leaker" not in derivative.data
        assert b"ns.adobe.com" not in derivative.data
        assert SECRET_COMMENT not in derivative.data


def test_icc_profile_is_converted_to_srgb_and_dropped():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(Image.new("RGB", (500, 500), (200, 40, 40)), "JPEG", icc_profile=srgb)

    grid = opened(make_derivatives(data, sizes={"grid": 100})["grid"])

    assert "icc_profile" not in grid.info
    assert close_to(grid.getpixel((50, 50)), (200, 40, 40), tolerance=8)


def test_unusable_icc_profile_does_not_reject_the_photo():
    data = encode(photo(300, 200), "JPEG", icc_profile=b"not really an ICC profile" * 10)

    grid = opened(make_derivatives(data, sizes={"grid": 100})["grid"])

    assert grid.size == (100, 67)
    assert "icc_profile" not in grid.info


# --- derivatives --------------------------------------------------------------------------


def test_derivatives_are_progressive_jpegs_bounded_by_the_longest_edge():
    data = jpeg(3000, 2000)

    derivatives = make_derivatives(data, sizes=SIZES)

    assert {name: (d.width, d.height) for name, d in derivatives.items()} == {
        "grid": (400, 267),
        "display": (1600, 1067),
    }
    for derivative in derivatives.values():
        im = opened(derivative)
        assert im.format == "JPEG"
        assert derivative.content_type == "image/jpeg"
        assert im.size == (derivative.width, derivative.height)
        assert im.mode == "RGB"
        assert im.info.get("progressive") or im.info.get("progression")
        assert derivative.byte_size == len(derivative.data)


def test_portrait_derivative_is_bounded_by_its_height():
    derivatives = make_derivatives(jpeg(1000, 3000), sizes={"grid": 400})

    assert (derivatives["grid"].width, derivatives["grid"].height) == (133, 400)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_derivatives_never_upscale(fmt):
    data = encode(photo(300, 200), fmt)

    derivatives = make_derivatives(data, sizes=SIZES)

    for derivative in derivatives.values():
        assert (derivative.width, derivative.height) == (300, 200)
        assert opened(derivative).size == (300, 200)


def test_partly_small_image_is_shrunk_only_where_needed():
    derivatives = make_derivatives(encode(photo(1000, 500), "PNG"), sizes=SIZES)

    assert (derivatives["grid"].width, derivatives["grid"].height) == (400, 200)
    assert (derivatives["display"].width, derivatives["display"].height) == (1000, 500)


def test_extreme_panorama_keeps_at_least_one_pixel():
    derivatives = make_derivatives(jpeg(4000, 8), sizes={"grid": 400})

    assert (derivatives["grid"].width, derivatives["grid"].height) == (400, 1)


def test_jpeg_is_decoded_at_reduced_scale(monkeypatch):
    decoded_sizes = []
    original_draft = JpegImagePlugin.JpegImageFile.draft

    def spy(self, mode, size):
        result = original_draft(self, mode, size)
        decoded_sizes.append(self.size)
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)

    make_derivatives(jpeg(3200, 2400), sizes={"grid": 400})

    assert decoded_sizes == [(400, 300)]  # 1/8 scale, straight from the DCT


def test_rgba_png_transparency_is_composited_on_white():
    im = Image.new("RGBA", (400, 200), (0, 0, 0, 0))
    im.paste((255, 0, 0, 255), (200, 0, 400, 200))

    grid = opened(make_derivatives(encode(im, "PNG"), sizes={"grid": 200})["grid"])

    assert grid.mode == "RGB"
    assert close_to(grid.getpixel((20, 50)), WHITE)
    assert close_to(grid.getpixel((180, 50)), RED)


@pytest.mark.parametrize("mode", ["LA", "P", "PA-webp"])
def test_other_transparent_modes_are_composited_on_white(mode):
    if mode == "LA":
        im = Image.new("LA", (200, 100), (0, 0))
        im.paste((0, 255), (100, 0, 200, 100))
        data = encode(im, "PNG")
    elif mode == "P":
        im = Image.new("P", (200, 100), 0)
        im.putpalette([0, 0, 0, 0, 0, 0] + [0] * 762)
        im.paste(1, (100, 0, 200, 100))
        data = encode(im, "PNG", transparency=0)
    else:
        im = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
        im.paste((0, 0, 0, 255), (100, 0, 200, 100))
        data = encode(im, "WEBP", lossless=True)

    grid = opened(make_derivatives(data, sizes={"grid": 200})["grid"])

    assert close_to(grid.convert("RGB").getpixel((20, 50)), WHITE)
    assert close_to(grid.convert("RGB").getpixel((180, 50)), (0, 0, 0))


def test_cmyk_jpeg_is_converted_to_rgb():
    data = encode(Image.new("CMYK", (300, 200), (0, 255, 255, 0)), "JPEG")
    assert Image.open(io.BytesIO(data)).mode == "CMYK"

    result = process_image(data, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS, sizes={"grid": 150})

    assert result.info.content_type == "image/jpeg"
    grid = opened(result.derivatives["grid"])
    assert grid.mode == "RGB"
    assert close_to(grid.getpixel((75, 50)), RED)


def test_greyscale_jpeg_derivative_is_a_valid_jpeg():
    data = encode(photo(500, 300).convert("L"), "JPEG")

    grid = opened(make_derivatives(data, sizes={"grid": 250})["grid"])

    assert grid.mode in {"L", "RGB"}
    assert grid.size == (250, 150)


# --- polyglots: a valid image with a payload appended ------------------------------------


def zip_payload() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.html", "<script>alert(1)</script>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "payload",
    [zip_payload(), b"<html><body><script>alert(document.cookie)</script></body></html>"],
    ids=["zip", "html"],
)
@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_polyglot_is_accepted_but_derivatives_are_clean(fmt, payload):
    data = encode(photo(600, 400), fmt) + payload

    result = process_image(data, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS, sizes=SIZES)

    assert result.info.format == fmt
    assert result.info.byte_size == len(data)
    assert result.info.sha256 == hashlib.sha256(data).hexdigest()
    for derivative in result.derivatives.values():
        assert b"<script" not in derivative.data
        assert b"PK\x03\x04" not in derivative.data


def test_payload_before_the_image_is_not_an_image():
    data = b"<html><script>alert(1)</script></html>" + jpeg(100, 100)

    assert rejected(data).code == "not_an_image"


# --- the error type and arguments --------------------------------------------------------


def test_image_rejected_is_a_value_error_with_code_and_message():
    error = rejected(b"plain text")

    assert isinstance(error, ValueError)
    assert str(error) == error.message
    # Errors cross process and task-queue boundaries; this pickle is our own.
    restored = pickle.loads(pickle.dumps(error))  # noqa: S301
    assert (restored.code, restored.message) == (error.code, error.message)


@pytest.mark.parametrize("size", [0, -1, 1.5, "400", True])
def test_invalid_size_is_a_programming_error_not_a_rejection(size):
    with pytest.raises(ValueError, match="positive int") as caught:
        make_derivatives(jpeg(100, 100), sizes={"grid": size})

    assert not isinstance(caught.value, ImageRejected)


def test_default_sizes_are_grid_and_display():
    derivatives = make_derivatives(jpeg(2400, 1800), sizes=DEFAULT_SIZES)

    assert set(derivatives) == {"grid", "display"}
    assert max(derivatives["grid"].width, derivatives["grid"].height) == DEFAULT_SIZES["grid"]
