"""HEIC/HEIF (iPhone photos) for Pillow, through pillow-heif (libheif with libde265).

Importing this module registers pillow-heif's opener with Pillow once, under the format name
`HEIF`; gallery.images then asks Pillow for it by name like JPEG, PNG and WebP, so nothing else
in the site can open a HEIF by accident. Registering a plugin is the one piece of global Pillow
state the site touches, and it is idempotent.

pillow-heif applies the HEIF transforms (rotation, mirroring) while decoding and sets the EXIF
orientation it hands back to 1, so gallery.images never turns a HEIC twice. Only 8-bit output
is asked for (a 10-bit HEIC is converted), and pillow-heif's own thumbnails, depth and auxiliary
images are not decoded.
"""

from __future__ import annotations

from functools import cache

import pillow_heif

__all__ = ["FORMAT", "HEIC_BRANDS", "HEIF_BRANDS", "content_type", "heif_register"]

# Pillow's name for the format pillow-heif registers.
FORMAT = "HEIF"
# ftyp brands of HEVC-coded HEIF ("HEIC", what iPhones write) and of the generic HEIF
# structure (`mif1`, `msf1`), which also wraps AVIF: only the image's codec tells them apart.
HEIC_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis"})
HEIF_BRANDS = HEIC_BRANDS | {b"mif1", b"msf1"}


@cache
def heif_register() -> None:
    """Register pillow-heif's opener with Pillow (once per process)."""
    pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)


def content_type(head: bytes) -> str:
    """Return `image/heic` for an HEVC-branded file, else `image/heif`."""
    return "image/heic" if head[8:12] in HEIC_BRANDS else "image/heif"


heif_register()
