"""The plan of a multi-pass external merge: which sorted runs each pass merges into one.

Merging R sorted runs at once holds R files open and R blocks in memory; past
a fan-in of F, some runs are first merged into fewer, pass after pass, each
pass writing and reading the rows it merges once more (Knuth, The Art of
Computer Programming vol. 3, section 5.4, 1973). Counting's runs, ``merge``'s
files and the listing's ranked runs are all merged so
(:func:`wordmine.counting.spill.runs.merged_partitions`, ``wordmine.counting.reducers.listing``);
each brings its own way to merge a group, this module the plan:

>>> merge_passes([3, 1, 1, 2], size=lambda rows: rows, merge_group=lambda group, passes, at: sum(group), fan_in=3)
[3, 2, 2]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def merge_passes(runs: list[T], size: Callable[[T], int], merge_group: Callable[[list[T], int, int], T],
                 fan_in: int) -> list[T]:
    """Runs merged group by group (:func:`pass_groups`), pass after pass, until ``fan_in`` are left.

    ``merge_group(runs, pass, group)`` merges a group of runs into one and
    removes the merged runs; ``size(run)`` is its number of rows. What counting's
    runs, ``merge``'s files and the listing's ranked runs share.
    """
    passes = 0
    while len(runs) > fan_in:
        groups = pass_groups([size(run) for run in runs], fan_in)
        merged = [merge_group([runs[i] for i in group], passes, at) for at, group in enumerate(groups)]
        done = {i for group in groups for i in group}
        runs = [run for i, run in enumerate(runs) if i not in done] + merged
        passes += 1
    return runs


def pass_groups(sizes: list[int], fan_in: int) -> list[list[int]]:
    """The runs (by index) one pass of a multi-pass merge merges, ``fan_in`` at most a group.

    As few as leave ``fan_in`` runs for the last pass (or a ``fan_in``-th of them
    while there are more than ``fan_in`` squared), the smallest first: 65 runs and
    a fan-in of 64 take one extra merge of the two smallest, not a pass over all.
    R runs take ceil(log_fan_in(R)) - 1 extra passes at most (Knuth, The Art of
    Computer Programming vol. 3, section 5.4, 1973).

    >>> pass_groups([5, 1, 1, 9], 3)
    [[1, 2]]
    >>> pass_groups([1] * 10, 3)
    [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    """
    fan_in = max(fan_in, 2)
    merges = len(sizes) - max(fan_in, -(-len(sizes) // fan_in))  # runs the pass takes away
    order = sorted(range(len(sizes)), key=lambda i: (sizes[i], i))
    groups, at = [], 0
    while merges > 0:
        size = min(fan_in, merges + 1)
        groups.append(order[at : at + size])
        at += size
        merges -= size - 1
    return groups
