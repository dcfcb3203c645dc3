"""The binary container every wordmine file uses (``.wmc`` counts, ``.wmm`` models).

Layout, all integers little-endian::

    8 bytes   magic, naming the kind of file (b"WMCOUNTS", b"WMMODEL\\0")
    4 bytes   format version (uint32)
    4 bytes   CRC-32 of the header
    8 bytes   header length H (uint64)
    H bytes   header: UTF-8 JSON, including an array directory
    ...       arrays, each starting at a multiple of 64 bytes

The directory gives, for each array, its name, dtype (explicit, e.g. ``<u8``),
offset, length and CRC-32. A file with another magic or version, a short body
or a bad checksum is refused with a :class:`~wordmine.errors.FormatError`.

The header has its own checksum, so one flipped bit in the vocabulary is
caught as surely as one in the arrays. A header that checks but was crafted (a
length past the end of the file, JSON nested a hundred thousand deep, an array
of another dtype or beyond the end) is refused as damaged too, before anything
is allocated from what it claims.

>>> import tempfile, os
>>> scratch = tempfile.TemporaryDirectory()
>>> path = os.path.join(scratch.name, "x.bin")
>>> write_container(path, b"WMTEST\\0\\0", 1, {"note": "hi"}, [("a", np.arange(3, dtype="<i8"))])
>>> header, arrays = read_container(path, b"WMTEST\\0\\0", 1, "test file")
>>> header["note"], arrays["a"].tolist()
('hi', [0, 1, 2])
>>> scratch.cleanup()
"""

from __future__ import annotations

import json
import os
import stat
import struct
import zlib
from typing import BinaryIO

import numpy as np

from wordmine.errors import FormatError
from wordmine.io.text import WORDMINE_KINDS, atomic_output
from wordmine.unitstream import FileSlice, UnitStream

_PREAMBLE = struct.Struct("<8sIIQ")
_ALIGN = 64
#: The dtypes wordmine writes; any other in a directory means a damaged or crafted file.
DTYPES = frozenset({"<u2", "<u4", "<u8", "<i8", "<f4", "<f8"})


def has_magic(path: str, magic: bytes, suffix: str | None = None) -> bool:
    """True when ``path`` claims to be a file of this kind, so that it must be a valid one.

    It does when it starts with ``magic``, or is shorter than the magic and
    starts with 4 bytes of it (a cut file), or its name ends with ``suffix``
    (in any case). Only regular files are looked into: the bytes read from a
    pipe could not be given back to the reader of the text.
    """
    if path == "-":
        return False
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        if suffix is not None and path.lower().endswith(suffix):
            return True
        with open(path, "rb") as handle:
            head = handle.read(len(magic))
    except OSError:
        return False
    return head == magic or (4 <= len(head) < len(magic) and magic.startswith(head))


def _pad(handle: BinaryIO) -> None:
    handle.write(b"\0" * (-handle.tell() % _ALIGN))


def _pieces(array: np.ndarray | UnitStream):
    """An array's bytes in pieces: a unit stream on disk is never read whole."""
    if isinstance(array, UnitStream) or hasattr(array, "pieces"):
        # A unit stream, or an array written elsewhere a piece at a time (a count file's segments).
        for chunk in (array.chunks() if isinstance(array, UnitStream) else array.pieces()):
            yield memoryview(np.ascontiguousarray(chunk.astype(chunk.dtype.newbyteorder("<"), copy=False))).cast("B")
    else:
        yield memoryview(np.ascontiguousarray(array)).cast("B")


