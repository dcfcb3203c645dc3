"""The rows of ``wordmine count``, most frequent first, from partitions that never make one table.

``ngram_rows`` ranks the whole table: a stable sort of minus the counts, over
the orders laid end to end, rows in key order within each. That is a sort on
the key (minus count, order, row of the order), and the rows of an order come
out of the merged partitions in key order, so a partition's rows are known by
their rank key as it passes:

- with ``--top N``, :class:`TopRows` keeps the best N seen so far (their keys
  and unit ids), a bounded heap in array form: each partition's candidates at
  or above the N-th best count are sorted together with the kept ones, and N
  stay;
- without it, :class:`RankedRuns` sorts each partition's rows of each order by
  that key and writes them to a run on disk; :func:`ranked_rows` merges the
  runs a block of each at a time, emitting every row not above the smallest of
  the blocks' last keys (no row still on disk can come before it). This is
  external merge sorting (Knuth, The Art of Computer Programming vol. 3,
  section 5.4, 1973), the runs read sequentially.

Both give the rows ``ngram_rows`` gives, ties included.

>>> from wordmine.config import CountConfig
>>> from wordmine.counting.engine.counter import count_text
>>> from wordmine.counting.table.corpus import ngram_rows
>>> import tempfile
>>> scratch = tempfile.TemporaryDirectory()
>>> ranks = RankedRuns(2, 1, scratch.name)   # orders 1..2, every row, runs in a folder of it
>>> corpus = count_text(["天天向上，天天"], CountConfig(order=1), reduce=ranks)
>>> list(ranked_rows(ranks, corpus.vocab)) == list(ngram_rows(count_text(["天天向上，天天"], CountConfig(order=1))))
True
>>> ranks.close()
>>> best = TopRows(2, 1, 2)
>>> corpus = count_text(["天天向上，天天"], CountConfig(order=1), reduce=best)
>>> list(ranked_rows(best, corpus.vocab))
[{'ngram': '天', 'order': 1, 'count': 4}, {'ngram': '天天', 'order': 2, 'count': 2}]
>>> scratch.cleanup()
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator

import numpy as np

from wordmine.counting.reducers.reduced import Reduced
from wordmine.counting.spill import runs as sorted_runs
from wordmine.counting.spill.passes import merge_passes
from wordmine.counting.spill.runs import Partition, spill_folder
from wordmine.counting.table.ngrams import U64, NgramTable
from wordmine.normalize import Vocabulary

#: The bits of a rank key's second word that hold the row; the order sits above them.
ROW_BITS = 58


def record_type(max_order: int) -> np.dtype:
    """A ranked row on disk: minus count (as ~count, so it sorts ascending), order and row, unit ids."""
    return np.dtype([("k1", "<u8"), ("k2", "<u8"), ("ids", "<u4", (max_order,))])


def _rank_keys(counts: np.ndarray, order: int, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return ~counts.astype(U64), (U64(order) << U64(ROW_BITS)) | rows.astype(U64)


class _Reducer:
    """What both reducers share: the single units' table kept (for the totals), rows counted per order."""

    def __init__(self, max_order: int, min_count: int) -> None:
        self.max_order = max_order
        self.min_count = min_count
        self.before = np.zeros(max_order, np.int64)
        self.bits = 16
        self.units: list[np.ndarray] = []

    def close(self) -> None:
        """Remove what the reducer spilled (nothing, unless it ranks on disk)."""

    def __call__(self, partitions: Iterable[Partition], units: int, folder: str):

        keys, counts = [], []
        for part in partitions:
            table = part.table
            if not keys and table.max_order != self.max_order:
                self.reshape(table.max_order)  # a count file read as it is, whatever --order said
            self.bits = table.bits
            self.add(table)
            self.before += [len(k) for k in table.keys]
            keys.append(table.keys[0])
            counts.append(table.counts[0])
        table = NgramTable(self.bits, [np.concatenate(keys) if keys else np.zeros(0, U64)],
                            [np.concatenate(counts) if counts else np.zeros(0, np.int64)])
        return Reduced(table)

    def add(self, table: NgramTable) -> None:
        raise NotImplementedError

    def reshape(self, max_order: int) -> None:
        self.max_order = max_order
        self.before = np.zeros(max_order, np.int64)

    def records(self, table: NgramTable, order: int, rows: np.ndarray, k1=None, k2=None) -> np.ndarray:
        out = np.zeros(len(rows), record_type(self.max_order))
        if k1 is None:
            k1, k2 = _rank_keys(table.counts[order - 1][rows], order, self.before[order - 1] + rows)
        out["k1"], out["k2"] = k1, k2
        out["ids"][:, :order] = table.decode(order, rows)
        return out


class TopRows(_Reducer):
    """A table reducer keeping the ``top`` best rows at ``min_count`` or more (see the module)."""

    def __init__(self, top: int, min_count: int, max_order: int) -> None:
        super().__init__(max_order, min_count)
        self.top = top
        self.best = np.zeros(0, record_type(max_order))

    def reshape(self, max_order: int) -> None:
        super().reshape(max_order)
        self.best = np.zeros(0, record_type(max_order))

    def add(self, table: NgramTable) -> None:
        if not self.top:
            return
        floor = self.min_count
        if len(self.best) == self.top:  # a row below the N-th best count cannot get in
            floor = max(floor, int(~self.best["k1"][-1]))
        k1s, k2s, orders, rows = [], [], [], []
        for k in range(1, table.max_order + 1):
            at = np.flatnonzero(table.counts[k - 1] >= floor)
            k1, k2 = _rank_keys(table.counts[k - 1][at], k, self.before[k - 1] + at)
            k1s.append(k1)
            k2s.append(k2)
            orders.append(np.full(len(at), k))
            rows.append(at)
        k1, k2 = np.concatenate([self.best["k1"], *k1s]), np.concatenate([self.best["k2"], *k2s])
        kept = np.lexsort((k2, k1))[: self.top]
        old = kept[kept < len(self.best)]
        new = kept[kept >= len(self.best)] - len(self.best)
        orders, rows = np.concatenate(orders), np.concatenate(rows)
        parts = [self.best[old]]
        for k in range(1, table.max_order + 1):
            mine = new[orders[new] == k]
            if len(mine):
                parts.append(self.records(table, k, rows[mine], k1[len(self.best) + mine],
                                          k2[len(self.best) + mine]))
        merged = np.concatenate(parts)
        self.best = merged[np.lexsort((merged["k2"], merged["k1"]))]

    def blocks(self, block_rows: int) -> Iterator[np.ndarray]:
        yield self.best


