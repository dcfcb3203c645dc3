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

from .errors import FormatError
from .textio import atomic_output

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


def write_container(path: str, magic: bytes, version: int, header: dict,
                    arrays: list[tuple[str, np.ndarray]]) -> None:
    """Write the header and arrays to ``path`` atomically."""
    arrays = [(name, np.ascontiguousarray(array)) for name, array in arrays]
    directory, offset = [], 0
    for name, array in arrays:
        directory.append({"name": name, "dtype": array.dtype.str, "length": len(array), "offset": offset,
                          "crc32": zlib.crc32(memoryview(array).cast("B"))})
        offset += -(-array.nbytes // _ALIGN) * _ALIGN
    body = json.dumps({**header, "arrays": directory}, ensure_ascii=False).encode("utf-8")
    with atomic_output(path, "wb") as handle:
        handle.write(_PREAMBLE.pack(magic, version, 0, len(body)))
        handle.write(body)
        _pad(handle)
        for _, array in arrays:
            handle.write(memoryview(array).cast("B"))
            _pad(handle)


def read_container(path: str, magic: bytes, version: int, kind: str) -> tuple[dict, dict[str, np.ndarray]]:
    """The header and arrays of a container, checked; ``kind`` names the file in errors."""
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
                handle.seek(base + entry["offset"])
                array = np.fromfile(handle, dtype=np.dtype(entry["dtype"]), count=entry["length"])
                if len(array) != entry["length"]:
                    raise FormatError(f"{path}: truncated {kind} (array {entry['name']} is short)")
                if zlib.crc32(memoryview(array).cast("B")) != entry["crc32"]:
                    raise FormatError(f"{path}: checksum mismatch in {entry['name']}: the file is corrupt")
                arrays[entry["name"]] = array
    except OSError as exc:
        raise FormatError(f"{path}: cannot read: {exc.strerror}") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise FormatError(f"{path}: corrupt {kind} header ({exc})") from None
    return header, arrays
