"""Validate uploaded photos and make the derivatives the site shows.

Pure image processing: bytes or a binary file in, results out. No Django, no AWS, and no
global Pillow state is changed (``Image.MAX_IMAGE_PIXELS``, ``ImageFile.LOAD_TRUNCATED_IMAGES``
and the warnings filters are left alone), so it is safe in threads, Lambda and management
commands alike.

Policy:

- An upload is judged by decoding it with Pillow, never by its name or claimed content type.
  Only JPEG, PNG, WebP and HEIC/HEIF (through pillow-heif, gallery.heif) are accepted, and
  Pillow is only ever asked to parse those; other image formats are recognised by their magic
  bytes so the user is told "GIF images are not supported" rather than "not an image". A HEIF
  holding several images (a burst, an edit) is shown by its primary image.
- Limits: the byte size is checked before parsing, and width x height from the header is
  checked against ``max_pixels`` before any pixel is decoded. Pillow's own bomb guard (above
  ``2 * Image.MAX_IMAGE_PIXELS``, or its warning when a filter turns it into an error) maps to
  the same ``too_many_pixels`` rejection, so ``max_pixels`` should stay below Pillow's limit.
- Decoding memory is bounded too: after the JPEG draft, the peak that decoding and the
  conversions before resizing need (Pillow keeps RGB in 4 bytes a pixel; palette, 1-bit and
  16-bit images are converted to a second full-size copy; RGBA is premultiplied into one) is
  estimated from the header's size and mode and checked against ``max_decode_bytes`` before any
  pixel is decoded. A PNG or WebP of few bytes can claim a picture whose decode costs hundreds
  of megabytes; JPEGs rarely reach the budget because the draft decodes them at reduced scale.
- The whole image is decoded once, so truncated or corrupt files are rejected. JPEGs are decoded
  with ``Image.draft`` at a reduced DCT scale: libjpeg still reads every byte of entropy-coded
  data, so truncation is still caught, at a fraction of the time and memory.
- Animated PNG/WebP are rejected (``animated``): turning them silently into a still would
  surprise the user. Multi-picture JPEGs (MPO, as written by many cameras and phones for depth
  maps or stereo pairs) are ordinary photos: the primary image is used and reported as JPEG.
- Originals vs derivatives: the original bytes are stored untouched under a private S3 key that
  only the owner can read (they may hold GPS; it is the owner's own data), with the detected
  ``ImageInfo.content_type``, never the client's. Everything shown to others or shared is a
  derivative re-encoded from decoded pixels: EXIF orientation applied, no EXIF at all (so no
  GPS), no XMP, comments or ICC profile. The ``FULL`` derivative (when asked for) is the
  sanitised original at full resolution that the photo page's lightbox shows; share links hand
  out the ``display`` derivative.
- Colour: derivatives are sRGB JPEG (quality 85, optimised, progressive). An embedded ICC
  profile (Display P3, Adobe RGB, CMYK ...) is converted to sRGB, which browsers assume for
  untagged images; an unusable profile is ignored rather than rejecting the photo.
- Transparency (RGBA, LA, palette with transparency) is composited onto white, since every
  derivative is a JPEG.
- Polyglots (a valid image followed by e.g. a ZIP or HTML payload) are accepted: the decoder
  stops at the end of the image, the original stays private and typed as an image, and the
  derivatives cannot carry the payload because they are re-encoded.
- Derivatives never upscale: an image smaller than a requested size keeps its own size.

Every rejection is one ``ImageRejected`` (a ``ValueError``) with a stable ``code`` and a
``message`` fit to show the user: ``empty``, ``too_large``, ``not_an_image``,
``unsupported_format``, ``animated``, ``too_many_pixels``, ``truncated``, ``corrupt``.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import BinaryIO

from PIL import ExifTags, Image, ImageCms, ImageFile, UnidentifiedImageError

from gallery import exif, heif
from gallery.errors import ImageRejected, gettext_noop

__all__ = [
    "DEFAULT_FULL_MAX_DECODE_BYTES",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_DECODE_BYTES",
    "DEFAULT_MAX_PIXELS",
    "DEFAULT_SIZES",
    "FULL",
    "JPEG_QUALITY",
    "Derivative",
    "ImageInfo",
    "ImageRejected",
    "ProcessedImage",
    "byte_size_check",
    "decode_cost",
    "inspect_image",
    "make_derivatives",
    "process_image",
    "same_content_type",
]

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
# A 48 MP phone sensor (8064 x 6048) fits; Pillow's own guard starts warning at ~89 MP.
DEFAULT_MAX_PIXELS = 50_000_000
# Peak memory one judgement may need for pixels: a 20 MP RGB PNG fits, a 60 MP one does not.
DEFAULT_MAX_DECODE_BYTES = 128 * 1024 * 1024
DEFAULT_SIZES: Mapping[str, int] = {"grid": 400, "display": 1600}
# The derivative at full resolution (process_image's `full_max_decode_bytes`).
FULL = "full"
# Pixel memory the full-size derivative may take: a 48 MP RGB JPEG fits.
DEFAULT_FULL_MAX_DECODE_BYTES = 320 * 1024 * 1024

JPEG_QUALITY = 85
_CHUNK = 1024 * 1024
_WHITE = (255, 255, 255)

# Pillow format name -> (reported format, content type, file extension).
_ACCEPTED = {
    "JPEG": ("JPEG", "image/jpeg", ".jpg"),
    "MPO": ("JPEG", "image/jpeg", ".jpg"),
    "PNG": ("PNG", "image/png", ".png"),
    "WEBP": ("WEBP", "image/webp", ".webp"),
    # pillow-heif (gallery.heif); a generic HEIF (not HEVC-branded) is told apart on opening.
    heif.FORMAT: ("HEIC", "image/heic", ".heic"),
}
_PILLOW_FORMATS = ("JPEG", "PNG", "WEBP", heif.FORMAT)

_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SWAPS_AXES = {5, 6, 7, 8}

# Magic bytes of image formats we recognise but do not accept.
_OTHER_SIGNATURES = (
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"II+\x00", "TIFF"),
    (b"MM\x00+", "TIFF"),
    (b"\x00\x00\x01\x00", "ICO"),
    (b"\x00\x00\x02\x00", "CUR"),
    (b"icns", "ICNS"),
    (b"8BPS", "PSD"),
    (b"\xff\x4f\xff\x51", "JPEG 2000"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "JPEG 2000"),
    (b"\xff\x0a", "JPEG XL"),
    (b"\x00\x00\x00\x0cJXL \r\n\x87\n", "JPEG XL"),
    (b"qoif", "QOI"),
    (b"DDS ", "DDS"),
)
_BMP_HEADER_SIZES = {12, 40, 52, 56, 64, 108, 124}
_HEIF_BRANDS = heif.HEIF_BRANDS
_AVIF_BRANDS = {b"avif", b"avis"}

# Peak bytes a pixel of each decoded mode costs, measured with some margin: Pillow's storage, plus
# the full-size copy that _resizable (a conversion) or the resampling filter (RGBA and LA are
# premultiplied into a copy) makes. Measured by bench/bench_judge_memory.py; unknown modes are
# charged as the dearest.
_PEAK_BYTES_PER_PIXEL = {
    "1": 3,
    "L": 2,
    "P": 6,
    "RGB": 6,
    "CMYK": 6,
    "YCbCr": 6,
    "RGBA": 9,
    "LA": 9,
    "PA": 9,
    "I": 10,
    "F": 10,
    "I;16": 12,
    "I;16B": 12,
    "I;16L": 12,
    "I;16N": 12,
}
_DEAREST = max(_PEAK_BYTES_PER_PIXEL.values())

# Pillow raises a grab-bag of exception types on malformed input.
_DECODE_ERRORS = (
    OSError,
    SyntaxError,
    EOFError,
    ValueError,
    TypeError,
    IndexError,
    KeyError,
    struct.error,
    zlib.error,
)


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """What an accepted upload is; width and height are as displayed (EXIF orientation)."""

    format: str
    content_type: str
    extension: str
    width: int
    height: int
    byte_size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Derivative:
    """One re-encoded, metadata-free rendition of a photo."""

    data: bytes = field(repr=False)
    width: int
    height: int
    content_type: str = "image/jpeg"

    @property
    def byte_size(self) -> int:
        """Return the encoded size in bytes."""
        return len(self.data)


@dataclass(frozen=True, slots=True)
class ProcessedImage:
    """An accepted upload and its derivatives, made from a single decode."""

    info: ImageInfo
    derivatives: dict[str, Derivative]
    # What the EXIF said (gallery.exif); empty when it said nothing usable.
    camera: exif.CameraFacts = field(default_factory=exif.CameraFacts)


def inspect_image(data: bytes | BinaryIO, *, max_bytes: int, max_pixels: int) -> ImageInfo:
    """Decode an upload end to end and describe it, or raise ImageRejected."""
    return process_image(data, max_bytes=max_bytes, max_pixels=max_pixels, sizes={}).info


def make_derivatives(
    data: bytes | BinaryIO,
    *,
    sizes: Mapping[str, int],
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> dict[str, Derivative]:
    """Make a JPEG no longer than each size on its longest edge, or raise ImageRejected."""
    return process_image(data, max_bytes=max_bytes, max_pixels=max_pixels, sizes=sizes).derivatives


def process_image(
    data: bytes | BinaryIO,
    *,
    max_bytes: int,
    max_pixels: int,
    sizes: Mapping[str, int],
    max_decode_bytes: int = DEFAULT_MAX_DECODE_BYTES,
    taken_not_after: datetime | None = None,
    full_max_decode_bytes: int | None = None,
) -> ProcessedImage:
    """Validate an upload and make its derivatives from one decode, or raise ImageRejected.

    `max_decode_bytes` bounds the pixel memory of the judgement (see `decode_cost`). The EXIF
    facts are read too (gallery.exif); a date taken after `taken_not_after` is ignored.

    With `full_max_decode_bytes`, a `FULL` derivative is made too: the whole picture at full
    resolution, oriented, without metadata. A JPEG is then decoded at the largest scale whose
    pixel memory fits that budget (full scale up to about 50 MP with 320 MiB; a larger one at
    half), the other derivatives are shrunk from it, and the judgement's own budget still
    applies to formats that cannot be decoded at reduced scale.
    """
    for name, size in sizes.items():
        if not isinstance(size, int) or isinstance(size, bool) or size < 1:
            raise ValueError(f"size {name!r} must be a positive int, not {size!r}")
    fp, byte_size, sha256 = _read_source(data, max_bytes)
    with _open_checked(fp, max_pixels) as im:
        fmt, content_type, extension = _ACCEPTED[im.format or ""]
        if im.format == heif.FORMAT and heif.content_type(_head(fp)) == "image/heif":
            fmt, content_type, extension = "HEIF", "image/heif", ".heif"
        width, height = im.size
        budget = max_decode_bytes
        if full_max_decode_bytes is not None and im.format in ("JPEG", "MPO"):
            budget = max(max_decode_bytes, full_max_decode_bytes)
            box = _draft_within(im, width, height, budget)
        else:
            box = _draft(im, width, height, max(sizes.values(), default=None))
        # After the draft: size and mode are what the decoder will really produce.
        if decode_cost(mode=im.mode, width=im.size[0], height=im.size[1]) > budget:
            raise _too_costly((width, height), im.format or "", budget)
        if full_max_decode_bytes is not None:
            sizes = {**sizes, FULL: max(im.size)}
        _decode(im)
        orientation = _orientation(im)
        camera = exif.camera_facts(im, not_after=taken_not_after)
        icc = im.info.get("icc_profile") or None
        derivatives = _derivatives(im, width, height, box, sizes, _TRANSPOSE.get(orientation), icc)
    if orientation in _SWAPS_AXES:
        width, height = height, width
    info = ImageInfo(
        format=fmt,
        content_type=content_type,
        extension=extension,
        width=width,
        height=height,
        byte_size=byte_size,
        sha256=sha256,
    )
    return ProcessedImage(info=info, derivatives=derivatives, camera=camera)


# --- reading and identifying ---------------------------------------------------------------


def _read_source(data: bytes | BinaryIO, max_bytes: int) -> tuple[BinaryIO, int, str]:
    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data) if not isinstance(data, bytes) else data
        byte_size_check(len(raw), max_bytes=max_bytes)
        # BytesIO over bytes shares the buffer until written to, so this is not a copy.
        return io.BytesIO(raw), len(raw), hashlib.sha256(raw).hexdigest()
    if _seekable(data):
        data.seek(0, io.SEEK_END)
        size = data.tell()
        byte_size_check(size, max_bytes=max_bytes)
        data.seek(0)
        digest = hashlib.sha256()
        while chunk := data.read(_CHUNK):
            digest.update(chunk)
        data.seek(0)
        return data, size, digest.hexdigest()
    # Never read more than one byte past the limit from a stream of unknown length.
    chunks: list[bytes] = []
    total = 0
    while total <= max_bytes:
        chunk = data.read(min(_CHUNK, max_bytes + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    raw = b"".join(chunks)
    del chunks
    byte_size_check(len(raw), max_bytes=max_bytes)
    return io.BytesIO(raw), len(raw), hashlib.sha256(raw).hexdigest()


def _seekable(fp: BinaryIO) -> bool:
    try:
        return bool(fp.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def byte_size_check(size: int, *, max_bytes: int) -> None:
    """Refuse an empty file or one above `max_bytes`, in the one wording users see for either."""
    if size < 1:
        raise ImageRejected(gettext_noop("The file is empty."), code="empty")
    if size > max_bytes:
        raise ImageRejected(
            f"The file is too large; the limit is {human_bytes(max_bytes)}.", code="too_large"
        )


@contextmanager
def _open_checked(fp: BinaryIO, max_pixels: int) -> Iterator[ImageFile.ImageFile]:
    try:
        im = Image.open(fp, formats=_PILLOW_FORMATS)
    except UnidentifiedImageError:
        fp.seek(0)
        raise _unidentified(fp.read(32)) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(None, max_pixels) from None
    except _DECODE_ERRORS as exc:
        raise _corrupt(exc) from None
    with im:
        if im.format not in _ACCEPTED:
            raise _unsupported(im.format or "This")
        width, height = im.size
        if width < 1 or height < 1:
            raise _corrupt(None)
        if width * height > max_pixels:
            raise _too_many_pixels((width, height), max_pixels)
        # A multi-picture JPEG (MPO) or a HEIF with several images (bursts, edits) is shown by
        # its primary image, as phones do.
        if im.format not in ("MPO", heif.FORMAT) and getattr(im, "n_frames", 1) > 1:
            raise ImageRejected(
                gettext_noop("Animated images are not supported. Please upload a still photo."),
                code="animated",
            )
        yield im


def _head(fp: BinaryIO) -> bytes:
    """Return the first bytes of the file, leaving its position where it was."""
    position = fp.tell()
    fp.seek(0)
    head = fp.read(32)
    fp.seek(position)
    return head


def _unidentified(head: bytes) -> ImageRejected:
    own = (
        head.startswith(b"\xff\xd8\xff")
        or head.startswith(b"\x89PNG\r\n\x1a\n")
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
        or (head[4:8] == b"ftyp" and head[8:12] in heif.HEIC_BRANDS)
    )
    if own:
        return _corrupt(None)
    name = _other_format(head)
    if name is not None:
        return _unsupported(name)
    return ImageRejected(
        gettext_noop("This file is not an image. Please upload a JPEG, PNG, WebP or HEIC photo."),
        code="not_an_image",
    )


def _other_format(head: bytes) -> str | None:
    for signature, name in _OTHER_SIGNATURES:
        if head.startswith(signature):
            return name
    if head[:2] == b"BM" and int.from_bytes(head[14:18], "little") in _BMP_HEADER_SIZES:
        return "BMP"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _AVIF_BRANDS:
            return "AVIF"
        if brand in _HEIF_BRANDS:
            return "HEIF"  # a HEIF libheif cannot decode (another codec than HEVC)
    return None


def _unsupported(name: str) -> ImageRejected:
    return ImageRejected(
        gettext_noop(
            "%(format)s images are not supported. Please upload a JPEG, PNG, WebP or HEIC photo."
        ),
        code="unsupported_format",
        params={"format": name},
    )


def _too_many_pixels(size: tuple[int, int] | None, max_pixels: int) -> ImageRejected:
    megapixels = f"{max_pixels / 1_000_000:g}"
    if size is None:
        return ImageRejected(
            gettext_noop("The image has too many pixels; the limit is %(limit)s megapixels."),
            code="too_many_pixels",
            params={"limit": megapixels},
        )
    return ImageRejected(
        gettext_noop(
            "The image is too large (%(width)dx%(height)d pixels); the limit is %(limit)s "
            "megapixels."
        ),
        code="too_many_pixels",
        params={"width": size[0], "height": size[1], "limit": megapixels},
    )


def decode_cost(*, mode: str, width: int, height: int) -> int:
    """Return the peak bytes of pixel memory that decoding and preparing an image needs."""
    return width * height * _PEAK_BYTES_PER_PIXEL.get(mode, _DEAREST)


def _too_costly(size: tuple[int, int], fmt: str, budget: int) -> ImageRejected:
    # The same code as too many pixels: to the user it is the same fix, a smaller picture.
    return ImageRejected(
        gettext_noop(
            "The image is too large to process (%(width)dx%(height)d pixels as %(format)s, which "
            "would need more than %(memory)s of memory). Please upload a smaller picture or a JPEG."
        ),
        code="too_many_pixels",
        params={"width": size[0], "height": size[1], "format": fmt, "memory": human_bytes(budget)},
    )


def _corrupt(exc: BaseException | None) -> ImageRejected:
    if exc is not None and "truncated" in str(exc):
        return ImageRejected(
            gettext_noop(
                "The image file is incomplete (the upload may have been cut off). Please try again."
            ),
            code="truncated",
        )
    return ImageRejected(
        gettext_noop("The image file is damaged and cannot be read."), code="corrupt"
    )


def human_bytes(n: int) -> str:
    """Return a size as users read it: `25 MB`, `4 MB`, `4.5 MB`, `900 KB` (1 MB = 2**20 bytes)."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
    return f"{-(-n // 1024)} KB"


