"""Exact n-gram counts of one chunk of the unit stream, by sorting one record per position.

Every position that holds a unit gets a *record*: the ``max_order`` units from
there (fewer at a boundary, the rest zero), packed in one ``uint64``. After one
sort, the n-grams of order k are exactly the k-unit prefixes of the records
that have k units, so a single sort counts every order and no edge count is
lost. Unit ids are first re-numbered densely inside the chunk (order kept), so
a chunk of Chinese text with up to 4095 distinct units packs five units in 60
bits. With up to 16383, the records are split by the high bits of their first
unit and each class sorted on its own; classes in order are still sorted.

Worked example, ids 7 8 7 8 | 7 with max_order 3: the local ids are 1 2 1 2 | 1
(2 bits each), the records 1·2·1, 2·1·2, 1·2·0, 2·0·0, 1·0·0; sorted, their
1-unit prefixes give 7: 3, 8: 2, their 2-unit prefixes 7 8: 2, 8 7: 1, and
their full values 7 8 7: 1, 8 7 8: 1.

>>> t = count_chunk(np.array([7, 8, 7, 8, 0, 7], np.uint32), 6, 3, 16)
>>> [c.tolist() for c in t.counts]
[[3, 2], [2, 1], [1, 1]]

Larger vocabularies fall back to sorting the records of the packed orders with
their positions and keying each higher order on the rank of its prefix.
"""

from __future__ import annotations

import numpy as np

from wordmine.arrays import group_flags
from wordmine.counting.table.ngrams import U64, NgramTable, mask

#: At most this many classes of first units; beyond, the rank-based method is cheaper.
MAX_CLASSES = 64


def _group(sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct keys, their counts, and the flags marking where each starts."""
    new = group_flags(sorted_keys)
    starts = np.flatnonzero(new)
    counts = np.diff(np.append(starts, len(sorted_keys))).astype(np.int64)
    return sorted_keys[starts], counts, new


def _records(padded: np.ndarray, stop: int, width: int, bits: int, first_bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Records of ``width`` units at every position before ``stop`` that holds a unit.

    The first unit keeps only its low ``first_bits`` bits; units after the next
    boundary are zeroed. Returns the records and their positions.
    """
    window = padded[: stop + width]
    boundary_at = np.where(window == 0, np.arange(len(window)), len(window))
    next_boundary = np.minimum.accumulate(boundary_at[::-1])[::-1][:stop]
    run_left = np.minimum(next_boundary - np.arange(stop), width)
    records = padded[:stop] & mask(first_bits)
    for j in range(1, width):
        records = (records << U64(bits)) | padded[j : j + stop]
    keep = np.array([~mask((width - r) * bits) for r in range(width + 1)], U64)
    starts = np.flatnonzero(run_left)
    return records[starts] & keep[run_left[starts]], starts


def count_chunk(ids: np.ndarray, stop: int, max_order: int, bits: int) -> NgramTable:
    """Counts of all n-grams of orders ``1..max_order`` that start before ``stop``.

    ``ids`` is a piece of unit stream (0 = boundary); ``ids[stop:]`` is look-ahead
    that lets n-grams starting before ``stop`` run to their end. The table uses
    ``bits`` bits per global unit id (see :mod:`wordmine.counting.table.ngrams`).
    """
    stop = min(stop, len(ids))
    present = np.bincount(ids, minlength=1) > 0
    present[0] = False
    local_of = np.cumsum(present).astype(U64)  # dense ids, order kept; 0 stays 0
    global_of = np.flatnonzero(present).astype(U64)
    global_of = np.concatenate([np.zeros(1, U64), global_of])
    local_bits = max(1, int(len(global_of) - 1).bit_length())
    first_bits = 64 - (max_order - 1) * local_bits
    classes = ((len(global_of) - 1) >> min(first_bits, local_bits)) + 1 if first_bits > 0 else None
    if first_bits <= 0 or classes > MAX_CLASSES:
        return _count_chunk_ranked(ids, stop, max_order, bits)
    padded = np.zeros(len(ids) + max_order, U64)
    padded[: len(ids)] = local_of[ids]
    records, starts = _records(padded, stop, max_order, local_bits, min(first_bits, local_bits))
    if classes > 1:
        first_class = (padded[starts] >> U64(first_bits)).astype(np.uint8)
        perm = np.argsort(first_class, kind="stable")
        bounds = np.searchsorted(first_class[perm], np.arange(classes + 1))
        records = records[perm]
        parts = [np.sort(records[bounds[c] : bounds[c + 1]]) for c in range(classes)]
    else:
        parts = [np.sort(records)]
    return _tables(parts, global_of, max_order, local_bits, first_bits, bits)


def _tables(parts: list[np.ndarray], global_of: np.ndarray, max_order: int, local_bits: int,
            first_bits: int, bits: int) -> NgramTable:
    """The count table on global ids from the sorted records of each first-unit class.

    Classes come in order and the re-numbering keeps order, so concatenating the
    classes' distinct prefixes gives sorted keys without another sort.
    """
    table = NgramTable(bits)
    packed = 64 // bits
    low = mask(local_bits)
    for order in range(1, max_order + 1):
        keys, counts = [], []
        for first_class, ordered in enumerate(parts):
            prefixes = ordered >> U64((max_order - order) * local_bits)
            if order > 1:
                prefixes = prefixes[(prefixes & low) != 0]
            local, n = _group(prefixes)[:2]
            first = (local >> U64((order - 1) * local_bits)) | (U64(first_class) << U64(first_bits))
            key = global_of[first]
            # Re-key unit by unit; where the longer n-gram is chained, the key so
            # far becomes its row in the table of its order (queries come sorted).
            for j in range(1, order):
                field = global_of[(local >> U64((order - 1 - j) * local_bits)) & low]
                if j >= packed:
                    key = table.find(j, key).astype(U64)
                key = (key << U64(bits)) | field
            keys.append(key)
            counts.append(n)
        table.keys.append(np.concatenate(keys))
        table.counts.append(np.concatenate(counts))
    return table


def _count_chunk_ranked(ids: np.ndarray, stop: int, max_order: int, bits: int) -> NgramTable:
    """The general method: one argsort of packed records, then orders keyed on prefix ranks."""
    packed = min(64 // bits, max_order)
    padded = np.zeros(len(ids) + max_order, U64)
    padded[: len(ids)] = ids
    records, starts = _records(padded, stop, packed, bits, bits)
    table = NgramTable(bits)
    chained = max_order > packed
    perm = np.argsort(records) if chained else None
    ordered = records[perm] if chained else np.sort(records)
    low = mask(bits)
    rank = np.zeros(0, np.int64)
    for order in range(1, packed + 1):
        prefixes = ordered >> U64((packed - order) * bits)
        complete = (prefixes & low) != 0
        keys, counts, new = _group(prefixes[complete])
        table.keys.append(keys)
        table.counts.append(counts)
        if chained and order == packed:
            rank = np.full(len(records), -1, np.int64)
            rank[perm[complete]] = np.cumsum(new) - 1
    for order in range(packed + 1, max_order + 1):
        unit = padded[starts + order - 1]
        ok = (rank >= 0) & (unit != 0)
        keys = (rank[ok].astype(U64) << U64(bits)) | unit[ok]
        if order < max_order:
            perm = np.argsort(keys)
            keys, counts, new = _group(keys[perm])
            rank = np.full(len(records), -1, np.int64)
            rank[np.flatnonzero(ok)[perm]] = np.cumsum(new) - 1
        else:
            keys, counts, _ = _group(np.sort(keys))
        table.keys.append(keys)
        table.counts.append(counts)
    return table
