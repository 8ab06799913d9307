"""Make a minimal ELF file that needs given symbol versions, for tests of deploy.elf."""

from __future__ import annotations

import struct

SHT_STRTAB = 3
SHT_GNU_VERNEED = 0x6FFFFFFE


def elf_needing(library: str, versions: list[str]) -> bytes:
    """Return a 64-bit little-endian ELF whose version requirements ask `library` for these."""
    strings = b"\0" + library.encode() + b"\0"
    offsets = []
    for version in versions:
        offsets.append(len(strings))
        strings += version.encode() + b"\0"
    header_size, verneed_size, vernaux_size = 64, 16, 16
    strings_at = header_size
    verneed_at = strings_at + len(strings)
    verneed = struct.pack("<HHIII", 1, len(versions), 1, verneed_size, 0)
    for n, offset in enumerate(offsets):
        following = vernaux_size if n < len(versions) - 1 else 0
        verneed += struct.pack("<IHHII", 0, 0, n + 2, offset, following)
    sections_at = verneed_at + len(verneed)
    sections = struct.pack("<IIQQQQIIQQ", *([0] * 10))
    sections += struct.pack(
        "<IIQQQQIIQQ", 0, SHT_STRTAB, 0, 0, strings_at, len(strings), 0, 0, 1, 0
    )
    sections += struct.pack(
        "<IIQQQQIIQQ", 0, SHT_GNU_VERNEED, 0, 0, verneed_at, len(verneed), 1, 1, 8, 0
    )
    ident = b"\x7fELF" + bytes([2, 1, 1]) + b"\0" * 9
    header = ident + struct.pack(
        "<HHIQQQIHHHHHH", 3, 62, 1, 0, 0, sections_at, 0, header_size, 0, 0, 64, 3, 0
    )
    return header + strings + verneed + sections
