"""Hostile files and strings, all generated here (no binary fixtures), each with its defined answer.

An upload's answer is (HTTP status of the API, error code or None when accepted); the web page
shows the same message as a form error with the same status.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

from PIL import Image

from tests.gallery.conftest import NOT_AN_IMAGE, SVG, jpeg, png, png_bomb


def _jpeg_with_sof_size(data: bytes, width: int, height: int) -> bytes:
    """Rewrite the frame header of a baseline JPEG to claim another size."""
    at = data.index(b"\xff\xc0")
    return data[: at + 5] + struct.pack(">HH", height, width) + data[at + 9 :]


def jpeg_claiming_huge_dimensions() -> bytes:
    """A small JPEG whose frame header says 65,000 × 65,000 pixels (a decompression bomb)."""
    return _jpeg_with_sof_size(jpeg(64, 48), 65_000, 65_000)


def jpeg_with_exif_bomb() -> bytes:
    """A JPEG whose EXIF block is as large as a segment allows and whose IFD points at itself."""
    # TIFF header, then IFD0 at offset 8 with 5,000 declared entries and a next-IFD loop to 8.
    entries = 5_000
    ifd = struct.pack("<H", entries)
    ifd += b"".join(struct.pack("<HHII", 0x0112, 3, 1, 7) for _ in range(2000))  # orientation
    tiff = b"II*\x00" + struct.pack("<I", 8) + ifd + struct.pack("<I", 8)
    payload = b"Exif\x00\x00" + tiff
    payload = payload[: 65_533 - 2]
    app1 = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    data = jpeg(64, 48)
    return data[:2] + app1 * 3 + data[2:]


def jpeg_with_html_appended() -> bytes:
    """A polyglot: a valid JPEG that is also an HTML page with a script (content after EOI)."""
    return jpeg(64, 48) + b"<html><script>alert(document.cookie)</script></html>"


def html_starting_like_a_jpeg() -> bytes:
    """JPEG magic bytes followed by HTML: wrong magic for what it really is."""
    return b"\xff\xd8\xff\xe0" + b"<html><script>alert(1)</script></html>" * 20


def png_magic_then_garbage() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 200


def truncated_jpeg() -> bytes:
    data = jpeg(800, 600)
    return data[: len(data) // 2]


def gif_image() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (1, 2, 3)).save(out, "GIF")
    return out.getvalue()


@dataclass(frozen=True)
class HostileUpload:
    label: str
    data: bytes
    filename: str
    content_type: str
    status: int
    code: str | None  # None: accepted


def hostile_uploads() -> list[HostileUpload]:
    """Every hostile upload and the answer the API gives it."""
    return [
        HostileUpload("zero bytes", b"", "empty.jpg", "image/jpeg", 400, "empty"),
        HostileUpload("svg with script", SVG, "x.svg", "image/svg+xml", 415, "not_an_image"),
        HostileUpload("svg named .jpg", SVG, "x.jpg", "image/jpeg", 415, "not_an_image"),
        HostileUpload("pdf named .jpg", NOT_AN_IMAGE, "x.jpg", "image/jpeg", 415, "not_an_image"),
        HostileUpload(
            "html behind jpeg magic",
            html_starting_like_a_jpeg(),
            "x.jpg",
            "image/jpeg",
            400,
            "corrupt",
        ),
        HostileUpload(
            "png magic then garbage", png_magic_then_garbage(), "x.png", "image/png", 400, "corrupt"
        ),
        HostileUpload(
            "truncated jpeg", truncated_jpeg(), "half.jpg", "image/jpeg", 400, "truncated"
        ),
        HostileUpload(
            "png bomb 20000x20000", png_bomb(), "bomb.png", "image/png", 413, "too_many_pixels"
        ),
        HostileUpload(
            # Within the pixel limit, but its decode would hold 240 MB: over the memory budget.
            "png rgb 60 megapixels in 175 KB",
            png_bomb(10_000, 6_000, rgb=True),
            "wide.png",
            "image/png",
            413,
            "too_many_pixels",
        ),
        HostileUpload(
            "jpeg claiming 65000x65000",
            jpeg_claiming_huge_dimensions(),
            "big.jpg",
            "image/jpeg",
            413,
            "too_many_pixels",
        ),
        HostileUpload("gif", gif_image(), "x.gif", "image/gif", 415, "unsupported_format"),
        # Accepted: judged by decoding, not by name or declared type; derivatives re-encoded.
        HostileUpload("jpeg named .png", jpeg(64, 48), "x.png", "image/png", 201, None),
        HostileUpload("png named .exe", png(), "x.exe", "application/octet-stream", 201, None),
        HostileUpload(
            "jpeg with exif bomb", jpeg_with_exif_bomb(), "exif.jpg", "image/jpeg", 201, None
        ),
        HostileUpload(
            "jpeg with html appended",
            jpeg_with_html_appended(),
            "poly.jpg",
            "image/jpeg",
            201,
            None,
        ),
    ]
