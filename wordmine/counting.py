"""Stage 2: the streaming n-gram counter.

The unit stream is cut into chunks of about ``chunk_units`` units. In each
chunk, every position that holds a unit gets one *record*: the units from it up
to the packed order (or up to the next boundary, padded with 0). One sort of
the records gives the exact counts of every packed order at once, because the
k-grams of the chunk are exactly the k-unit prefixes of records that have k
units; no edge count is lost at a boundary. Orders beyond the packed width are
keyed on the rank of their prefix, which the same sort provides.

Chunk tables are merged like a binary counter (two tables of the same level
merge into one of the next), so each count is merged about log2(chunks) times.
When the tables in memory outgrow half the memory budget they are merged and
spilled to a temporary folder; the spilled runs are merged at the end.

>>> from wordmine.config import CountConfig
>>> corpus = count_text(["天天向上，天天"], CountConfig(order=1))
>>> [corpus.vocab.unit(i) for i in corpus.counts.decode(2, [0])[0]]
['天', '天']
>>> corpus.counts.counts[1].tolist(), corpus.counts.total
([2, 1, 1], 6)
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import os
import shutil
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from .config import CountConfig
from .errors import OutputError
from .ngrams import U64, NgramCounts, mask, merge_counts, widen
from .normalize import Vocabulary


@dataclass
class Corpus:
    """What one pass over the text yields: its vocabulary, n-gram counts and unit stream."""

    vocab: Vocabulary
    counts: NgramCounts
    stream: np.ndarray
    order: int
    spilled_runs: int = 0
    """How many count runs went to disk to stay within the memory budget."""

    @property
    def total_units(self) -> int:
        return self.counts.total


def _group(sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct keys, their counts and, for each input slot, its distinct key's row."""
    new = np.ones(len(sorted_keys), bool)
    new[1:] = sorted_keys[1:] != sorted_keys[:-1]
    starts = np.flatnonzero(new)
    counts = np.diff(np.append(starts, len(sorted_keys))).astype(np.int64)
    return sorted_keys[starts], counts, np.cumsum(new) - 1


