"""Small numpy idioms every stage uses, each written once.

>>> keys, counts = sum_by_key([np.array([5, 3, 5], np.uint64), np.array([3], np.uint64)],
...                           [np.array([1, 2, 4]), np.array([10])])
>>> keys.tolist(), counts.tolist()
([3, 5], [12, 5])
>>> word_starts(np.array([0, 1, 2, 0, 1]), np.array([False, True, False, False, True])).tolist()
[True, False, True, True, False]
"""

from __future__ import annotations

import numpy as np


def group_flags(sorted_keys: np.ndarray) -> np.ndarray:
    """True at the first key of each run of equal keys in a sorted array (``cumsum - 1``: each key's group).

    >>> group_flags(np.array([1, 1, 4, 7, 7, 7])).tolist()
    [True, False, True, True, False, False]
    """
    new = np.ones(len(sorted_keys), bool)
    new[1:] = sorted_keys[1:] != sorted_keys[:-1]
    return new


def group_starts(sorted_keys: np.ndarray) -> np.ndarray:
    """Where each run of equal keys starts in a sorted array.

    >>> group_starts(np.array([1, 1, 4, 7, 7, 7])).tolist()
    [0, 2, 3]
    """
    return np.flatnonzero(group_flags(sorted_keys))


def distinct_values(values: np.ndarray) -> np.ndarray:
    """The distinct values of a 1-d array, sorted: ``np.unique(values)``.

    Without np.unique's check for masked arrays, which imports numpy.ma: for
    a small input, a start-up cost as large as a step of the work.

    >>> distinct_values(np.array([7, 1, 7, 4, 1])).tolist()
    [1, 4, 7]
    """
    values = np.sort(values)
    return values[group_flags(values)]


def narrowest(values: np.ndarray) -> np.dtype:
    """The narrowest little-endian unsigned type that holds ``values`` (none negative).

    >>> [narrowest(np.array(v)).str for v in ([0, 255], [256], [1 << 40])]
    ['|u1', '<u2', '<u8']
    """
    top = int(values.max()) if values.size else 0
    for dtype in ("<u1", "<u2", "<u4"):
        if top <= np.iinfo(dtype).max:
            return np.dtype(dtype)
    return np.dtype("<u8")


def in_sorted(values: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """For each value, whether it is among ``sorted_keys`` (sorted, distinct): ``np.isin`` by binary search.

    ``np.isin`` sorts the keys again at every call; a table of keys looked up
    window after window of a corpus would be sorted once per window, a cost
    that grows with the corpus times the table.

    >>> in_sorted(np.array([4, 2, 9, 1]), np.array([1, 4, 7])).tolist()
    [True, False, False, True]
    """
    if not len(sorted_keys):
        return np.zeros(len(values), bool)
    at = np.minimum(np.searchsorted(sorted_keys, values), len(sorted_keys) - 1)
    return sorted_keys[at] == values


def sum_by_key(keys: list[np.ndarray], counts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Distinct keys (sorted) and the summed counts of several (key, count) arrays.

    One stable sort of everything, then ``np.add.reduceat`` over the runs of equal
    keys: the counts keep their dtype.
    """
    all_keys = np.concatenate(keys) if keys else np.zeros(0, np.uint64)
    all_counts = np.concatenate(counts) if counts else np.zeros(0, np.int64)
    order = np.argsort(all_keys, kind="stable")
    all_keys, all_counts = all_keys[order], all_counts[order]
    starts = group_starts(all_keys)
    summed = np.add.reduceat(all_counts, starts) if len(starts) else all_counts
    return all_keys[starts], summed


def word_starts(offsets: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """True at each unit that starts a word: the first of its run, or the one after a word end.

    ``offsets`` is each unit's offset in its run of units, ``ends`` True after
    each unit that ends a word (as a segmenter's ``word_ends`` gives it).
    """
    after_end = np.ones(len(ends), bool)
    after_end[1:] = ends[:-1]
    return (offsets == 0) | after_end
