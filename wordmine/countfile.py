"""The count file (``.wmc``): a corpus counted once, reused by every command.

Layout, all integers little-endian::

    8 bytes   magic  b"WMCOUNTS"
    4 bytes   format version (uint32), currently 1
    4 bytes   reserved, 0
    8 bytes   header length H (uint64)
    H bytes   header: UTF-8 JSON
    ...       arrays, each starting at a multiple of 64 bytes

The header holds the vocabulary (unit strings in id order, id 0 = boundary),
the counting order n, the bits per unit id of the key encoding (see
:mod:`wordmine.ngrams`), the normalisation settings the text was read with, and
an array directory: for each array its name, dtype (``<u8`` keys, ``<i8``
counts, ``<u2``/``<u4`` unit stream), offset, length and CRC-32. The unit stream
(the corpus as unit ids, 0 at boundaries) lets ``discover`` make its cut pass
without the text.

A file with another magic, another version, a short body or a bad checksum is
refused with a :class:`~wordmine.errors.FormatError` that says which.
"""

from __future__ import annotations

import json
import struct
import zlib
from typing import BinaryIO

import numpy as np

from .counting import Corpus
from .errors import FormatError
from .ngrams import NgramCounts
from .normalize import HAN_RANGES, MAX_LATIN_UNIT, Vocabulary
from .textio import atomic_output

MAGIC = b"WMCOUNTS"
VERSION = 1
_PREAMBLE = struct.Struct("<8sIIQ")
_ALIGN = 64


def normalization_settings() -> dict:
    """What the text model was when the counts were made (a model must match it)."""
    return {
        "fold": "fullwidth-ascii,ideographic-space,compat-ideographs",
        "han_ranges": [list(r) for r in HAN_RANGES],
        "max_latin_unit": MAX_LATIN_UNIT,
    }


def is_count_file(path: str) -> bool:
    """True when ``path`` starts with the count-file magic."""
    if path == "-":
        return False
    try:
        with open(path, "rb") as handle:
            return handle.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def _arrays(corpus: Corpus) -> list[tuple[str, np.ndarray]]:
    arrays = []
    for order in range(1, corpus.counts.max_order + 1):
        arrays.append((f"keys{order}", corpus.counts.keys[order - 1].astype("<u8", copy=False)))
        arrays.append((f"counts{order}", corpus.counts.counts[order - 1].astype("<i8", copy=False)))
    stream_dtype = "<u2" if corpus.stream.dtype.itemsize == 2 else "<u4"
    arrays.append(("stream", corpus.stream.astype(stream_dtype, copy=False)))
    return arrays


def write_counts(corpus: Corpus, path: str) -> None:
    """Write ``corpus`` to ``path`` atomically (a temporary file renamed at the end)."""
    arrays = _arrays(corpus)
    directory = []
    offset = 0
    for name, array in arrays:
        directory.append(
            {
                "name": name,
                "dtype": array.dtype.str,
                "length": len(array),
                "offset": offset,
                "crc32": zlib.crc32(memoryview(np.ascontiguousarray(array)).cast("B")),
            }
        )
        offset += -(-array.nbytes // _ALIGN) * _ALIGN
    header = json.dumps(
        {
            "format": "wordmine-counts",
            "order": corpus.order,
            "bits": corpus.counts.bits,
            "total_units": corpus.total_units,
            "normalization": normalization_settings(),
            "vocabulary": corpus.vocab.units,
            "arrays": directory,
        },
        ensure_ascii=False,
    ).encode("utf-8")
    with atomic_output(path, "wb") as handle:
        handle.write(_PREAMBLE.pack(MAGIC, VERSION, 0, len(header)))
        handle.write(header)
        _pad(handle)
        for _, array in arrays:
            handle.write(memoryview(np.ascontiguousarray(array)).cast("B"))
            _pad(handle)


def _pad(handle: BinaryIO) -> None:
    position = handle.tell()
    handle.write(b"\0" * (-position % _ALIGN))


def read_counts(path: str) -> Corpus:
    """Load a count file, checking magic, version, sizes and checksums."""
    try:
        with open(path, "rb") as handle:
            preamble = handle.read(_PREAMBLE.size)
            if len(preamble) < _PREAMBLE.size or preamble[:8] != MAGIC:
                raise FormatError(f"{path}: not a wordmine count file (run 'wordmine count' to make one)")
            _, version, _, header_len = _PREAMBLE.unpack(preamble)
            if version != VERSION:
                raise FormatError(
                    f"{path}: count file format version {version}, this wordmine reads version "
                    f"{VERSION}; count the corpus again with this version"
                )
            try:
                header = json.loads(handle.read(header_len).decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise FormatError(f"{path}: corrupt count file header") from None
            base = _PREAMBLE.size + header_len
            base += -base % _ALIGN
            arrays = {}
            for entry in header["arrays"]:
                handle.seek(base + entry["offset"])
                array = np.fromfile(handle, dtype=np.dtype(entry["dtype"]), count=entry["length"])
                if len(array) != entry["length"]:
                    raise FormatError(f"{path}: truncated count file (array {entry['name']} is short)")
                if zlib.crc32(memoryview(array).cast("B")) != entry["crc32"]:
                    raise FormatError(f"{path}: checksum mismatch in {entry['name']}: the file is corrupt")
                arrays[entry["name"]] = array
    except OSError as exc:
        raise FormatError(f"{path}: cannot read: {exc.strerror}") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise FormatError(f"{path}: corrupt count file header ({exc})") from None
    max_order = header["order"] + 1
    counts = NgramCounts(
        int(header["bits"]),
        [arrays[f"keys{k}"].astype(np.uint64) for k in range(1, max_order + 1)],
        [arrays[f"counts{k}"].astype(np.int64) for k in range(1, max_order + 1)],
    )
    vocab = Vocabulary(header["vocabulary"][1:])
    return Corpus(vocab, counts, arrays["stream"], header["order"])
