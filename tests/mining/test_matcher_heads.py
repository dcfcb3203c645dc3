"""The Matcher looks each position's head up once for every pattern length: the same matches as a plain search."""

from __future__ import annotations

import numpy as np

from wordmine.mining.matching import Matcher


def brute_force(patterns: list[np.ndarray], values: np.ndarray) -> list[tuple[int, int]]:
    found = []
    for i, p in enumerate(patterns):
        for start in range(len(values) - len(p) + 1):
            if np.array_equal(values[start : start + len(p)], p):
                found.append((i, start))
    return sorted(found)


def test_patterns_of_many_lengths_sharing_heads_are_all_found():
    rng = np.random.default_rng(7)
    values = rng.integers(0, 6, 3000)
    patterns, seen = [], set()
    for length in [2, 2, 2, 3, 3, 4, 5, 7, 9, 12, 12, 17]:
        start = int(rng.integers(0, len(values) - length))
        p = values[start : start + length]  # taken from the text: each occurs at least once
        if p.tobytes() not in seen:
            seen.add(p.tobytes())
            patterns.append(p)
    patterns.append(np.array([9, 9, 9]))  # a symbol the text lacks
    which, start = Matcher(patterns).find(values)
    got = sorted(zip(which.tolist(), start.tolist()))
    assert got == brute_force(patterns, values)
    assert {i for i, _ in got} == set(range(len(patterns) - 1))


def test_results_come_by_length_then_position():
    patterns = [np.array([1, 2, 3]), np.array([1, 2]), np.array([2, 3])]
    which, start = Matcher(patterns).find(np.array([1, 2, 3, 1, 2, 3]))
    assert list(zip(which.tolist(), start.tolist())) == [(1, 0), (2, 1), (1, 3), (2, 4), (0, 0), (0, 3)]


def test_patterns_filling_whole_keys_of_the_largest_symbols_are_found():
    # 15 symbols: the head is 15 symbols long, and the longer pattern is sixteen of the largest.
    patterns = [np.arange(1, 16), np.full(16, 15)]
    values = np.concatenate([np.arange(1, 16), np.full(16, 15), [0]])
    which, start = Matcher(patterns).find(values)
    assert sorted(zip(which.tolist(), start.tolist())) == brute_force(patterns, values)
    assert (1, 15) in set(zip(which.tolist(), start.tolist()))
