"""Discovery's pruned tables from shards counted on a cluster, a range of first units per task.

``discover --dask`` counts each shard where it lies (:mod:`wordmine.counting.cluster.shards`),
then computes what :mod:`wordmine.counting.reducers.discovery` computes on one machine,
without gathering the counts anywhere:

1. *One numbering.* Unit ids are given by first appearance, so each shard
   numbers its units its own way. The driver gathers the shards'
   vocabularies (a few thousand units each, not their tables), joins them in
   the shards' order as :func:`wordmine.counting.engine.corpusmerge.merge_corpora` does,
   and each shard's table is renumbered on its worker. The ids are then those
   of counting the shards one after another on one machine.
2. *Shuffle by first unit.* The range of first units is cut into ranges of
   about equal size (from each shard's bytes per first unit); the task of
   range r merges the slices of range r of every shard
   (:func:`wordmine.counting.spill.runs.merge_tables`) and prunes it
   (:func:`wordmine.counting.reducers.discovery.prune_partition`): its kept n-grams, their
   right entropy (the extensions wa begin with the same unit: same range)
   and the left terms (suffix w, c ln c) of its extensions aw seen twice or more.
3. *Left terms to the suffix's range.* A term belongs to the range of its
   suffix's first unit; the terms whose suffix that range did not keep are
   dropped where they are (:func:`terms_for`), and the task of range q adds
   the rest from ranges 0, 1, ... in that order, which is the order of the
   unpruned table, so the sums are the one machine's to the last bit.
4. Only the kept rows and their entropies come back to the driver.

Each step is a plain function of its inputs; ``submit(fn, *args)`` runs it
(Dask's ``client.submit``, or a call in this process), so the same code is
tested here without a cluster. Worked example: two shards, three ranges,
equal to pruning the counts of the two texts counted one after the other:

>>> import tempfile
>>> from wordmine.config import CountConfig
>>> from wordmine.counting.engine.counter import count_text
>>> from wordmine.counting.spill.runs import Partition
>>> from wordmine.counting.reducers.discovery import prune
>>> config = CountConfig(order=2, jobs=1)
>>> shards = [count_text([t], config) for t in ("天天向上，好好学习\\n", "天天好，向上\\n")]
>>> vocab, maps = shared_vocabulary([s.vocab.units for s in shards])
>>> here = pruned_on(lambda fn, *args: fn(*args), lambda x: x, shards, maps, 16, 2, 2, ranges=3)
>>> whole = count_text(["天天向上，好好学习\\n天天好，向上\\n"], config)
>>> scratch = tempfile.TemporaryDirectory()
>>> one = prune([Partition((0, len(vocab)), whole.counts)], 2, 2, scratch.name)
>>> all(np.array_equal(a, b) for a, b in zip(here.counts.keys + here.counts.counts,
...                                           one.counts.keys + one.counts.counts))
True
>>> all(np.array_equal(here.entropy[k][side], one.entropy[k][side]) for k in (1, 2) for side in (0, 1))
True
>>> scratch.cleanup()
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np

from wordmine.counting.reducers.discovery import FrequentNgrams, prune_partition
from wordmine.counting.spill.runs import Run, concatenate, first_unit_starts, merge_tables
from wordmine.counting.table.corpus import Corpus
from wordmine.counting.table.ngrams import U64, NgramTable, mask, rekey
from wordmine.counting.table.stats import c_log_c, left_entropy
from wordmine.normalize import Vocabulary

#: ``submit(fn, *args)``: run ``fn`` somewhere; its arguments may be results of earlier submits.
Submit = Callable[..., Any]
#: ``gather(result)``: the value of a submitted result, here.
Gather = Callable[[Any], Any]


def shared_vocabulary(shard_units: list[list[str]]) -> tuple[Vocabulary, list[np.ndarray]]:
    """The vocabulary of the shards read one after another, and each shard's id map into it.

    >>> vocab, maps = shared_vocabulary([["", "天", "地"], ["", "地", "人"]])
    >>> vocab.units, [m.tolist() for m in maps]
    (['', '天', '地', '人'], [[0, 1, 2], [0, 2, 3]])
    """
    vocab = Vocabulary()
    maps = [np.array([0] + [vocab.add(unit) for unit in units[1:]], np.int64) for units in shard_units]
    return vocab, maps


def renumbered(corpus: Corpus, id_map: np.ndarray, bits: int) -> NgramTable:
    """A shard's counts in the shared numbering and width (on its worker)."""
    counts = corpus.counts
    if counts.bits == bits and np.array_equal(id_map, np.arange(len(id_map))):
        return counts
    return rekey(counts, bits, id_map)


def renumbered_stream(corpus: Corpus, id_map: np.ndarray) -> np.ndarray:
    """A shard's unit stream in the shared numbering, as the narrowest array that holds it."""
    dtype = np.uint16 if int(id_map.max(initial=0)) < 1 << 16 else np.uint32  # shared ids, not the shard's
    return id_map.astype(dtype)[corpus.stream.to_array()]


def unit_bytes(table: NgramTable, units: int) -> np.ndarray:
    """Bytes of the rows of each first unit ``0..units - 1``, every order together."""
    return Run("", table.bits, first_unit_starts(table)).unit_bytes(units)


