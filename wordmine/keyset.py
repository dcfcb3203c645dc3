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
"""

from __future__ import annotations

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


class KeySet:
    def __init__(self, keys: np.ndarray) -> None:
        keys = np.unique(np.asarray(keys, dtype=np.uint64))
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