# --- decoding ------------------------------------------------------------------------------


def _draft(
    im: ImageFile.ImageFile, width: int, height: int, longest: int | None
) -> tuple[float, float, float, float] | None:
    if im.format not in ("JPEG", "MPO"):
        return None
    # Validation alone only needs every byte read, not every pixel: take the smallest scale.
    target = (1, 1) if longest is None else _fit(width, height, longest)
    result = im.draft("RGB", target)
    if result is None:
        return None
    box = result[1]
    return (box[0], box[1], box[2], box[3])


def _decode(im: ImageFile.ImageFile) -> None:
    try:
        im.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected(
            gettext_noop("The image has too many pixels to be processed."), code="too_many_pixels"
        ) from None
    except _DECODE_ERRORS as exc:
        raise _corrupt(exc) from None


def _orientation(im: Image.Image) -> int:
    # A broken EXIF block should not cost the user their photo; it is dropped anyway.
    try:
        value = im.getexif().get(ExifTags.Base.Orientation, 1)
    except _DECODE_ERRORS:
        return 1
    return value if isinstance(value, int) and value in _TRANSPOSE else 1


def _draft_within(
    im: ImageFile.ImageFile, width: int, height: int, budget: int
) -> tuple[float, float, float, float] | None:
    """Draft a JPEG at the largest DCT scale (1, 1/2, 1/4, 1/8) whose decode fits `budget`."""
    for divisor in (1, 2, 4, 8):
        scaled_w, scaled_h = -(-width // divisor), -(-height // divisor)
        if decode_cost(mode="RGB", width=scaled_w, height=scaled_h) <= budget or divisor == 8:
            result = im.draft("RGB", (scaled_w, scaled_h))
            if result is None:
                return None
            box = result[1]
            return (box[0], box[1], box[2], box[3])
    return None


def _fit(width: int, height: int, longest: int) -> tuple[int, int]:
    if max(width, height) <= longest:
        return width, height
    if width >= height:
        return longest, max(1, round(height * longest / width))
    return max(1, round(width * longest / height)), longest


# --- derivatives ---------------------------------------------------------------------------


def _derivatives(
    im: ImageFile.ImageFile,
    width: int,
    height: int,
    box: tuple[float, float, float, float] | None,
    sizes: Mapping[str, int],
    transpose: Image.Transpose | None,
    icc: bytes | None,
) -> dict[str, Derivative]:
    if not sizes:
        return {}
    base = _resizable(im)
    previous: Image.Image | None = None
    made: dict[str, Derivative] = {}
    try:
        for name, longest in sorted(sizes.items(), key=lambda item: item[1], reverse=True):
            target = _fit(width, height, longest)
            # Shrinking the previous, larger derivative is far cheaper than going back to the
            # full decode, and a 2x margin still gives the filter enough pixels.
            if previous is not None and max(previous.size) >= 2 * max(target):
                small = previous.resize(target, Image.Resampling.LANCZOS, reducing_gap=2.0)
            elif base.size == target and box in (None, (0, 0, *base.size)):
                small = base.copy()
            else:
                small = base.resize(target, Image.Resampling.LANCZOS, box=box, reducing_gap=2.0)
            ready = _finish(small, transpose, icc)
            made[name] = _encode(ready)
            if ready is not small:
                ready.close()
            if previous is not None:
                previous.close()
            previous = small
    finally:
        if previous is not None:
            previous.close()
        if base is not im:
            base.close()
    return {name: made[name] for name in sizes}


def _resizable(im: Image.Image) -> Image.Image:
    """Return the image in a mode Pillow resizes with a real filter (not P, 1 or 16-bit)."""
    if im.mode in ("RGB", "RGBA", "L", "LA", "CMYK"):
        return im
    if im.mode in ("P", "PA"):
        has_alpha = im.mode == "PA" or "transparency" in im.info
        return im.convert("RGBA" if has_alpha else "RGB")
    if im.mode == "1":
        return im.convert("L")
    if im.mode.startswith("I;16") or im.mode in ("I", "F"):
        # 16-bit PNG greyscale: convert("L") would clip everything above 255 to white.
        wide = im.convert("I") if im.mode != "I" else im
        scaled = wide.point(lambda value: value / 257)
        if wide is not im:
            wide.close()
        return _replace(scaled, scaled.convert("L"))
    if "A" in im.mode or "a" in im.mode:
        return im.convert("RGBA")
    return im.convert("RGB")


def _finish(im: Image.Image, transpose: Image.Transpose | None, icc: bytes | None) -> Image.Image:
    """Return an oriented, opaque, sRGB image without metadata; never close ``im``."""
    out = im
    if transpose is not None:
        out = out.transpose(transpose)
    if out.mode in ("RGBA", "LA"):
        backdrop = Image.new("RGBA", out.size, (*_WHITE, 255))
        rgba = out.convert("RGBA") if out.mode != "RGBA" else out
        backdrop.alpha_composite(rgba)
        if rgba is not out:
            rgba.close()
        out = _step(out, im, backdrop.convert("RGB"))
        backdrop.close()
    if icc is not None:
        out = _step(out, im, _to_srgb(out, icc))
    if out.mode not in ("RGB", "L"):
        out = _step(out, im, out.convert("RGB"))
    # Resize and convert copy `info` (EXIF, XMP, comments, ICC); nothing of it may leak out.
    out.info = {}
    return out


def _step(current: Image.Image, keep: Image.Image, new: Image.Image) -> Image.Image:
    if new is not current and current is not keep:
        current.close()
    return new


def _replace(old: Image.Image, new: Image.Image) -> Image.Image:
    if new is not old:
        old.close()
    return new


def _to_srgb(im: Image.Image, icc: bytes) -> Image.Image:
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(im, source, _srgb_profile(), outputMode="RGB")
    except (ImageCms.PyCMSError, *_DECODE_ERRORS):
        return im
    return converted if converted is not None else im


@cache
def _srgb_profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _encode(im: Image.Image) -> Derivative:
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return Derivative(data=buffer.getvalue(), width=im.width, height=im.height)


def same_content_type(declared: str, detected: str) -> bool:
    """Tell whether a declared content type names the detected one (HEIC and HEIF are one
    family: browsers and phones call either file by either name)."""
    heif_family = {"image/heic", "image/heif"}
    return declared == detected or {declared, detected} <= heif_family