def cut_ranges(weight: np.ndarray, ranges: int) -> list[tuple[int, int]]:
    """At most ``ranges`` ranges of first units of about equal weight, covering ``0..len(weight)``.

    >>> cut_ranges(np.array([0, 5, 5, 1, 1, 8]), 3)
    [(0, 3), (3, 6)]

    Never cut inside one unit: the heavy last unit leaves two ranges, not three.
    """
    units = len(weight)
    cumulative = np.cumsum(weight)
    total = int(cumulative[-1]) if units else 0
    # A range closes with the unit at which its running weight reaches its share.
    cuts = np.searchsorted(cumulative, [total * i / ranges for i in range(1, ranges)]) + 1
    bounds = sorted({0, units, *(min(int(c), units) for c in cuts)})
    return list(itertools.pairwise(bounds))


def table_slice(table: NgramTable, lo: int, hi: int) -> NgramTable:
    """The n-grams of ``table`` whose first unit is in ``lo <= u < hi``: a table in itself.

    As :func:`wordmine.counting.spill.runs.read_slice` reads it from a run: chained keys
    re-based on the slice's first row of the order below.
    """
    run = Run("", table.bits, first_unit_starts(table))
    out = NgramTable(table.bits)
    for order in range(1, table.max_order + 1):
        first, last = run.start(order, lo), run.start(order, hi)
        keys = table.keys[order - 1][first:last]
        if not table.is_packed(order) and len(keys):
            base = U64(run.start(order - 1, lo))
            keys = (((keys >> U64(table.bits)) - base) << U64(table.bits)) | (keys & mask(table.bits))
        out.keys.append(keys)
        out.counts.append(table.counts[order - 1][first:last])
    return out


def _first_units(suffix: np.ndarray, order: int, bits: int) -> np.ndarray:
    """First unit of each suffix of ``order`` units (packed keys, or rows of unit ids)."""
    if suffix.ndim == 2:
        return suffix[:, 0].astype(np.int64)
    return (suffix >> U64(bits * (order - 1))).astype(np.int64)


def prune_range(slices: list[NgramTable], order: int, min_count: int,
                starts: list[int]) -> tuple[NgramTable, dict, list[dict]]:
    """Merge one range's slices of every shard and prune them.

    Returns the kept table, its right entropies, and for each range q (its
    first unit from ``starts[q]``) the left terms whose suffix begins there:
    ``{k: (suffix, c ln c)}``, in the range's key order.
    """
    kept, right, terms = prune_partition(merge_tables(slices), order, min_count)
    outgoing: list[dict] = [{} for _ in starts]
    for k, (suffix, counts) in terms.items():
        owner = np.searchsorted(starts, _first_units(suffix, k, kept.bits), side="right") - 1
        values = c_log_c(counts)
        for q in range(len(starts)):
            at = np.flatnonzero(owner == q)
            outgoing[q][k] = (suffix[at], values[at])
    return kept, right, outgoing


def _kept(pruned: tuple[NgramTable, dict, list[dict]]) -> NgramTable:
    return pruned[0]


def terms_for(pruned: tuple[NgramTable, dict, list[dict]], q: int, kept: NgramTable) -> dict:
    """The left terms of one range for range ``q``, only those whose suffix ``q`` kept.

    Most suffixes of extensions seen twice are themselves below the minimum
    count: checked where the terms are, against the kept table (a few
    percent of their size), they never cross the network. The terms kept
    keep their order, so the sums are unchanged.
    """
    out = {}
    for k, (suffix, values) in pruned[2][q].items():
        rows = kept.find(k, suffix) if kept.is_packed(k) else kept.index(k, suffix.astype(np.int64))
        hit = rows >= 0
        out[k] = (suffix[hit], values[hit])
    return out


def finish_range(pruned: tuple[NgramTable, dict, list[dict]], *incoming: dict) -> tuple[NgramTable, dict]:
    """The kept table of a range and (left, right) entropy of its rows; ``incoming`` in range order."""
    kept, right, _ = pruned
    entropy = {k: (left_entropy(kept, k, (terms[k] for terms in incoming)), right[k]) for k in right}
    return kept, entropy


def pruned_on(submit: Submit, gather: Gather, shards: list, maps: list[np.ndarray], bits: int, order: int,
              min_count: int, ranges: int) -> FrequentNgrams:
    """Steps 1-4 of the module docstring on ``shards`` (Corpus values, or the cluster's handles to them)."""
    units = max(int(m.max(initial=0)) for m in maps) + 1  # ids 0..largest, in the shared numbering
    tables = [submit(renumbered, shard, m, bits) for shard, m in zip(shards, maps)]
    weight = sum(gather(submit(unit_bytes, t, units)) for t in tables)
    bounds = cut_ranges(weight, ranges)
    starts = [lo for lo, _ in bounds]
    pruned = []
    for lo, hi in bounds:
        slices = [submit(table_slice, t, lo, hi) for t in tables]
        pruned.append(submit(_prune_slices, order, min_count, starts, *slices))
    kept_tables = [submit(_kept, p) for p in pruned]
    finished = [submit(finish_range, pruned[q], *(submit(terms_for, p, q, kept_tables[q]) for p in pruned))
                for q in range(len(bounds))]
    kept, right, left = [], {k: [] for k in range(1, order + 1)}, {k: [] for k in range(1, order + 1)}
    for result in finished:
        table, entropy = gather(result)
        kept.append(table)
        for k in entropy:
            left[k].append(entropy[k][0])
            right[k].append(entropy[k][1])
    counts = concatenate(kept)
    return FrequentNgrams(counts, {k: (np.concatenate(left[k]), np.concatenate(right[k])) for k in left}, min_count)


def _prune_slices(order: int, min_count: int, starts: list[int], *slices: NgramTable):
    return prune_range(list(slices), order, min_count, starts)
