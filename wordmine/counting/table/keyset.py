"""A set of ``uint64`` keys with vectorised membership tests.

The cut pass asks, for every position of the corpus, whether the n-gram there
is solid: tens of millions of questions against a set of some hundred thousand
keys. Binary search (``np.searchsorted``) costs about 100 ns a question; this
open-addressing hash table (multiplicative hash, linear probing, a quarter
full) answers most questions with one gather, about 15 ns.

Key 0 marks an empty slot; it is never a real n-gram key because unit ids
start at 1.

>>> s = KeySet(np.array([3, 17, 2**40], np.uint64))
>>> s.contains(np.array([17, 4, 2**40, 0], np.uint64)).tolist()
[True, False, True, False]
>>> len(s)
3

:class:`KeyIndex` is the same table holding each key's row as well, for lookups
into sorted key arrays (the character model's n-grams): the row of each query
key, or -1, like ``NgramTable.find`` but a gather or two per query instead of
about twenty dependent reads of a binary search.

>>> index = KeyIndex(np.array([3, 10, 11, 2**40], np.uint64))
>>> index.find(np.array([10, 4, 2**40, 3], np.uint64)).tolist()
[1, -1, 3, 0]

A query need not be asked: ``asked`` (a mask) skips those whose answer the
caller already knows is -1, at no cost to the others:

>>> index.find(np.array([10, 3], np.uint64), asked=np.array([True, False])).tolist()
[1, -1]
"""

from __future__ import annotations

import numpy as np

from wordmine.arrays import distinct_values

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
#: No real key is 2**64 - 1 (:mod:`wordmine.counting.table.ngrams` uses it for "absent"): KeyIndex's empty slot.
EMPTY = np.uint64(0xFFFF_FFFF_FFFF_FFFF)


class KeySet:
    def __init__(self, keys: np.ndarray) -> None:
        keys = distinct_values(np.asarray(keys, dtype=np.uint64).ravel())
        keys = keys[keys != 0]
        self._size = len(keys)
        log_slots = max(4, int(np.ceil(np.log2(max(1, len(keys)) * 4))))
        self._shift = np.uint64(64 - log_slots)
        self._mask = (1 << log_slots) - 1
        self._slots = np.zeros(1 << log_slots, np.uint64)
        home = self._home(keys)
        pending = np.arange(len(keys))
        probe = 0
        while len(pending):
            slot = (home[pending] + probe) & self._mask
            free = self._slots[slot] == 0
            # Several keys may want the same free slot: the first of each wins.
            _, first = np.unique(slot[free], return_index=True)
            winners = np.flatnonzero(free)[first]
            self._slots[slot[winners]] = keys[pending[winners]]
            placed = np.zeros(len(pending), bool)
            placed[winners] = True
            pending = pending[~placed]
            probe += 1

    def __len__(self) -> int:
        return self._size

    def _home(self, keys: np.ndarray) -> np.ndarray:
        return ((keys * _GOLDEN) >> self._shift).astype(np.int64)

    def contains(self, queries: np.ndarray) -> np.ndarray:
        """A boolean per query: is it in the set?"""
        queries = np.asarray(queries, dtype=np.uint64)
        found = np.zeros(len(queries), bool)
        home = self._home(queries)
        pending = np.arange(len(queries))
        probe = 0
        while len(pending):
            slot = (home[pending] + probe) & self._mask
            held = self._slots[slot]
            hit = held == queries[pending]
            found[pending[hit]] = True
            pending = pending[~hit & (held != 0)]
            probe += 1
        found[queries == 0] = False
        return found


class KeyIndex:
    """Rows of keys by hashing; ``find`` answers like :meth:`NgramTable.find`.

    Each slot holds its key and its row side by side (16 bytes, read as one
    ``complex128``), so a query reads one place in memory, not two; one spare
    empty slot at the end is where a query not asked starts, and stops.
    """

    def __init__(self, keys: np.ndarray) -> None:
        self.log_size = max(4, int(2 * len(keys)).bit_length())
        size = 1 << self.log_size
        self.mask = np.int64(size - 1)
        rows = np.full(size, -1, np.int64)
        pending = np.arange(len(keys))
        slot = self._home(keys)
        while len(pending):
            # One key per free slot wins this round (whichever write lands last); the
            # others try the next slot.
            free = rows[slot] < 0
            rows[slot[free]] = pending[free]
            won = free & (rows[slot] == pending)
            lost = ~won
            pending, slot = pending[lost], (slot[lost] + 1) & self.mask
        pairs = np.empty((size + 1, 2), np.uint64)
        pairs[:, 0] = EMPTY
        pairs[:-1, 0][rows >= 0] = keys[rows[rows >= 0]]
        pairs[:, 1] = np.append(rows, -1).view(np.uint64)
        self.slots = pairs.view(np.complex128).reshape(-1)

    def _home(self, keys: np.ndarray) -> np.ndarray:
        return ((keys.astype(np.uint64) * _GOLDEN) >> np.uint64(64 - self.log_size)).astype(np.int64)

    def find(self, queries: np.ndarray, asked: np.ndarray | None = None) -> np.ndarray:
        """Row of each query key, or -1 where absent (or not ``asked``).

        Every query reads its home slot; only those that find another key there
        (about one in five at this table's load) probe on.
        """
        queries = queries.astype(np.uint64)
        slot = self._home(queries)
        if asked is not None:
            slot[~asked] = len(self.slots) - 1
        held = np.take(self.slots, slot).view(np.uint64).reshape(-1, 2)
        out = held[:, 1].view(np.int64).copy()
        going = np.flatnonzero(held[:, 0] != queries)
        out[going] = -1
        going = going[held[going, 0] != EMPTY]
        slot = slot[going]
        while len(going):
            slot = (slot + 1) & self.mask
            held = np.take(self.slots, slot).view(np.uint64).reshape(-1, 2)
            hit = held[:, 0] == queries[going]
            out[going[hit]] = held[hit, 1].view(np.int64)
            more = ~hit & (held[:, 0] != EMPTY)
            going, slot = going[more], slot[more]
        return out
