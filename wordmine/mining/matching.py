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
one key); a hash table of the patterns' first keys
(:class:`~wordmine.counting.table.keyset.KeyIndex`), looked up once a position,
keeps the few where a pattern may start and says which pattern lengths start
with that key; there the remaining keys of those lengths are gathered and
compared whole (a pattern as long as its first key is found by that one
look-up). The work is linear in the text and the positions kept, however
many patterns there are, and does not grow with the number of lengths: one
look-up a position, where a look-up for each length made words of twelve
lengths cost twelve. On 3 M characters of the stress corpus,
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

from wordmine.counting.table.keyset import KeyIndex
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
        # A bit to spare, so that no key is all ones (KeyIndex's empty slot).
        self._bits = (len(symbols) + 1).bit_length()
        self._per_key = 64 // self._bits
        lengths = np.array([len(p) for p in arrays])
        self._width = min(self._per_key, int(lengths.min()))
        # Only positions holding a pattern's first symbol are looked at further.
        self._first = np.zeros(len(symbols) + 1, bool)
        self._first[self._code[[p[0] for p in arrays]]] = True
        heads = np.zeros(len(arrays), U64)
        self._groups: list[tuple[int, np.ndarray, _KeyRows]] = []
        for length in np.unique(lengths).tolist():
            index = np.flatnonzero(lengths == length)
            rows = self._code[np.stack([arrays[i] for i in index])]
            first = np.arange(len(rows)) * length  # where each pattern starts in the flattened rows
            keys = self._keys(rows.reshape(-1), first, length)
            if len(np.unique(keys, axis=0)) < len(keys):
                raise ValueError("the patterns of a Matcher must be distinct")
            heads[index] = _pack(rows.reshape(-1), first, self._width, self._bits)
            self._groups.append((length, index, _KeyRows(keys)))
        # The distinct heads, and for each length group which of them start one of its patterns: a
        # position is looked up once, not once a length.
        distinct, head_of = np.unique(heads, return_inverse=True)
        self._heads = KeyIndex(distinct)
        head_of = head_of.reshape(-1)
        self._head_in_group = np.zeros((len(self._groups), len(distinct)), bool)
        for g, (_, index, _) in enumerate(self._groups):
            self._head_in_group[g, head_of[index]] = True
        # A pattern as long as the head is its head: its row needs no second look-up.
        self._head_pattern = np.full(len(distinct), -1, np.int64)
        shortest = self._groups[0]
        if shortest[0] == self._width:
            self._head_pattern[head_of[shortest[1]]] = shortest[1]

    def _keys(self, symbols: np.ndarray, starts: np.ndarray, length: int) -> np.ndarray:
        """The keys of ``length`` symbols from each start: one row per start, ``per_key`` symbols a key."""
        offsets = range(0, length, self._per_key)
        columns = [_pack(symbols, starts + at, min(self._per_key, length - at), self._bits) for at in offsets]
        return np.stack(columns, axis=1)

    def find(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The pattern and start position of every occurrence in ``values``, by pattern length then position."""
        coded = self._code[np.minimum(np.asarray(values), len(self._code) - 1)]
        starts = np.flatnonzero(self._first[coded[: max(len(coded) - self._width + 1, 0)]])
        head = self._heads.find(_pack(coded, starts, self._width, self._bits))
        held = head >= 0
        starts, head = starts[held], head[held]
        which: list[np.ndarray] = [np.zeros(0, np.int64)]
        where: list[np.ndarray] = [np.zeros(0, np.int64)]
        for (length, index, keys), in_group in zip(self._groups, self._head_in_group):
            hit = in_group[head] & (starts <= len(coded) - length)
            if length == self._width:
                which.append(self._head_pattern[head[hit]])
                where.append(starts[hit])
                continue
            at = starts[hit]
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

    Keys of one column are hashed once here (no key is all ones: the Matcher spares a bit).
    """

    def __init__(self, table: np.ndarray) -> None:
        self.table = table
        if table.shape[1] == 1:
            self.index = KeyIndex(table[:, 0])

    def rows_of(self, queries: np.ndarray) -> np.ndarray:
        table = self.table
        if table.shape[1] == 1:
            return self.index.find(queries[:, 0])
        _, inverse = np.unique(np.concatenate([table, queries]), axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        row = np.full(int(inverse.max()) + 1, -1, np.int64)
        row[inverse[: len(table)]] = np.arange(len(table))
        return row[inverse[len(table) :]]
