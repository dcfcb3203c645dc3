"""The n-gram table: sorted integer keys and exact counts, one array pair per order.

Key encoding. Every unit id takes ``bits`` bits (16 by default). An n-gram of
order ``k`` with ``k * bits <= 64`` is *packed*: its ids side by side, first
unit in the highest bits, so sorting the keys sorts the n-grams
lexicographically. With ``bits = 16``, 中国人 with ids (5, 9, 12) is::

    key = 5 << 32 | 9 << 16 | 12 = 0x0005_0009_000C

Higher orders are *chained*: the key is the row of the n-gram's prefix in the
table of order ``k - 1``, shifted, with the last unit in the low bits. Prefix
rows are in lexicographic order, so chained keys sort lexicographically too,
and any order fits in 64 bits as long as an order has fewer than
``2 ** (64 - bits)`` distinct n-grams.

>>> t = NgramTable.from_ngrams({(1,): 3, (2,): 2, (1, 2): 2, (2, 1): 1}, bits=16)
>>> t.keys[1].tolist(), t.counts[1].tolist()
([65538, 131073], [2, 1])
>>> t.lookup(2, np.array([[1, 2], [2, 2]])).tolist()
[2, 0]
>>> t.decode(2, np.array([1])).tolist()
[[2, 1]]
"""

from __future__ import annotations

import contextlib
import functools
from dataclasses import dataclass, field

import numpy as np

U64 = np.uint64


def mask(bits: int) -> np.uint64:
    return U64((1 << bits) - 1) if bits < 64 else U64(0xFFFF_FFFF_FFFF_FFFF)


@dataclass
class NgramTable:
    """Exact counts of all n-grams of orders ``1..max_order``.

    ``keys[k - 1]`` (sorted, ``uint64``) and ``counts[k - 1]`` (``int64``) hold
    order ``k``. ``total`` is T, the number of units, the same for every order.
    """

    bits: int
    keys: list[np.ndarray] = field(default_factory=list)
    counts: list[np.ndarray] = field(default_factory=list)

    @property
    def max_order(self) -> int:
        return len(self.keys)

    @property
    def packed_orders(self) -> int:
        return 64 // self.bits

    @property
    def total(self) -> int:
        return int(self.counts[0].sum()) if self.keys else 0

    @property
    def nbytes(self) -> int:
        return sum(k.nbytes + c.nbytes for k, c in zip(self.keys, self.counts))

    def is_packed(self, order: int) -> bool:
        return order <= self.packed_orders

    @classmethod
    def empty(cls, bits: int, max_order: int) -> NgramTable:
        return cls(
            bits,
            [np.zeros(0, U64) for _ in range(max_order)],
            [np.zeros(0, np.int64) for _ in range(max_order)],
        )

    @classmethod
    def from_ngrams(cls, counts: dict[tuple[int, ...], int], bits: int = 16) -> NgramTable:
        """Build a table from explicit ``{unit-id tuple: count}`` (for tests and small data)."""
        max_order = max((len(g) for g in counts), default=1)
        table = cls.empty(bits, max_order)
        for order in range(1, max_order + 1):
            grams = [g for g in counts if len(g) == order]
            units = np.array(grams, dtype=np.int64).reshape(len(grams), order)
            keys = table.encode(order, units)
            if (keys == U64(0xFFFF_FFFF_FFFF_FFFF)).any():
                raise ValueError(f"an n-gram of order {order} lacks its prefix")
            perm = np.argsort(keys)
            table.keys[order - 1] = keys[perm]
            table.counts[order - 1] = np.array([counts[g] for g in grams], np.int64)[perm]
        return table

    # -- from unit ids to rows -------------------------------------------------

    def encode(self, order: int, units: np.ndarray) -> np.ndarray:
        """Keys of the n-grams whose unit ids are the rows of ``units``.

        A chained n-gram whose prefix is not in the table gets key ``2**64 - 1``,
        which no real n-gram has.
        """
        units = np.asarray(units).astype(U64, copy=False).reshape(-1, order)
        bits = U64(self.bits)
        if self.is_packed(order):
            keys = np.zeros(len(units), U64)
            for j in range(order):
                keys = (keys << bits) | units[:, j]
            return keys
        prefix_rows = self.index(order - 1, units[:, :-1])
        keys = (prefix_rows.astype(U64) << bits) | units[:, -1]
        keys[prefix_rows < 0] = U64(0xFFFF_FFFF_FFFF_FFFF)
        return keys

    def find(self, order: int, keys: np.ndarray) -> np.ndarray:
        """Row of each key in the table of ``order``, or -1 where absent."""
        table = self.keys[order - 1]
        rows = np.searchsorted(table, keys)
        inside = rows < len(table)
        hit = np.zeros(len(keys), bool)
        hit[inside] = table[rows[inside]] == keys[inside]
        return np.where(hit, rows, -1)

    def index(self, order: int, units: np.ndarray) -> np.ndarray:
        """Row of each n-gram (rows of unit ids) in the table of ``order``, or -1."""
        return self.find(order, self.encode(order, units))

    def lookup(self, order: int, units: np.ndarray) -> np.ndarray:
        """Count of each n-gram given as rows of unit ids (0 when unseen)."""
        rows = self.index(order, units)
        if not len(self.counts[order - 1]):  # an order pruned empty: nothing to index
            return np.zeros(len(rows), np.int64)
        return np.where(rows >= 0, self.counts[order - 1][np.maximum(rows, 0)], 0)

    # -- from rows to unit ids -------------------------------------------------

    def decode(self, order: int, rows: np.ndarray) -> np.ndarray:
        """Unit ids (one row of ``order`` ids per n-gram) of the given table rows."""
        keys = self.keys[order - 1][rows]
        bits, low = U64(self.bits), mask(self.bits)
        if self.is_packed(order):
            return unpack(keys, order, self.bits)
        prefix = self.decode(order - 1, (keys >> bits).astype(np.int64))
        return np.concatenate([prefix, (keys & low).astype(np.int64)[:, None]], axis=1)

    def prefix_rows(self, order: int) -> np.ndarray:
        """For every n-gram of ``order`` (>= 2), its prefix's row in order - 1."""
        keys = self.keys[order - 1]
        if not self.is_packed(order):
            return (keys >> U64(self.bits)).astype(np.int64)
        # Sorted queries: searchsorted walks the table once.
        return np.searchsorted(self.keys[order - 2], keys >> U64(self.bits)).astype(np.int64)


