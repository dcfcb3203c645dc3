"""A hash index over sorted ``uint64`` keys: the row of each query key in one or two probes.

``np.searchsorted`` over a table of a million keys costs about twenty dependent
memory reads per query; decoding looks up every unit of the text at three
orders, and the searches took most of its time. This index is an open-addressing
table (linear probing, at most half full) built and probed in vectorised rounds:
each round handles every key still looking for its slot.

>>> keys = np.array([3, 10, 11, 2**40], np.uint64)
>>> index = KeyIndex(keys)
>>> index.find(np.array([10, 4, 2**40, 3], np.uint64)).tolist()
[1, -1, 3, 0]
"""

from __future__ import annotations

import numpy as np

#: No real key is 2**64 - 1 (:mod:`wordmine.ngrams` uses it for "absent"), so it marks an empty slot.
EMPTY = np.uint64(0xFFFF_FFFF_FFFF_FFFF)
#: Fibonacci hashing: multiply by 2**64 / golden ratio, keep the high bits.
_MULTIPLIER = np.uint64(0x9E37_79B9_7F4A_7C15)


class KeyIndex:
    """Rows of keys by hashing; ``find`` answers like :meth:`NgramCounts.find`."""

    def __init__(self, keys: np.ndarray) -> None:
        self.log_size = max(4, int(2 * len(keys)).bit_length())
        size = 1 << self.log_size
        self.mask = np.int64(size - 1)
        self.keys = np.full(size, EMPTY, np.uint64)
        self.rows = np.full(size, -1, np.int64)
        pending = np.arange(len(keys))
        slot = self._home(keys)
        while len(pending):
            # One key per free slot wins this round (whichever write lands last); the
            # others try the next slot.
            free = self.rows[slot] < 0
            self.rows[slot[free]] = pending[free]
            won = free & (self.rows[slot] == pending)
            self.keys[slot[won]] = keys[pending[won]]
            lost = ~won
            pending, slot = pending[lost], (slot[lost] + 1) & self.mask

    def _home(self, keys: np.ndarray) -> np.ndarray:
        return ((keys.astype(np.uint64) * _MULTIPLIER) >> np.uint64(64 - self.log_size)).astype(np.int64)

    def find(self, queries: np.ndarray) -> np.ndarray:
        """Row of each query key, or -1 where absent."""
        out = np.full(len(queries), -1, np.int64)
        active = np.arange(len(queries))
        slot = self._home(queries)
        wanted = queries.astype(np.uint64)
        while len(active):
            held = self.keys[slot]
            hit = held == wanted
            out[active[hit]] = self.rows[slot[hit]]
            going = ~hit & (held != EMPTY)
            active, slot, wanted = active[going], (slot[going] + 1) & self.mask, wanted[going]
        return out
