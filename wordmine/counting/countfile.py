"""The count file (``.wmc``): a corpus counted once, reused by every command.

A :mod:`wordmine.io.container` with magic ``b"WMCOUNTS"``, version 1. The header
holds the vocabulary (unit strings in id order, id 0 = boundary), the counting
order n, the bits per unit id of the key encoding (see
:mod:`wordmine.counting.ngrams`), the normalisation settings the text was read with, and
an array directory: for each array its name, dtype (``<u8`` keys, ``<i8``
counts, ``<u2``/``<u4`` unit stream), offset, length and CRC-32. The unit stream
(the corpus as unit ids, 0 at boundaries) lets ``discover`` make its cut pass
without the text.

A file with another magic, another version, a short body or a bad checksum is
refused with a :class:`~wordmine.errors.FormatError` that says which.
"""

from __future__ import annotations

import numpy as np

from wordmine.counting.corpus import Corpus
from wordmine.counting.ngrams import NgramCounts
from wordmine.errors import FormatError
from wordmine.io.container import has_magic, read_container, write_container
from wordmine.normalize import HAN_RANGES, MAX_LATIN_UNIT, Vocabulary
from wordmine.unitstream import UnitStream

MAGIC = b"WMCOUNTS"
VERSION = 1


def normalization_settings() -> dict:
    """What the text model was when the counts were made (a model must match it)."""
    return {
        "fold": "fullwidth-ascii,ideographic-space,compat-ideographs",
        "han_ranges": [list(r) for r in HAN_RANGES],
        "max_latin_unit": MAX_LATIN_UNIT,
    }


def is_count_file(path: str) -> bool:
    """True when ``path`` starts with the count-file magic."""
    return has_magic(path, MAGIC)


def write_counts(corpus: Corpus, path: str) -> None:
    """Write ``corpus`` to ``path`` atomically (a temporary file renamed at the end)."""
    arrays = []
    for order in range(1, corpus.counts.max_order + 1):
        arrays.append((f"keys{order}", corpus.counts.keys[order - 1].astype("<u8", copy=False)))
        arrays.append((f"counts{order}", corpus.counts.counts[order - 1].astype("<i8", copy=False)))
    arrays.append(("stream", corpus.stream))
    header = {
        "format": "wordmine-counts",
        "order": corpus.order,
        "bits": corpus.counts.bits,
        "total_units": corpus.total_units,
        "normalization": normalization_settings(),
        "vocabulary": corpus.vocab.units,
    }
    write_container(path, MAGIC, VERSION, header, arrays)


def read_counts(path: str) -> Corpus:
    """Load a count file, checking magic, version, sizes and checksums."""
    header, arrays = read_container(path, MAGIC, VERSION, "count file", in_place=frozenset({"stream"}))
    try:
        max_order = header["order"] + 1
        counts = NgramCounts(
            int(header["bits"]),
            [arrays[f"keys{k}"].astype(np.uint64) for k in range(1, max_order + 1)],
            [arrays[f"counts{k}"].astype(np.int64) for k in range(1, max_order + 1)],
        )
        vocab = Vocabulary(header["vocabulary"][1:])
        return Corpus(vocab, counts, UnitStream.in_file(arrays["stream"]), header["order"])
    except (KeyError, TypeError, ValueError) as exc:
        raise FormatError(f"{path}: corrupt count file ({exc})") from None