def pack_at(ids: np.ndarray, starts: np.ndarray, length: int, bits: int) -> np.ndarray:
    """Packed keys of the ``length`` ids that begin at each of ``starts``.

    >>> pack_at(np.array([5, 9, 12, 7]), np.array([0, 1]), 3, 16).tolist() == [0x0005_0009_000C, 0x0009_000C_0007]
    True
    """
    key = np.zeros(len(starts), U64)
    for j in range(length):
        key = (key << U64(bits)) | ids[starts + j].astype(U64)
    return key


def window_keys(ids: np.ndarray, length: int, bits: int) -> np.ndarray:
    """Packed keys of every window of ``length`` ids, one per start position.

    The same keys as :func:`pack_at` at every start, built from slices (no gather).

    >>> window_keys(np.array([5, 9, 12, 7]), 3, 16).tolist() == [0x0005_0009_000C, 0x0009_000C_0007]
    True
    """
    span = max(len(ids) - length + 1, 0)
    key = np.zeros(span, U64)
    for j in range(length):
        key = (key << U64(bits)) | ids[j : j + span].astype(U64)
    return key


def unpack(keys: np.ndarray, order: int, bits: int) -> np.ndarray:
    """Unit ids (one row per key) of packed keys of ``order`` units.

    >>> unpack(np.array([0x0005_0009_000C], U64), 3, 16).tolist()
    [[5, 9, 12]]
    """
    out = np.empty((len(keys), order), np.int64)
    for j in range(order):
        out[:, order - 1 - j] = (keys >> U64(j * bits)) & mask(bits)
    return out


