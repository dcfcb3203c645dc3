"""Boundary entropy from a count table, each formula written once.

The branching entropy of an n-gram w on its right side is the entropy of the
unit that follows it (Harris, From Phoneme to Morpheme, Language 31, 1955;
Jin and Tanaka-Ishii, Unsupervised Segmentation of Chinese Text by Use of
Branching Entropy, COLING/ACL 2006, https://aclanthology.org/P06-2056). With
N(w) occurrences and c_a the count of the extension wa:

    H(w) = ln N(w) - S(w) / N(w),   S(w) = sum over a of c_a ln c_a

An occurrence at a text boundary is in N(w) but adds nothing to S(w), which is
exactly "a distinct neighbour each time". The left side sums over the
extensions aw, keyed on their suffix w.

Worked example on 天天向上，天天: 天 occurs 4 times, followed by 天 twice, 向
once and the end once, so S = 2 ln 2 and H = ln 4 - 2 ln 2 / 4 = 1.040.

>>> round(float(branching_entropy(np.array([4]), sum_c_log_c(np.array([2, 1]), np.array([0, 0]), 1))[0]), 3)
1.04

Who uses what: :func:`wordmine.mining.scoring.boundary_entropy` sums every
extension of a whole table; the reducers of ``counting.reducers`` (discovery,
learning) and the cluster's pruning sum the right side partition by partition
and stream the left terms through :class:`LeftTerms`, so that all of them give
the same floating-point numbers, not just close ones.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import numpy as np

from wordmine.arrays import narrowest
from wordmine.counting.table.ngrams import U64, NgramTable, mask

#: Rows of left-entropy terms read back at once.
BLOCK_ROWS = 1 << 20


def c_log_c(counts: np.ndarray) -> np.ndarray:
    """c ln c of each count: an extension's term in its n-gram's boundary entropy.

    >>> c_log_c(np.array([1, 2])).round(3).tolist()
    [0.0, 1.386]
    """
    return counts * np.log(counts.astype(np.float64))


def sum_c_log_c(counts: np.ndarray, parents: np.ndarray, n_parents: int) -> np.ndarray:
    """S of each of ``n_parents`` n-grams: the c ln c of its extensions (``parents[i]``: the row of
    extension i's n-gram), added in the extensions' order."""
    return np.bincount(parents, weights=c_log_c(counts), minlength=n_parents)


def branching_entropy(n_w: np.ndarray, sums: np.ndarray) -> np.ndarray:
    """ln N - S / N of each n-gram, never below 0 (and 0 for an n-gram never seen).

    >>> branching_entropy(np.array([2, 0]), np.array([0.0, 0.0])).round(3).tolist()
    [0.693, 0.0]
    """
    n_w = n_w.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.maximum(np.where(n_w > 0, np.log(n_w) - sums / n_w, 0.0), 0.0)


def suffix_keys(table: NgramTable, order: int, rows: np.ndarray | None = None) -> np.ndarray:
    """The suffix (units 2..order) of the given rows of ``order`` (None: every row): its packed key
    when order - 1 is packed, else rows of unit ids."""
    bits = table.bits
    keys = table.keys[order - 1] if rows is None else table.keys[order - 1][rows]
    if table.is_packed(order):
        return keys & mask((order - 1) * bits)
    if table.is_packed(order - 1):
        prefix = table.keys[order - 2][(keys >> U64(bits)).astype(np.int64)]
        return ((prefix << U64(bits)) | (keys & mask(bits))) & mask((order - 1) * bits)
    return table.decode(order, np.arange(len(keys)) if rows is None else rows)[:, 1:]


def suffix_rows(table: NgramTable, order: int) -> np.ndarray:
    """Row (in order - 1) of the suffix of every n-gram of ``order``.

    Sorting the suffix keys first turns the look-up into one ordered walk of the
    lower table, several times faster than searching in random order.
    """
    suffix = suffix_keys(table, order)
    if suffix.ndim == 2:  # both orders chained (a huge vocabulary): look the decoded ids up, slower but rare
        return table.index(order - 1, suffix)
    perm = np.argsort(suffix)
    rows = np.empty(len(suffix), np.int64)
    rows[perm] = np.searchsorted(table.keys[order - 2], suffix[perm])
    return rows


def add_left_terms(out: np.ndarray, table: NgramTable, order: int, suffix: np.ndarray,
                   terms: np.ndarray) -> None:
    """Add each term to the left sum of its suffix's row in ``table`` (a suffix not kept is skipped).

    ``suffix``: packed keys when ``order`` is packed, else rows of unit ids.
    Terms are added in sequence, as bincount adds them: given in the order of
    the unpruned table, the sums are the same to the last bit.
    """
    if table.is_packed(order):
        rows = table.find(order, suffix)
    else:
        rows = table.index(order, suffix.astype(np.int64))
    hit = rows >= 0
    np.add.at(out, rows[hit], terms[hit])


def left_entropy(table: NgramTable, order: int, blocks: Iterable[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Left entropy of every row of ``order`` in ``table``, from (suffix, c ln c) blocks.

    The blocks must come in the order of the unpruned table (the partitions'
    order), for the sums to be the same to the last bit.
    """
    out = np.zeros(len(table.keys[order - 1]))
    for suffix, terms in blocks:
        add_left_terms(out, table, order, suffix, terms)
    return branching_entropy(table.counts[order - 1], out)


class LeftTerms:
    """The count of every extension aw seen twice or more, keyed on its suffix w, in a file of ``folder``.

    The extensions of a partition have their suffixes in other partitions: the
    terms wait on disk until the table of kept n-grams is whole. An extension
    seen once adds 1 ln 1 = 0 and is never written. Each piece is written in the
    narrowest unsigned type that holds its suffixes (or unit ids) and its counts:
    a few bytes an extension, where the key and its c ln c took 16; c ln c is
    computed when the piece is read back, the same number to the last bit.
    """

    def __init__(self, folder: str, order: int) -> None:
        self.path = os.path.join(folder, f"left{order}.bin")
        self.order = order
        self.handle = open(self.path, "wb")  # noqa: SIM115 - closed in sums() or close()
        self.rows = 0
        self.pieces: list[tuple[int, int, np.dtype, np.dtype]] = []  # rows, ids a row, suffix type, count type

    def add(self, suffix: np.ndarray, counts: np.ndarray) -> None:
        """``suffix``: packed keys, or rows of unit ids when order k is chained."""
        if not len(counts):
            return
        suffix = suffix.reshape(len(counts), -1)
        for at in range(0, len(counts), BLOCK_ROWS):
            ids, piece = suffix[at : at + BLOCK_ROWS], counts[at : at + BLOCK_ROWS]
            suffix_type, count_type = narrowest(ids), narrowest(piece)
            self.handle.write(np.ascontiguousarray(ids, suffix_type).tobytes())
            self.handle.write(np.ascontiguousarray(piece, count_type).tobytes())
            self.pieces.append((len(piece), ids.shape[1], suffix_type, count_type))
        self.rows += len(counts)

    def sums(self, table: NgramTable) -> np.ndarray:
        """Left sums of every row of ``table``'s order, in the order the terms were written."""
        self.handle.close()
        out = np.zeros(len(table.keys[self.order - 1]))
        with open(self.path, "rb") as handle:
            for rows, width, suffix_type, count_type in self.pieces:
                ids = np.fromfile(handle, suffix_type, rows * width).astype(U64).reshape(rows, width)
                counts = np.fromfile(handle, count_type, rows).astype(np.int64)
                add_left_terms(out, table, self.order, ids[:, 0] if width == 1 else ids, c_log_c(counts))
        os.unlink(self.path)
        return out

    def close(self) -> None:
        if not self.handle.closed:
            self.handle.close()
        if os.path.exists(self.path):
            os.unlink(self.path)
