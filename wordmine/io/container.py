"""The binary container every wordmine file uses (``.wmc`` counts, ``.wmm`` models).

Layout, all integers little-endian::

    8 bytes   magic, naming the kind of file (b"WMCOUNTS", b"WMMODEL\\0")
    4 bytes   format version (uint32)
    4 bytes   reserved, 0
    8 bytes   header length H (uint64)
    H bytes   header: UTF-8 JSON, including an array directory
    ...       arrays, each starting at a multiple of 64 bytes

The directory gives, for each array, its name, dtype (explicit, e.g. ``<u8``),
offset, length and CRC-32. A file with another magic or version, a short body
or a bad checksum is refused with a :class:`~wordmine.errors.FormatError`.

>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "x.bin")
>>> write_container(path, b"WMTEST\\0\\0", 1, {"note": "hi"}, [("a", np.arange(3, dtype="<i8"))])
>>> header, arrays = read_container(path, b"WMTEST\\0\\0", 1, "test file")
>>> header["note"], arrays["a"].tolist()
('hi', [0, 1, 2])
"""

from __future__ import annotations

import json
import struct
import zlib
from typing import BinaryIO

import numpy as np

from wordmine.errors import FormatError
from wordmine.io.text import atomic_output
from wordmine.unitstream import FileSlice, UnitStream

_PREAMBLE = struct.Struct("<8sIIQ")
_ALIGN = 64


def has_magic(path: str, magic: bytes) -> bool:
    """True when the file at ``path`` starts with ``magic``."""
    if path == "-":
        return False
    try:
        with open(path, "rb") as handle:
            return handle.read(len(magic)) == magic
    except OSError:
        return False


def _pad(handle: BinaryIO) -> None:
    handle.write(b"\0" * (-handle.tell() % _ALIGN))


def _pieces(array: np.ndarray | UnitStream):
    """An array's bytes in pieces: a unit stream on disk is never read whole."""
    if isinstance(array, UnitStream):
        for chunk in array.chunks():
            yield memoryview(chunk.astype(chunk.dtype.newbyteorder("<"), copy=False)).cast("B")
    else:
        yield memoryview(np.ascontiguousarray(array)).cast("B")


def write_container(path: str, magic: bytes, version: int, header: dict,
                    arrays: list[tuple[str, np.ndarray | UnitStream]]) -> None:
    """Write the header and arrays (a unit stream too, piece by piece) to ``path`` atomically."""
    directory, offset = [], 0
    for name, array in arrays:
        crc = 0
        for piece in _pieces(array):
            crc = zlib.crc32(piece, crc)
        nbytes = len(array) * array.dtype.itemsize
        directory.append({"name": name, "dtype": array.dtype.newbyteorder("<").str, "length": len(array),
                          "offset": offset, "crc32": crc})
        offset += -(-nbytes // _ALIGN) * _ALIGN
    body = json.dumps({**header, "arrays": directory}, ensure_ascii=False).encode("utf-8")
    with atomic_output(path, "wb") as handle:
        handle.write(_PREAMBLE.pack(magic, version, 0, len(body)))
        handle.write(body)
        _pad(handle)
        for _, array in arrays:
            for piece in _pieces(array):
                handle.write(piece)
            _pad(handle)


def read_container(path: str, magic: bytes, version: int, kind: str,
                   in_place: frozenset[str] = frozenset()) -> tuple[dict, dict[str, np.ndarray | FileSlice]]:
    """The header and arrays of a container, checked; ``kind`` names the file in errors.

    Arrays named in ``in_place`` are checked piece by piece and returned as a
    :class:`FileSlice` (where they lie in the file) instead of being loaded.
    """
    try:
        with open(path, "rb") as handle:
            preamble = handle.read(_PREAMBLE.size)
            if len(preamble) < _PREAMBLE.size or preamble[:8] != magic:
                raise FormatError(f"{path}: not a wordmine {kind}")
            _, found_version, _, header_len = _PREAMBLE.unpack(preamble)
            if found_version != version:
                raise FormatError(f"{path}: {kind} format version {found_version}, this wordmine reads "
                                  f"version {version}; make it again with this version")
            try:
                header = json.loads(handle.read(header_len).decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise FormatError(f"{path}: corrupt {kind} header") from None
            base = _PREAMBLE.size + header_len
            base += -base % _ALIGN
            arrays = {}
            for entry in header["arrays"]:
                dtype, length = np.dtype(entry["dtype"]), entry["length"]
                handle.seek(base + entry["offset"])
                crc, pieces = 0, []
                step = length if entry["name"] not in in_place else 1 << 24
                for start in range(0, max(length, 1), max(step, 1)):
                    piece = np.fromfile(handle, dtype=dtype, count=min(step, length - start))
                    if len(piece) != min(step, length - start):
                        raise FormatError(f"{path}: truncated {kind} (array {entry['name']} is short)")
                    crc = zlib.crc32(memoryview(piece).cast("B"), crc)
                    if entry["name"] not in in_place:
                        pieces.append(piece)
                if crc != entry["crc32"]:
                    raise FormatError(f"{path}: checksum mismatch in {entry['name']}: the file is corrupt")
                if entry["name"] in in_place:
                    arrays[entry["name"]] = FileSlice(path, base + entry["offset"], length, dtype)
                else:
                    arrays[entry["name"]] = pieces[0]
    except OSError as exc:
        raise FormatError(f"{path}: cannot read: {exc.strerror}") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise FormatError(f"{path}: corrupt {kind} header ({exc})") from None
    return header, arrays
