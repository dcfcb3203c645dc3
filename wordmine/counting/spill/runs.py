"""Sorted count runs on disk, merged a range of first units at a time.

A *run* is one count table (:class:`~wordmine.ngrams.NgramTable`) written to a
file, order by order, keys then counts, in the compact layout of
:mod:`~wordmine.counting.spill.compact` (keys as small gaps between prefix rows,
numbers cut to the bytes they need: a few bytes a row where the table takes 16),
with a small index kept in memory: for every order, the row where each first
unit begins, and each block's byte width. Keys sort by
first unit (packed keys hold it in their highest bits; chained keys sort by
their prefix's row, which sorts by first unit too), so the n-grams of every
run that begin with units ``lo <= u < hi`` are one slice of each order of each
run, found from the index without reading the file.

Merging runs is then external and exact: cut the range of first units into
*partitions* whose slices together fit a share of the memory budget, read one
partition's slices from every run, merge them (:func:`merge_tables`),
hand the merged partition on, drop it, read the next. No stage holds a whole
table; the partitions come out in key order, and an n-gram and all its right
extensions (the same first unit) are in the same partition.

>>> import tempfile
>>> from wordmine.counting.table.ngrams import NgramTable
>>> scratch = tempfile.TemporaryDirectory()
>>> folder = scratch.name
>>> a = write_run(NgramTable.from_ngrams({(1,): 2, (2,): 1, (1, 2): 1}), f"{folder}/a")
>>> b = write_run(NgramTable.from_ngrams({(2,): 2, (2, 1): 1, (1,): 1}), f"{folder}/b")
>>> parts = list(merged_partitions([a, b], budget_bytes=1 << 20))
>>> [(p.first_units, p.table.counts[0].tolist()) for p in parts]
[((0, 4), [3, 3])]
>>> full = concatenate([p.table for p in parts])
>>> full.decode(2, np.arange(2)).tolist(), full.counts[1].tolist()
([[1, 2], [2, 1]], [1, 1])
>>> scratch.cleanup()

This is the external merge sort of databases, with the runs' first-unit index
in place of a heap: every key of a partition is known to lie in one slice of
each run (Knuth, The Art of Computer Programming vol. 3, section 5.4, 1973).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np

from wordmine.budget import slice_bytes
from wordmine.counting.spill.compact import (
    BlockStream,
    OrderCoding,
    OrderOnDisk,
    PrefixMissing,
    append_counts,
    append_keys,
    merged_codings,
    read_order,
    write_counts,
    write_keys,
)
from wordmine.counting.spill.passes import merge_passes
from wordmine.counting.table.ngrams import U64, NgramTable, mask, widen
from wordmine.errors import OutputError
from wordmine.io.text import remove_stale_tmp


def spill_folder(tmp_dir: str | None) -> str:
    """A folder of this process' own in ``tmp_dir`` for spilled runs.

    Named for the process that made it: a folder left by a run killed with
    SIGKILL is recognisable (wordmine-spill-PID-*), and no later run reuses it:
    the next run that spills to the same folder removes it, once no process
    of that PID runs (:func:`wordmine.io.text.remove_stale_tmp`).
    """
    remove_stale_tmp(tmp_dir)
    try:
        return tempfile.mkdtemp(prefix=f"wordmine-spill-{os.getpid()}-", dir=tmp_dir)
    except OSError as exc:
        where = tmp_dir or tempfile.gettempdir()
        raise OutputError(f"{where}: cannot make a folder for spilled counts: {exc.strerror}; "
                          "see --tmp-dir") from None


def write_array(array: np.ndarray, handle: BinaryIO) -> None:
    """``array.tofile(handle)``, but a full disk raises the OSError the system gave (numpy's tofile says
    only "N requested and M written", with no errno)."""
    handle.write(memoryview(np.ascontiguousarray(array)).cast("B"))


def _reason(exc: OSError, folder: str) -> str:
    """What the system said, or, for a short write that says nothing (numpy's), whether the disk is full."""
    if exc.strerror:
        return exc.strerror
    if exc.errno:
        return os.strerror(exc.errno)
    try:
        stats = os.statvfs(folder)
        if stats.f_bavail * stats.f_frsize < 1 << 20:
            return os.strerror(errno.ENOSPC)
    except OSError:
        pass
    return f"write failed ({exc})"


def spill_error(tmp_dir: str | None, exc: OSError) -> OutputError:
    """One line naming the folder that could not take the spilled counts, what the system said, and the
    option that moves them (a run's own spill folder is named by the folder it is in: --tmp-dir's)."""
    folder = tmp_dir or tempfile.gettempdir()
    if os.path.basename(folder.rstrip(os.sep)).startswith("wordmine-spill-"):
        folder = os.path.dirname(folder.rstrip(os.sep)) or "."
    return OutputError(f"{folder}: cannot spill counts: {_reason(exc, folder)}; see --tmp-dir")


class FirstUnitIndex:
    """Where each first unit's rows begin, order by order: what a sorted run and a count file share.

    A subclass holds ``starts``: ``starts[k - 1][u]`` is the first row of order
    ``k`` whose first unit is ``u`` (or more); its last entry is the number of
    rows of the order.
    """

    @property
    def lengths(self) -> list[int]:
        return [int(s[-1]) for s in self.starts]

    def start(self, order: int, unit: int) -> int:
        """First row of ``order`` with first unit >= ``unit``."""
        starts = self.starts[order - 1]
        return int(starts[min(unit, len(starts) - 1)])

    def unit_bytes(self, units: int) -> np.ndarray:
        """Bytes of the rows of every first unit ``0..units - 1``, all orders together."""
        out = np.zeros(units, np.int64)
        for starts in self.starts:
            rows = np.diff(starts)[:units]
            out[: len(rows)] += rows * 16
        return out


@dataclass(frozen=True)
class Run(FirstUnitIndex):
    """A count table on disk, in the compact layout of :mod:`~wordmine.counting.spill.compact`, and its index.

    ``starts[k - 1][u]`` is the first row of order ``k`` whose first unit is
    ``u`` (or more); its last entry is the number of rows of the order.
    ``orders[k - 1]`` says where order ``k``'s keys and counts lie and how its
    keys are coded. A run written whole is one file, ``path``; a run merged
    from other runs a partition at a time is a folder, ``path``, of a file
    per array (``in_folder``).
    """

    path: str
    bits: int
    starts: list[np.ndarray]
    orders: tuple[OrderOnDisk, ...] = ()
    in_folder: bool = False

    def read_slice(self, lo: int, hi: int) -> NgramTable:
        return read_slice(self, lo, hi)



def first_unit_starts(table: NgramTable) -> list[np.ndarray]:
    """For each order, the first row of each first unit 0..U+1 (U the largest), then the row count."""
    top_unit = 0
    if table.max_order and len(table.keys[0]):
        top_unit = int(table.keys[0][-1])
    units = np.arange(top_unit + 2, dtype=np.int64)
    starts: list[np.ndarray] = []
    for order in range(1, table.max_order + 1):
        keys = table.keys[order - 1]
        if table.is_packed(order):
            firsts = units.astype(U64) << U64(table.bits * (order - 1))
        else:  # chained: keys sort by their prefix's row, so the prefix order's starts bound them
            firsts = starts[-1][:-1].astype(U64) << U64(table.bits)
        found = np.searchsorted(keys, firsts).astype(np.int64)
        if table.is_packed(order):
            found[units >> table.bits > 0] = len(keys)  # past the largest id (whose shift would wrap to 0)
        starts.append(np.concatenate([found, [len(keys)]]))
    return starts


def write_run(table: NgramTable, path: str) -> Run:
    """Write ``table`` to ``path`` in the compact layout, order after order, keys then counts.

    No pickling, no checksum: it is read back by this process. An order whose
    prefixes are not all in the order below (no count table wordmine makes, but
    a count file made elsewhere may be so) keeps its packed keys as they are.
    """
    starts = first_unit_starts(table)
    orders = []
    with open(path, "wb") as handle:
        for order in range(1, table.max_order + 1):
            coding = OrderCoding.of(table, order)
            begin = handle.tell()
            try:
                keys = write_keys(table, order, starts, coding, BlockStream(handle, path))
            except PrefixMissing:
                handle.seek(begin)
                handle.truncate()
                coding = OrderCoding(0, table.bits * (order - 1))
                keys = write_keys(table, order, starts, coding, BlockStream(handle, path))
            counts = write_counts(table.counts[order - 1], BlockStream(handle, path))
            orders.append(OrderOnDisk(coding, keys, counts))
    return Run(path, table.bits, starts, tuple(orders))


def read_slice(run: Run, lo: int, hi: int) -> NgramTable:
    """The n-grams of ``run`` whose first unit is in ``lo <= u < hi``: a table in itself.

    Chained keys name rows of the order below; they are re-based on the slice's
    first row, as :func:`read_rows` does.
    """
    table = NgramTable(run.bits)
    with _files_opened_once() as handle_of:
        for order, on_disk in enumerate(run.orders, start=1):
            keys, counts = read_order(run, order, on_disk, lo, hi, table, handle_of)
            table.keys.append(keys)
            table.counts.append(counts)
    return table


@contextlib.contextmanager
def _files_opened_once() -> Iterator[Callable[[str], BinaryIO]]:
    """A function giving each path's file, opened for reading at its first use; all closed after."""
    handles: dict[str, BinaryIO] = {}
    try:
        yield lambda path: handles.get(path) or handles.setdefault(path, open(path, "rb"))  # noqa: SIM115
    finally:
        for handle in handles.values():
            handle.close()


def read_rows(index: FirstUnitIndex, bits: int, locate: Callable[[str, int], tuple[str, int]],
              lo: int, hi: int) -> NgramTable:
    """The rows of first units ``lo <= u < hi`` of a table laid out raw on disk, a table in itself.

    How a count file is read (a run is read by :func:`read_slice`): ``locate(kind, order)``
    says in which file, from which byte, the keys or the counts of an order lie (little
    endian, 8 bytes a row); ``index`` where each first unit's rows begin.
    Chained keys name rows of the order below; they are re-based on the slice's first row.
    """
    table = NgramTable(bits)
    low = mask(bits)
    with _files_opened_once() as handle_of:
        for order in range(1, len(index.starts) + 1):
            first, last = index.start(order, lo), index.start(order, hi)
            arrays = []
            for kind, dtype in (("keys", "<u8"), ("counts", "<i8")):
                path, offset = locate(kind, order)
                handle = handle_of(path)
                handle.seek(offset + 8 * first)
                arrays.append(np.fromfile(handle, dtype, last - first))
            keys, counts = arrays[0].astype(np.uint64, copy=False), arrays[1].astype(np.int64, copy=False)
            if not table.is_packed(order) and len(keys):
                base = U64(index.start(order - 1, lo))
                keys = (((keys >> U64(bits)) - base) << U64(bits)) | (keys & low)
            table.keys.append(keys)
            table.counts.append(counts)
    return table


@dataclass(frozen=True)
class Partition:
    """The exact counts of the n-grams whose first unit is in ``first_units`` (lo, hi)."""

    first_units: tuple[int, int]
    table: NgramTable


def plan_partitions(runs: list[FirstUnitIndex], budget_bytes: int, pieces: int = 1) -> list[tuple[int, int]]:
    """Ranges of first units whose slices, summed over the runs, stay under ``budget_bytes``.

    A single first unit heavier than the budget is a partition of its own (a
    range is never cut inside one unit). ``pieces``: cut into about that many
    ranges at least, even when fewer would fit the budget (ranges that threads
    merge side by side: one range would leave every core but one idle).

    >>> from wordmine.counting.table.ngrams import NgramTable
    >>> class Index(FirstUnitIndex):
    ...     starts = first_unit_starts(NgramTable.from_ngrams({(1,): 1, (2,): 1, (3,): 1, (4,): 1}))
    >>> plan_partitions([Index()], 1 << 20), plan_partitions([Index()], 1 << 20, pieces=2)
    ([(0, 6)], [(0, 3), (3, 6)])
    """
    units = max(len(s) for run in runs for s in run.starts) - 1
    weight = np.zeros(units, np.int64)
    for run in runs:
        weight += run.unit_bytes(units)
    if pieces > 1:
        budget_bytes = min(budget_bytes, max(-(-int(weight.sum()) // pieces), 1))
    ranges: list[tuple[int, int]] = []
    lo = 0
    total = 0
    for unit, size in enumerate(weight.tolist()):
        if total and total + size > budget_bytes:
            ranges.append((lo, unit))
            lo, total = unit, 0
        total += size
    ranges.append((lo, units))
    return ranges


#: Runs merged in one pass at most. Past it they are merged FAN_IN at a time into
#: intermediate runs first, pass after pass (a multi-pass external merge), so a
#: merge reads FAN_IN runs at most and holds as many files open whatever the
#: input; each extra pass writes and reads the merged counts once more.
FAN_IN = 64
#: With threads, a merge is cut into at least this many ranges of first units a thread.
RANGES_PER_THREAD = 4


def merged_partitions(runs: list, budget_bytes: int, threads: int = 1, folder: str | None = None) -> Iterator[Partition]:
    """The merged counts of ``runs``, one partition of first units at a time, in key order.

    ``runs`` are :class:`Run` or count files. With ``threads`` > 1 that many
    partitions are merged side by side (numpy's sorts run without the GIL), each
    in its share of the budget. Past :data:`FAN_IN` runs, some are merged first
    in ``folder`` (by default the first run's), and removed (count files never).
    """
    if not runs:
        return
    if len(runs) > FAN_IN:
        runs = bound_fan_in(runs, budget_bytes, threads, folder or os.path.dirname(runs[0].path))
    yield from _merge_all(runs, budget_bytes, threads)


def bound_fan_in(runs: list, budget_bytes: int, threads: int, folder: str) -> list:
    """At most :data:`FAN_IN` runs with the counts of ``runs`` (:func:`~wordmine.counting.spill.passes.merge_passes`)."""
    def merge_group(group: list, passes: int, at: int) -> Run:
        merged = write_merged(_merge_all(group, budget_bytes, threads), tempfile.mkdtemp(prefix="merged-", dir=folder),
                              merged_codings(group))
        remove_runs([run for run in group if isinstance(run, Run)])  # count files are the user's
        return merged

    return merge_passes(runs, lambda run: sum(run.lengths), merge_group, FAN_IN)


def write_merged(partitions: Iterable[Partition], folder: str, codings: list[OrderCoding] | None = None) -> Run:
    """One run of merged partitions (in key order), each array appended to a file of its own in ``folder``.

    ``codings`` (:func:`merged_codings`) say how each order's keys are coded;
    by default each order's keys are kept as they are. Chained keys and prefix
    rows are re-based on the rows before, as :func:`concatenate` does in memory.
    """
    writers: list[tuple[BlockStream, BlockStream]] = []
    handles: list[BinaryIO] = []
    rows: list[np.ndarray] = []
    before: list[int] = []
    bits = 16
    try:
        for part in partitions:
            table = part.table
            if not writers:
                bits = table.bits
                if codings is None:
                    codings = [OrderCoding.as_they_are(table, k) for k in range(1, table.max_order + 1)]
                for k in range(1, table.max_order + 1):
                    pair = []
                    for kind in ("keys", "counts"):
                        path = os.path.join(folder, f"{kind}{k}")
                        handles.append(open(path, "wb"))  # noqa: SIM115 - closed below
                        pair.append(BlockStream(handles[-1], path))
                    writers.append((pair[0], pair[1]))
                rows = [np.zeros(0, np.int64)] * table.max_order
                before = [0] * table.max_order
            starts = first_unit_starts(table)
            for k in range(1, table.max_order + 1):
                keys, counts = writers[k - 1]
                append_keys(table, k, starts, codings[k - 1], keys, before[k - 2] if k > 1 else 0)
                append_counts(table.counts[k - 1], counts)
                per_unit = np.diff(starts[k - 1])
                if len(per_unit) > len(rows[k - 1]):
                    rows[k - 1] = np.concatenate([rows[k - 1], np.zeros(len(per_unit) - len(rows[k - 1]), np.int64)])
                rows[k - 1][: len(per_unit)] += per_unit
            before = [b + len(keys) for b, keys in zip(before, table.keys)]
        orders = tuple(OrderOnDisk(coding, keys.close(), counts.close())
                       for coding, (keys, counts) in zip(codings or [], writers))
    finally:
        for handle in handles:
            handle.close()
    return Run(folder, bits, [np.concatenate([[0], np.cumsum(r)]) for r in rows], orders, in_folder=True)


def _merge_all(runs: list, budget_bytes: int, threads: int) -> Iterator[Partition]:
    """The runs merged in one pass, each partition's slices read from every run."""
    bits = max(run.bits for run in runs)
    # With threads, a few ranges a thread whatever the budget, so that a merge that would fit one
    # range still runs on every core and the last range does not leave the others waiting.
    ranges = plan_partitions(runs, slice_bytes(budget_bytes, threads), pieces=RANGES_PER_THREAD * threads
                             if threads > 1 else 1)

    def merged(bounds: tuple[int, int]) -> Partition:
        lo, hi = bounds
        # A run and a count file each read (a count file also checks) their own slices.
        return Partition(bounds, merge_tables([_widened(run.read_slice(lo, hi), bits) for run in runs]))

    if threads == 1 or len(ranges) == 1:
        yield from map(merged, ranges)
        return
    from concurrent.futures import ThreadPoolExecutor  # here: a merge in one thread never pays for its import

    pool = ThreadPoolExecutor(threads)
    try:
        pending = []
        for bounds in ranges:
            # At most ``threads`` partitions in memory besides the one handed on.
            if len(pending) >= threads:
                yield pending.pop(0).result()
            pending.append(pool.submit(merged, bounds))
        for future in pending:
            yield future.result()
    finally:
        # After Ctrl-C or an error, start no other partition (those under way finish).
        pool.shutdown(wait=False, cancel_futures=True)


def _widened(table: NgramTable, bits: int) -> NgramTable:
    return table if table.bits == bits else widen(table, bits)


def merge_tables(tables: list[NgramTable]) -> NgramTable:
    """The sum of several count tables of one shape, emptied as they are merged.

    One stable sort of all their keys side by side: the sort finds the sorted
    runs and merges them (numpy's timsort), in one pass where merging pairs
    would take log2(tables) passes. Equal keys are then summed, and each
    table's rows mapped to the merged rows, to re-key the chained order above.

    >>> a = NgramTable.from_ngrams({(1,): 2, (3,): 1, (1, 3): 1})
    >>> b = NgramTable.from_ngrams({(3,): 2, (3, 3): 1})
    >>> c = NgramTable.from_ngrams({(1,): 1, (1, 1): 1})
    >>> m = merge_tables([a, b, c])
    >>> m.counts[0].tolist(), m.decode(2, np.arange(3)).tolist(), m.counts[1].tolist()
    ([3, 3], [[1, 1], [1, 3], [3, 3]], [1, 1, 1])
    """
    first = tables[0]
    if len(tables) == 1:
        return first
    out = NgramTable(first.bits)
    low, shift = mask(first.bits), U64(first.bits)
    row_maps: list[np.ndarray] = []
    for order in range(1, first.max_order + 1):
        keys = []
        for i, table in enumerate(tables):
            part = table.keys[order - 1]
            if not first.is_packed(order):
                part = (row_maps[i][(part >> shift).astype(np.int64)].astype(U64) << shift) | (part & low)
            keys.append(part)
        lengths = [len(k) for k in keys]
        keys = np.concatenate(keys)
        counts = np.concatenate([t.counts[order - 1] for t in tables])
        for table in tables:
            table.keys[order - 1] = table.counts[order - 1] = np.zeros(0, U64)
        perm = np.argsort(keys, kind="stable")
        keys = keys[perm]
        counts = counts[perm]
        new = np.ones(len(keys), bool)
        np.not_equal(keys[1:], keys[:-1], out=new[1:])
        starts = np.flatnonzero(new)
        out.keys.append(keys[starts])
        out.counts.append(np.add.reduceat(counts, starts) if len(starts) else counts)
        del keys, counts, starts
        if order < first.max_order and not first.is_packed(order + 1):
            rows = np.empty(len(perm), np.int64)
            rows[perm] = np.cumsum(new) - 1
            row_maps = np.split(rows, np.cumsum(lengths)[:-1])
    return out


def concatenate(parts: list[NgramTable]) -> NgramTable:
    """One table from partitions laid end to end (chained keys re-based on the rows before them)."""
    out = NgramTable(parts[0].bits)
    before = np.zeros(len(parts), np.int64)  # rows of the order below in the partitions before each
    for order in range(1, parts[0].max_order + 1):
        keys = [p.keys[order - 1] for p in parts]
        if not parts[0].is_packed(order):
            keys = [k + (U64(b) << U64(out.bits)) for k, b in zip(keys, before)]
        before = np.cumsum([0] + [len(p.keys[order - 1]) for p in parts])[:-1]
        out.keys.append(np.concatenate(keys))
        out.counts.append(np.concatenate([p.counts[order - 1] for p in parts]))
        for p in parts:
            p.keys[order - 1] = p.counts[order - 1] = np.zeros(0, U64)
    return out


def remove_runs(runs: list[Run]) -> None:
    for run in runs:
        if run.in_folder:
            shutil.rmtree(run.path, ignore_errors=True)
        elif os.path.exists(run.path):
            os.unlink(run.path)
