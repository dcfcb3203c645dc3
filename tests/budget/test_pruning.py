"""Runs merged on disk and pruned tables against the whole table in memory."""

from __future__ import annotations

import random

import numpy as np
import pytest

from wordmine.config import CountConfig, DiscoverConfig
from wordmine.counting.engine.counter import count_text
from wordmine.counting.spill.runs import concatenate, merged_partitions, plan_partitions, write_run
from wordmine.counting.table.ngrams import NgramTable
from wordmine.errors import PrunedError
from wordmine.mining.discover import discover
from wordmine.mining.scoring import boundary_entropy
from wordmine.normalize import Vocabulary


def _text(seed: int, units: int = 40_000, alphabet: int = 60) -> str:
    """Random text with a skewed alphabet, so some n-grams repeat often and most do not."""
    rng = random.Random(seed)
    chars = [chr(0x4E00 + i) for i in range(alphabet)]
    weights = [1.0 / (i + 1) for i in range(alphabet)]
    body = rng.choices(chars, weights, k=units)
    for i in range(0, units, 37):
        body[i] = "，" if rng.random() < 0.7 else "\n"
    return "".join(body)


def _wordy_text(seed: int, words: int = 40_000) -> str:
    """Text made of a Zipf-distributed lexicon of 2-4 character words, so there are words to find."""
    rng = random.Random(seed)
    chars = [chr(0x4E00 + i) for i in range(500)]
    lexicon = ["".join(rng.choices(chars, k=rng.choice([2, 2, 3, 4]))) for _ in range(3000)]
    weights = [1.0 / (i + 1) for i in range(len(lexicon))]
    body = rng.choices(lexicon, weights, k=words)
    return "".join(w + ("，" if rng.random() < 0.1 else "") for w in body)


def _same_table(a: NgramTable, b: NgramTable) -> None:
    assert a.max_order == b.max_order and a.bits == b.bits
    for order in range(a.max_order):
        assert np.array_equal(a.keys[order], b.keys[order]), f"keys of order {order + 1}"
        assert np.array_equal(a.counts[order], b.counts[order]), f"counts of order {order + 1}"


def test_runs_merged_a_partition_at_a_time_give_the_whole_table(tmp_path):
    texts = [_text(seed, units=8000) for seed in range(5)]
    whole = count_text(["\n".join(texts)], CountConfig(order=5, jobs=1)).counts  # order 6: chained keys
    runs = []
    vocab = Vocabulary()  # ids by first appearance, as in the whole text
    for i, text in enumerate(texts):
        table = count_text([text], CountConfig(order=5, jobs=1), vocab).counts
        runs.append(write_run(table, str(tmp_path / f"run{i}")))
    # A budget small enough to cut the first units into many ranges.
    assert len(plan_partitions(runs, 20_000)) > 5
    parts = list(merged_partitions(runs, 100_000))
    assert len(parts) > 5
    assert [p.first_units[0] for p in parts] == sorted(p.first_units[0] for p in parts)
    _same_table(concatenate([p.table for p in parts]), whole)


@pytest.mark.parametrize("jobs", [1, 2])
def test_counts_spilled_and_merged_from_disk_equal_counts_in_memory(tmp_path, jobs):
    text = _text(1)
    in_memory = count_text([text], CountConfig(order=4, jobs=1))
    on_disk = count_text([text], CountConfig(order=4, jobs=jobs, memory=1 << 16, chunk_units=3000,
                                             tmp_dir=str(tmp_path)))
    assert on_disk.spilled_runs > 3
    _same_table(on_disk.counts, in_memory.counts)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("order", [2, 4, 5])
@pytest.mark.parametrize("spill", [False, True])
def test_pruned_counts_and_entropies_equal_those_of_the_whole_table(tmp_path, order, spill):
    text = _text(2)
    whole = count_text([text], CountConfig(order=order, jobs=1)).counts
    memory = {"memory": 1 << 16, "chunk_units": 3000} if spill else {}
    pruned = count_text([text], CountConfig(order=order, jobs=1, prune=True, min_count=4,
                                            tmp_dir=str(tmp_path), **memory))
    assert pruned.pruned_at == 4 and pruned.counts.max_order == order
    assert pruned.counts.total == whole.total
    assert list(tmp_path.iterdir()) == []
    for k in range(1, order + 1):
        rows = np.arange(len(whole.keys[k - 1])) if k == 1 else np.flatnonzero(whole.counts[k - 1] >= 4)
        assert 0 < len(rows) < len(whole.keys[k - 1]) or k == 1
        units = whole.decode(k, rows)
        # The same n-grams, with the same counts ...
        assert np.array_equal(pruned.counts.decode(k, np.arange(len(rows))), units)
        assert np.array_equal(pruned.counts.counts[k - 1], whole.counts[k - 1][rows])
        # ... and the same entropies, to the last bit.
        left, right = boundary_entropy(whole, k)
        got_left, got_right = pruned.entropy[k]
        assert np.array_equal(got_left, left[rows]) and np.array_equal(got_right, right[rows])


def test_chained_pruned_orders_are_keyed_on_the_pruned_rows(tmp_path):
    text = _text(3, units=20_000)
    config = {"order": 6, "jobs": 1, "bits": 16}
    whole = count_text([text], CountConfig(**config)).counts
    pruned = count_text([text], CountConfig(**config, prune=True, min_count=2, memory=1 << 16,
                                            chunk_units=2000, tmp_dir=str(tmp_path))).counts
    assert not pruned.is_packed(5)
    rows = np.flatnonzero(whole.counts[5] >= 2)
    assert np.array_equal(pruned.decode(6, np.arange(len(rows))), whole.decode(6, rows))
    assert np.array_equal(pruned.lookup(6, whole.decode(6, rows)), whole.counts[5][rows])


@pytest.mark.parametrize("jobs", [1, 2])
def test_discover_on_pruned_counts_equals_discover_on_the_whole_table(tmp_path, jobs):
    text = _wordy_text(4)
    config = DiscoverConfig(min_count=5)
    whole = discover(count_text([text], CountConfig(jobs=1)), config)
    pruned_corpus = count_text([text], CountConfig(jobs=jobs, prune=True, min_count=5, memory=1 << 16,
                                                   chunk_units=5000, tmp_dir=str(tmp_path)))
    pruned = discover(pruned_corpus, config)
    assert len(whole) > 20
    assert pruned.words == whole.words
    for column in ("count", "cohesion", "left_entropy", "right_entropy", "score"):
        assert np.array_equal(getattr(pruned, column), getattr(whole, column)), column


def test_discover_refuses_a_min_count_below_the_pruning_threshold():
    corpus = count_text([_text(5)], CountConfig(jobs=1, prune=True, min_count=6))
    with pytest.raises(PrunedError, match="--min-count 6"):
        discover(corpus, DiscoverConfig(min_count=5))
    assert discover(corpus, DiscoverConfig(min_count=7)) is not None