def merge_sorted_keys(
    a_keys: np.ndarray, a_counts: np.ndarray, b_keys: np.ndarray, b_counts: np.ndarray,
    want_rows: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None]:
    """Merge two sorted count tables, adding the counts of equal keys.

    Returns the merged keys and counts and, when ``want_rows``, the row in the
    result of each row of ``a`` and of ``b`` (to re-key the chained order above).

    >>> k, c, ra, rb = merge_sorted_keys(np.array([1, 5], U64), np.array([2, 2]),
    ...                                   np.array([3, 5], U64), np.array([1, 1]))
    >>> k.tolist(), c.tolist(), ra.tolist(), rb.tolist()
    ([1, 3, 5], [2, 1, 3], [0, 2], [1, 2])
    """
    na, nb = len(a_keys), len(b_keys)
    # A stable argsort of the two sorted runs side by side is a merge: numpy's
    # timsort finds the two runs and merges them in linear time, several times
    # faster than placing b's keys by binary search.
    keys = np.concatenate([a_keys, b_keys])
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    counts = np.concatenate([a_counts, b_counts])[order]
    new = np.ones(na + nb, bool)
    np.not_equal(keys[1:], keys[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    merged_keys = keys[starts]
    del keys
    merged_counts = np.add.reduceat(counts, starts) if len(starts) else counts
    del counts, starts
    if not want_rows:
        return merged_keys, merged_counts, None, None
    row_of_slot = np.cumsum(new, dtype=np.int64 if na + nb >= 1 << 31 else np.int32)
    row_of_slot -= 1
    rows = np.empty_like(row_of_slot)
    rows[order] = row_of_slot
    return merged_keys, merged_counts, rows[:na], rows[na:]


def merge_two_tables(a: NgramTable, b: NgramTable, consume: bool = False, threads: int = 1) -> NgramTable:
    """The counts of the concatenation of the two corpora (commutative, associative).

    With ``consume`` the inputs are emptied order by order as the result grows,
    so a merge needs little more memory than its inputs. With ``threads`` > 1 a
    large merge is cut into that many ranges of first units, merged side by side
    (numpy's sorts and gathers run without the interpreter lock), and the
    results laid end to end: the same table as one merge.

    >>> a = NgramTable.from_ngrams({(1,): 2, (3,): 1, (1, 3): 1}, bits=32)
    >>> b = NgramTable.from_ngrams({(3,): 2, (3, 3): 1}, bits=32)
    >>> both = merge_two_tables(a, b, threads=2)
    >>> both.counts[0].tolist(), both.decode(2, np.arange(2)).tolist(), both.counts[1].tolist()
    ([2, 3], [[1, 3], [3, 3]], [1, 1])
    """
    if a.bits != b.bits or a.max_order != b.max_order:
        raise ValueError("cannot merge tables of different shape")
    parts = 1
    if threads > 1 and len(a.keys[-1]) + len(b.keys[-1]) >= PARALLEL_MERGE_ROWS:
        parts = threads
    cuts = _first_unit_cuts(a, parts)
    sides = [_Side(a, _part_bounds(a, cuts)), _Side(b, _part_bounds(b, cuts))]
    out = NgramTable(a.bits)
    prefix_starts = np.zeros(1, np.int64)  # where each part's rows of the order below begin
    if len(cuts) > 1:
        from concurrent.futures import ThreadPoolExecutor  # here: small merges never pay for its import
    with ThreadPoolExecutor(len(cuts)) if len(cuts) > 1 else contextlib.nullcontext() as pool:
        for order in range(1, a.max_order + 1):
            want_rows = order < a.max_order and not a.is_packed(order + 1)
            merge_part = functools.partial(_merge_part, sides, order, want_rows=want_rows)
            merged = list(pool.map(merge_part, range(len(cuts)))) if pool else [merge_part(0)]
            keys = [m[0] for m in merged]
            if not a.is_packed(order) and len(keys) > 1:
                # Chained keys name rows of their part; the parts of order - 1 lie end to end.
                keys = [k + (U64(start) << U64(a.bits)) for k, start in zip(keys, prefix_starts)]
            prefix_starts = np.cumsum([0] + [len(k) for k in keys])[:-1]
            for side, index in zip(sides, (2, 3)):
                side.rows = [m[index] for m in merged]
            if consume:
                for table in (a, b):
                    table.keys[order - 1] = table.counts[order - 1] = np.zeros(0, U64)
            out.keys.append(keys[0] if len(keys) == 1 else np.concatenate(keys))
            out.counts.append(merged[0][1] if len(merged) == 1 else np.concatenate([m[1] for m in merged]))
    return out


@dataclass
class _Side:
    """One table of a merge in ranges: its part bounds, and the last order's rows in the merged parts."""

    table: NgramTable
    bounds: list[np.ndarray]
    rows: list = field(default_factory=list)

    def part(self, order: int, part: int) -> tuple[np.ndarray, np.ndarray]:
        """The keys and counts of ``order`` in ``part``, chained keys re-keyed on the merged prefix rows."""
        lo, hi = self.bounds[order - 1][part], self.bounds[order - 1][part + 1]
        keys, counts = self.table.keys[order - 1][lo:hi], self.table.counts[order - 1][lo:hi]
        if not self.table.is_packed(order):
            bits = U64(self.table.bits)
            # Prefix rows counted from the part's first row index the part's row map.
            prefix = (keys >> bits).astype(np.int64) - self.bounds[order - 2][part]
            keys = (self.rows[part][prefix].astype(U64) << bits) | (keys & mask(self.table.bits))
        return keys, counts


def _merge_part(sides: list[_Side], order: int, part: int, want_rows: bool):
    """merge_sorted_keys of one range of first units of both tables."""
    (ka, ca), (kb, cb) = (side.part(order, part) for side in sides)
    return merge_sorted_keys(ka, ca, kb, cb, want_rows=want_rows)


#: Tables with fewer rows in their top order are merged in one piece: threads would cost more than they save.
PARALLEL_MERGE_ROWS = 1 << 20


def _first_unit_cuts(table: NgramTable, parts: int) -> list[int]:
    """The first unit id of each of ``parts`` ranges, splitting the top packed order of ``table`` evenly.

    Cuts that coincide are dropped (a range of one first unit is never split).
    """
    order = min(table.max_order, table.packed_orders)
    keys = table.keys[order - 1]
    shift = U64(table.bits * (order - 1))
    cuts = [0]
    for part in range(1, parts):
        if len(keys):
            unit = int(keys[part * len(keys) // parts] >> shift)
            if unit > cuts[-1]:
                cuts.append(unit)
    return cuts


def _part_bounds(table: NgramTable, cuts: list[int]) -> list[np.ndarray]:
    """For each order, the row where each range of first units starts, and the row count at the end."""
    bounds = []
    for order in range(1, table.max_order + 1):
        keys = table.keys[order - 1]
        if table.is_packed(order):
            firsts = np.array(cuts[1:], U64) << U64(table.bits * (order - 1))
        else:  # chained: the ranges of their prefix rows
            firsts = bounds[-1][1:-1].astype(U64) << U64(table.bits)
        bounds.append(np.concatenate([[0], np.searchsorted(keys, firsts), [len(keys)]]).astype(np.int64))
    return bounds


def widen(table: NgramTable, bits: int) -> NgramTable:
    """The same counts with ``bits`` bits per unit id (when the vocabulary outgrows the old width)."""
    return rekey(table, bits)


def rekey(table: NgramTable, bits: int, id_map: np.ndarray | None = None) -> NgramTable:
    """The same counts keyed with ``bits`` bits per id, unit ids renamed through ``id_map``.

    Renaming reorders the keys, so every order is decoded, mapped, encoded and
    sorted again (orders in turn: a chained order is keyed on the rows of the
    order below).

    >>> t = NgramTable.from_ngrams({(1,): 2, (2,): 1, (1, 2): 1})
    >>> r = rekey(t, 16, np.array([0, 2, 1]))
    >>> r.decode(1, np.arange(2)).tolist(), r.counts[0].tolist()
    ([[1], [2]], [1, 2])
    >>> r.decode(2, np.arange(1)).tolist()
    [[2, 1]]
    """
    out = NgramTable.empty(bits, table.max_order)
    for order in range(1, table.max_order + 1):
        units = table.decode(order, np.arange(len(table.keys[order - 1])))
        if id_map is not None:
            units = id_map[units]
        keys = out.encode(order, units)
        del units
        perm = np.argsort(keys)
        out.keys[order - 1] = keys[perm]
        out.counts[order - 1] = table.counts[order - 1][perm]
    return out


def bits_for(vocab_size: int, bits: int) -> int:
    while vocab_size > (1 << bits):
        bits *= 2
    return bits