def count_chunk(ids: np.ndarray, stop: int, max_order: int, bits: int) -> NgramCounts:
    """Counts of all n-grams of orders ``1..max_order`` that start before ``stop``.

    ``ids`` is a piece of unit stream (0 = boundary); ``ids[stop:]`` is look-ahead
    that lets n-grams starting before ``stop`` run to their end.

    >>> t = count_chunk(np.array([1, 2, 1, 2, 0, 1], np.uint32), 6, 3, 16)
    >>> [c.tolist() for c in t.counts]
    [[3, 2], [2, 1], [1, 1]]
    """
    packed = min(64 // bits, max_order)
    stop = min(stop, len(ids))
    padded = np.zeros(len(ids) + max_order, U64)
    padded[: len(ids)] = ids
    # Units left before the next boundary, capped at the packed width: the
    # record keeps that many units and zeroes the rest (a table lookup, not a loop).
    position = np.arange(stop)
    boundary_at = np.where(padded[: stop + packed] == 0, np.arange(stop + packed), stop + packed)
    next_boundary = np.minimum.accumulate(boundary_at[::-1])[::-1][:stop]
    run_left = np.minimum(next_boundary - position, packed)
    records = np.zeros(stop, U64)
    for j in range(packed):
        records <<= U64(bits)
        records |= padded[j : j + stop]
    width = U64(packed * bits)
    keep = np.array([~mask(int(width) - k * bits) if k else U64(0) for k in range(packed + 1)], U64)
    starts = np.flatnonzero(run_left)
    records = records[starts] & keep[run_left[starts]]
    table = NgramCounts(bits)
    chained = max_order > packed
    perm = np.argsort(records) if chained else None
    ordered = records[perm] if chained else np.sort(records)
    low = mask(bits)
    rank = np.zeros(0, np.int64)
    for order in range(1, packed + 1):
        prefixes = ordered >> U64((packed - order) * bits)
        complete = (prefixes & low) != 0
        keys, counts, slot_rows = _group(prefixes[complete])
        table.keys.append(keys)
        table.counts.append(counts)
        if chained and order == packed:
            rank = np.full(len(records), -1, np.int64)
            rank[perm[complete]] = slot_rows
    for order in range(packed + 1, max_order + 1):
        unit = padded[starts + order - 1]
        ok = (rank >= 0) & (unit != 0)
        keys = (rank[ok].astype(U64) << U64(bits)) | unit[ok]
        if order < max_order:
            perm = np.argsort(keys)
            keys, counts, slot_rows = _group(keys[perm])
            rank = np.full(len(records), -1, np.int64)
            rank[np.flatnonzero(ok)[perm]] = slot_rows
        else:
            keys, counts, _ = _group(np.sort(keys))
        table.keys.append(keys)
        table.counts.append(counts)
    return table


class _RunStack:
    """Chunk tables merged like a binary counter, spilled to disk past a budget."""

    def __init__(self, budget_bytes: int, tmp_dir: str | None) -> None:
        self.levels: list[NgramCounts | None] = []
        self.spilled: list[str] = []
        self.budget = budget_bytes
        self.tmp_parent = tmp_dir
        self.tmp: str | None = None

    def push(self, table: NgramCounts) -> None:
        level = 0
        while level < len(self.levels) and self.levels[level] is not None:
            table = merge_counts(self.levels[level], table)
            self.levels[level] = None
            level += 1
        if level == len(self.levels):
            self.levels.append(None)
        self.levels[level] = table
        if self.memory_bytes() > self.budget:
            self._spill()

    def memory_bytes(self) -> int:
        return sum(t.nbytes for t in self.levels if t is not None)

    def _collapse(self) -> NgramCounts | None:
        merged = None
        for table in self.levels:
            if table is not None:
                merged = table if merged is None else merge_counts(merged, table)
        self.levels = []
        return merged

    def _spill(self) -> None:
        merged = self._collapse()
        if merged is None:
            return
        try:
            if self.tmp is None:
                self.tmp = tempfile.mkdtemp(prefix="wordmine-", dir=self.tmp_parent)
            path = os.path.join(self.tmp, f"run{len(self.spilled)}.npz")
            np.savez(path, bits=merged.bits, *merged.keys, *merged.counts)
        except OSError as exc:
            where = self.tmp_parent or tempfile.gettempdir()
            raise OutputError(f"{where}: cannot spill counts: {exc.strerror}; see --tmp-dir") from None
        self.spilled.append(path)

    def _load(self, path: str) -> NgramCounts:
        with np.load(path) as data:
            arrays = [data[f"arr_{i}"] for i in range(len(data.files) - 1)]
            half = len(arrays) // 2
            return NgramCounts(int(data["bits"]), arrays[:half], arrays[half:])

    def result(self, bits: int, max_order: int) -> NgramCounts:
        try:
            merged = self._collapse()
            for path in self.spilled:
                run = self._load(path)
                os.unlink(path)
                merged = run if merged is None else merge_counts(merged, run)
            return merged if merged is not None else NgramCounts.empty(bits, max_order)
        finally:
            self.close()

    def widen(self, bits: int) -> None:
        self.levels = [None if t is None else widen(t, bits) for t in self.levels]
        for path in self.spilled:
            run = widen(self._load(path), bits)
            np.savez(path, bits=run.bits, *run.keys, *run.counts)

    def close(self) -> None:
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None


def _bits_for(vocab_size: int, bits: int) -> int:
    while vocab_size > (1 << bits):
        bits *= 2
    return bits


class _Chunker:
    """Cuts the unit stream into chunks, each with the look-ahead its n-grams need."""

    def __init__(self, max_order: int, chunk_units: int) -> None:
        self.lookahead = max_order - 1
        self.chunk_units = chunk_units
        self.pending: list[np.ndarray] = []
        self.pending_units = 0
        self.carry = np.zeros(0, np.uint32)

    def add(self, ids: np.ndarray) -> bool:
        """Queue ids; True when a chunk is ready to be taken."""
        self.pending.append(ids)
        self.pending_units += len(ids)
        return self.pending_units >= self.chunk_units

    def take(self, final: bool) -> Iterator[tuple[np.ndarray, int]]:
        """Chunks of about ``chunk_units`` ids, and how many positions of each to count now."""
        ids = np.concatenate([self.carry, *self.pending])
        self.pending, self.pending_units = [], 0
        begin = 0
        while len(ids) - begin >= self.chunk_units + self.lookahead:
            end = begin + self.chunk_units + self.lookahead
            yield ids[begin:end], self.chunk_units
            begin += self.chunk_units
        ids = ids[begin:]
        stop = len(ids) if final else max(0, len(ids) - self.lookahead)
        self.carry = ids[stop:]
        if stop:
            yield ids, stop


def count_text(
    blocks: Iterable[str],
    config: CountConfig,
    vocab: Vocabulary | None = None,
) -> Corpus:
    """Count every n-gram of orders ``1..config.order + 1`` in the text blocks.

    With ``config.jobs > 1`` chunks are counted in worker processes while this
    process reads, encodes and merges; the result does not depend on ``jobs``.
    """
    vocab = vocab if vocab is not None else Vocabulary()
    max_order = config.order + 1
    bits = config.bits
    runs = _RunStack(config.memory // 2, config.tmp_dir)
    chunker = _Chunker(max_order, config.chunk_units)
    pieces: list[np.ndarray] = []
    pool = _pool(config.jobs)
    in_flight: deque = deque()

    def collect(table: NgramCounts) -> None:
        runs.push(table if table.bits == bits else widen(table, bits))

    def submit(final: bool) -> None:
        nonlocal bits
        if len(vocab) > (1 << bits):
            bits = _bits_for(len(vocab), bits)
            runs.widen(bits)
        for ids, stop in chunker.take(final):
            if pool is None:
                collect(count_chunk(ids, stop, max_order, bits))
                continue
            in_flight.append(pool.apply_async(count_chunk, (ids, stop, max_order, bits)))
            # Bounded hand-off: never more chunks waiting than workers plus one.
            while len(in_flight) > config.jobs:
                collect(in_flight.popleft().get())

    try:
        for text in blocks:
            ids = vocab.encode(text)
            pieces.append(ids)
            if chunker.add(ids):
                submit(final=False)
        submit(final=True)
        while in_flight:
            collect(in_flight.popleft().get())
        spilled = len(runs.spilled)
        counts = runs.result(bits, max_order)
    finally:
        runs.close()
        if pool is not None:
            pool.terminate()
    stream_dtype = np.uint16 if len(vocab) <= 1 << 16 else np.uint32
    stream = np.concatenate(pieces).astype(stream_dtype) if pieces else np.zeros(0, stream_dtype)
    return Corpus(vocab, counts, stream, config.order, spilled)


def _pool(jobs: int) -> multiprocessing.pool.Pool | None:
    if jobs <= 1:
        return None
    # fork shares the loaded modules; workers only run the pure count_chunk.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    return multiprocessing.get_context(method).Pool(jobs)