def write_container(path: str, magic: bytes, version: int, header: dict,
                    arrays: list[tuple[str, np.ndarray | UnitStream]]) -> None:
    """Write the header and arrays (a unit stream too, piece by piece) to ``path`` atomically."""
    directory, offset = [], 0
    for name, array in arrays:
        crc = getattr(array, "crc32", None)  # an array appended to a file of its own summed it as it went
        if crc is None:
            crc = 0
            for piece in _pieces(array):
                crc = zlib.crc32(piece, crc)
        nbytes = len(array) * array.dtype.itemsize
        directory.append({"name": name, "dtype": array.dtype.newbyteorder("<").str, "length": len(array),
                          "offset": offset, "crc32": crc})
        offset += -(-nbytes // _ALIGN) * _ALIGN
    body = json.dumps({**header, "arrays": directory}, ensure_ascii=False).encode("utf-8")
    with atomic_output(path, "wb") as handle:
        handle.write(_PREAMBLE.pack(magic, version, zlib.crc32(body), len(body)))
        handle.write(body)
        _pad(handle)
        for _, array in arrays:
            if hasattr(array, "copy_into"):  # a file of its own, copied by the kernel
                array.copy_into(handle)
            else:
                for piece in _pieces(array):
                    handle.write(piece)
            _pad(handle)


def _damaged(path: str, kind: str, what: str) -> FormatError:
    return FormatError(f"{path}: damaged {kind}: {what}; make it again")


def _read_header(handle: BinaryIO, path: str, magic: bytes, version: int, kind: str) -> tuple[dict, int]:
    """The checked header, and where the arrays start."""
    size = os.fstat(handle.fileno()).st_size
    preamble = handle.read(_PREAMBLE.size)
    if len(preamble) < len(magic) or preamble[: len(magic)] != magic:
        other = next((what for other, what in WORDMINE_KINDS.items() if preamble.startswith(other)), None)
        raise FormatError(f"{path}: {other + ', ' if other else ''}not a wordmine {kind}")
    if len(preamble) < _PREAMBLE.size:
        raise FormatError(f"{path}: truncated {kind} ({size} bytes)")
    _, found_version, header_crc, header_len = _PREAMBLE.unpack(preamble)
    if found_version != version:
        raise FormatError(f"{path}: {kind} format version {found_version}, this wordmine reads "
                          f"version {version}; make it again with this version")
    if header_len > size - _PREAMBLE.size:
        raise FormatError(f"{path}: truncated {kind} (a header of {header_len} bytes in a file of {size})")
    body = handle.read(header_len)
    if zlib.crc32(body) != header_crc:
        raise FormatError(f"{path}: checksum mismatch in the header: the {kind} is corrupt")
    try:
        header = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, RecursionError, ValueError):
        raise _damaged(path, kind, "unreadable header") from None
    if not isinstance(header, dict) or not isinstance(header.get("arrays"), list):
        raise _damaged(path, kind, "no array directory")
    base = _PREAMBLE.size + header_len
    return header, base + -base % _ALIGN


def _check_entry(entry, room: int, path: str, kind: str) -> tuple[str, np.dtype, int, int]:
    """Name, dtype, length and offset of a directory entry, each checked against the file."""
    if not isinstance(entry, dict):
        raise _damaged(path, kind, "bad array directory")
    name, dtype, length, offset = (entry.get(k) for k in ("name", "dtype", "length", "offset"))
    if not isinstance(name, str) or dtype not in DTYPES or not isinstance(entry.get("crc32"), int):
        raise _damaged(path, kind, f"bad entry for array {name!r}")
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in (length, offset)):
        raise _damaged(path, kind, f"bad length or offset of array {name}")
    dtype = np.dtype(dtype)
    if offset + length * dtype.itemsize > room:
        raise _damaged(path, kind, f"array {name} claims {length * dtype.itemsize:,} bytes past the end of the file")
    return name, dtype, length, offset


def read_container(path: str, magic: bytes, version: int, kind: str,
                   in_place: frozenset[str] = frozenset(),
                   bounds: dict[str, int] | None = None) -> tuple[dict, dict[str, np.ndarray | FileSlice]]:
    """The header and arrays of a container, checked; ``kind`` names the file in errors.

    Arrays named in ``in_place`` are checked piece by piece and returned as a
    :class:`FileSlice` (where they lie in the file) instead of being loaded.
    ``bounds`` maps a header field holding a list (a vocabulary) to the arrays
    whose values index it: every value must be below the list's length.
    """
    try:
        with open(path, "rb") as handle:
            header, base = _read_header(handle, path, magic, version, kind)
            room = os.fstat(handle.fileno()).st_size - base
            limits = {}
            for field, names in (bounds or {}).items():
                if not isinstance(header.get(field), list):
                    raise _damaged(path, kind, f"no {field}")
                limits.update(dict.fromkeys(names, len(header[field])))
            arrays = {}
            for entry in header["arrays"]:
                name, dtype, length, offset = _check_entry(entry, room, path, kind)
                handle.seek(base + offset)
                crc, pieces, top = 0, [], 0
                step = length if name not in in_place else 1 << 24
                for start in range(0, max(length, 1), max(step, 1)):
                    piece = np.fromfile(handle, dtype=dtype, count=min(step, length - start))
                    if len(piece) != min(step, length - start):
                        raise FormatError(f"{path}: truncated {kind} (array {name} is short)")
                    crc = zlib.crc32(memoryview(piece).cast("B"), crc)
                    if name in limits and len(piece):
                        top = max(top, int(piece.max()))
                    if name not in in_place:
                        pieces.append(piece)
                if crc != entry["crc32"]:
                    raise FormatError(f"{path}: checksum mismatch in {name}: the file is corrupt")
                if name in limits and top >= limits[name]:
                    raise _damaged(path, kind, f"array {name} refers to unit {top}, past the vocabulary")
                if name in in_place:
                    arrays[name] = FileSlice(path, base + offset, length, dtype)
                else:
                    arrays[name] = pieces[0]
    except OSError as exc:
        raise FormatError(f"{path}: cannot read: {exc.strerror}") from None
    return header, arrays
