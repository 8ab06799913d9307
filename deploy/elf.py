"""Read which glibc symbol versions a shared object needs, from its ELF version requirements.

The dynamic loader refuses a shared object whose `.gnu.version_r` section asks a library for
a symbol version that library lacks (`version 'GLIBC_2.35' not found`). Those requirements
are what `objdump -T` shows per symbol; this reads them straight from the file, so the check
needs no binutils.
"""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Iterable

ELF_MAGIC = b"\x7fELF"
SHT_GNU_VERNEED = 0x6FFFFFFE
GLIBC_VERSION = re.compile(r"^GLIBC_(\d+)\.(\d+)(?:\.(\d+))?$")


class NotElf(ValueError):
    """Raise when bytes are not an ELF file this reader understands."""


def is_elf(data: bytes) -> bool:
    """Tell whether bytes start like an ELF file."""
    return data[:4] == ELF_MAGIC


def needed_versions(data: bytes) -> dict[str, set[str]]:
    """Return the symbol versions an ELF file needs, by the library that must provide them."""
    if not is_elf(data):
        raise NotElf("not an ELF file")
    elf_class, byte_order = data[4], data[5]
    if elf_class not in (1, 2) or byte_order not in (1, 2):
        raise NotElf("unknown ELF class or byte order")
    end = "<" if byte_order == 1 else ">"
    wide = elf_class == 2
    if wide:
        shoff = _unpack(end + "Q", data, 0x28)
        shentsize = _unpack(end + "H", data, 0x3A)
        shnum = _unpack(end + "H", data, 0x3C)
    else:
        shoff = _unpack(end + "I", data, 0x20)
        shentsize = _unpack(end + "H", data, 0x2E)
        shnum = _unpack(end + "H", data, 0x30)
    sections = [_section(data, end, wide, shoff + i * shentsize) for i in range(shnum)]
    needed: dict[str, set[str]] = {}
    for kind, offset, link, count in sections:
        if kind != SHT_GNU_VERNEED:
            continue
        strings = sections[link][1]
        entry = offset
        for _ in range(count):
            _version, aux_count, file_name, aux, following = struct.unpack_from(
                end + "HHIII", data, entry
            )
            library = _string(data, strings + file_name)
            versions = needed.setdefault(library, set())
            position = entry + aux
            for _ in range(aux_count):
                _hash, _flags, _other, name, next_aux = struct.unpack_from(
                    end + "IHHII", data, position
                )
                versions.add(_string(data, strings + name))
                position += next_aux
            if not following:
                break
            entry += following
    return needed


def glibc_versions(data: bytes) -> set[tuple[int, ...]]:
    """Return the GLIBC_ versions an ELF file needs, as tuples such as (2, 34)."""
    found = set()
    for versions in needed_versions(data).values():
        for version in versions:
            match = GLIBC_VERSION.match(version)
            if match:
                found.add(tuple(int(part) for part in match.groups() if part is not None))
    return found


def elf_members(archive: zipfile.ZipFile) -> Iterable[tuple[str, bytes]]:
    """Yield (name, bytes) of every ELF file in a zip, whatever its name."""
    for info in archive.infolist():
        if info.is_dir():
            continue
        with archive.open(info) as member:
            if member.read(4) != ELF_MAGIC:
                continue
        yield info.filename, archive.read(info)


def too_new_for(archive: zipfile.ZipFile, glibc: tuple[int, int]) -> dict[str, tuple[int, ...]]:
    """Return the ELF files of a zip that need a glibc newer than `glibc`, with that version."""
    problems = {}
    for name, data in elf_members(archive):
        newest = max(glibc_versions(data), default=(0,))
        if newest > glibc:
            problems[name] = newest
    return problems


def _unpack(fmt: str, data: bytes, offset: int) -> int:
    return struct.unpack_from(fmt, data, offset)[0]


def _section(data: bytes, end: str, wide: bool, at: int) -> tuple[int, int, int, int]:
    """Return (type, file offset, link, info) of the section header at `at`."""
    if wide:
        _name, kind, _flags, _addr, offset, _size, link, info = struct.unpack_from(
            end + "IIQQQQII", data, at
        )
    else:
        _name, kind, _flags, _addr, offset, _size, link, info = struct.unpack_from(
            end + "IIIIIIII", data, at
        )
    return kind, offset, link, info


def _string(data: bytes, offset: int) -> str:
    return data[offset : data.index(b"\0", offset)].decode("ascii", "replace")
