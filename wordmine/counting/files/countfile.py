"""The count file (``.wmc``): a corpus counted once, reused by every command.

A :mod:`wordmine.io.container` with magic ``b"WMCOUNTS"``, version 2 (version 1
had no checksum of its header, and is refused: count again). The header
holds the vocabulary (unit strings in id order, id 0 = boundary), the counting
order n, the bits per unit id of the key encoding (see
:mod:`wordmine.counting.table.ngrams`), the normalisation settings the text was read with, and
an array directory: for each array its name, dtype (``<u8`` keys, ``<i8``
counts, ``<u2``/``<u4`` unit stream), offset, length and CRC-32. The unit stream
(the corpus as unit ids, 0 at boundaries) lets ``discover`` make its cut pass
without the text.

A file with another magic, another version, a short body or a bad checksum is
refused with a :class:`~wordmine.errors.FormatError` that says which; so is a
header whose fields do not fit together (bits per unit that cannot hold the
vocabulary, unit ids past its end). A file named ``*.wmc`` (in any case) or
starting with the magic is a count file, and must be a valid one: a count file
cut to 4 bytes is refused, not read as 4 bytes of text.
"""

from __future__ import annotations

import numpy as np

from wordmine.counting.table.corpus import Corpus
from wordmine.counting.table.ngrams import NgramTable
from wordmine.errors import FormatError
from wordmine.io.container import has_magic, read_container, write_container
from wordmine.normalize import HAN_RANGES, MAX_LATIN_UNIT, Vocabulary
from wordmine.unitstream import UnitStream

MAGIC = b"WMCOUNTS"
VERSION = 2
SUFFIX = ".wmc"


def normalization_settings() -> dict:
    """What the text model was when the counts were made (a model must match it)."""
    return {
        "fold": "fullwidth-ascii,ideographic-space,compat-ideographs",
        "han_ranges": [list(r) for r in HAN_RANGES],
        "max_latin_unit": MAX_LATIN_UNIT,
    }


def is_count_file(path: str) -> bool:
    """True when ``path`` is named ``*.wmc`` or starts with the count-file magic (even cut short)."""
    return has_magic(path, MAGIC, SUFFIX)


def write_counts(corpus: Corpus, path: str) -> None:
    """Write ``corpus`` to ``path`` atomically (a temporary file renamed at the end)."""
    arrays = []
    for order in range(1, corpus.counts.max_order + 1):
        arrays.append((f"keys{order}", corpus.counts.keys[order - 1].astype("<u8", copy=False)))
        arrays.append((f"counts{order}", corpus.counts.counts[order - 1].astype("<i8", copy=False)))
    arrays.append(("stream", corpus.stream))
    header = count_header(corpus.order, corpus.counts.bits, corpus.total_units, corpus.vocab)
    write_container(path, MAGIC, VERSION, header, arrays)


def count_header(order: int, bits: int, total_units: int, vocab: Vocabulary) -> dict:
    """The header fields of a count file (the array directory is added by the container)."""
    return {
        "format": "wordmine-counts",
        "order": order,
        "bits": bits,
        "total_units": total_units,
        "normalization": normalization_settings(),
        "vocabulary": vocab.units,
    }


def check_header(header: dict) -> None:
    """Raise ValueError unless the fields a count file needs are there and fit together."""
    order, bits, vocabulary = header.get("order"), header.get("bits"), header.get("vocabulary")
    if not (type(order) is int and 1 <= order <= 7):
        raise ValueError(f"order {order!r}")
    if not (type(bits) is int and 1 <= bits <= 32):  # a unit id never needs more, and chained keys need room
        raise ValueError(f"bits {bits!r}")
    if not (isinstance(vocabulary, list) and vocabulary and all(isinstance(u, str) for u in vocabulary)):
        raise ValueError("bad vocabulary")
    if len(vocabulary) > 1 << bits:
        raise ValueError(f"{len(vocabulary)} units do not fit in {bits} bits")


def check_keys(counts: NgramTable, n_units: int) -> None:
    """Raise ValueError unless every key decodes to units of the vocabulary (and rows of the order below).

    Only the first and last unit of each key are looked at, vectorised: enough
    to catch keys read with the wrong bits per unit.
    """
    bits = np.uint64(counts.bits)
    low = (np.uint64(1) << bits) - np.uint64(1)
    for k, keys in enumerate(counts.keys, start=1):
        if not len(keys):
            continue
        if int((keys & low).max()) >= n_units:
            raise ValueError(f"keys of order {k} refer to units past the vocabulary")
        if k > 1 and counts.is_packed(k):
            first = int((keys >> np.uint64((k - 1) * counts.bits)).max())
            if first >= n_units:
                raise ValueError(f"keys of order {k} refer to units past the vocabulary")
        elif k > 1 and int((keys >> bits).max()) >= len(counts.keys[k - 2]):
            raise ValueError(f"keys of order {k} refer to rows past the order below")


def read_counts(path: str) -> Corpus:
    """Load a count file, checking magic, version, sizes, checksums and header fields."""
    header, arrays = read_container(path, MAGIC, VERSION, "count file", in_place=frozenset({"stream"}),
                                    bounds={"vocabulary": ("stream", "keys1")})
    try:
        check_header(header)
        max_order = header["order"] + 1
        counts = NgramTable(
            header["bits"],
            [arrays[f"keys{k}"].astype(np.uint64) for k in range(1, max_order + 1)],
            [arrays[f"counts{k}"].astype(np.int64) for k in range(1, max_order + 1)],
        )
        if any(len(k) != len(c) for k, c in zip(counts.keys, counts.counts)):
            raise ValueError("keys and counts differ in length")
        check_keys(counts, len(header["vocabulary"]))
        vocab = Vocabulary(header["vocabulary"][1:])
        return Corpus(vocab, counts, UnitStream.in_file(arrays["stream"]), header["order"])
    except (KeyError, TypeError, ValueError) as exc:
        raise FormatError(f"{path}: damaged count file ({exc}); count again") from None
