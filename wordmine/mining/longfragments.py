"""The long fragments of discovery's cut pass: their occurrences held, or written to disk past a budget.

A fragment longer than the packed width of the n-gram tables (five units and
more, at order 4) has no row in any table, so the cut pass keeps each of its
occurrences, with the unit on either side, and counts the types once the
stream is through: the count, and the entropy of the neighbours of each type
seen ``min_count`` times (``_frequent``). Occurrences grow with the corpus, not
with its vocabulary, so :class:`LongFragments` holds at most ``held_bytes`` of
them: past that, each length's rows are sorted by the range of their first
unit and appended to one unlinked file in ``tmp_dir``, with where each range
begins. At the end, the ranges are read back a group at a time, each group
(every occurrence of the types that start in it) small enough for the budget,
and counted as the held rows would have been.

Nothing depends on how the occurrences were grouped: a type's occurrences all
start with the same unit, so they meet in one group, in the order they came;
a type's count and entropies sum over them alone, in that order; and the
groups come in order of first unit, each sorted, so the types of a length come
out in the order of one sort of them all. The result is the same dictionary,
in the same order, to the last bit.

>>> import numpy as np
>>> tally = LongFragments(held_bytes=64, tmp_dir=None, first_cuts=np.array([3]))
>>> for _ in range(3):
...     tally.add(np.array([[1, 2, 3, 4, 5], [3, 4, 5, 6, 7]]), np.array([9, 0]), np.array([8, 8]))
>>> tally.spilled
True
>>> {t: (c, round(left, 3), right) for t, (c, left, right) in tally.frequent(3).items()}
{(1, 2, 3, 4, 5): (3, 0.0, 0.0), (3, 4, 5, 6, 7): (3, 1.099, 0.0)}

(Neighbour 0 is the edge of a line, a different neighbour each time: three
of them give ln 3 on the left of the second type.)
>>> tally.close()
"""

from __future__ import annotations

from typing import BinaryIO

import numpy as np

from wordmine.arrays import distinct_values
from wordmine.counting.table.ngrams import U64
from wordmine.mining.scoring import entropy_of_occurrences
from wordmine.unitstream import append_array, scratch_file

#: Ranges of first units the written rows are sorted into; the groups read back join neighbouring ranges.
RANGES = 256

#: Bytes of one unit in a written row (ids and neighbours are written as uint32).
UNIT_BYTES = 4

#: What counting a group of rows takes beside the rows themselves: the packed keys, the sort's
#: permutation, the type of each row and the (type, neighbour) pairs of both sides.
COUNT_FACTOR = 4


def unique_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """np.unique(rows, axis=0, return_inverse=True, return_counts=True), several times faster.

    Each row of unit ids is packed into a few 64-bit words (ids side by side,
    the first in the highest bits, so the words sort as the rows do), and the
    words are sorted together with one lexsort instead of comparing rows as
    byte strings.

    >>> types, which, counts = unique_rows(np.array([[3, 1, 2], [1, 2, 3], [3, 1, 2]]))
    >>> types.tolist(), which.tolist(), counts.tolist()
    ([[1, 2, 3], [3, 1, 2]], [1, 0, 1], [1, 2])
    """
    n, width = rows.shape
    bits = max(int(rows.max(initial=0)).bit_length(), 1)
    per_word = 64 // bits
    words = []
    for first in range(0, width, per_word):
        word = np.zeros(n, U64)
        for j in range(first, min(first + per_word, width)):
            word = (word << U64(bits)) | rows[:, j].astype(U64)
        words.append(word)
    perm = np.lexsort(words[::-1])  # lexsort's last key is the primary one
    new = np.zeros(n, bool)
    new[:1] = True
    for word in words:
        ordered = word[perm]
        new[1:] |= ordered[1:] != ordered[:-1]
    starts = np.flatnonzero(new)
    which = np.empty(n, np.int64)
    which[perm] = np.cumsum(new) - 1
    counts = np.diff(np.append(starts, n))
    return rows[perm[starts]], which, counts


def _frequent(rows: np.ndarray, left: np.ndarray, right: np.ndarray,
              min_count: int) -> dict[tuple[int, ...], tuple[int, float, float]]:
    """Count, left and right entropy of each fragment type among ``rows`` seen ``min_count`` times, in type order."""
    types, which, counts = unique_rows(rows)
    left_h = entropy_of_occurrences(which, left, len(types))
    right_h = entropy_of_occurrences(which, right, len(types))
    frequent = np.flatnonzero(counts >= min_count)
    return {
        tuple(t): (c, hl, hr)
        for t, c, hl, hr in zip(types[frequent].tolist(), counts[frequent].tolist(),
                                left_h[frequent].tolist(), right_h[frequent].tolist())
    }