class RankedRuns(_Reducer):
    """A table reducer writing every row at ``min_count`` or more to sorted runs.

    The runs go to a folder of their own in ``tmp_dir``, made when the first
    partition comes and removed by :meth:`close`.
    """

    def __init__(self, max_order: int, min_count: int, tmp_dir: str | None) -> None:
        super().__init__(max_order, min_count)
        self.tmp_dir = tmp_dir
        self.folder: str | None = None
        self.runs: list[tuple[str, int]] = []

    def close(self) -> None:
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)

    def add(self, table: NgramTable) -> None:
        for k in range(1, table.max_order + 1):
            counts = table.counts[k - 1]
            at = np.flatnonzero(counts >= self.min_count)
            if not len(at):
                continue
            # Rows of one order already ascend: a stable sort on minus the count is the rank order.
            at = at[np.argsort(-counts[at], kind="stable")]
            self.folder = self.folder or spill_folder(self.tmp_dir)
            path = os.path.join(self.folder, f"ranked-{len(self.runs)}.bin")
            self.records(table, k, at).tofile(path)
            self.runs.append((path, len(at)))

    def blocks(self, block_rows: int) -> Iterator[np.ndarray]:
        """Every row in rank order, a block at a time: the runs merged (see the module).

        Past ``runs.FAN_IN`` runs, some are first merged into longer ones
        (:func:`~wordmine.counting.spill.passes.merge_passes`), pass after pass, so no
        merge opens more files or holds more blocks than FAN_IN; the runs
        merged are removed as they go, so the rows are read once.
        """
        dtype = record_type(self.max_order)
        def merge_group(group: list[tuple[str, int]], passes: int, at: int) -> tuple[str, int]:
            path = os.path.join(str(self.folder), f"ranked-pass{passes}-{at}.bin")
            with open(path, "wb") as handle:
                for block in _merged_blocks(group, dtype, block_rows):
                    block.tofile(handle)
            for run_path, _ in group:
                os.unlink(run_path)
            return path, sum(rows for _, rows in group)

        runs = merge_passes(self.runs, lambda run: run[1], merge_group, sorted_runs.FAN_IN)
        yield from _merged_blocks(runs, dtype, block_rows)


def _merged_blocks(runs: list[tuple[str, int]], dtype: np.dtype, block_rows: int) -> Iterator[np.ndarray]:
    """The rows of sorted runs (path, rows) in rank order, a block of each run read at a time."""
    handles = [open(path, "rb") for path, _ in runs]  # noqa: SIM115 - closed below
    try:
        left = [n for _, n in runs]
        step = max(block_rows // max(len(runs), 1), 1024)
        buffers = [np.zeros(0, dtype)] * len(runs)

        def fill(i: int) -> None:
            buffers[i] = np.fromfile(handles[i], dtype, min(step, left[i]))
            left[i] -= len(buffers[i])

        for i in range(len(runs)):
            fill(i)
        while any(len(b) for b in buffers):
            bounding = [(b["k1"][-1], b["k2"][-1]) for b, n in zip(buffers, left) if n and len(b)]
            out = []
            for i, b in enumerate(buffers):
                if bounding:
                    f1, f2 = min(bounding)
                    cut = int(np.count_nonzero((b["k1"] < f1) | ((b["k1"] == f1) & (b["k2"] <= f2))))
                else:
                    cut = len(b)
                out.append(b[:cut])
                buffers[i] = b[cut:]
                if not len(buffers[i]) and left[i]:
                    fill(i)
            block = np.concatenate(out)
            yield block[np.lexsort((block["k2"], block["k1"]))]
    finally:
        for handle in handles:
            handle.close()


def listing_reducer(order: int, min_count: int, top: int | None, tmp_dir: str | None) -> TopRows | RankedRuns:
    """What ranks the rows of ``wordmine count`` as the partitions pass: a bounded top-N, or sorted runs on disk."""
    if top is not None:
        return TopRows(top, min_count, order + 1)
    return RankedRuns(order + 1, min_count, tmp_dir)


def ranked_rows(reducer: TopRows | RankedRuns, vocab: Vocabulary, top: int | None = None,
                block_rows: int = 1 << 20) -> Iterator[dict]:
    """The rows of ``wordmine count`` from a reducer the partitions went through, decoded a block at a time."""
    units = np.array(vocab.units, dtype=object)
    written = 0
    for block in reducer.blocks(block_rows):
        if top is not None:
            block = block[: top - written]
        orders = (block["k2"] >> U64(ROW_BITS)).astype(np.int64)
        text = units[block["ids"][:, 0]]
        for j in range(1, reducer.max_order):
            longer = orders > j
            text[longer] += units[block["ids"][longer, j]]
        for ngram, order, count in zip(text.tolist(), orders.tolist(), (~block["k1"]).tolist()):
            yield {"ngram": ngram, "order": order, "count": count}
        written += len(block)
        if top is not None and written >= top:
            return
