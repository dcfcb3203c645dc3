"""Every occurrence of given sequences in a long array of ids, found with numpy.

``contrast`` counts the discovered words too long for the n-gram tables in
the unit stream (:mod:`wordmine.mining.occurrences`), and finds the lines that
each long word occurs in (:mod:`wordmine.mining.dispersion`). Both passes used
an Aho-Corasick automaton (pyahocorasick), whose trie node finds a character
among its children by looking at them one after the other
(``trienode_get_next`` in its ``trienode.c``): every character of the text
cost time in proportion to the number of distinct first characters of the
words, and the words grow with the text (89 words of 5 characters or more on
100 MB of the stress corpus, 2,464 on 1 GB, with 70 and 1,524 first
characters), so the two passes grew with the square of the text.

Here the symbols of the patterns are numbered 1..K (0 stands for any other
symbol) and packed ``64 // bits`` to a ``uint64`` key. The positions of the
text holding some pattern's first symbol (one gather and a mask) get the key
of the ``width`` symbols from there (``width``: the shortest pattern, at most
one key); a hash set of the patterns' first keys
(:class:`~wordmine.counting.table.keyset.KeySet`) keeps the few where a pattern may
start, and there the remaining keys of each pattern length are gathered and
compared whole. The work is linear in the text and the positions kept,
however many patterns there are. On 3 M characters of the stress corpus,
with the long words found on 100 MB, 300 MB and 1 GB of it: 6, 10 and 35 ns
of CPU a character, where the automaton took 31, 102 and 369 ns (the same
matches; the share of positions holding a first character grows from 2 to
32 %). Occurrences may overlap, and each is found, as Aho-Corasick finds them.

>>> matcher = Matcher([np.array([1, 2, 1]), np.array([2, 1, 2, 1]), np.array([7, 7])])
>>> which, start = matcher.find(np.array([1, 2, 1, 2, 1, 0, 7, 7, 7]))
>>> sorted(zip(which.tolist(), start.tolist()))
[(0, 0), (0, 2), (1, 1), (2, 6), (2, 7)]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from wordmine.counting.table.keyset import KeySet
from wordmine.counting.table.ngrams import U64


class Matcher:
    """Finds where each of some distinct, non-empty sequences of non-negative ints occurs.

    The patterns are unit ids (the unit stream) or code points (text); any
    value of the searched array that no pattern holds matches nothing.
    """

    def __init__(self, patterns: Sequence[np.ndarray]) -> None:
        arrays = [np.asarray(p, np.int64).reshape(-1) for p in patterns]
        if not arrays or any(len(p) == 0 for p in arrays):
            raise ValueError("a Matcher needs at least one pattern, none of them empty")
        symbols = np.unique(np.concatenate(arrays))
        if symbols[0] < 0:
            raise ValueError("pattern symbols must be non-negative")
        # One slot past the largest symbol holds 0, for every larger value of the text.
        self._code = np.zeros(int(symbols[-1]) + 2, np.uint32)
        self._code[symbols] = np.arange(1, len(symbols) + 1, dtype=np.uint32)
        self._bits = len(symbols).bit_length()
        self._per_key = 64 // self._bits
        lengths = np.array([len(p) for p in arrays])
        self._width = min(self._per_key, int(lengths.min()))
        # Only positions holding a pattern's first symbol are looked at further.
        self._first = np.zeros(len(symbols) + 1, bool)
        self._first[self._code[[p[0] for p in arrays]]] = True
        heads = np.zeros(len(arrays), U64)
        self._groups: list[tuple[int, np.ndarray, _KeyRows, KeySet]] = []
        for length in np.unique(lengths).tolist():
            index = np.flatnonzero(lengths == length)
            rows = self._code[np.stack([arrays[i] for i in index])]
            first = np.arange(len(rows)) * length  # where each pattern starts in the flattened rows
            keys = self._keys(rows.reshape(-1), first, length)
            if len(np.unique(keys, axis=0)) < len(keys):
                raise ValueError("the patterns of a Matcher must be distinct")
            heads[index] = _pack(rows.reshape(-1), first, self._width, self._bits)
            self._groups.append((length, index, _KeyRows(keys), KeySet(heads[index])))
        self._heads = KeySet(heads)

    def _keys(self, symbols: np.ndarray, starts: np.ndarray, length: int) -> np.ndarray:
        """The keys of ``length`` symbols from each start: one row per start, ``per_key`` symbols a key."""
        offsets = range(0, length, self._per_key)
        columns = [_pack(symbols, starts + at, min(self._per_key, length - at), self._bits) for at in offsets]
        return np.stack(columns, axis=1)

    def find(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The pattern and start position of every occurrence in ``values``, by pattern length then position."""
        coded = self._code[np.minimum(np.asarray(values), len(self._code) - 1)]
        starts = np.flatnonzero(self._first[coded[: max(len(coded) - self._width + 1, 0)]])
        heads = _pack(coded, starts, self._width, self._bits)
        held = self._heads.contains(heads)
        starts, heads = starts[held], heads[held]
        which: list[np.ndarray] = [np.zeros(0, np.int64)]
        where: list[np.ndarray] = [np.zeros(0, np.int64)]
        for length, index, keys, group_heads in self._groups:
            fits = starts <= len(coded) - length
            at = starts[fits][group_heads.contains(heads[fits])]
            if not len(at):
                continue
            row = keys.rows_of(self._keys(coded, at, length))
            found = row >= 0
            which.append(index[row[found]])
            where.append(at[found])
        return np.concatenate(which), np.concatenate(where)

    def count(self, values: np.ndarray, n_patterns: int) -> np.ndarray:
        """Occurrences of each pattern in ``values``."""
        return np.bincount(self.find(values)[0], minlength=n_patterns)


def _pack(symbols: np.ndarray, starts: np.ndarray, width: int, bits: int) -> np.ndarray:
    """Keys of the ``width`` symbols from each start, the first in the highest bits (as window_keys packs)."""
    key = np.zeros(len(starts), U64)
    for j in range(width):
        key = (key << U64(bits)) | symbols[starts + j].astype(U64)
    return key


class _KeyRows:
    """The distinct key rows of one pattern length, and the row equal to each query row (or -1).

    Keys of one column are sorted once here, not at every search.
    """

    def __init__(self, table: np.ndarray) -> None:
        self.table = table
        if table.shape[1] == 1:
            self.order = np.argsort(table[:, 0])
            self.sorted = table[self.order, 0]

    def rows_of(self, queries: np.ndarray) -> np.ndarray:
        table = self.table
        if table.shape[1] == 1:
            place = np.minimum(np.searchsorted(self.sorted, queries[:, 0]), len(self.sorted) - 1)
            return np.where(self.sorted[place] == queries[:, 0], self.order[place], -1)
        _, inverse = np.unique(np.concatenate([table, queries]), axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        row = np.full(int(inverse.max()) + 1, -1, np.int64)
        row[inverse[: len(table)]] = np.arange(len(table))
        return row[inverse[len(table) :]]