def first_unit_cuts(unit_ids: np.ndarray, unit_counts: np.ndarray, ranges: int = RANGES) -> np.ndarray:
    """Unit ids that cut the units, in id order, into ``ranges`` ranges of about equal occurrences.

    A fragment starts with a unit about as often as the unit occurs, so the
    ranges hold about equal shares of the fragments.

    >>> first_unit_cuts(np.array([1, 2, 3, 4]), np.array([10, 10, 10, 10]), ranges=2).tolist()
    [3]
    """
    order = np.argsort(unit_ids, kind="stable")
    ids, cumulative = unit_ids[order], np.cumsum(unit_counts[order])
    if len(ids) == 0 or cumulative[-1] == 0:
        return np.zeros(0, np.int64)
    marks = cumulative[-1] * np.arange(1, ranges) / ranges
    # A range ends with the unit whose occurrences reach its mark; the next range starts after it.
    after = np.searchsorted(cumulative, marks, side="left") + 1
    return distinct_values(ids[after[after < len(ids)]].astype(np.int64))


class LongFragments:
    """Occurrences of the long fragments of each length, with their neighbours; counted by :meth:`frequent`.

    ``held_bytes`` None holds every occurrence in memory; otherwise rows past
    it go to an unlinked file in ``tmp_dir`` (None: the system's temporary
    folder), sorted into the ranges of first unit that ``first_cuts`` cut.
    """

    def __init__(self, held_bytes: int | None, tmp_dir: str | None, first_cuts: np.ndarray) -> None:
        self._held_bytes = held_bytes
        self._tmp_dir = tmp_dir
        self._cuts = np.asarray(first_cuts, np.int64)
        self._held: dict[int, tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]] = {}
        self._held_size = 0
        self._file: BinaryIO | None = None
        # length -> (file offset, row where each range starts) of each written chunk
        self._chunks: dict[int, list[tuple[int, np.ndarray]]] = {}
        self._lengths: list[int] = []  # in the order first seen, which orders the result

    @property
    def spilled(self) -> bool:
        """Whether any rows went to disk."""
        return self._file is not None

    def add(self, rows: np.ndarray, left: np.ndarray, right: np.ndarray) -> None:
        """Occurrences of one length: ``rows`` (n, length) of unit ids, the unit before and after each."""
        length = rows.shape[1]
        if length not in self._held and length not in self._chunks:
            self._lengths.append(length)
        held = self._held.setdefault(length, ([], [], []))
        held[0].append(rows)
        held[1].append(left)
        held[2].append(right)
        self._held_size += rows.nbytes + left.nbytes + right.nbytes
        if self._held_bytes is not None and self._held_size > self._held_bytes:
            self._write_held()

    def frequent(self, min_count: int) -> dict[tuple[int, ...], tuple[int, float, float]]:
        """Count, left and right entropy of each type seen ``min_count`` times: lengths in the order
        first seen, the types of a length in unit order."""
        if self.spilled:
            self._write_held()
        found: dict[tuple[int, ...], tuple[int, float, float]] = {}
        for length in self._lengths:
            if length in self._chunks:
                for rows, left, right in self._groups(length):
                    found.update(_frequent(rows, left, right, min_count))
            else:
                rows, left, right = (np.concatenate(parts) for parts in self._held[length])
                found.update(_frequent(rows, left, right, min_count))
        return found

    def close(self) -> None:
        """Drop the held rows and the file (unlinked already: closing frees its space)."""
        self._held.clear()
        if self._file is not None:
            self._file.close()
            self._file = None

    # -- on disk ---------------------------------------------------------------

    def _write_held(self) -> None:
        for length, parts in self._held.items():
            rows, left, right = (np.concatenate(p) for p in parts)
            ranges = np.searchsorted(self._cuts, rows[:, 0].astype(np.int64), side="right")
            order = np.argsort(ranges, kind="stable")  # stable: a type's occurrences stay in order
            record = np.empty((len(rows), length + 2), np.uint32)
            record[:, :length] = rows[order]
            record[:, length] = left[order]
            record[:, length + 1] = right[order]
            starts = np.searchsorted(ranges[order], np.arange(len(self._cuts) + 2))
            self._chunks.setdefault(length, []).append((self._write(record), starts))
        self._held.clear()
        self._held_size = 0

    def _write(self, record: np.ndarray) -> int:
        what = "the cut pass's long fragments"
        self._file = self._file or scratch_file(self._tmp_dir, "fragments", what)
        return append_array(self._file, record, self._tmp_dir, what)

    def _groups(self, length: int):
        """The written rows of ``length``, a group of neighbouring ranges at a time, as (rows, left, right)."""
        chunks = self._chunks[length]
        width = length + 2
        # below[r]: rows of all ranges before range r
        below = np.concatenate([[0], np.cumsum(sum(np.diff(starts) for _, starts in chunks))])
        budget_rows = max(1, (self._held_bytes or 0) // (width * UNIT_BYTES * COUNT_FACTOR))
        first = 0
        while first < len(below) - 1:
            # as many ranges as fit the budget; a range alone is read whatever its size (its types cannot be split)
            last = max(first + 1, int(np.searchsorted(below, below[first] + budget_rows, side="right")) - 1)
            if below[last] > below[first]:
                pieces = [self._read(offset + int(starts[first]) * width * UNIT_BYTES,
                                     int(starts[last] - starts[first]), width) for offset, starts in chunks]
                group = np.concatenate(pieces)
                yield group[:, :length], group[:, length], group[:, length + 1]
            first = last

    def _read(self, offset: int, rows: int, width: int) -> np.ndarray:
        assert self._file is not None
        self._file.seek(offset)
        return np.fromfile(self._file, np.uint32, rows * width).reshape(rows, width)
